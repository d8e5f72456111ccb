"""Thin command-line wrappers over kg's library functions.

    kg build [INPUT ...] [--published DATE] [--out DIR] [--format FMT] [--store DIR]
    kg records INPUT [--published DATE] [--out DIR]
    kg query NAME|FILE.rq [INPUT ...] [--store DIR] [--param k=v] [--format table|csv|json]
    kg serve --store DIR [--host H] [--port N] [--writable]
    kg push [INPUT ...] --graph-store URL [--graph IRI]
    kg ontology [--out DIR]

Exit codes: 0 success (and, for build, a conforming graph); 1 the graph does
not conform to the shapes; 2 a usage or input error (one line on stderr);
3 some documents of a corpus failed while the others were built.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from kg.text import InputError

log = logging.getLogger("kg")

FORMATS = ("turtle", "nt", "jsonld", "trig", "nquads")


MAX_MESSAGE = 400
"""Longest error message printed (characters); the rest is cut with an ellipsis."""


class UsageError(Exception):
    """A mistake on the command line: printed on one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line (``kg: error: ...``), not a usage block."""

    def error(self, message: str):  # type: ignore[override]
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def _date(value: str):
    from kg.inputs import parse_date
    if not value.strip():
        raise argparse.ArgumentTypeError("expected a date YYYY-MM-DD, got an empty value")
    try:
        return parse_date(value, what="")
    except InputError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _inputs(paths: list[str]) -> list[Path]:
    from kg.resources import sample_path
    return [Path(p) for p in paths] if paths else [sample_path()]


def _folder(value: str | None, option: str) -> Path | None:
    """An output folder option: refused before any work when it names an existing file."""
    if value is None:
        return None
    path = Path(value)
    if path.exists() and not path.is_dir():
        raise UsageError(f"{option} {path}: is a file, expected a folder")
    return path


def _read(paths: list[Path], published) -> tuple[list, list]:
    """Documents of the inputs, and their problems (each printed on one line, ``kg: WHERE: WHY``).

    When nothing could be read, raise: one problem becomes the error itself.
    """
    from kg.inputs import InputProblem, read_inputs
    docs, problems = [], []
    for item in read_inputs(paths, published):
        (problems if isinstance(item, InputProblem) else docs).append(item)
    if not docs and len(problems) == 1:
        raise InputError(f"{problems[0].where}: {problems[0].message}")
    for p in problems:
        print(f"kg: {p.where}: {_one_line(p.message)}", file=sys.stderr)
    if not docs:
        raise InputError(f"none of the {len(problems)} documents could be read" if problems else "no input documents")
    return docs, problems


def cmd_build(args: argparse.Namespace) -> int:
    from kg.build import build_command
    out = _folder(args.out, "--out")
    docs, problems = _read(_inputs(args.inputs), args.published)
    return build_command(docs, out=out, fmt=args.format, store=args.store and Path(args.store),
                         problems=len(problems), quiet=args.quiet)


def cmd_records(args: argparse.Namespace) -> int:
    from kg.build import records_command
    out = _folder(args.out, "--out")
    docs, problems = _read(_inputs(args.inputs), args.published)
    code = records_command(docs, out=out)
    return 3 if problems and code == 0 else code


def cmd_query(args: argparse.Namespace) -> int:
    from kg.query import QueryError, query_command
    params = {}
    for p in args.param:
        if "=" not in p:
            raise UsageError(f"--param expects k=v, got {p!r}")
        k, v = p.split("=", 1)
        params[k.strip()] = v
    docs, problems = None, []
    if not args.store:
        docs, problems = _read(_inputs(args.inputs), args.published)
    elif args.inputs:
        raise UsageError("give either --store or input documents to query, not both")
    try:
        code = query_command(args.query, params=params, fmt=args.format, store=args.store and Path(args.store),
                             documents=docs)
    except QueryError as err:
        raise UsageError(str(err)) from None
    return 3 if problems and code == 0 else code


def cmd_serve(args: argparse.Namespace) -> int:
    from kg.serve import serve
    serve(Path(args.store), host=args.host, port=args.port, writable=args.writable, timeout_s=args.timeout)
    return 0


def cmd_push(args: argparse.Namespace) -> int:
    from kg.build import push_command
    docs, problems = _read(_inputs(args.inputs), args.published)
    code = push_command(docs, url=args.graph_store, graph=args.graph)
    return 3 if problems and code == 0 else code


def cmd_ontology(args: argparse.Namespace) -> int:
    from kg.ontology_docs import write_ontology
    for path in write_ontology(Path(args.out)):
        print(path)
    return 0


def parser() -> argparse.ArgumentParser:
    top = _Parser(prog="kg", description="Knowledge graphs of French conflict news (Sahel).")
    top.add_argument("-v", "--verbose", action="store_true", help="log progress and decisions")
    sub = top.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build the graph of .txt/.jsonl inputs (default: the bundled sample)")
    b.add_argument("inputs", nargs="*", help=".txt file, .jsonl corpus or folder")
    b.add_argument("--published", type=_date, help="publication date YYYY-MM-DD of .txt inputs")
    b.add_argument("--out", default="out", help="output folder (default: out)")
    b.add_argument("--format", choices=FORMATS, default="turtle", help="graph serialisation (default: turtle)")
    b.add_argument("--store", help="also add the documents to this on-disk store")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.set_defaults(func=cmd_build)

    r = sub.add_parser("records", help="print the flat record view (eval/records.schema.json)")
    r.add_argument("inputs", nargs="*", help=".txt file, .jsonl corpus or folder")
    r.add_argument("--published", type=_date, help="publication date YYYY-MM-DD of .txt inputs")
    r.add_argument("--out", help="write OUT/ID.json for each document instead of printing")
    r.set_defaults(func=cmd_records)

    q = sub.add_parser("query", help="run a named query (queries/NAME.rq) or a .rq file")
    q.add_argument("query", help="query name or path to a .rq file")
    q.add_argument("inputs", nargs="*", help="documents to build and query (default: the bundled sample)")
    q.add_argument("--store", help="query this store instead of building inputs")
    q.add_argument("--published", type=_date, help="publication date YYYY-MM-DD of .txt inputs")
    q.add_argument("--param", action="append", default=[], metavar="K=V", help="bind ?K to V (repeatable)")
    q.add_argument("--format", choices=("table", "csv", "json"), default="table")
    q.set_defaults(func=cmd_query)

    s = sub.add_parser("serve", help="SPARQL 1.1 Protocol endpoint over a store")
    s.add_argument("--store", required=True)
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=7878)
    s.add_argument("--writable", action="store_true", help="accept SPARQL Update (off by default)")
    s.add_argument("--timeout", type=float, default=10.0, help="query time limit in seconds")
    s.set_defaults(func=cmd_serve)

    p = sub.add_parser("push", help="build inputs and send them to a SPARQL 1.1 Graph Store")
    p.add_argument("inputs", nargs="*", help="documents to build (default: the bundled sample)")
    p.add_argument("--graph-store", required=True, help="Graph Store Protocol URL, e.g. http://host:7878/store")
    p.add_argument("--graph", help="target graph IRI (default: one named graph per document)")
    p.add_argument("--published", type=_date)
    p.set_defaults(func=cmd_push)

    o = sub.add_parser("ontology", help="write the ontology (Turtle) and its HTML page")
    o.add_argument("--out", default="out/ontology")
    o.set_defaults(func=cmd_ontology)
    return top


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit code (see the module docstring). Errors are one line on stderr, never a traceback."""
    try:
        args = parser().parse_args(argv)
    except UsageError as err:
        print(f"kg: error: {_one_line(str(err))}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="kg: %(levelname)s: %(message)s")
    try:
        return args.func(args)
    except (InputError, UsageError) as err:
        message = str(err)
    except KeyboardInterrupt:
        print("kg: interrupted; outputs already written are intact", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `kg records corpus.jsonl | head`: the reader has what it wanted
        _silence_stdout()
        return 0
    except Exception as err:  # noqa: BLE001 - last resort: one line, never a traceback
        known = _known_error(err)
        if known is None:
            log.debug("unexpected error", exc_info=True)
            known = f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
        message = known
    print(f"kg: error: {_one_line(message)}", file=sys.stderr)
    return 2


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit raises no second BrokenPipeError."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (tests capture stdout)
        pass


def _one_line(text: str) -> str:
    """``text`` with its whitespace runs (newlines too) made single spaces, cut at MAX_MESSAGE characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= MAX_MESSAGE else flat[:MAX_MESSAGE - 1] + "…"


def _known_error(err: Exception) -> str | None:
    """One-line message for the library's own error types (store, push, queries)."""
    for module, name in (("kg.store", "StoreError"), ("kg.push", "PushError"), ("kg.query", "QueryError")):
        mod = sys.modules.get(module)
        if mod is not None and isinstance(err, getattr(mod, name, ())):
            return str(err)
    if isinstance(err, OSError):
        return f"{err.filename or ''}: {err.strerror or err}".lstrip(": ")
    return None


if __name__ == "__main__":
    sys.exit(main())
