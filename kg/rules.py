"""OWL 2 RL rules compiled against a closed ontology: the fast engine of :mod:`kg.reason`.

owlrl, the reference engine, closes the whole ontology again for every document
and matches every rule against every triple until nothing changes (about a
second for one report's graph). Here the ontology (plus any background facts) is
closed once, by owlrl; its axioms become lookup tables (:class:`Schema`), and a
document's triples are closed against them by semi-naive forward chaining
(:func:`close`): each new triple is matched once, and only the rules of the
OWL 2 RL profile (W3C OWL 2 Profiles, section 4.3) that kg's ontology can fire
are compiled:

* ``prp-dom``, ``prp-rng``, ``prp-spo1``, ``prp-eqp1/2`` (through the closed
  ``rdfs:subPropertyOf`` table), ``prp-trp``, ``prp-symp``, ``prp-inv1/2``;
* ``cax-sco``, ``cax-eqc1/2`` (through the closed ``rdfs:subClassOf`` table);
* ``eq-sym``, ``eq-trans``, ``eq-rep-s``, ``eq-rep-p``, ``eq-rep-o`` (``eq-ref``
  only adds ``x owl:sameAs x`` for every term, which kg never reports);
* the inconsistency checks ``cax-dw``, ``cls-nothing2`` and ill-typed literals
  (``dt-not-type``), reported as :attr:`Closure.inconsistent`.

An ontology using any other OWL construct raises :class:`Unsupported` when
compiled, and a document graph outside the fragment (schema triples in the data,
equality with an ontology term, ...) is reported by :func:`outside_fragment`;
:mod:`kg.reason` hands both to owlrl. tests/test_reason_fast_path.py checks that
both engines give the same inferred triples on every corpus graph.

rdflib compares two equal terms in Python, slowly; identical ones not at all.
So every term goes through an :class:`Interner` first and is compared by
identity afterwards (:data:`TYPE`, :data:`SAME`, :data:`NOTHING` are the
interned objects of ``rdf:type``, ``owl:sameAs`` and ``owl:Nothing``).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from owlrl.DatatypeHandling import AltXSDToPYTHON
from owlrl.XsdDatatypes import OWL_RL_Datatypes
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

Triple = tuple[Node, Node, Node]

TYPE, SAME, NOTHING = RDF.type, OWL.sameAs, OWL.Nothing
TRIVIAL_CLASSES = frozenset({OWL.Thing, RDFS.Resource, OWL.NamedIndividual})
"""Classes every individual belongs to: typing with them says nothing."""

_UNSUPPORTED_PREDICATES = frozenset({
    OWL.propertyChainAxiom, OWL.hasKey, OWL.someValuesFrom, OWL.allValuesFrom, OWL.hasValue,
    OWL.maxCardinality, OWL.maxQualifiedCardinality, OWL.cardinality, OWL.minCardinality,
    OWL.intersectionOf, OWL.unionOf, OWL.complementOf, OWL.oneOf, OWL.propertyDisjointWith,
    OWL.sourceIndividual, OWL.differentFrom, OWL.members, OWL.distinctMembers, OWL.onProperty,
    OWL.disjointUnionOf,
})
_UNSUPPORTED_TYPES = frozenset({
    OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.IrreflexiveProperty, OWL.AsymmetricProperty,
    OWL.AllDisjointClasses, OWL.AllDisjointProperties, OWL.AllDifferent, OWL.NegativePropertyAssertion,
})
_ANNOTATIONS = frozenset(str(p) for p in (RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy))
_RL_DATATYPES = frozenset(str(d) for d in OWL_RL_Datatypes)
_BUILT_IN = (str(RDF), str(RDFS), str(OWL))
_EMPTY: frozenset = frozenset()


class Unsupported(Exception):
    """The ontology uses an OWL construct the compiled rules do not cover (owlrl must do the work)."""


class Interner:
    """One object per IRI and blank node (literals are left as they are)."""

    def __init__(self, parent: Interner | None = None) -> None:
        self.parent = parent
        self.iris: dict[str, URIRef] = {} if parent else {str(t): t for t in (TYPE, SAME, NOTHING)}
        self.bnodes: dict[str, BNode] = {}

    def term(self, term: Node) -> Node:
        if isinstance(term, URIRef):
            key, table = str(term), "iris"
        elif isinstance(term, BNode):
            key, table = str(term), "bnodes"
        else:
            return term
        if self.parent is not None:
            found = getattr(self.parent, table).get(key)
            if found is not None:
                return found
        return getattr(self, table).setdefault(key, term)

    def triples(self, triples: Iterable[Triple]) -> Iterator[Triple]:
        one = self.term
        for s, p, o in triples:
            yield one(s), one(p), one(o)


def _built_in(term: Node) -> bool:
    return str(term).startswith(_BUILT_IN)


def _closed(table: dict[Node, set[Node]]) -> dict[Node, frozenset[Node]]:
    """Transitive closure of a relation given as node -> direct successors (the node itself left out)."""
    out: dict[Node, frozenset[Node]] = {}
    for start in table:
        seen: set[Node] = set()
        todo = list(table[start])
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(table.get(node, ()))
        seen.discard(start)
        out[start] = frozenset(seen)
    return out


@dataclass(frozen=True)
class Schema:
    """The axioms of a closed ontology, as the lookup tables the compiled rules read."""

    super_properties: dict[Node, frozenset[Node]]
    super_classes: dict[Node, frozenset[Node]]
    domains: dict[Node, frozenset[Node]]
    ranges: dict[Node, frozenset[Node]]
    transitive: frozenset[Node]
    symmetric: frozenset[Node]
    inverses: dict[Node, frozenset[Node]]
    disjoint: tuple[tuple[Node, Node], ...]
    terms: frozenset[Node]
    """Every term of the closed ontology (no data node may be made the same as one)."""

    @classmethod
    def compile(cls, closed: Iterable[Triple]) -> Schema:
        """Tables of an ontology already closed by owlrl (interned terms); Unsupported if it needs more rules."""
        sub_p: dict[Node, set[Node]] = defaultdict(set)
        sub_c: dict[Node, set[Node]] = defaultdict(set)
        dom: dict[Node, set[Node]] = defaultdict(set)
        rng: dict[Node, set[Node]] = defaultdict(set)
        inv: dict[Node, set[Node]] = defaultdict(set)
        transitive, symmetric, disjoint, terms = set(), set(), [], set()
        for s, p, o in closed:
            terms.update((s, p, o))
            if p in _UNSUPPORTED_PREDICATES or (p == RDF.type and o in _UNSUPPORTED_TYPES):
                raise Unsupported(f"the ontology uses {o if p == RDF.type else p}")
            if p == OWL.sameAs and s != o:
                raise Unsupported(f"the ontology makes {s} and {o} the same")
            if p == RDFS.subPropertyOf and s != o:
                sub_p[s].add(o)
            elif p == RDFS.subClassOf and s != o:
                sub_c[s].add(o)
            elif p == RDFS.domain:
                dom[s].add(o)
            elif p == RDFS.range:
                rng[s].add(o)
            elif p == OWL.inverseOf:
                inv[s].add(o)
                inv[o].add(s)
            elif p == OWL.disjointWith:
                disjoint.append((s, o))
            elif p == RDF.type and o == OWL.TransitiveProperty:
                transitive.add(s)
            elif p == RDF.type and o == OWL.SymmetricProperty:
                symmetric.add(s)
        schema = cls(
            super_properties=_closed(sub_p), super_classes=_closed(sub_c),
            domains={p: frozenset(cs) for p, cs in dom.items()}, ranges={p: frozenset(cs) for p, cs in rng.items()},
            transitive=frozenset(transitive), symmetric=frozenset(symmetric),
            inverses={p: frozenset(qs) for p, qs in inv.items()}, disjoint=tuple(disjoint), terms=frozenset(terms),
        )
        schema._check_equality_axioms()
        return schema

    def _check_equality_axioms(self) -> None:
        """owlrl gives every term ``x owl:sameAs x`` (eq-ref) and the rules skip that; and they treat equality
        apart. Both are exact only while owl:sameAs has no axiom of its own and no property entails it."""
        if (self.super_properties.get(SAME) or self.inverses.get(SAME) or SAME in self.transitive
                or SAME in self.symmetric or (self.domains.get(SAME, _EMPTY) | self.ranges.get(SAME, _EMPTY))
                - TRIVIAL_CLASSES):
            raise Unsupported("the ontology gives owl:sameAs axioms of its own")
        if any(SAME in supers for supers in self.super_properties.values()) or any(
                SAME in inverses for inverses in self.inverses.values()):
            raise Unsupported("a property of the ontology entails owl:sameAs")


class _Plan:
    """What the rules do with a triple of one predicate (worked out once per predicate)."""

    __slots__ = ("super_properties", "domains", "ranges", "inverses", "symmetric", "transitive", "typing",
                 "equality", "idle", "joined")

    def __init__(self, p: Node, schema: Schema) -> None:
        self.super_properties = schema.super_properties.get(p, _EMPTY)
        self.domains = schema.domains.get(p, _EMPTY)
        self.ranges = schema.ranges.get(p, _EMPTY)
        self.inverses = schema.inverses.get(p, _EMPTY)
        self.symmetric = p in schema.symmetric
        self.transitive = p in schema.transitive
        self.typing = p is TYPE
        self.equality = p is SAME
        self.idle = not (self.super_properties or self.domains or self.ranges or self.inverses or self.symmetric
                         or self.transitive or self.typing or self.equality)
        """No rule reads a triple of this predicate (unless equality touches its nodes)."""
        self.joined = self.transitive or self.equality or self.typing
        """Triples of this predicate are looked up by subject or object (prp-trp, eq-trans, cax-dw)."""


class _Index:
    """Triples indexed for the joins of the compiled rules."""

    def __init__(self) -> None:
        self.triples: set[Triple] = set()
        self.by_sp: dict[tuple[Node, Node], set[Node]] = defaultdict(set)
        self.by_po: dict[tuple[Node, Node], set[Node]] = defaultdict(set)
        self.by_s: dict[Node, set[tuple[Node, Node]]] = defaultdict(set)
        self.by_o: dict[Node, set[tuple[Node, Node]]] = defaultdict(set)
        self.by_p: dict[Node, set[tuple[Node, Node]]] = defaultdict(set)

    def add(self, triple: Triple) -> None:
        s, p, o = triple
        self.triples.add(triple)
        self.by_sp[s, p].add(o)
        self.by_po[p, o].add(s)
        self.by_s[s].add((p, o))
        self.by_o[o].add((s, p))
        self.by_p[p].add((s, o))


def _equal_nodes(triples: Iterable[Triple]) -> set[Node]:
    """Nodes of an owl:sameAs triple between two different nodes.

    Only they can take part in the eq-* rules: no property of a compiled schema
    entails owl:sameAs, and eq-rep never makes a node the same as a new one.
    """
    nodes: set[Node] = set()
    for s, p, o in triples:
        if p is SAME and s is not o:
            nodes.update((s, o))
    return nodes


class Background:
    """The closed ontology plus closed background facts, interned and indexed once for every document."""

    def __init__(self, schema_triples: Iterable[Triple], closed: Iterable[Triple]) -> None:
        self.interner = Interner()
        self.ontology = frozenset(self.interner.triples(schema_triples))
        """The closed ontology's triples (interned)."""
        self.schema = Schema.compile(self.ontology)
        self.index = _Index()
        for triple in self.interner.triples(closed):
            self.index.add(triple)
        self.equal = frozenset(_equal_nodes(self.index.triples))
        self._plans: dict[Node, _Plan] = {}

    def interned(self, triples: Iterable[Triple]) -> set[Triple]:
        """``triples`` made of the background's term objects (new terms: one object each)."""
        return set(Interner(self.interner).triples(triples))

    def has_term(self, term: Node) -> bool:
        """Whether the background (ontology included) names ``term``."""
        return (self.interner.iris if type(term) is URIRef else self.interner.bnodes).get(str(term)) is term

    def plan(self, p: Node) -> _Plan:
        """The rules a triple with predicate ``p`` triggers."""
        plan = self._plans.get(p)
        if plan is None:
            plan = self._plans[p] = _Plan(p, self.schema)
        return plan


