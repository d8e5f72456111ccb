"""Extraction -> RDF (kg.rdf.mapping) and IRIs (kg.rdf.iri), on a hand-built extraction (tests/conftest.py).

What docs/graph-model.md promises: the graph conforms to the SHACL shapes;
every extracted node points back to its document and to the exact text it came
from; figures of two sources stay two nodes; IRIs are deterministic, shared
across documents for the same key, and valid whatever the text holds.
"""
from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, PROV, RDF

from kg.extract.model import Actor, Person, Place, Source
from kg.rdf.iri import DEFAULT_BASE, IriMinter, slug
from kg.rdf.mapping import to_graph
from kg.rdf.namespaces import GAF, GN, KG, KGC, NIF, SEM, WD
from kg.validate import validate

MINT = IriMinter()
DOC_ID = "sahel-2022-08-05-boni"


@pytest.fixture
def extraction(handmade):
    return handmade(DOC_ID)


@pytest.fixture
def graph(extraction) -> Graph:
    return to_graph(extraction)


def test_graph_conforms_to_the_shapes(graph: Graph) -> None:
    result = validate(graph)
    assert result.conforms, "\n".join(result.lines())


@pytest.mark.parametrize("cls", [SEM.Event, KG.CasualtyFigure, KG.ClaimOfResponsibility, KG.Statement,
                                 SEM.Actor, SEM.Place, KG.Spokesperson])
def test_every_extracted_node_has_provenance(graph: Graph, extraction, cls: URIRef) -> None:
    """prov:wasDerivedFrom the document, and gaf:denotedBy mentions whose anchor is the text slice."""
    doc, text = MINT.document(DOC_ID), extraction.document.text
    nodes = set(graph.subjects(RDF.type, cls))
    assert nodes
    for node in nodes:
        if cls == SEM.Place and (node, PROV.wasDerivedFrom, MINT.dataset("gazetteer")) in graph:
            continue  # a containing place the text does not name (see the next test)
        assert (node, PROV.wasDerivedFrom, doc) in graph, node
        mentions = list(graph.objects(node, GAF.denotedBy))
        assert mentions, node
        for m in mentions:
            begin, end = int(graph.value(m, NIF.beginIndex)), int(graph.value(m, NIF.endIndex))
            assert str(graph.value(m, NIF.anchorOf)) == text[begin:end]
            assert graph.value(m, NIF.referenceContext) == doc
            assert m == MINT.mention(DOC_ID, begin, end)


def _event(graph: Graph) -> URIRef:
    """The one event of the hand-made document (placed and dated, so its IRI is the incident's)."""
    (event,) = set(graph.subjects(RDF.type, SEM.Event))
    return event


def test_event_mentions_are_trigger_date_and_place(graph: Graph) -> None:
    event = _event(graph)
    anchors = {str(graph.value(m, NIF.anchorOf)) for m in graph.objects(event, GAF.denotedBy)}
    assert anchors == {"ont attaqué", "vendredi", "Boni"}


def test_a_place_the_text_does_not_name_is_gazetteer_knowledge(graph: Graph) -> None:
    mali, boni = MINT.place("gaz-mali"), MINT.place("gaz-boni")
    assert (mali, PROV.wasDerivedFrom, MINT.dataset("gazetteer")) in graph
    assert not list(graph.objects(mali, GAF.denotedBy))
    assert set(graph.objects(boni, KG.locatedIn)) == {MINT.place("gaz-mopti-region"), mali}
    assert (mali, OWL.sameAs, WD.Q912) in graph
    assert str(graph.value(graph.value(boni, URIRef("http://www.opengis.net/ont/geosparql#hasGeometry")),
                           URIRef("http://www.opengis.net/ont/geosparql#asWKT"))) == "POINT(-1.93000 15.05000)"


