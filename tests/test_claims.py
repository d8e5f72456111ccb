"""Claims and denials of responsibility: claimant, relay, channel, executing sub-group."""
from __future__ import annotations


import known_names
import pytest
import spacy

from kg.extract.claims import find_claims, slug
from kg.extract.model import Actor, Mention

ACTORS = {a.key: a for a in [
    Actor("jnim", "JNIM", "armed_group"), Actor("eigs", "EIGS", "armed_group"), Actor("mnla", "MNLA", "armed_group"),
    Actor("katiba-serma", "Katiba Serma", "armed_group"), Actor("site", "SITE", "intelligence_firm"),
    Actor("rfi", "RFI", "media"), Actor("thabat", "Thabat", "media"), Actor("fama", "FAMa", "state_force"),
]}
NAMES = {"JNIM": "jnim", "GSIM": "jnim", "EIGS": "eigs", "MNLA": "mnla", "Katiba Serma": "katiba-serma",
         "SITE": "site", "RFI": "rfi", "Thabat": "thabat", "FAMa": "fama"}



def mentions_of(text: str) -> list[Mention]:
    return known_names.mentions_of(text, NAMES)


@pytest.fixture(scope="session")
def nlp() -> spacy.language.Language:
    return spacy.load("fr_core_news_sm")


def _claims(nlp, text: str, event_at=lambda offset: None):
    found = find_claims(nlp(text), mentions_of(text), ACTORS, event_at=event_at)
    return [(c.claimant, c.denial, c.relay, c.channel, x) for c, x in zip(found.claims, found.executors)], found


CASES = [
    ("Le JNIM a revendiqué l'attaque contre le camp de Boni.", [("jnim", False, None, None, None)]),
    ("L'attaque a été revendiquée par l'EIGS dans un message relayé par SITE.", [("eigs", False, "site", None, None)]),
    ("Le JNIM a déclaré que sa branche Katiba Serma avait mené l'assaut.",
     [("jnim", False, None, None, "katiba-serma")]),
    ("Le MNLA a démenti toute implication dans la tuerie.", [("mnla", True, None, None, None)]),
    ("Le GSIM a rejeté mardi toute responsabilité, dans un communiqué relayé par RFI.",
     [("jnim", True, "rfi", None, None)]),
    ("Aucun groupe n'a revendiqué l'attaque, attribuée à l'EIGS.", []),
    ("L'embuscade n'avait pas été revendiquée lundi soir.", []),
    ("Les soupçons se portent sur le JNIM, dont la zone est le terrain d'action.", []),
    ("Les FAMa ont revendiqué la neutralisation de vingt terroristes.", []),
    ("Le MNLA s'est présenté comme l'auteur de l'embuscade.", [("mnla", False, None, None, None)]),
    ("Le JNIM a revendiqué l'attaque sur sa plateforme Thabat.", [("jnim", False, None, "thabat", None)]),
    ("Le MNLA a reconnu être l'auteur de l'attaque, selon une traduction de SITE.",
     [("mnla", False, "site", None, None)]),
    ("Le centre SITE, qui suit les groupes jihadistes, a indiqué que l'EIGS avait revendiqué l'attaque.",
     [("eigs", False, "site", None, None)]),
    ("Le GSIM nie toute responsabilité dans le massacre mais revendique l'embuscade de la veille.",
     [("jnim", True, None, None, None), ("jnim", False, None, None, None)]),
    ("L'EIGS affirme avoir mené l'assaut contre le poste de Tessit.", [("eigs", False, None, None, None)]),
    ("Le JNIM, au nom de sa katiba Serma, a revendiqué l'attaque.", [("jnim", False, None, None, None)]),
    ("Le JNIM l'a revendiquée au nom de sa Katiba Serma.", [("jnim", False, None, None, "katiba-serma")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_find_claims(nlp, text: str, expected: list[tuple]) -> None:
    assert _claims(nlp, text)[0] == expected


def test_unmentioned_group_outlet_becomes_a_media_actor(nlp) -> None:
    text = "Dans une revendication diffusée par son agence Amaq, l'EIGS affirme avoir tué dix soldats."
    rows, found = _claims(nlp, text)
    assert rows == [("eigs", False, None, "amaq", None)]
    assert found.actors["amaq"].name == "Amaq" and found.actors["amaq"].type == "media"


def test_claim_span_and_event(nlp) -> None:
    text = "Selon RFI, le JNIM a revendiqué l'attaque."
    found = find_claims(nlp(text), mentions_of(text), ACTORS, event_at=lambda offset: "e1")
    [claim] = found.claims
    assert text[claim.span.start:claim.span.end] == "revendiqué" and claim.event == "e1" and claim.relay == "rfi"


def test_headline_and_body_give_one_claim(nlp) -> None:
    text = "Le JNIM revendique l'attaque de Boni\n\nMardi, le JNIM a revendiqué l'attaque du camp, selon SITE."
    rows, found = _claims(nlp, text, event_at=lambda offset: None if offset < 40 else "e1")
    assert rows == [("jnim", False, "site", None, None)] and found.claims[0].event == "e1"


def test_same_text_inherits_the_outlets(nlp) -> None:
    text = ("Le JNIM a démenti toute implication dans un communiqué relayé par RFI. "
            "Dans le même texte, le JNIM revendique l'embuscade de la veille.")
    assert _claims(nlp, text)[0] == [("jnim", True, "rfi", None, None), ("jnim", False, "rfi", None, None)]


@pytest.mark.parametrize(("name", "key"), [("Az-Zallaqa", "az-zallaqa"), ("Al-Naba’", "al-naba"), ("Éclair", "eclair")])
def test_slug(name: str, key: str) -> None:
    assert slug(name) == key