class _Known:
    """The background's index under the document's: reads see both, writes go to the document's.

    The document's index keeps only what later joins read: ``(s, p)``/``(p, o)``
    keys for transitive properties, rdf:type and owl:sameAs, and, for the nodes
    that equality can touch, every triple by subject, predicate and object.
    """

    def __init__(self, background: Background, equal: set[Node]) -> None:
        self.bottom, self.top = background.index, _Index()
        self.equal = equal

    def __contains__(self, triple: Triple) -> bool:
        return triple in self.top.triples or triple in self.bottom.triples

    def add(self, triple: Triple, plan: _Plan) -> None:
        s, p, o = triple
        top = self.top
        top.triples.add(triple)
        if plan.joined:
            top.by_sp[s, p].add(o)
            top.by_po[p, o].add(s)
        if self.equal:
            if s in self.equal:
                top.by_s[s].add((p, o))
            if o in self.equal:
                top.by_o[o].add((s, p))
            if p in self.equal:
                top.by_p[p].add((s, o))

    @staticmethod
    def _both(key, top: dict, bottom: dict) -> set | frozenset:
        a, b = top.get(key), bottom.get(key)
        if a and b:
            return a | b
        return a or b or _EMPTY

    def objects(self, s: Node, p: Node) -> set[Node]:
        return self._both((s, p), self.top.by_sp, self.bottom.by_sp)

    def subjects(self, p: Node, o: Node) -> set[Node]:
        return self._both((p, o), self.top.by_po, self.bottom.by_po)

    def about(self, s: Node) -> set[tuple[Node, Node]]:
        return self._both(s, self.top.by_s, self.bottom.by_s)

    def pointing_to(self, o: Node) -> set[tuple[Node, Node]]:
        return self._both(o, self.top.by_o, self.bottom.by_o)

    def using(self, p: Node) -> set[tuple[Node, Node]]:
        return self._both(p, self.top.by_p, self.bottom.by_p)


