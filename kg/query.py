"""Named SPARQL competency questions: load, bind parameters, run, format (``kg query``).

A query is a ``.rq`` file of ``queries/`` (:func:`kg.resources.query_files`) or any path.
Its leading ``#`` lines say the question in English and French and declare its
parameters under ``# Parameters:``, one ``#   ?name  ...`` line each. A parameter value
is bound, never spliced into the query text: through ``initBindings`` on an rdflib
graph, and through Oxigraph's ``substitutions`` (:meth:`kg.store.Store.query`'s
``bindings``) on a store. Oxigraph substitutes only projected variables, so every
named query projects its parameters (echoed as the last columns), and tests an optional
parameter with ``STR(COALESCE(?p, "")) = ""``: after substitution ``BOUND(?p)`` is false.

A value that looks like an IRI (``http(s)://…``, ``urn:…``, ``<…>``, or a kg prefixed
name such as ``kgt:attack``) is bound as an IRI; anything else as a plain literal.

Output formats: ``table`` (aligned columns; IRIs as prefixed names, data IRIs under the
default base as ``id:event/…``), ``csv`` (SPARQL 1.1 CSV results) and ``json``
(SPARQL 1.1 Query Results JSON).
"""
from __future__ import annotations

import csv
import io
import json
import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pyparsing import ParseBaseException
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from kg.rdf.iri import DEFAULT_BASE
from kg.rdf.namespaces import PREFIXES, bind_prefixes
from kg.resources import query_files

if TYPE_CHECKING:
    from kg.extract.model import Document
    from kg.store import Store

log = logging.getLogger(__name__)

FORMATS = ("table", "csv", "json")
LoadedQuery = tuple[str, Query]
"""The SPARQL text of a query and its rdflib preparation (see :func:`load_query`)."""
Row = tuple[Node | None, ...]

_PARAMETERS_LINE = re.compile(r"^#\s*Parameters\s*:", re.IGNORECASE)
_PARAMETER = re.compile(r"^#\s+\?([A-Za-z_][A-Za-z0-9_]*)\b")
_IRI_CHARS = r"[^\s<>\"{}|\\^`]+"
_ABSOLUTE_IRI = re.compile(rf"^(?:https?://|urn:){_IRI_CHARS}$")
_BRACKETED_IRI = re.compile(rf"^<([a-zA-Z][a-zA-Z0-9+.-]*:{_IRI_CHARS})>$")
_PREFIXED_NAME = re.compile(r"^([a-z][a-z0-9]*):([A-Za-z0-9_][A-Za-z0-9_.-]*)$")
_DISPLAY_NAMESPACES = sorted([(str(ns), prefix) for prefix, ns in PREFIXES.items()] + [(DEFAULT_BASE, "id")],
                             key=lambda item: -len(item[0]))
_MAX_CELL = 80


class QueryError(Exception):
    """A query that cannot be found, parsed or bound; the message is one line."""


# --- loading ----------------------------------------------------------------------

