"""The Sahel gazetteer as linkable entries: actors, persons and places, indexed once.

Sources, in order of authority: the hand-checked ``sahel-gazetteer.json`` (its
places win over Who's On First rows describing the same place), the small tables
below (French display names, generic French designations, actors and places that
French Sahel news names constantly but the JSON lacks), and the Who's On First
TSV (37k places of Mali, Burkina Faso and Niger).

Keys are stable across documents: an actor's key is the slug of its canonical
gazetteer name (``jama-at-nusrat-al-islam-wal-muslimin``); a JSON place is
``gaz-<slug>``, a WOF row ``wof-<id>``, a country outside the JSON
``country-<iso2>``, a named area or foreign city ``ext-<slug>``.

Display rule for actors (what an analyst reading French news expects): the
``DISPLAY`` override if listed; else the canonical name when it has at most
three words; else its first acronym alias (``MUJAO``, ``VDP``); else the name.
Every name and alias stays an alias.
"""
from __future__ import annotations

import csv
import functools
import logging
import math
import re
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from kg import resources

log = logging.getLogger(__name__)

# -- data tables -------------------------------------------------------------

#: Gazetteer canonical name -> French display label.
DISPLAY: dict[str, str] = {
    "Al-Qaeda in the Islamic Maghreb": "AQMI", "Al-Qaeda": "Al-Qaïda",
    "Islamic State Sahel Province": "EIGS", "Islamic State": "État islamique",
    "Forces Armées Maliennes": "FAMa", "Wagner Group": "Wagner",
    "Plateforme des mouvements du 14 juin 2014 d'Alger": "Plateforme",
    "Operation Barkhane": "Barkhane", "Operation Serval": "Serval", "Task Force Takuba": "Takuba",
    "G5 Sahel Joint Force": "Force conjointe du G5 Sahel", "ECOWAS": "CEDEAO",
    "African Union": "Union africaine", "United Nations": "ONU",
    "Alliance of Sahel States": "Alliance des États du Sahel",
    "Government of Mali": "gouvernement malien", "Government of Burkina Faso": "gouvernement burkinabè",
    "Government of Niger": "gouvernement nigérien", "Agence France-Presse": "AFP",
    "Radio France Internationale": "RFI", "SITE Intelligence Group": "SITE",
}

#: Actor types as French conflict reporting codes them: Russian paramilitaries deployed with an army fight as a
#: state force (ACLED codes Wagner as "Military Forces of Russia"), whatever their legal status.
TYPE_OVERRIDES: dict[str, str] = {"Wagner Group": "state_force"}

#: Common French designations, added as aliases of a gazetteer actor (by canonical name).
GENERIC_ALIASES: dict[str, tuple[str, ...]] = {
    "Forces Armées Maliennes": ("armée malienne", "Forces armées maliennes", "forces armées maliennes",
                                "armée du Mali", "troupes maliennes", "forces maliennes", "état-major malien"),
    "Forces armées burkinabè": ("armée burkinabè", "armée burkinabé", "forces armées burkinabè",
                                "armée du Burkina", "troupes burkinabè", "forces burkinabè"),
    "Forces armées nigériennes": ("armée nigérienne", "forces armées nigériennes", "armée du Niger",
                                  "troupes nigériennes", "forces nigériennes"),
    "MINUSMA": ("Casques bleus", "casques bleus", "Mission de l'ONU au Mali",
                "Mission des Nations unies au Mali", "mission de l'ONU au Mali"),
    "United Nations": ("Nations unies", "Nations Unies", "Organisation des Nations unies"),
    "Wagner Group": ("troupes russes", "forces russes", "instructeurs russes", "paramilitaires russes",
                     "groupe Wagner", "Groupe Wagner"),
    "Islamic State Sahel Province": ("État islamique au Grand Sahara", "État islamique dans le Grand Sahara",
                                     "État islamique au Sahel", "État islamique dans le Sahel",
                                     "État islamique – province du Sahel", "province du Sahel de l'État islamique",
                                     "branche sahélienne de l'État islamique",
                                     "branche sahélienne de l'organisation État islamique",
                                     "branche sahélienne du groupe État islamique", "EIGS", "EIS"),
    "Islamic State": ("groupe État islamique", "organisation État islamique", "organisation de l'État islamique"),
    "Islamic State West Africa Province": ("État islamique en Afrique de l'Ouest", "EIAO", "Iswap"),
    "Jama'at Nusrat al-Islam wal-Muslimin": ("Groupe de soutien à l'islam et aux musulmans",
                                             "Groupe de soutien à l'Islam et aux musulmans", "Jnim"),
    "Al-Qaeda in the Islamic Maghreb": ("Al-Qaida au Maghreb islamique", "Al-Qaïda au Maghreb islamique", "Aqmi"),
    "Al-Qaeda": ("Al-Qaïda", "al-Qaïda", "Al Qaïda"),
    "Katiba Macina": ("katiba du Macina", "katiba Macina", "Katiba Massina"),
    "Operation Barkhane": ("force Barkhane", "opération Barkhane", "force française Barkhane"),
    "Government of Mali": ("gouvernement malien", "autorités maliennes", "gouvernement du Mali", "junte malienne"),
    "Government of Burkina Faso": ("gouvernement burkinabè", "gouvernement burkinabé", "autorités burkinabè",
                                   "junte burkinabè"),
    "Government of Niger": ("gouvernement nigérien", "autorités nigériennes", "junte nigérienne"),
    "Agence France-Presse": ("agence France-Presse",),
    "Reuters": ("agence Reuters", "agence de presse Reuters"),
    "ECOWAS": ("Cédéao", "Cedeao"),
    "African Union": ("Commission de l'Union africaine",),
    "Alliance of Sahel States": ("Alliance des Etats du Sahel",),
    "Volontaires pour la défense de la patrie": ("volontaires pour la défense de la patrie",),
}

