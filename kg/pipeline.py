"""Composes the stages for one document or a corpus; no logic of its own.

    text -> Document (kg.inputs) -> spaCy Doc (kg.nlp.pipeline) -> Extraction (kg.extract.document)
         -> asserted graph (kg.rdf.mapping) -> inferred graph (kg.reason) -> SHACL report (kg.validate)
"""
from __future__ import annotations

import gc
import logging
import multiprocessing
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from rdflib import Dataset, Graph

from kg.extract.document import extract_document
from kg.extract.model import Document, Extraction
from kg.nlp.pipeline import load_nlp
from kg.rdf.iri import IriMinter
from kg.rdf.mapping import text_hash, to_graph
from kg.rdf.namespaces import bind_prefixes
from kg.reason import Reasoner
from kg.validate import ValidationResult, validate

log = logging.getLogger(__name__)


@dataclass
class DocumentBuild:
    """Everything built for one document."""

    document: Document
    extraction: Extraction
    graph: Graph
    inferred: Graph
    contradictions: list[str]
    validation: ValidationResult | None
    text_hash: str

    @property
    def conforms(self) -> bool:
        return self.validation is None or self.validation.conforms


@dataclass
class StageTimes:
    """Seconds spent in each stage over a run (for benchmarks and the summary)."""

    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def add(self, stage: str, start: float) -> float:
        now = time.perf_counter()
        self.seconds[stage] += now - start
        return now


class BuildError(Exception):
    """A document whose build raised in a worker process (the message names it and the error)."""


@dataclass(frozen=True)
class _Failure:
    doc_id: str
    error: str


BUILD_GC_THRESHOLD = (20_000, 20, 100)
"""Collector thresholds while a batch builds. A document makes some 100k short-lived objects, nearly all freed
by reference counting; at Python's default (700, 10, 10) the collector ran every few hundred of them, 6.3 s of
21.7 s for 400 documents in two processes. With these, 1.7 s of 19.4 s, for 9 % more peak memory in a worker
(``benchmarks/throughput.py --n 400 --processes 2``)."""

_worker_pipeline: Pipeline | None = None
"""In a worker process: the pipeline it inherited from its parent (see Pipeline._build_in_workers)."""


def _adopt(pipeline: Pipeline) -> None:
    """Worker initializer: keep the parent's pipeline (passed on by fork, not pickled)."""
    global _worker_pipeline
    _worker_pipeline = pipeline


def _build_batch(batch: list[Document]) -> tuple[list[DocumentBuild | _Failure], dict[str, float]]:
    """In a worker: the builds of one batch (a failure in place of a document whose build raised)."""
    pipeline = _worker_pipeline
    pipeline.times = StageTimes()
    outcomes: list[DocumentBuild | _Failure] = []
    built = pipeline._build_here(batch)
    for document in batch:
        try:
            outcomes.append(next(built))
        except Exception as err:  # noqa: BLE001 - reported in the parent, in order
            outcomes.append(_Failure(document.id, f"{type(err).__name__}: {err}"))
            break
    return outcomes, dict(pipeline.times.seconds)


