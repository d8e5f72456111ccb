"""The spaCy pipeline of kg: ``fr_core_news_sm`` plus the gazetteer.

Two gazetteer stages frame the statistical NER:

* an ``entity_ruler`` before ``ner`` (so gazetteer names win) with ORTH phrase
  patterns for every actor alias (label ORG, ``id`` = actor key), every person
  of the JSON gazetteer (PER), and the places worth forcing: the JSON places,
  countries and named areas, WOF regions, cercles/provinces/departments (also
  as "région de X", "cercle de X", "province du X"...) and WOF towns with a
  population (LOC, ``id`` = the most likely place key; homonyms are settled by
  :func:`kg.extract.places.resolve_place`). Patterns get accent-less,
  ’/' and capitalisation variants.
* ``gazetteer_places`` after ``ner``: the 37k WOF village names, looked up by
  normalised name on capitalised token runs that no entity covers yet. It runs
  after the NER because village names are also given names and surnames
  ("Moussa", "Keita"): the NER's PER spans win, and a match next to another
  capitalised word is skipped.

Single-word names that are French words (lemmatizer lookup table and stop
words: "Est", "Centre", "Bande", "Tombe") are not matched on their own.

Timing on the 2-CPU dev box (idle; ~1.5x under load): ``spacy.load`` 6-8 s
(the model itself), gazetteer indexes ~1.1 s, ruler patterns ~0.4 s, village
index ~0.3 s, so kg adds under 2 s to loading. A 2,000-character report takes
~95 ms in the pipeline, of which the two gazetteer stages take ~2 ms, and
~3 ms in :func:`kg.extract.entities.resolve_entities`.
"""
from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterator

import spacy
from rapidfuzz import fuzz
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.nlp import gazetteer as gz
from kg.nlp import sentences  # noqa: F401 - registers the kg_sentence_bounds factory

log = logging.getLogger(__name__)

MODEL = "fr_core_news_sm"

#: Words before a name that make it a person's (shared with kg.extract.entities).
PERSON_TITLES = frozenset("""m. mme mlle dr pr colonel colonel-major général generale lieutenant lieutenant-colonel
commandant capitaine sergent adjudant caporal soldat général-major ministre président présidente premier
imam cheikh émir chef maire préfet gouverneur porte-parole secrétaire directeur directrice""".split())

#: Lowercase words allowed inside a multi-word place name ("Nioro du Sahel").
_CONNECTORS = frozenset({"du", "de", "des", "la", "le", "les", "l'", "l’", "d'", "d’", "en", "sur", "-"})
_ARTICLES_VOWEL = ("de l'", "de l’", "d'", "d’")
_ARTICLES = ("de ", "du ", "de la ", "des ")
_ADMIN_WORDS = {"region": ("région", "Région"), "ML": ("cercle", "Cercle"), "BF": ("province", "Province"),
                "NE": ("département", "Département")}


#: Calendar words, capitalised at the start of a sentence and tagged PER/LOC by the NER.
_CALENDAR = frozenset("""lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai juin
juillet août septembre octobre novembre décembre""".split())
#: Accented first letters French drops on capitals ("Etat" for "État").
_CAPITAL_ACCENTS = {"e": "éèê", "a": "àâ", "o": "ô", "i": "î", "u": "û"}


def common_word_test(nlp: Language) -> Callable[[str], bool]:
    """Predicate: is this single word an ordinary French word (lemmatizer lookup table, stop word, calendar)?"""
    stop = nlp.Defaults.stop_words | _CALENDAR
    table = None
    if "lemmatizer" in nlp.pipe_names:
        lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
        if lookups is not None and lookups.has_table("lemma_lookup"):
            table = lookups.get_table("lemma_lookup")  # inflected forms
        if lookups is not None and lookups.has_table("lemma_index"):  # lemmas by part of speech
            stop = stop | set().union(*lookups.get_table("lemma_index").values())

    def known(low: str) -> bool:
        return low in stop or (table is not None and low in table)

    def is_common(word: str) -> bool:
        low = word.lower()
        if known(low):
            return True
        accents = _CAPITAL_ACCENTS.get(low[:1], "") if word[:1].isupper() else ""
        return any(known(a + low[1:]) for a in accents)
    return is_common


