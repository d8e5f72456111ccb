"""The embedded Oxigraph store: put, replace, skip, remove, query the union, reopen from disk."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg.export import serialize, serialize_quads
from kg.rdf.iri import IriMinter
from kg.rdf.namespaces import KG, SCHEMA
from kg.store import Store, StoreError

MINT = IriMinter()
ACTOR = MINT.actor("JNIM")
COUNT_EVENTS = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a kg:Attack }"


def document(doc_id: str, label: str, *, events: int = 1) -> tuple[Graph, Graph]:
    """Asserted and inferred graphs of a small document."""
    asserted, inferred = Graph(), Graph()
    doc = MINT.document(doc_id)
    asserted.add((doc, RDF.type, SCHEMA.NewsArticle))
    asserted.add((doc, SCHEMA.identifier, Literal(doc_id)))
    asserted.add((ACTOR, SKOS.prefLabel, Literal("JNIM")))
    for n in range(events):
        event = MINT.event(doc_id, f"e{n}")
        asserted.add((event, RDF.type, KG.Attack))
        asserted.add((event, RDFS.label, Literal(f'{label} "{n}"\n\U0001f525', lang="fr")))
        asserted.add((event, KG.attacker, ACTOR))
        inferred.add((event, RDF.type, URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/Event")))
    asserted.add((doc, SCHEMA.datePublished, Literal("2022-07-27", datatype=XSD.date)))
    return asserted, inferred


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / "store") as opened:
        yield opened


def test_put_and_has_document(store: Store) -> None:
    asserted, inferred = document("d1", "attaque")
    assert not store.has_document("d1", "h1")
    store.put_document("d1", "h1", asserted, inferred)
    assert store.has_document("d1", "h1")
    assert not store.has_document("d1", "h2")
    assert store.document_ids() == ["d1"]
    assert store.count() == len(asserted) + len(inferred)


def test_rebuild_replaces_named_graphs_never_duplicates(store: Store) -> None:
    store.put_document("d1", "h1", *document("d1", "old", events=3))
    new_asserted, new_inferred = document("d1", "new", events=1)
    store.put_document("d1", "h2", new_asserted, new_inferred)
    store.put_document("d1", "h2", new_asserted, new_inferred)
    assert store.count() == len(new_asserted) + len(new_inferred)
    assert store.has_document("d1", "h2") and not store.has_document("d1", "h1")
    labels = [row.l for row in store.query("SELECT ?l WHERE { ?e rdfs:label ?l }")]
    assert labels == [Literal('new "0"\n\U0001f525', lang="fr")]


def test_query_runs_over_union_of_documents(store: Store) -> None:
    store.put_document("d1", "h1", *document("d1", "a", events=2))
    store.put_document("d2", "h2", *document("d2", "b", events=3))
    assert [row.n.toPython() for row in store.query(COUNT_EVENTS)] == [5]
    # inferred graphs are part of the union
    inferred = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?e a sem:Event }")
    assert [row.n.toPython() for row in inferred] == [5]
    # the bookkeeping record only repeats triples of the document graphs
    documents = store.query("SELECT DISTINCT ?d ?id WHERE { ?d schema:identifier ?id } ORDER BY ?id")
    assert [(row.d, str(row.id)) for row in documents] == [(MINT.document("d1"), "d1"), (MINT.document("d2"), "d2")]


def test_query_bindings_and_result_kinds(store: Store) -> None:
    store.put_document("d1", "h1", *document("d1", "a", events=2))
    rows = store.query("SELECT ?e ?who WHERE { ?e kg:attacker ?who } ORDER BY ?e", {"who": ACTOR})
    assert [row.e for row in rows] == [MINT.event("d1", "e0"), MINT.event("d1", "e1")]
    assert store.query("ASK { ?e kg:attacker ?who }", {"who": URIRef("http://other")}).askAnswer is False
    constructed = store.query("CONSTRUCT { ?e a kg:Attack } WHERE { ?e a kg:Attack }").graph
    assert len(constructed) == 2
    date = next(iter(store.query("SELECT ?d WHERE { ?doc schema:datePublished ?d }"))).d
    assert date == Literal("2022-07-27", datatype=XSD.date)


def test_malformed_query_is_one_line_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match=r"^malformed SPARQL query: [^\n]+$"):
        store.query("SELEKT ?x WHERE { ?x ?y }")


def test_binding_an_unprojected_variable_says_so(store: Store) -> None:
    with pytest.raises(StoreError, match=r"with bindings \['who'\]: .*binds only variables the SELECT projects"):
        store.query("SELECT ?e WHERE { ?e kg:attacker ?who }", {"who": ACTOR})


def test_remove_document(store: Store) -> None:
    store.put_document("d1", "h1", *document("d1", "a"))
    store.put_document("d2", "h2", *document("d2", "b"))
    assert store.remove_document("d1") and not store.remove_document("d1")
    assert store.document_ids() == ["d2"]
    assert [row.n.toPython() for row in store.query(COUNT_EVENTS)] == [1]


def test_reopen_from_disk_and_export_dataset(tmp_path: Path) -> None:
    path = tmp_path / "store"
    asserted, inferred = document("d1", "a", events=2)
    with Store.open(path) as store:
        store.put_document("d1", "h1", asserted, inferred)
    with Store.open(path, create=False) as store:
        assert store.has_document("d1", "h1")
        dataset = store.dataset()
        for fmt in ("trig", "turtle"):  # the fast path (no rdflib dataset) writes the same bytes
            assert serialize_quads(store.quads(), fmt) == serialize(dataset, fmt)
    graphs = {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}
    assert graphs == {str(MINT.graph("d1")): len(asserted), str(MINT.inferred_graph("d1")): len(inferred)}
    assert set(dataset.graph(MINT.graph("d1"))) == set(asserted)


@pytest.mark.parametrize("setup, message", [
    ("file", "is a file, not a store folder"),
    ("foreign", "is not a kg store"),
    ("missing", "no store at"),
])
def test_not_a_store(tmp_path: Path, setup: str, message: str) -> None:
    path = tmp_path / "target"
    if setup == "file":
        path.write_text("x")
    elif setup == "foreign":
        path.mkdir()
        (path / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match=message):
        Store.open(path, create=setup != "missing")
    if setup == "foreign":
        assert [p.name for p in path.iterdir()] == ["notes.txt"]  # nothing written into the user's folder


def test_locked_store_gives_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with Store.open(path):
        code = ("import sys\nfrom kg.store import Store, StoreError\n"
                f"try:\n    Store.open({str(path)!r})\nexcept StoreError as e:\n    print(e); sys.exit(3)\n")
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 3, run.stderr
    assert run.stdout.strip() == f"store {path} is in use by another process (a running `kg serve`?)"