@dataclass(frozen=True)
class Closure:
    """What the compiled rules derive from one document's triples over a background."""

    derived: set[Triple]
    """Triples entailed by data + background and in neither (``x owl:sameAs x`` only for equal nodes)."""
    inconsistent: bool
    """cax-dw, cls-nothing2 or dt-not-type fired: the reference engine must word the contradictions."""


def outside_fragment(data: Iterable[Triple], background: Background) -> str | None:
    """Why a document graph (interned) needs owlrl (schema triples, equality with ontology terms...), or None."""
    verdicts: dict[Node, bool] = {}
    for s, p, o in data:
        built_in = verdicts.get(p)
        if built_in is None:
            if type(p) is not URIRef:
                return f"generalised triple {s} {p} {o}"
            built_in = verdicts[p] = _built_in(p)
        if type(s) is Literal:
            return f"generalised triple {s} {p} {o}"
        if not built_in:
            continue
        if p is SAME:
            terms = background.schema.terms
            if s in terms or o in terms or _built_in(s) or _built_in(o):
                return f"owl:sameAs with an ontology term: {s} {o}"
        elif p is TYPE:
            if _built_in(o):
                return f"typed with a built-in class: {s} a {o}"
        elif str(p) not in _ANNOTATIONS:
            return f"schema triple in the data: {s} {p} {o}"
    return None


