"""SHACL-SPARQL ``SELECT $this … WHERE { BGP FILTER(…) }`` constraints, compiled to Python (for kg.conformance).

rdflib evaluates such a constraint in about 0.3 ms per solution (and pySHACL
parses it again for every focus node). kg.conformance only needs to know which
focus nodes have a solution, so the query is parsed once by rdflib and its
algebra compiled here: the basic graph pattern (predicate IRIs and sequence
paths of them) is joined over an index of the data graph, and the FILTER is
evaluated on plain Python values for a small set of operators and functions
(``&&``, ``||``, ``!``, comparisons, ``+``, ``-``, ``*``, ``STR``, ``SUBSTR``,
``STRLEN``, ``UCASE``, ``LCASE``, ``CONTAINS``, ``STRSTARTS``, ``STRENDS``) with
SPARQL 1.1's meaning. Wherever that meaning depends on something not modelled
(a type error, a float, a language tag), the answer for that focus node is
None: unsure, and pySHACL decides. Any other query shape raises
:class:`kg.conformance.Unsupported`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from pyparsing import ParseBaseException
from rdflib import BNode, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.paths import SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node

Value = tuple  # ("str", s) | ("xstr", s) | ("lang", s, tag) | ("num", n, lexical) | ("bool", b, lexical) | ...
Binding = dict[Variable, Node]
Index = dict[Node, dict[Node, set[Node]]]

_NUMERIC = frozenset(XSD[t] for t in (
    "integer", "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger", "long", "int",
    "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte", "decimal", "float", "double"))
_THIS = Variable("this")


class Unsure(Exception):
    """The filter's value depends on SPARQL semantics this module does not model."""


def _unsupported(message: str) -> Exception:
    from kg.conformance import Unsupported
    return Unsupported(message)


class CompiledSelect:
    """A compiled ``SELECT $this … WHERE { BGP FILTER(…) }``."""

    def __init__(self, patterns: list[tuple], filters: list[Callable[[Binding], Value]]) -> None:
        self.patterns = patterns
        self.filters = filters

    def violations(self, out: Index, by_predicate: dict[Node, list[tuple[Node, Node]]]) -> dict[Node, bool | None]:
        """Focus nodes with a solution (False: a sure violation) or with an unsure one (None)."""
        answers: dict[Node, bool | None] = {}
        for binding in self._solutions(self.patterns, {}, out, by_predicate):
            focus = binding.get(_THIS)
            if focus is None or answers.get(focus) is False:
                continue
            try:
                if all(_truth(f(binding)) for f in self.filters):
                    answers[focus] = False
            except Unsure:
                answers[focus] = None
        return answers

    def _solutions(self, patterns: list[tuple], binding: Binding, out: Index,
                   by_predicate: dict[Node, list[tuple[Node, Node]]]) -> Iterator[Binding]:
        if not patterns:
            yield binding
            return
        pick = next((i for i, (s, _, _) in enumerate(patterns) if not isinstance(s, Variable) or s in binding), 0)
        (s, path, o), rest = patterns[pick], patterns[:pick] + patterns[pick + 1:]
        subject = binding.get(s, s) if isinstance(s, Variable) else s
        obj = binding.get(o, o) if isinstance(o, Variable) else o
        if isinstance(subject, Variable):
            first = path[0]
            starts = {x for x, _ in by_predicate.get(first, ())}
        else:
            starts = {subject}
        for start in starts:
            for end in _follow(start, path, out):
                if isinstance(subject, Variable) and obj == subject and end != start:
                    continue
                if not isinstance(obj, Variable):
                    if end != obj:
                        continue
                    new = binding
                else:
                    new = {**binding, obj: end}
                if isinstance(subject, Variable):
                    new = {**new, subject: start}
                yield from self._solutions(rest, new, out, by_predicate)


def _follow(start: Node, path: tuple[URIRef, ...], out: Index) -> set[Node]:
    frontier = {start}
    for step in path:
        frontier = {o for node in frontier for o in out.get(node, {}).get(step, ())}
    return frontier


