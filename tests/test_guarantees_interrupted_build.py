"""Nothing is lost: an interrupted build leaves the store and earlier outputs as they were; a rerun finishes the job.

Each document goes into the store in one transaction as soon as it is built,
and output files are written to a temporary file and renamed. The main test
runs ``kg build corpus.jsonl --store DIR`` in a subprocess, kills it with
SIGKILL once the store holds some documents, checks that the store opens and
holds only whole documents and that the earlier output is untouched, then
reruns the build and checks that every document is there exactly once.
"""
from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.compare import isomorphic

from kg.cli import main
from kg.export import write_atomic
from kg.inputs import make_document, parse_date
from kg.rdf.iri import IriMinter
from kg.rdf.mapping import text_hash
from kg.rdf.namespaces import KG, NIF, SCHEMA
from kg.store import Store, from_oxigraph, graph_quads

KG_BIN = Path(sys.executable).with_name("kg")
MINT = IriMinter()
GROUPS = ["Le JNIM", "L’État islamique au Sahel", "La katiba Macina", "Ansarul Islam", "Un groupe armé"]
PLACES = ["Sokolo", "Tessit", "Boni", "Djibo", "Ménaka", "Ansongo"]
N_DOCS = 30
KILL_AFTER = 5  # documents stored


def corpus_documents() -> list[dict[str, str]]:
    """Thirty short, distinct reports."""
    docs = []
    for n in range(N_DOCS):
        group, place = GROUPS[n % len(GROUPS)], PLACES[n % len(PLACES)]
        text = (f"{group} a attaqué le poste de {place} le {n % 28 + 1} mars 2023. "
                f"{n + 2} soldats ont été tués, selon une source sécuritaire.")
        docs.append({"id": f"doc-{n:02d}", "text": text, "published": "2023-03-30"})
    return docs


def graph_names(store: Store) -> list[str]:
    return sorted(g.value for g in store.inner.named_graphs())


def expected_graph_names(store: Store, doc_ids: list[str]) -> list[str]:
    names = [str(MINT.graph(i)) for i in doc_ids] + [str(MINT.inferred_graph(i)) for i in doc_ids]
    return sorted(names + [store._meta.value])


def stored_graph(store: Store, name: str) -> Graph:
    graph = Graph()
    for quad in store.inner.quads_for_pattern(None, None, None, ox.NamedNode(name)):
        graph.add((from_oxigraph(quad.subject), from_oxigraph(quad.predicate), from_oxigraph(quad.object)))
    return graph


def as_stored(graph: Graph) -> Graph:
    """``graph`` as an Oxigraph store gives it back (see test_store_keeps_literal_datatypes)."""
    memory = ox.Store()
    memory.extend(graph_quads(graph, ox.DefaultGraph()))
    out = Graph()
    for quad in memory:
        out.add((from_oxigraph(quad.subject), from_oxigraph(quad.predicate), from_oxigraph(quad.object)))
    return out


def assert_whole_documents(store: Store, texts: dict[str, str]) -> list[str]:
    """Every stored document has its record, both graphs and its full text; no graph without a record."""
    ids = store.document_ids()
    assert len(ids) == len(set(ids)) and set(ids) <= set(texts)
    assert graph_names(store) == expected_graph_names(store, ids)
    for doc_id in ids:
        graph = stored_graph(store, str(MINT.graph(doc_id)))
        doc = MINT.document(doc_id)
        assert graph.value(doc, NIF.isString) == Literal(texts[doc_id])
        assert list(graph.objects(doc, SCHEMA.identifier)) == [Literal(doc_id)]
        assert store.has_document(doc_id, text_hash(texts[doc_id]))
        assert len(stored_graph(store, str(MINT.inferred_graph(doc_id)))) > 0
    meta = stored_graph(store, store._meta.value)
    assert len(meta) == 2 * len(ids) and set(meta.predicates()) == {SCHEMA.identifier, KG.textHash}
    return ids


def test_sigkill_halfway_then_rerun_finishes_without_duplicates(tmp_path: Path, kg_pipeline) -> None:
    docs = corpus_documents()
    texts = {d["id"]: d["text"] for d in docs}
    corpus, store_dir, out = tmp_path / "corpus.jsonl", tmp_path / "store", tmp_path / "out"
    corpus.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    out.mkdir()
    earlier = b"# the graph of an earlier build\n"
    (out / "graph.ttl").write_bytes(earlier)

    build = [str(KG_BIN), "build", str(corpus), "--store", str(store_dir), "--out", str(out), "--quiet"]
    process = subprocess.Popen([str(KG_BIN), "-v", *build[1:]], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(300, process.kill)
    watchdog.start()
    stored, log = 0, []
    try:
        assert process.stderr is not None
        for line in process.stderr:
            log.append(line)
            stored += line.startswith("kg: INFO: stored doc-")
            if stored >= KILL_AFTER:
                process.send_signal(signal.SIGKILL)
                break
        process.wait(60)
    finally:
        watchdog.cancel()
    assert process.returncode == -signal.SIGKILL, "".join(log)

    # The store opens and holds only whole documents; the earlier output is untouched, no temporary file left.
    with Store.open(store_dir, create=False) as store:
        killed_ids = assert_whole_documents(store, texts)
        before = {i: stored_graph(store, str(MINT.graph(i))) for i in killed_ids}
    assert KILL_AFTER <= len(killed_ids) < N_DOCS
    assert killed_ids == [d["id"] for d in docs[:len(killed_ids)]]  # built and stored in corpus order
    assert sorted(p.name for p in out.iterdir()) == ["graph.ttl"]
    assert (out / "graph.ttl").read_bytes() == earlier

    # The last document stored before the kill is the one a torn write would have hit: it is whole.
    last = killed_ids[-1]
    fresh = kg_pipeline.build(make_document(last, texts[last], parse_date("2023-03-30")))
    assert isomorphic(before[last], as_stored(fresh.graph))

    # Rerun: skips what is stored, builds the rest, writes outputs holding every document once.
    rerun = subprocess.run([*build, "--format", "trig"], capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert f"skipped {len(killed_ids)} document(s) already in the store unchanged" in rerun.stderr
    assert f"documents {N_DOCS - len(killed_ids)} (+{len(killed_ids)} unchanged in the store)" in rerun.stdout
    with Store.open(store_dir, create=False) as store:
        assert assert_whole_documents(store, texts) == sorted(texts)
        for doc_id, graph in before.items():  # documents of the killed run were not rebuilt
            assert isomorphic(stored_graph(store, str(MINT.graph(doc_id))), graph)
    output = Dataset().parse(out / "graph.trig", format="trig")
    names = sorted(str(g.identifier) for g in output.graphs() if len(g))
    assert names == sorted([str(MINT.graph(i)) for i in texts] + [str(MINT.inferred_graph(i)) for i in texts])
    documents = [(s, str(o)) for s, _, o, _ in output.quads((None, SCHEMA.identifier, None, None))]
    assert sorted(documents) == sorted((MINT.document(i), i) for i in texts)
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]


def test_ctrl_c_says_outputs_are_intact(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object):
        raise KeyboardInterrupt
        yield  # a generator, like the real one

    monkeypatch.setattr("kg.build.build_each", interrupted)
    text = tmp_path / "a.txt"
    text.write_text("Le JNIM a attaqué le poste de Sokolo.", encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "graph.ttl").write_bytes(b"earlier")
    assert main(["build", str(text), "--out", str(tmp_path / "out"), "--store", str(tmp_path / "store")]) == 130
    assert capsys.readouterr().err == "kg: interrupted; outputs already written are intact\n"
    assert (tmp_path / "out" / "graph.ttl").read_bytes() == b"earlier"
    with Store.open(tmp_path / "store", create=False) as store:  # the store was closed and can be reopened
        assert store.document_ids() == []


@pytest.mark.parametrize("failure", [KeyboardInterrupt(), OSError(errno.ENOSPC, "No space left on device")])
def test_write_is_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException) -> None:
    target = tmp_path / "graph.ttl"
    target.write_bytes(b"earlier")

    def fail(*args: object) -> None:
        raise failure

    monkeypatch.setattr(os, "replace" if isinstance(failure, KeyboardInterrupt) else "fsync", fail)
    with pytest.raises(type(failure)):
        write_atomic(target, b"new content " * 1000)
    assert target.read_bytes() == b"earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


def test_full_disk_is_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    text = tmp_path / "a.txt"
    text.write_text("Le JNIM a attaqué le poste de Sokolo.", encoding="utf-8")
    assert main(["records", str(text), "--out", str(tmp_path / "records")]) == 2
    assert capsys.readouterr().err == "kg: error: No space left on device\n"
    assert list((tmp_path / "records").iterdir()) == []


def test_store_keeps_literal_datatypes(seed_build, tmp_path: Path) -> None:
    """What goes into the store comes back the same (Oxigraph folds integer subtypes into xsd:integer, so
    kg writes offsets and counts as xsd:integer)."""
    graph = seed_build.graph
    with Store.open(tmp_path / "store") as store:
        store.put_document("d", "h", graph, Graph())
        assert isomorphic(stored_graph(store, str(MINT.graph("d"))), graph)
