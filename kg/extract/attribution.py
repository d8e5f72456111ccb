"""Who the facts of a sentence are attributed to (``sem:accordingTo``, ``prov:wasQuotedFrom``).

A sentence is read with surface patterns over its text, checked against the
dependency parse where that helps (``nsubj`` of a speech verb); the parse of
``fr_core_news_sm`` is too noisy to be the only evidence. The chain is
returned original source first, then relays: "a déclaré l'armée, selon
l'agence Reuters" -> [army, Reuters]; "une source sécuritaire citée par
l'AFP" -> [source sécuritaire, AFP].

Sources are resolved actors or persons (from the entity mentions), national
institutions named generically ("l'armée", "le gouvernement", "le ministère
de la Défense": through the caller's ``national_actor``), or descriptive
labels ("source sécuritaire", "élu local", "presse locale").
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Span as SpacySpan

from kg.extract.model import Actor, Mention, Person, Source

NationalActor = Callable[[str, "str | None"], "str | None"]

A = "['’]"  # plain or typographic apostrophe
_LOW = "a-zàâäéèêëîïôöùûüç"
_NAT = (r"(?:malien|nigérien|tchadien|mauritanien|nigérian|ivoirien|guinéen|algérien|américain)(?:ne|nes|s|e|es)?"
        r"|(?:français|sénégalais|béninois|togolais)(?:e|es)?|burkinab[èé]s?|russes?")
_COUNTRY = r"Mali|Niger(?!ia)|Burkina(?: Faso)?|Tchad|Mauritanie|France|Nigeria|Côte d['’]Ivoire|Guinée|Sénégal|Algérie|Bénin|Togo"
NATIONALITY = {"malien": "ML", "nigérien": "NE", "tchadien": "TD", "mauritanien": "MR", "nigérian": "NG",
               "ivoirien": "CI", "guinéen": "GN", "algérien": "DZ", "américain": "US", "français": "FR",
               "sénégalais": "SN", "béninois": "BJ", "togolais": "TG", "burkinab": "BF", "russe": "RU"}
COUNTRIES = {"mali": "ML", "niger": "NE", "burkina": "BF", "tchad": "TD", "mauritanie": "MR", "france": "FR",
             "nigeria": "NG", "côte": "CI", "guinée": "GN", "sénégal": "SN", "algérie": "DZ", "bénin": "BJ",
             "togo": "TG"}
_QUAL = rf"(?:\s+(?P<nat2>{_NAT}))?(?:\s+(?:du|de la|de l{A}|d{A})\s*(?P<cty>{_COUNTRY}))?"

# Generic designations of national institutions -> national_actor(kind, country).
_GENERIC_RE = re.compile(
    rf"\b(?:(?P<army>armée|état-major|forces armées)"
    rf"|(?P<defence_ministry>minist[èe]re(?:\s+(?P<nat1>{_NAT}))?\s+(?:de\s+la\s+Défense(?:\s+nationale)?|des\s+Armées))"
    rf"|(?P<government>gouvernement|autorités(?!\s+(?:locales|régionales|coutumières|religieuses|municipales|sanitaires)))"
    rf"|(?P<police>(?:direction\s+générale\s+de\s+la\s+)?police(?:\s+nationale)?)"
    rf"|(?P<gendarmerie>gendarmerie(?:\s+nationale)?)"
    rf"|(?P<presidency>présidence(?:\s+de\s+la\s+République|\s+du\s+Faso)?|chef\s+de\s+l{A}[ÉE]tat)"
    rf"){_QUAL}\b", re.I)

_ADJ = (rf"[{_LOW}-]+(?:al|ale|aux|ales|aire|aires|ique|iques|ien|ienne|iens|iennes|ier|ière|iers|ières"
        r"|el|elle|els|elles|if|ive|ifs|ives|ain|aine|ains|aines|ordantes?|oise|oises|proches)")
_HEAD = (r"sources?|responsables?|élus?|habitants?|témoins?|presse|journalistes?|officiers?|notables?|résidents?"
         r"|rescapés?|survivants?|villageois|médecins?|agents?|humanitaires?|enquêteurs?|observateurs?|experts?"
         r"|spécialistes?|analystes?|chefs? (?:coutumiers?|traditionnels?|de village|religieux)|leaders?|membres?"
         r"|cadres?|représentants?|diplomates?|proches|préfecture|mairie|gouvernorat|hôpital")
_MEMBER_HEADS = ("responsable", "officier", "membre", "cadre", "représentant", "diplomate", "agent")
_COMP = (rf"(?:\s+(?:au sein (?:des|de la|de l{A}|du)|de la|de l{A}|du|des|de|d{A}|à|au|aux)\s*"
         rf"(?:(?:une|un|la|le|les|l{A}|son|sa|ses|leur|cette|ce)\s*)?"
         rf"(?:[A-ZÀ-Ý][\w'’-]*(?:\s+[A-ZÀ-Ý][\w'’-]*)*|(?!(?:la|le|les)\b)[{_LOW}-]+(?:\s+{_ADJ})?))")
_LABEL_RE = re.compile(
    rf"(?<![\w-])(?P<pre>(?:ancien|ancienne|anciens|anciennes|haut|hauts|autres?)\s+)?(?P<head>{_HEAD})"
    rf"(?P<adj>\s+(?!(?:cité|interrog|joint|contact|consult|relay)){_ADJ}(?:\s+et\s+{_ADJ})?)?"
    rf"(?P<co>\s+et\s+(?:des|les|d{A})?\s*(?:{_HEAD})(?:\s+{_ADJ})?)?(?P<comp>{_COMP})?(?![\w-])")

# Speech verbs (finite forms and participles; nouns are filtered by the determiner check).
_SPEECH_RE = re.compile(
    r"\b(?:(?:déclar|indiqu|annon[cç]|affirm|précis|rapport|assur|évoqu|recens|expliqu|ajout|soulign|confirm"
    r"|signal|dénombr|avanc|estim|dénonc|révél|déplor|fustig|racont|témoign|relat|constat|insist|qualifi"
    r"|dévoil|comptabilis|revendiqu|condamn|réclam|chiffr|exprim|vant)"
    r"(?:e|es|ent|ait|aient|é|ée|és|ées|ant|era|erait|eraient)"
    r"|reconn(?:aît|ait|u|ue|aissent|aissait)|dément(?:ait|aient|ent)?|démenti(?:e|s)?"
    r"|(?:fait|faisait|font|faisaient|faisant)\s+état"
    r"|parl(?:e|ent|ait|aient|é|ant)\s+(?:(?:plutôt|encore|aussi|désormais|quant à lui|pour sa part|\w+ment)\s+)?(?=d[e'’u]|des\b)|dress(?:e|ent|é|ait|aient)\s+(?:un|le)\s+(?:premier\s+)?bilan"
    r"|dit|disent|conclut|concluent|promis|promet)\b(?:-t-(?:il|elle))?", re.I)
_NOUN_DET_RE = re.compile(rf"(?:\b(?:le|la|les|un|une|du|des|ce|cette|son|sa|ses)|l{A})\s*$", re.I)
_SELON_RE = re.compile(
    rf"\b(?:selon|d{A}après|(?:selon|d{A}après|dans|par)\s+(?:un|une|le|la|son|sa|leur)\s+(?:communiqué|rapport"
    rf"|document|bilan|message|texte|déclaration|note|enregistrement|vidéo)(?:\s+[{_LOW}]+)?\s+(?:de la|de l{A}|du|des|de|d{A}))",
    re.I)
_CITED_RE = re.compile(
    r",?\s*\b(?P<v>cité|interrogé|joint|contacté|consulté|relayé|rapporté|repris|obtenu|signé)(?:e|s|es)?\s+par\s+", re.I)
_RELAY_PREP_RE = re.compile(rf"\b(?:à|auprès de|au micro de|à l{A}antenne de|sur les ondes de)\s+"
                            rf"(?:(?:l{A}|la |le )\s*)?(?:(?:agence|radio|chaîne)(?:\s+de presse)?\s+(?:[{_LOW}]+\s+)?)?$", re.I)
_PREP_RE = re.compile(rf"(?:\b(?:de|du|des|à|au|aux|par|avec|contre|sur|pour|dans|en|chez|vers|entre|sous|via)|d{A})\s*"
                      rf"(?:(?:la|le|les|l{A})\s*)?(?:(?:groupe|organisation|mouvement|agence|filiale|branche|alliance"
                      r"|coalition|mission|force|katiba)\s+(?:[a-zé]+\s+)?)?$", re.I)
_CLAUSE_RE = re.compile(rf"\n|\.\s|;|:|«|»|“|”|\b(?:tandis qu|alors qu|mais|qu{A}|que\b)|,\s+et\b", re.I)
_PRONOUN_RE = re.compile(r"(?:^|[\s,])(?:il|elle|ils|elles)\s+(?:\w+\s+){0,3}$", re.I)
_SELON_PRON_RE = re.compile(r"\b(?:selon|d['’]après)\s+(?:lui|elle|eux|elles)\b", re.I)
_DET_RE = re.compile(rf"^(?:(?:le|la|les|un|une|des|de|du)\s+|l{A}\s*)", re.I)
_BOUNDARY = re.compile(r"[,.;:«»“”\"()\n]|\bque\b|\bqu['’]|\bqui\b|\bdont\b", re.I)
_SENT_END_RE = re.compile(r"[.!?…](?=[\s»”\"]*\s[A-ZÀ-Ý0-9«“\"–-])|\n")
_INV_GAP_RE = re.compile(
    rf"^(?:\s*(?:(?:dans|par|via|sur|lors|devant|à)\s+(?:d{A}\s*)?(?:un|une|le|la|les|l{A}|son|sa|ses|leur)?\s*"
    rf"(?:communiqué|message|déclaration|texte|point de presse|conférence de presse|presse|radio|télévision|antenne"
    rf"|ondes|vidéo|enregistrement|réseaux sociaux)(?:\s+[{_LOW}]+)?"
    rf"|(?:à|auprès de)\s+(?:l{A}\s*)?(?:agence\s+(?:de presse\s+)?)?[A-ZÀ-Ý][\w-]*|hier|aujourd{A}hui|ce\s+[{_LOW}]+"
    rf"|(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|soir|matin|encore|aussi|également|enfin|ensuite|plus tard"
    rf"|lui-même|elle-même|[{_LOW}]+ment)\b))*\s*(?:(?:le|la|les|l{A}|un|une|des|son|sa|ses)\s*)?"
    rf"(?:(?:site|agence|journal|quotidien|hebdomadaire|radio|chaîne)(?:\s+(?:de presse|[{_LOW}]+))?\s+)?$", re.I)
_QUOTE_RE = re.compile(r"«[^«»]*»|“[^“”]*”|\"[^\"\n]{1,2000}\"", re.S)


@dataclass(frozen=True)
class Cand:
    """A phrase that can be a source: where it is and what it resolves to."""

    start: int
    end: int
    source: Source
    kind: str  # person, actor, label, generic
    head: str = ""
    media: bool = False  # a media or intelligence-firm actor: a relay when someone else is the source


def _no_national(kind: str, country: str | None) -> str | None:
    return None


def label_source(label: str) -> Source:
    """A descriptive source: key is the normalised label (lowercase, plain apostrophes, single spaces)."""
    label = re.sub(r"\s+", " ", label).strip()
    return Source("label", " ".join(label.lower().replace("’", "'").split()), label)


def country_of(m: re.Match, default: str | None) -> str | None:
    """ISO2 of a nationality adjective or country name captured in ``m`` (groups nat1/nat2/cty), else default."""
    for g in ("nat1", "nat2"):
        word = m.groupdict().get(g)
        if word:
            word = word.lower()
            return next((iso for stem, iso in NATIONALITY.items() if word.startswith(stem)), default)
    cty = m.groupdict().get("cty")
    return COUNTRIES.get(cty.split()[0].lower().replace("’", "'").split("'")[0]) if cty else default


def actor_source(key: str, actors: dict[str, Actor], label: str | None = None) -> Source:
    """Source for an actor key (its canonical name as label)."""
    actor = actors.get(key)
    return Source("actor", key, actor.name if actor else (label or key))


def candidates(text: str, lo: int, hi: int, mentions: list[Mention], actors: dict[str, Actor],
               persons: dict[str, Person], national_actor: NationalActor = _no_national,
               country: str | None = None) -> list[Cand]:
    """Every possible source phrase in ``text[lo:hi]``: mentions, generic institutions, labels (outer wins)."""
    found: list[Cand] = []
    for m in mentions:
        if m.start >= lo and m.end <= hi:
            if m.kind == "person" and m.key in persons:
                found.append(Cand(m.start, m.end, Source("person", m.key, persons[m.key].name), "person"))
            elif m.kind == "actor" and m.key in actors:
                media = actors[m.key].type in ("media", "intelligence_firm")
                found.append(Cand(m.start, m.end, actor_source(m.key, actors), "actor", "", media))
    s = text[lo:hi]
    for m in _GENERIC_RE.finditer(s):
        start, end = lo + m.start(), lo + m.end()
        if any(c.start < end and start < c.end for c in found):
            continue
        kind = next(k for k in ("army", "defence_ministry", "government", "police", "gendarmerie", "presidency")
                    if m.group(k))
        key = national_actor(kind, country_of(m, country))
        src = actor_source(key, actors, m.group(0)) if key else label_source(m.group(0))
        found.append(Cand(start, end, src, "generic"))
    for m in _LABEL_RE.finditer(s):
        start, end = lo + m.start(), lo + m.end()
        head = m.group("head").lower()
        inner = [c for c in found if c.start >= start and c.end <= end and c.kind != "person"]
        if any(c.start < end and start < c.end and not (c.start >= start and c.end <= end) for c in found):
            continue
        found = [c for c in found if c not in inner]
        if inner and m.group("comp") and head.rstrip("s") in _MEMBER_HEADS:
            found.append(Cand(start, end, inner[0].source, inner[0].kind, head))  # "un officier de l'armée"
            continue
        adj = (m.group("adj") or "").split(" et ")
        if len(adj) == 2 and not m.group("co"):  # "sources sécuritaires et locales" -> two labels
            base = (m.group("pre") or "") + m.group("head")
            for a in adj:
                found.append(Cand(start, end, label_source(f"{base} {a.strip()}"), "label", head))
            continue
        words = _DET_RE.sub("", m.group(0))
        words = re.sub(rf"\bet\s+(?:des|les|d{A})\s*", "et ", words)
        found.append(Cand(start, end, label_source(words), "label", head))
    found.sort(key=lambda c: (c.start, -c.end))
    return found


@functools.lru_cache(maxsize=16)
def _quote_spans(text: str) -> tuple[tuple[int, int], ...]:
    spans = sorted((m.start(), m.end()) for m in _QUOTE_RE.finditer(text))
    outer: list[tuple[int, int]] = []
    for s, e in spans:
        if not outer or s >= outer[-1][1]:
            outer.append((s, e))
    return tuple(outer)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Quotations in « … », “ … ” or "…" (may span sentences): (start, end) offsets including the marks.

    Nested quotes are dropped in favour of the outer one.
    """
    return list(_quote_spans(text))


