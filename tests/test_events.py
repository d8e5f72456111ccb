"""Event triggers, scenes and types (kg.extract.events), on French sentences and hand-built places."""
from __future__ import annotations

import pytest

from kg.extract.events import best_scenes, compatible, find_triggers, km, refine_type, scene_places
from kg.extract.model import Mention, Place


def case(name: str, *values, wrong: str | None = None):
    """One row; ``wrong`` says why the rules miss what an analyst reads (a strict xfail)."""
    marks = [pytest.mark.xfail(reason=wrong, strict=True)] if wrong else []
    return pytest.param(*values, id=name, marks=marks)


# -- find_triggers: (type, trigger text, plural) of every kept trigger ---------------------------------------

TRIGGERS = [
    case("attack", "Des hommes armés ont attaqué le camp militaire de Boni.", [("attack", "ont attaqué", False)]),
    case("pris d'assaut", "Des assaillants ont pris d'assaut le camp.", [("attack", "pris d'assaut", False)]),
    case("ambush", "Le convoi est tombé dans une embuscade près de Tessit.", [("ambush", "embuscade", False)]),
    case("tendu une embuscade", "Les jihadistes ont tendu une embuscade à une patrouille.",
         [("ambush", "tendu une embuscade", False)]),
    case("mine", "Un véhicule a sauté sur une mine artisanale.",
         [("explosion", "a sauté sur", False), ("explosion", "mine artisanale", False)]),
    case("voiture piégée", "Une voiture piégée a explosé devant la base.", [("explosion", "voiture piégée", False)]),
    case("kamikaze", "Un kamikaze a foncé sur le camp.", [("explosion", "kamikaze", False)]),
    case("frappe aérienne", "Une frappe aérienne a visé un rassemblement de terroristes.",
         [("airstrike", "frappe aérienne", False)]),
    case("frappe de drone", "Une frappe de drone a touché un marché.", [("airstrike", "frappe de drone", False)]),
    case("enlevés", "Quatre humanitaires ont été enlevés.", [("abduction", "enlevés", False)]),
    case("kidnappés", "Quatre civils ont été kidnappés.", [("abduction", "kidnappés", False)]),
    case("massacre", "Le massacre de Solhan a fait 160 morts.", [("massacre", "massacre", False)]),
    case("affrontements", "Des affrontements ont opposé deux groupes armés.", [("clash", "affrontements", False)]),
    case("combats", "Les combats ont duré toute la nuit.", [("clash", "combats", False)]),
    # specificity: the most specific type wins an overlap
    case("massacre over ouvert le feu", "Des hommes armés ont ouvert le feu sur des villageois.",
         [("massacre", "ont ouvert le feu sur des villageois", False)]),
    # plural
    case("deux attaques", "Deux attaques ont visé des postes de l'armée.", [("attack", "attaques", True)]),
    case("les deux attaques", "Les deux attaques ont été repoussées.", [("attack", "attaques", True)]),
    case("plusieurs embuscades", "Plusieurs embuscades ont été tendues sur l'axe.",
         [("ambush", "embuscades", True)]),
    case("une attaque is singular", "Une attaque a visé le poste.", [("attack", "attaque", False)]),
    # a means or weapon named inside another incident is no trigger of its own
    case("l'emploi de véhicules kamikazes", "L'attaque a été menée avec l'emploi de véhicules kamikazes.",
         [("attack", "attaque", False)]),
    case("marquée par des tirs d'obus", "L'attaque, marquée par des tirs d'obus, a duré deux heures.",
         [("attack", "attaque", False)]),
    case("mine d'or", "Des hommes armés ont attaqué une mine d'or près de Gao.",
         [("attack", "ont attaqué", False)]),
    case("no trigger", "Le ministre a reçu les notables de la région.", []),
    case("jihadists 'ont frappé'", "Des jihadistes ont frappé le poste de gendarmerie de Boni.",
         [("attack", "ont frappé", False)],
         wrong="'(a|ont) frappé' is always an air strike, even when jihadists (who have no aircraft) hit a "
               "gendarmerie post"),
    case("série d'attaques", "Une série d'attaques a visé le nord.", [("attack", "attaques", True)]),
]


@pytest.mark.parametrize("sentence, expected", TRIGGERS)
def test_find_triggers(sentence: str, expected: list[tuple]) -> None:
    found = [(t.type, sentence[t.start:t.end], t.plural) for t in find_triggers(sentence)]
    assert found == expected


def test_trigger_offsets_are_absolute() -> None:
    sentence = "Une frappe aérienne a visé un rassemblement de terroristes."
    text = "L'armée a publié un communiqué. " + sentence
    offset = text.index(sentence)
    (trigger,) = find_triggers(sentence, offset)
    assert text[trigger.start:trigger.end] == "frappe aérienne"
    assert trigger.specificity > find_triggers("Une attaque a visé le poste.")[0].specificity


# -- scene_places / best_scenes ----------------------------------------------------------------------------