#: Actors French Sahel news names constantly but the JSON lacks:
#: (canonical name, display or None, type, country, part_of canonical name, aliases).
EXTRA_ACTORS: tuple[tuple[str, str | None, str, str | None, str | None, tuple[str, ...]], ...] = (
    ("Police nationale", None, "state_force", None, None,
     ("police nationale", "Direction générale de la Police nationale", "DGPN")),
    ("Gendarmerie nationale", None, "state_force", None, None, ("gendarmerie nationale",)),
    ("Garde nationale", None, "state_force", None, None, ("garde nationale",)),
    ("Forces de défense et de sécurité", "FDS", "state_force", None, None, ("FDS", "forces de défense et de sécurité")),
    ("Forces armées nationales", None, "state_force", None, None,
     ("forces armées nationales", "armée nationale", "forces gouvernementales", "troupes gouvernementales")),
    ("Ministère de la Défense", "ministère de la Défense", "government", None, None,
     ("ministère de la Défense", "ministère de la Défense nationale")),
    ("Ministère de la Défense du Mali", "ministère de la Défense du Mali", "government", "ML", "Government of Mali",
     ("ministère malien de la Défense",)),
    ("Ministère de la Défense du Niger", "ministère de la Défense du Niger", "government", "NE", "Government of Niger",
     ("ministère nigérien de la Défense",)),
    ("Ministère de la Défense du Burkina Faso", "ministère de la Défense du Burkina Faso", "government", "BF",
     "Government of Burkina Faso", ("ministère burkinabè de la Défense",)),
    ("Gouvernement français", "gouvernement français", "government", "FR", None,
     ("gouvernement français", "autorités françaises")),
    ("Ministère des Armées", "ministère des Armées", "government", "FR", "Gouvernement français",
     ("ministère français des Armées",)),
    ("Ministère français des Affaires étrangères", "ministère français des Affaires étrangères", "government", "FR",
     "Gouvernement français", ("Quai d'Orsay", "diplomatie française")),
    ("Élysée", None, "government", "FR", "Gouvernement français", ("Elysée", "présidence française")),
    ("Armée française", "armée française", "state_force", "FR", None,
     ("armée française", "armées françaises", "forces françaises", "Forces armées françaises",
      "militaires français", "état-major français")),
    ("Anadolu", None, "media", "TR", None, ("agence Anadolu", "Agence Anadolu", "Anadolu Agency")),
    ("Al-Akhbar", None, "media", "MR", None, ("Alakhbar", "Al Akhbar", "agence Al-Akhbar")),
    ("Az-Zallaqa", None, "media", None, "Jama'at Nusrat al-Islam wal-Muslimin", ("Az Zallaqa", "Al-Zallaqa", "Zallaqa")),
    ("Al-Naba", None, "media", None, "Islamic State", ("An-Naba", "Al Naba", "Al-Nabaa")),
    ("Amaq", None, "media", None, "Islamic State", ("agence Amaq", "Aamaq")),
    ("MENASTREAM", None, "intelligence_firm", None, None, ("Menastream",)),
    ("Haut-Commissariat des Nations unies aux droits de l'homme", "HCDH", "other", None, "United Nations",
     ("HCDH", "OHCHR", "Haut-Commissariat aux droits de l'homme")),
    ("Union européenne", None, "other", None, None, ("UE", "European Union")),
    ("Human Rights Watch", None, "other", None, None, ("HRW",)),
    ("Amnesty International", None, "other", None, None, ("Amnesty",)),
    ("Reporters sans frontières", None, "other", None, None, ("RSF",)),
    ("Comité international de la Croix-Rouge", "CICR", "other", None, None, ("CICR", "ICRC")),
    ("Médecins sans frontières", "MSF", "other", None, None, ("MSF",)),
    ("Programme alimentaire mondial", "PAM", "other", None, "United Nations", ("PAM", "WFP")),
    ("Haut-Commissariat des Nations unies pour les réfugiés", "HCR", "other", None, "United Nations", ("HCR", "UNHCR")),
    ("Jeune Afrique", None, "media", "FR", None, ()),
    ("Le Monde", None, "media", "FR", None, ("journal Le Monde",)),
    ("France 24", None, "media", "FR", None, ("France24",)),
    ("TV5Monde", None, "media", "FR", None, ("TV5 Monde",)),
    ("BBC", None, "media", "GB", None, ("BBC Afrique",)),
    ("Al Jazeera", None, "media", "QA", None, ("Al-Jazeera",)),
    ("Agence d'information du Burkina", "AIB", "media", "BF", None, ("AIB",)),
    ("Agence nigérienne de presse", "ANP", "media", "NE", None, ("ANP",)),
    ("Agence malienne de presse", "AMAP", "media", "ML", None, ("AMAP",)),
    ("Office de radiodiffusion télévision du Mali", "ORTM", "media", "ML", None, ("ORTM",)),
    ("Radiodiffusion Télévision du Burkina", "RTB", "media", "BF", None, ("RTB",)),
    ("Front de libération de l'Azawad", "FLA", "armed_group", "ML", None, ("FLA",)),
    ("Haut conseil pour l'unité de l'Azawad", "HCUA", "armed_group", "ML", None, ("HCUA",)),
    ("Boko Haram", None, "armed_group", "NG", None, ()),
)