def _variants(text: str, *, recase: bool) -> set[str]:
    """Surface forms of a name: as is, accent-less, without accents on capitals only ("Etat islamique", as
    French print often writes É), ’ and ', first letter up (and down for phrases)."""
    forms = {text, gz.fold(text) if "’" not in text else text.replace("’", "'"),
             "".join(gz.fold(c) if c.isupper() else c for c in text)}
    forms |= {f.replace("'", "’") for f in forms if "'" in f}
    if recase:
        forms |= {f[:1].upper() + f[1:] for f in forms}
        if " " in text:
            forms |= {f[:1].lower() + f[1:] for f in forms if f[1:2].islower()}
    return forms


def _admin_phrases(entry: gz.PlaceEntry) -> Iterator[str]:
    """"région de Mopti", "cercle d'Ansongo", "province du Yagha": how French news names an admin unit."""
    words = _ADMIN_WORDS["region"] if entry.kind == "region" else _ADMIN_WORDS.get(entry.country or "", ())
    names = {entry.name, *(a for a in entry.aliases if gz.norm_name(a) == gz.norm_name(entry.name))}
    for name in names:
        articles = _ARTICLES_VOWEL if gz.fold(name)[:1].lower() in "aeiouy" else _ARTICLES
        for word in words:
            for art in articles:
                yield f"{word} {art}{name}"


def _place_names(entry: gz.PlaceEntry) -> set[str]:
    """Names of a place worth a pattern: its names, and foreign variants only when close to them."""
    if entry.source != "wof":
        return {entry.name, *entry.aliases}
    base = gz.norm_name(entry.name)
    return {entry.name, *(a for a in entry.aliases if fuzz.ratio(gz.norm_name(a), base) >= 80)}


def gazetteer_patterns(is_common: Callable[[str], bool]) -> list[dict]:
    """EntityRuler phrase patterns: actors (ORG), gazetteer persons (PER), notable places (LOC).

    Actor names and hand-checked places (JSON, countries, areas) keep one-word names that are also French
    words (Barkhane, Mali, Sahel).
    """
    gaz = gz.load_gazetteer()
    seen: dict[str, tuple[str, str]] = {}

    def add(text: str, label: str, key: str, *, recase: bool = False, curated: bool = False) -> None:
        for form in _variants(text, recase=recase):
            if len(form) >= 2 and form not in seen and (curated or " " in form or not is_common(form)):
                seen[form] = (label, key)

    for entry in gaz.actors.values():  # capitalised names are names ("Barkhane", "Serval" are also nouns)
        for alias in (entry.display, entry.name, *entry.aliases):
            add(alias, "ORG", entry.key, recase=" " in alias, curated=alias[:1].isupper())
    for person in gaz.persons.values():
        for alias in (person.name, *person.aliases):
            if len(alias.split()) >= 2:
                add(alias, "PER", person.key)
    notable = [e for e in gaz.places.values()
               if e.source != "wof" or e.placetype != "locality" or e.population]
    for entry in sorted(notable, key=lambda e: -e.rank):
        if entry.kind in ("region", "county"):
            for phrase in _admin_phrases(entry):
                add(phrase, "LOC", entry.key, recase=True)
        for name in _place_names(entry):
            if len(gz.norm_name(name)) >= 3 and name[:1].isupper():
                add(name, "LOC", entry.key, curated=entry.source != "wof")
    return [{"label": label, "pattern": text, "id": key} for text, (label, key) in seen.items()]


