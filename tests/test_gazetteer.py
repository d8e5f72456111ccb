"""The gazetteer entries and lookups of kg.nlp.gazetteer (no spaCy model needed)."""
from __future__ import annotations

import re

import pytest

from kg import resources
from kg.nlp import gazetteer as gz


@pytest.mark.parametrize(("text", "expected"), [
    ("L’armée malienne", "armee malienne"),
    ("l'armée malienne", "armee malienne"),
    ("Ségou", "segou"),
    ("  Tillabéri  ", "tillaberi"),
    ("d'Ansongo", "ansongo"),
    ("de la Tapoa", "tapoa"),
    ("Jama’at Nusrat al-Islam", "jama at nusrat al islam"),
    ("Nioro-du-Sahel", "nioro du sahel"),
    ("Œuvre", "oeuvre"),
    ("Lere", "lere"),  # a name, not an article
])
def test_norm_name(text: str, expected: str) -> None:
    assert gz.norm_name(text) == expected


@pytest.mark.parametrize(("alias", "display"), [
    ("JNIM", "JNIM"),
    ("Groupe de soutien à l'islam et aux musulmans", "JNIM"),
    ("Groupe de soutien à l’islam et aux musulmans", "JNIM"),
    ("GSIM", "JNIM"),
    ("ISGS", "EIGS"),
    ("État islamique au Grand Sahara", "EIGS"),
    ("Etat islamique au Sahel", "EIGS"),
    ("Islamic State", "État islamique"),
    ("Etat islamique", "État islamique"),
    ("ISWAP", "ISWAP"),
    ("AQIM", "AQMI"),
    ("Al-Qaida au Maghreb islamique", "AQMI"),
    ("Al Qaeda", "Al-Qaïda"),
    ("Katiba du Macina", "Katiba Macina"),
    ("Ansar Eddine", "Ansar Dine"),
    ("MUJAO", "MUJAO"),
    ("Forces Armées Maliennes", "FAMa"),
    ("armée malienne", "FAMa"),
    ("forces armées maliennes", "FAMa"),
    ("armée nigérienne", "Forces armées nigériennes"),
    ("armée burkinabè", "Forces armées burkinabè"),
    ("Volontaires pour la défense de la patrie", "VDP"),
    ("Casques bleus", "MINUSMA"),
    ("Nations unies", "ONU"),
    ("troupes russes", "Wagner"),
    ("instructeurs russes", "Wagner"),
    ("Opération Barkhane", "Barkhane"),
    ("Agence France-Presse", "AFP"),
    ("Radio France Internationale", "RFI"),
    ("SITE Intelligence Group", "SITE"),
    ("Reuters", "Reuters"),
    ("ECOWAS", "CEDEAO"),
    ("Union africaine", "Union africaine"),
    ("gouvernement malien", "gouvernement malien"),
    ("police nationale", "Police nationale"),
    ("gendarmerie nationale", "Gendarmerie nationale"),
    ("agence Anadolu", "Anadolu"),
    ("Alakhbar", "Al-Akhbar"),
    ("Az Zallaqa", "Az-Zallaqa"),
    ("An-Naba", "Al-Naba"),
    ("Menastream", "MENASTREAM"),
    ("Haut-Commissariat aux droits de l'homme", "HCDH"),
    ("UE", "Union européenne"),
    ("HRW", "Human Rights Watch"),
    ("Amnesty", "Amnesty International"),
    ("forces françaises", "armée française"),
    ("ministère de la Défense", "ministère de la Défense"),
])
def test_actor_display_names(alias: str, display: str) -> None:
    entry = gz.actor_by_alias(alias)
    assert entry is not None, alias
    assert entry.display == display


def test_every_json_name_and_alias_stays_an_alias() -> None:
    for record in resources.gazetteer()["actors"]:
        if record["type"] == "person":
            continue
        for alias in (record["name"], *record["aliases"]):
            entry = gz.actor_by_alias(alias)
            assert entry is not None and entry.name == record["name"], alias
            assert alias == entry.name or alias in entry.aliases


def test_actor_keys_are_slugs_of_canonical_names() -> None:
    gaz = gz.load_gazetteer()
    assert gz.actor_by_alias("JNIM").key == "jama-at-nusrat-al-islam-wal-muslimin"
    assert gz.actor_by_alias("FAMa").key == "forces-armees-maliennes"
    for key, entry in gaz.actors.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key)
        assert key == gz.slug(entry.name)
        assert entry.part_of is None or entry.part_of in gaz.actors
        assert all(k in gaz.actors for k in entry.affiliated_with)
    assert gz.actor_by_alias("Katiba Macina").part_of == gz.actor_by_alias("JNIM").key


def test_gazetteer_persons_are_not_actors() -> None:
    assert gz.actor_by_alias("Iyad Ag Ghaly") is None
    assert gz.person_by_alias("Souleymane Dembele").name == "Souleymane Dembélé"


@pytest.mark.parametrize(("text", "display"), [("UN", "ONU"), ("AU", "Union africaine"), ("un", None), ("au", None)])
def test_short_acronyms_match_case_sensitively(text: str, display: str | None) -> None:
    entry = gz.actor_by_alias(text)
    assert (entry.display if entry else None) == display


