"""SHACL Core checks compiled from the shapes graph: the fast path of :mod:`kg.validate`.

pySHACL, the reference, reads the shapes again for every data graph, walks
them through generic constraint objects and parses a SPARQL-based constraint
again for every focus node (seconds for one report's graph). Here the shapes
graph is read once into small checks (:class:`Shapes`) that say which shapes may
fail on which focus nodes (:meth:`Shapes.suspects`); kg.validate then has
pySHACL check only those, so a conforming graph costs milliseconds and a failing
one still gets pySHACL's own results.

Each check follows the pySHACL constraint component of the same name
(pyshacl/constraints/core), on predicate paths only. A check answers True,
False, or None when it cannot be sure (a comparison pySHACL would raise on, a
SPARQL filter on values it does not model); None counts as a possible failure,
so a graph is only ever passed when pySHACL would pass it too. A shapes graph
using anything else (complex paths, sh:closed, severities, SHACL-AF ...)
raises :class:`Unsupported`, and kg.validate leaves every graph to pySHACL.
tests/test_reason_fast_path.py compares both on the corpus and the shape cases.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from pyshacl.rdfutil.compare import compare_literal
from rdflib import BNode, ConjunctiveGraph, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from kg import sparql_filter

Check = Callable[[Node, "list[Node]", "_Data"], "bool | None"]

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf)
_IGNORED = frozenset({SH.message, SH.name, SH.description, SH.order, SH.group, SH.defaultValue, SH.path,
                      SH.qualifiedMinCount, SH.qualifiedMaxCount, RDF.type, RDFS.label, RDFS.comment,
                      SH.prefixes, SH.declare, *_TARGETS})
_NODE_KINDS = {
    SH.IRI: (URIRef,), SH.BlankNode: (BNode,), SH.Literal: (Literal,), SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal), SH.IRIOrLiteral: (URIRef, Literal),
}
_TYPE, _SUBCLASS = RDF.type, RDFS.subClassOf  # rdflib namespace attributes are slow to read
_STRING, _LANG_STRING, _LITERAL, _DATATYPE = XSD.string, RDF.langString, RDFS.Literal, RDFS.Datatype
_PYTHON_TYPES = {XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
                 XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date, XSD.time: time, XSD.dateTime: datetime}


class Unsupported(Exception):
    """The shapes use SHACL the compiled checks do not cover (pySHACL must check every graph)."""


def _all(answers: Iterable[bool | None]) -> bool | None:
    """Three-valued AND: False if any answer is False, else None if any is unsure, else True."""
    result: bool | None = True
    for answer in answers:
        if answer is False:
            return False
        if answer is None:
            result = None
    return result


class _Data:
    """A data graph indexed for the checks (a dataset is read as the union of its graphs, as pySHACL does)."""

    def __init__(self, graph: Graph) -> None:
        self.out: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
        self.by_predicate: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
        triples = ((s, p, o) for s, p, o, _ in graph.quads()) if isinstance(graph, ConjunctiveGraph) else graph
        for s, p, o in triples:
            self.out[s][p].add(o)
            self.by_predicate[p].append((s, o))
        self.sparql_answers: dict[int, dict[Node, bool | None]] = {}
        self.answers: dict[int, dict[Node, bool | None]] = {}
        """id of a compiled shape -> focus node -> its answer (shapes nest: a node is checked once per shape)."""
        self._superclasses: dict[Node, set[Node]] = {}
        self._instances: dict[Node, set[Node]] | None = None

    def objects(self, s: Node, p: Node) -> set[Node]:
        found = self.out.get(s)
        return found.get(p, set()) if found is not None else set()

    def classes_of(self, node: Node) -> set[Node]:
        """rdf:type values of ``node`` and their rdfs:subClassOf* superclasses in the data graph."""
        classes: set[Node] = set()
        for cls in self.objects(node, _TYPE):
            closure = self._superclasses.get(cls)
            if closure is None:
                closure, todo = set(), [cls]
                while todo:
                    c = todo.pop()
                    if c not in closure:
                        closure.add(c)
                        todo.extend(self.objects(c, _SUBCLASS))
                self._superclasses[cls] = closure
            classes |= closure
        return classes

    def instances_of(self, cls: Node) -> set[Node]:
        """SHACL instances of ``cls`` (rdf:type/rdfs:subClassOf*)."""
        if self._instances is None:
            self._instances = defaultdict(set)
            for s, _ in self.by_predicate.get(_TYPE, ()):
                for c in self.classes_of(s):
                    self._instances[c].add(s)
        return self._instances.get(cls, set())


@dataclass
class _Shape:
    """One compiled shape: its path (None for a node shape) and its checks."""

    node: Node
    path: URIRef | None
    checks: list[Check] = field(default_factory=list)
    targets: list[Callable[[_Data], set[Node]]] = field(default_factory=list)

    def conforms(self, focus: Node, data: _Data) -> bool | None:
        answers = data.answers.setdefault(id(self), {})
        if focus in answers:
            return answers[focus]
        values = [focus] if self.path is None else list(data.objects(focus, self.path))
        answer = answers[focus] = _all(check(focus, values, data) for check in self.checks)
        return answer

    def focus_nodes(self, data: _Data) -> set[Node]:
        found: set[Node] = set()
        for target in self.targets:
            found |= target(data)
        return found


class Shapes:
    """A shapes graph compiled into checks; :meth:`suspects` runs them on a data graph."""

    def __init__(self, shapes_graph: Graph) -> None:
        self.graph = shapes_graph
        self._compiled: dict[Node, _Shape] = {}
        targeted = {s for t in _TARGETS for s in shapes_graph.subjects(t)}
        for node in shapes_graph.subjects(_TYPE, None):
            if ((node, _TYPE, RDFS.Class) in shapes_graph or (node, _TYPE, OWL.Class) in shapes_graph) \
                    and (node, _TYPE, SH.NodeShape) in shapes_graph:
                raise Unsupported(f"implicit class target on {node}")
        self.roots = [self._shape(node) for node in sorted(targeted, key=str)]

    def suspects(self, graph: Graph) -> dict[Node, list[Node]]:
        """Shapes with targets -> the focus nodes that may not conform (empty: the graph conforms)."""
        data = _Data(graph)
        out: dict[Node, list[Node]] = {}
        for shape in self.roots:
            failing = [f for f in shape.focus_nodes(data) if shape.conforms(f, data) is not True]
            if failing:
                out[shape.node] = sorted(failing, key=str)
        return out

    # -- compiling ---------------------------------------------------------------------------------

    def _shape(self, node: Node) -> _Shape:
        if node in self._compiled:
            return self._compiled[node]
        g = self.graph
        paths = list(g.objects(node, SH.path))
        if len(paths) > 1 or (paths and not isinstance(paths[0], URIRef)):
            raise Unsupported(f"{node}: only a single predicate path is supported")
        shape = self._compiled[node] = _Shape(node, paths[0] if paths else None)
        shape.targets = [self._target(p, o) for p, o in g.predicate_objects(node) if p in _TARGETS]
        for p, o in sorted(g.predicate_objects(node), key=lambda po: (str(po[0]), str(po[1]))):
            if p in _IGNORED or not str(p).startswith(str(SH)):
                continue
            compile_ = getattr(self, "_" + str(p)[len(str(SH)):], None)
            if compile_ is None:
                raise Unsupported(f"{node}: sh:{str(p)[len(str(SH)):]} is not supported")
            check = compile_(node, o)
            if check is not None:
                shape.checks.append(check)
        return shape

    def _target(self, p: Node, o: Node) -> Callable[[_Data], set[Node]]:
        if p == SH.targetClass:
            return lambda data: data.instances_of(o)
        if p == SH.targetNode:
            return lambda data: {o}
        if p == SH.targetObjectsOf:
            return lambda data: {obj for _, obj in data.by_predicate.get(o, ())}
        return lambda data: {s for s, _ in data.by_predicate.get(o, ())}

    def _list(self, head: Node) -> list[Node]:
        return list(self.graph.items(head))

    def _int(self, node: Node, value: Node) -> int:
        if not isinstance(value, Literal) or not isinstance(value.value, int):
            raise Unsupported(f"{node}: expected an integer, got {value!r}")
        return value.value

    # value type
    def _class(self, node: Node, cls: Node) -> Check:
        return lambda f, values, data: all(not isinstance(v, Literal) and cls in data.classes_of(v) for v in values)

    def _datatype(self, node: Node, datatype: Node) -> Check:
        return lambda f, values, data: all(_has_datatype(v, datatype) for v in values)

    def _nodeKind(self, node: Node, kind: Node) -> Check:  # noqa: N802 - named after sh:nodeKind
        if kind not in _NODE_KINDS:
            raise Unsupported(f"{node}: unknown sh:nodeKind {kind}")
        kinds = _NODE_KINDS[kind]
        return lambda f, values, data: all(isinstance(v, kinds) for v in values)

    # cardinality
    def _minCount(self, node: Node, n: Node) -> Check:  # noqa: N802
        least = self._int(node, n)
        return lambda f, values, data: len(values) >= least

    def _maxCount(self, node: Node, n: Node) -> Check:  # noqa: N802
        most = self._int(node, n)
        return lambda f, values, data: len(values) <= most

    # values and strings
    def _in(self, node: Node, head: Node) -> Check:
        allowed = set(self._list(head))
        return lambda f, values, data: all(v in allowed for v in values)

    def _hasValue(self, node: Node, value: Node) -> Check:  # noqa: N802
        return lambda f, values, data: value in values

    def _pattern(self, node: Node, pattern: Node) -> Check:
        if (node, SH.flags, None) in self.graph:
            raise Unsupported(f"{node}: sh:flags is not supported")
        regex = re.compile(str(pattern))
        return lambda f, values, data: all(
            not isinstance(v, BNode) and bool(regex.match(_string(v)) or regex.search(_string(v))) for v in values)

    def _minLength(self, node: Node, n: Node) -> Check:  # noqa: N802
        least = self._int(node, n)
        return lambda f, values, data: all(least == 0 or (not isinstance(v, BNode) and len(_string(v)) >= least)
                                           for v in values)

    def _maxLength(self, node: Node, n: Node) -> Check:  # noqa: N802
        most = self._int(node, n)
        return lambda f, values, data: all(not isinstance(v, BNode) and len(_string(v)) <= most for v in values)

    def _languageIn(self, node: Node, head: Node) -> Check:  # noqa: N802
        langs = {str(lang.value).lower() for lang in self._list(head)}
        return lambda f, values, data: all(_language_in(v, langs) for v in values)

    def _uniqueLang(self, node: Node, flag: Node) -> Check | None:  # noqa: N802
        if not (isinstance(flag, Literal) and flag.value is True):
            return None

        def unique(f: Node, values: list[Node], data: _Data) -> bool:
            langs = [str(v.language).lower() for v in values if isinstance(v, Literal) and v.language]
            return len(langs) == len(set(langs))
        return unique

    # value ranges and property pairs
    def _minInclusive(self, node: Node, bound: Node) -> Check:  # noqa: N802
        return self._range(bound, lambda cmp: cmp >= 0)

    def _maxInclusive(self, node: Node, bound: Node) -> Check:  # noqa: N802
        return self._range(bound, lambda cmp: cmp <= 0)

    def _minExclusive(self, node: Node, bound: Node) -> Check:  # noqa: N802
        return self._range(bound, lambda cmp: cmp > 0)

    def _maxExclusive(self, node: Node, bound: Node) -> Check:  # noqa: N802
        return self._range(bound, lambda cmp: cmp < 0)

    @staticmethod
    def _range(bound: Node, ok: Callable[[int], bool]) -> Check:
        if not isinstance(bound, Literal):
            raise Unsupported(f"range bound {bound!r} is not a literal")
        return lambda f, values, data: _all(_in_range(v, bound, ok) for v in values)

    def _lessThanOrEquals(self, node: Node, other: Node) -> Check:  # noqa: N802
        if not isinstance(other, URIRef):
            raise Unsupported(f"{node}: sh:lessThanOrEquals needs an IRI")
        return lambda f, values, data: _all(_less_or_equal(v, c) for v in values for c in data.objects(f, other))

    # shapes in shapes
    def _property(self, node: Node, prop: Node) -> Check:
        shape = self._shape(prop)
        return lambda f, values, data: _all(shape.conforms(v, data) for v in values)

    def _node(self, node: Node, other: Node) -> Check:
        shape = self._shape(other)
        return lambda f, values, data: _all(shape.conforms(v, data) for v in values)

    def _not(self, node: Node, other: Node) -> Check:
        shape = self._shape(other)

        def negated(f: Node, values: list[Node], data: _Data) -> bool | None:
            answers = [shape.conforms(v, data) for v in values]
            return None if None in answers else not any(answers)
        return negated

    def _and(self, node: Node, head: Node) -> Check:
        members = [self._shape(m) for m in self._list(head)]
        return lambda f, values, data: _all(m.conforms(v, data) for v in values for m in members)

    def _or(self, node: Node, head: Node) -> Check:
        return self._counting(head, lambda n: n >= 1)

    def _xone(self, node: Node, head: Node) -> Check:
        return self._counting(head, lambda n: n == 1)

    def _counting(self, head: Node, ok: Callable[[int], bool]) -> Check:
        members = [self._shape(m) for m in self._list(head)]

        def check(f: Node, values: list[Node], data: _Data) -> bool | None:
            answers = [[m.conforms(v, data) for m in members] for v in values]
            if any(None in row for row in answers):
                return None
            return all(ok(sum(row)) for row in answers)
        return check

    def _qualifiedValueShape(self, node: Node, other: Node) -> Check:  # noqa: N802
        if (node, SH.qualifiedValueShapesDisjoint, None) in self.graph:
            raise Unsupported(f"{node}: sh:qualifiedValueShapesDisjoint is not supported")
        shape = self._shape(other)
        least = self._int(node, self.graph.value(node, SH.qualifiedMinCount)) \
            if (node, SH.qualifiedMinCount, None) in self.graph else None
        most = self._int(node, self.graph.value(node, SH.qualifiedMaxCount)) \
            if (node, SH.qualifiedMaxCount, None) in self.graph else None

        def check(f: Node, values: list[Node], data: _Data) -> bool | None:
            if not values and (least is None or least < 1):
                return True
            answers = [shape.conforms(v, data) for v in values]
            if None in answers:
                return None
            n = sum(answers)
            return (least is None or n >= least) and (most is None or n <= most)
        return check

    # SPARQL-based constraints
    def _sparql(self, node: Node, constraint: Node) -> Check:
        if self.graph.value(node, SH.path) is not None:
            raise Unsupported(f"{node}: SPARQL constraints on property shapes are not supported")
        g = self.graph
        if (constraint, SH.deactivated, None) in g:
            raise Unsupported(f"{node}: deactivated SPARQL constraint")
        select = g.value(constraint, SH.select)
        if select is None:
            raise Unsupported(f"{node}: only sh:select SPARQL constraints are supported")
        text = str(select)
        if re.search(r"\$(currentShape|shapesGraph|PATH)\b", text):
            raise Unsupported(f"{node}: SPARQL constraint uses a pre-bound variable other than $this")
        query = sparql_filter.compile_select(text, _declared_prefixes(g, constraint))
        key = id(query)

        def check(f: Node, values: list[Node], data: _Data) -> bool | None:
            answers = data.sparql_answers.get(key)
            if answers is None:
                answers = data.sparql_answers[key] = query.violations(data.out, data.by_predicate)
            return answers.get(f, True)
        return check


def _declared_prefixes(graph: Graph, constraint: Node) -> dict[str, str]:
    """``sh:prefixes`` declarations of a SPARQL constraint (``sh:declare [sh:prefix; sh:namespace]``)."""
    prefixes: dict[str, str] = {}
    for source in graph.objects(constraint, SH.prefixes):
        for declaration in graph.objects(source, SH.declare):
            prefix, namespace = graph.value(declaration, SH.prefix), graph.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                prefixes[str(prefix)] = str(namespace)
    return prefixes


# -- value tests, as pySHACL's constraint components make them ------------------------------------------

def _same(a: Node | None, b: Node) -> bool:
    """IRI equality without rdflib's Python-level ``__eq__`` (both are str subclasses)."""
    return a is b or (a is not None and type(a) is type(b) and str.__eq__(a, b))


