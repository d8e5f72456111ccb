"""Geocoding: a place name and its context -> a gazetteer place, homonyms settled, with a precision.

Who's On First repeats 3,330 village names within a country, so a bare name is
not enough. Candidates (every gazetteer place with the name, or, failing that,
names within a small edit distance) are scored on:

1. the admin units the sentence names ("dans le cercle de Niono, région de
   Ségou", "province du Yagha", "au Niger"): a match adds, a contradiction
   subtracts;
2. a distance phrase ("à 100 km au sud de Tombouctou", "à une quinzaine de
   kilomètres de Sebba"): the candidate whose distance (and bearing) to the
   reference place fits the text;
3. the other places of the document: regions and cercles named elsewhere, and
   the nearest well-known place;
4. a prior: the hand-checked JSON entry first (authoritative for its places),
   then the admin level and the population of the town.

A place is *resolved* (coordinates, GeoNames and Wikidata ids, a ``wof-``/``gaz-``
key) only when the best candidate leads the next by a clear margin and nothing
in the sentence contradicts it; otherwise kg keeps the name with what all the
likely candidates share (country, region) and no coordinates: it never invents
them.
"""
from __future__ import annotations

import functools
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.extract.model import Place, PlacePrecision
from kg.nlp import gazetteer as gz
from kg.nlp.gazetteer import PlaceEntry

log = logging.getLogger(__name__)

MARGIN = 1.0  # score lead the best candidate needs over the next to be resolved

_DIRECTIONS = {"nord": 0, "nord-est": 45, "est": 90, "sud-est": 135, "sud": 180, "sud-ouest": 225,
               "ouest": 270, "nord-ouest": 315}