#: A generic designation resolved by the country the document is about.
COUNTRY_VARIANTS: dict[str, dict[str, str]] = {
    "Forces armées nationales": {"ML": "Forces Armées Maliennes", "BF": "Forces armées burkinabè",
                                 "NE": "Forces armées nigériennes"},
    "Ministère de la Défense": {"ML": "Ministère de la Défense du Mali", "NE": "Ministère de la Défense du Niger",
                                "BF": "Ministère de la Défense du Burkina Faso"},
}

#: Countries outside the JSON gazetteer that Sahel news names: French name -> (ISO2, aliases).
EXTRA_COUNTRIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Mauritanie": ("MR", ()), "Algérie": ("DZ", ()), "Libye": ("LY", ()), "Tchad": ("TD", ()),
    "Nigeria": ("NG", ("Nigéria",)), "Bénin": ("BJ", ()), "Togo": ("TG", ()), "Ghana": ("GH", ()),
    "Côte d'Ivoire": ("CI", ()), "Guinée": ("GN", ()), "Sénégal": ("SN", ()), "Cameroun": ("CM", ()),
    "Maroc": ("MA", ()), "Tunisie": ("TN", ()), "Égypte": ("EG", ()), "Soudan": ("SD", ()),
    "France": ("FR", ()), "Russie": ("RU", ()), "États-Unis": ("US", ()), "Turquie": ("TR", ()),
    "Chine": ("CN", ()), "Allemagne": ("DE", ()), "Royaume-Uni": ("GB", ()), "Belgique": ("BE", ()),
    "Italie": ("IT", ()), "Espagne": ("ES", ()), "Canada": ("CA", ()), "Ukraine": ("UA", ()),
}

