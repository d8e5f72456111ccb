"""French date expressions, resolved against the publication date or the date of a preceding event.

One precompiled pattern scans the text once; the standard library does the
arithmetic. Rules (they feed ``Event.date`` and ``Event.date_precision``):

- a day and month without a year take the year that puts them on or before
  the publication date (within the past twelve months);
- a weekday alone ("mardi", "ce mercredi", "mardi soir") is the most recent such
  day on or before the publication date, which itself counts; "lundi dernier" is
  strictly before it; "lundi prochain" strictly after;
- "dans la nuit de samedi à dimanche", "dans la nuit du 4 au 5 juin" are the
  date of the second day;
- "le lendemain", "trois jours plus tard" count from ``anchor`` (the date of the
  event mentioned just before) and are skipped without one; "la veille" counts
  from ``anchor``, else from the publication date;
- a month alone is its first day with precision "month", a year alone (after
  "en", "depuis", ...) its first day with precision "year": a day is never invented.

``DateMention.relative`` is True when the expression names no calendar day or
month ("hier", "mardi", "le lendemain"), so the date was computed.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from kg.text import lower_keep_offsets

__all__ = ["DateMention", "find_dates"]

DatePrecision = Literal["day", "month", "year"]


@dataclass(frozen=True)
class DateMention:
    """A date expression at ``text[start:end]``; ``date`` is None when nothing in reach resolves it."""

    date: dt.date | None
    precision: DatePrecision
    start: int
    end: int
    relative: bool


_MONTHS = {"janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
           "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12}
_WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}
_SMALL_NUMBERS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
                  "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
                  "quinze": 15, "seize": 16, "vingt": 20, "trente": 30}

_A = r"['’]"
_M = r"(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre|d[ée]cembre)"
_WD = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_DAY = r"(?:1er|premier|[12]\d|3[01]|0?[1-9])"
_YEAR = r"(?:1[89]\d\d|2[01]\d\d)"
_N = r"(?:\d{1,2}|" + "|".join(sorted(_SMALL_NUMBERS, key=len, reverse=True)) + ")"
_PART = r"(?:\s+(?:matin|soir|midi|après-midi|en\s+fin\s+de\s+journée|dans\s+la\s+soirée|dans\s+la\s+matinée))?"

# Matched on lower_keep_offsets(text), without re.IGNORECASE (twice as fast).
_PATTERN = re.compile(
    r"(?<!\w)(?:" + "|".join([
        # "dans la nuit du (vendredi) 4 (juin) au (samedi) 5 juin (2021)"
        rf"(?P<night>nuit\s+du\s+(?:{_WD}\s+)?{_DAY}(?:\s+{_M})?\s+au\s+(?:(?P<nwd>{_WD})\s+)?"
        rf"(?P<nday>{_DAY})\s+(?P<nmonth>{_M})(?:\s+(?P<nyear>{_YEAR}))?)\b",
        # "dans la nuit de samedi à dimanche"
        rf"(?P<nightwd>nuit\s+de\s+{_WD}\s+(?:à|au)\s+(?P<nwd2>{_WD}))\b",
        # "27/07/2022", "27.07.22"
        r"(?<![\d/.])(?P<numeric>(?P<dd>\d{1,2})(?P<sep>[/.-])(?P<mm>\d{1,2})(?P=sep)(?P<yy>\d{4}|\d\d))"
        r"(?![\d/.]\d)",
        # "(mercredi) 27 juillet (2022)", "1er mai"
        rf"(?P<explicit>(?:(?P<ewd>{_WD})\s+)?(?P<eday>{_DAY})\s+(?P<emonth>{_M})(?:\s+(?P<eyear>{_YEAR}))?)\b",
        # "avant-hier", "hier (soir)", "aujourd'hui", "ce matin", "cette nuit", "la nuit dernière", "la veille"
        rf"(?P<deictic>avant-hier|hier{_PART}|aujourd{_A}hui|ce\s+(?:matin|soir|midi)|cet\s+après-midi"
        rf"|cette\s+nuit|la\s+nuit\s+dernière|(?:l{_A}|la\s+)avant-veille|la\s+veille)\b",
        # "le lendemain", "le surlendemain", "trois jours plus tard", "il y a deux semaines"
        rf"(?P<offset>(?:au|le)\s+(?:sur)?lendemain|(?:il\s+y\s+a\s+)?(?P<on>{_N})\s+(?P<ounit>jours?|semaines?)"
        rf"(?:\s+(?P<odir>plus\s+tard|après|plus\s+tôt|auparavant))?)\b",
        # "ce mercredi", "mardi soir", "lundi dernier", "samedi prochain"
        rf"(?P<weekday>(?:(?:ce|dès\s+ce)\s+)?(?P<wd>{_WD})(?!\s*\d)(?:\s+(?P<wrel>dernier|passé|prochain))?{_PART})\b",
        # "en décembre 2019", "juillet 2022", "début juillet", "mi-août"
        rf"(?:(?P<mcue>en|depuis|dès|début|fin|mi-|courant|mois\s+de|mois\s+d{_A})\s*)?(?P<month>{_M})"
        rf"(?:\s+(?P<myear>{_YEAR}))?\b",
        # "en 2015", "depuis 2013"
        rf"(?:en|depuis|dès|année|l{_A}an|courant|début|fin|mi-)\s*(?P<year>{_YEAR})\b",
    ]) + ")")


def find_dates(text: str, published: dt.date | None, *, anchor: dt.date | None = None,
               today: dt.date | None = None) -> list[DateMention]:
    """Every date expression in ``text`` (a sentence or a document), resolved, in text order.

    ``published`` is the publication date, ``anchor`` the date of the event mentioned
    just before (for "le lendemain", "trois jours plus tard"), ``today`` stands in for
    ``datetime.date.today()`` when a weekday with a day and month has no publication date.
    """
    found: list[DateMention] = []
    for match in _PATTERN.finditer(lower_keep_offsets(text)):
        mention = _resolve(match, published, anchor, today)
        if mention is not None:
            found.append(mention)
    return found


def _resolve(m: re.Match[str], published: dt.date | None, anchor: dt.date | None,
             today: dt.date | None) -> DateMention | None:
    """Turn one match of ``_PATTERN`` into a DateMention, or None when it must be skipped."""
    if m["night"]:
        date = _day_month(_day(m["nday"]), _month(m["nmonth"]), m["nyear"], m["nwd"], published, today)
        return _mention(m, "night", date, "day", relative=False)
    if m["nightwd"]:
        return _mention(m, "nightwd", _weekday(m["nwd2"], "", published), "day", relative=True)
    if m["numeric"]:
        year = int(m["yy"]) + (2000 if len(m["yy"]) == 2 else 0)
        date = _safe_date(year, int(m["mm"]), int(m["dd"]))
        return None if date is None else _mention(m, "numeric", date, "day", relative=False)
    if m["explicit"]:
        day, month = _day(m["eday"]), _month(m["emonth"])
        if _safe_date(2000, month, day) is None:
            return None  # "31 février" is no date in any year (2000 was a leap year)
        date = _day_month(day, month, m["eyear"], m["ewd"], published, today)
        if m["eyear"] and date is None:
            return None  # "29 février 2022" is no date either
        return _mention(m, "explicit", date, "day", relative=False)
    if m["deictic"]:
        return _mention(m, "deictic", _deictic(m["deictic"], published, anchor), "day", relative=True)
    if m["offset"]:
        date = _offset(m, published, anchor)
        return None if date is None else _mention(m, "offset", date, "day", relative=True)
    if m["weekday"]:
        return _mention(m, "weekday", _weekday(m["wd"], m["wrel"] or "", published), "day", relative=True)
    if m["month"]:
        month = _month(m["month"])
        if not m["myear"] and not m["mcue"]:
            return None  # "mars", "mai" alone are too often something else
        return DateMention(_month_start(month, m["myear"], published), "month", m.start("month"), m.end(),
                           relative=False)
    if m["year"]:
        return _mention(m, "year", dt.date(int(m["year"]), 1, 1), "year", relative=False)
    raise AssertionError(f"unhandled date expression {m.group()!r}")  # pragma: no cover


def _mention(m: re.Match[str], group: str, date: dt.date | None, precision: DatePrecision, *,
             relative: bool) -> DateMention:
    """A DateMention spanning ``group`` of the match."""
    return DateMention(date, precision, m.start(group), m.end(group), relative)


def _fold(word: str) -> str:
    """Lower case without accents, for the month and weekday tables."""
    return unicodedata.normalize("NFKD", word.lower()).encode("ascii", "ignore").decode()


def _month(word: str) -> int:
    """Month number of a French month name, with or without accents."""
    return _MONTHS[_fold(word)]


def _day(word: str) -> int:
    """Day of the month of "1er", "premier" or digits."""
    return 1 if word.lower() in ("1er", "premier") else int(word)


def _month_start(month: int, year: str | None, published: dt.date | None) -> dt.date | None:
    """First day of ``month``: in ``year``, else in the twelve months up to ``published``."""
    if year:
        return dt.date(int(year), month, 1)
    if published is None:
        return None
    return dt.date(published.year if month <= published.month else published.year - 1, month, 1)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    """``date(year, month, day)``, or None when it does not exist (31/02)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _day_month(day: int, month: int, year: str | None, weekday: str | None, published: dt.date | None,
               today: dt.date | None) -> dt.date | None:
    """Resolve a day and month: with the year given, else on or before ``published``, else by the weekday."""
    if year:
        return _safe_date(int(year), month, day)
    if published is not None:
        for y in (published.year, published.year - 1):
            date = _safe_date(y, month, day)
            if date is not None and date <= published:
                return date
        return None
    if weekday:
        # No publication date: the most recent year where this day and month fall on that weekday.
        wanted = _WEEKDAYS[_fold(weekday)]
        last = (today or dt.date.today()).year
        for y in range(last, last - 40, -1):
            date = _safe_date(y, month, day)
            if date is not None and date.weekday() == wanted:
                return date
    return None


