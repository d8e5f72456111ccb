"""The named competency questions (queries/*.rq) and kg.query: preparation, answers, binding, errors, CLI.

Answers are checked on the seed article twice: as built by the pipeline (asserted +
inferred graphs, what ``kg query`` sees) and as ``tests/cases/queries/seed-contract.ttl``,
the graph docs/graph-model.md says the seed should give (written from its gold record).
A failure on ``built`` only points at extraction or mapping; on both, at the query.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kg import query as kq
from kg.cli import main
from kg.query import QueryError, format_rows, load_query, run_query, to_term
from kg.rdf.iri import IriMinter
from kg.rdf.namespaces import KGT, NIF
from kg.resources import query_files
from kg.store import Store

CASES = Path(__file__).parent / "cases" / "queries"
SEED_ID = "mali-2022-07-27-sokolo-kalumba"
REQUIRED = {"attacks", "claims", "branches", "figures", "conflicting-figures", "spokespersons",
            "events-in-region", "foreign-forces", "al-qaida-links", "events-by-type", "provenance",
            "sources", "actors", "places", "multi-source-events"}
HOSTILE = 'Sokolo" } } UNION { ?s ?p ?o } #> \\u0022 \'\'\' >'
MINT = IriMinter()


def fold(text: object) -> str:
    """Lower case, no accents, straight apostrophes: ``Sévaré`` -> ``sevare``."""
    decomposed = unicodedata.normalize("NFKD", str(text).replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def answer(name: str, graph: Graph | Store, **params: str) -> list[dict[str, str]]:
    """Rows of a named query as dicts of strings (unbound -> missing key; echoed parameters left out)."""
    variables, rows = run_query(name, graph, params)
    return [{v: str(t) for v, t in zip(variables, row) if t is not None and v not in params} for row in rows]


# --- every query file ------------------------------------------------------------------

QUERIES = sorted(query_files())


def test_the_required_questions_are_there() -> None:
    assert len(QUERIES) >= 14
    assert REQUIRED <= set(QUERIES)


@pytest.mark.parametrize("name", QUERIES)
def test_query_prepares_and_documents_itself(name: str) -> None:
    text, query = load_query(name)
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any(re.match(r"# Question \(en\): \S", line) for line in header), "English question line"
    assert any(re.match(r"# Question \(fr\) ?: \S", line) for line in header), "French question line"
    params = kq.declared_parameters(text)
    assert params is not None, "a '# Parameters:' line (say 'none' when there are none)"
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    for param in params:
        assert f"?{param}" in body, f"?{param} is documented but unused"
        assert param in kq.projected(query), f"?{param} must be projected (Oxigraph substitutes only those)"
        assert not re.search(rf"BOUND\(\?{param}\)", body), "Oxigraph substitution leaves BOUND(?param) false"


# --- answers on the seed ---------------------------------------------------------------

@pytest.fixture(scope="session")
def built_seed() -> Graph:
    from kg.inputs import read_text_file
    from kg.pipeline import Pipeline
    from kg.resources import sample_path

    build = Pipeline().build(read_text_file(sample_path()))
    graph = Graph()
    graph += build.graph
    graph += build.inferred
    return graph


@pytest.fixture(scope="session", params=["built", "contract"])
def seed(request: pytest.FixtureRequest) -> Graph:
    if request.param == "contract":
        return Graph().parse(CASES / "seed-contract.ttl", format="turtle")
    return request.getfixturevalue("built_seed")


def test_katiba_macina_and_jnim_attacked_sokolo(seed: Graph) -> None:
    rows = answer("attacks", seed, place="sokolo")
    assert {"Katiba Macina", "JNIM"} <= {r.get("attackerName") for r in rows}
    assert {fold(r["placeName"]) for r in rows} == {"sokolo"}


@pytest.mark.parametrize("place", ["Sokolo", "Kalumba", "Sévaré"])
def test_fama_was_the_target(seed: Graph, place: str) -> None:
    rows = answer("attacks", seed, place=place)
    assert "FAMa" in {r.get("targetName") for r in rows}


def test_jnim_claim_relayed_by_site(seed: Graph) -> None:
    rows = answer("claims", seed, group="Jama'at Nusrat al-Islam wal-Muslimin")
    assert rows == answer("claims", seed, group="jnim")
    assert any(r["claimantName"] == "JNIM" and r.get("relayName") == "SITE" and r["kind"] == "claim"
               and fold(r.get("placeName")) == "sokolo" for r in rows)


def test_katiba_macina_is_a_branch_of_jnim(seed: Graph) -> None:
    rows = answer("branches", seed, group="JNIM")
    assert {(r["branchName"], r["direct"]) for r in rows} >= {("Katiba Macina", "true")}


def test_kalumba_figures_with_their_sources(seed: Graph) -> None:
    rows = answer("figures", seed, place="Kalumba")
    soldiers = {r.get("sourceName") for r in rows if r["scope"] == "event" and r["status"] == "killed"
                and r["category"] == "soldier" and r["count"] == "9"}
    assert soldiers >= {"FAMa", "Reuters"}


def test_figures_keep_aggregates_apart(seed: Graph) -> None:
    rows = answer("figures", seed)
    assert rows and {r["scope"] for r in rows} <= {"event", "aggregate"}
    assert all("event" in r for r in rows if r["scope"] == "event")
    assert all("event" not in r for r in rows if r["scope"] == "aggregate")
    scopes = [r["scope"] for r in rows]
    assert scopes == sorted(scopes, key=lambda s: s == "aggregate"), "aggregates are listed after"
    assert any(fold(r["placeName"]) == "sokolo" and r["count"] == "54" and r["category"] == "person"
               for r in rows if r["scope"] == "event")


def test_dembele_speaks_for_fama(seed: Graph) -> None:
    rows = answer("spokespersons", seed, organization="Forces Armées Maliennes")
    dembele = [r for r in rows if fold(r["personName"]) == "souleymane dembele"]
    assert dembele and dembele[0].get("title") == "colonel" and dembele[0]["spokesperson"] == "true"
    assert fold(dembele[0].get("role", "")).startswith("directeur de l'information et des relations publiques")


def test_sokolo_is_in_the_segou_region(seed: Graph) -> None:
    rows = answer("events-in-region", seed, region="région de ségou")
    assert "sokolo" in {fold(r["placeName"]) for r in rows}
    assert "kalumba" not in {fold(r["placeName"]) for r in answer("events-in-region", seed, region="Ségou")}


def test_foreign_forces_are_the_russians_and_minusma(seed: Graph) -> None:
    rows = answer("foreign-forces", seed)
    assert "MINUSMA" in {r["forceName"] for r in rows}
    assert "RU" in {r.get("forceCountry") for r in rows}
    assert "FAMa" not in {r["forceName"] for r in rows}


def test_groups_linked_to_al_qaida(seed: Graph) -> None:
    rows = answer("al-qaida-links", seed)
    assert rows == answer("al-qaida-links", seed, group="al-qaeda")
    assert rows == answer("al-qaida-links", seed, group=str(MINT.actor("al-qaeda")))
    linked = {r["linkedName"]: r for r in rows}
    assert {"JNIM", "Katiba Macina"} <= set(linked)
    assert linked["JNIM"]["direct"] == "true"  # "la filiale locale d'Al-Qaïda": kg:affiliatedWith
    assert linked["Katiba Macina"]["direct"] == "false"  # through its parent JNIM


def test_events_by_type(seed: Graph) -> None:
    attacks = answer("events-by-type", seed, type="attack", since="2022-07-27", until="2022-07-27")
    assert {fold(r["placeName"]) for r in attacks} == {"sokolo", "kalumba", "sevare"}
    assert len(answer("events-by-type", seed, type="kgt:airstrike")) == 1


def test_provenance_spans_are_the_text(seed: Graph) -> None:
    text = str(next(seed.objects(MINT.document(SEED_ID), NIF.isString)))
    rows = answer("provenance", seed, place="Sokolo")
    assert {"event", "place", "attacker", "figure", "claim"} <= {r["role"] for r in rows}
    assert all(text[int(r["begin"]):int(r["end"])] == r["text"] for r in rows)
    assert "Sokolo" in {r["text"] for r in rows if r["role"] == "place"}


def test_sources_and_what_they_reported(seed: Graph) -> None:
    rows = answer("sources", seed)
    assert any(r["sourceName"] == "Reuters" and r["what"] == "figure" for r in rows)
    assert any(r["sourceName"] == "SITE" and r["what"] == "relayed claim" for r in rows)


def test_actors_with_wikidata(seed: Graph) -> None:
    actors = {r["actorName"]: r for r in answer("actors", seed, kind="armedgroup")}
    assert actors["Al-Qaïda"]["wikidata"] == "http://www.wikidata.org/entity/Q34490"
    assert actors["Katiba Macina"].get("parentName") == "JNIM"


def test_places_with_coordinates(seed: Graph) -> None:
    rows = answer("places", seed, withCoordinates="true")
    sokolo = next(r for r in rows if r["placeName"] == "Sokolo")
    assert abs(float(sokolo["lat"]) - 14.73) < 0.01 and abs(float(sokolo["lon"]) + 6.12) < 0.01
    assert all("wkt" in r for r in rows)


def test_kalumba_reported_by_two_sources_that_agree(seed: Graph) -> None:
    rows = {fold(r["placeName"]): r for r in answer("multi-source-events", seed)}
    assert int(rows["kalumba"]["sources"]) >= 2 and rows["kalumba"]["figuresAgree"] == "true"


# --- disagreeing figures (hand-made case) ------------------------------------------------

@pytest.fixture(scope="module")
def conflicting() -> Graph:
    return Graph().parse(CASES / "conflicting-figures.ttl", format="turtle")


def test_conflicting_figures(conflicting: Graph) -> None:
    pairs = {(r["count1"], r["source1"], r["count2"], r["source2"]) for r in answer("conflicting-figures", conflicting)}
    assert pairs == {("17", "report a", "42", "source sécuritaire"), ("20", "FAMa", "42", "source sécuritaire"),
                     ("17", "report a", "42", "Reuters"), ("20", "FAMa", "42", "Reuters")}


def test_multi_source_incident_disagrees(conflicting: Graph) -> None:
    [row] = answer("multi-source-events", conflicting)
    assert (row["placeName"], row["documents"], row["figuresAgree"]) == ("Boulkessi", "2", "false")


# --- binding, store, errors ---------------------------------------------------------------

def contract_store(path: Path) -> Store:
    """A store holding the seed contract graph as document ``SEED_ID``."""
    opened = Store.open(path)
    opened.put_document(SEED_ID, "h", Graph().parse(CASES / "seed-contract.ttl"), Graph())
    return opened


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    with contract_store(tmp_path_factory.mktemp("store") / "kg") as opened:
        yield opened


@pytest.mark.parametrize("name, params", [("attacks", {"place": "Sokolo"}), ("claims", {"group": "JNIM"}),
                                          ("events-in-region", {"region": "Ségou"}), ("al-qaida-links", {}),
                                          ("spokespersons", {"organization": "FAMa"}), ("sources", {})])
def test_store_answers_like_rdflib(store: Store, name: str, params: dict[str, str]) -> None:
    graph = Graph().parse(CASES / "seed-contract.ttl")
    variables, rows = run_query(name, graph, params)
    store_variables, store_rows = run_query(name, store, params)
    assert store_variables == variables
    assert sorted(map(repr, [[kq.display(t) for t in r] for r in store_rows])) == \
        sorted(map(repr, [[kq.display(t) for t in r] for r in rows]))


@pytest.mark.parametrize("name", ["attacks", "claims", "figures", "events-in-region", "spokespersons"])
def test_hostile_value_is_bound_not_spliced(store: Store, name: str) -> None:
    text, _ = load_query(name)
    [param] = kq.declared_parameters(text)
    graph = Graph().parse(CASES / "seed-contract.ttl")
    assert run_query(name, graph, {param: HOSTILE})[1] == []
    assert run_query(name, store, {param: HOSTILE})[1] == []


@pytest.mark.parametrize("value, term", [
    ("Sokolo", Literal("Sokolo")),
    ("https://w3id.org/sahel-kg/id/actor/katiba-macina", URIRef("https://w3id.org/sahel-kg/id/actor/katiba-macina")),
    ("<urn:x:1>", URIRef("urn:x:1")),
    ("kgt:attack", URIRef("https://w3id.org/sahel-kg/ontology/event-type/attack")),
    ("http://x/> } UNION {", Literal("http://x/> } UNION {")),
    ("foo:bar", Literal("foo:bar")),
])
def test_parameter_values_become_terms(value: str, term: object) -> None:
    assert to_term(value) == term and type(to_term(value)) is type(term)


def test_iri_parameter(seed: Graph) -> None:
    rows = answer("branches", seed, group=str(MINT.actor("jama-at-nusrat-al-islam-wal-muslimin")))
    assert "Katiba Macina" in {r["branchName"] for r in rows}


def one_line_error(call) -> str:
    with pytest.raises(QueryError) as info:
        call()
    message = str(info.value)
    assert "\n" not in message
    return message


def test_unknown_query_name_lists_the_names() -> None:
    message = one_line_error(lambda: load_query("atacks"))
    assert message.startswith("unknown query 'atacks'; available: ") and "attacks" in message


def test_missing_query_file(tmp_path: Path) -> None:
    assert one_line_error(lambda: load_query(str(tmp_path / "x.rq"))).endswith("no such query file")


def test_syntax_error_in_named_query(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "broken.rq"
    broken.write_text("# Question (en): broken\nSELECT ?a WHERE {\n  ?a ?b ?c ..\n}\n", encoding="utf-8")
    monkeypatch.setattr(kq, "query_files", lambda: {"broken": broken})
    assert re.match(r"queries/broken\.rq: syntax error at line 3: ", one_line_error(lambda: load_query("broken")))


def test_syntax_error_in_file(tmp_path: Path) -> None:
    broken = tmp_path / "bad.rq"
    broken.write_text("PREFIX kg: <https://w3id.org/sahel-kg/ontology#>\nSELEC ?a WHERE { ?a ?b ?c }\n")
    assert one_line_error(lambda: load_query(str(broken))).startswith(f"{broken}: syntax error at line 2: ")


def test_undeclared_prefix_and_non_select(tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text("SELECT ?a WHERE { ?a nope:p ?c }")
    assert "invalid query: Unknown namespace prefix : nope" in one_line_error(lambda: load_query(str(path)))
    path.write_text("ASK { ?a ?b ?c }")
    assert "only SELECT queries" in one_line_error(lambda: load_query(str(path)))


def test_unknown_parameter(seed: Graph) -> None:
    message = one_line_error(lambda: run_query("attacks", seed, {"plaec": "Sokolo"}))
    assert message == "unknown parameter plaec; this query takes ?place"
    assert "takes no parameters" in one_line_error(lambda: run_query("multi-source-events", seed, {"x": "1"}))


def test_store_refuses_unprojected_parameter(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "adhoc.rq"
    path.write_text("SELECT ?event WHERE { ?event sem:hasPlace ?place }")
    assert "not projected" in one_line_error(lambda: run_query(str(path), store, {"place": "x"}))


# --- formats and the command line ----------------------------------------------------------

def test_table_uses_prefixed_names(seed: Graph) -> None:
    _, rows = run_query("events-by-type", seed, {"type": "attack"})
    table = format_rows(["type", "event"], [(KGT.attack, rows[0][2])], "table")
    lines = table.splitlines()
    assert lines[0].split() == ["type", "event"] and lines[2].startswith("kgt:attack  id:event/")
    assert lines[-1] == "(1 row)"


def test_cli_csv_on_a_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "kg"
    contract_store(path).close()
    assert main(["query", "attacks", "--store", str(path), "--format", "csv", "--param", "place=Sokolo"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "event,type,date,placeName,attackerName,targetName,outcome,background,place"
    assert any(",Katiba Macina,FAMa," in line for line in lines[1:])


def test_cli_json_on_the_sample(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "claims", "--format", "json", "--param", "group=JNIM"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["head"]["vars"][:3] == ["claim", "kind", "claimantName"]
    [binding] = [b for b in result["results"]["bindings"] if b["claimantName"]["value"] == "JNIM"]
    assert binding["claim"]["type"] == "uri" and binding["group"] == {"type": "literal", "value": "JNIM"}


def test_cli_error_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "nope", "--store", "/nonexistent"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kg: error: unknown query 'nope'; available: ") and err.count("\n") == 1
