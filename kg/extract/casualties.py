"""Casualty figures in one sentence: count, status, category, qualifier, subsets.

A figure is a number (digits, French number words, "une trentaine") tied to a
casualty status ("tués", "blessés", "portés disparus", "enlevés",
"neutralisés") and a category ("soldats", "civils", "casques bleus", ...).
Numbers that count something else ("3 000 assaillants" with no status, "7
motos", "300 km") give no figure. Annotation conventions: "neutralisés" is
killed/militant, gendarmes are police, VDP are soldiers, habitants/villageois/
enfants are civilians, morts/corps/personnes are persons.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.model import Category, Status
from kg.extract.numbers import Quantity, find_quantities

# category nouns (lower-case, accents kept) -> category; longest first when matching
_CATEGORY_WORDS: dict[str, Category] = {
    "casques bleus": "peacekeeper", "casque bleu": "peacekeeper", "soldats de la paix": "peacekeeper",
    "soldats": "soldier", "soldat": "soldier", "militaires": "soldier", "militaire": "soldier",
    "vdp": "soldier", "volontaires": "soldier", "supplétifs": "soldier", "éléments des fds": "soldier",
    "membres des forces": "soldier", "membres des fds": "soldier", "fds": "soldier", "gardes": "soldier",
    "policiers": "police", "policier": "police", "gendarmes": "police", "gendarme": "police",
    "agents de police": "police", "douaniers": "police", "gardes forestiers": "police",
    "civils": "civilian", "civil": "civilian", "habitants": "civilian", "villageois": "civilian",
    "enfants": "civilian", "femmes": "civilian", "fidèles": "civilian", "passagers": "civilian",
    "orpailleurs": "civilian", "commerçants": "civilian", "éleveurs": "civilian", "agriculteurs": "civilian",
    "otages": "civilian", "travailleurs humanitaires": "civilian", "humanitaires": "civilian",
    "journalistes": "civilian", "journaliste": "civilian", "élèves": "civilian", "enseignants": "civilian",
    "terroristes": "militant", "terroriste": "militant", "jihadistes": "militant", "djihadistes": "militant",
    "assaillants": "militant", "assaillant": "militant", "militants": "militant", "insurgés": "militant",
    "combattants": "militant", "islamistes": "militant", "hommes armés": "militant", "ennemis": "militant",
    "bandits armés": "militant", "éléments terroristes": "militant", "rebelles": "militant",
    "personnes": "person", "personne": "person", "morts": "person", "mort": "person", "corps": "person",
    "victimes": "person", "tués": "person", "blessés": "person", "disparus": "person",
}
_STATUS_PATTERNS: list[tuple[Status, str]] = [
    ("killed", r"tu[ée]e?s?|tuant|tuer|tue|tuent|morts?|mortes?|la mort|péri|périssent|décédée?s?|perdu la vie|"
               r"trouvé la mort|abattue?s?|exécutée?s?|neutralisée?s?|neutralisant|neutraliser|massacrée?s?|"
               r"égorgée?s?|assassinée?s?|sans vie|inhumée?s?|victimes?"),
    ("wounded", r"blessée?s?|blessant|blesser|grièvement atteinte?s?"),
    ("missing", r"(?:portée?s? )?disparue?s?|manquante?s? à l'appel"),
    ("abducted", r"enlevée?s?|enlevant|enlever|kidnappée?s?|kidnapping|prise?s? en otage|otages?|"
                 r"séquestrée?s?|emmenée?s?|rapt|capturée?s?|enlèvement"),
]
_STATUS_RE = [(status, re.compile(rf"\b(?:{pat})\b")) for status, pat in _STATUS_PATTERNS]
_CATEGORY_RE = re.compile(
    r"^\s*(?:autres\s+|de\s+|d['’]\s*)?(?:(?:leurs?|ses|nos|des|de)\s+)?("
    + "|".join(re.escape(w) for w in sorted(_CATEGORY_WORDS, key=len, reverse=True))
    + r")\b"
)
_NOT_CASUALTY = re.compile(
    r"^\s*(?:de\s+|d['’]\s*)?(?:ans?|années?|mois|jours?|heures?|minutes?|km|kilomètres?|kms?|mètres?|motos?|"
    r"véhicules?|pick-up|engins?|armes?|fusils?|munitions?|tonnes?|fcfa|francs?|euros?|dollars?|%|pour cent|"
    r"villages?|localités?|attaques?|camps?|postes?|bases?|fosses?|millions?|milliards?|h\b|fois|reprises?)"
)
_SUBSET = re.compile(r"\bdont\s*$|\bparmi (?:eux|elles|lesquels|lesquelles)\s*,?\s*$|\(\s*$")
_VERB_BEFORE: dict[Status, re.Pattern] = {
    "killed": re.compile(r"\b(?:tu[ée]r?|tu[ée]s?|tuant|tué|neutralis\w*|abattu|abattre|coûté la vie à|causant la mort de|"
                         r"causé la mort de|fait|faisant|exécut\w+|massacr\w+|perdu|déplorer?|déplore|compter|compte|"
                         r"recensé|dénombré)\s*$"),
    "wounded": re.compile(r"\b(?:bless\w*)\s*$"),
    "abducted": re.compile(r"\b(?:enlev\w*|enlèvent|kidnapp\w*|emmen\w*|pris en otage)\s*$"),
    "missing": re.compile(r"\b(?:port\w* disparus?)\s*$"),
}
_KILL_NOUN_CONTEXT = re.compile(r"\b(?:faisant|fait|bilan|causant|causé|coûté)\b[^.;]{0,40}$")


@dataclass(frozen=True)
class FoundFigure:
    """A casualty figure found in a sentence (offsets are absolute in the document)."""

    status: Status
    category: Category
    quantity: Quantity
    start: int
    end: int
    subset_of: int | None = None  # index in the same sentence's list


def _status_after(rest: str) -> Status | None:
    """First status word in the clause after the category noun."""
    best: tuple[int, Status] | None = None
    for status, rx in _STATUS_RE:
        m = rx.search(rest)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), status)
    return best[1] if best else None


def _clause_after(text: str, start: int, limit: int = 90) -> str:
    """Text after a number up to the next number-bearing clause boundary."""
    chunk = text[start:start + limit]
    cut = re.search(r"[;:.!?]|\s(?:et|mais|tandis que|alors que|contre)\s+(?:\d|un |une |deux |trois |quatre |cinq |six |"
                    r"sept |huit |neuf |dix |onze |douze |vingt |trente )", chunk)
    return chunk[:cut.start()] if cut else chunk


def find_figures(sentence: str, offset: int = 0) -> list[FoundFigure]:
    """Casualty figures in one sentence; ``offset`` is the sentence's start in the document."""
    lowered = sentence.lower().replace("’", "'")
    found: list[FoundFigure] = []
    quantities = find_quantities(sentence, include_articles=True)
    for i, q in enumerate(quantities):
        after = lowered[q.end:]
        if _NOT_CASUALTY.match(after):
            continue
        nxt = quantities[i + 1].start if i + 1 < len(quantities) else len(lowered)
        clause = _clause_after(lowered, q.end)[: max(0, nxt - q.end)] or after[: max(0, nxt - q.end)]
        cat_m = _CATEGORY_RE.match(after)
        category: Category | None = _CATEGORY_WORDS[cat_m.group(1)] if cat_m else None
        noun = cat_m.group(1) if cat_m else ""
        tail = clause[cat_m.end():] if cat_m else clause
        before = lowered[max(0, q.start - 45):q.start]
        status: Status | None = None
        # "ont tué 48 militants", "causant la mort de cinquante-quatre personnes"
        for st, rx in _VERB_BEFORE.items():
            if rx.search(before):
                status = st
                break
        if status is None and noun in ("morts", "mort", "tués", "corps", "victimes"):
            status = "killed"
        elif status is None and noun == "blessés":
            status = "wounded"
        elif status is None and noun == "disparus":
            status = "missing"
        elif status is None and noun == "otages":
            status = "abducted"
        if status is None:
            status = _status_after(tail[:70])
        if status is None:
            continue
        if category is None:
            # elided noun: "71 militaires tués, douze blessés" -> same category as the previous figure
            if found and re.match(r"^\s*(?:autres\s+)?(?:ont|sont|avaient|étaient|blessés|tués|morts|disparus|"
                                  r"portés|enlevés|,|et)", after):
                category = found[-1].category
            elif re.match(r"^\s*(?:autres\s+)?(?:ont|sont|avaient|étaient|blessée?s|tuée?s|morte?s|disparue?s|portée?s|"
                          r"enlevée?s)\b", after):
                category = "person"
            else:
                continue
        if noun in ("otages",) and status != "abducted":
            category = "civilian"
        subset = None
        if _SUBSET.search(lowered[max(0, q.start - 25):q.start]) and found:
            subset = len(found) - 1
            parent = found[subset]
            if status != parent.status and not re.search(r"\b(?:tu|bless|disparu|enlev|mort)", tail[:30]):
                status = parent.status
        end = q.end + (cat_m.end() if cat_m else 0)
        found.append(FoundFigure(status, category, q, offset + q.start, offset + end, subset))
    return found
