"""Entity linking on the real French pipeline (kg.nlp.pipeline + kg.extract.entities), own sentences."""
from __future__ import annotations

import pytest
from spacy.language import Language

from kg.extract.entities import resolve_entities
from kg.nlp.pipeline import load_nlp

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_nlp()


def resolve(nlp: Language, text: str):
    actors, places, persons = resolve_entities(nlp(text))
    for thing in (*actors.values(), *places.values(), *persons.values()):
        for span in thing.mentions:  # every mention points at real text
            assert 0 <= span.start < span.end <= len(text)
            assert text[span.start:span.end].strip() == text[span.start:span.end]
    return actors, places, persons


def surfaces(text: str, thing) -> list[str]:
    return [text[s.start:s.end] for s in thing.mentions]


def test_pipeline_order(nlp: Language) -> None:
    names = nlp.pipe_names
    assert names.index("entity_ruler") < names.index("ner") < names.index("gazetteer_places")
    assert nlp.get_pipe("entity_ruler").phrase_matcher_attr == "ORTH"


# text -> actors (display names), places (names), persons (names) that must be found
CASES = [
    pytest.param(
        "L’armée malienne a repoussé une attaque contre son camp de Sévaré, dans la région de Mopti.",
        {"FAMa"}, {"Sévaré", "Mopti"}, set(), id="generic-army-and-elided-article"),
    pytest.param(
        "Le Groupe de soutien à l’islam et aux musulmans (GSIM) a revendiqué l'attaque, selon l’agence Anadolu "
        "et Menastream.",
        {"JNIM", "Anadolu", "MENASTREAM"}, set(), set(), id="long-names-and-media"),
    pytest.param(
        "Deux militaires français ont été tués près de Gao par un engin explosif, a annoncé l'Elysée.",
        {"armée française", "Élysée"}, {"Gao"}, set(), id="french-state"),
    pytest.param(
        "La force Barkhane et le Conseil de sécurité de l'ONU ont réagi.",
        {"Barkhane", "Conseil de sécurité", "ONU"}, set(), set(), id="name-cut-by-the-ruler"),
    pytest.param(
        "Jeudi, des hommes armés ont attaqué le poste de Tessalit.",
        set(), {"Tessalit"}, set(), id="weekday-is-no-person"),
    pytest.param(
        "Les assaillants ont incendié le hameau de Zorkabéla, à l'est de Douentza.",
        set(), {"Zorkabéla", "Douentza"}, set(), id="unknown-village-kept"),
]


@pytest.mark.parametrize(("text", "actors", "places", "persons"), CASES)
def test_entities_found(nlp: Language, text: str, actors: set, places: set, persons: set) -> None:
    found_actors, found_places, found_persons = resolve(nlp, text)
    assert actors <= {a.name for a in found_actors.values()}
    assert places <= {p.name for p in found_places.values()}
    assert persons <= {p.name for p in found_persons.values()}
    assert not any(p.name in ("L’", "L'", "Jeudi") for p in found_places.values())
    assert not any(p.name == "Jeudi" for p in found_persons.values())


@pytest.mark.parametrize(("text", "key", "mentions"), [
    pytest.param("Des éléments de la MINUMSA ont été déployés. La Minusma a confirmé.", "minusma",
                 ["MINUMSA", "Minusma"], id="actor-typo"),
    pytest.param("Des renforts ont quitté Sevare pour Savare, puis sont revenus à Sévaré.", "gaz-sevare",
                 ["Sevare", "Savare", "Sévaré"], id="place-variants"),
    pytest.param("Le camp d'Inates a été visé. L'armée a perdu sept soldats à Inatès.", "gaz-inates",
                 ["Inates", "Inatès"], id="accent-variant"),
    pytest.param("La branche sahélienne de l'organisation Etat islamique a revendiqué l'attaque de Tessit. "
                 "L'État islamique au Sahel avait déjà frappé la zone.", "islamic-state-sahel-province",
                 ["branche sahélienne de l'organisation Etat islamique", "État islamique au Sahel"],
                 id="capital-without-its-accent"),
])
def test_variants_resolve_to_one_entity(nlp: Language, text: str, key: str, mentions: list[str]) -> None:
    actors, places, _ = resolve(nlp, text)
    entity = {**actors, **places}[key]
    assert surfaces(text, entity) == mentions


def test_place_with_its_admin_unit(nlp: Language) -> None:
    text = "Le camp d'Inates, dans la région de Tillabery, a été visé par l'État islamique au Grand Sahara."
    actors, places, _ = resolve(nlp, text)
    assert places["gaz-inates"].within[-2:] == ["gaz-tillaberi-region", "gaz-niger"]
    assert surfaces(text, places["gaz-tillaberi-region"]) == ["région de Tillabery"]
    assert places["gaz-tillaberi-region"].kind == "region"
    assert actors["islamic-state-sahel-province"].name == "EIGS"