@pytest.mark.parametrize(("text", "display"), [
    ("MINUMSA", "MINUSMA"),  # transposition
    ("Barkane", "Barkhane"),  # missing letter
    ("Al-Mourabitoune", "Al-Mourabitoun"),
    ("Mali", None),  # too short for a guess
    ("Pluviométrie", None),
])
def test_fuzzy_actor_lookup(text: str, display: str | None) -> None:
    entry = gz.actor_by_alias(text, fuzzy=True)
    assert (entry.display if entry else None) == display


def test_fuzzy_lookup_is_opt_in() -> None:
    assert gz.actor_by_alias("MINUMSA") is None


def test_generic_designation_by_country() -> None:
    generic = gz.actor_by_alias("forces gouvernementales")
    assert gz.country_variant(generic.key, "ML") == gz.actor_by_alias("FAMa").key
    assert gz.country_variant(generic.key, "NE") == gz.actor_by_alias("armée nigérienne").key
    assert gz.country_variant(generic.key, None) == generic.key
    assert gz.country_variant(gz.actor_by_alias("AFP").key, "ML") == gz.actor_by_alias("AFP").key


@pytest.mark.parametrize(("name", "key"), [
    ("Sévaré", "gaz-sevare"), ("Sevare", "gaz-sevare"), ("Savare", "gaz-sevare"),
    ("Inatès", "gaz-inates"), ("Inates", "gaz-inates"),
    ("Tillabéri", "gaz-tillaberi"), ("Tillabery", "gaz-tillaberi"),
    ("Kaloumba", "gaz-kalumba"), ("Timbuktu", "gaz-tombouctou"),
    ("Mali", "gaz-mali"), ("Burkina", "gaz-burkina-faso"),
    ("Mauritanie", "country-mr"), ("zone des trois frontières", "ext-zone-des-trois-frontieres"),
])
def test_curated_place_comes_first(name: str, key: str) -> None:
    assert gz.places_by_name(name)[0].key == key


def test_region_and_town_of_the_same_name() -> None:
    kinds = {p.key: p.kind for p in gz.places_by_name("Ségou")}
    assert kinds["gaz-segou"] == "locality"
    assert kinds["gaz-segou-region"] == "region"
    assert "county" in kinds.values()
    assert gz.places_by_name("région de Ségou")[0].key == "gaz-segou-region"


def test_homonyms_are_all_returned() -> None:
    koro = gz.places_by_name("Koro")
    assert len(koro) > 5
    assert {p.country for p in koro} >= {"ML", "BF"}
    assert all(re.fullmatch(r"wof-\d+", p.key) for p in koro if p.source == "wof")


def test_wof_rows_describing_a_json_place_are_merged() -> None:
    sokolo = gz.places_by_name("Sokolo")
    assert sokolo[0].key == "gaz-sokolo"
    near = [p for p in sokolo[1:] if p.lat and gz.haversine_km(p.lat, p.lon, 14.7328, -6.1219) < 15]
    assert near == []


def test_wof_admin_names_are_french() -> None:
    gaz = gz.load_gazetteer()
    assert not any(p.admin1 == "Timbuktu" for p in gaz.places.values())
    assert gz.admin_unit("ML", "Ségou", "Niono").kind == "county"
    assert gz.admin_unit("BF", "Sahel", "Yagha").name == "Yagha"
    assert gz.admin_unit("ML", "Tombouctou").key == "gaz-tombouctou-region"
    assert gz.admin_unit("NE").key == "gaz-niger"


def test_region_created_after_wof_division() -> None:
    county = next(p for p in gz.places_by_name("Ménaka") if p.kind == "county")
    assert county.admin1 == "Ménaka"


def test_rows_outside_the_sahel_are_dropped() -> None:
    assert gz.places_by_name("Naxxar") == []


def test_wrong_wof_concordances_are_not_names() -> None:
    assert gz.places_by_name("Keramikfliese") == []


@pytest.mark.parametrize(("record", "kind"), [
    ({"name": "Zouzou", "kind": None, "aliases": ["Région de Zouzou"]}, "region"),
    ({"name": "Zouzou", "kind": None, "aliases": []}, "locality"),
    ({"name": "Zouzou", "kind": "village", "aliases": []}, "locality"),
    ({"name": "Zouzou", "kind": None, "aliases": [], "country": "ML"}, "county"),
])
def test_null_kind_is_inferred(record: dict, kind: str) -> None:
    assert gz._json_kind(record, {("ML", "zouzou"): "county"}) == kind


@pytest.mark.parametrize(("query", "closest"), [
    ("sevarre", "sevare"), ("douentsa", "douentza"), ("kidal", "kidal"), ("zzqwx", None), ("sao", None),
])
def test_similar_names(query: str, closest: str | None) -> None:
    names = gz.similar_names(query, gz.place_names())
    assert (names[0] if names else None) == closest


def test_similar_names_ignore_how_a_name_is_split() -> None:
    """"Tchoma Bangou" is three edits from "tchambangou" with its space, two without."""
    assert "tchambangou" not in gz.similar_names("tchoma bangou", gz.place_names())
    assert "tchambangou" in gz.similar_compact_names("tchoma bangou")
    assert gz.similar_compact_names("zzqw xyzt") == []
