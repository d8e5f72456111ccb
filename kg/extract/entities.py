"""Entity linking: a parsed Doc's entities -> Actors, Places and Persons, each with its mentions.

Gazetteer-ruled spans (``ent.ent_id_``) are linked directly. Statistical NER
spans are cleaned (leading "L’", "d'", articles and punctuation go; truncated
spans such as "camp d’" and plain common nouns are dropped) and re-typed where
``fr_core_news_sm`` errs: a first word like "groupe", "Front", "Katiba",
"Mouvement", "Forces" or "ministère" makes an organisation, "à / dans / près de
X" makes a place, an all-caps word is no person. Spelling variants and typos
(Savare, MINUMSA, Tillabery) reach the gazetteer entry through accent/case
normalisation and a small edit distance (:func:`kg.nlp.gazetteer.similar_names`),
only against entries of the type the context calls for.

Persons are full names (two words or more), keyed by their normalised name; a
later surname-only mention ("a ajouté Dembele") joins the full name. A generic
designation ("l'armée malienne", "forces gouvernementales" in a report about
Mali) resolves to the country's own actor.
"""
from __future__ import annotations

import bisect
import functools
import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Span as SpacySpan

from kg.extract import places as place_resolver
from kg.extract.model import Actor, Person, Place, Span
from kg.nlp import gazetteer as gz
from kg.nlp.pipeline import PERSON_TITLES, common_word_test, load_nlp

log = logging.getLogger(__name__)

#: First words that make a span an organisation whatever the NER label.
ORG_CUES = frozenset("""groupe groupement front katiba mouvement forces force ministère armée armées brigade
coordination alliance union conseil direction agence commission organisation association comité office bataillon
compagnie état-major haut-commissariat gouvernement police gendarmerie garde mission opération coalition parti
fondation ong radio journal institut tribunal présidence préfecture mairie escadron unité""".split())
#: Words after which "de X" names a place.
_PLACE_NOUNS = frozenset("""près loin proximité environs localité village villages commune ville camp poste base
région cercle province département nord sud est ouest habitants hameau massacre attaque marché route axe
tuerie tueries carnage drame tragédie embuscade attentat assaut raid frappe frappes bombardement enlèvement explosion
population populations mairie maire préfet préfecture sous-préfet gendarmerie brigade garnison détachement
victimes survivants rescapés déplacés secteur zone localités""".split())
_PLACE_PREPOSITIONS = frozenset({"à", "dans", "vers", "depuis", "entre", "sur"})
_LEADING = frozenset({"l'", "l’", "d'", "d’", "la", "le", "les", "du", "des", "de", "au", "aux", "un", "une", "qu'"})
_TRAILING = frozenset({"l'", "l’", "d'", "d’", "de", "du", "des", "la", "le", "les", "et", "à", "au"})
_NAME_PARTICLES = frozenset({"de", "da", "ag", "ould", "ben", "ibn", "al", "el", "dit", "van", "von", "bin", "ou"})
_TITLE_ABBREVIATIONS = {"col.": "colonel", "gén.": "général", "gal": "général", "lt.": "lieutenant",
                        "cdt": "commandant", "cne": "capitaine"}
_ACRONYM_DEF = re.compile(r"^\s*\(\s*([A-Z][A-Za-z0-9-]{1,9})\s*\)")


@dataclass
class _Mention:
    text: str
    start: int  # character offsets of the cleaned span
    end: int
    label: str
    key: str  # gazetteer id set by the ruler, else ""
    span: SpacySpan


@functools.cache
def _is_common() -> Callable[[str], bool]:
    return common_word_test(load_nlp())


def _place_cue(doc: Doc, i: int) -> bool:
    """Whether the words before token ``i`` introduce a place ("à X", "près de X", "village de X")."""
    prev = doc[i - 1].lower_ if i >= 1 else ""
    if prev in _PLACE_PREPOSITIONS:
        return True
    return prev in ("de", "d'", "d’", "du") and i >= 2 and doc[i - 2].lower_ in _PLACE_NOUNS


