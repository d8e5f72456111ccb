"""``kg push`` against a real Oxigraph server (SPARQL 1.1 Graph Store HTTP Protocol) on loopback."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from rdflib import Dataset, Literal
from rdflib.namespace import RDF, RDFS

from kg.export import serialize
from kg.push import PushError, push
from kg.rdf.iri import IriMinter
from kg.rdf.namespaces import KG

MINT = IriMinter()
OXIGRAPH = Path(sys.executable).parent / "oxigraph"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of an Oxigraph server started for these tests, stopped after them."""
    binary = OXIGRAPH if OXIGRAPH.exists() else shutil.which("oxigraph")
    if binary is None:
        pytest.skip("the `oxigraph` server (PyPI package oxigraph, a test extra) is not installed")
    port, location = free_port(), tmp_path_factory.mktemp("oxigraph")
    process = subprocess.Popen([str(binary), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"oxigraph did not start: {process.stderr.read().decode()[-500:]}")
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def select(base: str, query: str) -> list[dict[str, str]]:
    request = urllib.request.Request(f"{base}/query?" + urlencode({"query": query}),
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        bindings = json.load(response)["results"]["bindings"]
    return [{k: v["value"] for k, v in b.items()} for b in bindings]


def build(label: str, events: int, docs: tuple[str, ...] = ("d1", "d2")) -> Dataset:
    ds = Dataset()
    for doc_id in docs:
        graph, inferred = ds.graph(MINT.graph(doc_id)), ds.graph(MINT.inferred_graph(doc_id))
        for n in range(events):
            event = MINT.event(doc_id, f"e{n}")
            graph.add((event, RDF.type, KG.Attack))
            graph.add((event, RDFS.label, Literal(f'{label} "{n}"\n\u0645', lang="fr")))
            inferred.add((event, RDF.type, KG.ViolentEvent))
    return ds


def test_push_turtle_to_named_graph_and_query_back(oxigraph: str) -> None:
    report = push(serialize(build("a", 2), "turtle"), f"{oxigraph}/store", graph="http://example.org/corpus")
    assert report.triples == 8 and report.graphs == ["http://example.org/corpus"]
    rows = select(oxigraph, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://example.org/corpus> { ?s ?p ?o } }")
    assert rows == [{"n": "8"}]
    labels = select(oxigraph, "SELECT ?l WHERE { GRAPH <http://example.org/corpus> { ?e a <%s> ; <%s> ?l } } "
                              "ORDER BY ?l LIMIT 1" % (KG.Attack, RDFS.label))
    assert labels == [{"l": 'a "0"\n\u0645'}]
    push(serialize(build("b", 1), "turtle"), f"{oxigraph}/store", graph="http://example.org/corpus")
    rows = select(oxigraph, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://example.org/corpus> { ?s ?p ?o } }")
    assert rows == [{"n": "4"}]  # PUT replaced the graph


def test_push_dataset_replaces_each_document_graph(oxigraph: str, tmp_path: Path) -> None:
    path = tmp_path / "graph.nq"
    path.write_bytes(serialize(build("old", 3), "nquads"))
    report = push(path, f"{oxigraph}/store")
    assert sorted(report.graphs) == sorted(str(g) for d in ("d1", "d2")
                                           for g in (MINT.graph(d), MINT.inferred_graph(d)))
    report = push(serialize(build("new", 1), "nquads"), f"{oxigraph}/store", content_type="application/n-quads")
    assert report.triples == 6 and "pushed 6 triples in 4 graph(s)" in str(report)
    rows = select(oxigraph, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{MINT.graph('d1')}> {{ ?s ?p ?o }} }}")
    assert rows == [{"n": "2"}]  # the rebuilt document replaced its graph, no stale or duplicate triples


def test_merge_mode_posts_once(oxigraph: str) -> None:
    url = f"{oxigraph}/store"
    report = push(serialize(build("merged", 2, ("m1", "m2")), "nquads"), url, content_type="application/n-quads", replace=False)
    assert report.triples == 12 and len(report.graphs) == 4
    push(b'<http://example.org/m> <http://example.org/p> "1" .', url, graph="http://example.org/m", replace=False)
    push(b'<http://example.org/m> <http://example.org/p> "2" .', url, graph="http://example.org/m", replace=False)
    rows = select(oxigraph, "SELECT ?o WHERE { GRAPH <http://example.org/m> { ?s ?p ?o } } ORDER BY ?o")
    assert rows == [{"o": "1"}, {"o": "2"}]  # POST merges


def test_push_default_graph(oxigraph: str) -> None:
    push(b"<http://example.org/a> <http://example.org/b> \"1\" .", f"{oxigraph}/store",
         content_type="application/n-triples")
    assert select(oxigraph, "SELECT ?o WHERE { <http://example.org/a> ?p ?o }") == [{"o": "1"}]


@pytest.mark.parametrize("data, url, kwargs, message", [
    (b"<a> <b> .", "/store", {}, r"^the data is not valid text/turtle: "),
    (b"", "/nothing-here", {}, r"refused the graph: HTTP 404"),
    (b"", "/store", {"content_type": "image/png"}, r"^unsupported content type image/png"),
    (b"", "/store", {"content_type": "application/n-quads", "graph": "http://g"}, r"names its own graphs"),
])
def test_refusals_are_one_line(oxigraph: str, data: bytes, url: str, kwargs: dict, message: str) -> None:
    with pytest.raises(PushError, match=message) as caught:
        push(data, oxigraph + url, **kwargs)
    assert "\n" not in str(caught.value)


def test_unreachable_store_is_one_line_error() -> None:
    port = free_port()  # nothing listens there
    with pytest.raises(PushError, match=rf"^cannot reach http://127.0.0.1:{port}/store: .+") as caught:
        push(b"", f"http://127.0.0.1:{port}/store", timeout_s=5)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("url", ["ftp://example.org/store", "store", "http:///store"])
def test_not_an_http_url(url: str) -> None:
    with pytest.raises(PushError, match="not an http"):
        push(b"", url)