def close(data: set[Triple], background: Background) -> Closure:
    """Semi-naive closure of ``data`` (interned) over ``background`` (see the module docstring for the rules).

    When owl:sameAs only joins nodes of the document (the usual case: a place
    and its GeoNames and Wikidata ids), the rules run on the quotient graph, one
    node per class of equal nodes, and the closure is expanded onto every member
    afterwards: that is what eq-rep-s/p/o derive, at a fraction of the joins.
    """
    equal = _equal_nodes(data)
    if background.equal or any(background.has_term(n) for n in equal) or any(p in equal for _, p, _ in data):
        return _close_with_equality(data, background, equal | background.equal)
    classes = _classes(t for t in data if t[1] is SAME and t[0] is not t[2])
    rep = {node: members[0] for members in classes for node in members}
    plan_of = background.plan
    active, passive = [], []
    for s, p, o in data:
        plan = plan_of(p)
        if plan.equality:
            continue
        if not plan.idle:
            active.append((rep.get(s, s), p, rep.get(o, o)))
        elif s in rep or o in rep:
            passive.append((rep.get(s, s), p, rep.get(o, o)))
    known, derived = _saturate(active, background, set())
    members = {members[0]: members for members in classes}
    found: set[Triple] = set()
    for s, p, o in (*active, *passive, *(t for t in derived if t in known.top.triples)):
        for a in members.get(s, (s,)):
            for b in members.get(o, (o,)):
                found.add((a, p, b))
    for group in classes:  # eq-sym, eq-trans (and x owl:sameAs x, as eq-trans gives it too)
        found.update((a, SAME, b) for a in group for b in group)
    found.difference_update(data)
    return Closure(derived=found, inconsistent=_inconsistent(known, data, background.schema))


def _close_with_equality(data: set[Triple], background: Background, equal: set[Node]) -> Closure:
    """The closure with the eq-* rules applied triple by triple (equality reaching the background)."""
    plan_of = background.plan
    # a triple no rule reads (no axiom on its predicate, no equality on its nodes) is left out of the work
    todo = [t for t in data if not plan_of(t[1]).idle or (equal and (t[0] in equal or t[1] in equal or t[2] in equal))]
    known, derived = _saturate(todo, background, equal)
    found = {t for t in derived if t in known.top.triples and t not in data}
    return Closure(derived=found, inconsistent=_inconsistent(known, data, background.schema))


