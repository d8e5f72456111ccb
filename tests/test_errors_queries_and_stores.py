"""Hostile queries and unreachable stores: one line on stderr, exit 2, never a traceback.

``kg query``: an unknown query name, a .rq file that is missing, a folder, not
UTF-8, syntactically wrong, or not a SELECT; a bad ``--param``. Stores: missing,
a file, a foreign folder, in use by another process; ``kg serve`` on a missing
store or a port in use; ``kg push`` to an unreachable or non-HTTP Graph Store.

The endpoint's own promises are tested over real HTTP in tests/test_serve.py,
not repeated here:

* SPARQL Update refused (403) unless started writable:
  ``test_update_refused_when_read_only``, ``test_writable_server_accepts_update``;
* query time limit (503, then the next query is answered):
  ``test_time_limit_stops_query_and_server_recovers``;
* result size limit (rows cut, ``X-SPARQL-MaxRows``): ``test_result_size_limit_cuts_rows_and_says_so``;
* malformed query -> 400 with a one-line message, oversized body -> 413, oversized
  query string -> 414, each followed by a good query that is answered:
  ``test_errors_then_still_serving``;
* a missing or locked store is a one-line error: ``test_store_in_use_or_missing_is_one_line_error``.

Binding to 127.0.0.1 unless told otherwise is checked here.
"""
from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from kg.cli import main, parser
from kg.serve import make_server
from kg.store import Store

SENTENCE = "Le JNIM a attaqué le poste de Sokolo."


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def error_of(code: int, out: str, err: str) -> str:
    """The message of a one-line error with exit 2 (fails on anything else)."""
    assert code == 2 and out == "", (code, out, err)
    assert err.count("\n") == 1 and err.startswith("kg: error: ") and "Traceback" not in err, err
    return err.removeprefix("kg: error: ").rstrip("\n")


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("stores") / "store"
    Store.open(path).close()
    return path


# --- queries ----------------------------------------------------------------------

def _query_file(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"{kind}.rq"
    if kind == "syntax":
        path.write_text("SELECT ?x WHERE { ?x a kg:Attack \n", encoding="utf-8")
    elif kind == "typo":
        path.write_text("SELEKT * WHERE { ?s ?p ?o }", encoding="utf-8")
    elif kind == "prefix":
        path.write_text("SELECT ?x WHERE { ?x a nope:Thing }", encoding="utf-8")
    elif kind == "update":
        path.write_text("INSERT DATA { <http://x/a> <http://x/b> 1 }", encoding="utf-8")
    elif kind == "construct":
        path.write_text("CONSTRUCT WHERE { ?s ?p ?o }", encoding="utf-8")
    elif kind == "folder":
        path.mkdir()
    elif kind == "binary":
        path.write_bytes(b"\xff\xfe\x00\x00SELECT")
    return path


@pytest.mark.parametrize("kind, message", [
    ("missing", "{path}: no such query file"),
    ("folder", "{path}: cannot read (Is a directory)"),
    ("binary", "{path}: cannot read ('utf-8' codec can't decode byte 0xff in position 0: invalid start byte)"),
    ("syntax", "{path}: syntax error at line 2: "),
    ("typo", "{path}: syntax error at line 1: Expected {{SelectQuery | ConstructQuery | DescribeQuery | AskQuery}}"),
    ("prefix", "{path}: invalid query: Unknown namespace prefix : nope"),
    ("update", "{path}: syntax error at line 1: Expected {{SelectQuery | ConstructQuery | DescribeQuery | AskQuery}}"),
    ("construct", "{path}: only SELECT queries can be run with kg query, not CONSTRUCT"),
])
def test_bad_query_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], store_dir: Path, kind: str,
                        message: str) -> None:
    path = _query_file(tmp_path, kind)
    got = error_of(*run(capsys, "query", path, "--store", store_dir))
    assert got.startswith(message.format(path=path)), got