def _clean(ent: SpacySpan) -> SpacySpan | None:
    """Trim articles, elisions and punctuation; None for a truncated span ("camp d’", "département de")."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and (doc[start].lower_ in _LEADING and (doc[start].text.islower() or doc[start].text[-1] in "'’"
                                                              or doc[start].is_sent_start)
                           or doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if end > start and doc[end - 1].lower_ in _TRAILING:
        if end < len(doc) and doc[end].ent_id_:  # "Conseil de sécurité de l'" + ruled "ONU": the ruler cut it
            while end > start and doc[end - 1].lower_ in _TRAILING:
                end -= 1
        else:
            return None
    return doc[start:end] if end > start else None


def _plausible(span: SpacySpan, label: str) -> bool:
    """A statistical span that reads like a name: capitalised, not only common words."""
    text = span.text
    if len(text) < 2 or not any(c.isalpha() for c in text):
        return False
    first = span[0].lower_
    if first in ORG_CUES:
        return len(span) > 1  # "Conseil" alone is a common noun
    if not text[:1].isupper():
        return False
    if gz.actor_by_alias(text) or any(p.source != "wof" for p in gz.places_by_name(text)):
        return True
    words = [t for t in span if t.is_alpha]
    if words and all(_is_common()(t.text) and not t.text.isupper() for t in words):
        return False
    if label == "PER":
        return all(t.text[:1].isupper() or t.lower_ in _NAME_PARTICLES or not t.is_alpha for t in span)
    return True


def _merge_adjacent_persons(ents: list[SpacySpan]) -> list[SpacySpan]:
    """"Ibrahim" + "Malam Dicko" -> "Ibrahim Malam Dicko"; a village-name word glued to a PER span joins it
    ("Moussa" + "Keita"), but a hand-checked place never does."""
    def joinable(ent: SpacySpan) -> bool:
        return ent.label_ == "PER" or (ent.label_ == "LOC" and not ent.ent_id_.startswith(("gaz", "country", "ext")))

    merged: list[SpacySpan] = []
    for ent in ents:
        prev = merged[-1] if merged else None
        if prev is not None and prev.end == ent.start and prev[-1].whitespace_ == " " and joinable(prev) \
                and joinable(ent) and "PER" in (prev.label_, ent.label_):
            merged[-1] = SpacySpan(ent.doc, prev.start, ent.end, label="PER")
        else:
            merged.append(ent)
    return merged


_ADMIN_WORDS = frozenset({"région", "cercle", "province", "département", "commune"})
_ADMIN_ARTICLES = frozenset({"de", "du", "des", "d'", "d’", "la", "l'", "l’"})


def _with_admin_word(span: SpacySpan) -> SpacySpan:
    """"région de" + "Tillabery" -> "région de Tillabery", so the resolver knows the kind of unit."""
    i = span.start
    while i > 0 and span.doc[i - 1].lower_ in _ADMIN_ARTICLES and span.start - i < 2:
        i -= 1
    if i < span.start and i > 0 and span.doc[i - 1].lower_ in _ADMIN_WORDS:
        return span.doc[i - 1:span.end]
    return span


def _apposed_to_title(span: SpacySpan) -> bool:
    """A two-to-four-word capitalised name right after a rank or office ("le colonel X", "ministre ..., X")."""
    words = list(span)
    if not 2 <= len(words) <= 4 or not all(t.is_alpha and t.is_title for t in words):
        return False
    lo = span.start
    while lo > 0 and span.start - lo < 10 and not span.doc[lo].is_sent_start:
        lo -= 1
    before = span.doc[lo:span.start]
    if not len(before):
        return False
    return before[-1].lower_ in PERSON_TITLES or (before[-1].text == "," and any(
        t.lower_ in PERSON_TITLES for t in before))


def _classify(m: _Mention, doc: Doc, votes: Counter) -> str | None:
    """``actor``, ``place``, ``person`` or None for a statistical mention.

    ``votes`` counts, over the whole report, the NER labels of this name and how often a place cue
    ("à", "près de") introduces it, so that every mention of a name gets the same type.
    """
    first = m.span[0].lower_
    cued, located = votes["cued"] > 0, votes["LOC"] > 0
    if first in ORG_CUES:
        return "actor"
    known_place = bool(gz.places_by_name(m.text))
    if gz.actor_by_alias(m.text) is not None and not (m.label == "LOC" and known_place):
        return "actor"
    if m.label == "LOC":
        return "place"
    if m.label == "ORG":
        if first in PERSON_TITLES:
            return None
        if _apposed_to_title(m.span):  # "porte-parole du gouvernement, Ousséni Tamboura"
            return "person"
        if known_place and (cued or gz.places_by_name(m.text)[0].source != "wof"):
            return "place"
        return "actor"
    acronym = m.text.isupper() and len(m.text) >= 3
    if m.label == "PER":
        if gz.person_by_alias(m.text) is not None:
            return "person"
        if located or (cued and (len(m.span) == 1 or known_place)):
            return "place"
        return "actor" if acronym else "person"
    if (cued or located) and known_place:
        return "place"
    return "actor" if acronym and gz.actor_by_alias(m.text, fuzzy=True) else None


def _mentions(doc: Doc) -> list[tuple[str, _Mention]]:
    spans = []
    for ent in _merge_adjacent_persons(list(doc.ents)):
        ruled = bool(ent.ent_id_)
        span = ent if ruled else _clean(ent)
        if span is not None and not ruled and ent.label_ == "MISC" and span[0].is_lower:
            # "massacre de Tchoma Bangou" -> the place
            tail = next((i for i in range(span.start, span.end) if doc[i].lower_ in ("de", "d'", "d’", "du")), None)
            if tail is None or tail + 1 >= span.end:
                continue
            span = _clean(doc[tail + 1:span.end])
        if span is None or (not ruled and not _plausible(span, ent.label_)):
            continue
        if ent.label_ == "LOC":
            span = _with_admin_word(span)
        spans.append((ent.label_, ent.ent_id_, span))
    votes: dict[str, Counter] = {}
    for label, _, span in spans:
        count = votes.setdefault(gz.norm_name(span.text), Counter())
        count[label] += 1
        count["cued"] += _place_cue(doc, span.start)
    out = []
    for label, key, span in spans:
        m = _Mention(span.text, span.start_char, span.end_char, label, key, span)
        if key:
            kind = {"ORG": "actor", "LOC": "place", "PER": "person"}.get(label)
        else:
            kind = _classify(m, doc, votes[gz.norm_name(span.text)])
        if kind:
            out.append((kind, m))
    return out


def _doc_country(found: dict[str, Place], counts: Counter) -> str | None:
    """The Sahel country the document is mostly about, from its resolved places."""
    by_country: Counter = Counter()
    for key, place in found.items():
        if place.country in ("ML", "BF", "NE"):
            by_country[place.country] += counts[key]
    return by_country.most_common(1)[0][0] if by_country else None


def _is_locality(m: _Mention) -> bool:
    if place_resolver.split_kind(m.text)[0] is not None:
        return False
    entry = gz.place(m.key) if m.key else None
    return entry is None or entry.kind == "locality"


def _contexts(mentions: list[_Mention], doc: Doc, text: str) -> dict[int, str]:
    """The words that speak about each place mention: from it (or from an admin unit just before it,
    "dans la région de Mopti, à Boni") to the end of the next locality of the sentence; admin units
    ("cercle de Niono") are no bounds, appositions follow the place they describe.
    """
    bounds = [(s.start_char, s.end_char) for s in doc.sents] if doc.has_annotation("SENT_START") else [(0, len(text))]
    starts = [b for b, _ in bounds]
    by_sentence: dict[int, list[_Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(max(0, bisect.bisect_right(starts, m.start) - 1), []).append(m)
    out: dict[int, str] = {}
    for index, group in by_sentence.items():
        sent_start, sent_end = bounds[index]
        localities = sorted((x for x in group if _is_locality(x)), key=lambda x: x.start)
        for m in group:
            begin = m.start
            if not any(x.start < m.start for x in localities):
                begin = min((x.start for x in group if x.end <= m.start and m.start - x.end <= 20), default=begin)
            following = next((x for x in localities if x.start > m.start), None)
            out[id(m)] = text[begin:following.end if following else sent_end]
    return out


def _resolve_places(mentions: list[_Mention], doc: Doc, text: str) -> tuple[dict[str, Place], Counter]:
    contexts = _contexts(mentions, doc, text)
    by_name: dict[str, list[str]] = {}
    for m in mentions:
        snippets = by_name.setdefault(gz.norm_name(m.text), [])
        if contexts[id(m)] not in snippets:
            snippets.append(contexts[id(m)])
    names = [m.text for m in mentions]
    resolved: dict[str, Place] = {}
    found: dict[str, Place] = {}
    counts: Counter = Counter()
    for m in mentions:
        n = gz.norm_name(m.text)
        if n not in resolved:
            others = [x for x in names if gz.norm_name(x) != n]
            place = place_resolver.resolve_place(m.text, " … ".join(by_name[n]), others)
            if place is None and m.key and gz.place(m.key):
                place = place_resolver.to_place(gz.place(m.key))
            if place is None:
                core = place_resolver.split_kind(m.text)[1]
                place = Place(key=place_resolver.unresolved_key(core), name=core)
            resolved[n] = place
        place = found.setdefault(resolved[n].key, resolved[n])
        counts[place.key] += 1
        place.mentions.append(Span(m.start, m.end))
        if m.text != place.name and m.text not in place.aliases:
            place.aliases.append(m.text)
    return found, counts


def _person_parts(m: _Mention) -> tuple[str | None, str]:
    """(title, name) of a PER mention: "colonel Souleymane Dembele" -> ("colonel", "Souleymane Dembele")."""
    words = m.text.split()
    title = None
    while words and (words[0].lower() in PERSON_TITLES or words[0].lower() in _TITLE_ABBREVIATIONS):
        title = _TITLE_ABBREVIATIONS.get(words[0].lower(), words[0].lower())
        words = words[1:]
    doc = m.span.doc
    if title is None and m.span.start > 0 and doc[m.span.start - 1].lower_ in PERSON_TITLES:
        title = doc[m.span.start - 1].lower_
    return title, " ".join(words)


def _resolve_persons(mentions: list[_Mention]) -> tuple[dict[str, Person], list[tuple[_Mention, str]]]:
    """Persons of full-name mentions, and the one-word mentions left to attach."""
    persons: dict[str, Person] = {}
    singles: list[tuple[_Mention, str]] = []
    for m in mentions:
        title, name = _person_parts(m)
        entry = gz.person_by_alias(name) or (gz.load_gazetteer().persons.get(m.key) if m.key else None)
        if entry is None and len(name.split()) < 2:
            singles.append((m, name))
            continue
        key = entry.key if entry else gz.slug(name)
        if entry is None and key not in persons:  # a typo of a person already named
            close = gz.similar_names(gz.norm_name(name), tuple(gz.norm_name(p.name) for p in persons.values()))
            key = next((k for k, p in persons.items() if close and gz.norm_name(p.name) == close[0]), key)
        person = persons.setdefault(key, Person(key=key, name=entry.name if entry else name))
        person.title = person.title or title
        _add_mention(person, m, name)
    return persons, singles


def _add_mention(person: Person, m: _Mention, name: str) -> None:
    person.mentions.append(Span(m.start, m.end))
    if name != person.name and name not in person.aliases:
        person.aliases.append(name)


def _owner(persons: dict[str, Person], m: _Mention, name: str) -> Person | None:
    """The person whose family name this one-word mention is (the latest named before it, if several)."""
    n = gz.norm_name(name)
    owners = [p for p in persons.values() if n and n in gz.norm_name(p.name).split()[1:]]
    before = [p for p in owners if p.mentions and p.mentions[0].start < m.start]
    return (before or owners or [None])[-1]


def _actor_for(m: _Mention, defined: dict[str, str]) -> tuple[str, Actor]:
    if m.key and gz.actor(m.key):
        entry = gz.actor(m.key)
    else:
        entry = gz.actor_by_alias(m.text) or gz.actor_by_alias(m.text, fuzzy=True)
    if entry is not None:
        return entry.key, _from_entry(entry)
    key = defined.get(m.text) or gz.slug(m.text)
    return key, Actor(key=key, name=m.text)


def _from_entry(entry: gz.ActorEntry) -> Actor:
    names = [entry.name, *entry.aliases]
    return Actor(key=entry.key, name=entry.display, type=entry.type,
                 aliases=list(dict.fromkeys(n for n in names if n != entry.display)), wikidata=entry.wikidata,
                 part_of=entry.part_of, affiliated_with=list(entry.affiliated_with), country=entry.country)


def _resolve_actors(mentions: list[_Mention], text: str, country: str | None) -> dict[str, Actor]:
    actors: dict[str, Actor] = {}
    defined: dict[str, str] = {}  # "Groupement des forces antiterroristes (GFAT)": GFAT -> its key
    for m in mentions:
        key, fresh = _actor_for(m, defined)
        variant = gz.country_variant(key, country)
        if variant != key:
            key, fresh = variant, _from_entry(gz.actor(variant))
        actor = actors.setdefault(key, fresh)
        actor.mentions.append(Span(m.start, m.end))
        if m.text not in (actor.name, *actor.aliases):
            actor.aliases.append(m.text)
        acronym = _ACRONYM_DEF.match(text[m.end:m.end + 16])
        if acronym and acronym[1] not in defined:
            defined[acronym[1]] = key
            if acronym[1] not in (actor.name, *actor.aliases):
                actor.aliases.append(acronym[1])
            if gz.actor(key) is None and len(actor.name.split()) > 2:
                # an organisation the gazetteer lacks is named as the report names it after defining it:
                # "Groupement des forces antiterroristes (GFAT)" -> GFAT
                actor.aliases.append(actor.name)
                actor.name = acronym[1]
    if defined:  # later uses of a defined acronym the NER left out or mislabelled
        taken = {(s.start, s.end) for a in actors.values() for s in a.mentions}
        for match in re.finditer(r"\b(" + "|".join(map(re.escape, defined)) + r")\b", text):
            if not any(s <= match.start() < e for s, e in taken):
                actors[defined[match[1]]].mentions.append(Span(match.start(), match.end()))
    for actor in actors.values():
        actor.mentions.sort()
    return actors


def resolve_entities(doc: Doc) -> tuple[dict[str, Actor], dict[str, Place], dict[str, Person]]:
    """Actors, places and persons the document names, keyed by their stable keys, with character-span mentions.

    ``doc`` comes from :func:`kg.nlp.pipeline.load_nlp` (gazetteer ruler + NER + village matcher).
    """
    found = _mentions(doc)
    persons, singles = _resolve_persons([m for kind, m in found if kind == "person"])
    place_mentions = []
    for kind, m in found:  # a village name that is the surname of a person of the report
        if kind == "place" and not m.key.startswith("gaz") and len(m.span) == 1 and \
                not _place_cue(doc, m.span.start) and _owner(persons, m, m.text):
            singles.append((m, m.text))
        elif kind == "place":
            place_mentions.append(m)
    for m, name in singles:
        person = _owner(persons, m, name)
        if person is not None:
            _add_mention(person, m, name)
    for person in persons.values():
        person.mentions.sort()
    text = doc.text
    places, counts = _resolve_places(place_mentions, doc, text)
    actors = _resolve_actors([m for kind, m in found if kind == "actor"], text, _doc_country(places, counts))
    log.debug("%d actors, %d places, %d persons", len(actors), len(places), len(persons))
    return actors, places, persons