#: Capitals and areas (kind, name, country, aliases); no coordinates are recorded for them.
EXTRA_PLACES: tuple[tuple[str, str, str | None, tuple[str, ...]], ...] = (
    ("locality", "Paris", "FR", ()), ("locality", "Nouakchott", "MR", ()), ("locality", "Alger", "DZ", ()),
    ("locality", "Abidjan", "CI", ()), ("locality", "Dakar", "SN", ()), ("locality", "Conakry", "GN", ()),
    ("locality", "Abuja", "NG", ()), ("locality", "N'Djamena", "TD", ("Ndjamena",)), ("locality", "Lomé", "TG", ()),
    ("locality", "Cotonou", "BJ", ()), ("locality", "Accra", "GH", ()), ("locality", "Moscou", "RU", ()),
    ("locality", "Washington", "US", ()), ("locality", "New York", "US", ()), ("locality", "Genève", "CH", ()),
    ("area", "zone des trois frontières", None, ("trois frontières", "région des trois frontières", "Liptako-Gourma")),
    ("area", "Sahel", None, ()), ("area", "fleuve Niger", None, ()), ("area", "Azawad", "ML", ()),
    ("area", "delta intérieur du Niger", "ML", ("delta central du Niger",)),
)

_SAHEL_BBOX = (3.0, 26.0, -14.0, 17.0)  # lat min/max, lon min/max; drops misfiled rows (Malta as "ML")
_ADMIN_PREFIX = re.compile(r"^(?:r[ée]gion|province|cercle|d[ée]partement|commune|pr[ée]fecture)\s+"
                           r"(?:de la |de l'|de l’|des |du |de |d'|d’)?", re.I)
_PLACETYPE_KIND = {"country": "country", "region": "region", "county": "county"}
#: Prior of a placetype being the place a bare name means (a town before its region or cercle).
_PRIOR = {"country": 2.5, "area": 2.0, "town": 1.0, "commune": 0.9, "localadmin": 0.9, "village": 0.8,
          "region": 0.8, "county": 0.6, "locality": 0.5}

# -- normalisation -----------------------------------------------------------

_FOLD = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "œ": "oe", "Œ": "OE",
                       "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"})
_LEADING_ARTICLES = re.compile(r"^(?:(?:l|d)\s*'\s*|(?:les|la|le|du|des|de)\s+)+")
_NON_ALNUM = re.compile(r"[\W_]+")  # letters of any script survive (Arabic aliases)
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Strip accents and unify apostrophes, keeping case (``Ségou`` -> ``Segou``)."""
    if text.isascii():
        return text.replace("`", "'")
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in text if not unicodedata.combining(c))


@functools.lru_cache(maxsize=1 << 18)
def norm_name(text: str) -> str:
    """Matching form of a name: lowercase, no accents, ’ -> ', no leading article, punctuation collapsed."""
    text = fold(text).lower().strip()
    if text[:1] in ("l", "d"):
        text = _LEADING_ARTICLES.sub("", text)
    return _NON_ALNUM.sub(" ", text).strip()


def slug(text: str) -> str:
    """ASCII key fragment of a name (``Forces Armées Maliennes`` -> ``forces-armees-maliennes``)."""
    return _NON_SLUG.sub("-", fold(text).lower()).strip("-")


def strip_admin_prefix(name: str) -> str:
    """``Cercle d'Ansongo`` -> ``Ansongo``; ``région de Mopti`` -> ``Mopti``."""
    if " " not in name:
        return name
    return _ADMIN_PREFIX.sub("", name.strip()) or name


def max_edits(length: int) -> int:
    """Edit budget of a fuzzy match (OSA distance): 0 under 5 letters, 1 to 8, 2 to 14, then 3."""
    return 0 if length < 5 else 1 if length <= 8 else 2 if length <= 14 else 3


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


# -- entries -----------------------------------------------------------------

@dataclass(frozen=True)
class ActorEntry:
    """A gazetteer organisation or force."""

    key: str
    name: str  # canonical gazetteer name
    display: str  # French label shown to analysts
    type: str | None  # kg.extract.model.ActorType
    aliases: tuple[str, ...]
    wikidata: str | None = None
    country: str | None = None
    part_of: str | None = None  # actor key
    affiliated_with: tuple[str, ...] = ()  # actor keys


@dataclass(frozen=True)
class PersonEntry:
    """A person the JSON gazetteer knows (leader, spokesperson)."""

    key: str
    name: str
    aliases: tuple[str, ...]
    role: str | None = None
    affiliated_with: tuple[str, ...] = ()  # actor keys


