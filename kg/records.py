"""The flat record view of one document (eval/records.schema.json), by SPARQL over its graph.

The view reads the built graph, never the extraction dataclasses, so it tests
what the graph says. Queries live in ``queries/records/*.rq``.
"""
from __future__ import annotations

import functools
from collections import defaultdict

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query

from kg.rdf.namespaces import GN, WD
from kg.resources import data_dir

ACTOR_TYPES = {
    "ArmedGroup": "armed_group", "StateForce": "state_force", "InternationalForce": "international_force",
    "Government": "government", "MediaOrganization": "media", "IntelligenceFirm": "intelligence_firm",
    "OtherOrganization": "other",
}


@functools.cache
def _query(name: str) -> Query:
    path = data_dir("queries") / "records" / f"{name}.rq"
    return prepareQuery(path.read_text(encoding="utf-8"))


def _rows(graph: Graph, name: str) -> list:
    return list(graph.query(_query(name)))


def _str(term) -> str | None:
    return None if term is None else str(term)


def _wkt_point(wkt: Literal | None) -> tuple[float | None, float | None]:
    """(lat, lon) of a ``POINT(lon lat)`` WKT literal."""
    if wkt is None:
        return None, None
    inner = str(wkt).split("(", 1)[1].rstrip(") ")
    lon, lat = inner.split()[:2]
    return round(float(lat), 5), round(float(lon), 5)


def _identifiers(same: list[URIRef]) -> dict:
    out: dict = {"geonames": None, "wikidata": None}
    for s in same:
        s = str(s)
        if s.startswith(str(GN)):
            out["geonames"] = int(s[len(str(GN)):].strip("/"))
        elif s.startswith(str(WD)):
            out["wikidata"] = s[len(str(WD)):]
    return out


def _places(graph: Graph) -> tuple[dict[URIRef, dict], set[URIRef]]:
    """Every place with its record fields, and the set of places the text names."""
    places: dict[URIRef, dict] = {}
    named: set[URIRef] = set()
    same: dict[URIRef, list] = defaultdict(list)
    for row in _rows(graph, "places"):
        if row.mention is not None:
            named.add(row.place)
        lat, lon = _wkt_point(row.wkt)
        p = places.setdefault(row.place, {
            "name": str(row.name), "admin1": _str(row.admin1), "country": _str(row.country), "lat": lat, "lon": lon,
        })
        if row.admin1 and not p["admin1"]:
            p["admin1"] = str(row.admin1)
        if row.same is not None and row.same not in same[row.place]:
            same[row.place].append(row.same)
    for iri, p in places.items():
        p.update(_identifiers(same[iri]))
    return places, named


def _actors(graph: Graph) -> list[dict]:
    actors: dict[URIRef, dict] = {}
    for row in _rows(graph, "actors"):
        a = actors.setdefault(row.actor, {
            "name": str(row.name), "type": None, "wikidata": None, "part_of": None, "affiliated_with": [],
        })
        local = str(row["class"]).rsplit("#", 1)[-1]
        if local in ACTOR_TYPES and (a["type"] in (None, "other")):
            a["type"] = ACTOR_TYPES[local]
        if row.same is not None and str(row.same).startswith(str(WD)):
            a["wikidata"] = str(row.same)[len(str(WD)):]
        if row.parent is not None:
            a["part_of"] = str(row.parent)
        if row.affiliate is not None and str(row.affiliate) not in a["affiliated_with"]:
            a["affiliated_with"].append(str(row.affiliate))
    return sorted(actors.values(), key=lambda a: a["name"].lower())


def _spokespersons(graph: Graph) -> list[dict]:
    people: dict[URIRef, dict] = {}
    for row in _rows(graph, "spokespersons"):
        p = people.setdefault(row.person, {
            "name": str(row.name), "aliases": [], "title": _str(row.title), "role": _str(row.role),
            "organization": _str(row.organization),
        })
        if row.alias is not None and str(row.alias) not in p["aliases"]:
            p["aliases"].append(str(row.alias))
    return sorted(people.values(), key=lambda p: p["name"].lower())


def records(graph: Graph, document: dict) -> dict:
    """Records of one document's asserted graph, shaped as eval/records.schema.json."""
    places, named = _places(graph)
    events: dict[URIRef, dict] = {}
    for row in _rows(graph, "events"):
        if row.event in events:
            continue
        place = dict(places[row.place]) if row.place is not None and row.place in places else None
        events[row.event] = {
            "id": f"e{len(events) + 1}", "type": str(row.type),
            "date": _str(row.date), "place": place,
            "attackers": [], "targets": [], "claimed_by": [], "casualties": [],
            "outcome": _str(row.outcome),
        }
    for row in _rows(graph, "participants"):
        ev = events.get(row.event)
        if ev is not None and str(row.name) not in ev[str(row.role)]:
            ev[str(row.role)].append(str(row.name))
    figures: dict[URIRef, dict] = {}
    for row in _rows(graph, "casualties"):
        ev = events.get(row.event)
        if ev is None:
            continue
        fig = figures.get(row.figure)
        if fig is None:
            fig = figures[row.figure] = {
                "status": str(row.status), "category": str(row.category), "count": int(row["count"]),
                "qualifier": _str(row.qualifier) or "exact", "according_to": [],
            }
            ev["casualties"].append(fig)
        if row.source is not None and str(row.source) not in fig["according_to"]:
            fig["according_to"].append(str(row.source))
    return {
        "document": document,
        "events": list(events.values()),
        "actors": _actors(graph),
        "places": sorted((p for iri, p in places.items() if iri in named), key=lambda p: p["name"].lower()),
        "spokespersons": _spokespersons(graph),
    }
