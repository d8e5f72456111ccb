"""What `kg build`, `kg records` and `kg push` do, as plain functions over documents.

The CLI parses arguments and calls these; they run the pipeline, write outputs
atomically (temporary file then rename) and print a short summary.
"""
from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

from rdflib import Graph

from kg.extract.model import Document
from kg.pipeline import DocumentBuild, Pipeline
from kg.rdf.namespaces import bind_prefixes

log = logging.getLogger(__name__)

PARALLEL_MIN_DOCS = 200
"""Below this many documents a second worker process costs more than it saves."""


def _pipeline(documents: list[Document], **kwargs) -> Pipeline:
    n_process = 2 if len(documents) >= PARALLEL_MIN_DOCS else 1
    return Pipeline(n_process=n_process, **kwargs)


def _progress(builds, total: int, quiet: bool):
    """Yield builds while showing documents/s and an ETA on stderr (rich), unless quiet or not a TTY."""
    if quiet or total < 2 or not sys.stderr.isatty():
        yield from builds
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    with Progress(TextColumn("building"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[rate]:.1f} docs/s"), TimeRemainingColumn(), transient=True) as bar:
        task = bar.add_task("build", total=total, rate=0.0)
        t0 = time.perf_counter()
        for n, b in enumerate(builds, start=1):
            bar.update(task, advance=1, rate=n / max(time.perf_counter() - t0, 1e-9))
            yield b


def _write_atomic(path: Path, data: bytes) -> None:
    from kg.export import _write_atomic as write
    write(path, data)


def build_command(documents: list[Document], *, out: Path, fmt: str, store: Path | None, problems: int = 0,
                  quiet: bool = False) -> int:
    """Build documents, write graph / inferred graph / SHACL report under ``out``, print a summary."""
    from kg.export import serialize, serialize_inferred, write_outputs
    t0 = time.perf_counter()
    pipe = _pipeline(documents)
    builds: list[DocumentBuild] = []
    failures = problems
    db = None
    if store is not None:
        from kg.store import Store
        db = Store.open(store)
    try:
        todo = documents
        if db is not None:
            from kg.rdf.mapping import text_hash
            todo = [d for d in documents if not db.has_document(d.id, text_hash(d.text))]
            skipped = len(documents) - len(todo)
            if skipped:
                print(f"skipped {skipped} document(s) already in the store unchanged", file=sys.stderr)
        for b in _progress(pipe.build_many(todo), len(todo), quiet):
            builds.append(b)
            if db is not None:
                db.put_document(b.document.id, b.text_hash, b.graph, b.inferred)
    finally:
        if db is not None:
            db.close()
    out.mkdir(parents=True, exist_ok=True)
    dataset = pipe.dataset(builds)
    write_outputs(dataset, out, fmt)
    _write_atomic(out / "inferred.ttl", serialize_inferred(dataset))
    report = bind_prefixes(Graph())
    conforms = True
    lines: list[str] = []
    for b in builds:
        if b.validation is not None:
            report += b.validation.report_graph
            if not b.validation.conforms:
                conforms = False
                lines += [f"{b.document.id}: {v}" for v in b.validation.lines()]
        lines += [f"{b.document.id}: OWL-RL contradiction: {c}" for c in b.contradictions]
    _write_atomic(out / "shacl-report.ttl", serialize(report, "turtle"))
    events = sum(len(b.extraction.events) for b in builds)
    figures = sum(len(b.extraction.figures) for b in builds)
    actors = len({k for b in builds for k in b.extraction.actors})
    places = len({k for b in builds for k in b.extraction.places})
    triples = sum(len(b.graph) for b in builds)
    inferred = sum(len(b.inferred) for b in builds)
    elapsed = time.perf_counter() - t0
    print(f"documents {len(builds)}  events {events}  figures {figures}  actors {actors}  places {places}")
    print(f"triples {triples} asserted, {inferred} inferred  ->  {out}/")
    print(f"conforms to shapes: {'yes' if conforms else 'NO'}  failures {failures}  time {elapsed:.1f} s")
    for line in lines[:20]:
        print(f"  {line}", file=sys.stderr)
    if not conforms:
        return 1
    return 3 if failures else 0


def records_command(documents: list[Document], *, out: Path | None) -> int:
    """Print (or write OUT/ID.json) the record view of each document, computed from its graph by SPARQL."""
    from kg.export import _write_atomic as write
    from kg.records import records
    pipe = _pipeline(documents, reason=False, check=False)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    for b in pipe.build_many(documents):
        d = b.document
        meta = {"id": d.id, "published": d.published.isoformat() if d.published else None, "lang": d.lang,
                "url": d.url}
        rec = records(b.graph, meta)
        text = json.dumps(rec, ensure_ascii=False, indent=1)
        if out is None:
            print(text)
        else:
            write(out / f"{_safe_name(d.id)}.json", text.encode("utf-8"))
    return 0


def _safe_name(doc_id: str) -> str:
    from kg.rdf.iri import slug
    return doc_id if all(c.isalnum() or c in "._-" for c in doc_id) and not doc_id.startswith(".") else slug(doc_id)


def push_command(documents: list[Document], *, url: str, graph: str | None) -> int:
    """Build documents and send them to a SPARQL 1.1 Graph Store Protocol endpoint."""
    from kg.export import serialize
    from kg.push import push
    pipe = _pipeline(documents)
    builds = list(pipe.build_many(documents))
    dataset = pipe.dataset(builds)
    if graph:
        report = push(serialize(dataset, "turtle"), url, graph=graph, content_type="text/turtle")
    else:
        report = push(serialize(dataset, "nquads"), url, graph=None, content_type="application/n-quads")
    print(report)
    return 0