def _batches(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for document in documents:
        batch.append(document)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class Pipeline:
    """The loaded model and settings, applied to documents one by one or in batches.

    Each document's graph is closed together with a ``background`` closed once
    (the ontology, plus e.g. a gazetteer hierarchy: :class:`kg.reason.Reasoner`)
    and validated alone, so the cost of a corpus grows linearly with its size.
    ``reasoning`` and ``validation`` name the engines (kg.reason.ENGINES,
    kg.validate.ENGINES); the defaults are the compiled ones, the references
    ``owlrl`` and ``pyshacl`` give the same graphs and reports, slower.
    """

    def __init__(self, *, minter: IriMinter | None = None, reason: bool = True, check: bool = True,
                 batch_size: int = 32, n_process: int = 1, background: Graph | None = None,
                 reasoning: str = "compiled", validation: str = "compiled") -> None:
        self.minter = minter or IriMinter()
        self.reason = reason
        self.check = check
        self.batch_size = batch_size
        self.n_process = n_process
        self.validation = validation
        self.times = StageTimes()
        t = time.perf_counter()
        self.nlp = load_nlp()
        self.reasoner = Reasoner(background, engine=reasoning) if reason else None
        # The loaded model lives as long as the process: leave its objects out of every later
        # collection (benchmarks/throughput.py: 14.5 s of GC per 1,000 documents without this).
        gc.collect()
        gc.freeze()
        self.times.add("load", t)

    def _finish(self, document: Document, spacy_doc) -> DocumentBuild:
        t = time.perf_counter()
        extraction = extract_document(spacy_doc, document)
        t = self.times.add("extract", t)
        graph = to_graph(extraction, self.minter)
        t = self.times.add("graph", t)
        inferred, contradictions = Graph(), []
        if self.reasoner is not None:
            result = self.reasoner.infer(graph)
            inferred, contradictions = result.inferred, result.contradictions
            t = self.times.add("reason", t)
        validation = None
        if self.check:
            validation = validate(graph, engine=self.validation)
            self.times.add("validate", t)
        if self.reasoner is None:
            bind_prefixes(inferred)
        return DocumentBuild(document, extraction, graph, inferred, contradictions, validation,
                             text_hash(document.text))

    def build(self, document: Document) -> DocumentBuild:
        """Build one document."""
        t = time.perf_counter()
        spacy_doc = self.nlp(document.text)
        self.times.add("parse", t)
        return self._finish(document, spacy_doc)

    def build_many(self, documents: Iterable[Document]) -> Iterator[DocumentBuild]:
        """Build documents in order, parsing them in batches with ``nlp.pipe``.

        With ``n_process`` > 1 (and where processes can be forked), that many
        worker processes each build whole batches (parse to validation) with a
        copy of this loaded pipeline, and this process only collects the builds:
        spaCy's own ``n_process`` parses in workers but leaves everything after
        the parse to one process, which then holds the others up. A document
        whose build raises stops the iteration there with the error, as in
        one process.
        """
        default = gc.get_threshold()
        gc.set_threshold(*BUILD_GC_THRESHOLD)  # before the fork: the workers inherit it
        try:
            if self.n_process > 1 and "fork" in multiprocessing.get_all_start_methods():
                yield from self._build_in_workers(documents)
            else:
                yield from self._build_here(documents)
        finally:
            gc.set_threshold(*default)

    def _build_here(self, documents: Iterable[Document]) -> Iterator[DocumentBuild]:
        """Builds in this process, streamed: documents are read as the parser asks for them."""
        pending: deque[Document] = deque()

        def texts() -> Iterator[str]:
            for document in documents:
                pending.append(document)
                yield document.text

        t = time.perf_counter()
        for spacy_doc in self.nlp.pipe(texts(), batch_size=self.batch_size):
            self.times.add("parse", t)
            yield self._finish(pending.popleft(), spacy_doc)
            t = time.perf_counter()

    def _build_in_workers(self, documents: Iterable[Document]) -> Iterator[DocumentBuild]:
        """Batches built by forked workers (they inherit the loaded model: nothing is loaded again)."""
        context = multiprocessing.get_context("fork")
        with context.Pool(self.n_process, initializer=_adopt, initargs=(self,)) as pool:
            for outcomes, seconds in pool.imap(_build_batch, _batches(documents, self.batch_size)):
                for stage, spent in seconds.items():  # CPU seconds of the workers, summed
                    self.times.seconds[stage] += spent
                for outcome in outcomes:
                    if isinstance(outcome, _Failure):
                        raise BuildError(f"document {outcome.doc_id!r}: {outcome.error}")
                    yield outcome

    def dataset(self, builds: Iterable[DocumentBuild]) -> Dataset:
        """One dataset: a named graph per document plus one inferred graph per document."""
        ds = bind_prefixes(Dataset())
        for b in builds:
            g = ds.graph(self.minter.graph(b.document.id))
            for triple in b.graph:
                g.add(triple)
            ig = ds.graph(self.minter.inferred_graph(b.document.id))
            for triple in b.inferred:
                ig.add(triple)
        return ds
