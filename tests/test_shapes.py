"""The SHACL shapes (shapes/kg-shapes.ttl), driven by the cases in tests/cases/shapes/.

``valid.ttl`` holds one valid node of every kind. Each ``broken-<shape>[--<variant>].ttl``
breaks it: every subject of the broken file replaces that subject's triples in
``valid.ttl`` (a new subject is simply added); the result must be rejected by
``kgsh:<Shape>Shape`` and by no other shape.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH

from kg.validate import ValidationResult, shapes, validate

CASES = Path(__file__).parent / "cases" / "shapes"
BROKEN = sorted(CASES.glob("broken-*.ttl"))


def expected_shape(case: Path) -> str:
    """``broken-casualty-figure--no-event.ttl`` -> ``kgsh:CasualtyFigureShape``."""
    kind = case.stem.removeprefix("broken-").split("--")[0]
    return "kgsh:" + "".join(word.capitalize() for word in kind.split("-")) + "Shape"


def broken_variant(valid: Graph, case: Path) -> Graph:
    """``valid`` with the nodes of ``case`` replaced by the case's version of them."""
    patch = Graph().parse(case, format="turtle")
    graph = Graph()
    replaced = set(patch.subjects())
    for triple in valid:
        if triple[0] not in replaced:
            graph.add(triple)
    for triple in patch:
        graph.add(triple)
    return graph


@pytest.fixture(scope="module")
def valid() -> Graph:
    return Graph().parse(CASES / "valid.ttl", format="turtle")


@pytest.fixture(scope="module")
def valid_result(valid: Graph) -> ValidationResult:
    return validate(valid)


@pytest.mark.parametrize("case", BROKEN, ids=lambda p: p.stem.removeprefix("broken-"))
def test_shape(case: Path, valid: Graph, valid_result: ValidationResult) -> None:
    assert valid_result.conforms, "\n".join(valid_result.lines())

    result = validate(broken_variant(valid, case))

    assert not result.conforms
    assert {v.shape for v in result.violations} == {expected_shape(case)}, "\n".join(result.lines())


def test_every_node_shape_has_a_broken_case_and_a_valid_node(valid: Graph) -> None:
    node_shapes = {shapes().namespace_manager.normalizeUri(s) for s in shapes().subjects(SH.targetClass)}
    assert node_shapes == {expected_shape(case) for case in BROKEN}
    for shape in shapes().subjects(SH.targetClass):
        classes = set(shapes().objects(shape, SH.targetClass))
        assert any((None, RDF.type, cls) in valid for cls in classes), f"valid.ttl has no node for {shape}"


def test_every_constraint_has_a_french_and_an_english_message() -> None:
    graph = shapes()
    constrained = set(graph.subjects(SH.path)) | set(graph.subjects(SH.xone))
    constrained |= set(graph.objects(None, SH.sparql))
    for shape in constrained:
        langs = {m.language for m in graph.objects(shape, SH.message) if isinstance(m, Literal)}
        assert {"fr", "en"} <= langs, f"{shape} lacks a French or English sh:message"


def test_a_violation_reads_as_a_line(valid: Graph) -> None:
    result = validate(broken_variant(valid, CASES / "broken-role.ttl"), lang="fr")

    [line] = result.lines()
    assert line.startswith("<https://w3id.org/sahel-kg/id/role/directeur-dirpa> breaks kgsh:RoleShape (rdfs:label): ")
    assert "Un rôle doit avoir un rdfs:label" in line


def test_validation_leaves_the_graph_unchanged(valid: Graph) -> None:
    before = set(valid)
    validate(valid)
    assert set(valid) == before

