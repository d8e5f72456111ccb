"""Casualty figures of one sentence (kg.extract.casualties.find_figures).

Each row: a French sentence and every figure an analyst reads in it, as
(status, category, count, qualifier, the text the figure spans). Conventions
(docs/graph-model.md, kg.extract.casualties): "neutralisés" is killed/militant,
gendarmes are police, VDP soldiers, habitants civilians, morts/corps/personnes
persons. Numbers that count something else give no figure.
"""
from __future__ import annotations

import pytest

from kg.extract.casualties import find_figures


def case(name: str, sentence: str, expected: list[tuple], *, wrong: str | None = None):
    """One row; ``wrong`` says why the rules miss what an analyst reads (a strict xfail)."""
    marks = [pytest.mark.xfail(reason=wrong, strict=True)] if wrong else []
    return pytest.param(sentence, expected, id=name, marks=marks)


def read(sentence: str, offset: int = 0) -> list[tuple]:
    return [(f.status, f.category, f.quantity.value, f.quantity.qualifier, sentence[f.start - offset:f.end - offset])
            for f in find_figures(sentence, offset)]


CASES = [
    # -- counts: digits, number words, approximations -------------------------------------------------------
    case("digits", "L'attaque a fait 17 morts.", [("killed", "person", 17, "exact", "17 morts")]),
    case("words", "Douze soldats ont été tués dans l'attaque.", [("killed", "soldier", 12, "exact", "Douze soldats")]),
    case("compound words", "Les jihadistes ont tué cinquante-quatre personnes.",
         [("killed", "person", 54, "exact", "cinquante-quatre personnes")]),
    case("one", "Un soldat a été tué.", [("killed", "soldier", 1, "exact", "Un soldat")]),
    case("une trentaine", "Une trentaine de civils ont été tués.",
         [("killed", "civilian", 30, "about", "Une trentaine de civils")]),
    case("une vingtaine after verb", "Les soldats ont neutralisé une vingtaine de terroristes.",
         [("killed", "militant", 20, "about", "une vingtaine de terroristes")]),
    case("une centaine abducted", "Une centaine de personnes ont été enlevées.",
         [("abducted", "person", 100, "about", "Une centaine de personnes")]),
    # -- qualifiers ---------------------------------------------------------------------------------------------
    case("au moins", "Au moins 23 civils ont été tués lundi.",
         [("killed", "civilian", 23, "at_least", "Au moins 23 civils")]),
    case("plus de", "Plus de 40 militaires ont péri dans l'embuscade.",
         [("killed", "soldier", 40, "at_least", "Plus de 40 militaires")]),
    case("près de", "Près de 50 personnes ont été blessées.",
         [("wounded", "person", 50, "about", "Près de 50 personnes")]),
    case("jusqu'à", "Jusqu'à 60 habitants seraient portés disparus.",
         [("missing", "civilian", 60, "at_most", "Jusqu'à 60 habitants")]),
    # -- statuses -----------------------------------------------------------------------------------------------
    case("tués", "Deux policiers ont été tués.", [("killed", "police", 2, "exact", "Deux policiers")]),
    case("morts", "L'explosion a fait trois morts.", [("killed", "person", 3, "exact", "trois morts")]),
    case("blessés", "Cinq gendarmes ont été blessés.", [("wounded", "police", 5, "exact", "Cinq gendarmes")]),
    case("portés disparus", "Six soldats ont été portés disparus après l'embuscade.",
         [("missing", "soldier", 6, "exact", "Six soldats")]),
    case("enlevés", "Quatre humanitaires ont été enlevés par des hommes armés.",
         [("abducted", "civilian", 4, "exact", "Quatre humanitaires")]),
    case("enlevé, active", "Les assaillants ont enlevé sept commerçants.",
         [("abducted", "civilian", 7, "exact", "sept commerçants")]),
    case("neutralisés", "Trente jihadistes ont été neutralisés selon l'état-major.",
         [("killed", "militant", 30, "exact", "Trente jihadistes")]),
    case("avoir neutralisé", "L'armée affirme avoir neutralisé 20 terroristes.",
         [("killed", "militant", 20, "exact", "20 terroristes")]),
    case("coûté la vie", "L'embuscade a coûté la vie à onze gendarmes.",
         [("killed", "police", 11, "exact", "onze gendarmes")]),
    # -- categories ---------------------------------------------------------------------------------------------
    case("soldats", "Huit soldats ont été tués.", [("killed", "soldier", 8, "exact", "Huit soldats")]),
    case("militaires", "Trois militaires ont été tués.", [("killed", "soldier", 3, "exact", "Trois militaires")]),
    case("civils", "Sept civils ont été tués.", [("killed", "civilian", 7, "exact", "Sept civils")]),
    case("casques bleus", "Trois casques bleus ont été tués par un engin explosif.",
         [("killed", "peacekeeper", 3, "exact", "Trois casques bleus")]),
    case("policiers", "Quatre policiers ont été blessés.", [("wounded", "police", 4, "exact", "Quatre policiers")]),
    case("gendarmes are police", "Deux gendarmes ont été tués.", [("killed", "police", 2, "exact", "Deux gendarmes")]),
    case("VDP are soldiers", "Six VDP ont été tués à l'entrée du village.",
         [("killed", "soldier", 6, "exact", "Six VDP")]),
    case("habitants are civilians", "Neuf habitants ont été tués.",
         [("killed", "civilian", 9, "exact", "Neuf habitants")]),
    case("terroristes", "Douze terroristes ont été tués.", [("killed", "militant", 12, "exact", "Douze terroristes")]),
    case("jihadistes", "Cinq jihadistes ont été tués.", [("killed", "militant", 5, "exact", "Cinq jihadistes")]),
    case("assaillants", "Onze assaillants ont été tués.", [("killed", "militant", 11, "exact", "Onze assaillants")]),
    case("personnes", "Huit personnes ont été tuées.", [("killed", "person", 8, "exact", "Huit personnes")]),
    case("corps", "On a retrouvé quatorze corps.", [("killed", "person", 14, "exact", "quatorze corps")]),
    case("tués as noun", "Le bilan est de sept tués.", [("killed", "person", 7, "exact", "sept tués")]),
    # -- subsets ------------------------------------------------------------------------------------------------
    case("dont", "L'attaque a fait 54 morts dont six soldats.",
         [("killed", "person", 54, "exact", "54 morts"), ("killed", "soldier", 6, "exact", "six soldats")]),
    case("dont, in commas", "Au moins 17 personnes, dont quatre civils, ont été tuées.",
         [("killed", "person", 17, "at_least", "Au moins 17 personnes"),
          ("killed", "civilian", 4, "exact", "quatre civils")]),
    case("parmi lesquelles", "Quinze personnes ont été tuées, parmi lesquelles trois femmes.",
         [("killed", "person", 15, "exact", "Quinze personnes"), ("killed", "civilian", 3, "exact", "trois femmes")]),
    # -- coordination ---------------------------------------------------------------------------------------------
    case("status given last", "Neuf soldats et trois civils ont été tués.",
         [("killed", "soldier", 9, "exact", "Neuf soldats"), ("killed", "civilian", 3, "exact", "trois civils")]),
    case("three coordinated", "Neuf soldats, trois policiers et deux civils ont été tués.",
         [("killed", "soldier", 9, "exact", "Neuf soldats"), ("killed", "police", 3, "exact", "trois policiers"),
          ("killed", "civilian", 2, "exact", "deux civils")]),
    case("verb governs both", "Les terroristes ont tué 15 soldats et trois civils.",
         [("killed", "soldier", 15, "exact", "15 soldats"), ("killed", "civilian", 3, "exact", "trois civils")]),
    case("autres", "Deux soldats ont été tués et sept autres blessés.",
         [("killed", "soldier", 2, "exact", "Deux soldats"),
          ("wounded", "soldier", 7, "exact", "sept autres blessés")]),
    case("blessé ... autres", "Les jihadistes ont tué six soldats et blessé dix-huit autres.",
         [("killed", "soldier", 6, "exact", "six soldats"), ("wounded", "soldier", 18, "exact", "dix-huit")]),
    # -- ellipsis: a bare status noun keeps the category before it ------------------------------------------------
    case("tués, douze blessés", "Le bilan est de 71 militaires tués, douze blessés.",
         [("killed", "soldier", 71, "exact", "71 militaires"), ("wounded", "soldier", 12, "exact", "douze blessés")]),
    case("tués et 8 blessés", "Au moins 12 soldats tués et 8 blessés.",
         [("killed", "soldier", 12, "at_least", "Au moins 12 soldats"),
          ("wounded", "soldier", 8, "exact", "8 blessés")]),
    case("morts et blessés", "L'attaque a fait 17 morts et 20 blessés.",
         [("killed", "person", 17, "exact", "17 morts"), ("wounded", "person", 20, "exact", "20 blessés")]),
    # -- per-place enumeration ----------------------------------------------------------------------------------
    case("12 morts à A, 7 à B", "Les assaillants ont fait 12 morts à Tin, 7 à Tera.",
         [("killed", "person", 12, "exact", "12 morts"), ("killed", "person", 7, "exact", "7")]),
    case("three places", "Il y a eu 20 morts à Tin, 7 à Tera et 4 à Dori.",
         [("killed", "person", 20, "exact", "20 morts"), ("killed", "person", 7, "exact", "7"),
          ("killed", "person", 4, "exact", "4")]),
    # -- numbers that count something else ----------------------------------------------------------------------
    case("assaillants without status", "Près de 3 000 assaillants ont pris part à l'offensive.", []),
    case("motos", "Sept motos ont été détruites et 7 motos détruites.", []),
    case("vehicles, road number", "Les assaillants ont incendié 7 véhicules sur la RN 16.", []),
    case("distance", "Le camp se trouve à 300 km de la capitale.", []),
    case("year", "Le village avait déjà été attaqué en 2015.", []),
    case("date and time", "L'attaque a eu lieu le 27 juillet vers 10 h.", []),
    case("age", "Deux enfants âgés de 12 ans ont été blessés.", [("wounded", "civilian", 2, "exact", "Deux enfants")]),
    case("agents of the killing", "300 hommes armés qui ont tué deux gendarmes ont été aperçus.",
         [("killed", "police", 2, "exact", "deux gendarmes")]),
    case("agents in commas", "Quelque 300 hommes armés, qui ont tué deux gendarmes, ont fui.",
         [("killed", "police", 2, "exact", "deux gendarmes")]),
    case("strength in apposition", "Les assaillants, près de 3 000 selon l'armée, ont tué 14 soldats.",
         [("killed", "soldier", 14, "exact", "14 soldats")]),
    # -- what an analyst reads and the rules do not (yet) -----------------------------------------------------
    case(
        "villageois", "Une trentaine de villageois ont été tués.",
        [("killed", "civilian", 30, "about", "Une trentaine de villageois")]),
    case(
        "journalistes", "Deux journalistes ont été enlevés près de Gao.",
        [("abducted", "civilian", 2, "exact", "Deux journalistes")]),
    case(
        "tuant", "Près de 3 000 assaillants ont attaqué le camp, tuant 14 soldats.",
        [("killed", "soldier", 14, "exact", "14 soldats")]),
    case(
        "attaqué et tué", "Quelque 300 hommes armés ont attaqué le poste et tué deux gendarmes.",
        [("killed", "police", 2, "exact", "deux gendarmes")]),
    case(
        "ellipsis, disparus", "Le bilan est de 71 militaires tués, douze blessés et cinq portés disparus.",
        [("killed", "soldier", 71, "exact", "71 militaires"), ("wounded", "soldier", 12, "exact", "douze blessés"),
         ("missing", "soldier", 5, "exact", "cinq")],
        wrong=("the ellipsis keeps the category for 'douze blessés' but not for 'cinq portés disparus' "
               "(5 missing soldiers read as persons)")),
    case(
        "parmi les casques bleus", "L'explosion a fait deux morts parmi les casques bleus.",
        [("killed", "peacekeeper", 2, "exact", "deux morts")]),
]


