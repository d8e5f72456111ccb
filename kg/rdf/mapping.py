"""Extraction (plain dataclasses) -> asserted rdflib graph, as docs/graph-model.md says.

Every extracted node points back to its document (``prov:wasDerivedFrom``) and
to the character spans it came from (``gaf:denotedBy`` a ``nif:String``).
"""
from __future__ import annotations

import hashlib

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD, FOAF, ORG

from kg.extract.model import Actor, CasualtyFigure, Claim, Event, Extraction, Person, Place, Source, Span
from kg.rdf.iri import IriMinter
from kg.rdf.namespaces import GAF, GEO, GN, KG, KGC, KGT, NIF, SCHEMA, SEM, WD, new_graph

EVENT_CLASS = {
    "attack": KG.Attack, "ambush": KG.Ambush, "clash": KG.Clash, "explosion": KG.Explosion,
    "airstrike": KG.Airstrike, "abduction": KG.Abduction, "massacre": KG.Massacre, "other": KG.OtherViolence,
}
ACTOR_CLASS = {
    "armed_group": KG.ArmedGroup, "state_force": KG.StateForce, "international_force": KG.InternationalForce,
    "government": KG.Government, "media": KG.MediaOrganization, "intelligence_firm": KG.IntelligenceFirm,
    "other": KG.OtherOrganization, None: KG.OtherOrganization,
}
# kinds of violence that two reports of one incident may name differently ("attaque" / "massacre")
_FAMILY = {"airstrike": "air", "abduction": "abduction"}
PLACE_CLASS = {
    "country": KG.Country, "region": KG.Region, "county": KG.County, "locality": KG.Locality, "area": KG.Area,
}


