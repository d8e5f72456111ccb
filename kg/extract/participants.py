"""Attackers and targets of each event, from the sentences that speak of it.

Rules (ACLED-style actor coding): armed groups named in an event's sentences
are its attackers, state and international forces its targets, except in an
air or drone strike where the force is the attacker. Groups named only as the
parent of another ("lié à Al-Qaïda", "branche de l'État islamique"), as a
source ("selon l'armée") or in a denial are not participants. A target named
only by what was hit ("camp militaire", "poste de police", "gendarmerie",
"casques bleus") is the national force of the event's country.
"""
from __future__ import annotations

import re
from typing import Callable

from kg.extract.events import find_triggers
from kg.extract.model import Actor, CasualtyFigure, Event, Mention, Place

NationalFn = Callable[[str, str | None], str | None]

_LINK_BEFORE = re.compile(
    r"(?:li[ée]e?s? (?:à|a)|affili[ée]e?s? (?:à|a)|filiale (?:\w+ )?d[e']|branche d[ue']|allié?e?s? (?:à|de)|proches? d[ue']|"
    r"émanation d[ue']|membre d[ue']|issue? d[ue']|terrains? d'action d[ue']|zone d'action d[ue']|"
    r"groupe affilié au|ralliés? à|allégeance à|soupçonn\w* d[ue']|suspect\w*|attribu\w* (?:à|au)|"
    r"selon|d'après|cités? par|relay\w* par|traduction d[ue']|démenti|par la voix d[ue'])\s*(?:la |le |l'|les |du |de la |des )?$"
)
_HIT_ARMY = re.compile(r"\b(?:camps? militaires?|bases? militaires?|camps? de l'armée|positions?(?: de l'armée| militaires?)?|"
                       r"postes? militaires?|patrouilles?|convois? (?:militaires?|de l'armée|de ravitaillement)|"
                       r"détachements?|unités? de l'armée|soldats|militaires|garnisons?|casernes?|troupes)\b")
_HIT_POLICE = re.compile(r"\b(?:postes? de police|commissariats?|policiers|agents de police)\b")
_HIT_GENDARMERIE = re.compile(r"\b(?:gendarmeries?|brigades? de gendarmerie|gendarmes)\b")
_HIT_UN = re.compile(r"\b(?:casques bleus|soldats de la paix|camp de la minusma|base de la minusma|onu)\b")

_ATTACKING = ("armed_group",)
# suspicion is not attribution: "les soupçons se portent sur X", "attribuée à X", "zone d'action de X"
_SUSPICION = re.compile(r"\b(?:soupçon\w*|suspect\w*|attribu\w*|imput\w*|accus\w*|pointent|pointé du doigt|"
                        r"terrains? d'action|zones? d'action|où opèrent|où sévit|où sévissent|présumée?s?|"
                        r"aucun groupe|n'a pas été revendiqu\w*|pas été revendiqu\w*)\b")
_DEFENDING = ("state_force", "international_force")


_COORDINATED = re.compile(r"\s*(?:et|ou)\s*(?:à |a |de |d'|au |aux )?(?:la |le |l'|les )?$")


def _linked(text: str, m: Mention, mentions: list[Mention]) -> bool:
    """The actor is named as someone's parent or ally, a source, or a suspect, not as a participant."""
    before = text[max(0, m.start - 45):m.start].lower().replace("’", "'")
    if _LINK_BEFORE.search(before):
        return True
    # "liés à Al-Qaïda et à l'État islamique": the second group is linked like the first
    prev = [p for p in mentions if p.kind == "actor" and p.end <= m.start and m.start - p.end < 12]
    if prev and _COORDINATED.fullmatch(text[prev[-1].end:m.start].lower().replace("’", "'")):
        return _linked(text, prev[-1], mentions)
    return False


_PASSIVE_AFTER = re.compile(r"^[\s,»”)]*(?:\w+\s+){0,3}?(?:a|ont|avait|avaient)\s+(?:\w+\s+)?(?:été|essuyé|subi|perdu)\b|"
                            r"^[\s,»”)]*(?:\w+\s+){0,3}?(?:est|sont|était|étaient)\s+(?:tombée?s?|visée?s?|ciblée?s?|attaquée?s?)\b")


# words that may stand between a trigger and what it hit: "l'attaque du camp de la MINUSMA", "ont attaqué les FAMa"
_OBJECT_PATH = re.compile(r"^[\s,]*(?:(?:contre|visant|sur|de|du|des|d'|à|au|aux|la|le|les|l'|un|une|camp|base|bases|"
                          r"position|positions|poste|postes|convoi|patrouille|colonne|unité|militaire|militaires|"
                          r"détachement|garnison|caserne|brigade|emprise|onusien|onusienne|ses|leurs|leur|son|sa)"
                          r"[\s,]*)*$")
