"""Spokespersons: speakers with title, role and organisation; statements with their speaker."""
from __future__ import annotations

import re

import known_names
import pytest
import spacy

from kg.extract.model import Actor, Mention, Person
from kg.extract.spokespersons import find_spokespersons

ACTORS = {a.key: a for a in [
    Actor("onu", "ONU", "other"), Actor("army-ne", "Forces armées nigériennes", "state_force"),
    Actor("gov-ne", "gouvernement nigérien", "government"), Actor("police-ne", "Police nationale", "state_force"),
    Actor("mindef-ne", "ministère de la Défense", "government"), Actor("afp", "AFP", "media"),
]}
PEOPLE = ["Ibrahim Sow", "Moussa Traoré", "Aïcha Diallo", "Hamid Ag Ali", "Paul Martin", "Ali Maïga", "Issa Kaboré",
          "Amadou Cissé", "Mahamane Ousmane", "Salif Keïta", "Awa Coulibaly"]
PERSONS = {p.lower().replace(" ", "-"): Person(p.lower().replace(" ", "-"), p) for p in PEOPLE}
NAMES = {"ONU": ("actor", "onu"), "AFP": ("actor", "afp"),
         **{p: ("person", p.lower().replace(" ", "-")) for p in PEOPLE}}
NATIONAL = {("army", "NE"): "army-ne", ("government", "NE"): "gov-ne", ("police", "NE"): "police-ne",
            ("defence_ministry", "NE"): "mindef-ne"}


def national(kind: str, country: str | None) -> str | None:
    return NATIONAL.get((kind, country))



def mentions_of(text: str) -> list[Mention]:
    return known_names.mentions_of(text, NAMES)


@pytest.fixture(scope="session")
def nlp() -> spacy.language.Language:
    return spacy.load("fr_core_news_sm")


def _find(nlp, text: str):
    return find_spokespersons(nlp(text), mentions_of(text), ACTORS, PERSONS, national_actor=national, country="NE")


POSTS = [
    ("Le colonel Ibrahim Sow, directeur de la communication de l'armée, a déclaré que dix assaillants étaient morts.",
     "ibrahim-sow", ("colonel", "directeur de la communication de l'armée", "army-ne")),
    ("Le ministre de la Défense, Moussa Traoré, a annoncé la mort de six soldats.",
     "moussa-traoré", ("ministre", "ministre de la Défense", "gov-ne")),
    ("Aïcha Diallo, porte-parole du gouvernement, a affirmé que le bilan était provisoire.",
     "aïcha-diallo", (None, "porte-parole du gouvernement", "gov-ne")),
    ("Le maire de Tessit, Hamid Ag Ali, a recensé vingt morts.",
     "hamid-ag-ali", ("maire", "maire de Tessit", "mairie-de-tessit")),
    ("Le secrétaire général de l'ONU, Paul Martin, a condamné l'attaque.",
     "paul-martin", ("secrétaire général", "secrétaire général de l'ONU", "onu")),
    ("Selon le préfet adjoint de Téra, Ali Maïga, huit civils ont été tués.",
     "ali-maïga", ("préfet adjoint", "préfet adjoint de Téra", "prefecture-de-tera")),
    ("La police nationale a publié un communiqué. Son directeur général adjoint, Issa Kaboré, y évoque deux blessés.",
     "issa-kaboré", ("directeur général adjoint", "directeur général adjoint de la police nationale", "police-ne")),
    ("Le général de brigade Amadou Cissé a indiqué que l'armée contrôlait la ville.",
     "amadou-cissé", ("général de brigade", None, None)),
    ("Awa Coulibaly, adjointe au maire, a confié à l'AFP que le village était vide.", "awa-coulibaly",
     ("adjointe au maire", "adjointe au maire", None)),
]


@pytest.mark.parametrize(("text", "key", "post"), POSTS, ids=[p[1] for p in POSTS])
def test_post_of_a_speaker(nlp, text: str, key: str, post: tuple) -> None:
    person = _find(nlp, text).persons[key]
    assert (person.title, person.role, person.organization) == post


def test_local_office_mints_an_actor(nlp) -> None:
    found = _find(nlp, POSTS[3][0])
    assert found.actors["mairie-de-tessit"].name == "mairie de Tessit"
    assert found.actors["mairie-de-tessit"].type == "government"


def test_a_person_who_does_not_speak_is_left_out(nlp) -> None:
    assert _find(nlp, "Le président Mahamane Ousmane a inauguré le pont de Tillabéri.").persons == {}


def test_surname_links_a_later_quote_to_the_full_name(nlp) -> None:
    text = "« Nous tenons la ville », a déclaré le commandant Salif Keïta. « L'ennemi a fui », a ajouté Keïta."
    found = _find(nlp, text)
    person = found.persons["salif-keïta"]
    assert person.title == "commandant" and "Keïta" in person.aliases
    assert [text[s.start:s.end] for s in person.mentions] == ["Salif Keïta", "Keïta"]
    assert [(s.speaker.key, s.text) for s in found.statements] == [
        ("salif-keïta", "Nous tenons la ville"), ("salif-keïta", "L'ennemi a fui")]


def test_reported_speech_is_a_statement(nlp) -> None:
    text = "Le gouvernement a annoncé un deuil national. Les écoles restent fermées."
    [statement] = _find(nlp, text).statements
    assert statement.speaker.key == "gov-ne"
    assert text[statement.span.start:statement.span.end] == "Le gouvernement a annoncé un deuil national."
