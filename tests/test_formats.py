"""Every export format parses to the same triple (quad) count in independent implementations.

Checkers: rdflib, Oxigraph (pyoxigraph), Raptor's ``rapper`` and, through
``tests/js/count.mjs``, N3.js and the reference jsonld.js. The dataset is
built by hand with awkward literals (quotes, newlines, emoji, right-to-left
text, ``<>``, backslashes, control characters).
"""
from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg.export import FORMATS, jsonld_context, serialize, serialize_inferred, write_outputs
from kg.rdf.iri import IriMinter
from kg.rdf.namespaces import GEO, GN, KG, KGC, NIF, SCHEMA, SEM, WD, bind_prefixes
from kg.resources import data_dir

JS_DIR = Path(__file__).parent / "js"
AWKWARD = [
    'il a dit "repli\u00e9" puis \u00ab\u00a0stop\u00a0\u00bb',
    "ligne 1\nligne 2\r\nligne 3\ttab",
    "emoji \U0001f525\U0001f1f2\U0001f1f1 et \u200d joiner",
    "\u0645\u0642\u062a\u0644 \u0661\u0662 \u062c\u0646\u062f\u064a\u0627\u064b RTL \u202eabc\u202c",
    "<script>alert('x')</script> & <> \\ backslash \\n not a newline",
    '"""triple quotes""" and \'\'\'single\'\'\'',
    "bell \u0007 and nul-free control \u001f",
    "",
]
EXTENSIONS = {"turtle": ".ttl", "nt": ".nt", "jsonld": ".jsonld", "trig": ".trig", "nquads": ".nq"}
RDFLIB_FORMATS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig", "nquads": "nquads"}
OXIGRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
                    "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
RAPPER_FORMATS = {"turtle": "turtle", "nt": "ntriples", "trig": "trig", "nquads": "nquads"}


def build_dataset(seed: int | None = None) -> Dataset:
    """Two documents sharing an actor, plus a per-document inferred graph; ``seed`` shuffles insertion."""
    mint = IriMinter()
    quads: list[tuple] = []
    actor = mint.actor("JNIM")
    for n, doc_id in enumerate(["mali-2022-07-27", "doc \u00e9t\u00e9/\u2192 \U0001f525"]):
        doc, g, inf = mint.document(doc_id), mint.graph(doc_id), mint.inferred_graph(doc_id)
        event = mint.event(doc_id, "e1")
        mention = mint.mention(doc_id, 10, 24)
        quads += [
            (doc, RDF.type, SCHEMA.NewsArticle, g),
            (doc, NIF.isString, Literal("\n".join(AWKWARD)), g),
            (doc, KG.textHash, Literal(f"{n:064x}"), g),
            (doc, SCHEMA.datePublished, Literal("2022-07-27", datatype=XSD.date), g),
            (doc, SCHEMA.url, Literal("https://example.org/a?b=1&c=<2>", datatype=XSD.anyURI), g),
            (event, RDF.type, KG.Attack, g),
            (event, RDFS.label, Literal(AWKWARD[n], lang="fr"), g),
            (event, RDFS.label, Literal(AWKWARD[3], lang="ar"), g),
            (event, KG.attacker, actor, g),
            (event, KG.background, Literal(True), g),
            (event, KG.placePrecision, KGC.exact, g),
            (event, SEM.hasPlace, mint.place("wof-85672345"), g),
            (mention, NIF.anchorOf, Literal(AWKWARD[4 + n]), g),
            (mention, NIF.beginIndex, Literal(10, datatype=XSD.nonNegativeInteger), g),
            (actor, SKOS.prefLabel, Literal("JNIM"), g),  # in both documents: the union keeps one
            (actor, URIRef("http://www.w3.org/2002/07/owl#sameAs"), WD.Q28737043, g),
            (mint.place("wof-85672345"), URIRef("http://www.w3.org/2002/07/owl#sameAs"), GN["2460596/"], g),
            (mint.geometry("wof-85672345"), GEO.asWKT, Literal("POINT(-3.9 15.3)", datatype=GEO.wktLiteral), g),
            (event, RDF.type, SEM.Event, inf),
            (event, SEM.hasActor, actor, inf),
            (event, KG["count"], Literal("1.50", datatype=XSD.decimal), inf),
        ]
    quads += [(actor, RDFS.comment, Literal(AWKWARD[6] + AWKWARD[5]), mint.inferred_graph())]
    if seed is not None:
        random.Random(seed).shuffle(quads)
    ds = bind_prefixes(Dataset())
    for s, p, o, g in quads:
        ds.graph(g).add((s, p, o))
    return ds


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return build_dataset()


@pytest.fixture(scope="module")
def expected(dataset: Dataset) -> dict[str, int]:
    quads = {(s, p, o, g) for s, p, o, g in dataset.quads((None, None, None, None))}
    asserted = {(s, p, o) for s, p, o, g in quads if not str(g).endswith("/inferred")}
    return {"triples": len(asserted), "quads": len(quads)}


