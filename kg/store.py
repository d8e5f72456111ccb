"""The embedded on-disk store: one named graph per document, kept in Oxigraph.

rdflib stays the in-memory engine for building, reasoning and validation;
this module only moves finished graphs into a ``pyoxigraph.Store`` (RocksDB)
and reads them back. Each document owns two named graphs, minted by
:class:`kg.rdf.iri.IriMinter` (``{base}graph/{docid}`` and
``{base}graph/{docid}/inferred``); a small bookkeeping graph
(:func:`meta_graph`) records each document's ``kg:textHash`` so that an
unchanged document is skipped and a changed one replaces its graphs.

Queries (:meth:`Store.query`) read the store's default graph, which holds the
union of every document's asserted and inferred graphs, each triple once: the
store writes it with the documents and removes from it, when a document is
replaced or removed, the triples no other document holds. Oxigraph's own union
(``use_default_graph_as_union``, or every graph listed as default graph) keeps
one copy of a triple per graph holding it, so a join on an actor named in
300 documents multiplies its rows by 300 per pattern (over a million triples,
``actors.rq`` did not finish in ten minutes; on the deduplicated union it takes
milliseconds). A store written before the union was kept gets it on opening.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.query import Result
from rdflib.term import Node

from kg.rdf.iri import DEFAULT_BASE, IriMinter
from kg.rdf.namespaces import KG, PREFIXES, SCHEMA, bind_prefixes

log = logging.getLogger(__name__)

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
OxGraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
T = TypeVar("T")


class StoreError(Exception):
    """A store that cannot be opened, read or written; the message is one line."""


# --- rdflib <-> pyoxigraph terms -------------------------------------------------

def to_oxigraph(term: Node) -> OxTerm:
    """The pyoxigraph term equal (RDF 1.1 term equality) to an rdflib term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store a {type(term).__name__} term: {term!r}")


def to_oxigraph_graph_name(identifier: Node | None) -> OxGraphName:
    """pyoxigraph graph name of an rdflib graph identifier (rdflib's default graph too)."""
    if identifier is None or identifier == DATASET_DEFAULT_GRAPH_ID:
        return ox.DefaultGraph()
    term = to_oxigraph(identifier)
    if isinstance(term, ox.Literal):
        raise TypeError(f"a literal cannot name a graph: {identifier!r}")
    return term


def from_oxigraph(term: OxTerm) -> Node:
    """The rdflib term equal to a pyoxigraph term (``xsd:string`` literals stay plain)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in (_XSD_STRING, _RDF_LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unsupported pyoxigraph term (RDF-star?): {term!r}")


class TermCache:
    """rdflib -> pyoxigraph terms, each converted once: a corpus names the same places, actors and
    classes in every document (a dict hit is about 3x cheaper than a conversion).

    Most terms of a document (its events, figures, mentions, offsets) occur in no other, so the cache is
    emptied every ``limit`` terms: the shared ones come back at once, and the cache neither grows with the
    corpus nor gives the garbage collector a large live set to walk (with 2^18 terms, 10,000 documents
    spent 70 s in collections against 4 s for 1,000: benchmarks/throughput.py)."""

    def __init__(self, limit: int = 1 << 14, convert: Callable[[Node], object] = to_oxigraph) -> None:
        self._terms: dict[Node, object] = {}
        self._limit = limit
        self._convert = convert  # to_oxigraph, or e.g. its N-Triples text for a bulk load

    def __call__(self, term: Node) -> OxTerm:
        found = self._terms.get(term)
        if found is None:
            if len(self._terms) >= self._limit:
                self._terms.clear()
            found = self._terms[term] = self._convert(term)
        return found

    def triples(self, graph: Graph) -> list[tuple[OxTerm, OxTerm, OxTerm]]:
        return [(self(s), self(p), self(o)) for s, p, o in graph]


def _has_blank_nodes(*graphs: Graph) -> bool:
    return any(isinstance(s, BNode) or isinstance(o, BNode) for graph in graphs for s, _, o in graph)


def graph_quads(graph: Graph, name: OxGraphName | None = None) -> Iterator[ox.Quad]:
    """Quads of an rdflib graph, placed in graph ``name`` (default: the graph's own name)."""
    target = name if name is not None else to_oxigraph_graph_name(graph.identifier)
    for s, p, o in graph:
        yield ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), target)


