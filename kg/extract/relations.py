"""Links between organisations as the text states them: branch of, affiliated with.

Text cues decide ("X, branche du groupe Y" and "sa branche X" -> X part of Y;
"X, lié / affilié à Y", "filiale d'Y" -> X affiliated with Y). The gazetteer's
``part_of`` is kept only when both organisations are named in the document and
the text says nothing else about the pair (MINUSMA part of the UN). The
gazetteer's looser ``affiliated_with`` lists are background knowledge, not
something the document says, so they stay out of the document's graph.
"""
from __future__ import annotations

import re

from kg.extract.model import Actor, Mention

_PART_AFTER = re.compile(r"^\s*[,()]*\s*(?:la |l'|une |un )?(?:branche|faction|katiba|unité|cellule|aile|composante|"
                         r"plateforme de propagande|organe de propagande|agence de propagande|organe|hebdomadaire|"
                         r"contingent|division|bras armé)\b(?:\s+\w+)?\s+(?:de la |de l'|du |des |de |d')(?:groupe |organisation |"
                         r"mouvement |coalition )?$")
_AFFILIATED_AFTER = re.compile(r"^\s*[,()]*\s*(?:(?:une |un |la |le |l')?(?!les |des )(?:[\w'),]+\s+){0,9})?(?:lié|liée|liés|liées|affilié|affiliée|"
                               r"affiliés|affiliées|filiale|proche|allié|alliée|alliés)\s*(?:\w+\s+)?(?:à la |à l'|au |aux |à |de la |"
                               r"de l'|du |des |de |d')(?:groupe |organisation |mouvement |réseau )?$")
_POSSESSIVE_PART = re.compile(r"\b(?:sa|leur|son)\s+(?:branche|katiba|filiale|unité|plateforme de propagande|"
                              r"organe de propagande|agence de propagande|organe|agence|faction)\s*(?:\w+\s+)?$")


_LINK_BEFORE = re.compile(r"(?:lié|liée|liés|liées|affilié|affiliée|filiale|branche|proche|allié)\w*\s*(?:\w+\s+)?"
                          r"(?:à la |à l'|au |aux |à |de la |de l'|du |des |de |d')$")
# gazetteer part_of kept for these (child type, parent type): a mission of the UN, a group's outlet, a faction
_GAZETTEER_PART = {("international_force", "other"), ("media", "armed_group"), ("armed_group", "armed_group"),
                   ("other", "other"), ("international_force", "state_force"), ("state_force", "state_force"),
                   ("media", "other")}


def _norm(s: str) -> str:
    return s.lower().replace("’", "'")


def text_relations(text: str, sentences: list[tuple[int, int]], mentions: list[Mention],
                   actors: dict[str, Actor]) -> list[tuple[str, str, str]]:
    """(child key, "part_of" | "affiliated_with", parent key) triples stated in the text."""
    out: list[tuple[str, str, str]] = []
    acts = [m for m in mentions if m.kind == "actor" and m.key in actors]
    for s_start, s_end in sentences:
        in_sent = [m for m in acts if s_start <= m.start < s_end]
        for i, y in enumerate(in_sent):
            # X ... <cue> Y : the child is the closest other organisation before the cue
            before = [m for m in in_sent[:i] if m.key != y.key]
            for x in reversed(before):
                between = _norm(text[x.end:y.start])
                if len(between) > 110:
                    break
                if _PART_AFTER.match(between):
                    out.append((x.key, "part_of", y.key))
                    break
                if _AFFILIATED_AFTER.match(between) and actors[x.key].type not in ("media", "intelligence_firm"):
                    out.append((x.key, "affiliated_with", y.key))
                    break
            # "sa branche Katiba Macina": child y, parent = the subject organisation before it
            lead = _norm(text[max(s_start, y.start - 45):y.start])
            if _POSSESSIVE_PART.search(lead):
                owner = next((m for m in in_sent[:i] if m.key != y.key and actors[m.key].type in
                              ("armed_group", "state_force", "international_force", "government")
                              and not _LINK_BEFORE.search(_norm(text[max(s_start, m.start - 30):m.start]))), None)
                if owner is not None:
                    out.append((y.key, "part_of", owner.key))
            # "la filiale locale d'Al-Qaïda, JNIM": cue before Y, child right after it
            after_y = [m for m in in_sent[i + 1:] if m.key != y.key]
            lead_y = _norm(text[max(s_start, y.start - 40):y.start])
            if after_y and re.search(r"\b(?:filiale|branche)\s+(?:\w+\s+)?(?:d'|de |du |de la |de l')$", lead_y):
                x = after_y[0]
                if x.start - y.end < 60 and re.match(r"^[\s,:]*(?:\w+\s+){0,6}", _norm(text[y.end:x.start])):
                    kind = "part_of" if "branche" in lead_y else "affiliated_with"
                    out.append((x.key, kind, y.key))
    return list(dict.fromkeys(out))


def apply_relations(actors: dict[str, Actor], stated: list[tuple[str, str, str]]) -> None:
    """Set each actor's part_of / affiliated_with from the text, falling back on the gazetteer's part_of."""
    said_pairs = {frozenset((a, b)) for a, _, b in stated}
    gazetteer_part = {k: a.part_of for k, a in actors.items()}
    for a in actors.values():
        a.part_of, a.affiliated_with = None, []
    for child, rel, parent in stated:
        if child == parent or child not in actors or parent not in actors:
            continue
        if rel == "part_of":
            actors[child].part_of = parent
        elif parent not in actors[child].affiliated_with:
            actors[child].affiliated_with.append(parent)
    for key, parent in gazetteer_part.items():
        a = actors[key]
        if parent and parent in actors and a.part_of is None and frozenset((key, parent)) not in said_pairs:
            if (a.type, actors[parent].type) == ("state_force", "state_force"):
                a.affiliated_with.append(parent)  # auxiliaries (VDP) work with the army, not inside it
            elif (a.type, actors[parent].type) in _GAZETTEER_PART:
                a.part_of = parent