@dataclass(slots=True)
class PlaceEntry:
    """A gazetteer place; ``source`` is ``gazetteer`` (JSON), ``wof`` or ``extra``."""

    key: str
    name: str
    kind: str  # kg.extract.model.PlaceKind
    aliases: tuple[str, ...]
    admin1: str | None
    admin2: str | None
    country: str | None
    lat: float | None
    lon: float | None
    geonames: int | None
    wikidata: str | None
    population: int | None
    placetype: str
    source: str

    @property
    def rank(self) -> float:
        """Prior of being the place a bare name means: curated entries, then placetype, then town size."""
        pop = math.log10(self.population) / 4 if self.population and self.kind == "locality" else 0.0
        return (0.0 if self.source == "wof" else 3.0) + _PRIOR.get(self.placetype, 0.5) + pop


@dataclass
class Gazetteer:
    """All entries with their lookup indexes (built once by :func:`load_gazetteer`)."""

    actors: dict[str, ActorEntry] = field(default_factory=dict)
    persons: dict[str, PersonEntry] = field(default_factory=dict)
    places: dict[str, PlaceEntry] = field(default_factory=dict)
    actor_index: dict[str, str] = field(default_factory=dict)  # norm alias (or =ACRONYM) -> actor key
    person_index: dict[str, str] = field(default_factory=dict)
    place_index: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # norm name -> keys
    admin_index: dict[tuple, str] = field(default_factory=dict)  # (country[, region[, county]]) -> key
    country_variants: dict[str, dict[str, str]] = field(default_factory=dict)  # actor key -> {ISO2: key}

    def index_place(self, name: str, key: str) -> None:
        n = norm_name(name)
        if n and key not in self.place_index[n]:
            self.place_index[n].append(key)


# -- loading -----------------------------------------------------------------

def _display(name: str, aliases: tuple[str, ...]) -> str:
    if name in DISPLAY:
        return DISPLAY[name]
    if len(name.split()) <= 3:
        return name
    for alias in aliases:
        if " " not in alias and sum(c.isupper() for c in alias) >= 2 and \
                sum(c.isupper() for c in alias) * 2 >= sum(c.isalpha() for c in alias):
            return alias
    return name


def _load_actors(gaz: Gazetteer, data: dict) -> None:
    records = [r for r in data["actors"] if r.get("type") != "person"]
    records += [{"name": n, "display": d, "type": t, "country": c, "part_of": p, "aliases": list(a)}
                for n, d, t, c, p, a in EXTRA_ACTORS]
    keys = {r["name"]: slug(r["name"]) for r in records}
    for r in records:
        aliases = tuple(dict.fromkeys([*r.get("aliases", []), *GENERIC_ALIASES.get(r["name"], ())]))
        entry = ActorEntry(
            key=keys[r["name"]], name=r["name"], display=r.get("display") or _display(r["name"], aliases),
            type=TYPE_OVERRIDES.get(r["name"], r.get("type")), aliases=aliases, wikidata=r.get("wikidata"),
            country=r.get("country"),
            part_of=keys.get(r.get("part_of") or ""),
            affiliated_with=tuple(keys[a] for a in r.get("affiliated_with", []) if a in keys))
        gaz.actors[entry.key] = entry
        for alias in (entry.name, entry.display, *aliases):
            if norm_name(alias):
                gaz.actor_index.setdefault(_actor_index_key(alias), entry.key)
    for generic, by_country in COUNTRY_VARIANTS.items():
        gaz.country_variants[keys[generic]] = {c: keys[n] for c, n in by_country.items()}
    for r in data["actors"]:
        if r.get("type") == "person":
            entry = PersonEntry(key=slug(r["name"]), name=r["name"], aliases=tuple(r.get("aliases", [])),
                                role=r.get("role"),
                                affiliated_with=tuple(keys[a] for a in r.get("affiliated_with", []) if a in keys))
            gaz.persons[entry.key] = entry
            for alias in (entry.name, *entry.aliases):
                if norm_name(alias):
                    gaz.person_index.setdefault(norm_name(alias), entry.key)


def _actor_index_key(alias: str) -> str:
    """Short all-caps acronyms (UN, AU, EI) match case-sensitively: as words they are French (un, au)."""
    compact = fold(alias).strip()
    if compact.isupper() and sum(c.isalpha() for c in compact) <= 4:
        return "=" + compact
    return norm_name(alias)


