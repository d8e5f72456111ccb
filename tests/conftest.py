"""Fixtures shared by the test modules.

* ``kg_pipeline`` / ``seed_build``: one loaded kg pipeline (``fr_core_news_sm`` plus the gazetteer) and one build
  of the bundled sample per session; loading the model takes several seconds.
* ``handmade``: a factory of a small hand-built ``Extraction`` (no NLP at all), for the RDF mapping and the
  record view.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from kg.extract.model import (
    Actor, CasualtyFigure, Claim, Document, Event, Extraction, Person, Place, Source, Span, Statement,
)


@pytest.fixture(scope="session")
def kg_pipeline():
    """The kg pipeline, loaded once per session (kg.nlp.pipeline.load_nlp is cached too)."""
    from kg.pipeline import Pipeline
    return Pipeline()


@pytest.fixture(scope="session")
def seed_build(kg_pipeline):
    """The bundled sample article built once: document, extraction, graph, SHACL report."""
    from kg.inputs import read_text_file
    from kg.resources import sample_path
    return kg_pipeline.build(read_text_file(sample_path()))


# -- a hand-built extraction ------------------------------------------------------------------------------

HANDMADE_TEXT = (
    "Boni, 5 août 2022 – Des jihadistes de la Katiba Macina, branche du JNIM, ont attaqué vendredi "
    "le camp militaire de Boni, dans la région de Mopti. Douze soldats ont été tués, selon les FAMa, "
    "mais une source locale parle d'une quinzaine de soldats tués. Au total, vingt soldats ont péri "
    "cette semaine lors de deux attaques. Le JNIM a revendiqué l'attaque. « Nous avons repoussé "
    "l'assaut », a déclaré le colonel Ibrahim Touré, porte-parole des FAMa."
)


def span_of(text: str, part: str, nth: int = 1) -> Span:
    """Span of the ``nth`` occurrence of ``part`` in ``text``."""
    start = -1
    for _ in range(nth):
        start = text.index(part, start + 1)
    return Span(start, start + len(part))


def build_handmade(doc_id: str = "sahel-2022-08-05-boni") -> Extraction:
    """Three actors (Katiba Macina part of JNIM; FAMa), a locality in a named region (and a country the text
    does not name), one attack, two per-event figures from two sources plus an aggregate, a claim, and a
    spokesperson holding a post, with his statement."""
    text = HANDMADE_TEXT
    at = lambda part, nth=1: span_of(text, part, nth)  # noqa: E731
    document = Document(doc_id, text, published=dt.date(2022, 8, 6), url="https://example.org/boni")
    actors = {a.key: a for a in [
        Actor("jnim", "JNIM", "armed_group", aliases=["GSIM"], wikidata="Q28151032",
              mentions=[at("JNIM"), at("JNIM", 2)]),
        Actor("katiba-macina", "Katiba Macina", "armed_group", part_of="jnim", mentions=[at("Katiba Macina")]),
        Actor("fama", "FAMa", "state_force", aliases=["Forces armées maliennes"], country="ML",
              mentions=[at("FAMa"), at("FAMa", 2)]),
    ]}
    places = {p.key: p for p in [
        Place("gaz-boni", "Boni", "locality", admin1="Mopti", country="ML", lat=15.05, lon=-1.93, geonames=2460000,
              within=["gaz-mopti-region", "gaz-mali"], mentions=[at("Boni"), at("Boni", 2)]),
        Place("gaz-mopti-region", "Mopti", "region", admin1="Mopti", country="ML", lat=14.69, lon=-3.55,
              within=["gaz-mali"], mentions=[at("région de Mopti")]),
        Place("gaz-mali", "Mali", "country", country="ML", lat=17.35, lon=-3.52, wikidata="Q912"),
    ]}
    persons = {"ibrahim-toure": Person("ibrahim-toure", "Ibrahim Touré", aliases=["Touré"], title="colonel",
                                       role="porte-parole des FAMa", organization="fama",
                                       mentions=[at("Ibrahim Touré")])}
    sentence = Span(text.index("Des jihadistes"), text.index("Mopti.") + len("Mopti."))
    event = Event("e1", "attack", at("ont attaqué"), sentence, date=dt.date(2022, 8, 5), date_precision="day",
                  date_span=at("vendredi"), place="gaz-boni", place_precision="exact", place_span=at("Boni", 2),
                  attackers=["katiba-macina", "jnim"], targets=["fama"], outcome="repelled")
    figures = [
        CasualtyFigure("killed", "soldier", 12, at("Douze soldats"), events=["e1"],
                       sources=[Source("actor", "fama", "FAMa")]),
        CasualtyFigure("killed", "soldier", 15, at("une quinzaine de soldats"), qualifier="about", events=["e1"],
                       sources=[Source("label", "source locale", "source locale")]),
        CasualtyFigure("killed", "soldier", 20, at("vingt soldats"), events=["e1"], aggregate=True),
    ]
    claims = [Claim("jnim", "e1", at("Le JNIM a revendiqué l'attaque"))]
    statements = [Statement(Source("person", "ibrahim-toure", "Ibrahim Touré"), "Nous avons repoussé l'assaut",
                            at("Nous avons repoussé l'assaut"))]
    return Extraction(document, actors, places, persons, [event], figures, claims, statements)


@pytest.fixture
def handmade() -> Callable[..., Extraction]:
    """Factory: ``handmade(doc_id=...)`` gives a fresh hand-built extraction."""
    return build_handmade
