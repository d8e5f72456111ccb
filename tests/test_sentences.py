"""Sentence boundaries for news text (kg.nlp.sentences), on a blank French pipeline: no trained model needed."""
from __future__ import annotations

import pytest
import spacy

import kg.nlp.sentences  # noqa: F401 - registers kg_sentence_bounds


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    blank = spacy.blank("fr")
    blank.add_pipe("kg_sentence_bounds")
    return blank


def case(name: str, text: str, sentences: list[str], *, wrong: str | None = None):
    marks = [pytest.mark.xfail(reason=wrong, strict=True)] if wrong else []
    return pytest.param(text, sentences, id=name, marks=marks)


@pytest.mark.parametrize("text, sentences", [
    case("headline without final stop",
         "Deux attaques au Mali\nL'armée malienne a déclaré que 15 soldats ont été tués.",
         ["Deux attaques au Mali", "L'armée malienne a déclaré que 15 soldats ont été tués."]),
    case("title abbreviations", "Selon le Col. Dembélé, l'attaque a été repoussée. M. Touré a démenti.",
         ["Selon le Col. Dembélé, l'attaque a été repoussée.", "M. Touré a démenti."]),
    case("lower-case rank", "Le lt. Traoré est mort. Il avait 30 ans.",
         ["Le lt. Traoré est mort.", "Il avait 30 ans."]),
    case("elided article and subject", "Les militants ont attaqué lors d’une attaque de nuit. L’armée a riposté.",
         ["Les militants ont attaqué lors d’une attaque de nuit.", "L’armée a riposté."]),
    case("opening quote starts a sentence", "Le bilan est lourd. « Nous avons repoussé l'assaut », a-t-il dit.",
         ["Le bilan est lourd.", "« Nous avons repoussé l'assaut », a-t-il dit."]),
    case("! ? …", "Dix morts ! Vingt blessés ? Aucun disparu… Le bilan est lourd.",
         ["Dix morts !", "Vingt blessés ?", "Aucun disparu…", "Le bilan est lourd."]),
    case("lower case after a stop", "Le camp est à 3 km. au nord. Voilà.", ["Le camp est à 3 km. au nord.", "Voilà."]),
    case("paragraphs", "L’armée a riposté.\n\nUn nouveau paragraphe commence ici.",
         ["L’armée a riposté.", "Un nouveau paragraphe commence ici."]),
    case("sentence ending inside a closing quote", "Il a dit : « Rien. » Puis il est parti.",
         ["Il a dit : « Rien. »", "Puis il est parti."],
         wrong="a stop followed by a closing » is no boundary: the next sentence is glued to the quote"),
])
def test_sentence_bounds(nlp, text: str, sentences: list[str]) -> None:
    assert [s.text.strip() for s in nlp(text).sents] == sentences


def test_every_token_gets_a_decision(nlp) -> None:
    doc = nlp("Le JNIM a revendiqué l'attaque. Selon SITE, le message date de mardi.")
    assert all(t.is_sent_start is not None for t in doc)