def _string(v: Node) -> str:
    """pySHACL's ``value_node_to_string``."""
    if isinstance(v, Literal) and v.value is not None and (
            v.datatype is None or _same(v.datatype, _LANG_STRING) or _same(v.datatype, _STRING)):
        return str(v.value)
    return str(v)


def _has_datatype(v: Node, datatype: Node) -> bool:
    """pySHACL's DatatypeConstraintComponent."""
    if not isinstance(v, Literal):
        return False
    if _same(v.datatype, datatype):
        return getattr(v, "ill_typed", None) is not True and _python_type_ok(v, datatype)
    if _same(datatype, _LITERAL):
        return True
    if _same(datatype, _DATATYPE) and v.datatype:
        return True
    if v.datatype is None and v.language is None and _same(datatype, _STRING):
        return _python_type_ok(v, datatype)
    if _same(datatype, _LANG_STRING) and v.language:
        return _python_type_ok(v, datatype)
    return False


def _python_type_ok(v: Literal, datatype: Node) -> bool:
    expected = _PYTHON_TYPES.get(datatype)
    return expected is None or isinstance(v.value, expected)


def _language_in(v: Node, langs: set[str]) -> bool:
    """pySHACL's LanguageInConstraintComponent."""
    if not isinstance(v, Literal) or not v.language:
        return False
    lang = str(v.language).lower()
    return "*" in langs or lang in langs or lang.split("-")[0] in langs


def _in_range(v: Node, bound: Literal, ok: Callable[[int], bool]) -> bool | None:
    """pySHACL's Min/MaxInclusive/Exclusive components; None where pySHACL raises."""
    if isinstance(v, (BNode, URIRef)):
        return False
    if not isinstance(v, Literal):
        return None
    if isinstance(bound.value, str) != isinstance(v.value, str):
        return False
    try:
        return ok(compare_literal(v, bound))
    except (TypeError, NotImplementedError):
        return False


def _less_or_equal(v: Node, c: Node) -> bool | None:
    """pySHACL's LessThanOrEqualsConstraintComponent for one pair; None where pySHACL raises."""
    if isinstance(v, BNode) or isinstance(c, BNode):
        return None
    v_value, v_string = (str(v), True) if isinstance(v, URIRef) else \
        ((v.value, True) if isinstance(v, Literal) and isinstance(v.value, str) else (v, False))
    c_value, c_string = (str(c), True) if isinstance(c, URIRef) else \
        ((c.value, True) if isinstance(c, Literal) and isinstance(c.value, str) else (c, False))
    if v_string != c_string:
        return False
    try:
        return bool(v_value <= c_value)
    except Exception:  # noqa: BLE001 - pySHACL would raise: let it decide
        return None