def test_homonym_chosen_from_the_sentence(nlp: Language) -> None:
    text = "Des hommes armés ont attaqué Sokolo, dans le cercle de Bougouni, région de Sikasso."
    _, places, _ = resolve(nlp, text)
    sokolo = next(p for p in places.values() if p.name == "Sokolo")
    assert (sokolo.admin1, sokolo.admin2) == ("Sikasso", "Bougouni")
    assert sokolo.key.startswith("wof-")


@pytest.mark.parametrize(("text", "display"), [
    ("Les forces gouvernementales ont riposté à Bandiagara, au Mali.", "FAMa"),
    ("Les forces gouvernementales ont riposté à Djibo, dans la province du Soum.", "Forces armées burkinabè"),
    ("Le ministère de la Défense a annoncé à Niamey la mort de douze soldats.", "ministère de la Défense du Niger"),
])
def test_generic_designation_follows_the_report_country(nlp: Language, text: str, display: str) -> None:
    actors, _, _ = resolve(nlp, text)
    assert display in {a.name for a in actors.values()}


def test_person_with_title_and_later_surname(nlp: Language) -> None:
    text = ("Le porte-parole de l'armée, le colonel Adama Traoré, a confirmé le bilan. "
            "Selon Traoré, trois assaillants ont été tués.")
    _, _, persons = resolve(nlp, text)
    person = persons["adama-traore"]
    assert person.name == "Adama Traoré" and person.title == "colonel"
    assert surfaces(text, person) == ["Adama Traoré", "Traoré"]
    assert len(persons) == 1


def test_gazetteer_person_spelling(nlp: Language) -> None:
    text = "Le colonel Souleymane Dembele a signé le communiqué. Dembele a ajouté que la zone était sécurisée."
    _, _, persons = resolve(nlp, text)
    person = persons["souleymane-dembele"]
    assert person.name == "Souleymane Dembélé" and person.title == "colonel"
    assert surfaces(text, person) == ["Souleymane Dembele", "Dembele"]


def test_surname_that_is_also_a_town(nlp: Language) -> None:
    text = "Moussa Keita a été nommé gouverneur de la région."
    _, places, persons = resolve(nlp, text)
    assert "Moussa Keita" in {p.name for p in persons.values()}
    assert not places


def test_organisation_cue_beats_the_ner_label(nlp: Language) -> None:
    text = "La Katiba Tinibou a revendiqué l'attaque de Ménaka."
    actors, places, persons = resolve(nlp, text)
    assert "Katiba Tinibou" in {a.name for a in actors.values()}
    assert not persons and "Katiba Tinibou" not in {p.name for p in places.values()}
    assert places["gaz-menaka"].admin1 == "Ménaka"


def test_name_after_an_office_is_a_person(nlp: Language) -> None:
    text = "Le porte-parole du gouvernement, Issa Kaboré Sawadogo, a démenti."
    actors, _, persons = resolve(nlp, text)
    assert "Issa Kaboré Sawadogo" in {p.name for p in persons.values()}
    assert "Issa Kaboré Sawadogo" not in {a.name for a in actors.values()}


def test_acronym_defined_in_the_text(nlp: Language) -> None:
    text = "Le Groupement des forces spéciales (GFS) était engagé. Le GFS a perdu un homme."
    actors, _, _ = resolve(nlp, text)
    unit = actors["groupement-des-forces-speciales"]
    assert "GFS" in unit.aliases
    assert surfaces(text, unit).count("GFS") == 2


def test_actor_fields_from_the_gazetteer(nlp: Language) -> None:
    text = "La Katiba du Macina, affiliée au JNIM, a revendiqué l'embuscade."
    actors, _, _ = resolve(nlp, text)
    macina = actors["katiba-macina"]
    assert macina.name == "Katiba Macina" and macina.type == "armed_group"
    assert macina.part_of == "jama-at-nusrat-al-islam-wal-muslimin"
    assert "Macina Liberation Front" in macina.aliases
    assert actors["jama-at-nusrat-al-islam-wal-muslimin"].affiliated_with


def test_keys_are_stable_across_documents(nlp: Language) -> None:
    first, _, _ = resolve(nlp, "Les Casques bleus ont été visés à Kidal.")
    second, _, _ = resolve(nlp, "La MINUSMA a condamné l'attaque de Tessalit.")
    assert set(first) & set(second) == {"minusma"}
