"""Geocoding with homonyms (kg.extract.places): sentences written for these tests, no spaCy model needed."""
from __future__ import annotations

import pytest

from kg.extract.model import Place
from kg.extract.places import place_hierarchy, precision, resolve_place, split_kind, unresolved_key

# name, sentence, other places of the report -> key (or key prefix), admin1, admin2, country
RESOLVED = [
    pytest.param("Sokolo", "Le camp de Sokolo a été attaqué mardi.", [],
                 "gaz-sokolo", "Ségou", "Niono", "ML", id="json-entry-first"),
    pytest.param("Sokolo", "Des hommes armés ont attaqué Sokolo, dans le cercle de Bougouni, région de Sikasso.", [],
                 "wof-", "Sikasso", "Bougouni", "ML", id="cercle-and-region-pick-a-homonym"),
    pytest.param("Koro", "Des villageois ont fui Koro, dans la province du Houet.", [],
                 "wof-", "Hauts-Bassins", "Houet", "BF", id="province-implies-country"),
    pytest.param("Abra", "Abra, à 80 km au nord de Kaya, a été attaqué.", [],
                 "wof-", "Centre-Nord", "Bam", "BF", id="distance-and-bearing"),
    pytest.param("Abra", "Abra, à une trentaine de kilomètres de Kaya, a été attaqué.", [],
                 "wof-", "Centre-Nord", "Sanmatenga", "BF", id="approximate-distance"),
    pytest.param("Alale", "Des hommes armés ont attaqué Alale.", ["Djibo"],
                 "wof-", "Sahel", "Soum", "BF", id="nearest-to-other-places"),
    pytest.param("Boni", "Boni, près de la frontière du Burkina Faso, a été encerclé.", [],
                 "gaz-boni", "Mopti", "Douentza", "ML", id="border-country-is-no-constraint"),
    pytest.param("Goundam", "Les militaires ont quitté Goundam, à 80 km au sud-ouest de Tombouctou.", [],
                 "gaz-goundam", "Tombouctou", "Goundam", "ML", id="distance-fits-json-entry"),
    pytest.param("Sevarré", "Une attaque a visé Sevarré.", [], "gaz-sevare", "Mopti", "Mopti", "ML", id="typo"),
    pytest.param("Douentsa", "Un convoi a quitté Douentsa.", [], "gaz-douentza", "Mopti", "Douentza", "ML",
                 id="typo-2"),
    pytest.param("Tillabery", "Des renforts sont arrivés à Tillabery.", [], "gaz-tillaberi", "Tillabéri", "Tillabéri",
                 "NE", id="spelling-variant"),
    pytest.param("Inates", "Le camp d'Inates a été attaqué.", [], "gaz-inates", "Tillabéri", "Ayérou", "NE",
                 id="accentless-variant"),
    pytest.param("Tombouctou", "Le convoi est arrivé à Tombouctou.", [], "gaz-tombouctou", "Tombouctou",
                 "Tombouctou", "ML", id="town-before-its-region"),
    pytest.param("Bourem", "Des tirs ont visé Bourem, dans la région de Gao.", [],
                 "wof-", "Gao", "Bourem", "ML", id="town-before-its-cercle"),
    pytest.param("Tchoma Bangou", "Des hommes armés ont attaqué le village de Tchoma Bangou, dans le département "
                 "de Ouallam, région de Tillabéri.", [], "wof-", "Tillabéri", "Ouallam", "NE",
                 id="name-split-in-two-by-another-writer"),  # Who's On First: "Tchambangou"
]


@pytest.mark.parametrize(("name", "sentence", "others", "key", "admin1", "admin2", "country"), RESOLVED)
def test_resolved(name: str, sentence: str, others: list[str], key: str, admin1: str, admin2: str,
                  country: str) -> None:
    place = resolve_place(name, sentence, others)
    assert place is not None
    assert place.key.startswith(key) if key.endswith("-") else place.key == key
    assert (place.admin1, place.admin2, place.country) == (admin1, admin2, country)
    assert place.lat is not None and place.lon is not None
    assert place.kind == "locality"