@pytest.mark.parametrize("sentence, expected", CASES)
def test_find_figures(sentence: str, expected: list[tuple]) -> None:
    assert read(sentence) == expected


@pytest.mark.parametrize("sentence, subsets", [
    ("L'attaque a fait 54 morts dont six soldats.", [None, 0]),
    ("Au moins 17 personnes, dont quatre civils, ont été tuées.", [None, 0]),
    ("Quinze personnes ont été tuées, parmi lesquelles trois femmes.", [None, 0]),
    ("Neuf soldats et trois civils ont été tués.", [None, None]),
])
def test_subset_points_at_the_whole(sentence: str, subsets: list[int | None]) -> None:
    """"dont six soldats" is part of the figure before it (index in the sentence's list)."""
    assert [f.subset_of for f in find_figures(sentence)] == subsets


def test_range_keeps_its_upper_bound() -> None:
    (figure,) = find_figures("Entre 30 et 32 soldats ont été blessés.")
    assert (figure.status, figure.category, figure.quantity.value, figure.quantity.value_max) == \
        ("wounded", "soldier", 30, 32)


def test_offsets_are_absolute_in_the_document() -> None:
    """``offset`` is where the sentence starts in the document: spans move with it."""
    sentence = "Neuf soldats et trois civils ont été tués."
    text = "Le bilan est lourd. " + sentence
    offset = text.index(sentence)
    figures = find_figures(sentence, offset)
    assert [text[f.start:f.end] for f in figures] == ["Neuf soldats", "trois civils"]
    assert read(sentence, offset) == read(sentence)