def compile_select(text: str, prefixes: dict[str, str]) -> CompiledSelect:
    """Parse a SELECT with rdflib and compile its algebra; Unsupported for anything beyond BGP + FILTER."""
    try:
        query = prepareQuery(text, initNs=prefixes)
    except (ParseBaseException, Exception) as err:  # noqa: BLE001 - rdflib raises bare Exception too
        raise _unsupported(f"SPARQL constraint does not parse: {err}") from None
    node = query.algebra
    if node.name != "SelectQuery":
        raise _unsupported("only SELECT constraints are supported")
    node = node.p
    while node.name in ("Project", "Distinct"):
        if node.name == "Project":
            projected = {str(v) for v in node.PV}
            if "this" not in projected or "failure" in projected:
                raise _unsupported("the SELECT must project $this and no ?failure")
        node = node.p
    filters: list[Callable[[Binding], Value]] = []
    while node.name == "Filter":
        filters.append(_expression(node.expr))
        node = node.p
    if node.name != "BGP":
        raise _unsupported(f"SPARQL constraint uses {node.name}; only a basic graph pattern and FILTERs are supported")
    patterns = []
    for s, p, o in node.triples:
        if isinstance(s, BNode) or isinstance(o, BNode):
            raise _unsupported("SPARQL constraint uses a blank node in its pattern")
        if isinstance(p, URIRef):
            path = (p,)
        elif isinstance(p, SequencePath) and all(isinstance(a, URIRef) for a in p.args):
            path = tuple(p.args)
        else:
            raise _unsupported(f"SPARQL constraint uses the path {p!r}")
        patterns.append((s, path, o))
    return CompiledSelect(patterns, filters)


# -- expressions -------------------------------------------------------------------------------------

def _value(term: Node) -> Value:
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, BNode) or not isinstance(term, Literal):
        raise Unsure("blank node")
    if term.language:
        return ("lang", str(term), term.language.lower())
    if term.datatype is None:
        return ("str", str(term))
    if term.datatype == XSD.string:
        return ("xstr", str(term))
    if term.datatype in _NUMERIC:
        if getattr(term, "ill_typed", False) or not isinstance(term.value, (int, Decimal, float)) \
                or isinstance(term.value, bool):
            raise Unsure("ill-typed number")
        return ("num", term.value, str(term))
    if term.datatype == XSD.boolean and isinstance(term.value, bool):
        return ("bool", term.value, str(term))
    return ("other", str(term))


def _truth(value: Value) -> bool:
    if value[0] != "bool":
        raise Unsure("effective boolean value of a non-boolean")
    return value[1]


def _number(value: Value) -> Any:
    if value[0] != "num":
        raise Unsure("arithmetic on a non-number")
    return value[1]


def _integer(value: Value) -> int:
    n = _number(value)
    if not isinstance(n, int):
        raise Unsure("non-integer position")
    return n


def _text(value: Value) -> tuple[str, Value]:
    """The string of a string argument and a function rebuilding a value of its kind."""
    if value[0] not in ("str", "xstr", "lang"):
        raise Unsure("string function on a non-string")
    return value[1], value


def _same_kind(template: Value, s: str) -> Value:
    return (template[0], s, *template[2:])