_AIMED_BEFORE = re.compile(r"\b(?:visé|visaient|visait|ciblé|pris pour cible|contre|attaqué)\s+(?:[\w']+\s+){0,4}$")


def _hit(text: str, m: Mention, triggers) -> bool:
    """A force named as what was hit: after an attack trigger ("ont attaqué les FAMa", "l'attaque du camp de
    la MINUSMA"), or subject of a passive or of suffering ("la MINUSMA a été visée", "l'armée a perdu")."""
    if any(0 < m.start - t.end < 90 and _OBJECT_PATH.match(text[t.end:m.start].lower().replace("’", "'"))
           for t in triggers if t.type != "airstrike"):
        return True
    if _AIMED_BEFORE.search(text[max(0, m.start - 50):m.start].lower()):
        return True
    return bool(_PASSIVE_AFTER.match(text[m.end:m.end + 60].lower()))


def assign_participants(text: str, events: list[Event], sentence_events: list[tuple[int, int, list[str]]],
                        mentions: list[Mention], actors: dict[str, Actor], places: dict[str, Place],
                        figures: list[CasualtyFigure], national: NationalFn, country: str | None,
                        source_keys: Callable[[int, int], set[str]]) -> None:
    """Fill ``attackers`` and ``targets`` of each event in place."""
    by_id = {e.id: e for e in events}
    for s_start, s_end, ids in sentence_events:
        if not ids:
            continue
        sources = source_keys(s_start, s_end)
        s_text = text[s_start:s_end]
        low = s_text.lower().replace("’", "'")
        if re.search(r"\b(?:démenti|dément|rejet\w*(?:\s+[\w']+){0,3}\s+toute|nie |nié)\b", low):
            continue
        triggers = find_triggers(s_text, s_start)
        suspected = bool(_SUSPICION.search(low))
        for m in mentions:
            if not (s_start <= m.start < s_end) or m.kind != "actor" or m.key in sources:
                continue
            actor = actors.get(m.key)
            if actor is None or _linked(text, m, mentions):
                continue
            for eid in ids:
                ev = by_id[eid]
                if actor.type in _ATTACKING and ev.type == "airstrike":
                    if m.key not in ev.targets:
                        ev.targets.append(m.key)  # the strike hit the group
                elif actor.type in _ATTACKING:
                    if m.key not in ev.attackers and not suspected:
                        ev.attackers.append(m.key)
                elif actor.type in _DEFENDING and ev.type == "airstrike":
                    if m.key not in ev.attackers:
                        ev.attackers.append(m.key)
                elif actor.type in _DEFENDING and _hit(text, m, triggers):
                    if m.key not in ev.targets:
                        ev.targets.append(m.key)
        forces = [m for m in mentions if m.kind == "actor" and s_start <= m.start < s_end and m.key in actors
                  and actors[m.key].type in _DEFENDING]
        for eid in ids:
            ev = by_id[eid]
            if ev.type in ("airstrike", "massacre", "abduction"):
                continue
            ev_country = places[ev.place].country if ev.place and ev.place in places else country
            for rx, kind in ((_HIT_POLICE, "police"), (_HIT_GENDARMERIE, "gendarmerie"), (_HIT_UN, "un_mission"),
                             (_HIT_ARMY, "army")):
                hit = rx.search(low)
                # "une patrouille de Barkhane": the named force, not the national army
                if hit and any(0 <= f.start - (s_start + hit.end()) < 25 for f in forces):
                    continue
                if hit:
                    key = national(kind, ev_country)
                    if key and key not in ev.targets and key not in ev.attackers:
                        ev.targets.append(key)
                    break
    # airstrikes with no named force: the national air force's army when the text says "aérienne" of the army
    for f in figures:
        if f.aggregate or len(f.events) != 1:
            continue
        ev = by_id.get(f.events[0])
        if ev is None or ev.type in ("airstrike", "massacre", "abduction") or ev.targets:
            continue
        kind = {"soldier": "army", "police": "police", "peacekeeper": "un_mission"}.get(f.category)
        if kind:
            ev_country = places[ev.place].country if ev.place and ev.place in places else country
            key = national(kind, ev_country)
            if key and key not in ev.attackers:
                ev.targets.append(key)
    for ev in events:
        if ev.type == "airstrike" and not ev.attackers:
            ev_country = places[ev.place].country if ev.place and ev.place in places else country
            key = national("army", ev_country)
            if key:
                ev.attackers.append(key)
