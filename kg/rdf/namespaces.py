"""Namespaces used by kg, with the prefixes every output binds."""
from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD, DCTERMS, FOAF, ORG, TIME


class _Namespace(Namespace):
    """An rdflib ``Namespace`` that makes each term read as an attribute once (``KG.Attack``).

    rdflib builds and checks a new URIRef on every attribute read, and the mapping, the reasoner and the
    shapes read these namespaces for nearly every triple they write; a cached term is a plain attribute.
    """

    def __getattr__(self, name: str) -> URIRef:
        term = super().__getattr__(name)  # AttributeError for Python's special names, as rdflib does
        self.__dict__[name] = term
        return term


KG = _Namespace("https://w3id.org/sahel-kg/ontology#")
"""kg's own terms (classes and properties not found in a standard vocabulary)."""
KGT = _Namespace("https://w3id.org/sahel-kg/ontology/event-type/")
"""SKOS concepts of the event-type scheme."""
KGC = _Namespace("https://w3id.org/sahel-kg/ontology/code/")
"""SKOS concepts for casualty status, casualty category, qualifier, outcome, precision."""
SEM = _Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SCHEMA = _Namespace("https://schema.org/")
GEO = _Namespace("http://www.opengis.net/ont/geosparql#")
NIF = _Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
GAF = _Namespace("http://groundedannotationframework.org/gaf#")
WD = _Namespace("http://www.wikidata.org/entity/")
GN = _Namespace("https://sws.geonames.org/")
ACLED = _Namespace("https://acleddata.com/ontology/sub-event-type/")
CAMEO = _Namespace("http://eventdata.parusanalytics.com/cameo/")

PREFIXES: dict[str, Namespace] = {
    "kg": KG, "kgt": KGT, "kgc": KGC, "sem": SEM, "prov": PROV, "org": ORG, "foaf": FOAF,
    "schema": SCHEMA, "geo": GEO, "skos": SKOS, "time": TIME, "nif": NIF, "gaf": GAF,
    "wd": WD, "gn": GN, "owl": OWL, "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "dcterms": DCTERMS,
    "acled": ACLED, "cameo": CAMEO, "kgsh": Namespace("https://w3id.org/sahel-kg/shapes#"),
}


def new_graph() -> Graph:
    """An empty graph for one document's triples, with kg's prefixes only.

    ``SimpleMemory`` adds about 2.6x and iterates about 2x faster than rdflib's default store, and skipping
    rdflib's own default bindings makes the graph 2.5x cheaper to create (benchmarks/throughput.py makes
    several per document); such a graph is not context-aware, which only ConjunctiveGraph wrappers need.
    """
    return bind_prefixes(Graph(store="SimpleMemory", bind_namespaces="none"))


def bind_prefixes(graph: Graph) -> Graph:
    """Bind kg's readable prefixes on a graph (or dataset), replacing rdflib defaults."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph
