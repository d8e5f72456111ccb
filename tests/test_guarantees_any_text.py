"""Any text gives a valid graph: the build never crashes, and its Turtle re-parses to the same graph.

Names with quotes, ``<>``, braces, backslashes, emoji, right-to-left script or
control characters become valid IRIs (checked by Oxigraph's IRI parser) and
literals. Property-based tests feed arbitrary Unicode (hypothesis) through the
real pipeline (one shared ``Pipeline``, reasoning and validation off for speed)
and check the serialisations with ``rdflib.compare.isomorphic``; a fixed
hostile document goes through the full pipeline, reasoning and shapes included.
"""
from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.export import serialize
from kg.inputs import make_document
from kg.pipeline import DocumentBuild, Pipeline
from kg.rdf.iri import IriMinter, slug
from kg.rdf.namespaces import NIF
from kg.records import records
from kg.text import InputError, clean

MINT = IriMinter()
HOSTILE = ['Ansar "Dine"', "Groupe <script>alert(1)</script>", "Katiba {Macina}", "Front \\ Nord \\\\",
           "Brigade 🔥🇲🇱", "كتيبة ماسينا", "\u202eenilno\u202c", "Bande\x00\x07\x1b[31m", "N'Djam’ena",
           "Ménaka\u0301\u0301", "Mali\u200b\u200d", "x" * 300, "\ufeffGao", "Tombouctou\r\nKidal", "\ud83d"]
TEMPLATES = [
    "Le groupe {0} a attaqué le camp de {1} le 3 mars 2022, tuant {2} soldats, selon {0}.",
    "« Nous avons repoussé l’attaque de {0} à {1} », a déclaré le colonel {0} à l’AFP.",
    "{0}\n\n{1} : au moins {2} civils ont été tués par des hommes armés de {0}.",
]
settings.register_profile("kg-any-text", max_examples=40, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

names = st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=40))
numbers = st.one_of(st.integers(-5, 10**12).map(str), st.text(alphabet="0123456789 ,.-", min_size=1, max_size=8))
texts = st.one_of(
    st.text(max_size=400),
    st.builds(lambda t, a, b, n: t.format(a, b, n), st.sampled_from(TEMPLATES), names, names, numbers),
    st.lists(st.sampled_from(HOSTILE + TEMPLATES), min_size=1, max_size=6).map(" ".join),
)
ids = st.one_of(st.sampled_from(["d1", "a b", "../etc/passwd", "<x>", "🔥", "é" * 200]), st.text(min_size=1))


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline(reason=False, check=False)


def assert_valid_terms(graph: Graph) -> None:
    """Every IRI parses as an IRI, every literal survives Oxigraph (which refuses invalid terms)."""
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef):
                ox.NamedNode(str(term))
            elif isinstance(term, Literal) and term.language:
                ox.Literal(str(term), language=term.language)


def assert_round_trips(build: DocumentBuild, pipe: Pipeline) -> None:
    """Turtle and N-Triples of the asserted graph, TriG and N-Quads of the dataset re-parse to the same graphs."""
    for fmt, rdflib_format in (("turtle", "turtle"), ("nt", "nt")):
        again = Graph().parse(data=serialize(build.graph, fmt), format=rdflib_format)
        assert isomorphic(again, build.graph), fmt
    dataset = pipe.dataset([build])
    for fmt, rdflib_format in (("trig", "trig"), ("nquads", "nquads")):
        again = Dataset().parse(data=serialize(dataset, fmt), format=rdflib_format)
        for name in (MINT.graph(build.document.id), MINT.inferred_graph(build.document.id)):
            assert isomorphic(again.graph(name), dataset.graph(name)), (fmt, name)
    json.loads(serialize(build.graph, "jsonld"))


def check_text(pipe: Pipeline, doc_id: str, text: str) -> None:
    try:
        document = make_document(doc_id, text, url="https://example.org/?q=<\"x\">")
    except InputError as err:  # the only refusal allowed: nothing left to read, or too long
        assert not clean(text).strip() or "too long" in str(err)
        return
    build = pipe.build(document)
    assert_valid_terms(build.graph)
    assert_round_trips(build, pipe)
    kept = build.graph.value(MINT.document(document.id), NIF.isString)
    assert str(kept) == document.text
    for mention in build.graph.subjects(NIF.anchorOf, None):
        begin = int(build.graph.value(mention, NIF.beginIndex))
        end = int(build.graph.value(mention, NIF.endIndex))
        assert document.text[begin:end] == str(build.graph.value(mention, NIF.anchorOf))
    json.dumps(records(build.graph, {"id": document.id}), ensure_ascii=False).encode("utf-8")


@settings(settings.get_profile("kg-any-text"))
@given(doc_id=ids, text=texts)
def test_any_text_builds_a_graph_that_round_trips(pipe: Pipeline, doc_id: str, text: str) -> None:
    check_text(pipe, doc_id, text)


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_name_in_a_report(pipe: Pipeline, name: str) -> None:
    check_text(pipe, name, TEMPLATES[0].format(name, name, 12))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(key=st.text())
def test_any_key_mints_a_valid_iri(key: str) -> None:
    for iri in (MINT.actor(key), MINT.place(key), MINT.document(key), MINT.graph(key), MINT.event(key, key),
                MINT.mention(key, 0, 1), MINT.person(key), MINT.post(key, key)):
        ox.NamedNode(str(iri))
    assert slug(key) == slug(key) and len(slug(key)) <= 69


def test_distinct_keys_stay_distinct() -> None:
    keys = ["JNIM", "jnim", "J.N.I.M.", "Ansar Dine", "Ansar  Dine", "ansar-dine", "🔥", "🔥🔥", "", " "]
    assert len({MINT.actor(k) for k in keys}) == len(keys)


def test_hostile_document_through_the_full_pipeline(kg_pipeline: Pipeline) -> None:
    """Reasoning, shapes and every output format on names from HOSTILE (one full build)."""
    full = kg_pipeline
    text = "\n\n".join(TEMPLATES[i % 3].format(n, HOSTILE[-1 - i], i + 2) for i, n in enumerate(HOSTILE[:8]))
    build = full.build(make_document('doc "<1>" {x} \\ 🔥', text, url="https://example.org/a b"))
    assert_valid_terms(build.graph)
    assert_valid_terms(build.inferred)
    assert_round_trips(build, full)
    again = Graph().parse(data=serialize(build.inferred, "turtle"), format="turtle")
    assert isomorphic(again, build.inferred)
