"""OWL-RL reasoning (kg/reason.py): one test per axiom the queries rely on, on a tiny graph."""
from __future__ import annotations

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import OWL, PROV, RDF

from kg.rdf.namespaces import GEO, KG, SEM, bind_prefixes
from kg.reason import infer

ID = "https://w3id.org/sahel-kg/id/"
PREFIXES = f"""
@prefix : <{ID}> .
@prefix kg: <{KG}> .
@prefix sem: <{SEM}> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
"""


def turtle(text: str) -> Graph:
    """A graph from a few Turtle triples, with kg's prefixes and ``:`` for data IRIs."""
    return Graph().parse(data=PREFIXES + text, format="turtle")


def node(name: str) -> URIRef:
    return URIRef(ID + name)


def test_attacker_is_a_sub_property_of_sem_has_actor() -> None:
    result = infer(turtle(":e1 kg:attacker :jnim ."))

    assert (node("e1"), SEM.hasActor, node("jnim")) in result.inferred


def test_target_is_a_sub_property_of_sem_has_actor() -> None:
    result = infer(turtle(":e1 kg:target :fama ."))

    assert (node("e1"), SEM.hasActor, node("fama")) in result.inferred


def test_located_in_is_transitive() -> None:
    result = infer(turtle(":sokolo kg:locatedIn :niono . :niono kg:locatedIn :segou . :segou kg:locatedIn :mali ."))

    assert (node("sokolo"), KG.locatedIn, node("mali")) in result.inferred
    assert (node("sokolo"), KG.locatedIn, node("segou")) in result.inferred


def test_located_in_is_a_sub_property_of_geo_sf_within() -> None:
    result = infer(turtle(":sokolo kg:locatedIn :segou ."))

    assert (node("sokolo"), GEO.sfWithin, node("segou")) in result.inferred


def test_sub_organization_chains_give_within_organization() -> None:
    result = infer(turtle(":macina org:subOrganizationOf :jnim . :jnim org:subOrganizationOf :alqaeda ."))

    assert (node("macina"), KG.withinOrganization, node("jnim")) in result.inferred
    assert (node("macina"), KG.withinOrganization, node("alqaeda")) in result.inferred


def test_reported_in_is_a_sub_property_of_prov_was_derived_from() -> None:
    result = infer(turtle(":e1 kg:reportedIn :d1 ."))

    assert (node("e1"), PROV.wasDerivedFrom, node("d1")) in result.inferred


def test_speaks_for_is_a_sub_property_of_prov_acted_on_behalf_of() -> None:
    result = infer(turtle(":dembele kg:speaksFor :fama ."))

    assert (node("dembele"), PROV.actedOnBehalfOf, node("fama")) in result.inferred


@pytest.mark.parametrize(("cls", "superclass"), [
    ("kg:Attack", SEM.Event), ("kg:Ambush", SEM.Event), ("kg:Clash", SEM.Event),
    ("kg:Explosion", SEM.Event), ("kg:Airstrike", SEM.Event), ("kg:Abduction", SEM.Event),
    ("kg:Massacre", SEM.Event), ("kg:OtherViolence", SEM.Event),
    ("kg:ArmedGroup", URIRef("http://www.w3.org/ns/org#Organization")), ("kg:StateForce", SEM.Actor),
    ("kg:Locality", SEM.Place), ("kg:Region", GEO.Feature),
    ("kg:AggregateFigure", KG.CasualtyFigure), ("kg:SourceLabel", PROV.Agent),
    ("kg:Spokesperson", URIRef("http://xmlns.com/foaf/0.1/Person")),
])
def test_sub_class_typing(cls: str, superclass: URIRef) -> None:
    result = infer(turtle(f":x a {cls} ."))

    assert (node("x"), RDF.type, superclass) in result.inferred


def test_inferred_triples_are_new_and_the_callers_graph_is_unchanged() -> None:
    asserted = turtle(":e1 a kg:Attack ; kg:attacker :jnim . :jnim a kg:ArmedGroup .")
    before = set(asserted)

    result = infer(asserted)

    assert set(asserted) == before
    assert result.inferred, "the closure should add sem:Event, sem:hasActor, sem:Actor…"
    assert not set(result.inferred) & before
    assert result.contradictions == []


def test_only_triples_about_the_data_are_inferred() -> None:
    result = infer(turtle(":e1 a kg:Attack ."))

    subjects = set(result.inferred.subjects())
    assert subjects == {node("e1")}, "no ontology closure, no axiomatic noise"
    assert (node("e1"), OWL.sameAs, node("e1")) not in result.inferred
    assert (node("e1"), RDF.type, OWL.Thing) not in result.inferred


def test_background_facts_are_used_but_not_repeated() -> None:
    background = turtle(":segou kg:locatedIn :mali .")

    result = infer(turtle(":sokolo kg:locatedIn :segou ."), background)

    assert (node("sokolo"), KG.locatedIn, node("mali")) in result.inferred
    assert (node("segou"), KG.locatedIn, node("mali")) not in result.inferred


def test_same_as_is_closed_but_facts_are_not_copied_onto_external_ids() -> None:
    wikidata, geonames = URIRef("http://www.wikidata.org/entity/Q2257485"), URIRef("https://sws.geonames.org/2450849/")
    asserted = turtle(f":sokolo owl:sameAs <{wikidata}>, <{geonames}> ; kg:locatedIn :segou . :e1 sem:hasPlace :sokolo .")

    result = infer(asserted)

    assert (wikidata, OWL.sameAs, geonames) in result.inferred
    assert (node("e1"), SEM.hasPlace, wikidata) not in result.inferred
    assert (wikidata, KG.locatedIn, node("segou")) not in result.inferred


def test_a_dataset_is_read_across_its_named_graphs() -> None:
    dataset = Dataset()
    dataset.graph(URIRef(ID + "graph/d1")).parse(data=PREFIXES + ":e1 kg:attacker :jnim .", format="turtle")

    result = infer(dataset)

    assert (node("e1"), SEM.hasActor, node("jnim")) in result.inferred


def test_an_individual_of_two_disjoint_classes_is_a_contradiction() -> None:
    result = infer(turtle(":jnim a kg:ArmedGroup, kg:StateForce ."))

    assert not result.consistent
    [line] = result.contradictions
    assert "kg:ArmedGroup" in line and "kg:StateForce" in line and f"<{ID}jnim>" in line


def test_a_figure_used_as_an_event_is_a_contradiction() -> None:
    result = infer(turtle(":f1 a kg:CasualtyFigure . :f2 kg:figureFor :f1 ."))

    assert any("kg:CasualtyFigure" in line and "sem:Event" in line for line in result.contradictions)


def test_inferred_graph_binds_kg_prefixes() -> None:
    result = infer(turtle(":e1 kg:attacker :jnim ."))

    assert dict(bind_prefixes(Graph()).namespaces())["sem"] == dict(result.inferred.namespaces())["sem"]
