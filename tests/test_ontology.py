"""The ontology (ontology/kg.ttl), the event-type scheme and the code schemes."""
from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from kg.extract import model
from kg.rdf.namespaces import ACLED, CAMEO, KG, KGC, KGT, SEM
from kg.reason import infer, ontology
from kg.resources import ontology_files

GRAPH_MODEL = Path(__file__).resolve().parent.parent / "docs" / "graph-model.md"
ONTOLOGY = URIRef("https://w3id.org/sahel-kg/ontology")
DECLARATIONS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
MAPPINGS = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
# OWL vocabulary the ontology may use: declarations and OWL 2 RL axioms only.
OWL_RL_USED = {OWL.Ontology, OWL.versionIRI, OWL.versionInfo, OWL.Class, OWL.ObjectProperty,
               OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.TransitiveProperty, OWL.disjointWith}
CODE_SCHEMES = {
    KGC.status: model.Status, KGC.category: model.Category, KGC.qualifier: model.Qualifier,
    KGC.outcome: model.Outcome, KGC.datePrecision: model.DatePrecision, KGC.placePrecision: model.PlacePrecision,
}


def kg_terms() -> list[URIRef]:
    """Every kg: IRI the ontology files mention."""
    graph = ontology()
    terms = {t for triple in graph for t in triple if isinstance(t, URIRef) and t.startswith(str(KG))}
    return sorted(terms)


def languages(graph: Graph, subject: URIRef, predicate: URIRef) -> set[str | None]:
    return {o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal)}


@pytest.mark.parametrize("path", ontology_files(), ids=lambda p: p.name)
def test_ontology_file_parses(path: Path) -> None:
    assert len(Graph().parse(path, format="turtle")) > 0


def test_ontology_header() -> None:
    graph = ontology()

    assert (ONTOLOGY, RDF.type, OWL.Ontology) in graph
    assert graph.value(ONTOLOGY, OWL.versionIRI) is not None
    assert graph.value(ONTOLOGY, OWL.versionInfo) == Literal("0.1.0")
    assert graph.value(ONTOLOGY, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert {"fr", "en"} <= languages(graph, ONTOLOGY, DCTERMS.title)
    assert {"fr", "en"} <= languages(graph, ONTOLOGY, DCTERMS.description)


def test_every_kg_term_is_declared_with_labels_and_comments_in_french_and_english() -> None:
    graph = ontology()
    missing = []
    for term in kg_terms():
        if not set(graph.objects(term, RDF.type)) & DECLARATIONS:
            missing.append(f"{term}: no declaration")
        for predicate in (RDFS.label, RDFS.comment):
            if not {"fr", "en"} <= languages(graph, term, predicate):
                missing.append(f"{term}: {predicate} lacks fr or en")
    assert not missing, "\n".join(missing)


def test_every_kg_term_of_the_graph_model_is_in_the_ontology() -> None:
    used = {KG[name] for name in re.findall(r"\bkg:([A-Za-z]+)", GRAPH_MODEL.read_text(encoding="utf-8"))}

    assert used, "docs/graph-model.md names kg: terms"
    assert used <= set(kg_terms()), sorted(used - set(kg_terms()))


def test_ontology_uses_only_owl_rl_constructs() -> None:
    used = {t for triple in ontology() for t in triple if isinstance(t, URIRef) and t.startswith(str(OWL))}

    assert used <= OWL_RL_USED, sorted(used - OWL_RL_USED)


def test_ontology_is_consistent_under_owlrl() -> None:
    assert infer(Graph()).contradictions == []


def event_type_concepts() -> list[URIRef]:
    return sorted(ontology().subjects(SKOS.inScheme, KGT.scheme))


@pytest.mark.parametrize("concept", event_type_concepts(), ids=lambda c: c.removeprefix(str(KGT)))
def test_event_type_maps_to_acled_and_cameo(concept: URIRef) -> None:
    graph = ontology()
    targets = {o for p in MAPPINGS for o in graph.objects(concept, p)}

    assert any(t.startswith(str(ACLED)) for t in targets), "no ACLED sub-event type"
    assert any(t.startswith(str(CAMEO)) for t in targets), "no CAMEO code"
    assert {"fr", "en"} <= languages(graph, concept, SKOS.prefLabel)
    assert {"fr", "en"} <= languages(graph, concept, SKOS.definition)
    assert graph.value(concept, SKOS.notation) == Literal(concept.removeprefix(str(KGT)))
    assert (graph.value(concept, KG.eventClass), RDFS.subClassOf, SEM.Event) in graph


def test_event_types_are_those_of_the_extraction_model() -> None:
    notations = {str(ontology().value(c, SKOS.notation)) for c in event_type_concepts()}

    assert notations == set(typing.get_args(model.EventType))


@pytest.mark.parametrize("scheme", CODE_SCHEMES, ids=lambda s: s.removeprefix(str(KGC)))
def test_code_scheme_matches_the_extraction_model(scheme: URIRef) -> None:
    graph = ontology()
    concepts = set(graph.subjects(SKOS.inScheme, scheme))

    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    assert {c.removeprefix(str(KGC)) for c in concepts} == set(typing.get_args(CODE_SCHEMES[scheme]))
    for concept in concepts:
        assert graph.value(concept, SKOS.notation) == Literal(concept.removeprefix(str(KGC)))
        assert {"fr", "en"} <= languages(graph, concept, SKOS.prefLabel), concept
