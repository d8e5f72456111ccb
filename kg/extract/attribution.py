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

``sources_for`` reads one sentence; ``read_document`` reads a whole document
in one pass (own sentence segmentation, quote speakers, "il"/"selon lui"
threaded to the previous speaker) and is what ``quote_speakers`` and the
spokesperson stage use.
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
_COUNTRY = (r"Mali|Niger(?!ia)|Burkina(?: Faso)?|Tchad|Mauritanie|France|Nigeria|Côte d['’]Ivoire|Guinée|Sénégal"
            r"|Algérie|Bénin|Togo")
# Nationality adjective stems and country names -> ISO 3166-1 alpha-2 (longest prefix first: "nigérian" before "niger").
ISO2 = dict(sorted({
    "malien": "ML", "nigérien": "NE", "tchadien": "TD", "mauritanien": "MR", "nigérian": "NG", "ivoirien": "CI",
    "guinéen": "GN", "algérien": "DZ", "américain": "US", "français": "FR", "sénégalais": "SN", "béninois": "BJ",
    "togolais": "TG", "burkinab": "BF", "russe": "RU", "mali": "ML", "niger": "NE", "nigeria": "NG", "burkina": "BF",
    "tchad": "TD", "mauritanie": "MR", "france": "FR", "côte": "CI", "guinée": "GN", "sénégal": "SN", "algérie": "DZ",
    "bénin": "BJ", "togo": "TG"}.items(), key=lambda kv: -len(kv[0])))
_QUAL = rf"(?:\s+(?P<nat2>{_NAT}))?(?:\s+(?:du|de la|de l{A}|d{A})\s*(?P<cty>{_COUNTRY}))?"

# Generic designations of national institutions -> national_actor(kind, country).
_GENERIC_RE = re.compile(
    rf"\b(?:(?P<army>armée|(?<=des )armées|(?<=les )armées|état-major|forces armées)"
    rf"|(?P<defence_ministry>minist[èe]re(?:\s+(?P<nat1>{_NAT}))?\s+"
    rf"(?:de\s+la\s+Défense(?:\s+nationale)?|des\s+Armées))"
    rf"|(?P<government>gouvernement"
    rf"|autorités(?!\s+(?:locales|régionales|coutumières|religieuses|municipales|sanitaires)))"
    rf"|(?P<police>police(?:\s+nationale)?)"
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
    r"|dévoil|comptabilis|revendiqu|condamn|réclam|exprim|vant|confi)"
    r"(?:e|es|ent|ait|aient|é|ée|és|ées|ant|era|erait|eraient)"
    r"|reconn(?:aît|ait|u|ue|aissent|aissait)|dément(?:ait|aient|ent)?|démenti(?:e|s)?"
    r"|(?:fait|faisait|font|faisaient|faisant)\s+"
    r"(?:(?:aussi|également|encore|déjà|notamment|d['’]abord|\w+ment)\s+)?état"
    r"|parl(?:e|ent|ait|aient|é|ant)\s+(?:(?:plutôt|encore|aussi|désormais|quant à lui|pour sa part|\w+ment)\s+)?"
    r"(?:que\s+)?(?=d[e'’u]|des\b|à\b|aux?\b)"  # "ne parlait encore que de deux Casques bleus tués"
    r"|dress(?:e|ent|é|ait|aient)\s+(?:un|le)\s+(?:premier\s+)?bilan"
    r"|port(?:e|ent|é|ait|aient|ant)\s+(?:le|ce|son|leur)\s+bilan"  # "la présidence a porté le bilan à 86 tués"
    r"|dit|disent|conclut|concluent|promis|promet)\b(?:-t-(?:il|elle))?", re.I)
_NOUN_DET_RE = re.compile(rf"(?:\b(?:le|la|les|un|une|du|des|ce|cette|son|sa|ses)|l{A})\s*$", re.I)
_SELON_RE = re.compile(
    rf"\b(?:selon|d{A}après|(?:selon|d{A}après|dans|par)\s+(?:un|une|le|la|son|sa|leur)\s+(?:communiqué|rapport"
    rf"|document|bilan|message|texte|déclaration|note|enregistrement|vidéo)(?:\s+[{_LOW}]+)?\s+"
    rf"(?:de la|de l{A}|du|des|de|d{A}))",
    re.I)
