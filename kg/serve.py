"""A SPARQL 1.1 Protocol endpoint over a kg store, with limits, and a query page at ``/``.

Why not simply supervise ``oxigraph serve-read-only``? It speaks the protocol,
has ``--union-default-graph``, ``--timeout-s`` and a bundled YASGUI page, but
(0.5.13, checked) it has no result-size limit, answers an oversized body with
400 rather than 413, follows ``SERVICE`` to any address (a query can make it
call other services on the machine; errors then land inside a 200 JSON body),
opening a store read-only while ``kg build`` writes it is undefined behaviour
in RocksDB, and the ``oxigraph`` binary is only a test dependency of kg.
So kg serves itself, with the standard library's
``wsgiref`` (threaded) in front and pyoxigraph behind it:

* the store is opened read-write by one *worker process* (holding RocksDB's
  lock, so a concurrent ``kg build --store`` fails with a clear message
  instead of corrupting reads); SPARQL Update is refused (403) unless
  ``writable``;
* pyoxigraph cannot cancel a running query, so the time limit is enforced by
  killing the worker after ``timeout_s`` (503) and starting a fresh one;
  queries run one at a time (a request waits at most ``timeout_s`` for its
  turn, then gets 503) -- an endpoint for one analyst or a small team;
* SELECT rows and CONSTRUCT triples past ``max_rows`` are cut, as Virtuoso
  does, with an ``X-SPARQL-MaxRows`` header; bodies over ``max_body`` get 413;
* pyoxigraph has an HTTP client, so ``SERVICE`` and ``LOAD`` are refused (no
  outgoing requests), and on a loopback bind requests must name a loopback
  ``Host`` and, if a browser sent one, a same-host ``Origin`` (DNS rebinding,
  cross-site form posts).
"""
from __future__ import annotations

import ipaddress
import logging
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from multiprocessing.connection import Connection
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

import pyoxigraph as ox

from kg.rdf.namespaces import PREFIXES
from kg.store import StoreError, check_store_dir, describe_open_error

log = logging.getLogger(__name__)

