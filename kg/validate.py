"""SHACL validation of an asserted graph against ``shapes/`` (docs/graph-model.md, "Nodes and their triples").

Shapes target nodes by the classes the data states (``sh:targetClass``), so the
asserted graph is validated as it is: no ontology, no inference
(``inference="none"``). The caller's graph is never changed.
"""
from __future__ import annotations

import functools
import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

import pyshacl
from rdflib import ConjunctiveGraph, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kg.rdf.namespaces import bind_prefixes
from kg.resources import shapes_files

log = logging.getLogger(__name__)

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


def validate(graph: Graph, *, lang: str = "en") -> ValidationResult:
    """Validate ``graph`` as asserted against kg's shapes; messages in ``lang`` (``en`` or ``fr``)."""
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