PLACES = {p.key: p for p in [
    Place("boni", "Boni", "locality", country="ML", lat=15.05, lon=-1.93),
    Place("hombori", "Hombori", "locality", country="ML", lat=15.28, lon=-1.70),
    Place("gao", "Gao", "locality", country="ML", lat=16.27, lon=-0.04),
    Place("mopti-town", "Mopti", "locality", country="ML", lat=14.48, lon=-4.18),
    Place("mopti-region", "Mopti", "region", country="ML", lat=14.69, lon=-3.55),
    Place("douentza-cercle", "Douentza", "county", country="ML", lat=15.0, lon=-2.95),
    Place("gourma", "Gourma", "area", country="ML"),
    Place("mali", "Mali", "country", country="ML", lat=17.35, lon=-3.52),
]}


def place_mention(text: str, name: str, key: str) -> Mention:
    start = text.index(name)
    return Mention(start, start + len(name), "place", key)


SCENES = [
    case("à X", "Des hommes armés ont attaqué le village de Boni.", "Boni", "boni", "exact"),
    case("près de X", "Une embuscade a été tendue près de Boni.", "Boni", "boni", "near"),
    case("non loin de X", "Une embuscade a été tendue non loin de Hombori.", "Hombori", "hombori", "near"),
    case("km from X", "Une embuscade a été tendue à 30 km de Boni.", "Boni", "boni", None),
    case("km north of X", "Une embuscade a été tendue à 30 km au nord de Boni.", "Boni", "boni", None),
    case("en direction de X", "Le convoi roulait en direction de Gao quand il a été attaqué.", "Gao", "gao", None),
    case("region", "Des jihadistes ont attaqué dans la région de Mopti.", "Mopti", "mopti-region", "region"),
    case("town named as a region", "Des jihadistes ont attaqué dans la région de Mopti.", "Mopti", "mopti-town",
         None),
    case("cercle", "Des hommes armés ont attaqué un poste dans le cercle de Douentza.", "Douentza",
         "douentza-cercle", "region"),
    case("area", "Des jihadistes ont attaqué un convoi dans le Gourma.", "Gourma", "gourma", "region"),
    case("country", "Des jihadistes ont attaqué un camp au Mali.", "Mali", "mali", "country"),
]


@pytest.mark.parametrize("sentence, name, key, precision", SCENES)
def test_scene_places(sentence: str, name: str, key: str, precision: str | None) -> None:
    found = scene_places(sentence, 0, [place_mention(sentence, name, key)], PLACES)
    assert [p for _, p in found] == ([precision] if precision else [])


def test_scene_places_skips_datelines_actors_and_unknown_places() -> None:
    text = "Gao, 10 août 2021 – Le JNIM a attaqué un poste à Boni et à Tinzawaten."
    gao = place_mention(text, "Gao", "gao")
    boni = place_mention(text, "Boni", "boni")
    actor = Mention(text.index("JNIM"), text.index("JNIM") + 4, "actor", "jnim")
    unknown = place_mention(text, "Tinzawaten", "not-in-places")
    found = scene_places(text, 0, [gao, actor, boni, unknown], PLACES, skip={(gao.start, gao.end)})
    assert found == [(boni, "exact")]


def _cands(*precisions: str) -> list[tuple[Mention, str]]:
    return [(Mention(i, i + 1, "place", f"p{i}"), p) for i, p in enumerate(precisions)]


@pytest.mark.parametrize("precisions, chosen", [
    (("exact",), [0]),
    (("region", "exact"), [1]),
    (("country", "near", "region"), [1]),
    (("exact", "near"), [0, 1]),
    (("country", "region"), [1]),
    # "la commune de A, dans le cercle de B, région de C": one frame, the first (most specific) named
    (("region", "region"), [0]),
    (("country",), []),
    ((), []),
])
def test_best_scenes_prefers_localities_and_never_a_country(precisions: tuple, chosen: list[int]) -> None:
    cands = _cands(*precisions)
    assert best_scenes(cands) == [cands[i] for i in chosen]


def test_km() -> None:
    assert km(PLACES["boni"], PLACES["boni"]) == pytest.approx(0)
    assert 30 < km(PLACES["boni"], PLACES["hombori"]) < 40
    assert km(PLACES["boni"], PLACES["gourma"]) is None  # no coordinates, no distance


# -- compatible / refine_type ------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b, expected", [
    ("attack", "attack", True),
    ("attack", "ambush", True),
    ("airstrike", "attack", True),
    ("clash", "explosion", True),
    ("massacre", "abduction", True),
    ("ambush", "airstrike", False),
    ("explosion", "abduction", False),
    ("massacre", "airstrike", False),
])
def test_compatible(a: str, b: str, expected: bool) -> None:
    assert compatible(a, b) is expected
    assert compatible(b, a) is expected


@pytest.mark.parametrize("current, new, kept", [
    ("attack", "ambush", "ambush"),
    ("ambush", "attack", "ambush"),
    ("clash", "attack", "attack"),
    ("attack", "airstrike", "airstrike"),
    ("other", "clash", "clash"),
    ("explosion", "attack", "explosion"),
    ("massacre", "massacre", "massacre"),
])
def test_refine_type_keeps_the_more_specific(current: str, new: str, kept: str) -> None:
    assert refine_type(current, new) == kept


def test_every_trigger_type_is_a_graph_event_type() -> None:
    """Triggers only produce types the mapping knows (docs/graph-model.md, Event)."""
    from kg.rdf.mapping import EVENT_CLASS
    sentences = [c.values[0] for c in TRIGGERS]
    types = {t.type for s in sentences for t in find_triggers(s)}
    assert types <= set(EVENT_CLASS)
