"""``kg serve`` over real HTTP on loopback: protocol, content negotiation, limits, errors, shutdown."""
from __future__ import annotations

import csv
import io
import json
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS

from kg.rdf.iri import IriMinter
from kg.rdf.namespaces import KG
from kg.serve import SparqlServer, make_server, negotiate, RESULT_TYPES
from kg.store import Store, StoreError

MINT = IriMinter()
LABEL = 'attaque "meurtrière"\n\U0001f525 <b>'
EVENTS = "SELECT ?e ?label WHERE { ?e a kg:Attack ; rdfs:label ?label } ORDER BY ?e"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { " + " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(8)) + " }"  # 12^8 rows


def fill(path: Path, events_per_doc: int = 2) -> None:
    with Store.open(path) as store:
        for doc_id in ("d1", "d2"):
            asserted = Graph()
            for n in range(events_per_doc):
                event = MINT.event(doc_id, f"e{n}")
                asserted.add((event, RDF.type, KG.Attack))
                asserted.add((event, RDFS.label, Literal(LABEL, lang="fr")))
            store.put_document(doc_id, "h", asserted, Graph())


class Client:
    """Loopback HTTP client of a running server."""

    def __init__(self, server: SparqlServer) -> None:
        self.base = f"http://127.0.0.1:{server.server_port}"

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=60) as response:
                return response.status, dict(response.headers), response.read()
        except HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def get(self, query: str, accept: str = "application/sparql-results+json") -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", "/sparql?" + urlencode({"query": query}), headers={"Accept": accept})

    def post_form(self, field: str, text: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        return self.request("POST", "/sparql", urlencode({field: text}).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded", **headers})


def running(path: Path, **limits: object) -> Iterator[tuple[SparqlServer, Client]]:
    server = make_server(path, "127.0.0.1", 0, **limits)  # type: ignore[arg-type]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, Client(server)
    finally:
        server.shutdown()
        server.close()
        thread.join(10)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "store"
    fill(path)
    return path


@pytest.fixture(scope="module")
def client(store_path: Path) -> Iterator[Client]:
    yield from (c for _, c in running(store_path, timeout_s=3.0, max_rows=3, max_body=10_000))


def rows(body: bytes) -> list[dict[str, str]]:
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(body)["results"]["bindings"]]


def test_get_query_returns_json_over_union_of_documents(client: Client) -> None:
    status, headers, body = client.get("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a kg:Attack }")
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+json"
    assert rows(body) == [{"n": "4"}]


@pytest.mark.parametrize("how", ["form", "direct"])
def test_post_query(client: Client, how: str) -> None:
    query = ("SELECT ?e ?label WHERE { ?e a kg:Attack ; rdfs:label ?label "
             "FILTER(CONTAINS(STR(?e), '/d1/')) } ORDER BY ?e")
    if how == "form":
        status, _, body = client.post_form("query", query)
    else:
        status, _, body = client.request("POST", "/sparql", query.encode(),
                                         {"Content-Type": "application/sparql-query"})
    assert status == 200, body
    assert rows(body) == [{"e": str(MINT.event("d1", f"e{n}")), "label": LABEL} for n in range(2)]


@pytest.mark.parametrize("accept, media", [
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv; charset=utf-8"),
    ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
    ("text/html,application/xhtml+xml,*/*;q=0.8", "application/sparql-results+json"),  # a browser
])
def test_content_negotiation(client: Client, accept: str, media: str) -> None:
    status, headers, body = client.get(EVENTS.replace("ORDER BY ?e", "ORDER BY ?e LIMIT 2"), accept)
    assert status == 200 and headers["Content-Type"] == media
    if "csv" in media:
        table = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        assert table[0] == ["e", "label"] and table[1] == [str(MINT.event("d1", "e0")), LABEL]
    elif "json" not in media:
        fmt = ox.QueryResultsFormat.XML if "xml" in media else ox.QueryResultsFormat.TSV
        parsed = list(ox.parse_query_results(body, fmt))
        assert len(parsed) == 2 and parsed[0]["label"] == ox.Literal(LABEL, language="fr")


def test_construct_as_turtle(client: Client) -> None:
    status, headers, body = client.get("CONSTRUCT { ?e a kg:Attack } WHERE { ?e a kg:Attack . "
                                       "FILTER(CONTAINS(STR(?e), '/d2/')) }", "text/turtle")
    assert status == 200 and headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert b"@prefix kg:" in body and len(Graph().parse(data=body, format="turtle")) == 2


def test_ask(client: Client) -> None:
    status, _, body = client.get("ASK { ?e a kg:Attack }")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_result_size_limit_cuts_rows_and_says_so(client: Client) -> None:
    status, headers, body = client.get(EVENTS)
    assert status == 200 and headers["X-SPARQL-MaxRows"] == "3" and len(rows(body)) == 3
    status, headers, body = client.get("CONSTRUCT WHERE { ?e rdfs:label ?l }", "application/n-triples")
    assert headers["X-SPARQL-MaxRows"] == "3" and len(body.splitlines()) == 3


@pytest.mark.parametrize("field", ["update", "direct"])
def test_update_refused_when_read_only(client: Client, field: str) -> None:
    update = "INSERT DATA { <http://x/a> <http://x/b> 1 }"
    if field == "update":
        status, _, body = client.post_form("update", update)
    else:
        status, _, body = client.request("POST", "/sparql", update.encode(),
                                         {"Content-Type": "application/sparql-update"})
    assert status == 403 and b"read-only" in body
    assert rows(client.get("SELECT * WHERE { <http://x/a> ?p ?o }")[2]) == []


@pytest.mark.parametrize("method, path, body, headers, status, message", [
    ("GET", "/sparql?" + urlencode({"query": "SELEKT * WHERE { ?s ?p ?o }"}), None, {}, 400, b"malformed SPARQL"),
    ("GET", "/sparql", None, {}, 400, b"exactly one 'query'"),
    ("GET", "/sparql?" + urlencode({"query": "ASK {}", "update": "CLEAR ALL"}), None, {}, 400, b"exactly one"),
    ("POST", "/sparql", b"x" * 20_000, {"Content-Type": "application/sparql-query"}, 413, b"over 10000 bytes"),
    ("GET", "/sparql?" + urlencode({"query": "ASK {}" + " " * 20_000}), None, {}, 414, b"over 10000 bytes"),
    ("POST", "/sparql", b"ASK {}", {"Content-Type": "text/plain"}, 415, b"application/sparql-query"),
    ("GET", "/sparql?" + urlencode({"query": "ASK {}"}), None, {"Accept": "image/png"}, 406, b"offered"),
    ("DELETE", "/sparql", None, {}, 405, b"GET and POST"),
    ("GET", "/nothing", None, {}, 404, b"/sparql"),
    ("GET", "/sparql?" + urlencode({"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"}),
     None, {}, 400, b"SERVICE and LOAD are disabled"),
    ("GET", "/", None, {"Host": "evil.example:7878"}, 403, b"unexpected Host"),
    ("POST", "/sparql", b"query=ASK%7B%7D", {"Content-Type": "application/x-www-form-urlencoded",
                                             "Origin": "https://evil.example"}, 403, b"cross-origin"),
])
def test_errors_then_still_serving(client: Client, method: str, path: str, body: bytes | None,
                                   headers: dict[str, str], status: int, message: bytes) -> None:
    got, _, text = client.request(method, path, body, headers)
    assert got == status and message in text and text.count(b"\n") == 1, text
    assert client.get("ASK { ?e a kg:Attack }")[0] == 200


def test_service_keyword_inside_a_string_is_fine(client: Client) -> None:
    assert client.get("ASK { ?e rdfs:label ?l FILTER(?l != 'SERVICE <x> LOAD') }")[0] == 200


def test_time_limit_stops_query_and_server_recovers(client: Client) -> None:
    status, _, body = client.get(HEAVY)
    assert status == 503 and b"time limit of 3 s" in body
    assert rows(client.get("SELECT (COUNT(*) AS ?n) WHERE { ?e a kg:Attack }")[2]) == [{"n": "4"}]


def test_query_page(client: Client) -> None:
    status, headers, body = client.request("GET", "/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"<textarea" in body and b"fetch('sparql'" in body and b"application/sparql-results+json" in body


def test_writable_server_accepts_update(tmp_path: Path) -> None:
    fill(tmp_path / "store")
    for _, client in running(tmp_path / "store", writable=True):
        status, _, _ = client.post_form("update", "INSERT DATA { GRAPH <http://x/g> { <http://x/a> kg:count 7 } }")
        assert status == 204
        # the default graph is kg's union of documents; a raw update lands in its own named graph
        assert rows(client.get("SELECT ?n WHERE { GRAPH <http://x/g> { <http://x/a> kg:count ?n } }")[2]) == [{"n": "7"}]


def test_stops_cleanly_and_releases_store(tmp_path: Path) -> None:
    fill(tmp_path / "store")
    for server, client in running(tmp_path / "store"):
        assert client.get("ASK {}")[0] == 200
        port = server.server_port
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
    with Store.open(tmp_path / "store", create=False) as store:  # the worker let go of the lock
        assert store.document_ids() == ["d1", "d2"]


def test_store_in_use_or_missing_is_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"^no store at "):
        make_server(tmp_path / "absent", "127.0.0.1", 0)
    with Store.open(tmp_path / "store"):
        with pytest.raises(StoreError, match=r"^store .* is in use by another process"):
            make_server(tmp_path / "store", "127.0.0.1", 0)


@pytest.mark.parametrize("accept, media", [
    (None, "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/*", "text/xml"),
    ("application/sparql-results+json;q=0", None),
])
def test_negotiate(accept: str | None, media: str | None) -> None:
    picked = negotiate(accept, RESULT_TYPES)
    assert (picked[0] if picked else None) == media
