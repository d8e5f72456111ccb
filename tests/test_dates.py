"""kg.extract.dates: French date expressions (sentences written for these tests).

Each expected mention is written as (text[start:end], date, precision, relative).
The publication date used by most cases, 2022-07-28, is a Thursday.
"""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.extract.dates import DateMention, find_dates

D = dt.date
PUBLISHED = D(2022, 7, 28)  # Thursday
Expected = tuple[str, dt.date | None, str, bool]


def _view(text: str, m: DateMention) -> Expected:
    return (text[m.start:m.end], m.date, m.precision, m.relative)


@pytest.mark.parametrize(("sentence", "expected"), [
    # explicit dates
    ("L'attaque a eu lieu le 27 juillet 2022 à l'aube.", [("27 juillet 2022", D(2022, 7, 27), "day", False)]),
    ("Le poste a été visé le 27/07/2022.", [("27/07/2022", D(2022, 7, 27), "day", False)]),
    ("Rapport daté du 03.02.21.", [("03.02.21", D(2021, 2, 3), "day", False)]),
    ("Le 1er mai, des tirs ont été entendus.", [("1er mai", D(2022, 5, 1), "day", False)]),
    ("Mercredi 27 juillet, un convoi a sauté.", [("Mercredi 27 juillet", D(2022, 7, 27), "day", False)]),
    ("Les faits datent du 15 août.", [("15 août", D(2021, 8, 15), "day", False)]),  # after publication: last year
    ("Le 28 juillet au matin, la ville était calme.", [("28 juillet", D(2022, 7, 28), "day", False)]),
    ("Le 31 février 2022 n'existe pas.", []),
    ("Le 31 février n'existe pas, le 29 février 2022 non plus.", []),
    ("Le 29 février, un convoi est passé.", [("29 février", None, "day", False)]),  # none in the past year
    # weekdays: most recent on or before publication
    ("Mardi, des hommes armés ont tué deux bergers.", [("Mardi", D(2022, 7, 26), "day", True)]),
    ("Mardi soir, une patrouille est tombée dans une embuscade.", [("Mardi soir", D(2022, 7, 26), "day", True)]),
    ("Ce mercredi, l'armée a riposté.", [("Ce mercredi", D(2022, 7, 27), "day", True)]),
    ("Ce jeudi, le camp a été visé.", [("Ce jeudi", D(2022, 7, 28), "day", True)]),
    ("Vendredi, le marché a brûlé.", [("Vendredi", D(2022, 7, 22), "day", True)]),
    ("Lundi dernier, un élu a été enlevé.", [("Lundi dernier", D(2022, 7, 25), "day", True)]),
    ("Jeudi dernier, un élu a été enlevé.", [("Jeudi dernier", D(2022, 7, 21), "day", True)]),
    ("Une réunion est prévue samedi prochain.", [("samedi prochain", D(2022, 7, 30), "day", True)]),
    # deictic expressions
    ("Hier, deux soldats ont été tués.", [("Hier", D(2022, 7, 27), "day", True)]),
    ("Hier soir, le calme est revenu.", [("Hier soir", D(2022, 7, 27), "day", True)]),
    ("Avant-hier, un pont a été détruit.", [("Avant-hier", D(2022, 7, 26), "day", True)]),
    ("Ce matin, la route était coupée.", [("Ce matin", D(2022, 7, 28), "day", True)]),
    ("Aujourd'hui, les écoles sont fermées.", [("Aujourd'hui", D(2022, 7, 28), "day", True)]),
    ("Aujourd’hui, les écoles sont fermées.", [("Aujourd’hui", D(2022, 7, 28), "day", True)]),
    ("La veille, un drone avait survolé la zone.", [("La veille", D(2022, 7, 27), "day", True)]),
    # nights: the date of the second day
    ("Dans la nuit de samedi à dimanche, le poste a été attaqué.",
     [("nuit de samedi à dimanche", D(2022, 7, 24), "day", True)]),
    ("Dans la nuit du jeudi 9 au vendredi 10 juin, le village a été pillé.",
     [("nuit du jeudi 9 au vendredi 10 juin", D(2022, 6, 10), "day", False)]),
    ("Dans la nuit du 4 au 5 juin, le village a été pillé.", [("nuit du 4 au 5 juin", D(2022, 6, 5), "day", False)]),
    ("Dans la nuit du 31 mai au 1er juin 2021, des tirs.",
     [("nuit du 31 mai au 1er juin 2021", D(2021, 6, 1), "day", False)]),
    # months and years: never a day
    ("Les combats ont repris en décembre 2019.", [("décembre 2019", D(2019, 12, 1), "month", False)]),
    ("En juillet, les pluies ont coupé les routes.", [("juillet", D(2022, 7, 1), "month", False)]),
    ("Depuis septembre, l'école est fermée.", [("septembre", D(2021, 9, 1), "month", False)]),
    ("Mi-août, la mission a été prolongée.", [("août", D(2021, 8, 1), "month", False)]),
    ("Le rapport de juillet 2021 est clair.", [("juillet 2021", D(2021, 7, 1), "month", False)]),
    ("Le groupe est apparu en 2015.", [("2015", D(2015, 1, 1), "year", False)]),
    ("La région est instable depuis 2013.", [("2013", D(2013, 1, 1), "year", False)]),
    # no date here
    ("Le fichier a été supprimé de la maison.", []),
    ("Mars est une planète, mai un mois.", []),
    ("Les soldats ont marché pendant trois jours.", []),
    ("Le lendemain, les renforts sont arrivés.", []),  # no anchor given
])
def test_find_dates(sentence: str, expected: list[Expected]) -> None:
    assert [_view(sentence, m) for m in find_dates(sentence, PUBLISHED)] == expected