@pytest.fixture(scope="module")
def outputs(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("formats")
    return {fmt: write_outputs(dataset, out, fmt)[0] for fmt in FORMATS}


def expected_count(fmt: str, expected: dict[str, int]) -> int:
    return expected["quads"] if fmt in ("trig", "nquads") else expected["triples"]


def test_fixture_has_shared_triples_and_inferred_graphs(expected: dict[str, int]) -> None:
    assert expected["quads"] > expected["triples"] > 30


@pytest.mark.parametrize("fmt", FORMATS)
def test_rdflib_parses_same_count(fmt: str, outputs: dict[str, Path], expected: dict[str, int]) -> None:
    parsed = Dataset() if fmt in ("trig", "nquads") else Graph()
    parsed.parse(outputs[fmt], format=RDFLIB_FORMATS[fmt])
    count = len(list(parsed.quads((None, None, None, None)))) if isinstance(parsed, Dataset) else len(parsed)
    assert count == expected_count(fmt, expected)


@pytest.mark.parametrize("fmt", FORMATS)
def test_oxigraph_parses_same_count(fmt: str, outputs: dict[str, Path], expected: dict[str, int]) -> None:
    quads = set(ox.parse(path=str(outputs[fmt]), format=OXIGRAPH_FORMATS[fmt]))
    assert len(quads) == expected_count(fmt, expected)


@pytest.mark.parametrize("fmt", sorted(RAPPER_FORMATS))
def test_rapper_parses_same_count(fmt: str, outputs: dict[str, Path], expected: dict[str, int]) -> None:
    if shutil.which("rapper") is None:
        pytest.skip("rapper not installed (Debian package raptor2-utils; .ci/run installs it)")
    run = subprocess.run(["rapper", "-q", "-i", RAPPER_FORMATS[fmt], "-o", "nquads", str(outputs[fmt]),
                          "http://example.org/base/"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert len(set(run.stdout.splitlines())) == expected_count(fmt, expected)


@pytest.mark.parametrize("fmt", FORMATS)
def test_javascript_parses_same_count(fmt: str, outputs: dict[str, Path], expected: dict[str, int]) -> None:
    if shutil.which("node") is None or not (JS_DIR / "node_modules" / "n3").is_dir():
        pytest.skip("node or tests/js/node_modules missing (run `npm install` in tests/js; .ci/run does)")
    run = subprocess.run(["node", str(JS_DIR / "count.mjs"), fmt, str(outputs[fmt])],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert int(run.stdout.strip()) == expected_count(fmt, expected)


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_dataset_gives_identical_bytes(fmt: str, dataset: Dataset) -> None:
    assert serialize(dataset, fmt) == serialize(build_dataset(seed=7), fmt) == serialize(build_dataset(seed=8), fmt)


@pytest.mark.parametrize("fmt", ["turtle", "trig"])
def test_readable_prefixes_only(fmt: str, dataset: Dataset) -> None:
    text = serialize(dataset, fmt).decode("utf-8")
    prefixes = [line.split()[1] for line in text.splitlines() if line.startswith("@prefix")]
    assert prefixes[:3] == ["kg:", "kgc:", "sem:"]  # kg.rdf.namespaces.PREFIXES order, unused ones left out
    assert "ns1:" not in text and "kg:Attack" in text and "wd:Q28737043" in text


def test_graph_formats_hold_asserted_union_and_inferred_goes_apart(dataset: Dataset, tmp_path: Path) -> None:
    paths = write_outputs(dataset, tmp_path, "ttl", stem="corpus", inferred=True)
    assert [p.name for p in paths] == ["corpus.ttl", "inferred.ttl"]
    asserted = Graph().parse(paths[0], format="turtle")
    inferred = Graph().parse(data=serialize_inferred(dataset), format="turtle")
    assert (None, RDFS.comment, None) not in asserted
    assert len(inferred) == 7 and (None, RDFS.comment, None) in inferred
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.ttl", "inferred.ttl"]  # no temp file left


def test_literals_survive_round_trip(dataset: Dataset) -> None:
    original = {o for _, _, o, _ in dataset.quads((None, NIF.isString, None, None))}
    assert len(original) == 1
    for fmt in ("turtle", "jsonld"):
        parsed = Graph().parse(data=serialize(dataset, fmt), format=RDFLIB_FORMATS[fmt])
        assert set(parsed.objects(None, NIF.isString)) == original


def test_jsonld_embeds_published_context(dataset: Dataset) -> None:
    shipped = json.loads((data_dir("ontology") / "context.jsonld").read_text(encoding="utf-8"))
    assert shipped == jsonld_context(), (
        "ontology/context.jsonld is out of date with kg.rdf.namespaces.PREFIXES; regenerate it with "
        "python -c 'from pathlib import Path; from kg.export import write_context; "
        "write_context(Path(\"ontology/context.jsonld\"))'")
    document = json.loads(serialize(dataset, "jsonld"))
    assert document["@context"] == shipped["@context"]


def test_unknown_format_is_refused(dataset: Dataset) -> None:
    with pytest.raises(ValueError, match="unknown format 'rdfxml'; expected one of turtle, nt"):
        serialize(dataset, "rdfxml")
