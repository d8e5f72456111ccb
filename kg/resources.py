"""The one loader of the data kg ships: ontology, shapes, queries, gazetteer, sample.

In an installed wheel the files live in ``kg/_data/``; in a source checkout
(editable install, tests) they are the top-level folders of the repository.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_KINDS = ("ontology", "shapes", "queries", "gazetteer", "sample")


def data_dir(kind: str) -> Path:
    """Folder holding one kind of shipped data (``ontology``, ``shapes``, ...)."""
    if kind not in _KINDS:
        raise ValueError(f"unknown data kind {kind!r}; expected one of {', '.join(_KINDS)}")
    packaged = _PACKAGE_DIR / "_data" / kind
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent / kind


def ontology_files() -> list[Path]:
    """Turtle files of the OWL ontology and the SKOS event-type scheme."""
    return sorted(data_dir("ontology").glob("*.ttl"))


def shapes_files() -> list[Path]:
    """Turtle files of the SHACL shapes."""
    return sorted(data_dir("shapes").glob("*.ttl"))


def query_files() -> dict[str, Path]:
    """Named SPARQL queries: file stem -> path."""
    return {p.stem: p for p in sorted(data_dir("queries").glob("*.rq"))}


@functools.cache
def gazetteer() -> dict:
    """The hand-checked Sahel gazetteer (actors and places with Wikidata/GeoNames ids)."""
    path = data_dir("gazetteer") / "sahel-gazetteer.json"
    return json.loads(path.read_text(encoding="utf-8"))


def wof_places_path() -> Path:
    """Who's On First places of Mali, Burkina Faso and Niger (TSV)."""
    return data_dir("gazetteer") / "sahel-places-wof.tsv"


def sample_path() -> Path:
    """The bundled sample article (the seed report)."""
    return next(data_dir("sample").glob("*.txt"))
