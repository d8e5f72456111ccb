"""OWL 2 RL closure of an asserted graph, kept apart from it (docs/graph-model.md, "Named graphs").

The reasoner runs on a copy of asserted + ontology (+ background); the caller's
graph is never touched. What comes back is only what the closure adds about the
data: ``kg:attacker`` gives ``sem:hasActor``, ``kg:locatedIn`` chains close,
``org:subOrganizationOf`` chains give ``kg:withinOrganization``, and so on.
Inconsistencies that owlrl detects (an individual of two disjoint classes, a
member of ``owl:Nothing``, an ill-typed literal) are reported as readable lines.

External identifiers (``owl:sameAs wd:Q…``, ``gn:{id}/``) are aliases, not data:
the closure's ``owl:sameAs`` links are kept, but the copies of every fact onto
an alias (``eq-rep-s``/``eq-rep-o``) are left out, or each event would gain a
``sem:hasPlace`` per alias of its place. Facts are still copied between two of
kg's own nodes that the closure finds to be the same.
"""
from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

import owlrl
from rdflib import ConjunctiveGraph, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from kg.rdf.namespaces import bind_prefixes
from kg.resources import ontology_files

log = logging.getLogger(__name__)

OWLRL_ERROR = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")
"""Namespace of the ``err:ErrorMessage`` nodes owlrl adds for each inconsistency."""

_TRIVIAL_TYPES = frozenset({OWL.Thing, RDFS.Resource, OWL.NamedIndividual})
_IRI_IN_MESSAGE = re.compile(r"https?://[^\s,()'\"<>]+")

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class InferenceResult:
    """What the OWL-RL closure adds to one asserted graph."""

    inferred: Graph
    """Triples entailed about the data and not asserted (goes to ``{base}graph/…/inferred``)."""
    contradictions: list[str]
    """One readable line per inconsistency owlrl found; empty when the data is consistent."""

    @property
    def consistent(self) -> bool:
        """True when the closure found no contradiction."""
        return not self.contradictions


@functools.cache
def ontology() -> Graph:
    """The kg ontology, event-type scheme and code schemes, parsed once (``ontology/*.ttl``)."""
    graph = bind_prefixes(Graph())
    for path in ontology_files():
        graph.parse(path, format="turtle")
    log.debug("ontology: %d triples from %d files", len(graph), len(ontology_files()))
    return graph


@functools.cache
def _ontology_closure() -> frozenset[Triple]:
    """The OWL-RL closure of the ontology alone: its triples are never reported as inferred."""
    closure = Graph()
    closure += ontology()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    return frozenset(closure)


def infer(asserted: Graph, background: Graph | None = None) -> InferenceResult:
    """Run owlrl ``OWLRL_Semantics`` on a copy of ``asserted`` + ontology (+ ``background``).

    ``asserted`` may be a plain graph or a dataset (all its named graphs are read).
    ``background`` holds facts the data may rely on (e.g. other documents' actors);
    what the closure says only about background nodes is left out.
    """
    asserted_triples = set(_triples(asserted))
    background_triples = set(_triples(background)) if background is not None else set()

    work = Graph()
    for triple in _ontology_closure():
        work.add(triple)
    for triple in asserted_triples | background_triples:
        work.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(work)

    contradictions = _contradictions(work)
    about_data = _AboutData(asserted_triples, background_triples)
    inferred = bind_prefixes(Graph())
    for triple in work:
        if about_data(triple):
            inferred.add(triple)
    log.debug("inferred %d triples from %d asserted; %d contradictions",
              len(inferred), len(asserted_triples), len(contradictions))
    return InferenceResult(inferred=inferred, contradictions=contradictions)


def _triples(graph: Graph) -> Iterator[Triple]:
    """Every triple of a graph, or of every named graph of a dataset."""
    if isinstance(graph, ConjunctiveGraph):
        for s, p, o, _ in graph.quads((None, None, None, None)):
            yield s, p, o
    else:
        yield from graph


class _AboutData:
    """Whether a closure triple is new and about the data (see the module docstring)."""

    def __init__(self, asserted: set[Triple], background: set[Triple]) -> None:
        self.old = asserted | background
        self.known = _ontology_closure()
        terms: set[Node] = set()
        vocabulary: set[Node] = {s for s, _, _ in ontology()}
        for s, p, o in asserted:
            terms.add(s)
            vocabulary.add(p)
            if p == RDF.type:
                vocabulary.add(o)  # classes are vocabulary, not data
            elif not isinstance(o, Literal):
                terms.add(o)
        self.subjects = terms - vocabulary
        described = {s for s, p, _ in self.old if p != OWL.sameAs}
        self.aliases = {o for _, p, o in self.old if p == OWL.sameAs} - described

    def __call__(self, triple: Triple) -> bool:
        s, p, o = triple
        if s not in self.subjects or triple in self.old or triple in self.known or _trivial(triple):
            return False
        return p == OWL.sameAs or not (s in self.aliases or o in self.aliases)


def _trivial(triple: Triple) -> bool:
    """Axiomatic noise of the closure: ``x owl:sameAs x``, ``x a owl:Thing``, owlrl's error nodes."""
    s, p, o = triple
    if isinstance(s, Literal):
        return True
    if p == OWL.sameAs and s == o:
        return True
    if p == RDF.type and o in _TRIVIAL_TYPES:
        return True
    return p == OWLRL_ERROR.error or o == OWLRL_ERROR.ErrorMessage


def _contradictions(closure: Graph) -> list[str]:
    """Readable inconsistencies: owlrl's error messages and members of ``owl:Nothing``."""
    bind_prefixes(closure)
    lines = {_shorten(str(message), closure) for message in closure.objects(None, OWLRL_ERROR.error)}
    for node in closure.subjects(RDF.type, OWL.Nothing):
        lines.add(f"{_shorten(str(node), closure)} is a member of owl:Nothing (an unsatisfiable class)")
    return sorted(lines)


def _shorten(message: str, graph: Graph) -> str:
    """Write the IRIs of an owlrl message as prefixed names where a kg prefix applies."""

    def prefixed(match: re.Match[str]) -> str:
        return graph.namespace_manager.normalizeUri(URIRef(match.group(0)))

    return _IRI_IN_MESSAGE.sub(prefixed, message)
