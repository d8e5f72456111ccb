"""SHACL validation of an asserted graph against ``shapes/`` (docs/graph-model.md, "Nodes and their triples").

Shapes target nodes by the classes the data states (``sh:targetClass``), so the
asserted graph is validated as it is: no ontology, no inference
(``inference="none"``). The caller's graph is never changed.

Two engines give the same report. ``pyshacl`` is the reference: ``pyshacl.validate``
on the whole graph, which reads the shapes again and parses the SPARQL-based
constraint again for every mention (seconds per report). The default,
``compiled``, runs the shapes compiled once by :mod:`kg.conformance` and hands
pySHACL only the shapes and focus nodes that may fail, with the shapes it has
already read; its results and report are pySHACL's own. tests/test_reason_fast_path.py
checks that both give the same report on every corpus graph and shape case.
"""
from __future__ import annotations

import functools
import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

import pyshacl
from pyshacl.graph_abstraction import DataGraph
from pyshacl.pytypes import SHACLExecutor
from pyshacl.shapes_graph import ShapesGraph
from rdflib import ConjunctiveGraph, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from kg import conformance
from kg.rdf.namespaces import bind_prefixes
from kg.resources import shapes_files

log = logging.getLogger(__name__)

ENGINES = ("compiled", "pyshacl")
"""``compiled``: kg.conformance, then pySHACL on what may fail (default); ``pyshacl``: the reference engine."""

KGSH_PREFIX = ("kgsh", "https://w3id.org/sahel-kg/shapes#")
"""Prefix of kg's shapes (``kgsh:EventShape`` …), bound on reports."""


class Violation(NamedTuple):
    """One SHACL result: which node breaks which node shape (through which path), and why."""

    focus: Node
    shape: str
    """Prefixed name of the node shape, e.g. ``kgsh:EventShape``."""
    path: str | None
    """Prefixed name of the constrained path, or None for a node-level constraint."""
    message: str

    def __str__(self) -> str:
        where = f"{self.shape} ({self.path})" if self.path else self.shape
        return f"{_name(self.focus)} breaks {where}: {self.message}"


@dataclass(frozen=True)
class ValidationResult:
    """pyshacl's verdict on one graph, with readable violations."""

    conforms: bool
    report_graph: Graph
    report_text: str
    violations: list[Violation]

    def lines(self) -> list[str]:
        """One readable line per violation."""
        return [str(v) for v in self.violations]


@functools.cache
def shapes() -> Graph:
    """The SHACL shapes graph, parsed once (``shapes/*.ttl``)."""
    graph = bind_prefixes(Graph())
    graph.bind(*KGSH_PREFIX)
    for path in shapes_files():
        graph.parse(path, format="turtle")
    return graph


@functools.cache
def _owners() -> dict[Node, tuple[Node, ...]]:
    """Property shape -> the node shapes that use it (``sh:property``); shared ones have several."""
    owners: dict[Node, list[Node]] = defaultdict(list)
    for node_shape, _, prop in shapes().triples((None, SH.property, None)):
        owners[prop].append(node_shape)
    return {prop: tuple(sorted(nodes)) for prop, nodes in owners.items()}


@functools.cache
def _compiled_shapes() -> conformance.Shapes | None:
    """kg's shapes compiled by kg.conformance, or None when they use SHACL it does not cover."""
    try:
        return conformance.Shapes(shapes())
    except conformance.Unsupported as why:
        log.warning("validating with pySHACL only: %s", why)
        return None


@functools.cache
def _pyshacl_shapes() -> ShapesGraph:
    """pySHACL's reading of kg's shapes, made once (pyshacl.validate makes it for every graph)."""
    shapes_graph = ShapesGraph(shapes(), debug=False, logger=log)
    shapes_graph.shapes  # noqa: B018 - the property harvests every shape
    return shapes_graph