def _json_kind(record: dict, wof_admin: dict[tuple[str, str], str]) -> str:
    """Place kind of a JSON record; a null ``kind`` is inferred from "Région de X" aliases or WOF's placetype."""
    kind = record.get("kind")
    if kind in ("country", "region", "county"):
        return kind
    if kind is None:
        if any(norm_name(a).startswith(("region ", "province ")) for a in record.get("aliases", [])):
            return "region"
        wof = wof_admin.get((record.get("country") or "", norm_name(record["name"])))
        if wof in ("region", "county", "country"):
            return wof
    return "locality"


def _load_json_places(gaz: Gazetteer, data: dict, wof_rows: list[dict]) -> list[PlaceEntry]:
    records = data["places"]
    wof_admin = {(r["country"], norm_name(r["name"])): r["placetype"] for r in wof_rows if r["placetype"] != "locality"}
    slugs = [slug(r["name"]) for r in records]
    entries = []
    for r, s in zip(records, slugs):
        kind = _json_kind(r, wof_admin)
        key = f"gaz-{s}-{kind}" if slugs.count(s) > 1 and kind != "locality" else f"gaz-{s}"
        bare = re.sub(r"\s*\(.*\)$", "", r["name"])  # "Tillabéri (région)" -> "Tillabéri"
        entry = PlaceEntry(key=key, name=r["admin1"] if kind == "region" and r.get("admin1") else bare, kind=kind,
                           aliases=tuple(dict.fromkeys([r["name"], bare, *r.get("aliases", [])])),
                           admin1=r.get("admin1"), admin2=r.get("admin2"), country=r.get("country"),
                           lat=r.get("lat"), lon=r.get("lon"), geonames=r.get("geonames"),
                           wikidata=r.get("wikidata"), population=None, placetype=r.get("kind") or kind,
                           source="gazetteer")
        gaz.places[key] = entry
        entries.append(entry)
        for name in entry.aliases:
            gaz.index_place(name, key)
    return entries


def _french_label(name: str, variants: list[str]) -> str:
    """The accented French spelling of a WOF name when one of its variants is one (``Bafoulabe`` -> ``Bafoulabé``)."""
    if not name.isascii():
        return name
    target = norm_name(name)
    for v in variants:
        if not v.isascii():
            v = strip_admin_prefix(v)
            if norm_name(v) == target:
                return v
    return name


def _same_place(e: PlaceEntry, row: dict, lat: float | None, lon: float | None) -> bool:
    """Whether a WOF row found under one of ``e``'s names describes ``e`` (same GeoNames id, or level and spot)."""
    if e.country != row["country"]:
        return False
    if e.geonames and row["geonames"] and str(e.geonames) == row["geonames"]:
        return True
    if e.kind in ("country", "region", "county") or row["placetype"] in ("country", "region", "county"):
        return e.kind == row["placetype"]
    if e.lat is not None and lat is not None:
        return haversine_km(e.lat, e.lon, lat, lon) < 15
    return norm_name(e.admin1 or "") == norm_name((row["region"] or "").split("|")[0])


