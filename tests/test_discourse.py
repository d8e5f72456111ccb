"""One reading pass over a document (kg.extract.discourse.read_document), on short texts and hand-built places.

Entity linking is stood in for by exact name matching over a small table of
places with coordinates, kinds and countries; sentences are split on final
punctuation and line breaks; ``sources_for`` attributes a sentence to the army
when it says "l'armée" (the stub ignores ``at`` and ``antecedent``). Each case lists the events an analyst reads, as
(type, place key, ISO date, outcome, background), and where each figure goes:
the id of its event, or "aggregate" for a figure over several incidents.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest

from kg.extract.discourse import datelines, read_document
from kg.extract.model import Mention, Place, Source

PLACES = {p.key: p for p in [
    Place("boni", "Boni", "locality", admin1="Mopti", country="ML", lat=15.05, lon=-1.93,
          within=["mopti-region", "mali"]),
    Place("hombori", "Hombori", "locality", admin1="Mopti", country="ML", lat=15.28, lon=-1.70,
          within=["mopti-region", "mali"]),
    Place("douentza", "Douentza", "locality", admin1="Mopti", country="ML", lat=15.00, lon=-2.95,
          within=["mopti-region", "mali"]),
    Place("gao", "Gao", "locality", admin1="Gao", country="ML", lat=16.27, lon=-0.04, within=["mali"]),
    Place("tessit", "Tessit", "locality", admin1="Gao", country="ML", lat=15.01, lon=0.97, within=["mali"]),
    Place("mopti-region", "Mopti", "region", admin1="Mopti", country="ML", lat=14.69, lon=-3.55, within=["mali"]),
    Place("mali", "Mali", "country", country="ML", lat=17.35, lon=-3.52),
]}
NAMES = {p.name: p.key for p in PLACES.values() if p.kind != "region"} | {"région de Mopti": "mopti-region"}
ARMY = Source("actor", "fama", "FAMa")


def mentions_of(text: str) -> list[Mention]:
    """Every occurrence of the known place names (longest first, no overlap): stands in for entity linking."""
    found: list[Mention] = []
    for name in sorted(NAMES, key=len, reverse=True):
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            if not any(x.start < m.end() and m.start() < x.end for x in found):
                found.append(Mention(m.start(), m.end(), "place", NAMES[name]))
    return sorted(found)


def sentences_of(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: after . ! ? before a capital, and at line breaks."""
    spans, start = [], 0
    for m in re.finditer(r"(?<=[.!?])[ \t]+(?=[A-ZÉÀ«])|\n+", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def read(text: str, published: dt.date | None = None):
    def sources_for(start: int, end: int, at: int | None = None, antecedent: Source | None = None) -> list[Source]:
        """Same signature as kg.extract.document's: the sentence, the figure's offset, the paragraph's speaker."""
        return [ARMY] if "l'armée" in text[start:end] else []
    return read_document(text, sentences_of(text), mentions_of(text), PLACES, published, sources_for)


def events_of(reading) -> list[tuple]:
    return [(e.type, e.place, e.date.isoformat() if e.date else None, e.outcome, e.background)
            for e in reading.events]


def figures_of(text: str, reading) -> list[tuple]:
    return [(text[f.span.start:f.span.end], "aggregate" if f.aggregate else tuple(f.events))
            for f in reading.figures]


def case(name: str, text: str, events: list[tuple], figures: list[tuple] = (), *, published: dt.date | None = None,
         wrong: str | None = None):
    """One document; ``wrong`` says why the rules miss what an analyst reads (a strict xfail)."""
    marks = [pytest.mark.xfail(reason=wrong, strict=True)] if wrong else []
    return pytest.param(text, published, events, list(figures), id=name, marks=marks)


D = "2022-08-03"
CASES = [
    case("one event per place named with a plural trigger",
         "Des jihadistes ont attaqué des positions de l'armée à Boni, Hombori et Douentza le 3 août 2022.",
         [("attack", "boni", D, None, False), ("attack", "hombori", D, None, False),
          ("attack", "douentza", D, None, False)]),
    case("a later 'l'attaque' is the focused event",
         "Des hommes armés ont attaqué le camp militaire de Boni le 3 août 2022. "
         "L'attaque a fait douze morts, selon l'armée.",
         [("attack", "boni", D, None, False)],
         [("douze morts", ("e1",))]),
    case("a recalled earlier incident elsewhere, with its own date, is its own event",
         "Des hommes armés ont attaqué le camp militaire de Boni le 3 août 2022. "
         "Le 12 mars 2021, une embuscade avait coûté la vie à dix soldats près de Hombori.",
         [("attack", "boni", D, None, False), ("ambush", "hombori", "2021-03-12", None, True)],
         [("dix soldats", ("e2",))]),
    case("a recalled earlier incident at the same place is its own event",
         "Des hommes armés ont attaqué le camp militaire de Boni le 3 août 2022. "
         "Le 12 mars 2021, le même camp de Boni avait déjà été attaqué, faisant dix morts.",
         [("attack", "boni", D, None, False), ("attack", "boni", "2021-03-12", None, True)],
         [("dix morts", ("e2",))]),
    case("the next day at the same place is another event",
         "Des jihadistes ont attaqué le camp de Boni le 3 août 2022. "
         "Le lendemain, des jihadistes ont attaqué le camp de Boni.",
         [("attack", "boni", D, None, False), ("attack", "boni", "2022-08-04", None, False)]),
    case("a dateline never makes an event at its place",
         "Gao, 10 août 2021 – Des hommes armés ont attaqué dimanche un poste de l'armée à Tessit.",
         [("attack", "tessit", "2021-08-08", None, False)], published=dt.date(2021, 8, 10)),
    case("a dateline is no scene even when the text names no other place",
         "Gao, 10 août 2021 – Des hommes armés ont attaqué dimanche un poste de l'armée. "
         "Quatre soldats ont été tués.",
         [("attack", None, "2021-08-08", None, False)],
         [("Quatre soldats", ("e1",))], published=dt.date(2021, 8, 10)),
    case("an aggregate over two attacks is put on no event",
         "Des jihadistes ont attaqué Boni et Hombori le 3 août 2022. "
         "Au total, 15 soldats ont été tués lors de deux attaques, selon l'armée.",
         [("attack", "boni", D, None, False), ("attack", "hombori", D, None, False)],
         [("15 soldats", "aggregate")]),
    case("an aggregate after a single event is still an aggregate",
         "Des jihadistes ont attaqué le camp de Boni le 3 août 2022. "
         "Au total, 15 soldats ont été tués lors de deux attaques.",
         [("attack", "boni", D, None, False)],
         [("15 soldats", "aggregate")]),
    case("a per-place toll makes an event at that place",
         "Des jihadistes ont attaqué le camp de Boni le 3 août 2022. Le bilan est de 12 morts à Boni et 7 à Hombori.",
         [("attack", "boni", D, None, False), ("attack", "hombori", None, None, False)],
         [("12 morts", ("e1",)), ("7", ("e2",))]),
    case("a per-place toll in a sentence with a trigger",
         "Des jihadistes ont attaqué le camp de Boni le 3 août 2022. L'attaque a fait 12 morts à Boni et 7 à Hombori.",
         [("attack", "boni", D, None, False), ("attack", "hombori", D, None, False)],
         [("12 morts", ("e1",)), ("7", ("e2",))]),
    case("'repoussée' in the next sentence",
         "Des jihadistes ont attaqué le camp de Boni le 3 août 2022. L'attaque a été repoussée par l'armée.",
         [("attack", "boni", D, "repelled", False)]),
    case("'repoussée' in the same sentence",
         "Une attaque contre le camp de Boni a été repoussée le 3 août 2022.",
         [("attack", "boni", D, "repelled", False)]),
    case("'les assaillants ont été repoussés'",
         "Des jihadistes ont attaqué le camp de Boni le 3 août 2022. Les assaillants ont été repoussés.",
         [("attack", "boni", D, "repelled", False)]),
    case("an air strike told after an attack is its own event",
         "Des jihadistes ont attaqué le camp de Boni le 3 août 2022. "
         "En riposte, une frappe aérienne a visé les assaillants.",
         [("attack", "boni", D, None, False), ("airstrike", None, None, None, False)]),
    case("'le même vendredi' is the Friday of the focused incident",
         "Le vendredi 5 août 2022, des hommes armés ont attaqué le poste de Boni. "
         "Le même vendredi, des jihadistes ont enlevé quatre commerçants près de Hombori.",
         [("attack", "boni", "2022-08-05", None, False), ("abduction", "hombori", "2022-08-05", None, False)],
         [("quatre commerçants", ("e2",))], published=dt.date(2022, 8, 16)),
    case("a new paragraph speaks of the main incident again",
         "Des jihadistes ont attaqué le camp de Boni le 3 août 2022.\n"
         "Le 12 mars 2021, une embuscade avait coûté la vie à dix soldats près de Hombori.\n"
         "Selon l'armée, l'attaque a fait trois morts.",
         [("attack", "boni", D, None, False), ("ambush", "hombori", "2021-03-12", None, True)],
         [("dix soldats", ("e2",)), ("trois morts", ("e1",))]),
    case("a region as the only scene",
         "Des jihadistes ont attaqué dans la région de Mopti le 3 août 2022. Dix soldats ont été tués.",
         [("attack", "mopti-region", D, None, False)],
         [("Dix soldats", ("e1",))]),
    case("a reference point is no scene",
         "Des jihadistes ont attaqué un poste à 30 km de Boni le 3 août 2022.",
         [("attack", None, D, None, False)]),
    case("an incident told beside a dated one ('également') shares its day",
         "Des jihadistes ont attaqué le camp de Boni le 3 août 2022. "
         "Une patrouille de l'armée avait également été prise dans une embuscade près de Hombori, sans faire de victimes.",
         [("attack", "boni", D, None, False), ("ambush", "hombori", D, None, True)]),
    case("an incident told as the day before has the day before, not the day told",
         "Des jihadistes ont attaqué le camp de Boni le 3 août 2022. "
         "La veille, une patrouille de l'armée avait été prise dans une embuscade près de Hombori.",
         [("attack", "boni", D, None, False), ("ambush", "hombori", "2022-08-02", None, True)]),
    case("another attack with no day of its own is not given the day told",
         "Des jihadistes ont attaqué le camp de Boni le 3 août 2022. "
         "Une autre attaque avait visé un poste de l'armée près de Hombori.",
         [("attack", "boni", D, None, False), ("attack", "hombori", None, None, True)]),
    case("'au nord de la ville' places an air strike near the town just told of",
         "Des jihadistes ont attaqué le camp de Boni le 3 août 2022. "
         "Plus tôt dans la matinée, l'aviation avait frappé une colonne de pick-up au nord de la ville.",
         [("attack", "boni", D, None, False), ("airstrike", "boni", D, None, True)]),
    case("a town the report has not placed gives no place",
         "Des jihadistes ont attaqué un camp de l'armée le 3 août 2022. "
         "Plus tôt dans la matinée, l'aviation avait frappé une colonne de pick-up au nord de la ville.",
         [("attack", None, D, None, False), ("airstrike", None, D, None, True)]),
    case("a show of force is no event",
         "L'armée a mené une démonstration de force au-dessus de Boni le 3 août 2022.", []),
    case("a per-place toll after a dated attack shares its date",
         "Des jihadistes ont attaqué le camp de Boni le 3 août 2022. Le bilan est de 12 morts à Boni et 7 à Hombori.",
         [("attack", "boni", D, None, False), ("attack", "hombori", D, None, False)],
         [("12 morts", ("e1",)), ("7", ("e2",))],
         wrong="a toll sentence with no trigger makes the Hombori event in the scene branch, without the focus "
               "date that _figure_places would have copied (the same sentence with 'L'attaque a fait' is dated)"),
]


@pytest.mark.parametrize("text, published, events, figures", CASES)
def test_read_document(text: str, published: dt.date | None, events: list[tuple], figures: list[tuple]) -> None:
    reading = read(text, published)
    assert events_of(reading) == events
    assert figures_of(text, reading) == figures


def test_figures_carry_the_sources_of_their_sentence() -> None:
    text = ("Des hommes armés ont attaqué le camp militaire de Boni le 3 août 2022. "
            "L'attaque a fait douze morts, selon l'armée. Une source locale parle de quinze morts.")
    reading = read(text)
    assert [(f.count, f.sources) for f in reading.figures] == [(12, [ARMY]), (15, [])]
    assert {tuple(f.events) for f in reading.figures} == {("e1",)}  # two figures, one event, never merged


def test_event_spans_point_at_trigger_place_and_date() -> None:
    text = "Des jihadistes ont attaqué des positions de l'armée à Boni, Hombori et Douentza le 3 août 2022."
    reading = read(text)
    assert [text[e.span.start:e.span.end] for e in reading.events] == ["ont attaqué"] * 3
    assert [text[e.place_span.start:e.place_span.end] for e in reading.events] == ["Boni", "Hombori", "Douentza"]
    assert {text[e.date_span.start:e.date_span.end] for e in reading.events} == {"3 août 2022"}


def test_event_at_gives_the_event_a_sentence_speaks_of() -> None:
    first = "Des jihadistes ont attaqué le camp de Boni le 3 août 2022.\n"
    second = "Le 12 mars 2021, une embuscade avait coûté la vie à dix soldats près de Hombori.\n"
    third = "Selon l'armée, l'attaque a fait trois morts."
    reading = read(first + second + third)
    assert reading.event_at(0) == "e1"
    assert reading.event_at(len(first) + 5) == "e2"
    assert reading.event_at(len(first + second) + 5) == "e1"


@pytest.mark.parametrize("text, lines", [
    ("Gao, 10 août 2021 – Des hommes armés ont attaqué.", ["Gao, 10 août 2021 – "]),
    ("Niamey (AFP), 12 décembre 2019 — Le bilan est lourd.", ["Niamey (AFP), 12 décembre 2019 — "]),
    ("Bamako, mardi 3 août 2021 - L'armée a riposté.", ["Bamako, mardi 3 août 2021 - "]),
    ("Des hommes armés ont attaqué Gao, le 10 août 2021.", []),
    ("Le camp de Boni a été attaqué le 10 août 2021 – selon l'armée.", []),
])
def test_datelines(text: str, lines: list[str]) -> None:
    assert [text[a:b] for a, b in datelines(text)] == lines
