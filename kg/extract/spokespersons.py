"""Spokespersons (``org:Post`` held by a ``foaf:Person``) and what they said (statements).

A person counts as a speaker when the text quotes them or cites them as speaking: subject of a speech
verb, speaker of a quote, "selon X", "cité par", "relayé par X". Their post is read from the words
around their first full-name mention:

- a rank or title right before the name: "le colonel Souleymane X", "le général de brigade X";
- an apposition before: "le ministre de la Défense, Prénom Nom," / "son secrétaire général, …";
- an apposition after: "Prénom Nom, porte-parole du gouvernement," (cut at the next comma or verb).

``title`` is the rank, else the title the role opens with (ministre, maire, adjoint au maire, préfet
adjoint, secrétaire général, directeur général adjoint, président …; "porte-parole" is a role only).
``organization`` is an actor named in the role ("de l'ONU"), a national institution named generically
("du gouvernement", "de l'armée", "de la Police nationale", via ``national_actor``), the national
government for a minister, the antecedent of "son"/"sa" ("son directeur général adjoint"), or a new
local-government actor for "maire de X" (mairie de X), "préfet de X" (préfecture de X), "gouverneur de X".
A person with no organisation is a speaker, not a spokesperson.
"""
from __future__ import annotations

import dataclasses
import re
from typing import NamedTuple

from spacy.tokens import Doc

from kg.extract.attribution import (A, NationalActor, candidates, doc_text, nationality_country,
                                    no_national_actor, quote_spans, read_document, speech_verbs)
from kg.extract.claims import slug
from kg.extract.model import Actor, Mention, Person, Source, Span, Statement


class Spokespeople(NamedTuple):
    """Speakers (key -> Person with title/role/organization filled where the text gives them), their
    statements, and the local-government actors minted for "maire de X" and the like (key -> Actor)."""

    persons: dict[str, Person]
    statements: list[Statement]
    actors: dict[str, Actor]


_TITLES = sorted([
    "général de brigade", "général de division", "général de corps d'armée", "général d'armée", "général",
    "lieutenant-colonel", "colonel-major", "colonel", "commandant", "capitaine", "lieutenant", "sous-lieutenant",
    "adjudant-chef", "adjudant", "sergent-chef", "sergent", "caporal", "chef de bataillon", "chef d'escadron",
    "premier ministre", "ministre", "maire", "adjoint au maire", "adjointe au maire", "maire adjoint", "préfet adjoint",
    "préfet", "secrétaire générale", "présidente", "directrice générale adjointe", "directrice générale",
    "sous-préfet", "haut-commissaire", "gouverneur", "secrétaire général adjoint", "secrétaire général",
    "vice-président", "président", "directeur général adjoint", "directeur général", "directeur", "directrice",
    "ambassadeur", "député", "commissaire", "chef d'état-major", "imam", "chef de village",
], key=len, reverse=True)
_TITLE_ALT = "|".join(re.escape(t).replace("'", "['’]") for t in _TITLES)
_RANK_BEFORE_RE = re.compile(rf"(?:^|\s)(?P<title>{_TITLE_ALT})\s*$", re.I)
_TITLE_START_RE = re.compile(rf"(?P<title>{_TITLE_ALT})\b", re.I)
_ROLE_HEADS = (rf"(?:{_TITLE_ALT}|porte-parole|chef|responsable|représentant|représentante|coordinateur|coordonnateur"
               rf"|conseiller|conseillère|chargé|chargée|envoyé|envoyée|patron|numéro deux|leader|émir|fondateur)")
_DET = rf"(?:(?:le|la|les|son|sa|leur|l{A})\s*)"
_OPEN = r"(?:^|[,;:(—–]|\b(?:par|de|et|selon|à))\s*"  # what may precede an apposition before the name
_ROLE_BEFORE_RE = re.compile(rf"{_OPEN}{_DET}(?P<role>{_ROLE_HEADS}\b[^,;:()]*?)\s*,\s*$", re.I)
_POSS_BEFORE_RE = re.compile(rf"{_OPEN}(?P<poss>son|sa|leur)\s+(?P<role>{_ROLE_HEADS}\b[^,;:()]*?)\s*,\s*$", re.I)
_ROLE_AFTER_RE = re.compile(
    rf"\s*,\s*{_DET}?(?P<role>{_ROLE_HEADS}\b[^,;:()]*?)(?=\s*[,;:().]|\s+(?:a|ont|avait|avaient|est|était|qui|dont"
    rf"|recense|explique|affirme|indique|déclare|annonce|évoque|assure|précise)\b|$)", re.I)