def text_hash(text: str) -> str:
    """SHA-256 of the kept text: the store's key for skipping unchanged documents."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class GraphMapper:
    """Writes one document's extraction into an rdflib graph."""

    def __init__(self, extraction: Extraction, minter: IriMinter) -> None:
        self.x = extraction
        self.iri = minter
        self.doc_id = extraction.document.id
        self.doc = minter.document(self.doc_id)
        self.g = new_graph()
        self.event_iri = self._event_iris()

    def _event_iris(self) -> dict[str, URIRef]:
        """Event IRIs: an incident placed and dated to the day gets a corpus-wide IRI, so that two reports
        of it (other documents) reach the same node, each with its own figures and sources; any other
        event stays scoped to its document."""
        out: dict[str, URIRef] = {}
        seen: set[URIRef] = set()
        for e in self.x.events:
            iri = self.iri.event(self.doc_id, e.id)
            if e.place and e.date and e.date_precision in (None, "day") and e.place_precision in ("exact", "near"):
                shared = self.iri.incident(e.place, e.date.isoformat(), _FAMILY.get(e.type, "ground"))
                if shared not in seen:
                    iri = shared
            seen.add(iri)
            out[e.id] = iri
        return out

    # -- provenance -------------------------------------------------------------------
    def _mention(self, span: Span) -> URIRef:
        m = self.iri.mention(self.doc_id, span.start, span.end)
        g = self.g
        g.add((m, RDF.type, NIF.String))
        g.add((m, RDF.type, NIF.OffsetBasedString))
        g.add((m, NIF.referenceContext, self.doc))
        g.add((m, NIF.beginIndex, Literal(span.start, datatype=XSD.integer)))
        g.add((m, NIF.endIndex, Literal(span.end, datatype=XSD.integer)))
        g.add((m, NIF.anchorOf, Literal(self.x.document.text[span.start:span.end])))
        return m

    def _derived(self, node: URIRef, spans: list[Span]) -> None:
        self.g.add((node, PROV.wasDerivedFrom, self.doc))
        for span in spans:
            self.g.add((node, GAF.denotedBy, self._mention(span)))

    # -- nodes ------------------------------------------------------------------------
    def document(self) -> None:
        d, g = self.x.document, self.g
        g.add((self.doc, RDF.type, SCHEMA.NewsArticle))
        g.add((self.doc, RDF.type, PROV.Entity))
        g.add((self.doc, RDF.type, NIF.Context))
        g.add((self.doc, SCHEMA.identifier, Literal(d.id)))
        g.add((self.doc, SCHEMA.inLanguage, Literal(d.lang)))
        g.add((self.doc, NIF.isString, Literal(d.text)))
        g.add((self.doc, KG.textHash, Literal(text_hash(d.text))))
        if d.published:
            g.add((self.doc, SCHEMA.datePublished, Literal(d.published.isoformat(), datatype=XSD.date)))
        if d.url:
            g.add((self.doc, SCHEMA.url, Literal(d.url, datatype=XSD.anyURI)))

    def actor(self, a: Actor) -> URIRef:
        node, g = self.iri.actor(a.key), self.g
        for cls in (SEM.Actor, ORG.Organization, PROV.Agent, ACTOR_CLASS.get(a.type, KG.OtherOrganization)):
            g.add((node, RDF.type, cls))
        g.add((node, SKOS.prefLabel, Literal(a.name)))
        g.add((node, RDFS.label, Literal(a.name)))
        for alias in sorted(set(a.aliases) - {a.name}):
            g.add((node, SKOS.altLabel, Literal(alias)))
        if a.wikidata:
            g.add((node, OWL.sameAs, WD[a.wikidata]))
        if a.country:
            g.add((node, KG.countryCode, Literal(a.country)))
        if a.part_of and a.part_of in self.x.actors:
            g.add((node, ORG.subOrganizationOf, self.iri.actor(a.part_of)))
        for other in a.affiliated_with:
            if other in self.x.actors:
                g.add((node, KG.affiliatedWith, self.iri.actor(other)))
        if a.mentions:
            self._derived(node, a.mentions)
        else:  # a force the text implies ("l'armée" of the report's country): gazetteer knowledge
            self._from_gazetteer(node)
        return node

    def _from_gazetteer(self, node: URIRef) -> None:
        gazetteer = self.iri.dataset("gazetteer")
        self.g.add((node, PROV.wasDerivedFrom, gazetteer))
        self.g.add((gazetteer, RDF.type, PROV.Entity))
        self.g.add((gazetteer, RDFS.label, Literal("Sahel gazetteer (hand-checked entries and Who's On First)", lang="en")))

    def place(self, p: Place) -> URIRef:
        node, g = self.iri.place(p.key), self.g
        for cls in (SEM.Place, GEO.Feature, PLACE_CLASS.get(p.kind, KG.Locality)):
            g.add((node, RDF.type, cls))
        g.add((node, SKOS.prefLabel, Literal(p.name)))
        g.add((node, RDFS.label, Literal(p.name)))
        for alias in sorted(set(p.aliases) - {p.name}):
            g.add((node, SKOS.altLabel, Literal(alias)))
        if p.lat is not None and p.lon is not None:
            geom = self.iri.geometry(p.key)
            g.add((node, GEO.hasGeometry, geom))
            g.add((geom, RDF.type, GEO.Geometry))
            g.add((geom, GEO.asWKT, Literal(f"POINT({p.lon:.5f} {p.lat:.5f})", datatype=GEO.wktLiteral)))
        if p.country:
            g.add((node, KG.countryCode, Literal(p.country)))
        if p.geonames and self._owns_id("geonames", p):
            g.add((node, OWL.sameAs, GN[f"{p.geonames}/"]))
        if p.wikidata and self._owns_id("wikidata", p):
            g.add((node, OWL.sameAs, WD[p.wikidata]))
        for parent in p.within:
            if parent in self.x.places and parent != p.key:
                g.add((node, KG.locatedIn, self.iri.place(parent)))
        if p.mentions:
            self._derived(node, p.mentions)
        else:  # a containing region or country the text does not name: gazetteer knowledge
            self._from_gazetteer(node)
        return node

    def _owns_id(self, attr: str, p: Place) -> bool:
        """Whether ``p`` may carry this external id: when a town and its district share one (Bamako),
        only the town does, since owl:sameAs would make the two places one."""
        rivals = [q for q in self.x.places.values() if q.key != p.key and getattr(q, attr) == getattr(p, attr)]
        rank = {"locality": 0, "county": 1, "region": 2, "area": 3, "country": 4}
        return all((rank.get(p.kind, 5), p.key) < (rank.get(q.kind, 5), q.key) for q in rivals)

    def person(self, p: Person) -> URIRef:
        node, g = self.iri.person(p.key), self.g
        for cls in (FOAF.Person, SEM.Actor, PROV.Agent):
            g.add((node, RDF.type, cls))
        g.add((node, FOAF.name, Literal(p.name)))
        g.add((node, RDFS.label, Literal(p.name)))
        for alias in sorted(set(p.aliases) - {p.name}):
            g.add((node, SKOS.altLabel, Literal(alias)))
        if p.title:
            g.add((node, SCHEMA.honorificPrefix, Literal(p.title)))
        if p.organization and p.organization in self.x.actors:
            post = self.iri.post(p.key, p.organization)
            g.add((node, ORG.holds, post))
            g.add((post, RDF.type, ORG.Post))
            if True:
                org = self.iri.actor(p.organization)
                g.add((post, ORG.postIn, org))
                g.add((node, RDF.type, KG.Spokesperson))
                g.add((node, KG.speaksFor, org))
            if p.role:
                role = self.iri.role(p.role)
                g.add((post, ORG.role, role))
                g.add((role, RDF.type, ORG.Role))
                g.add((role, RDFS.label, Literal(p.role, lang="fr")))
            self._derived(post, p.mentions[:1])
        self._derived(node, p.mentions)
        return node

    def source(self, s: Source) -> URIRef:
        if s.kind == "actor":
            return self.iri.actor(s.key)
        if s.kind == "person":
            return self.iri.person(s.key)
        node = self.iri.source_label(s.key)
        self.g.add((node, RDF.type, PROV.Agent))
        self.g.add((node, RDF.type, KG.SourceLabel))
        self.g.add((node, RDFS.label, Literal(s.label, lang="fr")))
        return node

    def event(self, e: Event) -> URIRef:
        node, g = self.event_iri[e.id], self.g
        g.add((node, RDF.type, SEM.Event))
        g.add((node, RDF.type, EVENT_CLASS[e.type]))
        g.add((node, SEM.eventType, KGT[e.type]))
        g.add((node, RDFS.label, Literal(self.x.document.text[e.span.start:e.span.end], lang="fr")))
        g.add((node, KG.reportedIn, self.doc))
        if e.place and e.place in self.x.places:
            g.add((node, SEM.hasPlace, self.iri.place(e.place)))
            if e.place_precision:
                g.add((node, KG.placePrecision, KGC[e.place_precision]))
        if e.date:
            g.add((node, SEM.hasTimeStamp, Literal(e.date.isoformat(), datatype=XSD.date)))
            g.add((node, KG.datePrecision, KGC[e.date_precision or "day"]))
        for key in e.attackers:
            g.add((node, KG.attacker, self.iri.actor(key)))
        for key in e.targets:
            g.add((node, KG.target, self.iri.actor(key)))
        if e.outcome:
            g.add((node, KG.outcome, KGC[e.outcome]))
        if e.background:
            g.add((node, KG.background, Literal(True)))
        self._derived(node, [s for s in (e.span, e.date_span, e.place_span) if s])
        return node

    def figure(self, n: int, f: CasualtyFigure) -> URIRef:
        node, g = self.iri.figure(self.doc_id, n), self.g
        g.add((node, RDF.type, KG.CasualtyFigure))
        g.add((node, KG.casualtyStatus, KGC[f.status]))
        g.add((node, KG.casualtyCategory, KGC[f.category]))
        g.add((node, KG["count"], Literal(f.count, datatype=XSD.integer)))
        if f.count_max is not None:
            g.add((node, KG.countMax, Literal(f.count_max, datatype=XSD.integer)))
        g.add((node, KG.qualifier, KGC[f.qualifier]))
        if f.aggregate or len(f.events) != 1:
            g.add((node, RDF.type, KG.AggregateFigure))
            for eid in f.events:
                g.add((node, KG.covers, self.event_iri[eid]))
        else:
            g.add((node, KG.figureFor, self.event_iri[f.events[0]]))
        for s in f.sources:
            g.add((node, SEM.accordingTo, self.source(s)))
        if f.subset_of is not None:
            g.add((node, KG.subsetOf, self.iri.figure(self.doc_id, f.subset_of)))
        if f.revised_from is not None:
            g.add((node, KG.revises, self.iri.figure(self.doc_id, f.revised_from)))
        self._derived(node, [f.span])
        return node

    def claim(self, n: int, c: Claim) -> URIRef:
        node, g = self.iri.claim(self.doc_id, n), self.g
        g.add((node, RDF.type, KG.DenialOfResponsibility if c.denial else KG.ClaimOfResponsibility))
        g.add((node, KG.claimant, self.iri.actor(c.claimant)))
        if c.event:
            g.add((node, KG.claimedEvent, self.event_iri[c.event]))
        if c.relay:
            g.add((node, KG.relayedBy, self.iri.actor(c.relay)))
        if c.channel:
            g.add((node, KG.channel, self.iri.actor(c.channel)))
        self._derived(node, [c.span])
        return node

    def build(self) -> Graph:
        self.document()
        for a in self.x.actors.values():
            self.actor(a)
        for p in self.x.places.values():
            self.place(p)
        for p in self.x.persons.values():
            self.person(p)
        for e in self.x.events:
            self.event(e)
        for n, f in enumerate(self.x.figures):
            self.figure(n, f)
        for n, c in enumerate(self.x.claims):
            self.claim(n, c)
        for n, s in enumerate(self.x.statements):
            node = self.iri.statement(self.doc_id, n)
            self.g.add((node, RDF.type, KG.Statement))
            self.g.add((node, PROV.wasAttributedTo, self.source(s.speaker)))
            self.g.add((node, KG.quote, Literal(s.text)))
            self._derived(node, [s.span])
        return self.g


def to_graph(extraction: Extraction, minter: IriMinter | None = None) -> Graph:
    """The asserted graph of one document (kg.rdf.mapping is the only extraction->RDF step)."""
    return GraphMapper(extraction, minter or IriMinter()).build()
