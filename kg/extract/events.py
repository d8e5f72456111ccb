"""Events of a document: triggers, event coreference, place, date, participants, outcome.

One pass over the sentences keeps a discourse focus (the event last spoken
about). A trigger ("ont attaqué", "embuscade", "frappe aérienne", "enlevés",
"massacre") with a named place makes or updates the event at that place; a
trigger without a place refers to the focused event when the types agree, and
makes a place-less event only when it is a new kind of incident told in the
singular. Plural mentions without a place ("deux attaques", "toutes les
attaques") never make an event: figures in such sentences are aggregates.
Denials, threats and shows of force make no event (SEM: sem:Event is an
occurrence, not a statement about one).
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from kg.extract.model import Event, EventType, Mention, Place, Span

# trigger regex -> (type, specificity). Order matters only for equal positions.
_TRIGGERS: list[tuple[str, EventType, int]] = [
    (r"frappes? a[ée]riennes?|frappes? de drones?|bombardements? a[ée]riens?|raids? a[ée]riens?|poursuite a[ée]rienne|"
     r"frappes? aériennes|par (?:un |des )?drones?|frappes? (?:de l'armée|de la force|françaises?|de barkhane|menées?)|"
     r"a[ée]ronefs? (?:ont|a) (?:frappé|bombardé)|hélicoptères? (?:ont|a) (?:frappé|ouvert le feu)|"
     r"vecteurs? aériens?|(?:a|ont|avait|avaient) (?:\w+ )?bombardé|l'aviation|armée de l'air|"
     r"avions? de chasse|hélicoptères? de combat|aéronefs?", "airstrike", 3),
    (r"engins? explosifs?(?: improvisés?)?|\bieds?\b|\beei\b|mines?(?: artisanales?| antipersonnel)?\b(?! d'or)|"
     r"voitures?[- ]piégées?|v[ée]hicules? piégés?|kamikazes?|attentats?[- ]suicides?|a sauté sur|explosion|"
     r"véhicules? kamikazes?", "explosion", 3),
    (r"embuscades?|tendu une embuscade|pris à partie|prise à partie|pris pour cible (?:un|le) convoi|"
     r"attaques? (?:d'un|du|contre un|contre le|d'une|contre une) (?:convoi|colonne|patrouille)", "ambush", 3),
    (r"massacres?|tueries?|carnage|exécutions? sommaires?|(?:ont |a |avant d'|pour )?(?:ouvert le feu|tiré) sur (?:les |des )?"
     r"(?:habitants|villageois|civils|fidèles|passagers|populations?|orpailleurs|commerçants)|"
     r"(?:abattu|abattre|exécuté|exécuter|massacré|massacrer|tué|tuer) (?:des|les|plusieurs|de nombreux) "
     r"(?:habitants|villageois|civils)", "massacre", 3),
    (r"enlèvements?|enlevée?s?|kidnapp\w+|rapt|pris en otage|prise en otage|prises en otage|pris en otages", "abduction", 2),
    (r"affrontements?|accrochages?|combats|échanges? de tirs", "clash", 1),
    (r"attaques?|attaquée?s?|attaquant|ont attaqué|a attaqué|assauts?|pris d'assaut|raids?|incursions?|offensives?|"
     r"ont surgi|a surgi|fait irruption|ouvert le feu|"
     r"attentats?|tirs? d'obus|obus|roquettes?|tirs? de mortiers?|assailli|assiégée?", "attack", 1),
]
_TRIGGER_RE = [(re.compile(rf"\b(?:{pat})\b"), etype, spec) for pat, etype, spec in _TRIGGERS]

_PLURAL = re.compile(
    r"\b(?:deux|trois|quatre|plusieurs|des|les|ces|toutes les|tous les|nombreu\w+|multiples|série d')\s*"
    r"(?:\w+\s+)?(?:attaques|embuscades|frappes|raids|assauts|massacres|enlèvements|attentats|incidents|tueries)\b"
)
_AGGREGATE = re.compile(
    r"\b(?:deux|trois|quatre|cinq|plusieurs|ces)\s+(?:\w+\s+)?(?:attaques|incidents|villages|localités|"
    r"raids|assauts|embuscades|frappes|opérations|actions)\b|\bau total\b|\ben tout\b|\bdepuis (?:le début|20\d\d|19\d\d|"
    r"janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)\b|\bbilan global\b|"
    r"\bensemble des\b|\bcumulé|\bau cours de (?:la journée|l'opération|cette opération)|\bdeux villages\b|"
    r"\bdeux localités\b|\bces deux\b|\bl'opération\b|\bau total\b"
)
_NON_EVENT = re.compile(
    r"\b(?:démonstration de force|survol|sans (?:frapper|tirer|faire usage)|menacée?s? d'|menace d'|menaces?|"
    r"a démenti|ont démenti|dément|rejet\w* toute|nié|condamn\w+|pour prévenir|risque d'|pourrait|craint\w*)\b"
)
_OTHER_TIME_CUES = r"une? autre|une nouvelle|un nouveau|la veille|le lendemain|déjà|précédente?|dernière?"
_OTHER_TIME = re.compile(rf"\b(?:{_OTHER_TIME_CUES})\b")
_NEW_INCIDENT = re.compile(rf"\b(?:{_OTHER_TIME_CUES}|un second|une seconde|également|aussi|le même jour)\b")
_REPELLED = re.compile(r"\b(?:repouss\w+|mis en déroute|mettre en déroute|déjou\w+|contenu\w* l'attaque|"
                       r"mis en échec|en fuite)\b")
_BACKGROUND = re.compile(r"\b(?:avait|avaient|déjà|précédente|rappel\w+|en 20\d\d|l'an dernier|l'année dernière|"
                         r"il y a|dernier|dernière)\b")
# a place named only as a reference point or an administrative frame, not as the scene
_REF_BEFORE = re.compile(
    r"(?:\bkm|kilomètres?|\bmiles?)\s*(?:\)\s*)?(?:au |à l'|à la )?(?:nord|sud|est|ouest|nord-est|nord-ouest|sud-est|sud-ouest)?"
    r"(?:[- ](?:est|ouest))?\s*(?:de la |du |de l'|d'|de |des )?(?:capitale |ville de |localité de |commune de )?$"
    r"|\b(?:région|cercle|province|département|préfecture|commune|zone|district|wilaya)\s+(?:de la |du |de l'|d'|de |des )?$"
    r"|\b(?:vers|en direction d[eu']|entre|route|axe|reliant|capitale|ministre|gouvernement|armée|président)\s*"
    r"(?:de la |du |de l'|d'|de |des )?$"
)
_NEAR_BEFORE = re.compile(r"\b(?:près d[eu']|non loin d[eu']|aux environs d[eu']|à proximité d[eu']|environs d[eu']|"
                          r"périphérie d[eu']|\d+\s*km\s+d[eu']|kilomètres? d[eu'])\s*(?:la |l')?$")
_MERGE_KM = 20.0
_BETWEEN = re.compile(r"\b(?:entre|reliant|axe)\s+(?:la localité de |le village de |la ville de )?[A-ZÀ-Ý][\w'’ -]{1,30}\s+"
                      r"(?:et|à|-)\s*(?:de |d')?$", re.I)
_ADMIN_HEAD = re.compile(r"^(?:région|cercle|province|département|commune|préfecture|district|wilaya)\b")


@dataclass
class Trigger:
    type: EventType
    start: int
    end: int
    specificity: int
    plural: bool


@dataclass
class SentenceInfo:
    """What one sentence says: span, text, and which events it refers to."""

    start: int
    end: int
    text: str
    paragraph: int
    events: list[str] = field(default_factory=list)
    aggregate: bool = False


_MEANS_BEFORE = re.compile(r"(?:emploi|usage|utilisation|recours)\s+(?:de la |de l'|des |du |de |d')?(?:\w+\s+)?$|"
                           r"(?:à l'aide|au moyen|à bord|à coups?)\s+(?:de la |de l'|des |du |de |d')?$|"
                           r"(?:marquée?s?|accompagnée?s?) (?:par|de) (?:des |de |d')?(?:\w+\s+){0,3}$|\bavec (?:des |un |une )$")


def find_triggers(sentence: str, offset: int = 0) -> list[Trigger]:
    """Event triggers of a sentence, one per position, the most specific type winning overlaps.

    A weapon or means named inside another incident ("l'emploi de véhicules kamikazes", "marqués par des
    tirs d'artillerie") is no trigger of its own."""
    low = sentence.lower().replace("’", "'")
    hits: list[Trigger] = []
    for rx, etype, spec in _TRIGGER_RE:
        for m in rx.finditer(low):
            if _MEANS_BEFORE.search(low[max(0, m.start() - 50):m.start()]):
                continue
            plural = bool(_PLURAL.search(low[max(0, m.start() - 30):m.end()]))
            hits.append(Trigger(etype, offset + m.start(), offset + m.end(), spec, plural))
    hits.sort(key=lambda t: (t.start, -t.specificity))
    kept: list[Trigger] = []
    for t in hits:
        if kept and t.start < kept[-1].end:
            continue
        kept.append(t)
    return kept


def km(a: Place, b: Place) -> float | None:
    """Great-circle distance between two places with coordinates."""
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


def scene_places(text: str, sent_start: int, mentions: list[Mention], places: dict[str, Place],
                 skip: set[tuple[int, int]] | None = None) -> list[tuple[Mention, str]]:
    """Places of a sentence that can be an event's scene, with precision (exact/near/region/country)."""
    out: list[tuple[Mention, str]] = []
    for m in mentions:
        if m.kind != "place" or (skip and (m.start, m.end) in skip):
            continue
        place = places.get(m.key)
        if place is None:
            continue
        if _ADMIN_HEAD.match(text[m.start:m.end].lower()):  # "commune de Banibangou": a frame, not the scene
            out.append((m, "region"))
            continue
        before = text[max(0, m.start - 60):m.start].lower().replace("’", "'")
        if _BETWEEN.search(before):
            # "entre Boni et Hombori": a stretch of road, not a site; its region is the place (when known)
            region = _region_of(place, places)
            if region is not None:
                out.append((Mention(m.start, m.end, "place", region), "region"))
            continue
        if _REF_BEFORE.search(before):
            if place.kind in ("region", "county") and re.search(r"(?:région|province|cercle|département)\s+(?:de la |du |de l'|d'|de |des )?$", before):
                out.append((m, "region"))
            continue
        if place.kind == "country":
            out.append((m, "country"))
        elif place.kind in ("region", "county", "area"):
            out.append((m, "region"))
        elif _NEAR_BEFORE.search(before):
            out.append((m, "near"))
        else:
            out.append((m, "exact"))
    return out


def _region_of(place: Place, places: dict[str, Place]) -> str | None:
    """Key of the region (first-level unit) a place lies in, among the document's places."""
    return next((k for k in place.within if k in places and places[k].kind == "region"), None)


def best_scenes(cands: list[tuple[Mention, str]]) -> list[tuple[Mention, str]]:
    """Most specific scene candidates: localities first, then regions; countries never make a scene."""
    chosen = [c for c in cands if c[1] in ("exact", "near")]
    if chosen:
        return chosen
    # "la commune de A, dans le cercle de B, région de C": one frame, the most specific (first) named
    return [c for c in cands if c[1] == "region"][:1]


class EventBuilder:
    """Keeps the events of one document and the discourse focus while sentences are read."""

    def __init__(self, places: dict[str, Place]) -> None:
        self.places = places
        self.events: list[Event] = []
        self.focus: Event | None = None

    def _new_id(self) -> str:
        return f"e{len(self.events) + 1}"

    def same_place(self, a: str | None, b: str | None) -> bool:
        if a is None or b is None:
            return False
        if a == b:
            return True
        pa, pb = self.places.get(a), self.places.get(b)
        if pa and pb and pa.kind == "locality" and pb.kind == "locality":
            d = km(pa, pb)
            return d is not None and d <= _MERGE_KM
        return False

    def find(self, etype: EventType, place: str | None, date: dt.date | None, *, allow_new_date: bool) -> Event | None:
        """An existing event with the same (or a nearby) place, compatible date and type."""
        for ev in reversed(self.events):
            if not self.same_place(ev.place, place):
                continue
            if date and ev.date and date != ev.date:
                continue
            if not allow_new_date and date is None and ev.background:
                continue
            if compatible(ev.type, etype):
                return ev
        return None

    def add(self, etype: EventType, trigger: Span, sentence: Span, *, place: str | None = None,
            place_precision: str | None = None, place_span: Span | None = None, background: bool = False) -> Event:
        ev = Event(id=self._new_id(), type=etype, span=trigger, sentence=sentence, place=place,
                   place_precision=place_precision, place_span=place_span, background=background)
        self.events.append(ev)
        return ev


def compatible(a: EventType, b: EventType) -> bool:
    """Two event types can describe one incident (a generic attack fits any violent type)."""
    return a == b or "attack" in (a, b) or "clash" in (a, b) or {a, b} == {"massacre", "abduction"}


def refine_type(current: EventType, new: EventType) -> EventType:
    """Keep the more specific description of an incident (ambush over attack, airstrike over attack)."""
    rank = {"other": 0, "clash": 1, "attack": 2, "explosion": 3, "ambush": 3, "airstrike": 3, "massacre": 3,
            "abduction": 3}
    return new if rank[new] > rank[current] else current


def is_repelled(sentence: str) -> bool:
    return bool(_REPELLED.search(sentence.lower()))


def is_aggregate(sentence: str) -> bool:
    return bool(_AGGREGATE.search(sentence.lower().replace("’", "'")))


def is_non_event(sentence: str) -> bool:
    return bool(_NON_EVENT.search(sentence.lower().replace("’", "'")))


def is_background(sentence: str) -> bool:
    return bool(_BACKGROUND.search(sentence.lower().replace("’", "'")))


def is_new_incident(sentence: str) -> bool:
    return bool(_NEW_INCIDENT.search(sentence.lower().replace("’", "'")))


def is_other_time(sentence: str) -> bool:
    """A new incident told as happening at another time ("la veille", "une autre attaque"), unlike one told
    beside the last ("un convoi avait également été pris à partie à Katia"), which shares its day."""
    return bool(_OTHER_TIME.search(sentence.lower().replace("’", "'")))