_CITED_RE = re.compile(
    r",?\s*\b(?P<v>cité|interrogé|joint|contacté|consulté|relayé|rapporté|repris|obtenu|signé|diffusé|publié|communiqué)(?:e|s|es)?"
    r"(?:\s+(?!par\b)[\w'’]+){0,3}?\s+par\s+", re.I)
_RELAY_PREP_RE = re.compile(
    rf"\b(?:à|auprès de|au micro de|à l{A}antenne de|sur les ondes de)\s+(?:(?:l{A}|la |le )\s*)?"
    rf"(?:(?:agence|radio|chaîne)(?:\s+de presse)?\s+(?:[{_LOW}]+\s+)?)?$", re.I)
_PREP_RE = re.compile(rf"(?:(?:\b(?:de|à|par|avec|contre|sur|pour|dans|en|chez|vers|entre|sous|via)|d{A})\s*"
                      rf"(?:(?:la|le|les|l{A}|un|une|son|sa|ses|leur)\s*(?:[{_LOW}-]+\s+){{0,2}})?"
                      rf"|\b(?:du|des|au|aux)\s+(?:[{_LOW}-]+\s+){{0,2}})$", re.I)
_CLAUSE_RE = re.compile(rf"\n|\.\s|;|:|«|»|“|”|\b(?:tandis qu|alors qu|mais|qu{A}|que\b)|,\s+et\b", re.I)
_ROLE_APPOS_RE = re.compile(
    rf"\s*(?:le|la|les|l{A}|son|sa|leur)\s*(?:porte-parole|ministre|directeur|directrice|chef|maire|adjoint|préfet"
    rf"|gouverneur|secrétaire|présidente?|commandant|colonel|général|capitaine|lieutenant|responsable|représentant"
    rf"|coordinateur|conseiller|haut-commissaire|ambassadeur|député|commissaire)\b[^,.;:«»“”()]{{0,80}},\s*", re.I)
_PRONOUN_RE = re.compile(
    r"(?:^|[\s,])(?:il|elle|ils|elles|(?:le|ce) (?:texte|communiqué|document|message))\s+(?:\w+\s+){0,3}$", re.I)
_SELON_PRON_RE = re.compile(
    r"\b(?:selon|d['’]après)\s+(?:lui|elle|eux|elles|(?:ces|cette|la même|les mêmes)\s+sources?)\b", re.I)
_DEMONSTRATIVE_RE = re.compile(r"\b(?:ces|cette|ce|mêmes?)\s+$", re.I)
_INNER_DET_RE = re.compile(rf"\bet\s+(?:des|les|d{A})\s*", re.I)
_MODIFIER_RE = re.compile(rf"\s*(?:qui|dont|s{A}|se|en|lié|liée|affilié|affiliée|\w+ant)\b", re.I)
_INCISE_RE = re.compile(
    rf"(?:^|[,«»“”\":]|\bqui)\s*(?:(?:a|ont|avait|avaient|aurait|auraient)\s+)?"
    rf"(?:(?:lui|elle)\s+(?:aussi|même)\s+|(?:[{_LOW}]+ment|aussi|encore|d{A}abord|déjà|pour sa part)\s+)*$", re.I)
