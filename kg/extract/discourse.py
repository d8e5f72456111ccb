"""One reading pass over a document's sentences: events, their dates, figures and outcomes.

This is where the stage functions meet: triggers and scenes (kg.extract.events),
dates (kg.extract.dates), casualty figures (kg.extract.casualties) and the
sources of each sentence (kg.extract.attribution). The focus (the event last
spoken about) carries references across sentences.
"""
from __future__ import annotations

import bisect
import logging
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Callable

from kg.extract.casualties import find_figures
from kg.extract.dates import DateMention, find_dates
from kg.extract.events import (
    EventBuilder, SentenceInfo, best_scenes, compatible, find_triggers, is_aggregate, is_background,
    is_new_incident, is_non_event, is_other_time, is_repelled, refine_type, scene_places,
)
from kg.extract.model import CasualtyFigure, Event, Mention, Place, Source, Span

log = logging.getLogger(__name__)

SourcesFn = Callable[..., list[Source]]


@dataclass
class Reading:
    """Result of the pass: events, figures and what each sentence referred to."""

    events: list[Event]
    figures: list[CasualtyFigure]
    sentences: list[SentenceInfo] = field(default_factory=list)

    def event_at(self, offset: int) -> str | None:
        """Id of the event the sentence at ``offset`` refers to: its own last event, else (for an announcement
        like "a revendiqué deux attaques") the next sentence's in the paragraph, else the last one spoken of."""
        starts = [s.start for s in self.sentences]
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            return None
        here = self.sentences[i]
        if here.events:
            return here.events[-1]
        nxt = self.sentences[i + 1] if i + 1 < len(self.sentences) else None
        if nxt is not None and nxt.paragraph == here.paragraph and nxt.events:
            return nxt.events[0]
        for j in range(i - 1, -1, -1):  # the incident last spoken of, even in an earlier paragraph
            if self.sentences[j].events:
                return self.sentences[j].events[-1]
        return None


_DATELINE = re.compile(
    r"(?m)^[ \t]*(?:[A-ZÉÈÀÂÎÔÛ][\w’'.-]*(?:[ -][A-ZÉÈÀÂÎÔÛa-zé][\w’'.-]*){0,3})\s*(?:\([^)]{1,30}\))?\s*,\s*"
    r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?(?:le\s+)?\d{1,2}(?:er)?\s+\w+\.?\s+\d{4}\s*"
    r"(?:\([^)]{1,20}\)\s*)?[–—-]+\s*"
)


def datelines(text: str) -> list[tuple[int, int]]:
    """Spans of news datelines ("Niamey, 12 décembre 2019 –"): the place there is where the report was filed."""
    return [(m.start(), m.end()) for m in _DATELINE.finditer(text)]


_RECALLED = re.compile(r"\b(?:après|avant|depuis|suite à|à la suite d[eu']|au lendemain d[eu']|"
                       r"à la veille d[eu'])\s*(?:la |le |l'|les |cette |ce |ces )?$")
_UN_FORCE = re.compile(r"\b(?:casques bleus|minusma|minusca|monusco|mission (?:multidimensionnelle )?(?:intégrée )?"
                       r"des nations unies|mission de l'onu|soldats de la paix|onusien)")
_SPEECH_NEAR = re.compile(r"\b(?:a|ont|avait|avaient)\s+(?:\w+\s+)?(?:indiqué|déclaré|annoncé|affirmé|précisé|"
                          r"rapporté|assuré|confirmé|expliqué|dit|souligné|fait savoir|estimé)\s*$")
_THE_TOWN = re.compile(r"\b(?:aux abords|aux portes|aux environs|à l['’](?:entrée|intérieur|extérieur)|non loin|près|"
                       r"au (?:nord|sud|centre)(?:-(?:est|ouest))?|à l['’](?:est|ouest)|dans les environs|en périphérie)"
                       r"\s+(?:de\s+)?(?P<town>la ville|la localité|la commune|du village|de la ville|de la localité"
                       r"|de la commune)\b(?!\s+(?:de|d['’])\s)", re.I)
"""A town named only by its kind ("au nord-est de la ville"): the place of the incident just told."""
_SAME_DAY_CUE = re.compile(r"\b(?:plus tôt|plus tard|peu avant|peu après|dans la foulée|dans la (?:matinée|soirée|journée|nuit)|"
                           r"au même moment|simultanément|en parallèle)\b")
