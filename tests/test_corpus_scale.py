"""Corpus-scale behaviour: batch builds, the incremental store, replacement of a changed document.

* A batch build (``Pipeline.build_many``, one ``nlp.pipe``) gives what one-by-one
  builds give, in one process and with two worker processes.
* A document already in the store with the same text is skipped; a changed one
  replaces its asserted graph, its inferred graph and its record, and leaves the
  other documents alone; new documents written one by one or in a bulk batch
  give the same store.
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.extract.model import Document
from kg.inputs import make_document, read_text_file
from kg.pipeline import DocumentBuild, Pipeline
from kg.store import Store

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture(scope="module")
def documents() -> list[Document]:
    """The three shortest reports of the shared corpus."""
    paths = sorted(CORPUS.glob("*/*.txt"), key=lambda p: p.stat().st_size)[:3]
    if len(paths) < 3:
        pytest.skip(f"no corpus at {CORPUS}")
    return [read_text_file(path) for path in paths]


def changed(document: Document) -> Document:
    """The same document (same id) with one more sentence."""
    return make_document(document.id, document.text + "\n\nLe bilan pourrait encore s'alourdir, selon l'AFP.",
                         document.published, document.url)


def same_build(a: DocumentBuild, b: DocumentBuild) -> None:
    assert a.document.id == b.document.id
    assert a.text_hash == b.text_hash
    assert set(a.graph) == set(b.graph)
    assert set(a.inferred) == set(b.inferred)
    assert a.contradictions == b.contradictions
    assert a.conforms == b.conforms
    assert a.validation.violations == b.validation.violations


def stored(store: Store, name: str) -> set[ox.Quad]:
    return set(store.inner.quads_for_pattern(None, None, None, ox.NamedNode(name)))


# -- batch builds ---------------------------------------------------------------------------------------

def test_a_batch_build_equals_one_by_one_builds(kg_pipeline: Pipeline, documents: list[Document]) -> None:
    batch = list(kg_pipeline.build_many(documents))
    alone = [kg_pipeline.build(d) for d in documents]

    assert [b.document.id for b in batch] == [d.id for d in documents]
    for a, b in zip(batch, alone):
        same_build(a, b)


def test_a_batch_build_streams_its_documents(kg_pipeline: Pipeline, documents: list[Document]) -> None:
    read: list[str] = []

    def lazily():
        for document in documents:
            read.append(document.id)
            yield document

    builds = kg_pipeline.build_many(lazily())
    first = next(builds)

    assert first.document.id == documents[0].id
    assert len(read) <= kg_pipeline.batch_size
    assert [b.document.id for b in builds] == [d.id for d in documents[1:]]


def test_a_two_process_batch_build_equals_one_by_one_builds(kg_pipeline: Pipeline,
                                                            documents: list[Document]) -> None:
    """Two spaCy worker processes (what ``kg build`` uses for large corpora) change nothing in the result."""
    batch = list(Pipeline(n_process=2, batch_size=1).build_many(documents))
    alone = [kg_pipeline.build(d) for d in documents]

    for a, b in zip(batch, alone):
        same_build(a, b)


# -- the incremental store ------------------------------------------------------------------------------

def test_unchanged_documents_are_skipped(tmp_path: Path, documents: list[Document],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    from kg.build import build_command
    from kg.rdf.mapping import text_hash
    store = tmp_path / "store"
    build_command(documents, out=tmp_path / "first", fmt="turtle", store=store, quiet=True)
    with Store.open(store) as db:
        before = {d.id: stored(db, str(db.minter.graph(d.id))) for d in documents}
    capsys.readouterr()

    build_command([changed(documents[0]), *documents[1:]], out=tmp_path / "second", fmt="turtle", store=store,
                  quiet=True)

    assert "skipped 2 document(s) already in the store unchanged" in capsys.readouterr().err
    with Store.open(store) as db:
        for d in documents[1:]:
            assert stored(db, str(db.minter.graph(d.id))) == before[d.id]
        assert db.has_document(documents[0].id, text_hash(changed(documents[0]).text))
        assert not db.has_document(documents[0].id, text_hash(documents[0].text))
        assert db.document_ids() == sorted(d.id for d in documents)


def test_outputs_are_the_same_built_in_memory_from_the_store_or_skipped(tmp_path: Path,
                                                                         documents: list[Document]) -> None:
    from kg.build import build_command
    store = tmp_path / "store"
    runs = {"memory": None, "store": store, "skipped": store}
    for name, target in runs.items():
        build_command(documents, out=tmp_path / name, fmt="trig", store=target, quiet=True)

    for output in ("graph.trig", "inferred.ttl"):
        first = (tmp_path / "memory" / output).read_bytes()
        assert first and all((tmp_path / name / output).read_bytes() == first for name in runs)


def test_a_build_writes_one_shacl_report_with_every_broken_document(kg_pipeline: Pipeline,
                                                                    documents: list[Document]) -> None:
    import dataclasses

    from rdflib import Graph, Literal
    from rdflib.namespace import RDF, SH

    from kg.build import _Tally
    from kg.rdf.namespaces import KG
    from kg.validate import validate
    tally = _Tally()
    broken = []
    for build in kg_pipeline.build_many(documents):
        graph = Graph() + build.graph
        if not any(graph.triples((None, KG["count"], None))):
            continue
        graph.remove((None, KG["count"], None))  # every casualty figure loses its required count
        broken.append(dataclasses.replace(build, graph=graph, validation=validate(graph)))
        tally.add(broken[-1])
    assert len(broken) >= 2 and not any(b.validation.conforms for b in broken)

    report = tally.shacl_report()

    [node] = report.subjects(RDF.type, SH.ValidationReport)
    assert report.value(node, SH.conforms) == Literal(False)
    expected = {(b.validation.report_graph.value(r, SH.focusNode), b.validation.report_graph.value(r, SH.sourceShape))
                for b in broken for r in b.validation.report_graph.objects(None, SH.result)}
    found = {(report.value(r, SH.focusNode), report.value(r, SH.sourceShape)) for r in report.objects(node, SH.result)}
    assert found == expected and len(tally.lines) >= len(broken)


def test_a_changed_document_replaces_its_named_graphs(tmp_path: Path, kg_pipeline: Pipeline,
                                                      documents: list[Document]) -> None:
    old, other = kg_pipeline.build(documents[0]), kg_pipeline.build(documents[1])
    new = kg_pipeline.build(changed(documents[0]))
    with Store.open(tmp_path / "store") as db:
        db.put_documents([(b.document.id, b.text_hash, b.graph, b.inferred) for b in (old, other)])
        graph, inferred = str(db.minter.graph(old.document.id)), str(db.minter.inferred_graph(old.document.id))
        other_graph = stored(db, str(db.minter.graph(other.document.id)))
        assert db.has_document(old.document.id, old.text_hash)
        assert not db.has_document(new.document.id, new.text_hash)

        db.put_document(new.document.id, new.text_hash, new.graph, new.inferred)

        assert len(stored(db, graph)) == len(new.graph)
        assert len(stored(db, inferred)) == len(new.inferred)
        assert db.has_document(new.document.id, new.text_hash)
        assert not db.has_document(old.document.id, old.text_hash)
        assert stored(db, str(db.minter.graph(other.document.id))) == other_graph
        assert db.document_ids() == sorted([old.document.id, other.document.id])


def test_writing_one_by_one_or_in_a_batch_gives_the_same_store(tmp_path: Path, kg_pipeline: Pipeline,
                                                               documents: list[Document]) -> None:
    builds = list(kg_pipeline.build_many(documents))
    items = [(b.document.id, b.text_hash, b.graph, b.inferred) for b in builds]
    with Store.open(tmp_path / "one-by-one") as a, Store.open(tmp_path / "batch") as b, \
            Store.open(tmp_path / "replaced") as c:
        for item in items:
            a.put_document(*item)
        b.put_documents(items)
        first = kg_pipeline.build(changed(documents[0]))
        c.put_documents([(first.document.id, first.text_hash, first.graph, first.inferred)])
        c.put_documents(items)  # the first document replaces its changed version, the others are new

        assert set(a.inner) == set(b.inner) == set(c.inner)  # the union (default graph) included


def test_a_document_given_twice_in_a_batch_is_stored_as_its_last_version(
        tmp_path: Path, kg_pipeline: Pipeline, documents: list[Document]) -> None:
    old, new = kg_pipeline.build(documents[0]), kg_pipeline.build(changed(documents[0]))
    with Store.open(tmp_path / "twice") as twice, Store.open(tmp_path / "once") as once:
        twice.put_documents([(b.document.id, b.text_hash, b.graph, b.inferred) for b in (old, new)])
        once.put_documents([(new.document.id, new.text_hash, new.graph, new.inferred)])

        assert twice.has_document(new.document.id, new.text_hash)
        assert not twice.has_document(old.document.id, old.text_hash)
        assert set(twice.inner) == set(once.inner)


def test_a_batch_keeps_a_blank_node_the_same_node_in_its_graph_and_in_the_union(tmp_path: Path) -> None:
    """A bulk loader gives every blank node a new label; a graph with blank nodes must not lose the link
    between its triples, nor between its named graph and the union."""
    from rdflib import BNode, Graph, Literal, URIRef
    node, graph = BNode(), Graph()
    graph.add((URIRef("urn:x:event"), URIRef("urn:x:figure"), node))
    graph.add((node, URIRef("urn:x:count"), Literal(3)))
    plain = Graph()
    plain.add((URIRef("urn:x:other"), URIRef("urn:x:count"), Literal(4)))
    with Store.open(tmp_path / "store") as db:
        db.put_documents([("with-blank", "h1", graph, Graph()), ("plain", "h2", plain, Graph())])
        [row] = db.query("SELECT ?n WHERE { <urn:x:event> <urn:x:figure> ?f . ?f <urn:x:count> ?n }")
        assert row.n.toPython() == 3
        assert union(db) == union_of_graphs(db)
        assert db.document_ids() == ["plain", "with-blank"]


def union_of_graphs(store: Store) -> set[ox.Triple]:
    return {q.triple for q in store.quads()}


def union(store: Store) -> set[ox.Triple]:
    return {q.triple for q in store.inner.quads_for_pattern(None, None, None, ox.DefaultGraph())}


def test_queries_read_each_triple_once_whatever_documents_come_and_go(tmp_path: Path, kg_pipeline: Pipeline,
                                                                     documents: list[Document]) -> None:
    """The store's union (what queries read) is the set of the document graphs' triples, kept up to date."""
    builds = [kg_pipeline.build(d) for d in documents[:2]]
    with Store.open(tmp_path / "store") as db:
        db.put_documents([(b.document.id, b.text_hash, b.graph, b.inferred) for b in builds])
        assert union(db) == union_of_graphs(db)
        shared = union(db) & {q.triple for q in db.quads() if q.graph_name.value == str(
            db.minter.graph(builds[1].document.id))} & {q.triple for q in db.quads() if q.graph_name.value == str(
            db.minter.graph(builds[0].document.id))}

        new = kg_pipeline.build(changed(documents[0]))
        db.put_document(new.document.id, new.text_hash, new.graph, new.inferred)
        assert union(db) == union_of_graphs(db)

        db.remove_document(builds[1].document.id)
        assert union(db) == union_of_graphs(db)
        [row] = db.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert row.n.toPython() == len(union_of_graphs(db))
    assert shared, "the two reports share no triple: the test shows nothing"


def test_a_bulk_load_cut_short_is_rebuilt(tmp_path: Path, kg_pipeline: Pipeline,
                                          documents: list[Document]) -> None:
    """Graphs without a record (a bulk load cut short before the records) do not count as stored,
    and storing the document again replaces them."""
    build = kg_pipeline.build(documents[0])
    with Store.open(tmp_path / "store") as db:
        name = ox.NamedNode(str(db.minter.graph(build.document.id)))
        db.inner.extend([ox.Quad(ox.NamedNode("urn:x:left"), ox.NamedNode("urn:x:over"), ox.Literal("x"), name)])
        assert not db.has_document(build.document.id, build.text_hash)

        db.put_documents([(build.document.id, build.text_hash, build.graph, build.inferred)])

        assert db.has_document(build.document.id, build.text_hash)
        assert len(stored(db, name.value)) == len(build.graph)


def test_a_failing_document_stops_a_two_process_build_in_order(kg_pipeline: Pipeline, documents: list[Document],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The builds before it come out; then the error names the document (build.py then builds it alone)."""
    import kg.pipeline
    real = kg.pipeline.extract_document

    def extract(spacy_doc, document):
        if document.id == documents[1].id:
            raise ValueError("no extraction today")
        return real(spacy_doc, document)

    monkeypatch.setattr(kg.pipeline, "extract_document", extract)  # the forked workers inherit it
    builds = Pipeline(n_process=2, batch_size=2).build_many(documents)

    assert next(builds).document.id == documents[0].id
    with pytest.raises(kg.pipeline.BuildError, match=rf"document '{documents[1].id}': ValueError: no extraction"):
        next(builds)