def dataset_quads(dataset: Dataset) -> Iterator[ox.Quad]:
    """Every quad of an rdflib dataset, its default graph included."""
    for s, p, o, g in dataset.quads((None, None, None, None)):
        yield ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), to_oxigraph_graph_name(g))


# --- the store --------------------------------------------------------------------

def meta_graph(minter: IriMinter) -> URIRef:
    """IRI of the store's bookkeeping graph (kept out of the ``{base}graph/`` space,
    where a document called ``meta`` would have its graph)."""
    return URIRef(minter.base + "store/meta")


def describe_open_error(error: OSError, path: Path) -> str:
    """One-line message for a pyoxigraph error on the store at ``path``."""
    text = str(error)
    if "lock" in text.lower():
        return f"store {path} is in use by another process (a running `kg serve`?)"
    return f"cannot open store {path}: {text.splitlines()[0] if text else type(error).__name__}"


def check_store_dir(path: Path, *, create: bool) -> None:
    """Refuse folders that are not an Oxigraph store; raise :class:`StoreError`."""
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path} is a file, not a store folder")
    if not path.exists():
        if not create:
            raise StoreError(f"no store at {path}")
        return
    if (path / "CURRENT").is_file():
        return
    if any(path.iterdir()):
        raise StoreError(f"{path} is not a kg store (a non-empty folder without Oxigraph's CURRENT file)")
    if not create:
        raise StoreError(f"no store at {path} (empty folder)")
    if not os.access(path, os.W_OK):
        raise StoreError(f"store folder {path} is not writable")


