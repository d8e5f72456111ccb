"""Write a built dataset as Turtle, N-Triples, JSON-LD, TriG or N-Quads, byte for byte stable.

Graph formats (Turtle, N-Triples, JSON-LD) hold the union of the asserted
graphs; dataset formats (TriG, N-Quads) keep one named graph per document plus
the inferred graph(s) (graphs whose IRI ends in ``/inferred``, see
docs/graph-model.md). Quads are sorted before writing, Turtle and TriG are
written by Oxigraph's serialiser with kg's prefixes (never ``ns1:``) in the
order of :data:`kg.rdf.namespaces.PREFIXES`, and JSON-LD is written here in
a fixed key order with the published context (``ontology/context.jsonld``)
embedded, so the same dataset always gives the same bytes. Files are written
to a temporary file in the target folder and moved into place with
``os.replace``, so a reader never sees half a file.
"""
from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from kg.rdf.namespaces import PREFIXES
from kg.store import dataset_quads, graph_quads

log = logging.getLogger(__name__)

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_FORMATS: dict[str, tuple[str, ox.RdfFormat | None]] = {
    "turtle": (".ttl", ox.RdfFormat.TURTLE),
    "nt": (".nt", ox.RdfFormat.N_TRIPLES),
    "jsonld": (".jsonld", None),
    "trig": (".trig", ox.RdfFormat.TRIG),
    "nquads": (".nq", ox.RdfFormat.N_QUADS),
}
_ALIASES = {"ttl": "turtle", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld",
            "nq": "nquads", "n-quads": "nquads"}
FORMATS: tuple[str, ...] = tuple(_FORMATS)
"""Format names accepted by :func:`serialize` and :func:`write_outputs` (aliases too)."""
DATASET_FORMATS = frozenset({"trig", "nquads"})
OxObject = ox.NamedNode | ox.BlankNode | ox.Literal


def format_name(fmt: str) -> str:
    """Canonical name of an output format (``ttl`` -> ``turtle``); ValueError if unknown."""
    name = _ALIASES.get(fmt.lower(), fmt.lower())
    if name not in _FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return name