def _read_wof() -> list[dict]:
    with open(resources.wof_places_path(), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _load_wof(gaz: Gazetteer, json_places: list[PlaceEntry], rows: list[dict]) -> None:
    by_name: dict[str, list[PlaceEntry]] = defaultdict(list)
    for e in json_places:
        for a in e.aliases:
            by_name[norm_name(a)].append(e)
    json_regions = {(e.country, norm_name(e.admin1 or "")): e for e in json_places if e.kind == "region"}
    # French labels of admin units (the JSON's admin1 wins: WOF "Timbuktu" -> "Tombouctou").
    label: dict[tuple[str, str], str] = {}
    for r in rows:
        if r["placetype"] == "region":
            names = {norm_name(r["name"]), *(norm_name(n) for n in r["names_fra"].split("|") if n)}
            match = next((e for (c, n), e in json_regions.items() if c == r["country"] and (
                n in names or (e.geonames and str(e.geonames) == r["geonames"]))), None)
            label[(r["country"], norm_name(r["name"]))] = match.admin1 if match else r["name"]
        elif r["placetype"] == "county":
            label[(r["country"], norm_name(r["name"]))] = _french_label(r["name"], r["names_fra"].split("|"))
    places, index_place = gaz.places, gaz.index_place
    for r in rows:
        lat = float(r["lat"]) if r["lat"] else None
        lon = float(r["lon"]) if r["lon"] else None
        if lat is not None and not (_SAHEL_BBOX[0] <= lat <= _SAHEL_BBOX[1] and _SAHEL_BBOX[2] <= lon <= _SAHEL_BBOX[3]):
            continue
        country, ptype, fra = r["country"], r["placetype"], r["names_fra"]
        others = [n for n in r["names_other"].split("|") if n]
        if ptype in ("locality", "localadmin"):  # drop wrong concordances ("Tile": "Carreau|Kachel|...")
            base = norm_name(r["name"])
            others = [n for n in others if fuzz.ratio(norm_name(n), base) >= 70]
        variants = [n for n in fra.split("|") if n] + others
        names = {norm_name(r["name"]), *(norm_name(strip_admin_prefix(v)) for v in fra.split("|") if v)}
        twin = next((e for n in names for e in by_name.get(n, ()) if _same_place(e, r, lat, lon)), None)
        if twin is not None:  # the JSON entry is authoritative; WOF only adds lookup names
            for v in (r["name"], *variants):
                index_place(v, twin.key)
            continue
        region_name = (r["region"] or "").split("|")[0]
        region = label.get((country, norm_name(region_name)), region_name or None)
        county = r["county"] or None
        cercle = norm_name(county or (r["name"] if ptype == "county" else ""))
        if (country, cercle) in json_regions:  # a region created after WOF's division (Ménaka)
            region = json_regions[(country, cercle)].admin1
        if ptype in ("region", "county"):
            name = label[(country, norm_name(r["name"]))]
        else:
            name = _french_label(r["name"], variants)
        entry = PlaceEntry(
            key=f"wof-{r['wof_id']}", name=name, kind=_PLACETYPE_KIND.get(ptype, "locality"),
            aliases=tuple(dict.fromkeys([r["name"], *variants])),
            admin1=None if ptype == "country" else name if ptype == "region" else region,
            admin2=name if ptype == "county" else label.get((country, cercle), county) if county else None,
            country=country or None, lat=lat, lon=lon, geonames=int(r["geonames"]) if r["geonames"] else None,
            wikidata=r["wikidata"] or None, population=int(r["population"]) if r["population"] else None,
            placetype=ptype, source="wof")
        places[entry.key] = entry
        for v in (name, *entry.aliases):
            index_place(v, entry.key)


def _load_extras(gaz: Gazetteer) -> None:
    for name, (iso, aliases) in EXTRA_COUNTRIES.items():
        key = f"country-{iso.lower()}"
        gaz.places[key] = PlaceEntry(key, name, "country", (name, fold(name), *aliases), None, None, iso,
                                     None, None, None, None, None, "country", "extra")
    for kind, name, country, aliases in EXTRA_PLACES:
        key = f"ext-{slug(name)}"
        gaz.places[key] = PlaceEntry(key, name, kind, (name, fold(name), *aliases), None, None, country,
                                     None, None, None, None, None, kind, "extra")
    for key, e in gaz.places.items():
        if e.source == "extra":
            for a in e.aliases:
                gaz.index_place(a, key)


def _build_admin_index(gaz: Gazetteer) -> None:
    """(country,), (country, region) and (country, region, county) -> key of that admin unit."""
    for e in sorted(gaz.places.values(), key=lambda e: -e.rank):
        if e.kind == "country" and e.country:
            gaz.admin_index.setdefault((e.country,), e.key)
        elif e.kind == "region" and e.country and e.admin1:
            gaz.admin_index.setdefault((e.country, norm_name(e.admin1)), e.key)
        elif e.kind == "county" and e.country and e.admin1:
            gaz.admin_index.setdefault((e.country, norm_name(e.admin1), norm_name(e.name)), e.key)
            for a in e.aliases:
                gaz.admin_index.setdefault((e.country, norm_name(e.admin1), norm_name(strip_admin_prefix(a))), e.key)


@functools.cache
def load_gazetteer() -> Gazetteer:
    """Build every entry and index once per process."""
    started = time.perf_counter()
    data = resources.gazetteer()
    gaz = Gazetteer()
    _load_actors(gaz, data)
    rows = _read_wof()
    _load_wof(gaz, _load_json_places(gaz, data, rows), rows)
    _load_extras(gaz)
    _build_admin_index(gaz)
    for keys in gaz.place_index.values():
        keys.sort(key=lambda k: -gaz.places[k].rank)
    log.info("gazetteer: %d actors, %d persons, %d places, %d place names in %.2fs", len(gaz.actors),
             len(gaz.persons), len(gaz.places), len(gaz.place_index), time.perf_counter() - started)
    return gaz


# -- lookups -----------------------------------------------------------------

def actor_by_alias(text: str, *, fuzzy: bool = False) -> ActorEntry | None:
    """The actor one of whose names normalises like ``text``; with ``fuzzy``, within a small edit distance."""
    gaz = load_gazetteer()
    n = norm_name(text)
    key = gaz.actor_index.get("=" + fold(text).strip()) or gaz.actor_index.get(n)
    if key is None and fuzzy and n:
        names = similar_names(n, _actor_names())
        key = gaz.actor_index[names[0]] if names else None
    return gaz.actors.get(key) if key else None


def person_by_alias(text: str) -> PersonEntry | None:
    """The gazetteer person with this name or alias (``Souleymane Dembele`` -> Souleymane Dembélé)."""
    gaz = load_gazetteer()
    key = gaz.person_index.get(norm_name(text))
    return gaz.persons.get(key) if key else None


def places_by_name(text: str) -> list[PlaceEntry]:
    """Every place (homonyms included) with this name, most likely first (JSON, admin level, population)."""
    gaz = load_gazetteer()
    return [gaz.places[k] for k in gaz.place_index.get(norm_name(text), ())]


def place(key: str) -> PlaceEntry | None:
    """The place with this key."""
    return load_gazetteer().places.get(key)


def actor(key: str) -> ActorEntry | None:
    """The actor with this key."""
    return load_gazetteer().actors.get(key)


def admin_unit(country: str | None, region: str | None = None, county: str | None = None) -> PlaceEntry | None:
    """The country, region or county entry named by these admin names."""
    if not country:
        return None
    parts = tuple([country] + [norm_name(p) for p in (region, county) if p])
    key = load_gazetteer().admin_index.get(parts)
    return load_gazetteer().places[key] if key else None


def country_variant(key: str, country: str | None) -> str:
    """Key of the country's own actor for a generic designation (``Forces armées nationales`` in Mali -> FAMa)."""
    return load_gazetteer().country_variants.get(key, {}).get(country or "", key)


@functools.cache
def _actor_names() -> tuple[str, ...]:
    return tuple(n for n in load_gazetteer().actor_index if len(n) >= 5 and not n.startswith("="))


@functools.cache
def place_names() -> tuple[str, ...]:
    """Every normalised place name of the index (choices for fuzzy matching)."""
    return tuple(n for n in load_gazetteer().place_index if len(n) >= 5)


@functools.cache
def _compact_place_names() -> dict[str, tuple[str, ...]]:
    """Place names with their spaces and hyphens removed -> the index names they come from."""
    out: dict[str, list[str]] = defaultdict(list)
    for name in place_names():
        out[name.replace(" ", "").replace("-", "")].append(name)
    return {k: tuple(v) for k, v in out.items()}


def similar_compact_names(query: str, *, limit: int = 10) -> list[str]:
    """Place names close to ``query`` once spaces are ignored on both sides: "Tchoma Bangou" is two edits from
    "Tchambangou", but three with the space."""
    compact = _compact_place_names()
    found = similar_names(query.replace(" ", "").replace("-", ""), tuple(compact), limit=limit)
    return [name for key in found for name in compact[key]]


def similar_names(query: str, choices: tuple[str, ...], *, limit: int = 10) -> list[str]:
    """Normalised names within :func:`max_edits` of ``query`` (same first letter), closest first."""
    budget = max_edits(len(query))
    if not budget:
        return []
    bucket = _by_initial(choices).get(query[:1], ())
    found = process.extract(query, bucket, scorer=OSA.distance, score_cutoff=budget, limit=limit)
    return [name for name, _, _ in sorted(found, key=lambda m: m[1])]


_BUCKETS: dict[int, tuple[tuple[str, ...], dict[str, tuple[str, ...]]]] = {}


def _by_initial(choices: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Choices grouped by first letter (kept for the large, long-lived tuples of :func:`place_names`)."""
    cached = _BUCKETS.get(id(choices))
    if cached is not None and cached[0] is choices:
        return cached[1]
    groups: dict[str, list[str]] = defaultdict(list)
    for name in choices:
        groups[name[:1]].append(name)
    buckets = {k: tuple(v) for k, v in groups.items()}
    if len(choices) > 1000:
        _BUCKETS[id(choices)] = (choices, buckets)
    return buckets