class Store:
    """kg's documents in an on-disk Oxigraph store (one writer process at a time)."""

    def __init__(self, inner: ox.Store, path: Path, minter: IriMinter) -> None:
        self._inner: ox.Store | None = inner
        self.path = path
        self.minter = minter
        self._meta = ox.NamedNode(str(meta_graph(minter)))
        self._nt_terms = TermCache(convert=lambda term: str(to_oxigraph(term)))  # N-Triples syntax
        self._ensure_union()

    @classmethod
    def open(cls, path: Path | str, *, base: str = DEFAULT_BASE, create: bool = True) -> Store:
        """Open (and with ``create`` make) the store in folder ``path``."""
        path = Path(path)
        check_store_dir(path, create=create)
        try:
            inner = ox.Store(str(path))
        except OSError as error:
            raise StoreError(describe_open_error(error, path)) from None
        return cls(inner, path, IriMinter(base))

    @property
    def inner(self) -> ox.Store:
        """The pyoxigraph store (raises once closed)."""
        if self._inner is None:
            raise StoreError(f"store {self.path} is closed")
        return self._inner

    def close(self) -> None:
        """Flush and release the store (its folder lock goes with the last reference)."""
        if self._inner is not None:
            try:
                self._inner.flush()
            finally:
                self._inner = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # documents

    def _doc_node(self, doc_id: str) -> ox.NamedNode:
        return ox.NamedNode(str(self.minter.document(doc_id)))

    def has_document(self, doc_id: str, text_hash: str) -> bool:
        """True when the store holds ``doc_id`` built from a text of this hash."""
        doc, hash_prop = self._doc_node(doc_id), ox.NamedNode(str(KG.textHash))
        return any(self._run(lambda: list(self.inner.quads_for_pattern(
            doc, hash_prop, ox.Literal(text_hash), self._meta))))

    def put_document(self, doc_id: str, text_hash: str, asserted: Graph, inferred: Graph) -> None:
        """Replace the document's asserted and inferred graphs and its record, in one transaction.

        ``asserted`` goes to ``{base}graph/{docid}``, ``inferred`` to
        ``{base}graph/{docid}/inferred``, whatever the rdflib graphs are named.
        pyoxigraph 0.5 offers no multi-call transaction, but one SPARQL Update
        request is one transaction, so the drops and the inserts travel together:
        a reader sees the old document or the new one, never both or neither.
        Terms are written by pyoxigraph's N-Triples serialiser, never by hand.
        """
        graph, inferred_graph = self.minter.graph(doc_id), self.minter.inferred_graph(doc_id)
        doc = self.minter.document(doc_id)
        record = Graph()
        record.add((doc, SCHEMA.identifier, Literal(doc_id)))
        record.add((doc, KG.textHash, Literal(text_hash)))
        names = [ox.NamedNode(str(graph)), ox.NamedNode(str(inferred_graph)), self._meta]
        if not self._holds(doc, names):  # a new document: one atomic extend, ~20x faster than an update
            quads = [*graph_quads(asserted, names[0]), *graph_quads(inferred, names[1]), *graph_quads(record, names[2])]
            quads += [ox.Quad(q.subject, q.predicate, q.object) for q in quads[:len(quads) - len(record)]]
            self._run(lambda: self.inner.extend(quads))
            log.info("stored %s: %d asserted, %d inferred triples", doc_id, len(asserted), len(inferred))
            return
        parts = [*self._unshared_removals([graph, inferred_graph]),
                 f"DROP SILENT GRAPH <{graph}>", f"DROP SILENT GRAPH <{inferred_graph}>",
                 f"DELETE WHERE {{ GRAPH <{self._meta.value}> {{ <{doc}> ?p ?o }} }}"]
        inserts = []
        union: list[ox.Triple] = []
        for name, content in ((graph, asserted), (inferred_graph, inferred), (URIRef(self._meta.value), record)):
            triples = [q.triple for q in graph_quads(content, ox.DefaultGraph())]
            if triples:
                body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
                inserts.append(f"GRAPH <{name}> {{\n{body}}}")
                if content is not record:
                    union += triples
        if union:
            inserts.append(ox.serialize(union, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"))
        parts.append("INSERT DATA {\n" + "\n".join(inserts) + "\n}")
        self._run(lambda: self.inner.update(" ;\n".join(parts)))
        log.info("stored %s: %d asserted, %d inferred triples", doc_id, len(asserted), len(inferred))

    def put_documents(self, documents: Iterable[tuple[str, str, Graph, Graph]]) -> None:
        """Store a batch of ``(doc_id, text_hash, asserted, inferred)``: new documents by a bulk load, changed
        ones by :meth:`put_document`.

        The bulk load (about 2x faster than ``extend`` per quad on disk) is not one transaction, so the new
        documents' graphs go first, their triples in the union next and their records last: a load cut short
        leaves graphs without a record, which :meth:`has_document` does not count, so the next build rebuilds
        those documents and :meth:`put_document` replaces whatever was left of them. A document given twice
        is stored as its last version.
        """
        documents = list(documents)
        last = {doc_id: i for i, (doc_id, *_) in enumerate(documents)}
        graphs: list[str] = []  # N-Quads lines
        union: set[str] = set()  # "s p o " of each triple: a gazetteer fact of many documents, written once
        records: list[ox.Quad] = []
        batch: set[str] = set()
        nt = self._nt_terms
        for i, (doc_id, text_hash, asserted, inferred) in enumerate(documents):
            if last[doc_id] != i:
                continue
            doc = self.minter.document(doc_id)
            names = [ox.NamedNode(str(self.minter.graph(doc_id))),
                     ox.NamedNode(str(self.minter.inferred_graph(doc_id))), self._meta]
            if self._holds(doc, names) or _has_blank_nodes(asserted, inferred):
                self.put_document(doc_id, text_hash, asserted, inferred)  # a loader would rename blank nodes
                continue
            batch.add(doc_id)
            for content, name in ((asserted, names[0]), (inferred, names[1])):
                triples = [f"{nt(s)} {nt(p)} {nt(o)} " for s, p, o in content]
                end = f"{name} .\n"
                graphs += [triple + end for triple in triples]
                union.update(triples)
            record = ox.NamedNode(str(doc))
            records += [ox.Quad(record, ox.NamedNode(str(SCHEMA.identifier)), ox.Literal(doc_id), self._meta),
                        ox.Quad(record, ox.NamedNode(str(KG.textHash)), ox.Literal(text_hash), self._meta)]
        if graphs:  # the documents' graphs, then their triples in the union, then their records
            self._load("".join(graphs))
            self._load(".\n".join(union) + ".\n")
        if records:
            self._run(lambda: self.inner.extend(records))
        log.info("stored %d new documents in one load", len(batch))

    def _load(self, nquads: str) -> None:
        """Bulk-load N-Quads written from pyoxigraph's own term syntax (so no IRI needs checking again).

        Parsing text in Rust is cheaper than making a pyoxigraph ``Quad`` per triple in Python: 8.9 against
        12.7 ms per document of 843 triples (/tmp bench of put_documents, 150 documents)."""
        self._run(lambda: self.inner.bulk_load(input=nquads, format=ox.RdfFormat.N_QUADS, lenient=True))

    def _holds(self, doc: URIRef, names: list[ox.NamedNode]) -> bool:
        """Whether the store has anything of a document: its record or a triple in one of its graphs."""
        def any_quad(*pattern: object) -> bool:
            return self._run(lambda: any(True for _ in self.inner.quads_for_pattern(*pattern)))
        return any_quad(ox.NamedNode(str(doc)), None, None, self._meta) or any(
            any_quad(None, None, None, name) for name in names[:2])

    def _unshared_removals(self, graphs: list[URIRef]) -> list[str]:
        """SPARQL Update operations removing from the union the triples of ``graphs`` no other graph holds
        (to run before the graphs are dropped, in the same request)."""
        kept = ", ".join(f"<{g}>" for g in [*graphs, self._meta.value])
        return [f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} "
                f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other NOT IN ({kept})) }} }}"
                for g in graphs]

    def _ensure_union(self) -> None:
        """Fill the union (default graph) of a store written before it was kept."""
        def first(graph: ox.NamedNode | ox.DefaultGraph) -> bool:
            return self._run(lambda: any(True for _ in self.inner.quads_for_pattern(None, None, None, graph)))
        if first(self._meta) and not first(ox.DefaultGraph()):
            log.info("store %s: writing the union of its documents' graphs (once)", self.path)
            self._run(lambda: self.inner.update(
                f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{self._meta.value}>) }}"))

    def remove_document(self, doc_id: str) -> bool:
        """Remove a document's graphs and record; False when it was not there."""
        if doc_id not in self.document_ids():
            return False
        doc = self.minter.document(doc_id)
        graphs = [self.minter.graph(doc_id), self.minter.inferred_graph(doc_id)]
        self._run(lambda: self.inner.update(" ;\n".join([
            *self._unshared_removals(graphs),
            f"DROP SILENT GRAPH <{self.minter.graph(doc_id)}>",
            f"DROP SILENT GRAPH <{self.minter.inferred_graph(doc_id)}>",
            f"DELETE WHERE {{ GRAPH <{self._meta.value}> {{ <{doc}> ?p ?o }} }}"])))
        log.info("removed %s", doc_id)
        return True

    def document_ids(self) -> list[str]:
        """Ids of the stored documents, sorted."""
        ident = ox.NamedNode(str(SCHEMA.identifier))
        quads = self._run(lambda: list(self.inner.quads_for_pattern(None, ident, None, self._meta)))
        return sorted(q.object.value for q in quads)

    def count(self) -> int:
        """Number of quads in document graphs (the bookkeeping graph and the union left out)."""
        answer = self._run(lambda: list(self.inner.query(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{self._meta.value}>) }}")))
        return int(answer[0][0].value)

    # reading

    def query(self, sparql: str, bindings: dict[str, Node] | None = None) -> Result:
        """Run a SPARQL query over the union of document graphs (each triple once); rdflib terms out.

        ``bindings`` maps variable names to rdflib terms (SEP-0007 substitution,
        the Oxigraph counterpart of rdflib's ``initBindings``); unlike rdflib,
        a bound variable must appear in a SELECT's projection. The answer is an
        rdflib :class:`~rdflib.query.Result`, so callers format store results and
        in-memory results with the same code.
        """
        substitutions = {ox.Variable(k): to_oxigraph(v) for k, v in (bindings or {}).items()}
        try:
            answer = self.inner.query(sparql, substitutions=substitutions or None, prefixes=_prefix_strings())
            return _to_rdflib_result(answer)
        except SyntaxError as error:
            raise StoreError(f"malformed SPARQL query: {' '.join(str(error).split())}") from None
        except RuntimeError as error:  # e.g. SEP-0007: a bound variable must be projected
            raise StoreError(f"cannot run query with bindings {sorted(bindings or {})}: {error}"
                             " (Oxigraph binds only variables the SELECT projects)") from None
        except OSError as error:
            raise StoreError(describe_open_error(error, self.path)) from None

    def quads(self, *, include_meta: bool = False) -> list[ox.Quad]:
        """Every quad of the document graphs as pyoxigraph terms (export without an rdflib dataset);
        the union (default graph) is left out, it only repeats them."""
        quads = self._run(lambda: [q for q in self.inner if not isinstance(q.graph_name, ox.DefaultGraph)])
        return quads if include_meta else [q for q in quads if q.graph_name != self._meta]

    def dataset(self, *, include_meta: bool = False) -> Dataset:
        """The stored documents as an rdflib dataset (for export)."""
        out = bind_prefixes(Dataset())
        for quad in self.quads(include_meta=include_meta):
            triple = (from_oxigraph(quad.subject), from_oxigraph(quad.predicate), from_oxigraph(quad.object))
            if isinstance(quad.graph_name, ox.DefaultGraph):
                out.add(triple)
            else:
                out.graph(from_oxigraph(quad.graph_name)).add(triple)
        return out

    def _run(self, action: Callable[[], T]) -> T:
        """Run a pyoxigraph call, turning its I/O errors into one-line StoreErrors."""
        try:
            return action()
        except OSError as error:
            raise StoreError(describe_open_error(error, self.path)) from None


def _prefix_strings() -> dict[str, str]:
    return {prefix: str(ns) for prefix, ns in PREFIXES.items()}


def _to_rdflib_result(answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> Result:
    if isinstance(answer, ox.QueryBoolean):
        result = Result("ASK")
        result.askAnswer = bool(answer)
        return result
    if isinstance(answer, ox.QueryTriples):
        result = Result("CONSTRUCT")
        graph = bind_prefixes(Graph())
        for t in answer:
            graph.add((from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object)))
        result.graph = graph
        return result
    result = Result("SELECT")
    variables = [Variable(v.value) for v in answer.variables]
    result.vars = variables
    converted: dict[OxTerm, Node] = {}  # answers repeat their terms (roles, documents, actors): convert each once

    def term_of(term: OxTerm) -> Node:
        found = converted.get(term)
        if found is None:
            found = converted[term] = from_oxigraph(term)
        return found

    result.bindings = [
        {var: term_of(term) for var, term in zip(variables, row) if term is not None}
        for row in answer
    ]
    return result