def _attached(cands: list[Cand], pos: int, text: str, max_words: int = 5, skip_relay: bool = False) -> Cand | None:
    """The first candidate right after ``pos`` (no punctuation and at most ``max_words`` words in between)."""
    for c in cands:
        if c.start < pos:
            continue
        gap = text[pos:c.start]
        if _BOUNDARY.search(gap) or len(gap.split()) > max_words:
            return None
        if skip_relay and _RELAY_PREP_RE.search(text[max(0, c.start - 40):c.start]):
            continue
        return c
    return None


def sentence_bounds(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Widen ``[lo, hi)`` to whole sentences (end punctuation before a capital, or a newline): the parser's
    sentence splits of ``fr_core_news_sm`` often cut at « or after a name."""
    start = lo
    for m in _SENT_END_RE.finditer(text, max(0, lo - 400), lo + 40):
        if m.end() <= lo:
            start = m.end()
    lo = start if lo - 400 <= start else lo
    m = _SENT_END_RE.search(text, max(lo, hi - 1))
    hi = max(hi, m.end() if m else len(text))
    while lo < hi and text[lo].isspace():
        lo += 1
    return lo, hi


def _prepositional(c: Cand, text: str, lo: int) -> bool:
    return bool(_PREP_RE.search(text[max(lo, c.start - 40):c.start]))


def _clause_start(text: str, lo: int, pos: int) -> int:
    start = lo
    for m in _CLAUSE_RE.finditer(text, lo, pos):
        start = m.end()
    return start


def _segment_subject(cands: list[Cand], text: str, lo: int, pos: int, only: Callable[[Cand], bool]) -> Cand | None:
    """Subject before a verb: a person anywhere in the clause, else the nearest comma segment (modifiers
    such as "qui …", "s'appuyant sur …", "lié à …" skipped) whose first non-prepositional candidate fits."""
    start = _clause_start(text, lo, pos)
    pool = [c for c in cands if c.start >= start and c.end <= pos and only(c)]
    persons = [c for c in pool if c.kind == "person"]
    if persons:
        return persons[-1]
    bounds = [start] + [m.end() for m in re.finditer(",", text[start:pos])]
    bounds = [start] + [start + b for b in bounds[1:]] + [pos]
    for i in range(len(bounds) - 2, -1, -1):
        seg_lo, seg_hi = bounds[i], bounds[i + 1]
        seg = text[seg_lo:seg_hi].lstrip()
        if re.match(rf"(?:qui|dont|s{A}|se|en|lié|liée|affilié|affiliée|\w+ant)\b", seg, re.I):
            continue
        inseg = [c for c in pool if c.start >= seg_lo and c.end <= seg_hi]
        for c in inseg:
            if not _prepositional(c, text, seg_lo):
                return c
    return None


def _parse_subject(doc: Doc, vstart: int, vend: int, cands: list[Cand], only: Callable[[Cand], bool]) -> Cand | None:
    span = doc.char_span(vstart, vend, alignment_mode="expand")
    if span is None:
        return None
    for tok in span:
        for child in tok.children:
            if child.dep_.startswith("nsubj") and child.i < tok.i:
                lo, hi = child.left_edge.idx, child.right_edge.idx + len(child.right_edge)
                pool = [c for c in cands if c.start >= lo and c.end <= hi and only(c)]
                persons = [c for c in pool if c.kind == "person"]
                if persons or pool:
                    return persons[0] if persons else next(
                        (c for c in pool if not _prepositional(c, doc.text, lo)), pool[0])
    return None


def speech_subject(doc: Doc, text: str, lo: int, hi: int, m: re.Match, cands: list[Cand],
                   only: Callable[[Cand], bool] = lambda c: True) -> tuple[Cand | None, bool]:
    """Who speaks through the speech verb matched at ``m`` (absolute offsets): (candidate, pronoun subject?).

    Inverted incise first ("…, a déclaré l'armée", "», a ajouté X"), then the parse's ``nsubj``, then the
    surface subject before the verb.
    """
    before = text[lo:m.start()]
    aux = re.search(rf"(?:^|[,«»“”\":]|\bqui)\s*(?:(?:a|ont|avait|avaient|aurait|auraient|avait-il)\s+)?"
                    rf"(?:(?:lui|elle)\s+(?:aussi|même)\s+|(?:[{_LOW}]+ment|aussi|encore|d{A}abord|déjà|pour sa part)\s+)*$",
                    before, re.I)
    if aux:
        after = _attached([c for c in cands if only(c) or c.kind != "label"], m.end(), text, 12, skip_relay=True)
        if after and only(after) and _INV_GAP_RE.match(text[m.end():after.start]):
            return after, False
        if aux.group(0).lstrip().lower().startswith("qui"):  # "X, qui évoquait …"
            prev = [c for c in cands if c.end <= lo + aux.start() + 2 and only(c)]
            if prev:
                return prev[-1], False
    if m.group(0).lower().endswith(("-t-il", "-t-elle")):
        return None, True
    sub = _parse_subject(doc, m.start(), m.end(), cands, only) or _segment_subject(cands, text, lo, m.start(), only)
    if sub is None:
        return None, bool(_PRONOUN_RE.search(text[_clause_start(text, lo, m.start()):m.start()]))
    return sub, False


def speech_verbs(text: str, lo: int, hi: int) -> list[re.Match]:
    """Speech-verb matches in ``text[lo:hi]`` (verbs, not the nouns "l'annonce", "le rapport")."""
    return [m for m in _SPEECH_RE.finditer(text, lo, hi) if not _NOUN_DET_RE.search(text[max(lo, m.start() - 8):m.start()])]


def _analyse(doc: Doc, lo: int, hi: int, cands: list[Cand], antecedent: Source | None) -> list[tuple[int, Source, int]]:
    """(rank, source, position) triples: rank 0 original source, 1 media (origin or relay) and relays."""
    text = doc.text
    out: list[tuple[int, Source, int]] = []

    def add(c: Cand, relay: bool = False) -> None:
        out.append((1 if relay or c.media else 0, c.source, c.start))

    for m in _SELON_RE.finditer(text, lo, hi):
        c = _attached(cands, m.end(), text)
        while c is not None:
            add(c)
            nxt = re.match(r"\s*(?:,|et)\s*(?:(?:des|les|la|le|l['’])\s*)?", text[c.end:hi])
            c = _attached(cands, c.end + nxt.end(), text, 1) if nxt else None
    if antecedent and _SELON_PRON_RE.search(text, lo, hi):
        out.append((0, antecedent, lo))
    for c in cands:
        if c.kind == "label" and c.head.startswith("source") and re.search(r"\b[dD]e\s+$", text[max(lo, c.start - 4):c.start]):
            add(c)
    for m in _CITED_RE.finditer(text, lo, hi):
        y = _attached(cands, m.end(), text)
        if y is not None:
            add(y, relay=m.group("v").lower() != "signé")
        x = next((c for c in reversed(cands) if c.end <= m.start() and not text[c.end:m.start()].strip(" ,")), None)
        if x is not None:
            add(x)
    verbs = speech_verbs(text, lo, hi)
    for m in verbs:
        sub, pron = speech_subject(doc, text, lo, hi, m, cands)
        if sub is not None:
            add(sub)
        elif pron and antecedent:
            out.append((0, antecedent, m.start()))
    if verbs:
        for c in cands:
            if c.media and _RELAY_PREP_RE.search(text[max(lo, c.start - 40):c.start]):
                add(c, relay=True)
    return out


def _order(found: list[tuple[int, Source, int]]) -> list[Source]:
    seen: dict[tuple[str, str], int] = {}
    for rank, src, pos in sorted(found, key=lambda t: (t[0], t[2])):
        seen.setdefault((src.kind, src.key), len(seen))
    by_key = {(s.kind, s.key): s for _, s, _ in found}
    return [by_key[k] for k, _ in sorted(seen.items(), key=lambda kv: kv[1])]


_FOCUS_RE = re.compile(r"\b(?:tandis qu|alors qu|mais\b)|;|\n|\.\s+(?=[A-ZÀ-Ý«“])", re.I)


def sources_for(sent: SpacySpan, mentions: list[Mention], actors: dict[str, Actor], persons: dict[str, Person], *,
                quote_speakers: dict[int, Source] | None = None, national_actor: NationalActor = _no_national,
                country: str | None = None, at: int | None = None, antecedent: Source | None = None) -> list[Source]:
    """Sources of the facts in ``sent``, original source first, then relays (media named with "selon",
    "citée par", "à l'AFP" come after the source they relay).

    ``at`` (a character offset, e.g. of a figure) restricts the reading to its clause ("X avait évoqué …,
    tandis que Y parlait de …") when that clause names a source. ``antecedent`` is who "il"/"elle"/"selon
    lui" refers to. A sentence with no source of its own inside a quote takes the quote's speaker.
    """
    doc = sent.doc
    lo, hi = sentence_bounds(doc.text, sent.start_char, sent.end_char)
    cands = candidates(doc.text, lo, hi, mentions, actors, persons, national_actor, country)
    if at is not None and lo <= at < hi:
        cuts = [lo] + [m.start() for m in _FOCUS_RE.finditer(doc.text, lo, hi)] + [hi]
        for a, b in zip(cuts, cuts[1:]):
            if a <= at < b and (a, b) != (lo, hi):
                found = _analyse(doc, a, b, [c for c in cands if c.start >= a and c.end <= b], antecedent)
                if found:
                    return _order(found)
    found = _analyse(doc, lo, hi, cands, antecedent)
    if not found and quote_speakers:
        for qs, qe in _quote_spans(doc.text):
            if qs in quote_speakers and min(hi, qe) - max(lo, qs) >= (hi - lo) / 2:
                return [quote_speakers[qs]]
    return _order(found)


def _surname_person(word: str, persons: dict[str, Person]) -> Source | None:
    """The person whose full name ends with ``word`` ("a ajouté Dembele")."""
    w = word.lower()
    for key, p in persons.items():
        names = [p.name, *p.aliases]
        if len(p.name.split()) > 1 and any(n.split()[-1].lower() == w for n in names):
            return Source("person", key, p.name)
    return None


_AFTER_QUOTE_RE = re.compile(r"\s*,?\s*(?:(?:a|ont|avait|avaient|aurait)\s+)?(?:[a-zé]+ment\s+)?(?=\w)", re.I)


def quote_speakers(doc: Doc, mentions: list[Mention], actors: dict[str, Actor], persons: dict[str, Person], *,
                   national_actor: NationalActor = _no_national, country: str | None = None) -> dict[int, Source]:
    """Quote start offset -> speaker: the incise right after the quote ("», a ajouté X", "», selon X"),
    else the speech verb of the sentence the quote opens in ("X a affirmé : « … »"); "-t-il"/"il"
    refers to the previous speaker."""
    text = doc.text
    result: dict[int, Source] = {}
    last: Source | None = None
    for qs, qe in _quote_spans(text):
        sent_lo, sent_hi = sentence_bounds(text, qs, qe)
        speaker: Source | None = None
        inc = _AFTER_QUOTE_RE.match(text, qe)
        verb = _SPEECH_RE.match(text, inc.end()) if inc else None
        selon = re.match(rf"\s*,\s*(?:selon|d{A}après)\s+", text[qe:])
        if verb or selon:
            cands = candidates(text, qe, sent_hi, mentions, actors, persons, national_actor, country)
            pos = verb.end() if verb else qe + selon.end()
            c = _attached(cands, pos, text, 8, skip_relay=True)
            if c is not None:
                speaker = c.source
            elif verb and verb.group(0).lower().endswith(("-t-il", "-t-elle")):
                speaker = last
            else:
                w = re.match(r"[\s\w,]*?\b([A-ZÀ-Ý][\w-]+)", text[pos:sent_hi])
                speaker = _surname_person(w.group(1), persons) if w else None
        if speaker is None:  # the speech verb of the line, nearest before the quote, else the first after it
            lo = max(sent_lo, text.rfind("\n", 0, qs) + 1)
            hi = min(sent_hi, text.find("\n", qe) % (len(text) + 1))
            verbs = speech_verbs(text, lo, hi)
            verbs = [m for m in verbs if m.end() <= qs][-1:] or [m for m in verbs if m.start() >= qe][:1]
            if verbs:
                cands = candidates(text, lo, hi, mentions, actors, persons, national_actor, country)
                sub, pron = speech_subject(doc, text, lo, hi, verbs[0], cands)
                speaker = sub.source if sub else (last if pron else None)
        if speaker is not None:
            result[qs] = speaker
            last = speaker
    return result


def sentence_sources(doc: Doc, mentions: list[Mention], actors: dict[str, Actor], persons: dict[str, Person], *,
                     national_actor: NationalActor = _no_national, country: str | None = None) -> dict[int, list[Source]]:
    """Sentence start offset -> its sources, with quote speakers and pronoun antecedents threaded through."""
    speakers = quote_speakers(doc, mentions, actors, persons, national_actor=national_actor, country=country)
    out: dict[int, list[Source]] = {}
    last: Source | None = None
    for sent in doc.sents:
        found = sources_for(sent, mentions, actors, persons, quote_speakers=speakers,
                            national_actor=national_actor, country=country, antecedent=last)
        out[sent.start_char] = found
        origin = next((s for s in found if s.kind != "actor" or getattr(actors.get(s.key), "type", None) not in ("media", "intelligence_firm")), None)
        last = origin or last
    return out
