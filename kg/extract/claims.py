"""Claims and denials of responsibility, with who relayed them and the group's own outlet.

A claim is a speech act by an armed group about an event: "X a revendiqué l'attaque", "revendiquée
par X", "dans une revendication", "X affirme avoir mené …", "X a déclaré que sa branche Y avait mené
l'attaque", "X s'est présenté comme l'auteur", "X a reconnu être l'auteur". A denial ("a démenti",
"nie toute responsabilité", "a rejeté toute implication", "s'est démarqué") is a claim with
``denial=True``. A suspicion ("soupçonné", "attribué à", "zone d'action de") is not a claim, nor is a
negated one ("Aucun groupe n'a revendiqué"). The claimant must be an ``armed_group`` actor.

The *relay* is an outlet that passed the claim on (SITE, RFI, Al-Akhbar, MENASTREAM: "relayé par",
"selon une traduction de", "transmis à l'agence", "a signalé le site"); the *channel* is the group's own
voice ("sa plateforme de propagande Az-Zallaqa", "via son organe Amaq", "dans les colonnes d'Al-Naba,
l'hebdomadaire de l'organisation").
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import NamedTuple

from spacy.tokens import Doc

from kg.extract.attribution import (A, Cand, attached, candidates, doc_text, prepositional, sentence_spans,
                                    speech_subject)
from kg.extract.model import Actor, Claim, Mention, Span


class ClaimsFound(NamedTuple):
    """Claims, the executing sub-group of each (parallel list: "sa branche Katiba Macina avait mené
    l'attaque" -> claimant JNIM, executor Katiba Macina; gold lists both as attackers), and the new
    actors minted for group outlets that no entity mention covered (key -> Actor, type media)."""

    claims: list[Claim]
    executors: list[str | None]
    actors: dict[str, Actor]


_VERB_END = r"(?:e|es|ent|ait|aient|é|ée|és|ées|ant|era|erait)"
_SAY = r"(?:affirm|déclar|assur|annon[cç]|indiqu|précis)"
_DID = r"(?:mené|perpétré|commis|exécuté|conduit|lancé|organisé)"
_CLAIM_RE = re.compile(
    rf"\brevendiqu{_VERB_END}\b|\b(?:une|la|sa|leur|cette)\s+revendication\b"
    rf"|s{A}(?:est|était|sont)\s+présenté(?:e|s|es)?\s+comme\s+(?:l{A}|les?\s+)auteurs?"
    rf"|\breconn(?:u|ue|aît|ait|aissent)\s+(?:être|avoir\s+été)\s+(?:l{A}|les?\s+)auteurs?"
    rf"|\b(?:assum|endoss)\w*\s+(?:la|sa|l{A}entière)\s+(?:paternité|responsabilité)"
    rf"|\b{_SAY}{_VERB_END}\s+(?:avoir|qu{A}\s*(?:il|elle|ils|elles)\s+(?:a|avait|ont|avaient))\s+{_DID}"
    rf"|\b{_SAY}{_VERB_END}\s+[^.;]{{0,60}}?\bque\s+(?:sa|son|ses|leurs?)\s+[^.;]{{0,50}}?"
    rf"\b(?:a|avait|ont|avaient)\s+{_DID}", re.I)
_DENIAL_RE = re.compile(
    rf"\b(?:dément(?:ait|aient|ent)?|démenti(?:e|s)?|nié|nie|nient|niait|niant"
    rf"|rejet(?:te|tent|é|ait|aient|ant)\s+(?:[\w’']+\s+){{0,3}}?(?:toute|sa|leur|une quelconque)\s+"
    rf"(?:implication|responsabilité|participation)"
    rf"|s{A}(?:est|était|sont)\s+démarqué(?:e|s|es)?|se\s+démarqu(?:e|ent|ait)|désavou\w+)\b", re.I)
_NEGATED_RE = re.compile(rf"(?:\bn{A}|\bne\b|\baucun\w*|\bnon\b|\bsans\b|\bjamais\b|\bpas\b)[^.;,]{{0,30}}$", re.I)
_PASSIVE_RE = re.compile(r"\s+par\s+", re.I)
_UNIT_RE = re.compile(
    rf"\b(?:(?:sa|son|ses|leur)\s+(?:plateforme|organe|unité|agence|canal|bras|service|cellule|hebdomadaire|journal)"
    rf"(?:\s+(?:de\s+propagande|médiatique|de\s+communication|d{A}information|officiel(?:le)?))?"
    rf"|(?:unité|organe|plateforme|agence|bras)\s+(?:médiatique|de\s+propagande))\s*", re.I)
_OWN_OUTLET_RE = re.compile(  # "Al-Naba, l'hebdomadaire de l'organisation": the group's own outlet
    rf"^\s*,\s*(?:l{A}|le |la )?(?:hebdomadaire|organe|agence|journal|plateforme|unité|revue)\b[^,.;]{{0,40}}"
    rf"\b(?:(?:de l{A}|du |de la )(?:organisation|groupe|mouvement|mouvance|alliance|coalition)"
    rf"|(?:de |d{A})(?:son|sa|leur)\b)", re.I)
# Outlets run by the groups themselves (well-known names; new Actors when no mention covers them).
_KNOWN_UNITS_RE = re.compile(
    r"\b(?:A[zl]-Zallaqa|Zallaqa|A['’]?maq|A[ln]-Naba['’]?a?|Thabat|Al-Andalus|Al-Furqan|Al-Hayat)\b")
_RELAY_CUE_RE = re.compile(
    rf"(?:relayé|rapporté|traduit|diffusé|publié|transmis|adressé|envoyé|authentifié|repéré|signalé|consulté)"
    rf"(?:e|s|es)?\s+(?:par|à|auprès de)\s+|\bselon\s+|\btraduction\s+(?:de|d{A})\s*|\bvia\s+"
    rf"|\ba\s+(?:signalé|rapporté|indiqué)\s+",
    re.I)
_SAME_TEXT_RE = re.compile(r"\b(?:dans|par)\s+(?:le|ce)\s+même\s+(?:texte|communiqué|message|enregistrement)\b", re.I)
_EXECUTOR_RE = re.compile(
    r"\b(?:sa|son|leur)\s+"
    r"(?=(?:branche|katiba|filiale|brigade|unité|cellule|faction|franchise|wilaya|province|groupe)\b)",
    re.I)
_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")
_NAME_RE = re.compile(r"[A-ZÀ-Ý][\w'’-]*(?:\s+[A-ZÀ-Ý][\w'’-]*){0,3}")


def slug(name: str) -> str:
    """Key for a minted actor: lowercase ASCII words joined by hyphens ("Az-Zallaqa" -> "az-zallaqa")."""
    s = unicodedata.normalize("NFKD", name.replace("’", "'"))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return _NON_ALNUM_RE.sub("-", s).strip("-")


def _is_group(c: Cand, actors: dict[str, Actor]) -> bool:
    actor = actors.get(c.source.key)
    return c.source.kind == "actor" and actor is not None and actor.type == "armed_group"


def _outlets(text: str, lo: int, hi: int, cands: list[Cand], actors: dict[str, Actor],
             new: dict[str, Actor]) -> tuple[str | None, str | None, set[int]]:
    """(relay key, channel key, start offsets of the outlet candidates) in ``text[lo:hi]``."""
    channel: str | None = None
    used: set[int] = set()
    for m in _UNIT_RE.finditer(text, lo, hi):
        c = attached(cands, m.end(), text, 1)
        if c is not None and c.source.kind == "actor":
            channel = c.source.key
            used.add(c.start)
            break
        name = _NAME_RE.match(text, m.end())
        if name and not any(c.start <= name.start() < c.end for c in cands):
            key = slug(name.group(0))
            new.setdefault(key, Actor(key, name.group(0), "media", mentions=[Span(name.start(), name.end())]))
            channel = key
            break
    for c in cands:
        actor = actors.get(c.source.key)
        if channel is None and actor is not None and c.source.kind == "actor" and actor.type in ("media", "other") \
                and (_KNOWN_UNITS_RE.fullmatch(text[c.start:c.end]) or _OWN_OUTLET_RE.match(text[c.end:c.end + 80])):
            channel = c.source.key
            used.add(c.start)
    if channel is None:
        for m in _KNOWN_UNITS_RE.finditer(text, lo, hi):
            if not any(c.start <= m.start() < c.end for c in cands):
                key = slug(m.group(0))
                new.setdefault(key, Actor(key, m.group(0), "media", mentions=[Span(m.start(), m.end())]))
                channel = key
                break
    media = [c for c in cands if c.start not in used and c.source.kind == "actor" and c.media
             and c.source.key != channel]
    cued = [c for c in media if _RELAY_CUE_RE.search(text[max(lo, c.start - 60):c.start])]
    relay = (cued or media)[0].source.key if (cued or media) else None
    used.update(c.start for c in media)
    return relay, channel, used


def _claimant(doc: Doc, lo: int, hi: int, m: re.Match, cands: list[Cand], actors: dict[str, Actor],
              skip: set[int]) -> Cand | None:
    """The armed group making the claim or denial matched at ``m``: "revendiqué par X", else the subject
    of the verb, else the first armed group of the sentence that is not inside a prepositional phrase."""
    text = doc_text(doc)
    groups = [c for c in cands if _is_group(c, actors) and c.start not in skip]
    if _PASSIVE_RE.match(text, m.end()):
        c = attached(groups, m.end(), text, 3)
        if c is not None:
            return c
    sub, _ = speech_subject(doc, text, lo, hi, m, cands, only=lambda c: _is_group(c, actors) and c.start not in skip)
    if sub is not None:
        return sub
    free = [c for c in groups if not prepositional(c, text, lo)]
    return (free or groups or [None])[0]


def _executor(text: str, lo: int, hi: int, cands: list[Cand], actors: dict[str, Actor], claimant: str) -> str | None:
    """"sa branche Y", "au nom de sa katiba Y": the sub-group said to have carried the attack out."""
    for m in _EXECUTOR_RE.finditer(text, lo, hi):
        for c in cands:
            if m.end() <= c.start <= m.end() + 25 and _is_group(c, actors) and c.source.key != claimant:
                return c.source.key
    return None


def find_claims(doc: Doc, mentions: list[Mention], actors: dict[str, Actor], *,
                event_at: Callable[[int], str | None]) -> ClaimsFound:
    """Claims and denials of responsibility in ``doc``, one per (claimant, event, denial).

    ``event_at(offset)`` gives the event the sentence at ``offset`` refers to (called with the trigger's
    offset). A sentence opening "Dans le même texte" inherits the previous claim's relay and channel.
    """
    text = doc_text(doc)
    claims: list[Claim] = []
    executors: list[str | None] = []
    new: dict[str, Actor] = {}
    prev_outlets: tuple[str | None, str | None] = (None, None)
    for lo, hi in sentence_spans(text):
        triggers = [(m, False) for m in _CLAIM_RE.finditer(text, lo, hi)]
        triggers += [(m, True) for m in _DENIAL_RE.finditer(text, lo, hi)]
        if not triggers:
            continue
        cands = candidates(text, lo, hi, mentions, actors, {})
        minted: dict[str, Actor] = {}
        relay, channel, used = _outlets(text, lo, hi, cands, actors, minted)
        if _SAME_TEXT_RE.search(text, lo, hi):
            relay, channel = relay or prev_outlets[0], channel or prev_outlets[1]
        for m, denial in sorted(triggers, key=lambda t: t[0].start()):
            if _NEGATED_RE.search(text, max(lo, m.start() - 40), m.start()):
                continue  # "Aucun groupe n'a revendiqué", "n'a pas démenti"
            c = _claimant(doc, lo, hi, m, cands, actors, used)
            if c is None:
                continue
            event = event_at(m.start())
            same = next((i for i, k in enumerate(claims) if k.claimant == c.source.key and k.denial == denial
                         and (k.event == event or k.event is None or event is None)), None)
            if same is not None:
                k = claims[same]
                k.event, k.relay, k.channel = k.event or event, k.relay or relay, k.channel or channel
                executors[same] = executors[same] or _executor(text, lo, hi, cands, actors, c.source.key)
                new.update(minted)
                continue
            claims.append(Claim(c.source.key, event, Span(m.start(), m.end()), denial, relay, channel))
            executors.append(None if denial else _executor(text, lo, hi, cands, actors, c.source.key))
            new.update(minted)
        prev_outlets = (relay, channel) if (relay or channel) else prev_outlets
    return ClaimsFound(claims, executors, new)
