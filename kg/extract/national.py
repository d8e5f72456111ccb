"""The national force, government or mission a generic designation means in a country.

"l'armée", "un camp militaire", "le gouvernement", "des gendarmes" name no
organisation; in a report about Mali they mean FAMa, the Malian government, the
gendarmerie. This resolver answers ``(kind, country) -> actor key`` from the
gazetteer and remembers what it handed out so that the actor joins the graph.
"""
from __future__ import annotations

from kg.extract.model import Actor
from kg.nlp import gazetteer as gz

# kind -> gazetteer canonical name of the generic entry, resolved per country by gazetteer.country_variant
_GENERIC: dict[str, str] = {
    "army": "Forces armées nationales",
    "defence_ministry": "Ministère de la Défense",
    "police": "Police nationale",
    "gendarmerie": "Gendarmerie nationale",
}
_PER_COUNTRY: dict[str, dict[str, str]] = {
    "government": {"ML": "Government of Mali", "BF": "Government of Burkina Faso", "NE": "Government of Niger",
                   "FR": "Gouvernement français"},
    "un_mission": {"ML": "MINUSMA"},
}


def actor_from_entry(entry: gz.ActorEntry) -> Actor:
    """A document-level Actor for a gazetteer entry (mentions are added by the caller)."""
    return Actor(key=entry.key, name=entry.display, type=entry.type, aliases=sorted(set(entry.aliases) | {entry.name}),
                 wikidata=entry.wikidata, part_of=entry.part_of, affiliated_with=list(entry.affiliated_with),
                 country=entry.country)


class NationalForces:
    """Callable ``(kind, country) -> actor key``; kinds: army, government, police, gendarmerie,
    defence_ministry, un_mission. ``country`` None means the document's main country."""

    def __init__(self, actors: dict[str, Actor], country: str | None) -> None:
        self.actors = actors
        self.country = country
        self.handed: dict[str, gz.ActorEntry] = {}

    def __call__(self, kind: str, country: str | None = None) -> str | None:
        country = country or self.country
        entry = None
        if kind in _GENERIC:
            generic = gz.actor(gz.slug(_GENERIC[kind]))
            if generic is not None:
                key = gz.country_variant(generic.key, country)
                entry = gz.actor(key) or generic
        elif kind in _PER_COUNTRY and country in _PER_COUNTRY[kind]:
            entry = gz.actor(gz.slug(_PER_COUNTRY[kind][country]))
        if entry is None:
            return None
        self.handed[entry.key] = entry
        return entry.key

    def add_implied(self, actors: dict[str, Actor]) -> None:
        """Add every actor handed out (and not yet in the document) to ``actors``."""
        for key, entry in self.handed.items():
            if key not in actors:
                actors[key] = actor_from_entry(entry)