_TOLD_BEFORE = re.compile(r"\b(?:appris|indiqué|annoncé|déclaré|précisé|affirmé|rapporté|confirmé|expliqué|"
                          r"assuré|souligné|ajouté|dit|signalé|publié|diffusé|rendu public)\s*(?:ce |dans la nuit de |le )?$")
_CLAIM_WORDS = re.compile(r"\brevendi\w*|\bdémenti|\bdément\w*|\bcondamn\w*|\bdénonc\w*")
_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def _same_day(text: str, d: DateMention, anchor: dt.date | None) -> DateMention:
    """"le même vendredi" is the Friday of the incident just told (on or before its date), not of the week
    the report was published."""
    if anchor is None or not re.search(r"\bmême\s*$", text[max(0, d.start - 12):d.start].lower()):
        return d
    word = text[d.start:d.end].lower().split()[0]
    if word in _WEEKDAYS:
        back = (anchor.weekday() - _WEEKDAYS.index(word)) % 7
        return DateMention(anchor - dt.timedelta(days=back), "day", d.start, d.end, True)
    return d


def _trigger_for(triggers: list, live: list, m: Mention, text: str, s_start: int):
    """The trigger a scene belongs to: the closest one before it, unless that one only recalls an
    incident as a time reference and a live trigger is close ("avant la tuerie, la brigade de X avait
    été attaquée")."""
    before = next((t for t in reversed(triggers) if t.start < m.start), None)
    if before is not None and before in live:
        return before
    return min(live, key=lambda t: abs(t.start - m.start))


def _recalled(text: str, s_start: int, trigger) -> bool:
    """A trigger recalling an incident as a time reference ("après la tuerie", "avant l'attaque")."""
    return bool(_RECALLED.search(text[max(s_start, trigger.start - 30):trigger.start].lower().replace("’", "'")))


def _same_period(day: dt.date, mention: DateMention) -> bool:
    """Whether a date falls in the period a mention names (its day, month or year)."""
    if mention.date is None:
        return True
    if mention.precision == "year":
        return day.year == mention.date.year
    if mention.precision == "month":
        return (day.year, day.month) == (mention.date.year, mention.date.month)
    return day == mention.date


def _inside(places: dict[str, Place], key: str | None, regions: list[str]) -> bool:
    """Whether the place ``key`` lies in one of ``regions`` (or the regions cannot be compared)."""
    if key is None or key not in places:
        return False
    place = places[key]
    names = {places[r].name for r in regions if r in places}
    return any(r in place.within for r in regions) or bool(names & {place.admin1, place.admin2})


def _more_precise(new: Place | None, old: Place | None) -> bool:
    """A nearby place that pins the site better: a locality smaller than the town first named."""
    if new is None or old is None or new.kind != "locality" or old.kind != "locality":
        return False
    if new.lat is None:
        return False
    if new.population and old.population:
        return new.population < old.population
    # a regional capital (Mopti in the Mopti region) is a bigger, vaguer site than a town beside it
    return old.name == old.admin1 and new.name != new.admin1


def _paragraph_index(text: str) -> list[int]:
    return [m.start() for m in re.finditer(r"(?:^|\n)\s*\S", text)]


def _date_for(dates: list[DateMention], at: int) -> DateMention | None:
    """The absolute date mention of a sentence closest to a position."""
    usable = [d for d in dates if d.date is not None]
    if not usable:
        return None
    return min(usable, key=lambda d: abs(d.start - at))


_ANOTHER = re.compile(r"\b(?:une? autre|un second|une seconde|une nouvelle|un nouveau|le lendemain|la veille)\b")
_AT_PLACE = re.compile(r"^\s*(?:\w+\s+){0,2}?(?:à|au|dans|en|de|d')\s*(?:la |le |l'|les )?(?:localité |village |ville |commune )?(?:de |d')?$")