# -- the category a figure takes from its report (kg.extract.document.massacre_victims) ------------------------

MASSACRE = (
    "Burkina : au moins 40 civils tués dans des attaques contre trois villages du Nord\n\n"
    "Ouahigouya, 3 mars 2024 – Samedi, des hommes armés ont massacré des habitants à Banh, à Sollé et à Titao, "
    "trois villages de la province du Loroum. Selon un élu local joint par l'AFP, 40 civils ont été tués. "
    "Un responsable communal recense 19 morts à Banh, 12 à Sollé et neuf victimes à Titao.\n"
)


def figures_of(kg_pipeline, text: str) -> set[tuple[str, str, int]]:
    from kg.inputs import make_document
    build = kg_pipeline.build(make_document("massacre-victims", text))
    assert any(e.type == "massacre" for e in build.extraction.events)
    return {(f.status, f.category, f.count) for f in build.extraction.figures}


def test_victims_of_a_massacre_that_kills_civilians_are_civilians(kg_pipeline) -> None:
    found = figures_of(kg_pipeline, MASSACRE)
    assert {("killed", "civilian", n) for n in (40, 19, 12, 9)} <= found
    assert not any(category == "person" for _, category, _ in found)


def test_victims_keep_their_category_when_the_civilians_are_only_part_of_the_toll(kg_pipeline) -> None:
    text = MASSACRE.replace("40 civils tués", "40 morts").replace(
        "40 civils ont été tués", "40 personnes ont été tuées, dont une dizaine d'enfants")
    found = figures_of(kg_pipeline, text)
    assert {("killed", "person", 40), ("killed", "person", 19)} <= found
