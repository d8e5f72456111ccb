"""The flat record view (kg.records.records, queries/records/*.rq) of the hand-built extraction's graph."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph

from kg.rdf.iri import IriMinter
from kg.rdf.mapping import to_graph
from kg.rdf.namespaces import KG
from kg.records import records

SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "records.schema.json"
DOCUMENT = {"id": "sahel-2022-08-05-boni", "published": "2022-08-06", "lang": "fr", "url": "https://example.org/boni"}
BONI = {"name": "Boni", "admin1": "Mopti", "country": "ML", "lat": 15.05, "lon": -1.93, "geonames": 2460000,
        "wikidata": None}
MOPTI = {"name": "Mopti", "admin1": "Mopti", "country": "ML", "lat": 14.69, "lon": -3.55, "geonames": None,
         "wikidata": None}


@pytest.fixture
def graph(handmade) -> Graph:
    return to_graph(handmade(DOCUMENT["id"]))


@pytest.fixture
def record(graph: Graph) -> dict:
    return records(graph, DOCUMENT)


def test_document_is_passed_through(record: dict) -> None:
    assert record["document"] == DOCUMENT


def test_event(record: dict) -> None:
    (event,) = record["events"]
    assert event == {
        "id": "e1", "type": "attack", "date": "2022-08-05", "place": BONI,
        "attackers": ["JNIM", "Katiba Macina"], "targets": ["FAMa"], "claimed_by": ["JNIM"],
        "casualties": [
            {"status": "killed", "category": "soldier", "count": 12, "qualifier": "exact", "according_to": ["FAMa"]},
            {"status": "killed", "category": "soldier", "count": 15, "qualifier": "about",
             "according_to": ["source locale"]},
        ],
        "outcome": "repelled",
    }


def test_actors_with_type_wikidata_and_part_of(record: dict) -> None:
    assert record["actors"] == [
        {"name": "FAMa", "type": "state_force", "wikidata": None, "part_of": None, "affiliated_with": []},
        {"name": "JNIM", "type": "armed_group", "wikidata": "Q28151032", "part_of": None, "affiliated_with": []},
        {"name": "Katiba Macina", "type": "armed_group", "wikidata": None, "part_of": "JNIM", "affiliated_with": []},
    ]


def test_places_are_those_the_text_names(record: dict) -> None:
    """Mali is in the graph as gazetteer knowledge (no mention), not as a place of the document."""
    assert record["places"] == [BONI, MOPTI]


def test_spokespersons(record: dict) -> None:
    assert record["spokespersons"] == [{"name": "Ibrahim Touré", "aliases": ["Touré"], "title": "colonel",
                                        "role": "porte-parole des FAMa", "organization": "FAMa"}]


def test_affiliation_and_no_date_no_place(handmade) -> None:
    x = handmade(DOCUMENT["id"])
    x.actors["jnim"].affiliated_with = ["katiba-macina"]
    event = x.events[0]
    event.date = event.date_span = event.place = event.place_span = event.outcome = None
    rec = records(to_graph(x), DOCUMENT)
    (ev,) = rec["events"]
    assert (ev["date"], ev["place"], ev["outcome"]) == (None, None, None)
    assert next(a for a in rec["actors"] if a["name"] == "JNIM")["affiliated_with"] == ["Katiba Macina"]


def test_records_read_the_graph_not_the_extraction(graph: Graph) -> None:
    """Removing a figure's kg:figureFor from the graph removes it from the record."""
    figure = IriMinter().figure(DOCUMENT["id"], 0)
    graph.remove((figure, KG.figureFor, None))
    (event,) = records(graph, DOCUMENT)["events"]
    assert [c["count"] for c in event["casualties"]] == [15]


def test_record_is_json_and_matches_the_schema(record: dict) -> None:
    json.dumps(record, ensure_ascii=False)
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA.is_file():
        pytest.skip(f"{SCHEMA} not found")
    jsonschema.validate(record, json.loads(SCHEMA.read_text(encoding="utf-8")))
