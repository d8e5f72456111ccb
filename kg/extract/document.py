"""Extraction of one document: composes the extraction stages in their order.

    spaCy Doc -> entities (actors, places, persons) -> sentence reading (events, dates, figures)
              -> claims -> spokespersons and statements -> participants -> Extraction
"""
from __future__ import annotations

import re
from dataclasses import replace
from collections import Counter

from rapidfuzz.distance import Levenshtein
from spacy.tokens import Doc

from kg.extract.attribution import quote_speakers, sources_for
from kg.extract.claims import find_claims
from kg.extract.discourse import read_document
from kg.extract.entities import resolve_entities
from kg.extract.model import Actor, CasualtyFigure, Document, Event, Extraction, Mention, Place, Source, Span
from kg.extract.national import NationalForces
from kg.extract.participants import assign_participants
from kg.extract.places import to_place
from kg.extract.relations import apply_relations, text_relations
from kg.nlp import gazetteer as gz
from kg.extract.spokespersons import find_spokespersons


def _mentions(actors: dict[str, Actor], places: dict[str, Place], persons) -> list[Mention]:
    out = [Mention(s.start, s.end, "actor", k) for k, a in actors.items() for s in a.mentions]
    out += [Mention(s.start, s.end, "place", k) for k, p in places.items() for s in p.mentions]
    out += [Mention(s.start, s.end, "person", k) for k, p in persons.items() for s in p.mentions]
    return sorted(out)


def main_country(places: dict[str, Place]) -> str | None:
    """The country most of the document's places are in (ISO2), the frame for implied actors."""
    votes = Counter()
    for p in places.values():
        if p.country:
            votes[p.country] += len(p.mentions) * (2 if p.kind == "country" else 1)
    return votes.most_common(1)[0][0] if votes else None


def name_by_text(places: dict[str, Place], text: str) -> None:
    """A village known only from Who's On First is named as the report spells it (WOF's romanisation
    often differs: "Sitenga" for Seytenga); the WOF name stays an alias."""
    for key, p in places.items():
        if not key.startswith("wof-") or p.kind != "locality" or not p.mentions:
            continue
        forms = Counter(text[m.start:m.end] for m in p.mentions)
        surface = forms.most_common(1)[0][0]
        if surface != p.name and surface[:1].isupper() and " de " not in surface:
            p.aliases = [p.name, *(a for a in p.aliases if a != surface)]
            p.name = surface


def merge_place_variants(places: dict[str, Place]) -> None:
    """One village written two ways in a report ("Tchoma Bangou", "Tchombangou"): the mentions of the
    unresolved spelling join the gazetteer entry (same letters once spaces and hyphens are dropped, or
    one edit apart on long names)."""
    resolved = {k: p for k, p in places.items() if p.lat is not None and p.kind == "locality"}
    for key, p in list(places.items()):
        if p.lat is not None or p.kind != "locality":
            continue
        squashed = gz.norm_name(p.name).replace(" ", "")
        for other in resolved.values():
            o = gz.norm_name(other.name).replace(" ", "")
            alias_forms = {gz.norm_name(a).replace(" ", "") for a in other.aliases}
            if squashed == o or squashed in alias_forms or (len(squashed) >= 7 and Levenshtein.distance(squashed, o) <= 1):
                other.mentions = sorted(other.mentions + p.mentions)
                if p.name not in other.aliases:
                    other.aliases.append(p.name)
                del places[key]
                break


_OWN_RANKS = re.compile(r"^[\s»”]*(?:\w+\s+){0,3}?(?:dans (?:ses|leurs) (?:propres )?rangs|parmi (?:ses|leurs) (?:combattants|hommes|membres))")


def own_losses(figures, text: str, mentions: list[Mention], actors: dict[str, Actor]) -> None:
    """"il reconnaît neuf morts dans ses rangs": the losses are the speaking group's own, so fighters of an
    armed group (militant) or soldiers of a force."""
    for f in figures:
        if f.category != "person" or not _OWN_RANKS.match(text[f.span.end:f.span.end + 60]):
            continue
        line_start = max(text.rfind("\n", 0, f.span.start), text.rfind(". ", 0, f.span.start)) + 1
        owner = next((m for m in mentions if m.kind == "actor" and line_start <= m.start < f.span.start
                      and m.key in actors and actors[m.key].type in ("armed_group", "state_force",
                                                                    "international_force")), None)
        if owner is not None:
            f.category = {"armed_group": "militant", "state_force": "soldier"}.get(actors[owner.key].type, "peacekeeper")
            f.sources = [Source("actor", owner.key, actors[owner.key].name)]  # who admits its own losses


