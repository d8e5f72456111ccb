"""Links between organisations the text states (kg.extract.relations): part_of, affiliated_with.

As in a real document, the actors dict holds only the organisations the text
names; mentions come from exact name matching.
"""
from __future__ import annotations

import re

import known_names
import pytest

from kg.extract.model import Actor, Mention
from kg.extract.relations import apply_relations, text_relations

KNOWN = [
    Actor("jnim", "JNIM", "armed_group"), Actor("al-qaida", "Al-Qaïda", "armed_group"),
    Actor("ei", "État islamique", "armed_group"), Actor("eigs", "EIGS", "armed_group"),
    Actor("katiba-macina", "Katiba Macina", "armed_group"), Actor("ansarul", "Ansarul Islam", "armed_group"),
    Actor("reuters", "Reuters", "media"), Actor("site", "SITE", "intelligence_firm"),
    Actor("fama", "FAMa", "state_force"), Actor("gov-ml", "gouvernement malien", "government"),
    Actor("minusma", "MINUSMA", "international_force"), Actor("onu", "ONU", "other"),
    Actor("az-zallaqa", "Az-Zallaqa", "media"),
]
NAMES = {a.name: a.key for a in KNOWN} | {"l'État islamique": "ei"}



def mentions_of(text: str) -> list[Mention]:
    return known_names.mentions_of(text, NAMES)


def document_actors(text: str, gazetteer_part: dict[str, str] | None = None,
                    gazetteer_affiliated: dict[str, list[str]] | None = None) -> dict[str, Actor]:
    """Fresh Actor objects for the organisations the text names, with gazetteer links when given."""
    named = {m.key for m in mentions_of(text)}
    actors = {}
    for a in KNOWN:
        if a.key in named:
            actors[a.key] = Actor(a.key, a.name, a.type, part_of=(gazetteer_part or {}).get(a.key),
                                  affiliated_with=list((gazetteer_affiliated or {}).get(a.key, [])))
    return actors


def stated(text: str) -> list[tuple[str, str, str]]:
    sentences = [(m.start(), m.end()) for m in re.finditer(r"[^.]+\.?", text)]
    return text_relations(text, sentences, mentions_of(text), document_actors(text))


@pytest.mark.parametrize("text, relations", [
    pytest.param("L'EIGS, branche de l'organisation État islamique, a revendiqué l'attaque.",
                 [("eigs", "part_of", "ei")], id="X, branche de l'organisation Y"),
    pytest.param("Le JNIM, la branche sahélienne d'Al-Qaïda, a revendiqué l'attaque.",
                 [("jnim", "part_of", "al-qaida")], id="X, la branche sahélienne d'Y"),
    pytest.param("Az-Zallaqa, l'organe de propagande du JNIM, a diffusé le communiqué.",
                 [("az-zallaqa", "part_of", "jnim")], id="X, l'organe de propagande du Y"),
    pytest.param("Le JNIM, lié à Al-Qaïda, a revendiqué l'attaque.",
                 [("jnim", "affiliated_with", "al-qaida")], id="X, lié à Y"),
    pytest.param("Ansarul Islam, affilié au JNIM, opère dans le nord.",
                 [("ansarul", "affiliated_with", "jnim")], id="X, affilié au Y"),
    pytest.param("La filiale sahélienne d'Al-Qaïda, le JNIM, a revendiqué l'attaque.",
                 [("jnim", "affiliated_with", "al-qaida")], id="la filiale d'Y, X"),
    pytest.param("Le JNIM a affirmé que sa branche Katiba Macina avait mené l'assaut.",
                 [("katiba-macina", "part_of", "jnim")], id="sa branche Z"),
    pytest.param("Selon Reuters, les militants liés à Al-Qaïda ont mené des raids.", [],
                 id="source R, militants liés à Y"),
    pytest.param("Selon Reuters, les militants liés à Al-Qaïda et à l'État islamique ont mené des raids.", [],
                 id="source R, militants liés à Y et Z"),
    pytest.param("Selon SITE, le JNIM, lié à Al-Qaïda, a revendiqué l'attaque.",
                 [("jnim", "affiliated_with", "al-qaida")], id="source R, X lié à Y"),
    pytest.param("Le JNIM et l'EIGS se disputent la zone.", [], id="two groups, no link"),
    pytest.param("Le JNIM a revendiqué l'attaque. Lié à Al-Qaïda depuis 2017, il recrute.", [],
                 id="no link across sentences"),
])
def test_text_relations(text: str, relations: list[tuple[str, str, str]]) -> None:
    assert stated(text) == relations


@pytest.mark.parametrize("text", [
    "Selon Reuters, les militants liés à Al-Qaïda ont mené des raids.",
    "D'après Reuters, les combattants affiliés à l'État islamique ont attaqué le camp.",
])
def test_a_source_is_linked_to_nobody(text: str) -> None:
    actors = document_actors(text)
    apply_relations(actors, text_relations(text, [(0, len(text))], mentions_of(text), actors))
    assert actors["reuters"].part_of is None and actors["reuters"].affiliated_with == []
    assert all("reuters" not in (a.part_of, *a.affiliated_with) for a in actors.values())


def _applied(text: str, part: dict[str, str] | None = None, affiliated: dict[str, list[str]] | None = None):
    actors = document_actors(text, part, affiliated)
    apply_relations(actors, text_relations(text, [(0, len(text))], mentions_of(text), actors))
    return {k: (a.part_of, a.affiliated_with) for k, a in actors.items() if a.part_of or a.affiliated_with}


def test_text_sets_part_of_and_affiliation() -> None:
    assert _applied("Le JNIM, lié à Al-Qaïda, a affirmé que sa branche Katiba Macina avait mené l'assaut.") == {
        "jnim": (None, ["al-qaida"]), "katiba-macina": ("jnim", [])}


def test_gazetteer_part_of_is_kept_when_both_are_named_and_the_text_is_silent() -> None:
    text = "Des casques bleus de la MINUSMA ont été visés ; l'ONU a condamné l'attaque."
    assert _applied(text, part={"minusma": "onu"}) == {"minusma": ("onu", [])}


def test_gazetteer_part_of_needs_the_parent_in_the_document() -> None:
    assert _applied("La MINUSMA a condamné l'attaque.", part={"minusma": "onu"}) == {}


def test_gazetteer_affiliations_are_background_knowledge_only() -> None:
    text = "Le JNIM et l'EIGS se disputent la zone, loin d'Al-Qaïda."
    assert _applied(text, affiliated={"jnim": ["al-qaida"]}) == {}


def test_what_the_text_says_of_a_pair_wins_over_the_gazetteer() -> None:
    text = "La Katiba Macina, liée au JNIM, a revendiqué l'attaque."
    assert _applied(text, part={"katiba-macina": "jnim"}) == {"katiba-macina": (None, ["jnim"])}


def test_gazetteer_part_of_between_unrelated_kinds_is_dropped() -> None:
    """An army is no sub-organisation of a government in the graph (state_force -> government is not kept)."""
    text = "Les FAMa et le gouvernement malien ont démenti."
    assert _applied(text, part={"fama": "gov-ml"}) == {}


def test_nobody_is_part_of_itself() -> None:
    actors = document_actors("Le JNIM a revendiqué l'attaque.")
    apply_relations(actors, [("jnim", "part_of", "jnim"), ("jnim", "affiliated_with", "absent")])
    assert (actors["jnim"].part_of, actors["jnim"].affiliated_with) == (None, [])