_LOCAL_RE = re.compile(
    rf"\b(?P<head>adjointe? au maire|maire adjoint|maire|préfet adjoint|sous-préfet|préfet|gouverneur)"
    rf"\s+(?:de la région\s+)?(?P<prep>de\s+|d{A}|du\s+)(?P<place>[A-ZÀ-Ý][\w'’-]*(?:\s+[A-ZÀ-Ý][\w'’-]*)*)")
_TRAILING_DET_RE = re.compile(rf"{_DET}$", re.I)
_LAST_DET_RE = re.compile(rf"\b(le|la|les|l{A})\s*$", re.I)
_CONTRACT = {"le": "du", "la": "de la", "les": "des"}


def _local_org(role: str, actors: dict[str, Actor], new: dict[str, Actor]) -> str | None:
    """"maire de X" -> mairie de X, "préfet adjoint de X" -> préfecture de X: the actor of that name, else a new one."""
    m = _LOCAL_RE.search(role)
    if not m:
        return None
    head = m.group("head").lower()
    org = ("sous-préfecture" if "sous-préfet" in head else "préfecture" if "préfet" in head
           else "mairie" if "maire" in head else "gouvernorat")
    prep = m.group("prep").replace("’", "'")
    name = f"{org} {prep}{m.group('place')}"
    for key, actor in actors.items():
        if actor.name.lower().replace("’", "'") == name.lower():
            return key
    key = slug(name)
    new.setdefault(key, Actor(key, name, "government"))
    return key


def _organization(text: str, lo: int, hi: int, role: str, mentions: list[Mention], actors: dict[str, Actor],
                  national_actor: NationalActor, country: str | None, new: dict[str, Actor]) -> str | None:
    """Organisation of a role found at ``text[lo:hi]``."""
    local = _local_org(role, actors, new)
    if local:
        return local
    cands = candidates(text, lo, hi, mentions, actors, {}, national_actor, country)
    named = [c for c in cands if c.kind in ("actor", "generic") and c.source.kind == "actor"]
    if named:
        return named[0].source.key
    if role.lower().startswith(("ministre", "premier ministre")):
        return national_actor("government", nationality_country(role, country))
    return None


def _post(text: str, start: int, end: int, sent_lo: int, sent_hi: int, mentions: list[Mention],
          actors: dict[str, Actor], national_actor: NationalActor, country: str | None,
          new: dict[str, Actor]) -> tuple[str | None, str | None, str | None]:
    """(title, role, organization) read around the name at ``text[start:end]``."""
    left = text[sent_lo:start]
    title = role = org = None
    rank = _RANK_BEFORE_RE.search(left)
    if rank:
        title = rank.group("title").lower()
        left = left[:rank.start("title")]
        left = _TRAILING_DET_RE.sub("", left.rstrip()) + " "
    before = _POSS_BEFORE_RE.search(left.rstrip() + " ") or _ROLE_BEFORE_RE.search(left.rstrip() + " ")
    after = _ROLE_AFTER_RE.match(text, end, sent_hi)
    if before:
        role, rlo, rhi = before.group("role").strip(), sent_lo + before.start("role"), sent_lo + before.end("role")
    elif after:
        role, rlo, rhi = after.group("role").strip(), after.start("role"), after.end("role")
    if role:
        org = _organization(text, rlo, rhi, role, mentions, actors, national_actor, country, new)
        if before is not None and "poss" in before.re.groupindex:
            prev = [c for c in candidates(text, max(0, sent_lo - 400), sent_lo + before.start("poss"), mentions, actors,
                                          {}, national_actor, country) if c.source.kind == "actor"]
            if prev:
                org = org or prev[-1].source.key
                det = _LAST_DET_RE.search(text, max(0, prev[-1].start - 4), prev[-1].start)
                de = _CONTRACT.get(det.group(1).lower(), "de l'") if det else "de"
                sep = "" if de.endswith("'") else " "
                role = f"{role} {de}{sep}{text[prev[-1].start:prev[-1].end]}"  # "son directeur" -> "directeur de X"
        if title is None:
            t = _TITLE_START_RE.match(role)
            title = t.group("title").lower() if t else None
        role = role.replace("’", "'")
    return title, role, org