_RESPONSIBLE = re.compile(r"\btien\w* pour responsables?|\bdésign\w* comme (?:les? |l')?(?:responsables?|auteurs?)|"
                          r"\b(?:sont|est|seraient|serait) (?:les? |l')?(?:responsables?|auteurs?) de")


_FORCE_NAME = re.compile(r"\b(?:forces?|armée|groupement|brigade|bataillon|régiment|garde|gendarmerie|police|"
                         r"compagnies? républicaines?|escadron|unités? spéciales?|commando|contingent|garnison)\b", re.I)
_GROUP_NAME = re.compile(r"\b(?:katiba|front|mouvement|groupe armé|groupe jihadiste|milice|coalition|brigades? des?)\b", re.I)
_OUTLET_NAME = re.compile(r"\b(?:journal|radio|télévision|agence|hebdomadaire|quotidien|presse|chaîne)\b", re.I)
_OFFICE_NAME = re.compile(r"\b(?:ministère|gouvernement|présidence|mairie|préfecture|gouvernorat|conseil)\b", re.I)


_CIVILIANS = re.compile(r"\bcivil(?:e|s|es)?\b")
_PERSONS = re.compile(r"\bpersonnes?\b")


def massacre_victims(figures: list[CasualtyFigure], events: list[Event], text: str) -> None:
    """Victims of a massacre counted without saying who they were ("17 morts à Karou", "vingt-deux victimes",
    "14 à Daoutégeft") are civilians when the report counts civilians killed: a massacre kills civilians.

    A figure that says "personnes" keeps its category, as does any figure when the report's only civilians
    are a part of a larger toll ("132 morts, dont une vingtaine d'enfants").
    """
    def says(f: CasualtyFigure, word: re.Pattern[str]) -> bool:
        return bool(word.search(text[f.span.start:f.span.end].lower()))
    if not any(f.category == "civilian" and f.subset_of is None and says(f, _CIVILIANS) for f in figures):
        return
    massacres = {e.id for e in events if e.type == "massacre"}
    for f in figures:
        if f.category == "person" and f.events and set(f.events) <= massacres and not says(f, _PERSONS):
            f.category = "civilian"


def type_unknown_organisations(actors: dict[str, Actor]) -> None:
    """An organisation the gazetteer lacks gets its type from its name: "Groupement des forces
    antiterroristes" is a state force, "Katiba Serma" an armed group, "Radio X" an outlet."""
    for key, a in actors.items():
        if a.type not in (None, "other") or gz.actor(key) is not None:
            continue
        names = " ".join([a.name, *a.aliases])
        for rx, kind in ((_GROUP_NAME, "armed_group"), (_FORCE_NAME, "state_force"), (_OUTLET_NAME, "media"),
                         (_OFFICE_NAME, "government")):
            if rx.search(names):
                a.type = kind
                break


_OFFICE_OF = re.compile(r"^(mairie|préfecture|commune|sous-préfecture|gouvernorat) (d['’]\s*|de |du )(.+)$", re.I)


def local_office_name(actor: Actor, places: dict[str, Place], text: str) -> Actor:
    """"mairie de Ouattagouna" is the town hall of the place the report spells two ways: name it after the
    place's canonical name."""
    m = _OFFICE_OF.match(actor.name)
    if m:
        spelled = gz.norm_name(m.group(3))
        for p in places.values():
            forms = {gz.norm_name(text[s.start:s.end]) for s in p.mentions} | {gz.norm_name(p.name)}
            if spelled in forms and p.name != m.group(3):
                actor.aliases.append(actor.name)
                actor.name = f"{m.group(1)} {m.group(2)}{p.name}"
                break
    return actor


def named_responsible(text: str, reading, mentions: list[Mention], actors: dict[str, Actor], by_id: dict) -> None:
    """"les combattants du GSIM, qu'il tient pour responsables": a group an authority names as responsible
    is an attacker of the incident spoken of (not a claimant; suspicion by others is not enough)."""
    for s in reading.sentences:
        if not _RESPONSIBLE.search(text[s.start:s.end].lower()):
            continue
        eid = s.events[-1] if s.events else reading.event_at(s.start)
        ev = by_id.get(eid) if eid else None
        if ev is None:
            continue
        for m in mentions:
            if m.kind == "actor" and s.start <= m.start < s.end and m.key in actors \
                    and actors[m.key].type == "armed_group" and m.key not in ev.attackers:
                ev.attackers.append(m.key)