def _saturate(todo: list[Triple], background: Background, equal: set[Node]) -> tuple[_Known, list[Triple]]:
    """Apply the rules until nothing is new; the known triples and every triple derived on the way."""
    plan_of, schema = background.plan, background.schema
    known = _Known(background, equal)
    derived: list[Triple] = []
    while todo:
        new: list[Triple] = []
        for triple in todo:
            if triple in known:
                continue
            plan = plan_of(triple[1])
            known.add(triple, plan)
            _consequences(triple, plan, schema, known, new)
        todo = new
        derived.extend(new)
    return known, derived


def _classes(same_as: Iterable[Triple]) -> list[list[Node]]:
    """Classes of nodes made equal by owl:sameAs triples (eq-sym, eq-trans), each sorted, smallest first."""
    links: dict[Node, set[Node]] = defaultdict(set)
    for s, _, o in same_as:
        links[s].add(o)
        links[o].add(s)
    seen: set[Node] = set()
    classes = []
    for start in links:
        if start in seen:
            continue
        group, todo = [], [start]
        seen.add(start)
        while todo:
            node = todo.pop()
            group.append(node)
            for other in links[node] - seen:
                seen.add(other)
                todo.append(other)
        classes.append(sorted(group, key=lambda n: (type(n).__name__, str(n))))
    return classes


def _consequences(triple: Triple, plan: _Plan, schema: Schema, known: _Known, out: list[Triple]) -> None:
    """Append every triple one rule application derives with ``triple`` as one of its premises."""
    s, p, o = triple
    if plan.super_properties:  # prp-spo1, prp-eqp1/2
        out.extend((s, q, o) for q in plan.super_properties)
    if plan.domains:  # prp-dom
        out.extend((s, TYPE, c) for c in plan.domains)
    if plan.ranges:  # prp-rng
        out.extend((o, TYPE, c) for c in plan.ranges)
    if plan.inverses:  # prp-inv1/2
        out.extend((o, q, s) for q in plan.inverses)
    if plan.symmetric:  # prp-symp
        out.append((o, p, s))
    if plan.transitive:  # prp-trp, the new triple first or second
        out.extend((s, p, z) for z in known.objects(o, p))
        out.extend((w, p, o) for w in known.subjects(p, s))
    if plan.typing:  # cax-sco, cax-eqc1/2
        out.extend((s, TYPE, c) for c in schema.super_classes.get(o, _EMPTY))
    equal = known.equal
    if not equal:
        return
    if plan.equality and s is not o:
        out.append((o, SAME, s))  # eq-sym
        out.extend((s, SAME, z) for z in known.objects(o, SAME))  # eq-trans
        out.extend((w, SAME, o) for w in known.subjects(SAME, s))
        out.extend((o, pp, oo) for pp, oo in known.about(s))  # eq-rep-s
        out.extend((ss, o, oo) for ss, oo in known.using(s))  # eq-rep-p
        out.extend((ss, pp, s) for ss, pp in known.pointing_to(o))  # eq-rep-o
    # eq-rep-s/p/o with the owl:sameAs premise already known
    if s in equal:
        out.extend((alias, p, o) for alias in known.objects(s, SAME))
    if p in equal:
        out.extend((s, alias, o) for alias in known.objects(p, SAME))
    if o in equal:
        out.extend((s, p, alias) for alias in known.subjects(SAME, o))


def _inconsistent(known: _Known, data: set[Triple], schema: Schema) -> bool:
    """cax-dw or cls-nothing2 on the closure, or an ill-typed literal of an OWL 2 RL datatype."""
    if known.subjects(TYPE, NOTHING):
        return True
    for c1, c2 in schema.disjoint:
        if known.subjects(TYPE, c1) & known.subjects(TYPE, c2):
            return True
    for _, _, o in data:  # closing adds no literal the data does not hold
        if type(o) is Literal and o.datatype is not None and str(o.datatype) in _RL_DATATYPES \
                and not _well_typed(o):
            return True
    return False


def _well_typed(literal: Literal) -> bool:
    """owlrl's dt-not-type test: the lexical form maps to the datatype's value space."""
    converter = AltXSDToPYTHON.get(literal.datatype)
    if converter is None:
        return True
    try:
        converter(str(literal))
    except ValueError:
        return False
    return True