class _PreparedQueries(Graph):
    """A view of a graph (same store) that parses each SPARQL text once: pySHACL passes a
    SPARQL-based constraint as text, once per focus node."""

    _prepared: dict[str, object] = {}

    def query(self, query_object, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003 - rdflib's signature
        if isinstance(query_object, str):
            prepared = self._prepared.get(query_object)
            if prepared is None:
                prepared = self._prepared[query_object] = prepareQuery(query_object)
            query_object = prepared
        return super().query(query_object, *args, **kwargs)


def _validate_suspects(graph: Graph, suspects: dict[Node, list[Node]]) -> tuple[bool, Graph, str]:
    """pySHACL on the focus nodes kg.conformance could not pass, and pySHACL's report of them."""
    from pyshacl.validator import Validator

    shapes_graph = _pyshacl_shapes()
    conforms, results = True, []
    if suspects:
        view = graph if isinstance(graph, ConjunctiveGraph) else \
            _PreparedQueries(store=graph.store, identifier=graph.identifier, namespace_manager=graph.namespace_manager)
        data = DataGraph.from_rdflib(view)
        if data.is_multigraph():
            data.default_union = True
        executor = SHACLExecutor()
        for node, focus in suspects.items():
            ok, reports = shapes_graph.lookup_shape_from_node(node).validate(executor, data, focus=focus)
            conforms = conforms and ok
            results.extend(reports)
    report, text = Validator.create_validation_report(shapes_graph, conforms, results)
    return conforms, report, text


def validate(graph: Graph, *, lang: str = "en", engine: str = "compiled") -> ValidationResult:
    """Validate ``graph`` as asserted against kg's shapes; messages in ``lang`` (``en`` or ``fr``).

    ``engine`` is one of :data:`ENGINES`; both give the same result.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown validation engine {engine!r}; expected one of {', '.join(ENGINES)}")
    compiled = _compiled_shapes() if engine == "compiled" else None
    if compiled is not None:
        conforms, report, text = _validate_suspects(graph, compiled.suspects(graph))
    else:
        if not graph.store.context_aware:  # pyshacl wraps data in a ConjunctiveGraph, which needs one
            graph = Graph(namespace_manager=graph.namespace_manager) + graph
        conforms, report, text = pyshacl.validate(
            graph, shacl_graph=shapes(), inference="none", abort_on_first=False, allow_warnings=False,
        )
    bind_prefixes(report)
    report.bind(*KGSH_PREFIX)
    found = set(_violations(report, graph, lang))  # one line per broken constraint, not per component
    violations = sorted(found, key=lambda v: (str(v.focus), v.shape, v.path or "", v.message))
    log.debug("validation: conforms=%s, %d results", conforms, len(violations))
    return ValidationResult(conforms=bool(conforms), report_graph=report, report_text=text, violations=violations)


def _violations(report: Graph, data: Graph, lang: str) -> Iterator[Violation]:
    """Readable results of a pyshacl report graph."""
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        source = report.value(result, SH.sourceShape)
        path = report.value(result, SH.resultPath)
        yield Violation(
            focus=focus,
            shape=_name(_node_shape(source, focus, data)),
            path=_name(path) if isinstance(path, URIRef) else None,
            message=_message(report, result, lang),
        )


def _node_shape(source: Node, focus: Node, data: Graph) -> Node:
    """The node shape a result belongs to: the source shape, or the node shape owning that property shape."""
    owners = _owners().get(source)
    if not owners:
        return source
    types = set(_objects(data, focus, RDF.type))
    for node_shape in owners:
        if any(cls in types for cls in shapes().objects(node_shape, SH.targetClass)):
            return node_shape
    return owners[0]


def _message(report: Graph, result: Node, lang: str) -> str:
    """The result message in ``lang``, else any message pyshacl gave."""
    messages = [m for m in report.objects(result, SH.resultMessage) if isinstance(m, Literal)]
    for message in messages:
        if message.language == lang:
            return str(message)
    return str(messages[0]) if messages else "(no message)"


def _objects(graph: Graph, subject: Node, predicate: Node) -> Iterator[Node]:
    """Objects of (subject, predicate) in a graph, or in any named graph of a dataset."""
    if isinstance(graph, ConjunctiveGraph):
        for _, _, o, _ in graph.quads((subject, predicate, None, None)):
            yield o
    else:
        yield from graph.objects(subject, predicate)


def _name(node: Node | None) -> str:
    """A prefixed name where a kg prefix applies, else the N-Triples form."""
    if node is None:
        return "(none)"
    if isinstance(node, URIRef):
        return shapes().namespace_manager.normalizeUri(node)
    return node.n3()