def spread_plural_claims(claims, executors, reading, events) -> None:
    """"le GSIM a revendiqué deux attaques. La première a visé A ; la seconde, B": a claim made in a
    sentence of its own covers every incident the next sentence tells."""
    starts = [s.start for s in reading.sentences]
    for claim, executor in list(zip(claims, executors)):
        if claim.denial or claim.event is None:
            continue
        i = next((k for k, s in enumerate(reading.sentences) if s.start <= claim.span.start < s.end), None)
        if i is None or reading.sentences[i].events or i + 1 >= len(starts):
            continue
        nxt = reading.sentences[i + 1]
        if nxt.paragraph != reading.sentences[i].paragraph:
            continue
        for eid in nxt.events:
            if eid != claim.event and not any(c.event == eid and c.claimant == claim.claimant for c in claims):
                claims.append(replace(claim, event=eid))
                executors.append(executor)


def add_containing_places(places: dict[str, Place]) -> None:
    """Add the county, region and country of every place (gazetteer knowledge, no mention)."""
    todo = [k for p in places.values() for k in p.within]
    while todo:
        key = todo.pop()
        if key in places:
            continue
        entry = gz.place(key)
        if entry is None:
            continue
        places[key] = to_place(entry)
        todo.extend(places[key].within)


def _title_end(text: str) -> int:
    """End of a headline line (a first line without final punctuation), else 0."""
    first = text.split("\n", 1)[0]
    if "\n" in text and len(first) < 160 and not re.search(r"[.!?»”]\s*$", first):
        return len(first)
    return 0


def extract_document(doc: Doc, document: Document) -> Extraction:
    """Everything kg extracts from one parsed document (kg.extract.model dataclasses)."""
    text = document.text
    actors, places, persons = resolve_entities(doc)
    country = main_country(places)
    type_unknown_organisations(actors)
    national = NationalForces(actors, country)
    mentions = _mentions(actors, places, persons)
    speakers = quote_speakers(doc, mentions, actors, persons, national_actor=national, country=country)
    sentences = [(s.start_char, s.end_char) for s in doc.sents]
    spans = {(s.start_char, s.end_char): s for s in doc.sents}
    source_cache: dict[tuple, list[Source]] = {}

    def sources(start: int, end: int, at: int | None = None, antecedent: Source | None = None) -> list[Source]:
        if (start, end, at, antecedent) not in source_cache:
            sent = spans.get((start, end)) or doc.char_span(start, end, alignment_mode="expand")
            source_cache[(start, end, at, antecedent)] = sources_for(
                sent, mentions, actors, persons, quote_speakers=speakers, national_actor=national, country=country,
                at=at, antecedent=antecedent)
        return source_cache[(start, end, at, antecedent)]

    merge_place_variants(places)
    name_by_text(places, text)
    add_containing_places(places)
    reading = read_document(text, sentences, mentions, places, document.published, sources,
                            title_end=_title_end(text))
    found = find_claims(doc, mentions, actors, event_at=reading.event_at)
    for key, actor in found.actors.items():
        actors.setdefault(key, actor)
    spoken = find_spokespersons(doc, mentions, actors, persons, national_actor=national, country=country)
    for key, actor in spoken.actors.items():
        actors.setdefault(key, local_office_name(actor, places, text))
    persons.update(spoken.persons)
    events = reading.events
    by_id = {e.id: e for e in events}
    spread_plural_claims(found.claims, found.executors, reading, events)
    for claim, executor in zip(found.claims, found.executors):
        ev = by_id.get(claim.event) if claim.event else None
        if ev is not None and not claim.denial:
            for key in (claim.claimant, executor):
                if key and key not in ev.attackers:
                    ev.attackers.append(key)
    named_responsible(text, reading, mentions, actors, by_id)
    assign_participants(
        text, events, [(s.start, s.end, s.events) for s in reading.sentences], mentions, actors, places,
        reading.figures, national, country,
        lambda a, b: {s.key for s in sources(a, b) if s.kind == "actor"},
    )
    national.add_implied(actors)
    own_losses(reading.figures, text, mentions, actors)
    massacre_victims(reading.figures, events, text)
    apply_relations(actors, text_relations(text, sentences, mentions, actors))
    for ev in events:
        for key in ev.attackers + ev.targets:
            if key in actors and not actors[key].mentions:
                actors[key].mentions.append(ev.span)
    return Extraction(document=document, actors=actors, places=places, persons=persons, events=events,
                      figures=reading.figures, claims=found.claims, statements=spoken.statements)