def is_inferred_graph(name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> bool:
    """True for the graphs holding reasoner output (``.../inferred``, docs/graph-model.md)."""
    return isinstance(name, ox.NamedNode) and name.value.endswith("/inferred")


def jsonld_context() -> dict[str, dict[str, str]]:
    """The JSON-LD context kg publishes: one prefix per entry of ``PREFIXES``."""
    return {"@context": {prefix: str(ns) for prefix, ns in PREFIXES.items()}}


def write_context(path: Path) -> Path:
    """Write the published JSON-LD context document (``ontology/context.jsonld``)."""
    data = (json.dumps(jsonld_context(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return write_atomic(path, data)


# --- quads in a stable order ------------------------------------------------------

def _triple_key(t: ox.Triple) -> tuple[str, bool, str, str]:
    """Subject, then rdf:type first, then predicate and object (N-Triples forms)."""
    return str(t.subject), t.predicate.value != _RDF_TYPE, t.predicate.value, str(t.object)


def _sort_key(quad: ox.Quad) -> tuple[str, tuple[str, bool, str, str]]:
    graph = "" if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name)
    return graph, _triple_key(quad.triple)


def _all_quads(data: Dataset | Graph) -> list[ox.Quad]:
    if isinstance(data, Dataset):
        return list(dataset_quads(data))
    return list(graph_quads(data, ox.DefaultGraph()))


def asserted_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """Sorted, de-duplicated triples of every graph but the inferred ones."""
    return sorted({q.triple for q in quads if not is_inferred_graph(q.graph_name)}, key=_triple_key)


def inferred_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """Sorted, de-duplicated triples of the inferred graphs."""
    return sorted({q.triple for q in quads if is_inferred_graph(q.graph_name)}, key=_triple_key)


# --- serialisers -------------------------------------------------------------------

def _used_prefixes(items: list[ox.Quad] | list[ox.Triple], candidates: dict[str, str]) -> dict[str, str]:
    iris: set[str] = set()
    for item in items:
        for term in (item.subject, item.predicate, item.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
        name = getattr(item, "graph_name", None)
        if isinstance(name, ox.NamedNode):
            iris.add(name.value)
    used = {ns for ns in candidates.values() if any(iri.startswith(ns) for iri in iris)}
    return {prefix: ns for prefix, ns in candidates.items() if ns in used}


def _oxigraph_bytes(items: list[ox.Quad] | list[ox.Triple], fmt: ox.RdfFormat,
                    candidates: dict[str, str] | None = None) -> bytes:
    if fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
        return ox.serialize(items, format=fmt)
    prefixes = _used_prefixes(items, candidates or {p: str(ns) for p, ns in PREFIXES.items()})
    body = ox.serialize(items, format=fmt, prefixes=prefixes).decode("utf-8")
    # Oxigraph writes its @prefix block in hash-map order: write ours in PREFIXES order.
    lines = body.splitlines(keepends=True)
    while lines and lines[0].startswith("@prefix "):
        lines.pop(0)
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items())
    return (header + "".join(lines)).encode("utf-8")


def _compact(iri: str, context: dict[str, str]) -> str:
    """Compact IRI ``prefix:local`` with the longest matching prefix, else the IRI itself."""
    best = ""
    for prefix, ns in context.items():
        if iri.startswith(ns) and len(ns) > len(context.get(best, "")) and not iri[len(ns):].startswith("//"):
            if iri != ns:
                best = prefix
    if best:
        return f"{best}:{iri[len(context[best]):]}"
    scheme = iri.split(":", 1)[0]
    if scheme in context:
        raise ValueError(f"IRI {iri!r} would be read as a compact IRI (its scheme is a kg prefix)")
    return iri


def _jsonld_node(term: ox.NamedNode | ox.BlankNode, context: dict[str, str]) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else _compact(term.value, context)


def _jsonld_value(term: OxObject, context: dict[str, str]) -> dict[str, str]:
    if not isinstance(term, ox.Literal):
        return {"@id": _jsonld_node(term, context)}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == _XSD_STRING:
        return {"@value": term.value}
    return {"@value": term.value, "@type": _compact(term.datatype.value, context)}


def _jsonld_bytes(triples: list[ox.Triple]) -> bytes:
    """JSON-LD 1.0/1.1 document: embedded kg context, one node object per subject."""
    context = jsonld_context()["@context"]
    nodes: dict[str, dict[str, list]] = {}
    for t in triples:  # already sorted by subject, rdf:type first, predicate, object
        node = nodes.setdefault(_jsonld_node(t.subject, context), {})
        if t.predicate.value == _RDF_TYPE and not isinstance(t.object, ox.Literal):
            node.setdefault("@type", []).append(_jsonld_node(t.object, context))
        else:
            node.setdefault(_compact(t.predicate.value, context), []).append(_jsonld_value(t.object, context))
    graph = [{"@id": node_id, **props} for node_id, props in sorted(nodes.items())]
    document = {"@context": context, "@graph": graph}
    return (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def serialize_quads(quads: Iterable[ox.Quad], fmt: str, *, prefixes: dict[str, str] | None = None) -> bytes:
    """Bytes of pyoxigraph quads in format ``fmt``; the same quads always give the same bytes.

    Turtle, N-Triples and JSON-LD get the union of the asserted graphs; TriG
    and N-Quads keep every graph, inferred ones included. ``prefixes``
    (default: kg's ``PREFIXES``) are the ones Turtle and TriG may use.
    """
    name = format_name(fmt)
    rdf_format = _FORMATS[name][1]
    if name in DATASET_FORMATS:
        assert rdf_format is not None
        return _oxigraph_bytes(sorted(set(quads), key=_sort_key), rdf_format, prefixes)
    triples = asserted_triples(quads)
    if rdf_format is None:
        return _jsonld_bytes(triples)
    return _oxigraph_bytes(triples, rdf_format, prefixes)


def serialize(data: Dataset | Graph, fmt: str, *, prefixes: dict[str, str] | None = None) -> bytes:
    """Bytes of an rdflib dataset or graph in format ``fmt`` (see :func:`serialize_quads`)."""
    return serialize_quads(_all_quads(data), fmt, prefixes=prefixes)


def serialize_inferred(data: Dataset | Graph | Iterable[ox.Quad]) -> bytes:
    """Turtle of the union of the inferred graphs."""
    quads = _all_quads(data) if isinstance(data, Graph) else data
    return _oxigraph_bytes(inferred_triples(quads), ox.RdfFormat.TURTLE)


# --- files -------------------------------------------------------------------------

def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_outputs(dataset: Dataset | Iterable[ox.Quad], out_dir: Path, fmt: str, *, stem: str = "graph",
                  inferred: bool = False) -> list[Path]:
    """Write ``{stem}.{ext}`` in ``out_dir`` (and ``inferred.ttl`` when ``inferred``); paths written.

    ``dataset`` is an rdflib dataset or, for large stores, pyoxigraph quads
    (:meth:`kg.store.Store.quads`), which skips building an rdflib dataset.
    """
    name = format_name(fmt)
    out_dir = Path(out_dir)
    quads = _all_quads(dataset) if isinstance(dataset, Graph) else list(dataset)
    paths = [write_atomic(out_dir / f"{stem}{_FORMATS[name][0]}", serialize_quads(quads, name))]
    if inferred:
        paths.append(write_atomic(out_dir / "inferred.ttl", serialize_inferred(quads)))
    for path in paths:
        log.info("wrote %s (%d bytes)", path, path.stat().st_size)
    return paths


_write_atomic = write_atomic  # older name, still imported by kg.build
