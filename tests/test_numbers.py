"""kg.extract.numbers: French numbers in casualty phrases (sentences written for these tests).

Each expected quantity is written as (value, qualifier, value_max, text[start:end]).
"""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.extract.numbers import Quantity, find_quantities, find_revision, parse_quantity

Expected = tuple[int, str, int | None, str]


def _view(text: str, q: Quantity) -> Expected:
    return (q.value, q.qualifier, q.value_max, text[q.start:q.end])


@pytest.mark.parametrize(("phrase", "expected"), [
    ("17", (17, "exact", None, "17")),
    ("07 soldats", (7, "exact", None, "07")),
    ("1 200 déplacés", (1200, "exact", None, "1 200")),
    ("1.200 déplacés", (1200, "exact", None, "1.200")),
    ("1\u00a0200 déplacés", (1200, "exact", None, "1\u00a0200")),
    ("3\u202f500 réfugiés", (3500, "exact", None, "3\u202f500")),
    ("dix-sept gendarmes", (17, "exact", None, "dix-sept")),
    ("cinquante-quatre civils", (54, "exact", None, "cinquante-quatre")),
    ("soixante et onze victimes", (71, "exact", None, "soixante et onze")),
    ("quatre-vingt-neuf morts", (89, "exact", None, "quatre-vingt-neuf")),
    ("deux cents personnes", (200, "exact", None, "deux cents")),
    ("Vingt et une femmes", (21, "exact", None, "Vingt et une")),
    ("un soldat", (1, "exact", None, "un")),
    ("une femme", (1, "exact", None, "une")),
    ("mille manifestants", (1000, "exact", None, "mille")),
    ("une dizaine de blessés", (10, "about", None, "une dizaine")),
    ("une douzaine d'otages", (12, "about", None, "une douzaine")),
    ("une quinzaine de morts", (15, "about", None, "une quinzaine")),
    ("une vingtaine d’assaillants", (20, "about", None, "une vingtaine")),
    ("une trentaine de motos", (30, "about", None, "une trentaine")),
    ("une quarantaine de villageois", (40, "about", None, "une quarantaine")),
    ("une cinquantaine de jihadistes", (50, "about", None, "une cinquantaine")),
    ("une soixantaine de civils", (60, "about", None, "une soixantaine")),
    ("une centaine de déplacés", (100, "about", None, "une centaine")),
    ("un millier de réfugiés", (1000, "about", None, "un millier")),
    ("deux centaines de familles", (200, "about", None, "deux centaines")),
    ("au moins 12 soldats", (12, "at_least", None, "au moins 12")),
    ("au minimum trois morts", (3, "at_least", None, "au minimum trois")),
    ("plus de 40 victimes", (40, "at_least", None, "plus de 40")),
    ("plus d'une dizaine de blessés", (10, "at_least", None, "plus d'une dizaine")),
    ("plus d’un millier de déplacés", (1000, "at_least", None, "plus d’un millier")),
    ("pas moins de 30 morts", (30, "at_least", None, "pas moins de 30")),
    ("au moins une vingtaine de civils", (20, "at_least", None, "au moins une vingtaine")),
    ("près de 60 personnes", (60, "about", None, "près de 60")),
    ("près d'une centaine de civils", (100, "about", None, "près d'une centaine")),
    ("environ 150 combattants", (150, "about", None, "environ 150")),
    ("quelque 300 familles", (300, "about", None, "quelque 300")),
    ("autour de 25 morts", (25, "about", None, "autour de 25")),
    ("jusqu'à 40 morts", (40, "at_most", None, "jusqu'à 40")),
    ("jusqu’à quarante morts", (40, "at_most", None, "jusqu’à quarante")),
    ("au plus cinq blessés", (5, "at_most", None, "au plus cinq")),
    ("moins de 10 victimes", (10, "at_most", None, "moins de 10")),
    ("moins d'une dizaine de morts", (10, "at_most", None, "moins d'une dizaine")),
    ("30 à 32 soldats", (30, "exact", 32, "30 à 32")),
    ("entre 30 et 32 soldats", (30, "exact", 32, "entre 30 et 32")),
    ("de 30 à 32 soldats", (30, "exact", 32, "30 à 32")),
    ("trois ou quatre otages", (3, "exact", 4, "trois ou quatre")),
    ("quinze-vingt morts", (15, "exact", None, "quinze")),  # not a number: falls back to the first word
])
def test_parse_quantity(phrase: str, expected: Expected) -> None:
    quantity = parse_quantity(phrase)
    assert quantity is not None
    assert _view(phrase, quantity) == expected


