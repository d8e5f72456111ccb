"""OWL 2 RL closure of an asserted graph, kept apart from it (docs/graph-model.md, "Named graphs").

The closure is computed over asserted + ontology (+ background); the caller's
graph is never touched. What comes back is only what the closure adds about the
data: ``kg:attacker`` gives ``sem:hasActor``, ``kg:locatedIn`` chains close,
``org:subOrganizationOf`` chains give ``kg:withinOrganization``, and so on.
Inconsistencies that owlrl detects (an individual of two disjoint classes, a
member of ``owl:Nothing``, an ill-typed literal) are reported as readable lines.

Two engines compute the same closure. ``owlrl`` is the reference: owlrl's
``OWLRL_Semantics`` on a copy of everything, about a second per report. The
default, ``compiled`` (:mod:`kg.rules`), closes the ontology and the background
once and applies only the rules kg's ontology can fire to each document; a
document it cannot handle exactly (schema triples in the data, a contradiction
to word) goes to owlrl. tests/test_reason_fast_path.py checks that both give the
same inferred triples on every corpus graph.

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
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import owlrl
from rdflib import ConjunctiveGraph, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF
from rdflib.term import Node

from kg import rules
from kg.rdf.namespaces import bind_prefixes, new_graph
from kg.resources import ontology_files

log = logging.getLogger(__name__)

ENGINES = ("compiled", "owlrl")
"""``compiled``: kg.rules over a pre-closed background (default); ``owlrl``: the reference engine."""

OWLRL_ERROR = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")
"""Namespace of the ``err:ErrorMessage`` nodes owlrl adds for each inconsistency."""

_IRI_IN_MESSAGE = re.compile(r"https?://[^\s,()'\"<>]+")

Triple = tuple[Node, Node, Node]
_ERROR_IRI, _ERROR_MESSAGE_IRI = str(OWLRL_ERROR.error), str(OWLRL_ERROR.ErrorMessage)


@dataclass(frozen=True)
class InferenceResult:
    """What the OWL-RL closure adds to one asserted graph."""

    inferred: Graph
    """Triples entailed about the data and not asserted (goes to ``{base}graph/…/inferred``)."""
    contradictions: list[str]
    """One readable line per inconsistency owlrl found; empty when the data is consistent."""
    engine: str = "owlrl"
    """The engine that computed this closure (``compiled`` or ``owlrl``)."""

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


@functools.cache
def _ontology_terms() -> frozenset[Node]:
    """Subjects of the ontology's triples: vocabulary, never data."""
    return frozenset(s for s, _, _ in ontology())


class Reasoner:
    """Closes document graphs against the ontology and a background, both closed once.

    ``background`` holds facts the data may rely on (e.g. a gazetteer's place
    hierarchy, other documents' actors); what the closure says only about
    background nodes is left out of each document's inferred graph.
    """

    def __init__(self, background: Graph | None = None, *, engine: str = "compiled") -> None:
        if engine not in ENGINES:
            raise ValueError(f"unknown reasoning engine {engine!r}; expected one of {', '.join(ENGINES)}")
        self.engine = engine
        self.background = frozenset(_triples(background)) if background is not None else frozenset()
        self.used: Counter[str] = Counter()
        """Documents closed by each engine (a ``compiled`` reasoner hands some to owlrl)."""
        self._compiled: rules.Background | None = None
        if engine == "compiled":
            self._compiled = self._compile()
        if self._compiled is not None:
            self._background_terms = self._compiled.interned(self.background)
            self._vocabulary = frozenset(self._compiled.interner.term(t) for t in _ontology_terms())

    def _compile(self) -> rules.Background | None:
        """The background closed by owlrl and indexed for kg.rules, or None when owlrl must do all the work."""
        try:
            if not self.background:
                return _compiled_ontology()
            work = _closure_of(self.background)
            if _contradictions(work):
                log.warning("the background is inconsistent: reasoning with owlrl only")
                return None
            return rules.Background(_ontology_closure(), work)
        except rules.Unsupported as why:
            log.warning("reasoning with owlrl only: %s", why)
            return None

    def infer(self, asserted: Graph) -> InferenceResult:
        """The closure of ``asserted`` (a graph, or a dataset: all its named graphs are read)."""
        compiled = self._compiled
        if compiled is not None:
            data = compiled.interned(_triples(asserted))
            why = rules.outside_fragment(data, compiled)
            if why is None:
                closure = rules.close(data, compiled)
                if not closure.inconsistent:
                    self.used["compiled"] += 1
                    return self._compiled_result(data, closure)
                why = "a contradiction"
            log.debug("closing with owlrl: %s", why)
        self.used["owlrl"] += 1
        return _owlrl_infer(set(_triples(asserted)), self.background)

    def _compiled_result(self, data: set[Triple], closure: rules.Closure) -> InferenceResult:
        compiled = self._compiled
        about_data = _AboutData(data, self._background_terms, compiled.ontology, self._vocabulary)
        candidates: Iterable[Triple] = closure.derived
        if self.background:  # the background's own closure, about the document's nodes
            index = compiled.index.by_s
            candidates = [*closure.derived, *((s, p, o) for s in about_data.subjects for p, o in index.get(s, ()))]
        inferred = new_graph()
        for triple in candidates:
            if about_data(triple):
                inferred.add(triple)
        log.debug("inferred %d triples from %d asserted (compiled rules)", len(inferred), len(data))
        return InferenceResult(inferred=inferred, contradictions=[], engine="compiled")