def _compare(op: str, a: Value, b: Value) -> bool:
    kinds = {a[0], b[0]}
    if kinds == {"num"}:
        if isinstance(a[1], float) != isinstance(b[1], float):
            raise Unsure("float promotion")
        x, y = a[1], b[1]
    elif len(kinds) == 1 and kinds <= {"str", "xstr"}:
        x, y = a[1], b[1]
    elif kinds == {"iri"} and op in ("=", "!="):
        x, y = a[1], b[1]
    elif "iri" in kinds and len(kinds) == 2 and op in ("=", "!="):
        return op == "!="
    else:
        raise Unsure(f"comparison of {a[0]} and {b[0]}")
    return {"=": x == y, "!=": x != y, "<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]


def _expression(expr: Any) -> Callable[[Binding], Value]:
    """Compile an rdflib algebra expression; Unsupported for what this module does not model."""
    if isinstance(expr, Variable):
        def variable(b: Binding) -> Value:
            if expr not in b:
                raise Unsure("unbound variable")
            return _value(b[expr])
        return variable
    if isinstance(expr, (Literal, URIRef)):
        constant = _value(expr)
        return lambda b: constant
    if not isinstance(expr, CompValue):
        raise _unsupported(f"SPARQL expression {expr!r}")
    name = expr.name
    if name in ("ConditionalAndExpression", "ConditionalOrExpression"):
        parts = [_expression(expr.expr)] + [_expression(e) for e in expr.other or []]
        combine = all if name == "ConditionalAndExpression" else any
        return lambda b: ("bool", combine([_truth(p(b)) for p in parts]), "")
    if name == "RelationalExpression":
        if expr.op not in ("=", "!=", "<", "<=", ">", ">="):
            raise _unsupported(f"SPARQL operator {expr.op}")
        left, right, op = _expression(expr.expr), _expression(expr.other), expr.op
        return lambda b: ("bool", _compare(op, left(b), right(b)), "")
    if name in ("AdditiveExpression", "MultiplicativeExpression"):
        if any(op not in ("+", "-", "*") for op in expr.op):
            raise _unsupported(f"SPARQL operators {expr.op}")
        first, others, ops = _expression(expr.expr), [_expression(e) for e in expr.other], list(expr.op)

        def arithmetic(b: Binding) -> Value:
            n = _number(first(b))
            for op, other in zip(ops, others):
                m = _number(other(b))
                if isinstance(n, float) != isinstance(m, float):
                    raise Unsure("float promotion")
                n = n + m if op == "+" else n - m if op == "-" else n * m
            return ("num", n, str(n) if isinstance(n, int) else "")
        return arithmetic
    if name == "UnaryNot":
        inner = _expression(expr.expr)
        return lambda b: ("bool", not _truth(inner(b)), "")
    if name == "UnaryMinus":
        inner = _expression(expr.expr)
        return lambda b: ("num", -_number(inner(b)), "")
    if name == "Builtin_STR":
        arg = _expression(expr.arg)

        def lexical(b: Binding) -> Value:
            value = arg(b)
            if value[0] in ("iri", "str", "xstr", "lang"):
                return ("str", value[1])
            if not value[-1]:
                raise Unsure("lexical form of a computed value")
            return ("str", value[-1])
        return lexical
    if name == "Builtin_STRLEN":
        arg = _expression(expr.arg)
        return lambda b: ("num", len(_text(arg(b))[0]), "")
    if name in ("Builtin_UCASE", "Builtin_LCASE"):
        arg, upper = _expression(expr.arg), name == "Builtin_UCASE"

        def case(b: Binding) -> Value:
            s, kind = _text(arg(b))
            return _same_kind(kind, s.upper() if upper else s.lower())
        return case
    if name == "Builtin_SUBSTR":
        arg, start = _expression(expr.arg), _expression(expr.start)
        length = _expression(expr.length) if expr.length is not None else None

        def substr(b: Binding) -> Value:
            s, kind = _text(arg(b))
            i = _integer(start(b))
            n = _integer(length(b)) if length is not None else None
            if i < 1 or (n is not None and n < 0):
                raise Unsure("SUBSTR outside the string")
            return _same_kind(kind, s[i - 1:] if n is None else s[i - 1:i - 1 + n])
        return substr
    if name in ("Builtin_CONTAINS", "Builtin_STRSTARTS", "Builtin_STRENDS"):
        a, c = _expression(expr.arg1), _expression(expr.arg2)
        test = {"Builtin_CONTAINS": str.__contains__, "Builtin_STRSTARTS": str.startswith,
                "Builtin_STRENDS": str.endswith}[name]

        def string_test(b: Binding) -> Value:
            x, y = a(b), c(b)
            if x[0] == "lang" or y[0] == "lang":
                raise Unsure("language-tagged argument")
            return ("bool", test(_text(x)[0], _text(y)[0]), "")
        return string_test
    raise _unsupported(f"SPARQL function or operator {name}")