class GazetteerPlaces:
    """Adds WOF place names no entity covers yet (after the NER), as LOC spans whose ``id`` is a place key."""

    def __init__(self, nlp: Language, name: str = "gazetteer_places", *, max_tokens: int = 5,
                 min_length: int = 3) -> None:
        self.name = name
        self.max_tokens = max_tokens
        is_common = common_word_test(nlp)
        gaz = gz.load_gazetteer()
        index: dict[str, str] = {}
        for norm, keys in gaz.place_index.items():
            if len(norm) >= min_length and (" " in norm or not is_common(norm)):
                index[norm] = keys[0]
        for entry in gaz.places.values():  # a French word in any spelling is no place name on its own
            for alias in (entry.name, *entry.aliases):
                if " " not in alias and is_common(alias):
                    index.pop(gz.norm_name(alias), None)
        self.index = index

    def __call__(self, doc: Doc) -> Doc:
        self._repair_person_names(doc)
        taken = [False] * len(doc)
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                taken[i] = True
        found: list[Span] = []
        i = 0
        while i < len(doc):
            if taken[i] or not doc[i].text[:1].isupper() or not doc[i].is_alpha or doc[i].lower_ in _CONNECTORS:
                i += 1
                continue
            match = self._longest(doc, i, taken)
            if match is None:
                i += 1
                continue
            end, key = match
            if not (_name_part(doc, i - 1, taken) or _name_part(doc, end, taken) or _after_title(doc, i)):
                found.append(Span(doc, i, end, label="LOC", span_id=key))
            i = end
        if found:
            doc.ents = sorted([*doc.ents, *found], key=lambda s: s.start)
        return doc

    @staticmethod
    def _repair_person_names(doc: Doc) -> None:
        """A WOF town the ruler forced next to a bare capitalised word is a surname: "Moussa Keita" is PER."""
        ents, changed = list(doc.ents), False
        covered = {i for e in ents for i in range(e.start, e.end)}
        for k, ent in enumerate(ents):
            if ent.label_ != "LOC" or not ent.ent_id_.startswith("wof-") or len(ent) != 1:
                continue
            prev = doc[ent.start - 1] if ent.start else None
            if prev is not None and prev.i not in covered and prev.is_alpha and prev.is_title and \
                    not prev.is_stop and prev.whitespace_ == " ":
                ents[k] = Span(doc, prev.i, ent.end, label="PER")
                changed = True
            elif _after_title(doc, ent.start):
                ents[k] = Span(doc, ent.start, ent.end, label="PER")
                changed = True
        if changed:
            doc.ents = ents

    def _longest(self, doc: Doc, start: int, taken: list[bool]) -> tuple[int, str] | None:
        for end in range(min(len(doc), start + self.max_tokens), start, -1):
            if any(taken[start:end]) or not doc[end - 1].text[-1:].isalnum():
                continue
            if any(not t.text[:1].isupper() and t.lower_ not in _CONNECTORS for t in doc[start + 1:end]):
                continue
            key = self.index.get(gz.norm_name(doc[start:end].text))
            if key:
                return end, key
        return None


def _name_part(doc: Doc, i: int, taken: list[bool]) -> bool:
    """A capitalised word outside any entity next to the match: the match is part of a longer name."""
    if i < 0 or i >= len(doc) or taken[i]:
        return False
    tok = doc[i]
    return tok.is_alpha and tok.text[:1].isupper() and not tok.is_sent_start


def _after_title(doc: Doc, i: int) -> bool:
    return i > 0 and doc[i - 1].lower_ in PERSON_TITLES


def make_gazetteer_places(nlp: Language, name: str, *, max_tokens: int, min_length: int) -> GazetteerPlaces:
    """Factory of the ``gazetteer_places`` component."""
    return GazetteerPlaces(nlp, name, max_tokens=max_tokens, min_length=min_length)


Language.factory("gazetteer_places", assigns=["doc.ents"], requires=["doc.ents"],
                 default_config={"max_tokens": 5, "min_length": 3})(make_gazetteer_places)


@functools.cache
def load_nlp() -> Language:
    """``fr_core_news_sm`` with the gazetteer ruler before ``ner`` and village matching after it (cached)."""
    started = time.perf_counter()
    nlp = spacy.load(MODEL)
    nlp.add_pipe("kg_sentence_bounds", before="parser")  # kg.nlp.sentences: layout-aware boundaries
    loaded = time.perf_counter()
    is_common = common_word_test(nlp)
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"phrase_matcher_attr": "ORTH"})
    patterns = gazetteer_patterns(is_common)
    with nlp.select_pipes(disable=nlp.pipe_names):  # building phrase patterns needs the tokenizer only
        ruler.add_patterns(patterns)
    ruled = time.perf_counter()
    nlp.add_pipe("gazetteer_places", after="ner")
    log.info("nlp: %s loaded in %.2fs, %d ruler patterns in %.2fs, village index in %.2fs", MODEL,
             loaded - started, len(patterns), ruled - loaded, time.perf_counter() - ruled)
    return nlp