ANCHOR = D(2022, 7, 20)


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Le lendemain, les renforts sont arrivés.", [("Le lendemain", D(2022, 7, 21), "day", True)]),
    ("Au lendemain de l'attaque, le maire a parlé.", [("Au lendemain", D(2022, 7, 21), "day", True)]),
    ("Le surlendemain, le camp a été évacué.", [("Le surlendemain", D(2022, 7, 22), "day", True)]),
    ("Trois jours après, un second assaut a eu lieu.", [("Trois jours après", D(2022, 7, 23), "day", True)]),
    ("Quatre jours plus tard, le corps a été retrouvé.", [("Quatre jours plus tard", D(2022, 7, 24), "day", True)]),
    ("Une semaine plus tard, l'école a rouvert.", [("Une semaine plus tard", D(2022, 7, 27), "day", True)]),
    ("Deux jours plus tôt, un convoi avait été visé.", [("Deux jours plus tôt", D(2022, 7, 18), "day", True)]),
    ("La veille, un drone avait survolé la zone.", [("La veille", D(2022, 7, 19), "day", True)]),
    ("Il y a deux semaines, un autre village a été visé.",
     [("Il y a deux semaines", D(2022, 7, 14), "day", True)]),  # counts from publication
])
def test_find_dates_relative_to_anchor(sentence: str, expected: list[Expected]) -> None:
    assert [_view(sentence, m) for m in find_dates(sentence, PUBLISHED, anchor=ANCHOR)] == expected


TODAY = D(2024, 3, 1)


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Mercredi 27 juillet, un convoi a sauté.", [("Mercredi 27 juillet", D(2022, 7, 27), "day", False)]),
    ("Samedi 5 juin, le village a été pillé.", [("Samedi 5 juin", D(2021, 6, 5), "day", False)]),
    ("Le 27 juillet, un convoi a sauté.", [("27 juillet", None, "day", False)]),
    ("Mardi, deux bergers ont été tués.", [("Mardi", None, "day", True)]),
    ("Hier, deux bergers ont été tués.", [("Hier", None, "day", True)]),
    ("En juillet, les pluies ont coupé les routes.", [("juillet", None, "month", False)]),
    ("Le 27 juillet 2022, un convoi a sauté.", [("27 juillet 2022", D(2022, 7, 27), "day", False)]),
])
def test_find_dates_without_publication(sentence: str, expected: list[Expected]) -> None:
    assert [_view(sentence, m) for m in find_dates(sentence, None, today=TODAY)] == expected


def test_document_order() -> None:
    text = "Le 3 mai 2022, un camp a été attaqué. Deux jours plus tard, hier selon d'autres, en mars 2021."
    assert [_view(text, m) for m in find_dates(text, PUBLISHED, anchor=D(2022, 5, 3))] == [
        ("3 mai 2022", D(2022, 5, 3), "day", False),
        ("Deux jours plus tard", D(2022, 5, 5), "day", True),
        ("hier", D(2022, 7, 27), "day", True),
        ("mars 2021", D(2021, 3, 1), "month", False),
    ]


_PIECES = [*"0123456789 /.-'’aeiourdlnmhjvs", "mardi", " juin ", "hier", "nuit du ", " au ", "1er", "2022"]


@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join),
       st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31)))
def test_spans_are_inside_the_text(text: str, published: dt.date) -> None:
    for m in find_dates(text, published, anchor=published):
        assert 0 <= m.start < m.end <= len(text)
