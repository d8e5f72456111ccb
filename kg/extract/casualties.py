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
    "hommes": "soldier", "éléments": "soldier",
    "personnes": "person", "personne": "person", "morts": "person", "mort": "person", "corps": "person",
    "victimes": "person", "tués": "person", "blessés": "person", "disparus": "person", "blessé": "person",
    "tué": "person", "disparu": "person", "victime": "person",
}
_STATUS_PATTERNS: list[tuple[Status, str]] = [
    ("killed", r"tu[ée]e?s?|tuant|tuer|tue|tuent|morts?|mortes?|la mort|péri|périssent|décédée?s?|perdu la vie|"
               r"tombée?s?(?: au combat| sous les balles)?|succombée?s?|succombé|décès|"
               r"trouvé la mort|abattue?s?|exécutée?s?|neutralisée?s?|neutralisant|neutraliser|massacrée?s?|"
               r"égorgée?s?|assassinée?s?|sans vie|inhumée?s?|victimes?"),
    ("wounded", r"blessée?s?|blessant|blesser|grièvement atteinte?s?"),
    ("missing", r"(?:portée?s? )?disparue?s?|manquante?s? à l'appel"),
    ("abducted", r"enlevée?s?|enlevant|enlever|kidnappée?s?|kidnapping|prise?s? en otage|otages?|"
                 r"séquestrée?s?|emmenée?s?|rapt|capturée?s?|enlèvement"),
]
_STATUS_RE = [(status, re.compile(rf"\b(?:{pat})\b")) for status, pat in _STATUS_PATTERNS]
_CATEGORY_RE = re.compile(
    r"^\s*(?:d['’]\s*autres\s+|autres\s+|de\s+|d['’]\s*)?(?:(?:leurs?|ses|nos|des|de)\s+)?("
    + "|".join(re.escape(w) for w in sorted(_CATEGORY_WORDS, key=len, reverse=True))
    + r")\b"
)
_NOT_CASUALTY = re.compile(
    r"^\s*(?:de\s+|d['’]\s*)?(?:ans?|années?|mois|jours?|heures?|minutes?|km|kilomètres?|kms?|mètres?|motos?|"
    r"véhicules?|pick-up|engins?|armes?|fusils?|munitions?|tonnes?|fcfa|francs?|euros?|dollars?|%|pour cent|"
    r"villages?|localités?|attaques?|camps?|postes?|bases?|fosses?|millions?|milliards?|h|fois|reprises?)\b"
)
_SUBSET = re.compile(r"\bdont\s*$|\bparmi (?:eux|elles|lesquels|lesquelles)\s*,?\s*$|\(\s*$")
_VERB_BEFORE: dict[Status, re.Pattern] = {
    "killed": re.compile(r"\bcoûté la vie\b[^.;:]{0,35}\bà\s*$|\b(?:tu[ée]r?|tu[ée]s?|tuant|tué|neutralis\w*|abattu|abattre|coûté la vie à|causant la mort de|"
                         r"causé la mort d[e']|la mort d[e']|le décès d[e']|neutralisation d[e']|fait|faisant|exécut\w+|massacr\w+|perdu|déplorer?|déplore|compter|compte|"
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


_ACTIVE = re.compile(r"\b(?:ont|a|avaient|avait|ayant|qui ont|pour)\s+(?:(?:également|aussi|déjà)\s+)?"
                     r"(?:tué|tuer|blessé|blesser|enlevé|enlever|kidnappé|abattu|exécuté|neutralisé|massacré)\b|"
                     # the counted people act on someone else: "3 000 assaillants ont attaqué le camp, tuant ..."
                     r"\b(?:ont|a|avaient|avait)\s+(?!été\b|péri\b|succombé\b|perdu la vie|trouvé la mort)"
                     r"(?:\w+\s+)?(?:attaqué|pris|visé|ciblé|investi|encerclé|incendié|pillé|tiré|ouvert)\b")


def _status_after(rest: str) -> Status | None:
    """First status word in the clause after the category noun (not an active verb: the noun is then the agent)."""
    active = _ACTIVE.search(rest)
    if active:
        rest = rest[:active.start()]
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


_STATUS_NOUNS: dict[str, Status] = {"morts": "killed", "mort": "killed", "tués": "killed", "corps": "killed",
                                     "victimes": "killed", "blessés": "wounded", "disparus": "missing",
                                     "otages": "abducted", "blessé": "wounded", "tué": "killed", "disparu": "missing",
                                     "victime": "killed"}
_COORDINATION = re.compile(r"^\s*(?:(?:tuée?s|morte?s|blessée?s|(?:portée?s )?disparue?s|enlevée?s|neutralisée?s|"
                           r"tombée?s)\s*)?[»”\s]*(?:,|et|,\s*et|ainsi que|plus)\s*[«“\s]*$")
_SIDE = [(re.compile(r"^[\s»”]*(?:côté ami|dans nos rangs|parmi (?:nos|les) (?:soldats|militaires|hommes))"), "soldier"),
         (re.compile(r"^[\s»”]*(?:côté ennemi|dans les rangs (?:ennemis|des assaillants|des terroristes|adverses)|"
                     r"parmi les (?:assaillants|terroristes|jihadistes|djihadistes))"), "militant")]


@dataclass
class _Candidate:
    quantity: Quantity
    category: Category | None
    noun: str
    status: Status | None
    end: int
    subset: bool


def _candidate(lowered: str, q: Quantity, next_start: int, previous: _Candidate | None) -> _Candidate | None:
    """Category and status around one number, or None when the number counts something else."""
    after = lowered[q.end:]
    if _NOT_CASUALTY.match(after):
        return None
    clause = _clause_after(lowered, q.end)[: max(0, next_start - q.end)]
    cat_m = _CATEGORY_RE.match(after)
    noun = cat_m.group(1) if cat_m else ""
    category: Category | None = _CATEGORY_WORDS[noun] if cat_m else None
    tail = clause[cat_m.end():] if cat_m else clause
    before = lowered[max(0, q.start - 45):q.start]
    status: Status | None = _STATUS_NOUNS.get(noun)  # "faisant un blessé": the noun says it
    for st, rx in _VERB_BEFORE.items():  # "ont tué 48 militants", "causant la mort de 54 personnes"
        if status is None and rx.search(before):
            status = st
            break
    if noun in _STATUS_NOUNS:
        # "71 militaires tués, douze blessés", "la mort de 17 soldats et fait état de 35 blessés":
        # a bare status noun keeps the category of the figure before it in the sentence
        if previous is not None and previous.category and not re.search(r"[.;:]", lowered[previous.end:q.start]) \
                and not re.match(r"^\s*(?:parmi|chez) les\b", after[len(noun) + 1:]):
            category = previous.category
        elif noun == "otages":
            category = "civilian"
    if status is None:
        status = _status_after(tail[:70])
    among = re.match(r"^\s*(?:parmi|dans les rangs) (?:les |des )?(" + "|".join(
        re.escape(w) for w in sorted(_CATEGORY_WORDS, key=len, reverse=True)) + r")\b", after[cat_m.end():] if cat_m else after)
    if among and _CATEGORY_WORDS[among.group(1)] != "person":
        category = _CATEGORY_WORDS[among.group(1)]  # "deux morts parmi les casques bleus"
    for rx, side in _SIDE:  # "« 89 morts » côté ami et « 77 morts » côté ennemi"
        if rx.match(after[len(noun) + 1 if cat_m else 0:]) or rx.match(after[cat_m.end():] if cat_m else after):
            category = side
    if category is None and previous is not None and previous.category and previous.status \
            and re.match(r"^\s*(?:à|au|aux|en|dans)\s", after) and re.match(r"^[^.;:]*(?:,|\bet)\s*$", lowered[previous.end:q.start]):
        category, status = previous.category, previous.status  # "17 morts à Karou, 14 à Daoutégeft"
    if category is None and previous is not None and previous.category and \
            re.match(r"^\s*(?:autres?\b|d'entre (?:eux|elles)|parmi (?:eux|elles))", after):
        category = previous.category  # "dix-huit militaires ... et quatre autres"
    if category is None and previous is not None and previous.category and status is None \
            and re.match(r"^\s*(?:portée?s\s+)?(?:disparue?s|enlevée?s|blessée?s|tuée?s)\b", after) \
            and not re.search(r"[.;:]", lowered[previous.end:q.start]):
        category = previous.category  # "71 militaires tués, douze blessés et cinq portés disparus"
    if category is None and previous is not None and previous.category \
            and _SUBSET.search(lowered[max(0, q.start - 25):q.start]):
        category = previous.category  # "trente casques bleus blessés, dont sept grièvement"
    if category is None:
        if re.match(r"^\s*(?:autres\s+)?(?:ont|sont|avaient|étaient|blessée?s|tuée?s|morte?s|disparue?s|portée?s|"
                    r"enlevée?s)\b", after):
            category = "person"
        else:
            return None
    subset = bool(_SUBSET.search(lowered[max(0, q.start - 25):q.start]))
    return _Candidate(q, category, noun, status, q.end + (cat_m.end() if cat_m else 0), subset)


def find_figures(sentence: str, offset: int = 0) -> list[FoundFigure]:
    """Casualty figures in one sentence; ``offset`` is the sentence's start in the document."""
    lowered = sentence.lower().replace("’", "'")
    quantities = find_quantities(sentence, include_articles=True)
    cands: list[_Candidate | None] = []
    previous = None
    for i, q in enumerate(quantities):
        nxt = quantities[i + 1].start if i + 1 < len(quantities) else len(lowered)
        c = _candidate(lowered, q, nxt, previous)
        cands.append(c)
        previous = c or previous
    # "Neuf soldats et trois civils ont été tués": coordinated figures share the status given last
    for i in range(len(cands) - 2, -1, -1):
        c, n = cands[i], cands[i + 1]
        if c and n and c.status is None and n.status and _COORDINATION.match(lowered[c.end:n.quantity.start]):
            c.status = n.status
    for i in range(1, len(cands)):  # "ont tué 15 soldats et trois civils": the verb governs both
        c, p = cands[i], cands[i - 1]
        if c and p and c.status is None and p.status and _COORDINATION.match(lowered[p.end:c.quantity.start]):
            c.status = p.status
    for i, c in enumerate(cands):  # "quatorze personnes, dont un VDP venu ..., avaient été tuées"
        if c and c.status is None and not c.subset:
            stop = next((n.quantity.start for n in cands[i + 1:] if n and not n.subset), c.end + 140)
            c.status = _status_after(re.split(r"[;:.!?]", lowered[c.end:min(stop, c.end + 140)])[0])
    found: list[FoundFigure] = []
    last_whole: int | None = None
    for c in cands:
        if c is None:
            continue
        subset_of = last_whole if c.subset and last_whole is not None else None
        if subset_of is not None and c.status is None:
            c.status = found[subset_of].status  # "54 personnes tuées dont six soldats"
        if c.status is None:
            continue
        found.append(FoundFigure(c.status, c.category, c.quantity, offset + c.quantity.start, offset + c.end,
                                 subset_of))
        if not c.subset:
            last_whole = len(found) - 1
    return found