def _figure_places(text: str, found: list, s_mentions: list[Mention], places: dict[str, Place], skip: set,
                   builder: EventBuilder, s_text: str, dates: list[DateMention]) -> dict[int, Event | None]:
    """Figures followed by their place ("17 morts à Karou, 14 à Daoutégeft") -> the event at that place.

    When no event is known there yet, one is made like the document's focus event (same type and date):
    a per-place toll is the text saying that the place was hit."""
    out: dict[int, Event | None] = {}
    for f in found:
        following = [m for m in s_mentions if m.kind == "place" and m.start >= f.end - 1 and m.start - f.end < 30
                     and (m.start, m.end) not in skip]
        if not following:
            continue
        m = following[0]
        place = places.get(m.key)
        if place is None or place.kind not in ("locality", "area") or not _AT_PLACE.match(text[f.end:m.start].lower().replace("’", "'")):
            continue
        ev = next((e for e in reversed(builder.events) if e.place == m.key), None) or \
            next((e for e in reversed(builder.events) if builder.same_place(e.place, m.key)
                  and not any(o.place == e.place for o in out.values() if o is not None)), None)
        focus = builder.focus if builder.focus is not None and builder.focus.date else \
            next((e for e in builder.events if e.date and not e.background), builder.focus)
        if ev is None and focus is not None and f.status == "killed":
            ev = builder.add(focus.type, focus.span, Span(m.start, m.end), place=m.key, place_precision="exact",
                             place_span=Span(m.start, m.end))
            ev.date, ev.date_precision = focus.date, focus.date_precision
        out[f.start] = ev
    return out