_AND_NEXT_RE = re.compile(rf"\s*(?:,|et)\s*(?:(?:des|les|la|le|l{A})\s*)?")
_FROM_SOURCE_RE = re.compile(r"\b[dD]e\s+$")
_AND_VERB_RE = re.compile(r"\bet\s+(?:\w+\s+){0,2}$")
_SELON_AFTER_QUOTE_RE = re.compile(rf"\s*,\s*(?:selon|d{A}après)\s+")
_CAPITALISED_RE = re.compile(r"[\s\w,]*?\b([A-ZÀ-Ý][\w-]+)")
_STOP_RE = re.compile(r"[;.]")
_DET_RE = re.compile(rf"^(?:(?:le|la|les|un|une|des|de|du)\s+|l{A}\s*)", re.I)
_BOUNDARY = re.compile(r"[,.;:«»“”\"()\n]|\bque\b|\bqu['’]|\bqui\b|\bdont\b", re.I)
_SENT_END_RE = re.compile(r"[.!?…](?=[\s»”\"]*\s[A-ZÀ-Ý0-9«“\"–-])|\n")
_INV_GAP_RE = re.compile(
    rf"^(?:\s*(?:(?:dans|par|via|sur|lors|devant|à)\s+(?:d{A}\s*)?(?:un|une|le|la|les|l{A}|son|sa|ses|leur)?\s*"
    rf"(?:communiqué|message|déclaration|texte|point de presse|conférence de presse|presse|radio|télévision|antenne"
    rf"|ondes|vidéo|enregistrement|réseaux sociaux)(?:\s+[{_LOW}]+)?"
    rf"|(?:à|auprès de)\s+(?:l{A}\s*)?(?:agence\s+(?:de presse\s+)?)?[A-ZÀ-Ý][\w-]*|hier|aujourd{A}hui|ce\s+[{_LOW}]+"
    rf"|(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|soir|matin|encore|aussi|également|enfin|ensuite"
    rf"|plus tard|lui-même|elle-même|[{_LOW}]+ment)\b))*\s*(?:(?:le|la|les|l{A}|un|une|des|son|sa|ses)\s*)?"
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


def no_national_actor(kind: str, country: str | None) -> str | None:
    """Default ``national_actor``: resolves nothing, so generic institutions become labels ("armée")."""
    return None


def label_source(label: str) -> Source:
    """A descriptive source: key is the normalised label (lowercase, plain apostrophes, single spaces)."""
    label = " ".join(label.split())
    return Source("label", label.lower().replace("’", "'"), label)


def country_of(m: re.Match, default: str | None) -> str | None:
    """ISO2 of a nationality adjective or country name captured in ``m`` (groups nat1/nat2/cty), else default."""
    word = next((m.groupdict()[g] for g in ("nat1", "nat2", "cty") if m.groupdict().get(g)), None)
    if word is None:
        return default
    return next((iso for stem, iso in ISO2.items() if word.lower().startswith(stem)), default)


_NATIONALITY_RE = re.compile(rf"\b(?P<nat1>{_NAT})\b|\b(?:du|de la|de l{A}|d{A})\s*(?P<cty>{_COUNTRY})\b", re.I)


def nationality_country(phrase: str, default: str | None) -> str | None:
    """ISO2 of the first nationality adjective or country name in ``phrase`` ("ministre français …"), else default."""
    m = _NATIONALITY_RE.search(phrase)
    return country_of(m, default) if m else default


def actor_source(key: str, actors: dict[str, Actor], label: str | None = None) -> Source:
    """Source for an actor key (its canonical name as label)."""
    actor = actors.get(key)
    return Source("actor", key, actor.name if actor else (label or key))


_OFFICIAL_RE = re.compile(r"\b(?:bilans?|chiffres?)\s+officiels?\b(?!\s+(?:de|du|des|d['’])\s)", re.I)
"""An official toll with no one named: "le bilan officiel s'établit à 132 morts" (the government's)."""
_NO_OFFICIAL_RE = re.compile(r"\b(?:faute|absence|pas|aucun|sans|attente)\s+(?:de\s+|d['’]\s*)?(?:un\s+|le\s+)?$", re.I)

_DEFINITE_RE = re.compile(r"\b(?:la|le|l['’])\s*(?P<head>mission|force|coalition|organisation|alliance|groupe|mouvement)"
                          r"\b(?!\s+(?:de|des|du|d['’]|(?-i:[A-ZÀ-Ý])))", re.I)
"""A definite description that names no one: "la mission recense …", "le groupe affirme …"."""


def _antecedent(head: str, before: int, text: str, mentions: list[Mention], actors: dict[str, Actor]) -> str | None:
    """The actor a definite description refers to: the last one named before it whose name starts with the
    description's head ("Mission des Nations unies au Mali" for "la mission"), or, for "le groupe" and
    "le mouvement", the last armed group named."""
    for m in sorted((m for m in mentions if m.kind == "actor" and m.end <= before and m.key in actors),
                    key=lambda m: m.start, reverse=True):
        words = re.sub(r"^(?:la|le|les|l['’])\s*", "", text[m.start:m.end], flags=re.I).split()
        if words and words[0].lower() == head:
            return m.key
        if head in ("groupe", "mouvement") and actors[m.key].type == "armed_group":
            return m.key
    return None


def candidates(text: str, lo: int, hi: int, mentions: list[Mention], actors: dict[str, Actor],
               persons: dict[str, Person], national_actor: NationalActor = no_national_actor,
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
    for m in _OFFICIAL_RE.finditer(s):
        start, end = lo + m.start(), lo + m.end()
        key = national_actor("government", country)
        if key and not _NO_OFFICIAL_RE.search(s, max(0, m.start() - 20), m.start()) \
                and not any(c.start < end and start < c.end for c in found):
            found.append(Cand(start, end, actor_source(key, actors), "generic", "official"))
    for m in _DEFINITE_RE.finditer(s):
        start, end = lo + m.start(), lo + m.end()
        key = _antecedent(m.group("head").lower(), start, text, mentions, actors)
        if key and not any(c.start < end and start < c.end for c in found):
            found.append(Cand(start, end, actor_source(key, actors), "actor"))
    for m in _LABEL_RE.finditer(s):
        start, end = lo + m.start(), lo + m.end()
        head = m.group("head").lower()
        if _DEMONSTRATIVE_RE.search(s, max(0, m.start() - 8), m.start()):
            continue  # "selon ces sources": anaphora, read as the previous source
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
        words = _INNER_DET_RE.sub("et ", words)
        found.append(Cand(start, end, label_source(words), "label", head))
    found.sort(key=lambda c: (c.start, -c.end))
    return found


_LAST_DOC: list = [None, ""]  # the last Doc read and its text: Doc.text re-joins every token on each access


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once for the document being read (``Doc.text`` is rebuilt on every access)."""
    if _LAST_DOC[0] is not doc:
        _LAST_DOC[:] = [doc, doc.text]
    return _LAST_DOC[1]


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


def attached(cands: list[Cand], pos: int, text: str, max_words: int = 5, skip_relay: bool = False) -> Cand | None:
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


def _appositive_person(cands: list[Cand], text: str, pos: int, hi: int) -> Cand | None:
    """The person named after a role apposition at ``pos``: "le préfet de Téra, Ali Maïga"."""
    role = _ROLE_APPOS_RE.match(text, pos, hi)
    return attached([d for d in cands if d.kind == "person"], role.end(), text, 0) if role else None


def prepositional(c: Cand, text: str, lo: int) -> bool:
    """Whether ``c`` sits in a prepositional phrase ("d'Al-Qaïda", "relayé par le colonel X"): not a subject."""
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
    persons = [c for c in pool if c.kind == "person" and not prepositional(c, text, start)]
    if persons:
        return persons[-1]
    bounds = [start] + [i + 1 for i in range(start, pos) if text[i] == ","] + [pos]
    for i in range(len(bounds) - 2, -1, -1):
        seg_lo, seg_hi = bounds[i], bounds[i + 1]
        if _MODIFIER_RE.match(text, seg_lo, seg_hi):
            continue
        inseg = [c for c in pool if c.start >= seg_lo and c.end <= seg_hi]
        for c in inseg:
            if not prepositional(c, text, seg_lo):
                return c
    return None


_SEGMENT_DET_RE = re.compile(rf"|(?:le|la|les|l{A}|un|une|des|ce|cette|ces)", re.I)


def _own_segment_subject(cands: list[Cand], text: str, lo: int, pos: int,
                         only: Callable[[Cand], bool]) -> Cand | None:
    """The candidate that opens the verb's own comma segment after earlier ones: "Mercredi, lors d'une visite
    du lieutenant-colonel X, la présidence a porté le bilan" (the parse may take X for the subject)."""
    start = _clause_start(text, lo, pos)
    seg = text.rfind(",", start, pos) + 1
    if seg <= start or _MODIFIER_RE.match(text, seg, pos):
        return None
    own = [c for c in cands if c.start >= seg and c.end <= pos and only(c)]
    if not own:
        return None
    first = own[0]
    before, after = text[seg:first.start].strip().lower(), text[first.end:pos].split()
    return first if _SEGMENT_DET_RE.fullmatch(before) and len(after) <= 3 else None


def _parse_subject(doc: Doc, vstart: int, vend: int, cands: list[Cand], only: Callable[[Cand], bool]) -> Cand | None:
    span = doc.char_span(vstart, vend, alignment_mode="expand")
    if span is None:
        return None
    text = doc_text(doc)
    verb_end = next((t.i + 1 for t in span if t.pos_ == "VERB"), span.end)
    for tok in span[: verb_end - span.start]:  # the verb itself, not a verb of its complement clause
        for child in tok.children:
            if child.dep_.startswith("nsubj") and child.i < tok.i:
                lo, hi = child.left_edge.idx, child.right_edge.idx + len(child.right_edge)
                pool = [c for c in cands if c.start < hi and lo < c.end and only(c)]
                persons = [c for c in pool if c.kind == "person" and not prepositional(c, text, lo)]
                if persons or pool:
                    return persons[0] if persons else next(
                        (c for c in pool if not prepositional(c, text, lo)), pool[0])
    return None


def speech_subject(doc: Doc, text: str, lo: int, hi: int, m: re.Match, cands: list[Cand],
                   only: Callable[[Cand], bool] = lambda c: True) -> tuple[Cand | None, bool]:
    """Who speaks through the speech verb matched at ``m`` (absolute offsets): (candidate, pronoun subject?).

    Inverted incise first ("…, a déclaré l'armée", "», a ajouté X"), then the parse's ``nsubj``, then the
    surface subject before the verb.
    """
    aux = _INCISE_RE.search(text[lo:m.start()])
    if aux:
        person = _appositive_person(cands, text, m.end(), hi)  # "…, affirme le gouverneur de X, Ali Maïga"
        if person and only(person):
            return person, False
        after = attached([c for c in cands if only(c) or c.kind != "label"], m.end(), text, 12, skip_relay=True)
        if after and only(after) and _INV_GAP_RE.match(text[m.end():after.start]):
            return after, False
        if aux.group(0).lstrip().lower().startswith("qui"):  # "X, qui évoquait …"
            prev = [c for c in cands if c.end <= lo + aux.start() + 2 and only(c)]
            if prev:
                return prev[-1], False
    if m.group(0).lower().endswith(("-t-il", "-t-elle")):
        return None, True
    sub = (_own_segment_subject(cands, text, lo, m.start(), only) or _parse_subject(doc, m.start(), m.end(), cands, only)
           or _segment_subject(cands, text, lo, m.start(), only))
    if sub is None:
        return None, bool(_PRONOUN_RE.search(text[_clause_start(text, lo, m.start()):m.start()]))
    return sub, False


def speech_verbs(text: str, lo: int, hi: int) -> list[re.Match]:
    """Speech-verb matches in ``text[lo:hi]`` (verbs, not the nouns "l'annonce", "le rapport")."""
    return [m for m in _SPEECH_RE.finditer(text, lo, hi)
            if not _NOUN_DET_RE.search(text, max(lo, m.start() - 8), m.start())]


@dataclass
class Reading:
    """What one sentence says about its sources: (rank, source, position) triples, rank 0 for an original
    source and 1 for media and relays; and the speaker of each speech verb (verb start, verb end, speaker)."""

    found: list[tuple[int, Source, int]]
    verbs: list[tuple[int, int, Source | None]]

    def sources(self) -> list[Source]:
        """Distinct sources, original ones first, then media and relays, each group in text order."""
        seen: dict[tuple[str, str], Source] = {}
        for _, src, _ in sorted(self.found, key=lambda t: (t[0], t[2])):
            seen.setdefault((src.kind, src.key), src)
        return list(seen.values())


def read(doc: Doc, lo: int, hi: int, cands: list[Cand], antecedent: Source | None = None) -> Reading:
    """Read ``doc.text[lo:hi]``: "selon X", "de source X", "X cité par Y", speech-verb subjects (a verb with no
    subject of its own after "et" shares the previous one; "il"/"elle"/"selon lui" take the sentence's
    earlier speaker, else ``antecedent``), "à l'AFP" relays."""
    text = doc_text(doc)
    out: list[tuple[int, Source, int]] = []

    def add(c: Cand, relay: bool = False) -> None:
        for d in cands:  # "sources sécuritaires et locales" is two labels on one span
            if d.start == c.start and d.end == c.end:
                out.append((1 if relay or d.media else 0, d.source, d.start))

    for m in _SELON_RE.finditer(text, lo, hi):
        # "selon le préfet de Téra, Ali Maïga, …" names the person, not the place
        c = _appositive_person(cands, text, m.end(), hi) or attached(cands, m.end(), text)
        while c is not None:
            add(c)
            nxt = _AND_NEXT_RE.match(text, c.end, hi)
            c = attached(cands, nxt.end(), text, 1) if nxt else None
    for c in cands:
        if c.kind == "label" and c.head.startswith("source") and _FROM_SOURCE_RE.search(text, max(lo, c.start - 4),
                                                                                         c.start):
            add(c)  # "de source sécuritaire"
    for c in cands:
        if c.kind == "generic" and c.head == "official":
            add(c)  # "le bilan officiel s'établit à …"
    for m in _CITED_RE.finditer(text, lo, hi):
        y = attached(cands, m.end(), text)
        if y is not None:
            add(y, relay=m.group("v").lower() != "signé")
        x = next((c for c in reversed(cands) if c.end <= m.start() and not text[c.end:m.start()].strip(" ,")), None)
        if x is not None:
            add(x)
    verbs: list[tuple[int, int, Source | None]] = []
    prev: Source | None = None
    for m in speech_verbs(text, lo, hi):
        sub, pron = speech_subject(doc, text, lo, hi, m, cands)
        speaker = sub.source if sub else None
        if sub is not None:
            add(sub)
        elif prev and (pron or _AND_VERB_RE.search(text, max(lo, m.start() - 30), m.start())):
            speaker = prev
        elif pron and antecedent:
            speaker = antecedent
            out.append((0, antecedent, m.start()))
        verbs.append((m.start(), m.end(), speaker))
        prev = speaker or prev
    for m in _SELON_PRON_RE.finditer(text, lo, hi):
        before = [s for a, _, s in verbs if s and a < m.start()]
        ref = before[-1] if before else antecedent
        if ref:
            out.append((0, ref, m.start()))
    if verbs:
        for c in cands:
            if c.media and _RELAY_PREP_RE.search(text[max(lo, c.start - 40):c.start]):
                add(c, relay=True)
    return Reading(out, verbs)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans by end punctuation before a capital, or a newline (kept independent of the parser)."""
    spans, start = [], 0
    for m in _SENT_END_RE.finditer(text):
        if text[start:m.end()].strip():
            spans.append((start, m.end()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


_FOCUS_RE = re.compile(r"\b(?:tandis qu|alors qu|mais\b)|;", re.I)


def sources_for(sent: SpacySpan, mentions: list[Mention], actors: dict[str, Actor], persons: dict[str, Person], *,
                quote_speakers: dict[int, Source] | None = None, national_actor: NationalActor = no_national_actor,
                country: str | None = None, at: int | None = None, antecedent: Source | None = None) -> list[Source]:
    """Sources of the facts in ``sent``, original source first, then relays (media named with "selon",
    "citée par", "à l'AFP" come after the source they relay).

    ``at`` (a character offset, e.g. of a figure) narrows the reading to its sentence (the parser's splits
    are widened or cut at end punctuation and newlines) and then to its clause ("X avait évoqué …, tandis
    que Y parlait de …") when that clause names a source. ``antecedent`` is who "il"/"elle"/"selon lui"
    refers to. A sentence mostly inside a quote, with no source of its own, takes the quote's speaker.
    """
    doc = sent.doc
    text = doc_text(doc)
    lo, hi = sentence_bounds(text, sent.start_char, sent.end_char)
    if at is not None and lo <= at < hi:
        lo, hi = next(((lo + a, lo + b) for a, b in sentence_spans(text[lo:hi]) if a <= at - lo < b), (lo, hi))
    cands = candidates(text, lo, hi, mentions, actors, persons, national_actor, country)
    if at is not None and lo <= at < hi:
        cuts = [lo] + [m.start() for m in _FOCUS_RE.finditer(text, lo, hi)] + [hi]
        for a, b in zip(cuts, cuts[1:]):
            if a <= at < b and (a, b) != (lo, hi):
                found = read(doc, a, b, [c for c in cands if c.start >= a and c.end <= b], antecedent).sources()
                if found:
                    return found
    found = read(doc, lo, hi, cands, antecedent).sources()
    if not found and quote_speakers:
        for qs, qe in _quote_spans(text):
            if qs in quote_speakers and min(hi, qe) - max(lo, qs) >= (hi - lo) / 2:
                return [quote_speakers[qs]]
    return found


def surname_person(word: str, persons: dict[str, Person]) -> Source | None:
    """The person whose full name (or an alias) ends with ``word`` ("a ajouté Dembele")."""
    w = word.lower()
    for key, p in persons.items():
        if len(p.name.split()) > 1 and any(n.split()[-1].lower() == w for n in (p.name, *p.aliases) if n):
            return Source("person", key, p.name)
    return None


_AFTER_QUOTE_RE = re.compile(r"\s*,?\s*(?:(?:a|ont|avait|avaient|aurait)\s+)?(?:[a-zé]+ment\s+)?(?=\w)", re.I)


def _incise_speaker(doc: Doc, qe: int, mentions: list[Mention], actors: dict[str, Actor], persons: dict[str, Person],
                    national_actor: NationalActor, country: str | None, last: Source | None) -> Source | None:
    """Speaker named in the incise right after a quote: "», a ajouté X", "», selon X", "», affirme-t-il"."""
    text = doc_text(doc)
    inc = _AFTER_QUOTE_RE.match(text, qe)
    verb = _SPEECH_RE.match(text, inc.end()) if inc else None
    selon = _SELON_AFTER_QUOTE_RE.match(text, qe)
    if not (verb or selon):
        return None
    hi = sentence_bounds(text, qe, qe + 1)[1]
    cands = candidates(text, qe, hi, mentions, actors, persons, national_actor, country)
    pos = verb.end() if verb else selon.end()
    c = _appositive_person(cands, text, pos, hi) or attached(cands, pos, text, 8, skip_relay=True)
    if c is not None:
        return c.source
    if verb and verb.group(0).lower().endswith(("-t-il", "-t-elle")):
        return last
    w = _CAPITALISED_RE.match(text, pos, hi)
    return surname_person(w.group(1), persons) if w else None


def read_document(doc: Doc, mentions: list[Mention], actors: dict[str, Actor], persons: dict[str, Person], *,
                  national_actor: NationalActor = no_national_actor,
                  country: str | None = None) -> tuple[list[tuple[int, int, list[Source]]], dict[int, Source]]:
    """One pass over the document: ([(sentence start, end, sources)], {quote start: speaker}).

    A quote's speaker is named in the incise after it, else by the speech verb of its line nearest
    before it (or the first one after it in the same clause); "il"/"elle" refer to the previous
    speaker. Sentences (own segmentation) with no source, mostly inside a quote, take its speaker.
    """
    text = doc_text(doc)
    quotes = _quote_spans(text)
    speakers: dict[int, Source] = {}
    rows: list[tuple[int, int, list[Source]]] = []
    last: Source | None = None
    for lo, hi in sentence_spans(text):
        cands = candidates(text, lo, hi, mentions, actors, persons, national_actor, country)
        reading = read(doc, lo, hi, cands, last)
        for qs, qe in quotes:
            if not lo <= qs < hi:
                continue
            sp = _incise_speaker(doc, qe, mentions, actors, persons, national_actor, country, last)
            if sp is None:
                before = [s for a, b, s in reading.verbs if b <= qs]
                after = [s for a, b, s in reading.verbs
                         if a >= qe and a - qe < 150 and not _STOP_RE.search(text, qe, a)]
                sp = before[-1] if before else after[0] if after else None
            if sp is not None:
                speakers[qs] = last = sp
        found = reading.sources()
        if not found:
            found = [speakers[qs] for qs, qe in quotes
                     if qs in speakers and min(hi, qe) - max(lo, qs) >= (hi - lo) / 2][:1]
        rows.append((lo, hi, found))
        origin = next((s for r, s, _ in sorted(reading.found, key=lambda t: (t[0], t[2])) if r == 0), None)
        last = origin or (found[0] if found else last)
    return rows, speakers


def quote_speakers(doc: Doc, mentions: list[Mention], actors: dict[str, Actor], persons: dict[str, Person], *,
                   national_actor: NationalActor = no_national_actor, country: str | None = None) -> dict[int, Source]:
    """Quote start offset (of the opening mark) -> speaker; see :func:`read_document`."""
    return read_document(doc, mentions, actors, persons, national_actor=national_actor, country=country)[1]