def test_two_sources_figures_are_two_nodes(graph: Graph) -> None:
    event = _event(graph)
    per_event = sorted(graph.subjects(KG.figureFor, event))
    assert len(per_event) == 2
    by_source = {graph.value(f, SEM.accordingTo): int(graph.value(f, KG["count"])) for f in per_event}
    assert by_source == {MINT.actor("fama"): 12, MINT.source_label("source locale"): 15}
    assert {graph.value(f, KG.qualifier) for f in per_event} == {KGC.exact, KGC.about}
    label = MINT.source_label("source locale")
    assert (label, RDF.type, KG.SourceLabel) in graph and (label, RDF.type, PROV.Agent) in graph


def test_an_aggregate_covers_its_events_and_is_for_none(graph: Graph) -> None:
    aggregate = MINT.figure(DOC_ID, 2)
    assert (aggregate, RDF.type, KG.AggregateFigure) in graph
    assert graph.value(aggregate, KG.figureFor) is None
    assert list(graph.objects(aggregate, KG.covers)) == [_event(graph)]


def test_subset_and_revision_point_at_other_figures(extraction) -> None:
    extraction.figures[1].subset_of = 0
    extraction.figures[1].revised_from = 0
    graph = to_graph(extraction)
    assert (MINT.figure(DOC_ID, 1), KG.subsetOf, MINT.figure(DOC_ID, 0)) in graph
    assert (MINT.figure(DOC_ID, 1), KG.revises, MINT.figure(DOC_ID, 0)) in graph
    assert validate(graph).conforms


def test_claim_spokesperson_and_statement(graph: Graph) -> None:
    claim, person = MINT.claim(DOC_ID, 0), MINT.person("ibrahim-toure")
    assert graph.value(claim, KG.claimant) == MINT.actor("jnim")
    assert graph.value(claim, KG.claimedEvent) == _event(graph)
    post = MINT.post("ibrahim-toure", "fama")
    assert (person, URIRef("http://www.w3.org/ns/org#holds"), post) in graph
    assert (post, URIRef("http://www.w3.org/ns/org#postIn"), MINT.actor("fama")) in graph
    assert (person, KG.speaksFor, MINT.actor("fama")) in graph
    assert graph.value(person, URIRef("https://schema.org/honorificPrefix")) == Literal("colonel")
    statement = MINT.statement(DOC_ID, 0)
    assert graph.value(statement, PROV.wasAttributedTo) == person
    assert graph.value(statement, KG.quote) == Literal("Nous avons repoussé l'assaut")


def test_an_id_shared_by_a_town_and_its_district_goes_to_the_town(extraction) -> None:
    """owl:sameAs would make two places one: only the locality keeps a GeoNames id it shares."""
    town = extraction.places["gaz-boni"]
    extraction.places["wof-boni-district"] = Place("wof-boni-district", "Boni", "county", country="ML",
                                                   geonames=town.geonames, mentions=list(town.mentions))
    graph = to_graph(extraction)
    same = GN[f"{town.geonames}/"]
    assert (MINT.place("gaz-boni"), OWL.sameAs, same) in graph
    assert (MINT.place("wof-boni-district"), OWL.sameAs, same) not in graph


# -- determinism and IRIs ----------------------------------------------------------------------------------

def test_same_input_same_graph(handmade) -> None:
    assert isomorphic(to_graph(handmade(DOC_ID)), to_graph(handmade(DOC_ID)))


def test_same_key_same_iri_in_two_documents(handmade) -> None:
    first, second = to_graph(handmade("doc-one")), to_graph(handmade("doc-two"))
    for iri in (MINT.actor("jnim"), MINT.actor("fama"), MINT.place("gaz-boni"), MINT.person("ibrahim-toure"),
                MINT.source_label("source locale")):
        assert set(first.predicate_objects(iri)) & set(second.predicate_objects(iri)), iri
    # one incident (same place, same day) told by two reports: one event, reported in both documents,
    # while each report keeps its own figure nodes
    assert _event(first) == _event(second) == MINT.incident("gaz-boni", _event_day(first), "ground")
    union = first + second
    assert set(union.objects(_event(union), KG.reportedIn)) == {MINT.document("doc-one"), MINT.document("doc-two")}
    assert set(first.subjects(KG.figureFor, _event(first))).isdisjoint(second.subjects(KG.figureFor, _event(second)))