@pytest.mark.parametrize(("name", "sentence", "key", "country", "admin1"), [
    pytest.param("Koro", "L'attaque a visé Koro, au Burkina Faso.", "place-koro-bf", "BF", None, id="country-only"),
    pytest.param("Abra", "Des hommes armés ont attaqué Abra.", "place-abra-bf", "BF", "Centre-Nord",
                 id="homonyms-share-region"),
])
def test_homonyms_left_unresolved_keep_what_they_share(name: str, sentence: str, key: str, country: str,
                                                       admin1: str | None) -> None:
    place = resolve_place(name, sentence)
    assert place.key == key
    assert (place.country, place.admin1) == (country, admin1)
    assert place.lat is None and place.lon is None and place.geonames is None


@pytest.mark.parametrize(("name", "key", "kind", "country"), [
    ("région de Mopti", "gaz-mopti-region", "region", "ML"),
    ("région du Sahel", "gaz-sahel-burkina-faso", "region", "BF"),
    ("province du Soum", "wof-890421463", "county", "BF"),
    ("Sahel", "ext-sahel", "area", None),
    ("Niger", "gaz-niger", "country", "NE"),
    ("Mauritanie", "country-mr", "country", "MR"),
])
def test_admin_units_areas_and_countries(name: str, key: str, kind: str, country: str | None) -> None:
    place = resolve_place(name, "")
    assert (place.key, place.kind, place.country) == (key, kind, country)


def test_unknown_name() -> None:
    assert resolve_place("Xyzzyville", "Une attaque a visé Xyzzyville.") is None


def test_never_invents_coordinates() -> None:
    place = resolve_place("Boulkessi", "Le camp de Boulkessi a été pilonné.")
    assert place.key == "gaz-boulkessi"
    assert place.admin1 == "Mopti" and place.lat is None and place.lon is None
    assert resolve_place("Mauritanie", "").lat is None


def test_report_elsewhere_wins_over_a_lone_homonym() -> None:
    # the only "Kaloumba" is in Mali; a report about Burkina Faso's Sahel names another place
    place = resolve_place("Kaloumba", "Des hommes armés ont attaqué Kaloumba.", ["Djibo", "province du Soum"])
    assert place.lat is None and place.key == unresolved_key("Kaloumba")


def test_within_and_hierarchy() -> None:
    place = resolve_place("Sokolo", "")
    units = place_hierarchy(place)
    assert [u.kind for u in units] == ["county", "region", "country"]
    assert [u.key for u in units] == place.within
    assert units[1].key == "gaz-segou-region" and units[2].key == "gaz-mali"
    assert units[1].within == ["gaz-mali"]
    assert place_hierarchy(resolve_place("Mali", "")) == []


@pytest.mark.parametrize(("kind", "preceding", "expected"), [
    ("locality", "Des hommes armés ont attaqué le camp de ", "exact"),
    ("locality", "L'attaque a eu lieu à ", "exact"),
    ("locality", "L'embuscade a eu lieu près de ", "near"),
    ("locality", "L'embuscade a eu lieu non loin de ", "near"),
    ("locality", "un village situé à 20 km de ", "near"),
    ("locality", "à une quinzaine de kilomètres de ", "near"),
    ("locality", "à 60 kilomètres au nord de ", "near"),
    ("locality", "aux environs de la ville de ", "near"),
    ("region", "dans la ", "region"),
    ("county", "dans le cercle de ", "region"),
    ("country", "au ", "country"),
])
def test_precision(kind: str, preceding: str, expected: str) -> None:
    assert precision(Place(key="k", name="X", kind=kind), preceding) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("région de Mopti", ("region", "Mopti")),
    ("cercle d'Ansongo", ("county", "Ansongo")),
    ("province de l’Oudalan", ("county", "Oudalan")),
    ("commune de Boni", ("locality", "Boni")),
    ("Sokolo", (None, "Sokolo")),
])
def test_split_kind(name: str, expected: tuple) -> None:
    assert split_kind(name) == expected
