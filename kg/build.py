"""What `kg build`, `kg records` and `kg push` do, as plain functions over documents.

The CLI parses arguments and calls these; they run the pipeline, write outputs
atomically (temporary file then rename) and print a short summary.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, SH

from kg.extract.model import Document
from kg.export import write_atomic
from kg.pipeline import DocumentBuild, Pipeline
from kg.rdf.namespaces import PREFIXES, bind_prefixes
from kg.text import InputError
from kg.validate import KGSH_PREFIX

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


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def build_each(pipe: Pipeline, documents: list[Document], failed: list[str]) -> Iterator[DocumentBuild]:
    """Builds of ``documents`` in order; a document whose build raises is reported and skipped.

    Documents are built in batches (``Pipeline.build_many``); when a batch
    fails, the document it stopped at is built alone, so one bad document
    costs only itself. Each failure is printed (``kg: document 'ID': build
    failed: ...``) and its id appended to ``failed``.
    """
    i = 0
    while i < len(documents):
        try:
            for build in pipe.build_many(documents[i:]):
                i += 1
                yield build
            return
        except Exception as err:  # noqa: BLE001 - isolate the document, report it, go on
            document = documents[i]
            try:
                build = pipe.build(document)
            except Exception as alone:  # noqa: BLE001
                log.debug("build of %s failed", document.id, exc_info=True)
                print(f"kg: document {document.id!r}: build failed: "
                      f"{_one_line(f'{type(alone).__name__}: {alone}')}", file=sys.stderr)
                failed.append(document.id)
                i += 1
                continue
            log.info("batch failed at %s (%s); built it alone", document.id, type(err).__name__)
            i += 1
            yield build


def _stored_quads(db, doc_ids: list[str]) -> list:
    """The asserted and inferred graphs of documents in the store, as pyoxigraph quads."""
    import pyoxigraph as ox
    quads = []
    for doc_id in doc_ids:
        for name in (db.minter.graph(doc_id), db.minter.inferred_graph(doc_id)):
            quads.extend(db.inner.quads_for_pattern(None, None, None, ox.NamedNode(str(name))))
    return quads


def _named_quads(pipe: Pipeline, b: DocumentBuild, terms) -> list:
    """A build's asserted and inferred graphs as pyoxigraph quads in their named graphs (as a store holds them)."""
    import pyoxigraph as ox
    quads = []
    for graph, name in ((b.graph, pipe.minter.graph(b.document.id)),
                        (b.inferred, pipe.minter.inferred_graph(b.document.id))):
        target = ox.NamedNode(str(name))
        quads += [ox.Quad(s, p, o, target) for s, p, o in terms.triples(graph)]
    return quads


class _Tally:
    """What a build reports at the end, gathered document by document so that no build is kept.

    The corpus graph itself goes to the store (``--store``) or to an in-memory
    Oxigraph store, which holds a quad in a fraction of an rdflib triple's memory;
    the SHACL report keeps only the results of documents that do not conform.
    """

    def __init__(self) -> None:
        self.documents = self.events = self.figures = self.triples = self.inferred = 0
        self.actors: set[str] = set()
        self.places: set[str] = set()
        self.lines: list[str] = []
        self.conforms = True
        self.report = bind_prefixes(Graph())
        self._node = BNode()
        self.report.add((self._node, RDF.type, SH.ValidationReport))

    def add(self, b: DocumentBuild) -> None:
        self.documents += 1
        self.events += len(b.extraction.events)
        self.figures += len(b.extraction.figures)
        self.actors.update(b.extraction.actors)
        self.places.update(b.extraction.places)
        self.triples += len(b.graph)
        self.inferred += len(b.inferred)
        if b.validation is not None and not b.validation.conforms:
            self.conforms = False
            self.lines += [f"{b.document.id}: {v}" for v in b.validation.lines()]
            report = b.validation.report_graph
            reports = set(report.subjects(SH.conforms, None))
            for result in report.objects(None, SH.result):
                self.report.add((self._node, SH.result, result))
            self.report += ((s, p, o) for s, p, o in report if s not in reports)
        self.lines += [f"{b.document.id}: OWL-RL contradiction: {c}" for c in b.contradictions]

    def shacl_report(self) -> Graph:
        """One ``sh:ValidationReport`` for the whole build."""
        self.report.set((self._node, SH.conforms, Literal(self.conforms)))
        return self.report