RESULT_TYPES: list[tuple[str, ox.QueryResultsFormat]] = [
    ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("application/json", ox.QueryResultsFormat.JSON),
    ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("application/xml", ox.QueryResultsFormat.XML),
    ("text/xml", ox.QueryResultsFormat.XML),
    ("text/csv", ox.QueryResultsFormat.CSV),
    ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
]
GRAPH_TYPES: list[tuple[str, ox.RdfFormat]] = [
    ("text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML),
]
_OUTGOING = re.compile(r"\b(SERVICE|LOAD)\b", re.IGNORECASE)
_NOT_CODE = re.compile(r'#[^\n]*|"""(?:[^\\]|\\.)*?"""|\'\'\'(?:[^\\]|\\.)*?\'\'\''
                       r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>')
_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
Reply = tuple[int, str, bytes, dict[str, str]]


class _Refused(Exception):
    """An HTTP error answer: status and one-line message."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


# --- evaluation (in the worker process) -----------------------------------------

def negotiate(accept: str | None, offers: list[tuple[str, Any]]) -> tuple[str, Any] | None:
    """Pick the offer the Accept header prefers (q-values, then header order); first offer if no header."""
    if not accept or not accept.strip():
        return offers[0]
    best: tuple[float, int, int] | None = None
    chosen = None
    for position, item in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in item.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        for rank, (offer, fmt) in enumerate(offers):
            major = offer.split("/")[0]
            if media.lower() in (offer, f"{major}/*", "*/*"):
                key = (-q, position, rank)
                if best is None or key < best:
                    best, chosen = key, (offer, fmt)
    return chosen


def _pick(accept: str | None, offers: list[tuple[str, Any]]) -> tuple[str, Any]:
    picked = negotiate(accept, offers)
    if picked is None:
        raise _Refused(HTTPStatus.NOT_ACCEPTABLE, "no acceptable result type; offered: "
                       + ", ".join(media for media, _ in offers))
    return picked


def _take(items: Iterable[Any], max_rows: int) -> tuple[list[Any], dict[str, str]]:
    """At most ``max_rows`` items, and the header that says when more were cut."""
    taken = []
    for n, item in enumerate(items):
        if n == max_rows:
            return taken, {"X-SPARQL-MaxRows": str(max_rows)}
        taken.append(item)
    return taken, {}


def evaluate(store: ox.Store, request: dict[str, Any], max_rows: int) -> Reply:
    """Run one protocol request against the store; an HTTP reply (status, type, body, headers)."""
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    try:
        if request["kind"] == "update":
            store.update(request["text"], prefixes=prefixes)
            return 204, "text/plain; charset=utf-8", b"", {}
        defaults = [ox.NamedNode(i) for i in request["default_graphs"]]
        # the store's default graph already is the union of the documents, each triple once (kg.store)
        answer = store.query(request["text"], prefixes=prefixes, default_graph=defaults or None,
                             named_graphs=[ox.NamedNode(i) for i in request["named_graphs"]] or None)
        if isinstance(answer, ox.QueryBoolean):
            media, fmt = _pick(request["accept"], RESULT_TYPES)
            return 200, fmt.media_type, answer.serialize(format=fmt), {}
        if isinstance(answer, ox.QueryTriples):
            media, fmt = _pick(request["accept"], GRAPH_TYPES)
            triples, headers = _take(answer, max_rows)
            body = ox.serialize(triples, format=fmt, prefixes=prefixes if fmt is ox.RdfFormat.TURTLE else None)
            return 200, f"{fmt.media_type}; charset=utf-8", body, headers
        media, fmt = _pick(request["accept"], RESULT_TYPES)
        rows, headers = _take(answer, max_rows)
        # Rows are cut here, then pyoxigraph writes them: TSV of N-Triples terms is a lossless bridge.
        tsv = ["\t".join(f"?{v.value}" for v in answer.variables)]
        tsv += ["\t".join("" if term is None else str(term) for term in row) for row in rows]
        results = ox.parse_query_results(("\n".join(tsv) + "\n").encode("utf-8"), ox.QueryResultsFormat.TSV)
        return 200, fmt.media_type, results.serialize(format=fmt), headers
    except _Refused as refused:
        return _text(refused.status, str(refused))
    except SyntaxError as error:
        return _text(HTTPStatus.BAD_REQUEST, f"malformed SPARQL: {' '.join(str(error).split())}")
    except (ValueError, RuntimeError, OSError) as error:
        return _text(HTTPStatus.INTERNAL_SERVER_ERROR, f"query failed: {' '.join(str(error).split())}")


def _text(status: int, message: str) -> Reply:
    return int(status), "text/plain; charset=utf-8", (message + "\n").encode("utf-8"), {}


def worker_main(argv: list[str] | None = None) -> None:
    """Worker process entry (``argv``: socket fd, store path, max rows): own the store, answer requests."""
    fd, store_path, max_rows = (argv or sys.argv[1:])[:3]
    conn = Connection(int(fd))
    try:
        store = ox.Store(store_path)
    except OSError as error:
        conn.send(("error", describe_open_error(error, Path(store_path))))
        return
    conn.send(("ready", ""))
    while True:
        try:
            request = conn.recv()
        except EOFError:  # the server went away
            request = None
        if request is None:
            store.flush()
            return
        conn.send(evaluate(store, request, int(max_rows)))


class QueryWorker:
    """The one process that holds the store; killed and replaced when a query overruns."""

    def __init__(self, store_path: Path, *, timeout_s: float, max_rows: int) -> None:
        self.store_path, self.timeout_s, self.max_rows = store_path, timeout_s, max_rows
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None

    def start(self) -> None:
        """Start the worker and wait until it has opened the store (StoreError if it cannot).

        A plain subprocess, not multiprocessing's spawn: that would re-import
        the caller's ``__main__``, which fails in scripts without a main guard.
        """
        ours, theirs = socket.socketpair()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        process = subprocess.Popen(
            [sys.executable, "-c", "from kg.serve import worker_main; worker_main()",
             str(theirs.fileno()), str(self.store_path), str(self.max_rows)],
            pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL)
        theirs.close()
        conn = Connection(ours.detach())
        try:
            if not conn.poll(60):
                raise StoreError(f"store {self.store_path} did not open within 60 s")
            status, message = conn.recv()
        except EOFError:
            status, message = "error", f"the query worker for {self.store_path} exited (code {process.wait(10)})"
        except StoreError as error:
            status, message = "error", str(error)
        if status != "ready":
            process.kill()
            process.wait(10)
            conn.close()
            raise StoreError(message)
        self._process, self._conn = process, conn

    def run(self, request: dict[str, Any]) -> Reply:
        """Send a request to the worker; 503 when it is busy or exceeds the time limit."""
        if not self._lock.acquire(timeout=self.timeout_s):
            return _text(HTTPStatus.SERVICE_UNAVAILABLE, "the endpoint is busy with another query; retry later")
        try:
            if self._conn is None:
                self.start()
            assert self._conn is not None
            self._conn.send(request)
            if not self._conn.poll(self.timeout_s):
                log.warning("query exceeded %.1f s; restarting the worker", self.timeout_s)
                self._stop(kill=True)
                return _text(HTTPStatus.SERVICE_UNAVAILABLE,
                             f"query exceeded the time limit of {self.timeout_s:g} s and was stopped")
            return self._conn.recv()
        except (EOFError, OSError, StoreError) as error:
            self._stop(kill=True)
            return _text(HTTPStatus.INTERNAL_SERVER_ERROR, f"query worker failed: {error}")
        finally:
            self._lock.release()

    def _stop(self, *, kill: bool) -> None:
        process, conn, self._process, self._conn = self._process, self._conn, None, None
        if process is None or conn is None:
            return
        if not kill:
            try:
                conn.send(None)
                process.wait(10)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if process.poll() is None:
            process.kill()
            process.wait(10)
        conn.close()

    def close(self) -> None:
        """Stop the worker (it flushes the store first)."""
        with self._lock:
            self._stop(kill=False)


# --- HTTP (in the server process) -------------------------------------------------

class SparqlApp:
    """WSGI application: ``/sparql`` (SPARQL 1.1 Protocol) and the query page at ``/``."""

    def __init__(self, store_path: Path, *, writable: bool, timeout_s: float, max_rows: int, max_body: int,
                 allowed_hosts: frozenset[str] | None = None) -> None:
        check_store_dir(Path(store_path), create=False)
        self.writable, self.max_body, self.allowed_hosts = writable, max_body, allowed_hosts
        self.worker = QueryWorker(Path(store_path), timeout_s=timeout_s, max_rows=max_rows)
        self.worker.start()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        began = time.perf_counter()
        try:
            status, content_type, body, headers = self._dispatch(environ)
        except _Refused as refused:
            status, content_type, body, headers = _text(refused.status, str(refused))
        phrase = HTTPStatus(status).phrase
        head = [("Content-Type", content_type), ("Content-Length", str(len(body))),
                ("X-Content-Type-Options", "nosniff"), *headers.items()]
        start_response(f"{status} {phrase}", head)
        log.debug("%s %s -> %d in %.3f s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"), status,
                  time.perf_counter() - began)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

    def close(self) -> None:
        """Stop the query worker."""
        self.worker.close()

    def _dispatch(self, environ: dict[str, Any]) -> Reply:
        self._check_origin(environ)
        path, method = environ.get("PATH_INFO", "/"), environ.get("REQUEST_METHOD", "GET")
        if path == "/":
            if method not in ("GET", "HEAD"):
                raise _Refused(HTTPStatus.METHOD_NOT_ALLOWED, "use GET for the query page")
            return 200, "text/html; charset=utf-8", QUERY_PAGE.encode("utf-8"), {
                "Content-Security-Policy": "default-src 'none'; script-src 'unsafe-inline'; "
                                           "style-src 'unsafe-inline'; connect-src 'self'"}
        if path != "/sparql":
            raise _Refused(HTTPStatus.NOT_FOUND, f"no such resource {path}; the endpoint is /sparql")
        if method not in ("GET", "POST"):
            raise _Refused(HTTPStatus.METHOD_NOT_ALLOWED, "the SPARQL endpoint accepts GET and POST")
        request = self._read_request(environ, method)
        if request["kind"] == "update" and not self.writable:
            raise _Refused(HTTPStatus.FORBIDDEN, "this endpoint is read-only (start `kg serve --writable` "
                                                 "to accept SPARQL Update)")
        if _OUTGOING.search(_NOT_CODE.sub(" ", request["text"])):
            raise _Refused(HTTPStatus.BAD_REQUEST, "SERVICE and LOAD are disabled: this endpoint makes "
                                                   "no outgoing requests")
        log.info("%s %s", request["kind"], " ".join(request["text"].split())[:200])
        return self.worker.run(request)

    def _check_origin(self, environ: dict[str, Any]) -> None:
        if self.allowed_hosts is None:
            return
        host = environ.get("HTTP_HOST", "")
        if urlsplit(f"//{host}").hostname not in self.allowed_hosts:
            raise _Refused(HTTPStatus.FORBIDDEN, f"unexpected Host header {host!r} for a loopback endpoint")
        origin = environ.get("HTTP_ORIGIN")
        if origin and origin != "null" and urlsplit(origin).netloc != host:
            raise _Refused(HTTPStatus.FORBIDDEN, f"cross-origin request from {origin} refused")

    def _read_request(self, environ: dict[str, Any], method: str) -> dict[str, Any]:
        query_string = environ.get("QUERY_STRING", "")
        if len(query_string) > self.max_body:
            raise _Refused(HTTPStatus.REQUEST_URI_TOO_LONG, f"query string over {self.max_body} bytes")
        params = parse_qs(query_string, keep_blank_values=True)
        text, kind = None, "query"
        if method == "POST":
            body = self._read_body(environ)
            media = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
            if media == "application/x-www-form-urlencoded":
                params.update(parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True))
            elif media in ("application/sparql-query", "application/sparql-update"):
                text, kind = body.decode("utf-8", "replace"), media.rsplit("-", 1)[1]
            else:
                raise _Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "POST application/sparql-query, "
                               "application/sparql-update or application/x-www-form-urlencoded")
        if text is None:
            queries, updates = params.get("query", []), params.get("update", [])
            if len(queries) + len(updates) != 1:
                raise _Refused(HTTPStatus.BAD_REQUEST, "give exactly one 'query' (or, by POST, 'update') "
                                                       "parameter; the query page is at /")
            if updates and method != "POST":
                raise _Refused(HTTPStatus.BAD_REQUEST, "SPARQL Update must be sent by POST")
            text, kind = (queries[0], "query") if queries else (updates[0], "update")
        return {"kind": kind, "text": text, "accept": environ.get("HTTP_ACCEPT"),
                "default_graphs": params.get("default-graph-uri", []),
                "named_graphs": params.get("named-graph-uri", [])}

    def _read_body(self, environ: dict[str, Any]) -> bytes:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise _Refused(HTTPStatus.BAD_REQUEST, "invalid Content-Length") from None
        stream = environ["wsgi.input"]
        if length > self.max_body:
            remaining = min(length, 8 * self.max_body)  # drain a little so the client reads our answer
            while remaining > 0 and (chunk := stream.read(min(remaining, 65536))):
                remaining -= len(chunk)
            raise _Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {self.max_body} bytes")
        return stream.read(length) if length else b""


def make_app(store_path: Path | str, *, writable: bool = False, timeout_s: float = 10.0, max_rows: int = 10000,
             max_body: int = 1_000_000) -> SparqlApp:
    """The WSGI application over the store in ``store_path`` (call ``close()`` when done)."""
    return SparqlApp(Path(store_path), writable=writable, timeout_s=timeout_s, max_rows=max_rows,
                     max_body=max_body)


class _Handler(WSGIRequestHandler):
    timeout = 60  # seconds a client may take to send its request

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (BaseHTTPRequestHandler's name)
        log.info("%s %s", self.address_string(), format % args)


class SparqlServer(ThreadingMixIn, WSGIServer):
    """Threaded wsgiref server that owns a :class:`SparqlApp`."""

    daemon_threads = True

    def close(self) -> None:
        """Close the socket and stop the query worker."""
        self.server_close()
        app = self.get_app()
        if isinstance(app, SparqlApp):
            app.close()


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def make_server(store_path: Path | str, host: str = "127.0.0.1", port: int = 7878, *, writable: bool = False,
                timeout_s: float = 10.0, max_rows: int = 10000, max_body: int = 1_000_000) -> SparqlServer:
    """Bind the endpoint (``port`` 0 picks a free port: see ``server.server_port``); not yet serving."""
    loopback = _is_loopback(host)
    if not loopback:
        log.warning("serving on %s: the endpoint has no authentication", host)
    allowed = frozenset(_LOOPBACK_NAMES | {host.strip("[]").lower()}) if loopback else None
    app = SparqlApp(Path(store_path), writable=writable, timeout_s=timeout_s, max_rows=max_rows,
                    max_body=max_body, allowed_hosts=allowed)
    server_class = type("SparqlServer6", (SparqlServer,), {"address_family": socket.AF_INET6}) \
        if ":" in host else SparqlServer
    try:
        server = server_class((host.strip("[]"), port), _Handler)
    except OSError as error:
        app.close()
        raise StoreError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    server.set_app(app)
    return server


def serve(store_path: Path | str, host: str = "127.0.0.1", port: int = 7878, *, writable: bool = False,
          timeout_s: float = 10.0, max_rows: int = 10000, max_body: int = 1_000_000) -> None:
    """Serve the store at ``http://host:port/sparql`` until interrupted."""
    server = make_server(store_path, host, port, writable=writable, timeout_s=timeout_s, max_rows=max_rows,
                         max_body=max_body)
    shown = f"[{host}]" if ":" in host else host
    log.info("SPARQL endpoint at http://%s:%d/sparql (%s), query page at /", shown, server.server_port,
             "writable" if writable else "read-only")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        log.info("stopping")
    finally:
        server.close()


QUERY_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kg SPARQL</title>
<style>body{font:14px sans-serif;margin:2em}textarea{width:100%;height:12em;font:13px monospace}
table{border-collapse:collapse;margin-top:1em}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;
vertical-align:top;white-space:pre-wrap}#status{margin:.5em 0;color:#555}pre{background:#f6f6f6;padding:1em}</style>
</head><body><h1>kg SPARQL endpoint</h1>
<p>Endpoint: <code>/sparql</code> (SPARQL 1.1 Protocol). kg's prefixes (kg:, sem:, prov:, ...) are predeclared.</p>
<form id="f"><textarea id="q" spellcheck="false">SELECT ?event ?type ?label WHERE {
  ?event a sem:Event , ?type ; rdfs:label ?label .
  FILTER(STRSTARTS(STR(?type), STR(kg:)))
} LIMIT 50</textarea><br><button>Run query</button></form>
<div id="status"></div><div id="out"></div>
<script>
const form = document.getElementById('f'), out = document.getElementById('out'),
  status = document.getElementById('status');
function cell(tag, text) { const c = document.createElement(tag); c.textContent = text; return c; }
form.addEventListener('submit', async (e) => {
  e.preventDefault(); out.replaceChildren(); status.textContent = 'running...';
  const started = performance.now();
  try {
    const r = await fetch('sparql', {method: 'POST', body: new URLSearchParams({query: document.getElementById('q').value}),
      headers: {'Accept': 'application/sparql-results+json, text/turtle;q=0.9'}});
    const text = await r.text(), cut = r.headers.get('X-SPARQL-MaxRows');
    const took = ((performance.now() - started) / 1000).toFixed(2) + ' s';
    if (!r.ok) { status.textContent = r.status + ' ' + r.statusText; out.append(cell('pre', text)); return; }
    if (!(r.headers.get('Content-Type') || '').includes('json')) { status.textContent = took; out.append(cell('pre', text)); return; }
    const data = JSON.parse(text);
    if ('boolean' in data) { status.textContent = took; out.append(cell('pre', String(data.boolean))); return; }
    const vars = data.head.vars, rows = data.results.bindings, table = document.createElement('table');
    const head = document.createElement('tr'); vars.forEach(v => head.append(cell('th', v))); table.append(head);
    for (const b of rows) {
      const tr = document.createElement('tr');
      vars.forEach(v => { const t = b[v]; tr.append(cell('td', !t ? '' : t.value + (t['xml:lang'] ? ' @' + t['xml:lang'] : ''))); });
      table.append(tr);
    }
    status.textContent = rows.length + ' rows in ' + took + (cut ? ' (cut at the result limit of ' + cut + ' rows)' : '');
    out.append(table);
  } catch (err) { status.textContent = 'error: ' + err; }
});
const shared = new URLSearchParams(location.search).get('query');  // links such as /?query=...
if (shared) { document.getElementById('q').value = shared; form.requestSubmit(); }
</script></body></html>
"""
