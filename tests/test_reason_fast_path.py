"""The fast engines give exactly what the reference engines give.

* Reasoning: kg.rules (compiled OWL 2 RL rules over a pre-closed ontology and
  background) against owlrl, on every seed/dev document graph and on small
  graphs aimed at one rule each (named after the rule, as OWL-RL's own tests).
* Validation: kg.conformance (compiled shapes, then pySHACL on what may fail)
  against ``pyshacl.validate`` on the whole graph, on every corpus graph and
  every shape case of tests/cases/shapes/.

The corpus cases need the spaCy model and owlrl/pySHACL on ~900-triple graphs:
about a minute in all.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, XSD

from kg import rules
from kg.rdf.mapping import to_graph
from kg.rdf.namespaces import KG, SEM
from kg.reason import Reasoner, infer
from kg.validate import _compiled_shapes, validate
from test_shapes import BROKEN, CASES, broken_variant

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
REPORTS = sorted(CORPUS.glob("*/*.txt"))
ID = "https://w3id.org/sahel-kg/id/"
PREFIXES = f"""
@prefix : <{ID}> .
@prefix kg: <{KG}> .
@prefix sem: <{SEM}> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix wd: <http://www.wikidata.org/entity/> .
"""


def turtle(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


def same_closure(asserted: Graph, background: Graph | None = None, *, engine: str = "compiled") -> None:
    """Both engines give the same inferred triples and contradictions; ``engine`` did the fast run."""
    fast = Reasoner(background).infer(asserted) if background is not None else infer(asserted)
    reference = infer(asserted, background, engine="owlrl")
    assert set(fast.inferred) == set(reference.inferred), (
        f"only compiled: {sorted(set(fast.inferred) - set(reference.inferred))[:5]}\n"
        f"only owlrl: {sorted(set(reference.inferred) - set(fast.inferred))[:5]}")
    assert fast.contradictions == reference.contradictions
    assert fast.engine == engine


def same_report(graph: Graph) -> None:
    """Both validation engines give the same verdict, report graph, report text and violations."""
    fast, reference = validate(graph), validate(graph, engine="pyshacl")
    assert fast.conforms == reference.conforms
    assert isomorphic(fast.report_graph, reference.report_graph)
    assert fast.report_text == reference.report_text
    assert fast.violations == reference.violations


# -- the fast paths are in use ----------------------------------------------------------------------

def test_the_ontology_compiles_into_rules() -> None:
    assert Reasoner()._compiled is not None, "kg.rules found an axiom it does not cover: owlrl does all the work"


def test_the_shapes_compile_into_checks() -> None:
    assert _compiled_shapes() is not None, "kg.conformance found SHACL it does not cover: pySHACL does all the work"


# -- corpus graphs -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus_graphs(kg_pipeline) -> dict[str, Graph]:
    from kg.inputs import read_text_file
    if not REPORTS:
        pytest.skip(f"no corpus at {CORPUS}")
    documents = [read_text_file(path) for path in REPORTS]
    graphs = {}
    for document, spacy_doc in zip(documents, kg_pipeline.nlp.pipe(d.text for d in documents)):
        from kg.extract.document import extract_document
        graphs[document.id] = to_graph(extract_document(spacy_doc, document), kg_pipeline.minter)
    return graphs


@pytest.mark.parametrize("report", [p.stem for p in REPORTS])
def test_corpus_graph_closure(report: str, corpus_graphs: dict[str, Graph]) -> None:
    same_closure(corpus_graphs[report])


@pytest.mark.parametrize("report", [p.stem for p in REPORTS])
def test_corpus_graph_report(report: str, corpus_graphs: dict[str, Graph]) -> None:
    same_report(corpus_graphs[report])


def test_corpus_graph_closure_with_equality_rules_applied_one_by_one(corpus_graphs: dict[str, Graph]) -> None:
    """kg.rules closes the quotient graph of owl:sameAs classes; eq-rep applied triple by triple agrees."""
    background = Reasoner()._compiled
    for report, graph in corpus_graphs.items():
        data = background.interned(graph)
        quotient = rules.close(data, background)
        one_by_one = rules._close_with_equality(data, background, rules._equal_nodes(data))
        assert quotient == one_by_one, report


def test_handmade_graph(handmade) -> None:
    graph = to_graph(handmade())
    same_closure(graph)
    same_report(graph)


# -- one small graph per rule ----------------------------------------------------------------------

RULE_CASES = {
    "prp-dom": ":e1 kg:outcome :repelled .",
    "prp-rng": ":e1 kg:attacker :jnim .",
    "prp-spo1": ":e1 kg:reportedIn :d1 .",
    "prp-trp": ":sokolo kg:locatedIn :niono . :niono kg:locatedIn :segou . :segou kg:locatedIn :mali .",
    "prp-trp-through-sub-property": ":macina org:subOrganizationOf :jnim . :jnim org:subOrganizationOf :aq .",
    "cax-sco": ":x a kg:Spokesperson . :y a kg:AggregateFigure . :z a kg:ArmedGroup .",
    "eq-sym-eq-trans": ":sokolo owl:sameAs wd:Q1, <https://sws.geonames.org/2/> .",
    "eq-rep-s-eq-rep-o-onto-aliases": ":sokolo owl:sameAs wd:Q1 ; kg:locatedIn :segou . :e1 sem:hasPlace :sokolo .",
    "eq-rep-between-two-kg-nodes": ":jnim owl:sameAs wd:Q2 ; a kg:ArmedGroup . :gsim owl:sameAs wd:Q2 . "
                                   ":e1 kg:attacker :gsim .",
    "eq-rep-with-transitivity": ":a owl:sameAs :b . :b kg:locatedIn :c . :c owl:sameAs :d . :d kg:locatedIn :e .",
    "literals-are-not-subjects": ":f1 kg:count 3 ; kg:quote \"x\" ; kg:countryCode \"ML\" .",
}
FALLBACK_CASES = {
    "cax-dw": ":jnim a kg:ArmedGroup, kg:StateForce .",
    "cax-dw-through-range": ":f1 a kg:CasualtyFigure . :f2 kg:figureFor :f1 .",
    "dt-not-type": ":f1 kg:count \"many\"^^xsd:nonNegativeInteger .",
    "cls-nothing2": ":x a owl:Nothing .",
    "schema-triple-in-the-data": ":myAttack rdfs:subClassOf sem:Event . :e1 a :myAttack .",
    "same-as-an-ontology-term": ":x owl:sameAs sem:Event .",
}


@pytest.mark.parametrize("rule", RULE_CASES)
def test_rule(rule: str) -> None:
    same_closure(turtle(RULE_CASES[rule]))


@pytest.mark.parametrize("case", FALLBACK_CASES)
def test_graph_outside_the_compiled_fragment_goes_to_owlrl(case: str) -> None:
    same_closure(turtle(FALLBACK_CASES[case]), engine="owlrl")


def test_background_closed_once() -> None:
    background = turtle(":segou kg:locatedIn :mali . :mali kg:locatedIn :sahel . :jnim owl:sameAs wd:Q3 .")
    same_closure(turtle(":sokolo kg:locatedIn :segou . :e1 kg:attacker :jnim ; sem:hasPlace :sokolo ."), background)


def test_equality_reaching_the_background() -> None:
    background = turtle(":jnim owl:sameAs wd:Q4 ; a kg:ArmedGroup .")
    same_closure(turtle(":gsim owl:sameAs wd:Q4 . :e1 kg:target :gsim ."), background)


def test_a_dataset_is_read_across_its_named_graphs() -> None:
    from rdflib import Dataset
    dataset = Dataset()
    dataset.graph(URIRef(ID + "graph/d1")).parse(data=PREFIXES + ":e1 kg:attacker :jnim .", format="turtle")
    dataset.graph(URIRef(ID + "graph/d2")).parse(data=PREFIXES + ":jnim a kg:ArmedGroup .", format="turtle")
    same_closure(dataset)


def test_literal_typing_is_checked_like_owlrl() -> None:
    graph = Graph()
    graph.add((URIRef(ID + "f1"), KG["count"], Literal("-3", datatype=XSD.nonNegativeInteger)))
    graph.add((URIRef(ID + "f1"), RDF.type, KG.CasualtyFigure))
    same_closure(graph, engine="owlrl" if infer(graph, engine="owlrl").contradictions else "compiled")


def test_compiling_rejects_an_axiom_without_a_rule() -> None:
    with pytest.raises(rules.Unsupported):
        rules.Schema.compile([(KG.attacker, RDF.type, OWL.FunctionalProperty)])


# -- shape cases ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", [CASES / "valid.ttl", *BROKEN], ids=lambda p: p.stem)
def test_shape_case_report(case: Path) -> None:
    valid = Graph().parse(CASES / "valid.ttl", format="turtle")
    same_report(valid if case.name == "valid.ttl" else broken_variant(valid, case))


# -- SPARQL-based constraints ------------------------------------------------------------------------------

SPARQL_DATA = """
@prefix ex: <http://example.org/> .
ex:a ex:begin 3 ; ex:end 7 ; ex:text "Sokolo, Mali" ; ex:anchor "olo," ; ex:in ex:d1 .
ex:b ex:begin 9 ; ex:end 2 ; ex:text "Boni" ; ex:anchor "Boni" ; ex:in ex:d2 .
ex:c ex:begin 1 ; ex:end 4 ; ex:text "Gao"@fr ; ex:anchor "Gao" ; ex:in ex:d1 .
ex:d1 ex:name "Premier" . ex:d2 ex:name "Second" .
"""
SPARQL_FILTERS = [
    "?begin <= ?end",
    "?begin + 1 < ?end * 2 - 3",
    "SUBSTR(STR(?text), ?begin + 1, ?end - ?begin) != STR(?anchor)",
    "STRLEN(?anchor) > 3 && CONTAINS(LCASE(STR(?text)), \"o\")",
    "STRSTARTS(STR(?text), \"Bo\") || STRENDS(?anchor, \",\")",
    "!(?begin = 3) && ?doc = ex:d1",
    "UCASE(STR(?name)) = \"PREMIER\"",
]


@pytest.mark.parametrize("expression", SPARQL_FILTERS)
def test_a_compiled_sparql_constraint_finds_what_rdflib_finds(expression: str) -> None:
    from kg.conformance import _Data
    from kg.sparql_filter import compile_select
    graph = Graph().parse(data=SPARQL_DATA, format="turtle")
    text = ("SELECT $this WHERE { $this ex:begin ?begin ; ex:end ?end ; ex:text ?text ; ex:anchor ?anchor ; "
            f"ex:in/ex:name ?name ; ex:in ?doc . FILTER({expression}) }}")
    prefixes = {"ex": "http://example.org/"}
    expected = {row[0] for row in graph.query(text, initNs=prefixes)}
    data = _Data(graph)

    answers = compile_select(text, prefixes).violations(data.out, data.by_predicate)

    assert {focus for focus, answer in answers.items() if answer is False} <= expected
    assert expected <= set(answers), "a focus node rdflib flags is passed as conforming"