def build_command(documents: list[Document], *, out: Path, fmt: str, store: Path | None, problems: int = 0,
                  quiet: bool = False) -> int:
    """Build documents, write graph / inferred graph / SHACL report under ``out``, print a summary.

    With ``store``, each document goes into the store as soon as it is built (one
    transaction per document, so an interrupted build leaves only whole documents);
    documents the store already holds with the same text are not rebuilt, and the
    outputs take their graphs from the store. No build is kept once it is stored:
    memory grows with the corpus graph's quads, not with its rdflib graphs.
    Outputs are written at the end, each through a temporary file and a rename:
    an interrupted build leaves earlier outputs as they were.
    """
    import pyoxigraph as ox

    from kg.export import serialize, serialize_inferred, write_outputs
    from kg.store import TermCache
    t0 = time.perf_counter()
    tally = _Tally()
    failed: list[str] = []
    skipped: list[str] = []
    built: list[str] = []
    memory = ox.Store()  # the run's graphs when there is no on-disk store
    terms = TermCache()
    db = None
    if store is not None:  # before loading the model: a store in use is refused at once
        from kg.store import Store
        db = Store.open(store)
    try:
        out.mkdir(parents=True, exist_ok=True)
        pipe = _pipeline(documents)
        todo = documents
        if db is not None:
            from kg.rdf.mapping import text_hash
            unchanged = [db.has_document(d.id, text_hash(d.text)) for d in documents]
            todo = [d for d, same in zip(documents, unchanged) if not same]
            skipped = [d.id for d, same in zip(documents, unchanged) if same]
            if skipped:
                print(f"skipped {len(skipped)} document(s) already in the store unchanged", file=sys.stderr)
        for b in _progress(build_each(pipe, todo, failed), len(todo), quiet):
            tally.add(b)
            built.append(b.document.id)
            if db is not None:
                db.put_document(b.document.id, b.text_hash, b.graph, b.inferred)
            else:
                memory.extend(_named_quads(pipe, b, terms))
        quads = _stored_quads(db, built + skipped) if db is not None else list(memory)
    finally:
        if db is not None:
            db.close()
    del memory
    write_outputs(quads, out, fmt)
    write_atomic(out / "inferred.ttl", serialize_inferred(quads))
    report_prefixes = {**{p: str(ns) for p, ns in PREFIXES.items()}, "sh": str(SH), KGSH_PREFIX[0]: KGSH_PREFIX[1]}
    write_atomic(out / "shacl-report.ttl", serialize(tally.shacl_report(), "turtle", prefixes=report_prefixes))
    failures = problems + len(failed)
    elapsed = time.perf_counter() - t0
    note = f" (+{len(skipped)} unchanged in the store)" if skipped else ""
    print(f"documents {tally.documents}{note}  events {tally.events}  figures {tally.figures}  "
          f"actors {len(tally.actors)}  places {len(tally.places)}")
    print(f"triples {tally.triples} asserted, {tally.inferred} inferred  ->  {out}/")
    print(f"conforms to shapes: {'yes' if tally.conforms else 'NO'}  failures {failures}  time {elapsed:.1f} s")
    for line in tally.lines[:20]:
        print(f"  {line}", file=sys.stderr)
    if not tally.conforms:
        return 1
    return 3 if failures else 0


def records_command(documents: list[Document], *, out: Path | None) -> int:
    """Print (or write OUT/ID.json) the record view of each document, computed from its graph by SPARQL."""
    from kg.records import records
    pipe = _pipeline(documents, reason=False, check=False)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    failed: list[str] = []
    for b in build_each(pipe, documents, failed):
        d = b.document
        meta = {"id": d.id, "published": d.published.isoformat() if d.published else None, "lang": d.lang,
                "url": d.url}
        rec = records(b.graph, meta)
        text = json.dumps(rec, ensure_ascii=False, indent=1)
        if out is None:
            print(text)
        else:
            write_atomic(out / f"{_safe_name(d.id)}.json", text.encode("utf-8"))
    return 3 if failed else 0


def _safe_name(doc_id: str) -> str:
    """A file name for a document id: the id when it is short plain ASCII, else its slug (with a hash)."""
    from kg.rdf.iri import slug
    return doc_id if re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,119}", doc_id) else slug(doc_id)


def push_command(documents: list[Document], *, url: str, graph: str | None) -> int:
    """Build documents and send them to a SPARQL 1.1 Graph Store Protocol endpoint."""
    import pyoxigraph as ox

    from kg.export import serialize_quads
    from kg.push import push
    from kg.store import TermCache
    pipe = _pipeline(documents)
    failed: list[str] = []
    memory, terms = ox.Store(), TermCache()  # each build is dropped once its quads are in
    for b in build_each(pipe, documents, failed):
        memory.extend(_named_quads(pipe, b, terms))
    if len(failed) == len(documents):
        raise InputError("no document could be built; nothing pushed")
    quads = list(memory)
    if graph:
        report = push(serialize_quads(quads, "turtle"), url, graph=graph, content_type="text/turtle")
    else:
        report = push(serialize_quads(quads, "nquads"), url, graph=None, content_type="application/n-quads")
    print(report)
    return 3 if failed else 0