@pytest.mark.parametrize("phrase", [
    "plusieurs dizaines de morts",
    "des dizaines de blessés",
    "des centaines de déplacés",
    "quelques dizaines de combattants",
    "des milliers de réfugiés",
    "de nombreuses centaines de familles",
    "dizaines de victimes",
    "les assaillants",
    "",
])
def test_parse_quantity_none(phrase: str) -> None:
    assert parse_quantity(phrase) is None


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Au moins dix-sept soldats ont été tués et 07 autres blessés.",
     [(17, "at_least", None, "Au moins dix-sept"), (7, "exact", None, "07")]),
    ("Un convoi a été attaqué : une dizaine de civils tués, plus de 30 blessés.",
     [(10, "about", None, "une dizaine"), (30, "at_least", None, "plus de 30")]),
    ("Entre 30 et 32 civils ont péri, dont un enfant, et 1 200 personnes ont fui.",
     [(30, "exact", 32, "Entre 30 et 32"), (1200, "exact", None, "1 200")]),
    ("L’armée dit avoir neutralisé au moins un terroriste.", [(1, "at_least", None, "au moins un")]),
    ("Un ou deux soldats manquent à l'appel.", [(1, "exact", 2, "Un ou deux")]),
    ("Plusieurs dizaines de morts et une cinquantaine de blessés.", [(50, "about", None, "une cinquantaine")]),
    ("Le bilan est passé de 25 à 89 morts.", [(25, "exact", None, "25"), (89, "exact", None, "89")]),
    ("Le bilan s'alourdit de 12 à 20 tués.", [(12, "exact", None, "12"), (20, "exact", None, "20")]),
    ("Le bilan s’alourdit de 12 à 20 tués.", [(12, "exact", None, "12"), (20, "exact", None, "20")]),
    ("Le bilan a été porté de 8 à 14 morts.", [(8, "exact", None, "8"), (14, "exact", None, "14")]),
    ("Le bilan a été revu à la hausse de 5 à 9.", [(5, "exact", None, "5"), (9, "exact", None, "9")]),
    ("Une attaque a fait de 30 à 32 morts.", [(30, "exact", 32, "30 à 32")]),
    ("Dix pour cent des habitants ont fui, soit 12 % de la commune.", []),
    ("Plus de 2000 personnes ont fui depuis 2019.", [(2000, "at_least", None, "Plus de 2000")]),
])
def test_find_quantities(sentence: str, expected: list[Expected]) -> None:
    assert [_view(sentence, q) for q in find_quantities(sentence)] == expected


@pytest.mark.parametrize("sentence", [
    "L'attaque s'est produite en 2015, au plus fort de la crise.",
    "Le groupe est actif dans la région depuis 2013.",
    "De 2012 à 2016, puis entre 2018 et 2020, la zone était instable.",
    "Les faits remontent au 27 juillet, vers 10 h du matin.",
    "Les faits remontent au 27 juillet 2022 à 10h30.",
    "Le 1er mai, le 2e bataillon est arrivé, le 3ème jour.",
    "Le village se trouve à 47 km de Gao, soit 300 km de la capitale.",
    "Le camp est situé de 30 à 32 km de la ville.",
    "Le taux d’abstention atteint 62 %, soit 2,5 millions d'électeurs.",
    "Le véhicule a sauté sur une mine sur la RN 16, le 27/07/2022.",
    "La réunion du 12.05.2021 a duré trois heures.",
    "Dans la nuit du 4 au 5 juin, trois jours après l'élection.",
    "Il était âgé de 25 ans et vivait là depuis deux ans.",
    "L’un des assaillants a été arrêté, ainsi que l'une des complices.",
    "Une rançon de 50 000 euros a été exigée à 14:30.",
    "Des dizaines de motos, des centaines de déplacés, plusieurs milliers de réfugiés.",
    "Un camion a percuté une moto.",  # articles, not counts
])
def test_find_quantities_ignores_non_counts(sentence: str) -> None:
    assert find_quantities(sentence) == []


def test_articles_on_request() -> None:
    sentence = "Un soldat a été tué et une femme blessée."
    assert [_view(sentence, q) for q in find_quantities(sentence, include_articles=True)] == [
        (1, "exact", None, "Un"), (1, "exact", None, "une")]


@pytest.mark.parametrize(("sentence", "old", "new"), [
    ("Le bilan est passé de 25 à 89 morts.", (25, "exact", None, "25"), (89, "exact", None, "89")),
    ("Le bilan, passé de 25 morts à 89, reste provisoire.", (25, "exact", None, "25"), (89, "exact", None, "89")),
    ("Le bilan a été revu de 40 à 35.", (40, "exact", None, "40"), (35, "exact", None, "35")),
    ("Le bilan a été porté de douze à vingt et un morts.",
     (12, "exact", None, "douze"), (21, "exact", None, "vingt et un")),
    ("Le bilan s'alourdit de 10 à au moins 30 morts.",
     (10, "exact", None, "10"), (30, "at_least", None, "au moins 30")),
    ("Le bilan s’alourdit de 10 à 30 morts.", (10, "exact", None, "10"), (30, "exact", None, "30")),
    ("Le bilan a été revu à la hausse, de 5 à 9 tués.", (5, "exact", None, "5"), (9, "exact", None, "9")),
])
def test_find_revision(sentence: str, old: Expected, new: Expected) -> None:
    revision = find_revision(sentence)
    assert revision is not None
    assert (_view(sentence, revision[0]), _view(sentence, revision[1])) == (old, new)


@pytest.mark.parametrize("sentence", [
    "Une attaque a fait de 30 à 32 morts.",
    "Le bilan est de 25 morts.",
    "Le bilan est passé à 89 morts.",
])
def test_find_revision_none(sentence: str) -> None:
    assert find_revision(sentence) is None


@given(st.text(alphabet=st.sampled_from(list("0123456789 .,'’-àdeuxtroisplnmcinqzaé\u00a0")), max_size=80))
def test_spans_are_inside_the_text(text: str) -> None:
    for q in find_quantities(text, include_articles=True):
        assert 0 <= q.start < q.end <= len(text)
        assert q.value >= 0 and (q.value_max is None or q.value_max > q.value)
