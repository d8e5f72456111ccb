"""Plain dataclasses that extraction produces and the RDF mapping consumes.

Nothing here knows about spaCy or rdflib. Keys (``Actor.key``, ``Place.key``,
``Person.key``) are stable across documents: a gazetteer id when the entity is
known, else a normalised name; ``kg.rdf.iri`` mints IRIs from them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

EventType = Literal["attack", "ambush", "clash", "explosion", "airstrike", "abduction", "massacre", "other"]
ActorType = Literal["armed_group", "state_force", "international_force", "government", "media",
                    "intelligence_firm", "other"]
Status = Literal["killed", "wounded", "missing", "abducted"]
Category = Literal["soldier", "civilian", "militant", "peacekeeper", "police", "person"]
Qualifier = Literal["exact", "at_least", "about", "at_most"]
Outcome = Literal["repelled", "successful"]
DatePrecision = Literal["day", "month", "year"]
PlacePrecision = Literal["exact", "near", "region", "country"]
PlaceKind = Literal["country", "region", "county", "locality", "area"]
SourceKind = Literal["actor", "person", "label"]


@dataclass(frozen=True, order=True)
class Span:
    """Character offsets into the document text kg kept (``text[start:end]``)."""

    start: int
    end: int


@dataclass
class Document:
    """One news report, as kg kept it after decoding and normalisation."""

    id: str
    text: str
    published: dt.date | None = None
    url: str | None = None
    lang: str = "fr"


@dataclass
class Actor:
    """An organisation or force (armed group, army, mission, media, ...)."""

    key: str
    name: str
    type: ActorType | None = None
    aliases: list[str] = field(default_factory=list)
    wikidata: str | None = None
    part_of: str | None = None  # key of the parent organisation
    affiliated_with: list[str] = field(default_factory=list)  # keys
    country: str | None = None
    mentions: list[Span] = field(default_factory=list)


@dataclass
class Place:
    """A named place, resolved to the gazetteer when possible (never invented coordinates)."""

    key: str
    name: str
    kind: PlaceKind = "locality"
    aliases: list[str] = field(default_factory=list)
    admin1: str | None = None
    admin2: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    lat: float | None = None
    lon: float | None = None
    geonames: int | None = None
    wikidata: str | None = None
    within: list[str] = field(default_factory=list)  # keys of the containing places (county, region, country)
    mentions: list[Span] = field(default_factory=list)
    population: int | None = None  # to prefer the precise site (a camp's village) over the big town nearby


@dataclass
class Person:
    """A named person; a spokesperson when ``organization`` is set."""

    key: str
    name: str
    aliases: list[str] = field(default_factory=list)
    title: str | None = None  # rank or honorific: colonel, ministre
    role: str | None = None  # "directeur de l'information et des relations publiques de l'armée"
    organization: str | None = None  # actor key
    mentions: list[Span] = field(default_factory=list)


@dataclass(frozen=True)
class Source:
    """Who a figure or claim is attributed to: an actor, a person, or a descriptive label."""

    kind: SourceKind
    key: str  # actor key, person key, or the label itself
    label: str


@dataclass
class Statement:
    """What a person or organisation said (quote or reported speech)."""

    speaker: Source
    text: str
    span: Span


@dataclass
class Event:
    """A violent incident the document reports (not a statement about it)."""

    id: str  # unique within the document, e.g. "e1"
    type: EventType
    span: Span  # the trigger ("ont attaqué", "embuscade", ...)
    sentence: Span
    date: dt.date | None = None
    date_precision: DatePrecision | None = None
    date_span: Span | None = None
    place: str | None = None  # place key
    place_precision: PlacePrecision | None = None
    place_span: Span | None = None
    attackers: list[str] = field(default_factory=list)  # actor keys
    targets: list[str] = field(default_factory=list)  # actor keys
    outcome: Outcome | None = None
    background: bool = False  # an earlier incident recalled by the report


@dataclass
class CasualtyFigure:
    """One figure given by one source: n-ary node, never merged with another source's."""

    status: Status
    category: Category
    count: int
    span: Span
    qualifier: Qualifier = "exact"
    count_max: int | None = None  # upper bound of a range ("30 à 32")
    events: list[str] = field(default_factory=list)  # one event id, or several for an aggregate; [] = unplaced
    aggregate: bool = False  # covers several incidents: put on no single event
    sources: list[Source] = field(default_factory=list)
    subset_of: int | None = None  # index (in Extraction.figures) of the figure this one is part of
    revised_from: int | None = None  # index of the earlier figure this one revises


@dataclass
class Claim:
    """A claim (or denial) of responsibility for an event."""

    claimant: str  # actor key
    event: str | None  # event id
    span: Span
    denial: bool = False
    relay: str | None = None  # actor key of who relayed it (SITE, Al-Akhbar, RFI)
    channel: str | None = None  # media unit or outlet named as the claimant's voice


@dataclass
class Extraction:
    """Everything extracted from one document."""

    document: Document
    actors: dict[str, Actor] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    persons: dict[str, Person] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    figures: list[CasualtyFigure] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)


@dataclass(frozen=True, order=True)
class Mention:
    """One resolved entity mention: where it is and which actor/place/person it denotes."""

    start: int
    end: int
    kind: Literal["actor", "place", "person"]
    key: str