def _trimmed(text: str, a: int, b: int) -> Span:
    """``[a, b)`` without surrounding whitespace."""
    inner = text[a:b]
    a += len(inner) - len(inner.lstrip())
    return Span(a, a + len(inner.strip()))


def find_spokespersons(doc: Doc, mentions: list[Mention], actors: dict[str, Actor], persons: dict[str, Person], *,
                       national_actor: NationalActor = no_national_actor, country: str | None = None) -> Spokespeople:
    """Speakers with their post, and every quote or reported speech with its speaker and span."""
    text = doc_text(doc)
    rows, speakers = read_document(doc, mentions, actors, persons, national_actor=national_actor, country=country)
    # a surname-only person ("a ajouté Dembele") is the full-name person whose name ends with it
    full = {k: p for k, p in persons.items() if len(p.name.split()) > 1}
    alias_of: dict[str, str] = {}
    for k, p in persons.items():
        if len(p.name.split()) == 1:
            alias_of[k] = next((fk for fk, fp in full.items() if fp.name.split()[-1].lower() == p.name.lower()), k)

    def canon(s: Source) -> Source:
        if s.kind == "person" and s.key in alias_of and alias_of[s.key] in persons:
            return Source("person", alias_of[s.key], persons[alias_of[s.key]].name)
        return s

    speaking = {canon(s).key for _, _, found in rows for s in found if s.kind == "person"}
    speaking |= {canon(s).key for s in speakers.values() if s.kind == "person"}
    new: dict[str, Actor] = {}
    out: dict[str, Person] = {}
    sentences = [(lo, hi) for lo, hi, _ in rows]
    for key in sorted(speaking):
        person = persons.get(key)
        if person is None or len(person.name.split()) < 2:
            continue  # a bare surname we could not link to a full name
        spans = sorted(m for m in mentions if m.kind == "person" and alias_of.get(m.key, m.key) == key)
        post: tuple[str | None, str | None, str | None] = (None, None, None)
        for m in spans:
            lo, hi = next(((a, b) for a, b in sentences if a <= m.start < b), (0, len(text)))
            post = _post(text, m.start, m.end, lo, hi, mentions, actors, national_actor, country, new)
            if any(post):
                break
        surname = person.name.split()[-1]
        extra = [Span(x.start(), x.end()) for x in re.finditer(rf"(?<![\w-]){re.escape(surname)}(?![\w-])", text)
                 if not any(m.start <= x.start() < m.end for m in mentions)]
        aliases = list(person.aliases) + ([surname] if extra and surname not in person.aliases else [])
        out[key] = dataclasses.replace(
            person, title=person.title or post[0], role=person.role or post[1],
            organization=person.organization or post[2], aliases=aliases,
            mentions=sorted(set(person.mentions) | {Span(m.start, m.end) for m in spans} | set(extra)))
    statements: list[Statement] = []
    quotes = quote_spans(text)
    for qs, qe in quotes:
        if qs in speakers:
            span = _trimmed(text, qs + 1, qe - 1)
            statements.append(Statement(canon(speakers[qs]), text[span.start:span.end], span))
    for lo, hi, found in rows:
        inside = any(min(hi, qe) - max(lo, qs) >= (hi - lo) / 2 for qs, qe in quotes)
        if found and not inside and speech_verbs(text, lo, hi):
            span = _trimmed(text, lo, hi)
            statements.append(Statement(canon(found[0]), text[span.start:span.end], span))
    statements.sort(key=lambda s: s.span)
    return Spokespeople(out, statements, new)