def _event_day(graph: Graph) -> str:
    return str(graph.value(_event(graph), SEM.hasTimeStamp))


def test_an_event_without_a_day_stays_in_its_document(handmade) -> None:
    first, second = handmade("doc-one"), handmade("doc-two")
    for x in (first, second):
        x.events[0].date = None
    a, b = to_graph(first), to_graph(second)
    assert _event(a) == MINT.event("doc-one", "e1") and _event(b) == MINT.event("doc-two", "e1")


def test_base_iri_is_a_setting(handmade) -> None:
    base = "https://example.org/kg/"
    graph = to_graph(handmade(DOC_ID), IriMinter(base))
    subjects = {s for s in graph.subjects() if isinstance(s, URIRef) and "sahel-kg/id/" in s}
    assert not subjects
    assert (URIRef(base + "actor/jnim"), None, None) in graph


@pytest.mark.parametrize("base", ["not an iri", "https://example.org/no-slash", "https://exa mple.org/",
                                  "https://example.org/<x>/"])
def test_a_bad_base_iri_is_refused_with_a_message(base: str) -> None:
    with pytest.raises(ValueError, match="base IRI must be absolute and end with / or #"):
        IriMinter(base)


ODD = ['Al "Qaïda"', "<script>alert(1)</script>", "Groupe 🔥 armé", "تنظيم الدولة الإسلامية", "a\u202eb\u202c",
       "tab\tnew\nline", "   ", "{x}|^`\\", "%20", "ÉTAT islamique", "état islamique", "", "a" * 300]
IRI_OK = re.compile(r"^https://w3id\.org/sahel-kg/id/[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]+$")


@pytest.mark.parametrize("text", ODD)
def test_odd_keys_give_valid_distinct_iris(text: str) -> None:
    for iri in (MINT.actor(text), MINT.place(text), MINT.person(text), MINT.event(text, text),
                MINT.document(text), MINT.mention(text, 0, 1), MINT.post(text, text), MINT.role(text),
                MINT.source_label(text)):
        assert IRI_OK.match(iri), iri
    assert re.fullmatch(r"[a-z0-9-]+", slug(text))


def test_distinct_odd_keys_stay_distinct() -> None:
    assert len({MINT.actor(k) for k in ODD}) == len(ODD)
    assert MINT.actor("jnim") == URIRef(DEFAULT_BASE + "actor/jnim")  # a clean key stays readable


def test_odd_names_round_trip_through_turtle(handmade) -> None:
    """Names, keys and a document id full of quotes, <>, emoji and RTL text: Turtle out and back in is the
    same graph, and pyoxigraph's strict IRI parser accepts every term."""
    x = handmade('doc "odd" <id> 🔥 داعش')
    anchor = x.actors["jnim"].mentions[0]
    for name in ODD:
        x.actors[name] = Actor(name, name or "?", "armed_group", aliases=[name + " alias"], mentions=[anchor])
        x.places[name] = Place(name, name or "?", "locality", mentions=[anchor])
        x.persons[name] = Person(name, name or "?", title=name, role=name, organization=name, mentions=[anchor])
    x.events[0].attackers.append(ODD[0])
    x.figures[0].sources.append(Source("label", ODD[1], ODD[1]))
    graph = to_graph(x)
    turtle = graph.serialize(format="turtle")
    assert isomorphic(graph, Graph().parse(data=turtle, format="turtle"))
    triples = list(ox.parse(graph.serialize(format="nt").encode("utf-8"), ox.RdfFormat.N_TRIPLES))
    assert len(triples) == len(graph)
    assert validate(graph).conforms, "\n".join(validate(graph).lines())