@pytest.mark.parametrize("argv, message", [
    (["query", "nope"], "unknown query 'nope'; available: actors, "),
    (["query", "attacks", "--param", "place"], "--param expects k=v, got 'place'"),
    (["query", "attacks", "--param", "nope=1"], "unknown parameter nope; this query takes ?place"),
    (["query", "attacks", "--format", "xml"], "argument --format: invalid choice: 'xml' (choose from 'table', "
                                              "'csv', 'json') (see `kg query --help`)"),
])
def test_bad_query_name_or_parameter(capsys: pytest.CaptureFixture[str], store_dir: Path, argv: list[str],
                                     message: str) -> None:
    got = error_of(*run(capsys, *argv, "--store", store_dir))
    assert got.startswith(message), got


def test_store_and_inputs_together(tmp_path: Path, capsys: pytest.CaptureFixture[str], store_dir: Path) -> None:
    got = error_of(*run(capsys, "query", "attacks", tmp_path / "a.txt", "--store", store_dir))
    assert got == "give either --store or input documents to query, not both"


def test_hostile_parameter_value_is_bound_not_spliced(capsys: pytest.CaptureFixture[str], store_dir: Path) -> None:
    code, out, err = run(capsys, "query", "attacks", "--store", store_dir, "--format", "csv",
                         "--param", 'place=x" } } ; DROP ALL ; SELECT * { "')
    assert (code, err) == (0, "") and out.splitlines()[1:] == []


# --- stores ---------------------------------------------------------------------------

def test_unreachable_or_foreign_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing, a_file, foreign = tmp_path / "missing", tmp_path / "file", tmp_path / "foreign"
    a_file.write_text("x")
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    assert error_of(*run(capsys, "query", "attacks", "--store", missing)) == f"no store at {missing}"
    assert error_of(*run(capsys, "query", "attacks", "--store", a_file)) == f"{a_file} is a file, not a store folder"
    assert error_of(*run(capsys, "query", "attacks", "--store", foreign)) == (
        f"{foreign} is not a kg store (a non-empty folder without Oxigraph's CURRENT file)")
    assert error_of(*run(capsys, "serve", "--store", missing, "--port", "0")) == f"no store at {missing}"
    text = tmp_path / "a.txt"
    text.write_text(SENTENCE, encoding="utf-8")
    assert error_of(*run(capsys, "build", text, "--out", tmp_path / "out", "--store", foreign)) == (
        f"{foreign} is not a kg store (a non-empty folder without Oxigraph's CURRENT file)")
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]


def test_store_in_use(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "a.txt"
    text.write_text(SENTENCE, encoding="utf-8")
    path = tmp_path / "store"
    with Store.open(path):  # as a running `kg serve` would
        message = f"store {path} is in use by another process (a running `kg serve`?)"
        assert error_of(*run(capsys, "build", text, "--out", tmp_path / "out", "--store", path)) == message
        assert error_of(*run(capsys, "query", "attacks", "--store", path)) == message
    assert not (tmp_path / "out" / "graph.ttl").exists()  # refused before building anything


def test_serve_on_a_port_in_use(store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        got = error_of(*run(capsys, "serve", "--store", store_dir, "--port", str(port)))
    assert got == f"cannot listen on 127.0.0.1:{port}: Address already in use"
    with Store.open(store_dir, create=False):  # the failed serve let go of the store
        pass


@pytest.mark.parametrize("url, message", [
    ("http://127.0.0.1:9/store", "cannot reach http://127.0.0.1:9/store: Connection refused"),
    ("ftp://example.org/store", "not an http(s) Graph Store URL: 'ftp://example.org/store'"),
])
def test_push_to_unreachable_store(tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str,
                                   message: str) -> None:
    text = tmp_path / "a.txt"
    text.write_text(SENTENCE, encoding="utf-8")
    assert error_of(*run(capsys, "push", text, "--graph-store", url)) == message


# --- the endpoint binds to loopback by default ------------------------------------------

def test_serve_binds_to_loopback_unless_told_otherwise(store_dir: Path) -> None:
    assert parser().parse_args(["serve", "--store", "s"]).host == "127.0.0.1"
    assert parser().parse_args(["serve", "--store", "s", "--host", "0.0.0.0"]).host == "0.0.0.0"
    server = make_server(store_dir, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.shutdown()
        server.close()
        thread.join(10)