def _weekday(word: str, rel: str, published: dt.date | None) -> dt.date | None:
    """Most recent ``word`` weekday on or before ``published`` (strictly before for "dernier", after for "prochain")."""
    if published is None:
        return None
    back = (published.weekday() - _WEEKDAYS[_fold(word)]) % 7
    rel = rel.lower()
    if rel == "prochain":
        return published + dt.timedelta(days=(7 - back) if back else 7)
    if rel in ("dernier", "passé") and back == 0:
        back = 7
    return published - dt.timedelta(days=back)


def _deictic(word: str, published: dt.date | None, anchor: dt.date | None) -> dt.date | None:
    """Date of "hier", "avant-hier", "aujourd'hui", "ce matin", "la veille"... (None without a reference)."""
    word = _fold(word)
    if "veille" in word:
        back = 2 if "avant" in word else 1
        ref = anchor or published
        return None if ref is None else ref - dt.timedelta(days=back)
    if published is None:
        return None
    if word.startswith("avant-hier"):
        return published - dt.timedelta(days=2)
    if word.startswith("hier"):
        return published - dt.timedelta(days=1)
    return published  # aujourd'hui, ce matin, ce soir, cette nuit, la nuit derniere


def _offset(m: re.Match[str], published: dt.date | None, anchor: dt.date | None) -> dt.date | None:
    """Date of "le lendemain", "trois jours plus tard" (from ``anchor``) or "il y a deux jours" (from ``published``)."""
    text = _fold(m["offset"])
    if "lendemain" in text:
        return None if anchor is None else anchor + dt.timedelta(days=2 if "surlendemain" in text else 1)
    number = m["on"].lower()
    days = (int(number) if number.isdigit() else _SMALL_NUMBERS[number]) * (7 if "semaine" in text else 1)
    if text.startswith("il y a"):
        return None if published is None else published - dt.timedelta(days=days)
    direction = _fold(m["odir"] or "")
    if not direction:
        return None  # "trois jours" alone is a duration
    if anchor is None:
        return None
    sign = -1 if direction in ("plus tot", "auparavant") else 1
    return anchor + dt.timedelta(days=sign * days)