@functools.cache
def _compiled_ontology() -> rules.Background:
    """The ontology's closure indexed for kg.rules (the background of a reasoner without background facts)."""
    return rules.Background(_ontology_closure(), _ontology_closure())


@functools.cache
def _default_reasoner(engine: str) -> Reasoner:
    return Reasoner(engine=engine)


def infer(asserted: Graph, background: Graph | None = None, *, engine: str = "compiled") -> InferenceResult:
    """The OWL 2 RL closure of ``asserted`` + ontology (+ ``background``), with ``engine`` (see :data:`ENGINES`).

    ``asserted`` may be a plain graph or a dataset (all its named graphs are read).
    To close many documents over one background, build one :class:`Reasoner`.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown reasoning engine {engine!r}; expected one of {', '.join(ENGINES)}")
    reasoner = _default_reasoner(engine) if background is None else Reasoner(background, engine=engine)
    return reasoner.infer(asserted)


def _closure_of(triples: Iterable[Triple]) -> Graph:
    """owlrl ``OWLRL_Semantics`` on the ontology's closure plus ``triples`` (a new graph)."""
    work = Graph()
    for triple in _ontology_closure():
        work.add(triple)
    for triple in triples:
        work.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(work)
    return work


def _owlrl_infer(asserted_triples: set[Triple], background_triples: frozenset[Triple]) -> InferenceResult:
    """The reference engine: owlrl on a copy of ontology closure + asserted + background."""
    work = _closure_of(asserted_triples | background_triples)
    contradictions = _contradictions(work)
    interner = rules.Interner()
    about_data = _AboutData(set(interner.triples(asserted_triples)), set(interner.triples(background_triples)),
                            _ontology_closure(), _ontology_terms())
    inferred = new_graph()
    for triple in interner.triples(work):
        if about_data(triple):
            inferred.add(triple)
    log.debug("inferred %d triples from %d asserted; %d contradictions",
              len(inferred), len(asserted_triples), len(contradictions))
    return InferenceResult(inferred=inferred, contradictions=contradictions, engine="owlrl")


def _triples(graph: Graph) -> Iterator[Triple]:
    """Every triple of a graph, or of every named graph of a dataset."""
    if isinstance(graph, ConjunctiveGraph):
        for s, p, o, _ in graph.quads((None, None, None, None)):
            yield s, p, o
    else:
        yield from graph


class _AboutData:
    """Whether a closure triple is new and about the data (see the module docstring); triples interned."""

    def __init__(self, asserted: set[Triple], background: Iterable[Triple], known: frozenset[Triple],
                 vocabulary: frozenset[Node]) -> None:
        self.asserted, self.background, self.known = asserted, background, known
        terms: set[Node] = set()
        predicates: set[Node] = set()
        for s, p, o in asserted:
            terms.add(s)
            predicates.add(p)
            if p is rules.TYPE:
                predicates.add(o)  # classes are vocabulary, not data
            elif type(o) is not Literal:
                terms.add(o)
        self.subjects = terms - predicates - vocabulary
        described = {s for s, p, _ in asserted if p is not rules.SAME} | \
            {s for s, p, _ in background if p is not rules.SAME}
        self.aliases = ({o for _, p, o in asserted if p is rules.SAME}
                        | {o for _, p, o in background if p is rules.SAME}) - described

    def __call__(self, triple: Triple) -> bool:
        s, p, o = triple
        if s not in self.subjects:
            return False
        if p is not rules.SAME and (s in self.aliases or o in self.aliases):
            return False
        return not (_trivial(triple) or triple in self.asserted or triple in self.background or triple in self.known)


def _trivial(triple: Triple) -> bool:
    """Axiomatic noise of the closure: ``x owl:sameAs x``, ``x a owl:Thing``, owlrl's error nodes (interned)."""
    s, p, o = triple
    if type(s) is Literal:
        return True
    if p is rules.SAME and s is o:
        return True
    if p is rules.TYPE and o in rules.TRIVIAL_CLASSES:
        return True
    return str(p) == _ERROR_IRI or str(o) == _ERROR_MESSAGE_IRI


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