def load_query(name_or_path: str) -> LoadedQuery:
    """Read and prepare a named query (``attacks``) or a ``.rq`` file; QueryError if it cannot be used."""
    named = query_files()
    if name_or_path in named:
        path, where = named[name_or_path], f"queries/{name_or_path}.rq"
    elif name_or_path.endswith(".rq") or "/" in name_or_path or "\\" in name_or_path:
        path, where = Path(name_or_path), name_or_path
    else:
        raise QueryError(f"unknown query {name_or_path!r}; available: {', '.join(named) or '(none)'}")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QueryError(f"{where}: no such query file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise QueryError(f"{where}: cannot read ({getattr(err, 'strerror', None) or err})") from None
    return text, prepare(text, where)


def prepare(text: str, where: str = "query") -> Query:
    """Parse and translate SPARQL text (kg prefixes predeclared); one-line QueryError on any fault."""
    try:
        query = prepareQuery(text, initNs=dict(PREFIXES))
    except ParseBaseException as err:
        near = " ".join(str(err.line).split())[:40]
        raise QueryError(f"{where}: syntax error at line {err.lineno}: {_one_line(err.msg, 100)}"
                         f" (column {err.col}, near {near!r})") from None
    except Exception as err:  # noqa: BLE001 - rdflib raises bare Exception (unknown prefix, ...)
        raise QueryError(f"{where}: invalid query: {_one_line(str(err), 160)}") from None
    if query.algebra.name != "SelectQuery":
        kind = query.algebra.name.removesuffix("Query").upper()
        raise QueryError(f"{where}: only SELECT queries can be run with kg query, not {kind}")
    return query


def declared_parameters(text: str) -> list[str] | None:
    """Parameter names the header declares (``#   ?name`` lines after ``# Parameters:``).

    None when the header has no ``Parameters:`` line (an ad-hoc query: any of its
    variables may then be bound).
    """
    names: list[str] | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        if _PARAMETERS_LINE.match(line):
            names = []
        elif names is not None and (match := _PARAMETER.match(line)):
            names.append(match.group(1))
    return names


def projected(query: Query) -> list[str]:
    """Names of the variables a SELECT query projects, in order."""
    return [str(v) for v in query.algebra.get("PV", [])]


def _variables(node: object, found: set[str]) -> set[str]:
    """Every variable named anywhere in a query's algebra."""
    if isinstance(node, Variable):
        found.add(str(node))
    elif isinstance(node, (CompValue, dict)):
        for value in node.values():
            _variables(value, found)
    elif isinstance(node, (list, tuple, set)):
        for value in node:
            _variables(value, found)
    return found


# --- binding and running -------------------------------------------------------------

def to_term(value: str) -> URIRef | Literal:
    """The RDF term a ``--param`` value stands for: an IRI when it looks like one, else a plain literal."""
    if _ABSOLUTE_IRI.match(value):
        return URIRef(value)
    if match := _BRACKETED_IRI.match(value):
        return URIRef(match.group(1))
    if (match := _PREFIXED_NAME.match(value)) and match.group(1) in PREFIXES:
        return URIRef(str(PREFIXES[match.group(1)]) + match.group(2))
    return Literal(value)


def bindings(loaded: LoadedQuery, params: Mapping[str, str]) -> dict[str, Node]:
    """Check ``params`` against the query and turn their values into RDF terms."""
    text, query = loaded
    declared = declared_parameters(text)
    allowed = declared if declared is not None else sorted(_variables(query.algebra, set()))
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        takes = ", ".join(f"?{n}" for n in allowed) if allowed else "no parameters"
        raise QueryError(f"unknown parameter{'s' if len(unknown) > 1 else ''} "
                         f"{', '.join(unknown)}; this query takes {takes}")
    return {name: to_term(value) for name, value in params.items()}


def run_query(loaded: LoadedQuery | str, graph_or_store: Graph | Store,
              params: Mapping[str, str] | None = None) -> tuple[list[str], list[Row]]:
    """Run a query on an rdflib graph or a :class:`kg.store.Store`; ``(variables, rows)``.

    ``loaded`` is what :func:`load_query` returns, or a query name/path to load.
    Values are bound with rdflib ``initBindings`` or Oxigraph ``substitutions``
    (see :meth:`kg.store.Store.query`). An rdflib ``Dataset`` is queried through its
    default graph, as rdflib does; pass a graph holding the union to see every document.
    """
    from kg.store import Store

    if isinstance(loaded, str):
        loaded = load_query(loaded)
    terms = bindings(loaded, params or {})
    text, query = loaded
    if isinstance(graph_or_store, Store):
        missing = sorted(set(terms) - set(projected(query)))
        if missing:
            raise QueryError(f"parameter {', '.join(missing)} is not projected by the query's SELECT;"
                             " a store binds only projected variables")
        result = graph_or_store.query(text, bindings=terms)
    elif isinstance(graph_or_store, Graph):
        result = graph_or_store.query(query, initBindings={Variable(k): v for k, v in terms.items()})
    else:
        raise TypeError(f"cannot query a {type(graph_or_store).__name__}")
    return [str(v) for v in result.vars or []], [tuple(row) for row in result]


# --- formatting -----------------------------------------------------------------------

def format_rows(variables: Sequence[str], rows: Sequence[Row], fmt: str = "table") -> str:
    """Rows as an aligned ``table``, SPARQL 1.1 ``csv``, or SPARQL 1.1 results ``json``."""
    if fmt == "table":
        return _table(variables, rows)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([["" if t is None else (f"_:{t}" if isinstance(t, BNode) else str(t)) for t in row]
                          for row in rows])
        return out.getvalue()
    if fmt == "json":
        results = [{n: _json_term(t) for n, t in zip(variables, row) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": results}},
                          ensure_ascii=False, indent=2)
    raise QueryError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def display(term: Node | None) -> str:
    """A term as a table cell: prefixed names for IRIs, lexical form for literals."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        iri = str(term)
        for namespace, prefix in _DISPLAY_NAMESPACES:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace):]}"
        return f"<{iri}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return _one_line(str(term), _MAX_CELL)


def _table(variables: Sequence[str], rows: Sequence[Row]) -> str:
    cells = [[display(t) for t in row] for row in rows]
    widths = [max([len(v), *(len(r[i]) for r in cells)]) for i, v in enumerate(variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(variables, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(lines)


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal) and term.language:
        out["xml:lang"] = term.language
    elif isinstance(term, Literal) and term.datatype is not None:
        out["datatype"] = str(term.datatype)
    return out


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# --- the command -------------------------------------------------------------------------

def build_graph(documents: Sequence[Document]) -> Graph:
    """Asserted and inferred triples of the documents in one rdflib graph (transitive answers work)."""
    from kg.pipeline import Pipeline

    pipeline = Pipeline(check=False)
    graph = bind_prefixes(Graph())
    for build in pipeline.build_many(list(documents)):
        graph += build.graph
        graph += build.inferred
    log.info("query graph: %d triples from %d documents", len(graph), len(documents))
    return graph


def query_command(name_or_path: str, *, params: Mapping[str, str] | None = None, fmt: str = "table",
                  store: Path | None = None, documents: Sequence[Document] | None = None) -> int:
    """``kg query``: run a query on a store or on freshly built documents, print the result, return 0."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    loaded = load_query(name_or_path)
    bindings(loaded, params or {})  # fail on a bad parameter before any build
    if store is not None:
        from kg.store import Store

        with Store.open(store, create=False) as opened:
            variables, rows = run_query(loaded, opened, params)
    else:
        if documents is None:
            from kg.inputs import read_text_file
            from kg.resources import sample_path

            documents = [read_text_file(sample_path())]
        if not documents:
            raise QueryError("no document to query")
        variables, rows = run_query(loaded, build_graph(documents), params)
    text = format_rows(variables, rows, fmt)
    print(text, end="" if text.endswith("\n") else "\n")
    return 0
