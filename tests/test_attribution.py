"""Attribution: who each sentence's facts come from, original source first, then relays."""
from __future__ import annotations


import known_names
import pytest
import spacy

from kg.extract.attribution import (label_source, quote_spans, quote_speakers, read_document, sentence_bounds,
                                    sources_for)
from kg.extract.model import Actor, Mention, Person, Source

ACTORS = {a.key: a for a in [
    Actor("afp", "AFP", "media"), Actor("reuters", "Reuters", "media"), Actor("rfi", "RFI", "media"),
    Actor("mnla", "MNLA", "armed_group"), Actor("minusma", "MINUSMA", "international_force"),
    Actor("hcdh", "HCDH", "other"), Actor("army-ne", "Forces armées nigériennes", "state_force"),
    Actor("gov-ne", "gouvernement nigérien", "government"), Actor("mindef-ne", "ministère de la Défense", "government"),
    Actor("police-ne", "Police nationale", "state_force"), Actor("gov-fr", "gouvernement français", "government"),
]}
PERSONS = {p.key: p for p in [Person("moussa-traore", "Moussa Traoré"), Person("aicha-diallo", "Aïcha Diallo"),
                              Person("ibrahim-sow", "Ibrahim Sow")]}
NAMES = {"AFP": ("actor", "afp"), "Reuters": ("actor", "reuters"), "RFI": ("actor", "rfi"), "MNLA": ("actor", "mnla"),
         "MINUSMA": ("actor", "minusma"), "Mission des Nations unies au Mali": ("actor", "minusma"), "HCDH": ("actor", "hcdh"), "Moussa Traoré": ("person", "moussa-traore"),
         "Aïcha Diallo": ("person", "aicha-diallo"), "Ibrahim Sow": ("person", "ibrahim-sow")}
NATIONAL = {("army", "NE"): "army-ne", ("government", "NE"): "gov-ne", ("defence_ministry", "NE"): "mindef-ne",
            ("police", "NE"): "police-ne", ("government", "FR"): "gov-fr"}


def national(kind: str, country: str | None) -> str | None:
    return NATIONAL.get((kind, country))



def mentions_of(text: str) -> list[Mention]:
    return known_names.mentions_of(text, NAMES)


@pytest.fixture(scope="session")
def nlp() -> spacy.language.Language:
    return spacy.load("fr_core_news_sm")


def _sources(nlp, text: str, **kw) -> list[tuple[str, str]]:
    doc = nlp(text)
    sent = doc[:]
    found = sources_for(sent, mentions_of(text), ACTORS, PERSONS, national_actor=national, country="NE", **kw)
    return [(s.kind, s.key) for s in found]