_APPROX = {"dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30,
           "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100}
_NAME = r"[A-ZÀ-Ý][\w'’-]*(?:[ -](?:du |de |des |la )?[A-ZÀ-Ý][\w'’-]*)*"
_OF = r"(?:de la |de l['’]|du |des |de |d['’])"
_DISTANCE = re.compile(
    r"\bà\s+(?:environ\s+|près\s+de\s+|plus\s+de\s+|moins\s+de\s+|quelque\s+|quelques\s+)?"
    r"(?:(?P<n>\d[\d\s  .,]*)|une?\s+(?P<approx>\w+)(?:\s+de)?)\s*(?:km|kilomètres?)\b"
    r"(?:\s*\([^)]*\))?(?:\s+(?:au|à\s+l['’])\s*(?P<dir>(?:nord|sud)(?:-(?:est|ouest))?|est|ouest))?"
    rf"\s+{_OF}(?P<ref>{_NAME})")
_ADMIN = re.compile(r"\b(?P<word>[Rr][ée]gion|[Cc]ercle|[Pp]rovince|[Dd][ée]partement|[Cc]ommune|[Pp]r[ée]fecture)\s+"
                    rf"{_OF}(?P<name>{_NAME})")
_KIND_PREFIX = re.compile(r"^(?P<word>r[ée]gion|cercle|province|d[ée]partement|commune|ville|localit[ée]|village)\s+"
                          r"(?:de la |de l['’]|du |des |de |d['’])", re.I)
_ADMIN_KIND = {"region": "region", "cercle": "county", "province": "county", "departement": "county",
               "prefecture": "county", "commune": "locality", "ville": "locality", "localite": "locality",
               "village": "locality"}
_COUNTRY_WORDS = re.compile(r"(?:\b(?:au|en|du|dans le)\s+(Mali|Burkina(?: Faso)?|Niger)\b"
                            r"|\b(malien(?:ne)?s?|burkinab[eè]s?|nig[ée]rien(?:ne)?s?)\b)")
_NEAR = re.compile(r"(?:près\s+d[e'’]|non\s+loin\s+d[e'’]|aux\s+environs\s+d[e'’]|à\s+proximité\s+d[e'’]|"
                   r"dans\s+les\s+environs\s+d[e'’]|(?:km|kilomètres?)\b[^.;]{0,40}?\s(?:de|du|d['’]|de\s+la|des)"
                   r"|au\s+(?:nord|sud|est|ouest)(?:-(?:est|ouest))?\s+d[e'’u])\s*(?:la\s+|l['’]\s*)?"
                   r"(?:(?:localité|ville|village|commune)\s+d[e'’]\s*)?$", re.I)


@dataclass
class _Context:
    """What a sentence and its document say about where a name lies."""

    regions: set[str] = field(default_factory=set)  # normalised admin1 names named in the sentence
    counties: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    doc_regions: set[str] = field(default_factory=set)  # named elsewhere in the document
    doc_counties: set[str] = field(default_factory=set)
    doc_countries: set[str] = field(default_factory=set)  # countries of the document's well-known places
    anchors: list[PlaceEntry] = field(default_factory=list)  # well-known localities of the document
    distances: list[tuple[float, float | None, PlaceEntry]] = field(default_factory=list)  # km, bearing, reference


def split_kind(name: str) -> tuple[str | None, str]:
    """``région de Mopti`` -> (``region``, ``Mopti``); ``Sokolo`` -> (None, ``Sokolo``)."""
    m = _KIND_PREFIX.match(name.strip())
    if not m:
        return None, name.strip()
    return _ADMIN_KIND[gz.fold(m["word"]).lower()], name.strip()[m.end():].strip()


@functools.lru_cache(maxsize=4096)
def _obvious(name: str) -> PlaceEntry | None:
    """A place a name denotes without context: the curated entry, or the only one."""
    kind, core = split_kind(name)
    cands = [c for c in gz.places_by_name(core) if kind is None or c.kind == kind] or gz.places_by_name(core)
    if cands and (cands[0].source != "wof" or len(cands) == 1 or cands[0].rank - cands[1].rank >= 1.0):
        return cands[0]
    return None


@functools.lru_cache(maxsize=1024)
def _unit_names(name: str, kind: str) -> frozenset[str]:
    """Normalised canonical names of the regions or cercles a name may denote ("Tillabery" -> tillaberi)."""
    units = [c for c in gz.places_by_name(name) if c.kind == kind]
    if not units:
        units = [c for n in gz.similar_names(gz.norm_name(name), gz.place_names())
                 for c in gz.places_by_name(n) if c.kind == kind]
    names = {gz.norm_name((c.admin1 if kind == "region" else c.name) or "") for c in units}
    return frozenset(names | {gz.norm_name(name)})


def _number(m: re.Match) -> float | None:
    if m["n"]:
        digits = re.sub(r"[\s  ]", "", m["n"]).replace(",", ".").rstrip(".")
        try:
            return float(digits)
        except ValueError:
            return None
    return _APPROX.get(gz.fold(m["approx"] or "").lower())


def _context(name: str, text: str, doc_places: Sequence[str]) -> _Context:
    ctx = _Context()
    core = gz.norm_name(split_kind(name)[1])
    for m in _ADMIN.finditer(text):
        n, word = gz.norm_name(m["name"]), gz.fold(m["word"]).lower()
        if n == core:
            continue
        if word == "commune":  # a commune is named after its seat: a nearby locality, not an admin unit
            seat = _obvious(m["name"])
            if seat is not None and seat.lat is not None:
                ctx.anchors.append(seat)
            continue
        kind = "region" if word == "region" else "county"
        (ctx.regions if kind == "region" else ctx.counties).update(_unit_names(m["name"], kind))
    for m in _COUNTRY_WORDS.finditer(text):
        if re.search(r"fronti[èe]r|voisin", text[max(0, m.start() - 45):m.start()], re.I):
            continue  # "à la frontière du Mali" says where the place is not
        word = gz.fold(m[1] or m[2]).lower()
        ctx.countries.add("ML" if word.startswith("mali") else "BF" if word.startswith("burkina") else "NE")
    for names, kind in ((ctx.regions, "region"), (ctx.counties, "county")):  # "province du Houet" implies BF
        for n in names:
            countries = {c.country for c in gz.places_by_name(n) if c.kind == kind}
            if len(countries) == 1:
                ctx.countries |= countries
    for m in _DISTANCE.finditer(text):
        ref, km = _obvious(m["ref"]), _number(m)
        if ref and km and ref.lat is not None and gz.norm_name(m["ref"]) != core:
            ctx.distances.append((km, _DIRECTIONS.get((m["dir"] or "").lower()), ref))
    for other in doc_places:
        kind, other_core = split_kind(other)
        if gz.norm_name(other_core) == core:
            continue
        entry = _obvious(other)
        if entry is None:
            continue
        if entry.country and entry.kind != "country":
            ctx.doc_countries.add(entry.country)
        if entry.kind == "region" or kind == "region":
            ctx.doc_regions.add(gz.norm_name(entry.admin1 or other_core))
        elif entry.kind == "county" or kind == "county":
            ctx.doc_counties.add(gz.norm_name(other_core))
        elif entry.kind == "locality" and entry.lat is not None:
            ctx.anchors.append(entry)
    return ctx


def _bearing(a: PlaceEntry, b: PlaceEntry) -> float:
    """Initial bearing from a to b, degrees clockwise from north."""
    p1, p2, dl = math.radians(a.lat), math.radians(b.lat), math.radians(b.lon - a.lon)
    y = math.sin(dl) * math.cos(p2)
    x = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return math.degrees(math.atan2(y, x)) % 360


def _score(c: PlaceEntry, ctx: _Context) -> tuple[float, bool]:
    """Score of a candidate, and whether the sentence contradicts it."""
    score, contradicted = c.rank, False
    admin1, admin2 = gz.norm_name(c.admin1 or ""), gz.norm_name(c.admin2 or "")
    if c.kind in ("country", "area"):
        return score, False
    if ctx.counties and c.kind != "region":
        hit = admin2 in ctx.counties
        score += 3.0 if hit else -1.0
        contradicted |= not hit
    if ctx.regions and c.kind != "region":
        hit = admin1 in ctx.regions
        score += 2.0 if hit else -1.0
        contradicted |= not hit and not (ctx.counties and admin2 in ctx.counties)
    if ctx.countries:
        hit = c.country in ctx.countries
        score += 1.0 if hit else -2.0
        contradicted |= not hit
    score += (1.0 if admin1 in ctx.doc_regions else 0.0) + (1.5 if admin2 in ctx.doc_counties else 0.0)
    if ctx.doc_countries and c.country not in ctx.doc_countries:
        score -= 1.5
    if c.lat is None:
        return score, contradicted
    for km, bearing, ref in ctx.distances:
        d = gz.haversine_km(ref.lat, ref.lon, c.lat, c.lon)
        score += 3.0 if abs(d - km) <= max(10.0, 0.35 * km) else 1.0 if d <= 2.5 * km + 20 else -2.0
        if bearing is not None and d > 1:
            delta = abs((_bearing(ref, c) - bearing + 180) % 360 - 180)
            score += 1.0 if delta <= 60 else -1.0
    near = min((gz.haversine_km(a.lat, a.lon, c.lat, c.lon) for a in ctx.anchors if a.key != c.key), default=None)
    if near is not None:
        score += 2.0 if near < 30 else 1.5 if near < 100 else 0.5 if near < 250 else 0.0
    return score, contradicted


def _support(c: PlaceEntry, ctx: _Context) -> float:
    """How much the context (not the prior) speaks for a candidate."""
    return _score(c, ctx)[0] - c.rank


def _fuzzy(core: str, kind: str | None, ctx: _Context) -> list[PlaceEntry]:
    """Places spelled within a small edit distance that are well known or fit the context."""
    found = []
    query = gz.norm_name(core)
    names = gz.similar_names(query, gz.place_names())
    if " " in query:  # a name split in two ("Tchoma Bangou") or joined ("Tchambangou") by another writer
        names += [n for n in gz.similar_compact_names(query) if n not in names]
    for name in names:
        for c in gz.places_by_name(name):
            known = c.source != "wof" or c.kind != "locality" or c.population
            if (known or _support(c, ctx) >= 1.5) and (kind is None or c.kind == kind):
                found.append(c)
        if found:
            break
    return found


def _candidates(core: str, kind: str | None, ctx: _Context) -> tuple[list[PlaceEntry], bool]:
    """Exact-name candidates (plus close spellings when the report supports none of them); and whether fuzzy."""
    cands = gz.places_by_name(core)
    if kind:
        cands = [c for c in cands if c.kind == kind] or cands
    if not cands:
        return _fuzzy(core, kind, ctx), True
    if cands[0].source == "wof" and (ctx.anchors or ctx.doc_regions or ctx.doc_counties) and \
            max(_support(c, ctx) for c in cands) <= 0.5:  # "Abinda" in Mali vs Arbinda in the report's province
        cands = cands + [c for c in _fuzzy(core, kind, ctx) if _support(c, ctx) >= 2.0 and c not in cands]
    return cands, False


def _same_or_containing(other: PlaceEntry, best: PlaceEntry) -> bool:
    """``other`` is no rival of ``best``: a duplicate row (same cercle, within 10 km) or a unit containing it."""
    if other.kind == "region":
        return best.kind != "region" and other.country == best.country and other.admin1 == best.admin1
    if other.kind == "county":
        return best.kind == "locality" and other.country == best.country and \
            gz.norm_name(other.name) == gz.norm_name(best.admin2 or "")
    if None in (other.lat, best.lat) or other.kind != best.kind:
        return False
    return other.admin2 == best.admin2 and gz.haversine_km(other.lat, other.lon, best.lat, best.lon) < 10


def unresolved_key(name: str, country: str | None = None) -> str:
    """Key of a place kg could not pin down: its normalised name (and country when known)."""
    base = f"place-{gz.slug(split_kind(name)[1]) or 'x'}"
    return f"{base}-{country.lower()}" if country else base


def _within(entry: PlaceEntry) -> list[str]:
    units = []
    if entry.kind == "locality" and entry.admin2:
        units.append(gz.admin_unit(entry.country, entry.admin1, entry.admin2))
    if entry.kind in ("locality", "county") and entry.admin1:
        units.append(gz.admin_unit(entry.country, entry.admin1))
    if entry.kind != "country":
        units.append(gz.admin_unit(entry.country))
    return [u.key for u in units if u is not None and u.key != entry.key]


def to_place(entry: PlaceEntry) -> Place:
    """A model Place for a gazetteer entry resolved with confidence."""
    return Place(key=entry.key, name=entry.name, kind=entry.kind,
                 aliases=[a for a in dict.fromkeys(entry.aliases) if a != entry.name][:20],
                 admin1=entry.admin1, admin2=entry.admin2, country=entry.country, lat=entry.lat, lon=entry.lon,
                 geonames=entry.geonames, wikidata=entry.wikidata, within=_within(entry),
                 population=entry.population)


def resolve_place(name: str, context: str = "", doc_places: Sequence[str] = ()) -> Place | None:
    """The gazetteer place ``name`` denotes in ``context`` (its sentence), among ``doc_places`` (other names).

    None when no gazetteer place has this name or a close spelling; a Place without coordinates
    (key :func:`unresolved_key`) when the homonyms cannot be told apart.
    """
    kind, core = split_kind(name)
    if not core:
        return None
    ctx = _context(name, context, doc_places)
    cands, fuzzy = _candidates(core, kind, ctx)
    if not cands:
        return None
    query = gz.norm_name(core)
    scored = sorted(((s + (0.5 if gz.norm_name(c.name) == query else 0.0), contra, c)
                     for s, contra, c in ((*_score(c, ctx), c) for c in cands)), key=lambda t: -t[0])
    if not all(contra for _, contra, _ in scored):  # what the sentence rules out is no candidate
        scored = [t for t in scored if not t[1]]
    best_score, contradicted, best = scored[0]
    if kind is None and best.kind in ("region", "county"):  # a bare "Bourem" is the town, not its cercle
        seat = next((t for t in scored[1:] if t[2].kind == "locality" and best_score - t[0] < MARGIN
                     and _same_or_containing(best, t[2])), None)
        if seat is not None:
            best_score, contradicted, best = seat
    rivals = [s for s, _, c in scored if c is not best and not _same_or_containing(c, best)]
    confident = not contradicted and best_score - max(rivals, default=-math.inf) >= MARGIN
    if fuzzy:
        log.debug("place %r read as %r", name, best.name)
    if best_score - best.rank < -1.0:  # the report points elsewhere: a name the gazetteer lacks
        return Place(key=unresolved_key(core), name=core)
    if confident:
        return to_place(best)
    close = [c for s, _, c in scored if best_score - s < MARGIN]
    shared = {f: {getattr(c, f) for c in close} for f in ("country", "admin1", "kind")}
    country = next(iter(shared["country"])) if len(shared["country"]) == 1 else None
    admin1 = next(iter(shared["admin1"])) if len(shared["admin1"]) == 1 and country else None
    within = [u.key for u in (gz.admin_unit(country, admin1) if admin1 else None, gz.admin_unit(country))
              if u is not None]
    log.debug("place %r: %d homonyms, not resolved", name, len(close))
    return Place(key=unresolved_key(core, country), name=core if not fuzzy else best.name,
                 kind=next(iter(shared["kind"])) if len(shared["kind"]) == 1 else "locality",
                 admin1=admin1, country=country, within=within)


def place_hierarchy(place: Place) -> list[Place]:
    """The county, region and country Places containing ``place`` (each with its own ``within``)."""
    units = []
    for key in place.within:
        entry = gz.place(key)
        if entry is not None:
            units.append(to_place(entry))
    return units


def precision(place: Place, preceding: str = "") -> PlacePrecision:
    """How exactly the text places an event at ``place``: country, region, near ("près de", "à 10 km de") or exact.

    ``preceding`` is the text just before the place mention.
    """
    if place.kind == "country":
        return "country"
    if place.kind in ("region", "county", "area"):
        return "region"
    return "near" if _NEAR.search(preceding[-80:]) else "exact"
