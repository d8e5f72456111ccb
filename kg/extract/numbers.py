"""French numbers in casualty phrases: digits, number words, approximations, qualifiers, ranges, revisions.

Offsets are character offsets into the string given (``text[q.start:q.end]``).
A quantity's span covers its qualifier ("au moins 17") and, for a range, both
bounds ("entre 30 et 32"); a leading "de" is not part of it.

Not quantities: years, dates ("le 27 juillet", "27/07/2022"), times ("10 h"),
distances ("à 47 km"), durations, ages, money, percentages, ordinals ("1er"),
identifiers ("RN 16"), and vague amounts ("plusieurs dizaines", "des centaines").
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Literal

from text_to_num import text2num

from kg.text import lower_keep_offsets

__all__ = ["Quantity", "find_quantities", "find_revision", "parse_quantity"]

Qualifier = Literal["exact", "at_least", "about", "at_most"]


@dataclass(frozen=True)
class Quantity:
    """A number read in the text, with how exact it is (``kg.extract.model.Qualifier``) and its span."""

    value: int
    qualifier: Qualifier
    value_max: int | None
    start: int
    end: int


_Kind = Literal["digits", "words", "article", "approx", "vague"]


@dataclass(frozen=True)
class _Atom:
    """One number-like token before qualifiers and ranges are attached."""

    value: int | None  # None: vague amount ("plusieurs dizaines")
    start: int
    end: int
    kind: _Kind
    excluded: bool  # a year, date, time, distance, ... (kept to block ranges across it)


_A = r"(?:['’])"  # both apostrophes
_DE = rf"d(?:e\s+|{_A}\s*)"  # "de " or "d'"
_NUMBER_WORDS = sorted(
    "zéro un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize "
    "vingt vingts trente quarante cinquante soixante septante huitante octante nonante cent cents mille "
    "million millions".split(), key=len, reverse=True)
_W = "(?:" + "|".join(_NUMBER_WORDS) + ")"
_WORDS = rf"{_W}(?:(?:-et-|\s+et\s+(?=(?:une?|onze)\b)|-|\s+){_W})*(?![\w-])"
_DIGITS = (r"(?<![\w.,/:])(?<![^\W\d_]-)(?:\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d+)"
           r"(?![\w/:]|[.,]\d)")  # not 1er, 10h, 2,5, 27/07, 10:30, Covid-19
_NUMERIC_DATE = re.compile(r"(?<!\d)\d{1,2}([/.-])\d{1,2}\1\d{2,4}(?!\d)")
_APPROX_UNITS = {"dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30,
                 "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100, "millier": 1000}
_APPROX = (rf"(?:(?P<det>une?|des|les|ces|plusieurs|quelques|de\s+nombreu(?:x|ses)|nombreu(?:x|ses)"
           rf"|{_WORDS}|\d+)\s+)?(?P<unit>{'|'.join(_APPROX_UNITS)})(?P<plural>s?)\b")
_ATOM = re.compile(rf"(?<![\w-])(?:{_APPROX}|(?P<words>{_WORDS}))|(?P<digits>{_DIGITS})")

_MONTHS = (r"(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre"
           r"|d[ée]cembre)\b")
# What follows a number that is not a count: a date (also "4 au 5 juin"), a unit, a duration, money...
_NOT_A_COUNT_AFTER = re.compile(
    rf"\s*(?:(?:(?:au|et|à|-|–|ou)\s*\d{{1,2}}(?:er)?\s+)?{_MONTHS}"
    r"|h\b|h\d|heures?\b|hrs?\b|min\b|minutes?\b|secondes?\b|km\b|kms\b|kilom[èe]tres?\b|m\b|m[èe]tres?\b"
    r"|miles?\b|%|pour\s*cents?\b|pourcents?\b|ans\b|an\b|années?\b|mois\b|jours?\b|semaines?\b|nuits?\b"
    r"|si[èe]cles?\b|kg\b|kilos?\b|grammes?\b|tonnes?\b|litres?\b|fcfa\b|cfa\b|francs?\b|euros?\b|dollars?\b"
    r"|€|\$|°)")
# What precedes a number that is not a count: "l'un", "pour cent", "n° 5", "RN 16", "article 3"...
_NOT_A_COUNT_BEFORE = re.compile(
    rf"(?:\bl{_A}|n°\s*|\bnum[ée]ro\s+|\d\s*h\s*|\brn\s*-?\s*|\broute\s+nationale\s+|\barticle\s+"
    rf"|\br[ée]solution\s+|\bpage\s+|\bpk\s*|\bchapitre\s+|\bkm\s+)\Z")
_QUALIFIER_BEFORE = re.compile(
    rf"(?<!\w)(?:(?P<at_least>au\s+moins|au\s+minimum|pas\s+moins\s+{_DE}|un\s+minimum\s+{_DE}|au\s+bas\s+mot"
    rf"|plus\s+{_DE})|(?P<about>près\s+{_DE}|environ|quelque|autour\s+{_DE}|aux\s+alentours\s+{_DE}"
    rf"|approximativement|grosso\s+modo)|(?P<at_most>jusqu{_A}\s*à|tout\s+au\s+plus|au\s+plus|au\s+maximum"
    rf"|pas\s+plus\s+{_DE}|moins\s+{_DE}))\s*\Z")
_ENTRE_BEFORE = re.compile(r"(?<!\w)entre\s+\Z")
_RANGE_SEP = re.compile(r"\s*(?:à|-|–|ou)\s*")
_ENTRE_SEP = re.compile(r"\s+et\s+")
_REVISION_BEFORE = re.compile(
    rf"(?<!\w)(?:pass[ée]e?s?|passant|revue?s?|r[ée]vis[ée]e?s?|port[ée]e?s?|alourdie?s?|alourdit|grimp[ée]|"
    rf"mont[ée]e?s?|[ée]volu[ée]|augment[ée]e?s?|relev[ée]e?s?)(?:[\s,]+[\w’'-]+){{0,4}}?[\s,]+{_DE}\Z")
_REVISION_SEP = re.compile(r"(?:\s+[\w-]+){0,2}?\s+à\s+")
_LONE_MULTIPLIER = re.compile(r"millions?")
_SPACES = re.compile(r"\s+")
_WORD_SEP = re.compile(r"-et-|\s+et\s+|-|\s+")
_NON_DIGITS = re.compile(r"\D")
_POUR_BEFORE = re.compile(r"\bpour\s*\Z")
_YEARS = range(1900, 2100)
# All patterns are lower case: they run on lower_keep_offsets(text), twice as fast as re.IGNORECASE.
_WINDOW = 24  # characters of left context inspected for a qualifier or a unit ("aux alentours de ")
_REVISION_WINDOW = 64  # ... and for a revision verb ("a été revu à la hausse, de ")


def parse_quantity(text: str) -> Quantity | None:
    """Read the quantity a short phrase starts with ("au moins 17", "une dizaine", "un") or None.

    A lone "un"/"une" counts here (it is 1); a vague amount ("plusieurs dizaines") gives None.
    """
    text = lower_keep_offsets(text)
    atoms = _atoms(text)
    if not atoms or atoms[0].value is None:
        return None
    found = _combine(text, atoms, include_articles=True, revisions=set())
    return found[0] if found else None


def find_quantities(text: str, *, include_articles: bool = False) -> list[Quantity]:
    """Every quantity in a sentence, in text order.

    A lone "un"/"une" is the indefinite article far more often than a count, so it is
    reported only after a qualifier ("au moins un"), in a range ("un ou deux"), or
    when ``include_articles`` is True. The two figures of a revision ("passé de 25 à
    89") are reported separately, never as a range.
    """
    text = lower_keep_offsets(text)
    atoms = _atoms(text)
    revisions = {i for i, _ in _revision_pairs(text, atoms)}
    return _combine(text, atoms, include_articles=include_articles, revisions=revisions)


def find_revision(text: str) -> tuple[Quantity, Quantity] | None:
    """The first revised figure ("le bilan est passé de 25 à 89") as (old, new), or None."""
    text = lower_keep_offsets(text)
    atoms = _atoms(text)
    pairs = _revision_pairs(text, atoms)
    if not pairs:
        return None
    old, new = (atoms[i] for i in pairs[0])
    return _single(text, old, old.start), _single(text, new, new.start)


def _revision_pairs(text: str, atoms: list[_Atom]) -> list[tuple[int, int]]:
    """Index pairs (old, new) of atoms that a revision verb introduces: "passé de OLD à NEW"."""
    pairs: list[tuple[int, int]] = []
    for i, (old, new) in enumerate(itertools.pairwise(atoms)):
        if old.value is None or new.value is None or old.excluded or new.excluded:
            continue
        if not _ends_with(_REVISION_BEFORE, text, old.start, _REVISION_WINDOW):
            continue
        gap = text[old.end:new.start]
        qualifier = _QUALIFIER_BEFORE.search(gap)
        if qualifier:
            gap = gap[:qualifier.start()]
        if _REVISION_SEP.fullmatch(gap):
            pairs.append((i, i + 1))
    return pairs


def _combine(text: str, atoms: list[_Atom], *, include_articles: bool, revisions: set[int]) -> list[Quantity]:
    """Attach qualifiers, join ranges, drop excluded and vague atoms."""
    found: list[Quantity] = []
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        nxt = atoms[i + 1] if i + 1 < len(atoms) else None
        if atom.value is None or atom.excluded:
            i += 1
            continue
        entre = _ends_with(_ENTRE_BEFORE, text, atom.start)
        sep = _ENTRE_SEP if entre else _RANGE_SEP
        if nxt is not None and nxt.excluded and sep.fullmatch(text[atom.end:nxt.start]):
            i += 2  # "de 30 à 32 km", "entre 2015 et 2018": the unit or year of the second covers the first
            continue
        if (nxt is not None and nxt.value is not None and i not in revisions and nxt.value > atom.value
                and sep.fullmatch(text[atom.end:nxt.start])):
            start = entre.start() if entre else atom.start
            single = _single(text, atom, start)
            found.append(Quantity(atom.value, single.qualifier, nxt.value, single.start, nxt.end))
            i += 2
            continue
        quantity = _single(text, atom, atom.start)
        if atom.kind != "article" or include_articles or quantity.qualifier != "exact":
            found.append(quantity)
        i += 1
    return found


def _single(text: str, atom: _Atom, start: int) -> Quantity:
    """One atom as a Quantity, with the qualifier written just before ``start``."""
    assert atom.value is not None
    qualifier: Qualifier = "about" if atom.kind == "approx" else "exact"
    match = _ends_with(_QUALIFIER_BEFORE, text, start)
    if match:
        qualifier = "at_least" if match["at_least"] else "about" if match["about"] else "at_most"
        start = match.start()
    return Quantity(atom.value, qualifier, None, start, atom.end)


def _ends_with(pattern: re.Pattern[str], text: str, end: int, window: int = _WINDOW) -> re.Match[str] | None:
    """Match of ``pattern`` (which ends in ``\\Z``) on the ``window`` characters before ``end``."""
    return pattern.search(text, max(0, end - window), end)


def _atoms(text: str) -> list[_Atom]:
    """Number-like tokens of ``text`` (lower case) in order, marked excluded when their context says "no count"."""
    dates = [m.span() for m in _NUMERIC_DATE.finditer(text)]
    atoms: list[_Atom] = []
    pos = 0
    while (match := _ATOM.search(text, pos)) is not None:
        start, end = match.span()
        pos = end
        kind: _Kind
        if match["unit"]:
            value, kind = _approx_value(match["det"], match["unit"], match["plural"])
        elif match["digits"]:
            if any(s <= start < e for s, e in dates):
                continue  # 27/07/2022
            value, kind = int(_NON_DIGITS.sub("", match["digits"])), "digits"
        else:
            words, value, end = _longest_number(text, start, end)
            pos = end
            if value is None or _LONE_MULTIPLIER.fullmatch(words):
                continue
            if words.startswith("cent") and _ends_with(_POUR_BEFORE, text, start):
                continue  # "dix pour cent"
            kind = "article" if words in ("un", "une") else "words"
        atoms.append(_Atom(value, start, end, kind, _excluded(text, start, end, kind)))
    return atoms


def _approx_value(det: str | None, unit: str, plural: str) -> tuple[int | None, Literal["approx", "vague"]]:
    """Value of "une dizaine", "deux centaines", "un millier"; None for "des dizaines", "plusieurs centaines"."""
    base = _APPROX_UNITS[unit]
    if det is None:
        return None, "vague"
    if det in ("un", "une"):
        return (None, "vague") if plural else (base, "approx")
    if det[0].isdigit():
        return int(det) * base, "approx"
    try:
        return text2num(det, "fr") * base, "approx"
    except ValueError:
        return None, "vague"


def _longest_number(text: str, start: int, end: int) -> tuple[str, int | None, int]:
    """The longest prefix of ``text[start:end]`` that text2num reads, with its value and end offset."""
    words = text[start:end]
    cuts = [m.start() for m in _WORD_SEP.finditer(words)] + [len(words)]
    for cut in reversed(cuts):
        try:
            return words[:cut], text2num(_SPACES.sub(" ", words[:cut]), "fr"), start + cut
        except ValueError:
            continue
    return words, None, end


def _excluded(text: str, start: int, end: int, kind: _Kind) -> bool:
    """True when the number at ``text[start:end]`` is a date, year, time, unit, ordinal or identifier."""
    if _NOT_A_COUNT_AFTER.match(text, end):
        return True
    if _ends_with(_NOT_A_COUNT_BEFORE, text, start):
        return True
    if kind == "digits" and end - start == 4 and text[start:end].isdigit() and int(text[start:end]) in _YEARS:
        # A plain four-digit number in 1900-2099 is a year, unless a qualifier makes it a count ("plus de 2000").
        return not _ends_with(_QUALIFIER_BEFORE, text, start)
    return False