CASES = [
    ("Selon l'AFP, douze civils ont été tués à Tessit.", [("actor", "afp")]),
    ("Quatorze soldats ont péri dans l'embuscade, a déclaré l'armée, selon l'agence Reuters.",
     [("actor", "army-ne"), ("actor", "reuters")]),
    ("Une source sécuritaire citée par l'AFP a fait état de huit morts.",
     [("label", "source sécuritaire"), ("actor", "afp")]),
    ("De source sécuritaire, Reuters évoque une vingtaine de victimes.",
     [("label", "source sécuritaire"), ("actor", "reuters")]),
    ("Des sources locales ont rapporté que le marché avait été incendié.", [("label", "sources locales")]),
    ("D'après des habitants, les assaillants sont arrivés à moto.", [("label", "habitants")]),
    ("Le gouvernement a annoncé trois jours de deuil national.", [("actor", "gov-ne")]),
    ("Le ministère de la Défense a indiqué dans un communiqué que dix assaillants avaient été neutralisés.",
     [("actor", "mindef-ne")]),
    ("Le porte-parole de l'armée, Moussa Traoré, a affirmé que la situation était sous contrôle.",
     [("person", "moussa-traore")]),
    ("La situation est sous contrôle, a indiqué à l'AFP un élu local.", [("label", "élu local"), ("actor", "afp")]),
    ("Un journaliste local joint par RFI a parlé de plusieurs dizaines de morts.",
     [("label", "journaliste local"), ("actor", "rfi")]),
    ("Aïcha Diallo, citée par Reuters, a précisé que les blessés avaient été évacués.",
     [("person", "aicha-diallo"), ("actor", "reuters")]),
    ("Selon des sources sécuritaires et locales, six gendarmes ont été tués.",
     [("label", "sources sécuritaires"), ("label", "sources locales")]),
    ("Le bilan s'élève à onze morts, selon la presse locale.", [("label", "presse locale")]),
    ("Le HCDH a dressé le bilan de l'attaque : trente morts.", [("actor", "hcdh")]),
    ("L'armée nigérienne a recensé quarante corps, a rapporté Reuters.", [("actor", "army-ne"), ("actor", "reuters")]),
    ("Le gouvernement français a confirmé la mort de deux otages.", [("actor", "gov-fr")]),
    ("La police a fait état de deux agents blessés.", [("actor", "police-ne")]),
    ("Un responsable de la MINUSMA a indiqué que les casques bleus avaient riposté.", [("actor", "minusma")]),
    ("Selon un rapport du HCDH consulté par l'AFP, quarante civils ont été tués.",
     [("actor", "hcdh"), ("actor", "afp")]),
    ("Un ancien élu de la commune avance, lui, vingt-deux victimes.", [("label", "ancien élu de la commune")]),
    ("Dans un communiqué, le MNLA a revendiqué l'attaque.", [("actor", "mnla")]),
    ("Les assaillants ont incendié des maisons et emporté du bétail.", []),
    ("Un notable de la localité, joint au téléphone par l'AFP, a évoqué une trentaine de morts.",
     [("label", "notable de la localité"), ("actor", "afp")]),
    ("Selon le porte-parole de l'armée, Moussa Traoré, neuf soldats ont été blessés.", [("person", "moussa-traore")]),
    ("Les soldats ont été pris dans une embuscade, a indiqué un officier de l'armée nigérienne.",
     [("actor", "army-ne")]),
    ("Dans la matinée, une source sécuritaire ne parlait encore que de deux morts.", [("label", "source sécuritaire")]),
    # a definite description takes the last actor named whose name starts with its head word
    ("Des casques bleus de la Mission des Nations unies au Mali ont été visés à Kidal. La mission recense une "
     "trentaine de blessés.", [("actor", "minusma")]),
    ("Des hommes du MNLA ont attaqué le poste. Le groupe affirme avoir tué dix soldats.", [("actor", "mnla")]),
    ("Le groupe de Moussa Traoré a été dispersé.", []),
    # the subject is the phrase opening the verb's own comma segment, not a person named earlier in the clause
    ("Vendredi, au retour d'une visite du colonel Ibrahim Sow auprès des blessés, l'armée a porté le bilan à "
     "dix-sept morts.", [("actor", "army-ne")]),
    ("Jeudi soir, après une réunion avec Aïcha Diallo, le gouvernement a annoncé vingt morts.", [("actor", "gov-ne")]),
    ("Le porte-parole du gouvernement, Ibrahim Sow, a porté le bilan à trente morts.", [("person", "ibrahim-sow")]),
    # an official toll with no one named is the government's; "faute de bilan officiel" is not a source
    ("Le bilan officiel s'établit à quarante-deux morts.", [("actor", "gov-ne")]),
    ("Selon un bilan officiel provisoire, neuf gendarmes ont été tués.", [("actor", "gov-ne")]),
    ("Faute de bilan officiel, la presse locale évoque une dizaine de morts.", [("label", "presse locale")]),
    ("Le bilan officiel de l'armée fait état de six soldats tués.", [("actor", "army-ne")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_sources_for(nlp, text: str, expected: list[tuple[str, str]]) -> None:
    assert _sources(nlp, text) == expected


def test_label_keeps_the_words_as_written(nlp) -> None:
    doc = nlp("Selon un élu local, six civils ont péri.")
    [src] = sources_for(doc[:], [], {}, {})
    assert src == Source("label", "élu local", "élu local")
    assert label_source("Presse  Locale").key == "presse locale"


FOCUS = ("Une source sécuritaire citée par l'AFP avait évoqué quinze morts, "
         "tandis que Reuters parlait de vingt soldats tués.")


@pytest.mark.parametrize(("word", "expected"), [
    ("quinze", [("label", "source sécuritaire"), ("actor", "afp")]),
    ("vingt", [("actor", "reuters")]),
])
def test_at_narrows_to_the_clause_of_the_figure(nlp, word: str, expected: list[tuple[str, str]]) -> None:
    assert _sources(nlp, FOCUS, at=FOCUS.index(word)) == expected


def test_pronoun_subject_takes_the_antecedent(nlp) -> None:
    who = Source("person", "moussa-traore", "Moussa Traoré")
    assert _sources(nlp, "Il a ajouté que douze soldats étaient portés disparus.", antecedent=who) == [
        ("person", "moussa-traore")]


@pytest.mark.parametrize(("text", "expected"), [
    ("« Nous avons perdu six hommes », a-t-il dit. Puis “deux autres” et \"encore\".",
     ["« Nous avons perdu six hommes »", "“deux autres”", "\"encore\""]),
    ("« Première phrase. Deuxième phrase », a ajouté Sow.", ["« Première phrase. Deuxième phrase »"]),
    ("« Un “mot” cité »", ["« Un “mot” cité »"]),
    ("Aucune citation ici.", []),
])
def test_quote_spans(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in quote_spans(text)] == expected


SPEAKERS = [
    ("Le colonel Ibrahim Sow a déclaré : « Nous avons repoussé l'ennemi. » Plus tard, « la situation est calme », "
     "a ajouté Sow.", ["ibrahim-sow", "ibrahim-sow"]),
    ("« Les terroristes ont fui », selon l'armée.", ["army-ne"]),
    ("Le gouvernement a dénoncé une attaque « lâche et barbare ».", ["gov-ne"]),
    ("« Dix assaillants ont été tués », a indiqué à l'AFP Aïcha Diallo.", ["aicha-diallo"]),
    ("Moussa Traoré a parlé aux journalistes. Il a promis « une riposte ».", ["moussa-traore"]),
    ("L'opération « Tonnerre » a débuté lundi.", []),
    ("« La ville est sous contrôle », affirme le porte-parole de l'armée, Moussa Traoré.", ["moussa-traore"]),
]


@pytest.mark.parametrize(("text", "expected"), SPEAKERS, ids=[s[0][:40] for s in SPEAKERS])
def test_quote_speakers(nlp, text: str, expected: list[str]) -> None:
    doc = nlp(text)
    speakers = quote_speakers(doc, mentions_of(text), ACTORS, PERSONS, national_actor=national, country="NE")
    assert [speakers[a].key for a, _ in quote_spans(text) if a in speakers] == expected


def test_sentence_inside_a_quote_takes_its_speaker(nlp) -> None:
    text = "« Les forces ont repoussé l'attaque. Dix assaillants ont été neutralisés », a déclaré Aïcha Diallo."
    doc = nlp(text)
    mentions = mentions_of(text)
    speakers = quote_speakers(doc, mentions, ACTORS, PERSONS)
    first = doc.char_span(0, text.index("Dix") - 1, alignment_mode="expand")
    assert [s.key for s in sources_for(first, mentions, ACTORS, PERSONS, quote_speakers=speakers,
                                       at=text.index("attaque"))] == ["aicha-diallo"]


def test_read_document_threads_pronouns(nlp) -> None:
    text = "Moussa Traoré a déclaré que l'armée contrôlait la zone. Il a ensuite annoncé la mort de cinq soldats."
    rows, _ = read_document(nlp(text), mentions_of(text), ACTORS, PERSONS)
    assert [[s.key for s in found] for _, _, found in rows] == [["moussa-traore"], ["moussa-traore"]]


def test_works_without_a_parser() -> None:
    text = "Cinq soldats ont été tués, a déclaré Aïcha Diallo. Selon l'AFP, le camp a été repris."
    rows, _ = read_document(spacy.blank("fr")(text), mentions_of(text), ACTORS, PERSONS)
    assert [[s.key for s in found] for _, _, found in rows] == [["aicha-diallo"], ["afp"]]


def test_sentence_bounds_repairs_a_split_inside_a_name() -> None:
    text = "Le premier. Le groupe Ansar l'a revendiqué hier. Fin."
    lo = text.index("l'a")
    assert text[slice(*sentence_bounds(text, lo, lo + 5))] == "Le groupe Ansar l'a revendiqué hier."
