"""Throughput of the full pipeline against a spaCy-only parse of the same texts, in one run.

    .venv/bin/python benchmarks/throughput.py [--n 1000] [--processes 1] [--no-store]

Builds a corpus of N different reports (benchmarks/synthetic.py), parses it with
kg's spaCy pipeline alone (``nlp.pipe``, same model, batch size and processes),
then runs the whole pipeline on it (parse, extract, graph, reason, validate and,
unless --no-store, store into a new Oxigraph store, skipping nothing) and prints
words/s for both, their ratio, the time of each stage and the peak memory.

Targets (issue 5), printed, never asserted: full pipeline >= 0.75 x spaCy-only;
10,000 documents in at most 11 x the time of 1,000, with at most 20 % more peak
memory (run twice with --n 1000 and --n 10000 and compare the last lines).
"""
from __future__ import annotations

import argparse
import gc
import resource
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synthetic import synthetic_corpus, words  # noqa: E402

RATIO_TARGET = 0.75


class GcClock:
    """Time spent in Python's garbage collector from now on."""

    def __init__(self) -> None:
        self.seconds, self.count, self._start = 0.0, 0, 0.0
        gc.callbacks.append(self)

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._start
            self.count += 1


def peak_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest finished child process, in MB."""
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="documents in the corpus (default 1000)")
    parser.add_argument("--processes", type=int, default=1, help="spaCy processes (nlp.pipe n_process)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--no-store", action="store_true", help="leave the store stage out")
    parser.add_argument("--store", type=Path, help="store folder (default: a temporary one)")
    parser.add_argument("--store-writes", choices=("batch", "each"), default="batch",
                        help="Store.put_documents per batch (bulk load) or Store.put_document per document")
    args = parser.parse_args(argv)

    from kg.pipeline import Pipeline
    from kg.store import Store

    documents = list(synthetic_corpus(args.n))
    n_words = words(documents)
    print(f"corpus: {len(documents)} documents, {n_words:,} words (made from ../shared/corpus)")

    t = time.perf_counter()
    pipe = Pipeline(batch_size=args.batch_size, n_process=args.processes)
    warm = [d.text for d in documents[:8]]
    list(pipe.nlp.pipe(warm))  # first-call costs of the model
    for build in pipe.build_many(documents[:2]):  # ontology closure, compiled rules and shapes
        pass
    pipe.times.seconds.clear()
    collections = GcClock()
    print(f"model: {pipe.nlp.meta['lang']}_{pipe.nlp.meta['name']} {pipe.nlp.meta['version']} + kg pipes "
          f"({', '.join(pipe.nlp.pipe_names)}); loaded and warmed in {time.perf_counter() - t:.1f} s")
    print(f"processes: {args.processes}, batch size {args.batch_size}, "
          f"store: {'no' if args.no_store else 'yes, writes by ' + args.store_writes}")

    kwargs = {"batch_size": args.batch_size}
    if args.processes > 1:
        kwargs["n_process"] = args.processes
    t, cpu = time.perf_counter(), time.process_time()
    for _ in pipe.nlp.pipe((d.text for d in documents), **kwargs):
        pass
    spacy_seconds, spacy_cpu = time.perf_counter() - t, time.process_time() - cpu

    tmp = None
    store = None
    if not args.no_store:
        if args.store is None:
            tmp = tempfile.TemporaryDirectory(prefix="kg-bench-store-")
            args.store = Path(tmp.name) / "store"
        store = Store.open(args.store)
    events = figures = failures = 0
    pending: list = []

    def write(force: bool = False) -> None:
        if store is None or (len(pending) < args.batch_size and not force):
            return
        s = time.perf_counter()
        fresh = [p for p in pending if not store.has_document(p[0], p[1])]
        if args.store_writes == "batch":
            store.put_documents(fresh)
        else:
            for item in fresh:
                store.put_document(*item)
        pending.clear()
        pipe.times.add("store", s)

    t, cpu = time.perf_counter(), time.process_time()
    try:
        for build in pipe.build_many(documents):
            events += len(build.extraction.events)
            figures += len(build.extraction.figures)
            failures += not build.conforms
            pending.append((build.document.id, build.text_hash, build.graph, build.inferred))
            write()
        write(force=True)
        full_seconds, full_cpu = time.perf_counter() - t, time.process_time() - cpu
        quads = store.count() if store is not None else 0
    finally:
        if store is not None:
            store.close()
        if tmp is not None:
            tmp.cleanup()

    spacy_rate, full_rate = n_words / spacy_seconds, n_words / full_seconds
    ratio = full_rate / spacy_rate
    print()
    for name, seconds in (("spaCy only", spacy_seconds), ("full pipeline", full_seconds)):
        print(f"{name:14s} {seconds:8.1f} s  {n_words / seconds:8,.0f} words/s  {len(documents) / seconds:6.1f} docs/s")
    verdict = "met" if ratio >= RATIO_TARGET else "MISSED"
    print(f"ratio full / spaCy only: {ratio:.2f} (target >= {RATIO_TARGET}: {verdict})")
    if args.processes == 1:  # CPU time of this process: the figure other programs on the machine disturb least
        print(f"CPU seconds: spaCy only {spacy_cpu:.1f}, full pipeline {full_cpu:.1f}; ratio {spacy_cpu / full_cpu:.2f}")
    stages = pipe.times.seconds
    per_doc = "  ".join(f"{name} {1000 * seconds / len(documents):.1f}" for name, seconds in stages.items())
    print(f"stages, ms per document: {per_doc}")
    rest = sum(v for k, v in stages.items() if k != "parse")
    print(f"everything but the parse: {rest:.1f} s = {rest / max(stages.get('parse', 1e-9), 1e-9):.0%} of the parse"
          + (" (CPU seconds summed over the worker processes; store: this process)" if args.processes > 1 else ""))
    if pipe.reasoner is not None and pipe.reasoner.used:
        used = ", ".join(f"{n} by {engine}" for engine, n in sorted(pipe.reasoner.used.items()))
        print(f"reasoning: {used}")
    print(f"built: {events} events, {figures} figures, {failures} documents not conforming to the shapes"
          + (f"; store holds {quads:,} quads" if store is not None else ""))
    print(f"garbage collector: {collections.seconds:.1f} s in {collections.count} collections"
          " (the loaded model is frozen out of collections by kg.pipeline.Pipeline)")
    main_mb, child_mb = peak_mb()
    print(f"peak memory: {main_mb:,.0f} MB (main process)"
          + (f", {child_mb:,.0f} MB (largest worker)" if child_mb else ""))
    print(f"RESULT n={len(documents)} seconds={full_seconds:.1f} words_per_s={full_rate:.0f} "
          f"spacy_words_per_s={spacy_rate:.0f} ratio={ratio:.2f} cpu_seconds={full_cpu:.1f} peak_mb={main_mb:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
