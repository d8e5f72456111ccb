"""End to end on the bundled sample (kg.resources.sample_path()): the report that defines the mission.

Built once per session with kg.pipeline.Pipeline (tests/conftest.py). What an
analyst reads in it: three attacks on Wednesday 27 July 2022 (Sokolo, Kalumba,
Sévaré, named "Mopti" then "Savare") and the air pursuit after them; the army's
15 soldiers and 3 civilians are a total over two attacks, so they belong to no
single event; Kalumba's toll is the army's, relayed by Reuters.
"""
from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from kg.export import serialize
from kg.rdf.namespaces import GAF, KG, NIF, PREFIXES, SEM
from kg.records import records
from kg.validate import validate

pytestmark = pytest.mark.slow  # loads fr_core_news_sm


@pytest.fixture(scope="module")
def record(seed_build) -> dict:
    return records(seed_build.graph, {"id": seed_build.document.id})


def _event_at(record: dict, place: str) -> dict:
    found = [e for e in record["events"] if e["place"] and e["place"]["name"] == place]
    assert len(found) == 1, [e["place"] and e["place"]["name"] for e in record["events"]]
    return found[0]


def _counts(event: dict) -> set[tuple]:
    return {(c["status"], c["category"], c["count"]) for c in event["casualties"]}


def test_four_events(record: dict) -> None:
    events = sorted((e["type"], e["place"] and e["place"]["name"], e["date"]) for e in record["events"])
    attacks = [e for e in events if e[0] == "attack"]
    assert attacks == [("attack", "Kalumba", "2022-07-27"), ("attack", "Sokolo", "2022-07-27"),
                       ("attack", "Sévaré", "2022-07-27")]
    assert [e[0] for e in events if e[0] != "attack"] == ["airstrike"]


def test_attacks_were_repelled_and_hit_the_army(record: dict) -> None:
    for place in ("Sokolo", "Kalumba", "Sévaré"):
        event = _event_at(record, place)
        assert event["outcome"] == "repelled", place
        assert event["targets"] == ["FAMa"], place


def test_sokolo_attackers_and_claim(record: dict) -> None:
    sokolo = _event_at(record, "Sokolo")
    assert sorted(sokolo["attackers"]) == ["JNIM", "Katiba Macina"]
    assert sokolo["claimed_by"] == ["JNIM"]
    assert {("killed", "person", 54), ("killed", "soldier", 6), ("wounded", "person", 25)} <= _counts(sokolo)


def test_air_strike_is_the_army_s(record: dict) -> None:
    (strike,) = [e for e in record["events"] if e["type"] == "airstrike"]
    assert strike["attackers"] == ["FAMa"]


def test_jnim_claim_is_relayed_by_site(kg_pipeline, seed_build) -> None:
    (claim,) = seed_build.extraction.claims
    actors = seed_build.extraction.actors
    assert (actors[claim.claimant].name, actors[claim.relay].name, claim.denial) == ("JNIM", "SITE", False)
    graph, minter = seed_build.graph, kg_pipeline.minter
    node = minter.claim(seed_build.document.id, 0)
    assert graph.value(node, KG.relayedBy) == minter.actor(claim.relay)
    assert graph.value(node, KG.claimant) == minter.actor(claim.claimant)


def test_army_total_over_two_attacks_is_on_no_event(seed_build, record: dict) -> None:
    graph, text = seed_build.graph, seed_build.document.text
    first_sentence_end = text.index("\n")
    aggregates = set()
    for figure in graph.subjects(RDF.type, KG.AggregateFigure):
        assert graph.value(figure, KG.figureFor) is None
        mention = graph.value(figure, GAF.denotedBy)
        if int(graph.value(mention, NIF.beginIndex)) < first_sentence_end:
            sources = {str(graph.value(s, SKOS.prefLabel)) for s in graph.objects(figure, SEM.accordingTo)}
            aggregates.add((str(graph.value(figure, KG.casualtyCategory)).rsplit("/", 1)[-1],
                            int(graph.value(figure, KG["count"])), frozenset(sources)))
    assert aggregates == {("soldier", 15, frozenset({"FAMa"})), ("civilian", 3, frozenset({"FAMa"}))}
    everywhere = set().union(*(_counts(e) for e in record["events"]))
    assert ("killed", "soldier", 15) not in everywhere


def test_kalumba_figures_are_the_army_s_relayed_by_reuters(record: dict) -> None:
    kalumba = _event_at(record, "Kalumba")
    assert _counts(kalumba) == {("killed", "soldier", 9), ("killed", "civilian", 3)}
    for figure in kalumba["casualties"]:
        assert sorted(figure["according_to"]) == ["FAMa", "Reuters"]


@pytest.mark.parametrize("name, lat, lon, admin1", [
    ("Sokolo", 14.73, -6.12, "Ségou"),
    ("Kalumba", 14.86, -7.50, "Koulikoro"),
    ("Sévaré", 14.53, -4.09, "Mopti"),
])
def test_event_places_have_coordinates_and_region(record: dict, name: str, lat: float, lon: float,
                                                  admin1: str) -> None:
    place = _event_at(record, name)["place"]
    assert (place["country"], place["admin1"]) == ("ML", admin1)
    assert place["lat"] == pytest.approx(lat, abs=0.05) and place["lon"] == pytest.approx(lon, abs=0.05)


def test_every_place_has_coordinates(record: dict) -> None:
    assert record["places"]
    assert all(p["lat"] is not None and p["lon"] is not None for p in record["places"]), record["places"]


def test_spokesperson(record: dict) -> None:
    (colonel,) = [p for p in record["spokespersons"] if "Dembélé" in p["name"]]
    assert colonel["name"] == "Souleymane Dembélé"
    assert colonel["title"] == "colonel"
    assert colonel["organization"] == "FAMa"
    assert colonel["role"].startswith("directeur de l'information et des relations publiques")


def test_graph_conforms_to_the_shapes(seed_build) -> None:
    result = validate(seed_build.graph)
    assert result.conforms, "\n".join(result.lines())


def test_turtle_export_reparses_everywhere_with_readable_prefixes(kg_pipeline, seed_build) -> None:
    turtle = serialize(kg_pipeline.dataset([seed_build]), "turtle")
    asserted = len(seed_build.graph)
    assert len(Graph().parse(data=turtle, format="turtle")) == asserted
    assert len(list(ox.parse(turtle, ox.RdfFormat.TURTLE))) == asserted
    declared = set(re.findall(rb"@prefix\s+([\w-]*):", turtle))
    assert not re.search(rb"\bns\d+:", turtle)
    assert declared and {p.decode() for p in declared} <= set(PREFIXES)
    assert {b"kg", b"sem", b"prov", b"nif"} <= declared