def read_document(text: str, sentences: list[tuple[int, int]], mentions: list[Mention], places: dict[str, Place],
                  published: dt.date | None, sources_for: SourcesFn, *, title_end: int = 0) -> Reading:
    """Read sentences in order and build events and figures.

    ``sentences`` are (start, end) offsets; ``mentions`` are resolved entity
    mentions sorted by start; ``sources_for(start, end)`` gives the sources of
    a sentence (original first, relays after).
    """
    builder = EventBuilder(places)
    figures: list[CasualtyFigure] = []
    infos: list[SentenceInfo] = []
    para_starts = _paragraph_index(text)
    mention_starts = [m.start for m in mentions]
    para_date: dict[int, DateMention] = {}
    last_referred: list[Event] = []
    last_one_trigger = True
    para_sources: dict[int, list[Source]] = {}
    para_events: dict[int, list[Event]] = {}
    lines = datelines(text)
    skip = {(m.start, m.end) for m in mentions if any(a <= m.start < b for a, b in lines)}
    for s_start, s_end in sentences:
        s_text = text[s_start:s_end]
        para = bisect.bisect_right(para_starts, s_start)
        info = SentenceInfo(s_start, s_end, s_text, para)
        if infos and para != infos[-1].paragraph and builder.events:
            # a new paragraph without its own trigger speaks of the report's main incident again
            builder.focus = next((e for e in builder.events if not e.background), builder.events[0])
        infos.append(info)
        lo, hi = bisect.bisect_left(mention_starts, s_start), bisect.bisect_left(mention_starts, s_end)
        s_mentions = mentions[lo:hi]
        anchor = builder.focus.date if builder.focus else None
        same_day = re.search(r"\b(?:le|ce|du) même jour\b", s_text.lower())
        dates = [DateMention(anchor, "day", s_start + same_day.start(), s_start + same_day.end(), True)] \
            if same_day and anchor else []
        dates += [_same_day(text, DateMention(d.date, d.precision, d.start + s_start, d.end + s_start, d.relative), anchor)
                 for d in find_dates(s_text, published, anchor=anchor)
                 if not any(a <= d.start + s_start < b for a, b in lines)]
        # "tués lundi ..., a-t-on appris mercredi": the day of the telling is not the day of the incident
        told = [d for d in dates if _TOLD_BEFORE.search(text[max(s_start, d.start - 25):d.start].lower())]
        if told and len(told) < len(dates):
            dates = [d for d in dates if d not in told]
        in_title = s_start < title_end
        earlier_date = para_date.get(para)  # the last day named by an earlier sentence of the paragraph
        if dates and not in_title:
            para_date[para] = next((d for d in reversed(dates) if d.date and d.precision == "day"), para_date.get(para))
        triggers = [] if in_title else find_triggers(s_text, s_start)
        scenes = best_scenes(scene_places(text, s_start, s_mentions, places, skip))
        info.aggregate = is_aggregate(s_text)
        non_event = is_non_event(s_text)
        referred: list[Event] = []
        scene_triggers: set[int] = set()
        plural_focus = False
        if triggers:
            live = [t for t in triggers if not _recalled(text, s_start, t)] or triggers
            main = max(live, key=lambda t: (t.specificity, -t.start))
            # a sentence naming several scenes with a plural trigger speaks of one event per scene
            claim_ends = [s_start + m.end() for m in _CLAIM_WORDS.finditer(s_text.lower())]
            if claim_ends:  # "Ce jeudi, X a revendiqué l'assaut", "n'avait pas été revendiquée lundi": the claim's date
                dates = [d for d in dates if not any(d.end <= c <= main.start or 0 <= d.start - c < 25 for c in claim_ends)]
            all_dates = dates
            if _recalled(text, s_start, main) and len(triggers) == 1:
                dates = []  # "une semaine après la tuerie de X, samedi, ...": the date is not the incident's
            day0 = _date_for(dates, main.start)
            if scenes and all(p == "region" for _, p in scenes) and builder.focus is not None \
                    and _inside(places, builder.focus.place, [m.key for m, _ in scenes]) \
                    and (day0 is None or builder.focus.date in (None, day0.date)):
                scenes = []  # "de cette localité de la province du Yagha": the focused incident, located
            if scenes and not (non_event and not builder.events):
                for m, precision in scenes:
                    # each scene belongs to the trigger before it: "repoussé hier une offensive contre A, une
                    # semaine après deux attaques à B" -> A yesterday, B earlier and undated
                    trig = _trigger_for(triggers, live, m, text, s_start) if len(triggers) > 1 else main
                    if len(triggers) > 1:
                        dates = [] if _recalled(text, s_start, trig) else [d for d in all_dates if d.start >= trig.start
                                                                            or trig is triggers[0]]
                    etype = trig.type if trig.specificity >= main.specificity or trig.start > main.start else main.type
                    scene_triggers.add(trig.start)
                    date_m = _date_for(dates, m.start)
                    date = date_m.date if date_m and date_m.precision == "day" else None
                    ev = builder.find(etype, m.key, date, allow_new_date=True)
                    if ev is None and date is None:
                        ev = builder.find(etype, m.key, None, allow_new_date=True)
                    if ev is not None and date_m is not None and date_m.date and ev.date \
                            and not _same_period(ev.date, date_m):
                        ev = None  # "en décembre 2019" is not the incident of January 2023 at the same place
                    if ev is not None and ev in referred and ev.place != m.key:
                        ev = None  # "à Ouatagouna, à Karou et à Daoutegeft": sites named apart are apart
                    focus = builder.focus
                    if ev is None and focus is not None and focus.place is None and len(scenes) > 1 \
                            and compatible(focus.type, etype) and (date is None or focus.date in (None, date)) \
                            and not is_new_incident(s_text):
                        # "le massacre de samedi" ... "ont attaqué A et B": the incident had two sites
                        if not any(e.place_span == Span(sm.start, sm.end) for e in builder.events for sm, _ in scenes):
                            etype = refine_type(etype, focus.type)
                        if focus.place is None and (m, precision) == scenes[0]:
                            ev = focus
                            ev.place, ev.place_precision, ev.place_span = m.key, precision, Span(m.start, m.end)
                    if ev is None and focus is not None and focus.place is None and len(scenes) == 1 \
                            and compatible(focus.type, etype) and (date is None or focus.date in (None, date)) \
                            and not is_new_incident(s_text):
                        ev = focus  # introduced first ("a essuyé l'attaque"), placed next ("le camp d'Inates")
                        ev.place, ev.place_precision, ev.place_span = m.key, precision, Span(m.start, m.end)
                    if ev is None:
                        if non_event:
                            continue
                        if date is None and earlier_date is not None and not is_other_time(s_text):
                            date_m = earlier_date
                            date = date_m.date
                        ev = builder.add(etype, Span(trig.start, trig.end), Span(s_start, s_end), place=m.key,
                                         place_precision=precision, place_span=Span(m.start, m.end),
                                         background=is_background(s_text) and bool(builder.events))
                    else:
                        ev.type = refine_type(ev.type, etype)
                        if ev.place != m.key and _more_precise(places.get(m.key), places.get(ev.place)):
                            ev.place, ev.place_span = m.key, Span(m.start, m.end)  # Sévaré rather than Mopti
                        if ev.place_precision in ("region", "country") and precision in ("exact", "near"):
                            ev.place, ev.place_precision, ev.place_span = m.key, precision, Span(m.start, m.end)
                    if ev.date is None and date is None and earlier_date is not None and not _recalled(text, s_start, trig) \
                            and not is_new_incident(s_text):
                        date_m, date = earlier_date, earlier_date.date
                    if ev.date is None and date is not None:
                        ev.date, ev.date_precision = date, "day"
                        if date_m:
                            ev.date_span = Span(date_m.start, date_m.end)
                    if ev not in referred:
                        referred.append(ev)
            elif not scenes:
                focus = builder.focus
                generic = main.specificity == 1
                if generic and focus is not None and focus.type == "airstrike":
                    # "a revendiqué l'assaut" after a strike told in passing: the ground attack of the paragraph
                    focus = next((e for e in reversed(para_events.get(para, [])) if e.type != "airstrike"),
                                 next((e for e in builder.events if e.type != "airstrike"), focus))
                separate = main.type in ("airstrike", "ambush") and focus is not None and focus.type != main.type
                day = _date_for(dates, main.start)
                if focus is not None and day is not None and day.precision == "day" and focus.date \
                        and day.date != focus.date and not main.plural and not claim_ends:
                    separate = True  # "dans la soirée du 9 juin, la brigade avait été attaquée": another incident
                if focus and not main.plural and not separate and not _ANOTHER.search(s_text.lower()) \
                        and (focus.type == main.type or generic or main.type in ("explosion", "massacre", "abduction")):
                    if len(last_referred) > 1 and focus in last_referred and last_one_trigger:
                        referred.extend(last_referred)  # "la pire tuerie" after "ont attaqué A et B": both sites
                        plural_focus = True
                    else:
                        referred.append(focus)
                        day = _date_for(dates, main.start)
                        if focus.date is None and day is not None and day.precision == "day" and not claim_ends \
                                and not _recalled(text, s_start, main):
                            focus.date, focus.date_precision = day.date, "day"  # "Dimanche, ... ont attaqué"
                            focus.date_span = Span(day.start, day.end)
                elif main.plural and not generic and builder.events:
                    referred.extend(e for e in builder.events if e.type == main.type)
                elif not main.plural and not non_event and not info.aggregate and (main.specificity >= 2 or separate) \
                        or (not main.plural and not non_event and not builder.events and not info.aggregate):
                    ev = builder.add(main.type, Span(main.start, main.end), Span(s_start, s_end),
                                     background=is_background(s_text) and bool(builder.events))
                    date_m = _date_for(dates, main.start)
                    if date_m and date_m.precision == "day":
                        ev.date, ev.date_precision, ev.date_span = date_m.date, "day", Span(date_m.start, date_m.end)
                    elif focus is not None and focus.date and _SAME_DAY_CUE.search(s_text.lower()):
                        ev.date, ev.date_precision = focus.date, "day"  # "plus tôt dans la matinée, l'aviation ..."
                    town = _THE_TOWN.search(s_text)
                    if town and focus is not None and focus.place and ev.place is None:
                        # "l'aviation avait frappé, au nord-est de la ville, …": near the town just told of
                        ev.place, ev.place_precision = focus.place, "near"
                        ev.place_span = Span(s_start + town.start("town"), s_start + town.end("town"))
                    referred.append(ev)
        elif scenes:
            # no trigger: a sentence about a known scene ("48 tués à X") still refers to its event;
            # "quatorze personnes avaient été tuées à X" reports an incident at X of its own
            tolls = [] if in_title or info.aggregate else find_figures(s_text, s_start)
            for m, precision in scenes:
                ev = next((e for e in reversed(builder.events) if builder.same_place(e.place, m.key)), None)
                told_here = any(f.status != "wounded" and 0 <= m.start - f.end < 140
                                and not any(g.start > f.end and g.start < m.start for g in tolls) for f in tolls)
                if ev is None and precision in ("exact", "near") and told_here and not non_event:
                    date_m = _date_for(dates, m.start)
                    ev = builder.add("attack", Span(m.start, m.end), Span(s_start, s_end), place=m.key,
                                     place_precision=precision, place_span=Span(m.start, m.end),
                                     background=is_background(s_text))
                    if date_m is not None and date_m.precision == "day":
                        ev.date, ev.date_precision, ev.date_span = date_m.date, "day", Span(date_m.start, date_m.end)
                if ev and ev not in referred:
                    referred.append(ev)
        elif dates and builder.focus is not None and builder.focus.date is None and not in_title:
            # "Mardi, peu avant l'aube, des assaillants ...": a narrative opening dates the incident just
            # introduced (not "X a indiqué hier": that is the date of the statement)
            day = next((d for d in dates if d.date and d.precision == "day" and d.start - s_start < 25
                        and not _SPEECH_NEAR.search(text[max(s_start, d.start - 30):d.start].lower())), None)
            if day is not None:
                builder.focus.date, builder.focus.date_precision = day.date, "day"
                builder.focus.date_span = Span(day.start, day.end)
        # outcome
        if is_repelled(s_text):
            low = s_text.lower()
            if re.search(r"\b(?:toutes les|les|ces|des) (?:\w+ )?(?:attaques|assauts)\b", low) and not referred:
                targets = [e for e in builder.events if e.type in ("attack", "clash")]
            else:
                targets = referred or ([builder.focus] if builder.focus else [])
            for ev in targets:
                if ev.type in ("attack", "clash", "ambush"):
                    ev.outcome = "repelled"
        # figures, with the sources of their clause; "Il affirme avoir tué ..." speaks for the last speaker
        antecedent = para_sources[para][0] if para in para_sources else None
        sentence_sources = [] if in_title else sources_for(s_start, s_end, None, antecedent)
        found = [] if in_title else find_figures(s_text, s_start)
        if found:
            located = _figure_places(text, found, s_mentions, places, skip, builder, s_text, dates)
            for ev in located.values():
                if ev is not None and ev not in referred:
                    referred.append(ev)
            base = len(figures)
            for f in found:
                if info.aggregate and len(referred) != 1:
                    events = [e.id for e in referred]
                    aggregate = True
                elif info.aggregate and re.search(r"\b(?:deux|trois|quatre|plusieurs|ces|des) (?:\w+ )?attaques\b|"
                                                  r"\bau total\b|\bdepuis\b|\bensemble\b", s_text.lower()):
                    events, aggregate = [e.id for e in referred], True
                elif plural_focus:
                    events, aggregate = [e.id for e in referred], True
                elif located.get(f.start) is not None:
                    events, aggregate = [located[f.start].id], False
                elif len(referred) > 1:
                    near = min(referred, key=lambda e: abs((e.place_span.start if e.place_span else e.span.start) - f.start))
                    events, aggregate = [near.id], False
                elif referred:
                    events, aggregate = [referred[0].id], False
                elif len(last_referred) > 1 and last_one_trigger and not triggers and not scenes:
                    # "le gouvernement fait état de 49 civils tués" after a sentence on two attacks: both
                    events, aggregate = [e.id for e in last_referred], True
                elif builder.focus and not info.aggregate:
                    events, aggregate = [builder.focus.id], False
                else:
                    events, aggregate = [], True
                q = f.quantity
                category = f.category
                if category == "soldier" and _UN_FORCE.search(text[s_start:f.start].lower()):
                    category = "peacekeeper"  # "le contingent de la MINUSMA a perdu six hommes"
                figures.append(CasualtyFigure(
                    status=f.status, category=category, count=q.value, span=Span(f.start, f.end),
                    qualifier=q.qualifier, count_max=q.value_max, events=events, aggregate=aggregate,
                    sources=list(sources_for(s_start, s_end, f.start, antecedent)),
                    subset_of=None if f.subset_of is None else base + f.subset_of,
                ))
        if sentence_sources:
            para_sources[para] = sentence_sources
        para_events.setdefault(para, []).extend(e for e in referred if e not in para_events.get(para, []))
        info.events = [e.id for e in referred]
        if referred or triggers:
            last_referred = referred
            last_one_trigger = len(scene_triggers) <= 1
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%r | trig=%s scenes=%s dates=%s -> %s | figs=%s", s_text[:70],
                      [(t.type, text[t.start:t.end]) for t in triggers], [text[m.start:m.end] for m, _ in scenes],
                      [(str(d.date), text[d.start:d.end]) for d in dates], [(e.id, e.type, e.place, str(e.date))
                                                                            for e in referred],
                      [(f.status, f.category, f.quantity.value) for f in found])
        if referred:
            builder.focus = referred[-1]
    return Reading(builder.events, figures, infos)
