"""A corpus of N different reports made from the seed and dev reports of ../shared/corpus/.

Each document takes one base report (in turn) and changes, with a random
generator seeded by its number: the places its events happened in (towns of the
same country from kg's gazetteer), the spokespersons' names, the numbers (tolls,
distances), days of the month and years. The texts stay French news reports of
the same length and shape, so extraction does the same kind of work, but no two
documents are equal and the store sees new places, actors and figures.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.extract.model import Document
from kg.inputs import make_document

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

_MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
_DAY = re.compile(rf"(?<![\w.,])([1-9]|[12][0-9]|3[01])(er)?(\s+(?:{_MONTHS}))\b")
_YEAR = re.compile(r"(?<![\w.,])(19[5-9][0-9]|20[0-4][0-9])(?![\w])")
_NUMBER = re.compile(r"(?<![\w.,/-])([1-9][0-9]{0,2})(?![\w,.]?[0-9])(?![\w])")
_FIRST = ("Amadou", "Moussa", "Ibrahim", "Oumar", "Souleymane", "Abdoulaye", "Issa", "Hamidou", "Boubacar",
          "Seydou", "Aminata", "Fatoumata", "Mariam", "Salif", "Lassina")
_LAST = ("Traoré", "Diallo", "Coulibaly", "Keïta", "Ouédraogo", "Sawadogo", "Maïga", "Cissé", "Touré",
         "Sangaré", "Kaboré", "Issoufou", "Mahamadou", "Diarra", "Zongo")


@dataclass(frozen=True)
class Base:
    """One report of the shared corpus and the names it can vary."""

    id: str
    text: str
    published: dt.date | None
    places: dict[str, str]
    """Place name in the text -> ISO country code."""
    persons: list[str]


def bases(corpus: Path = CORPUS) -> list[Base]:
    """The seed and dev reports with their gold files."""
    out = []
    for path in sorted(corpus.glob("*/*.txt")):
        gold_path = path.with_suffix(".gold.json")
        gold = json.loads(gold_path.read_text(encoding="utf-8")) if gold_path.exists() else {}
        published = (gold.get("document") or {}).get("published")
        places: dict[str, str] = {}
        for event in gold.get("events", []):
            place = event.get("place") or {}
            for name in [place.get("name"), *(place.get("aliases") or [])]:
                if name and place.get("country"):
                    places[name] = place["country"]
        persons = [name for sp in gold.get("spokespersons", [])
                   for name in [sp.get("name"), *(sp.get("aliases") or [])] if name and " " in name]
        out.append(Base(path.stem, path.read_text(encoding="utf-8"),
                        dt.date.fromisoformat(published) if published else None, places, persons))
    return out


def town_pool() -> dict[str, list[str]]:
    """Country code -> names of towns kg's gazetteer knows (hand-checked ones and WOF towns with a population)."""
    from kg.nlp import gazetteer as gz
    pool: dict[str, set[str]] = {}
    for entry in gz.load_gazetteer().places.values():
        if entry.kind == "locality" and entry.country and (entry.source != "wof" or entry.population):
            if " " not in entry.name and len(entry.name) > 3:
                pool.setdefault(entry.country, set()).add(entry.name)
    return {country: sorted(names) for country, names in pool.items()}


def _word(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w]){re.escape(name)}(?![\w])")


def vary(base: Base, n: int, towns: dict[str, list[str]]) -> Document:
    """Document number ``n``: ``base`` with its places, people, numbers, days and years changed."""
    rng = random.Random(n)
    text = base.text
    for name, country in sorted(base.places.items(), key=lambda item: -len(item[0])):
        choices = towns.get(country)
        if choices:
            text = _word(name).sub(rng.choice(choices), text)
    for name in sorted(base.persons, key=len, reverse=True):
        text = _word(name).sub(f"{rng.choice(_FIRST)} {rng.choice(_LAST)}", text)
    shift = rng.randint(-3, 2)
    text = _YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)
    text = _DAY.sub(lambda m: f"{rng.randint(1, 28)}{m.group(3)}", text)
    factor = rng.uniform(0.5, 1.8)
    text = _NUMBER.sub(lambda m: str(max(1, round(int(m.group(1)) * factor))), text)
    published = None
    if base.published is not None:
        published = base.published.replace(year=base.published.year + shift, day=min(base.published.day, 28))
    return make_document(f"bench-{n:06d}-{base.id}", text, published)


def synthetic_corpus(n: int, corpus: Path = CORPUS) -> Iterator[Document]:
    """``n`` different documents made from the shared corpus (deterministic)."""
    reports, towns = bases(corpus), town_pool()
    if not reports:
        raise SystemExit(f"no reports in {corpus}")
    for i in range(n):
        yield vary(reports[i % len(reports)], i, towns)


def words(documents: list[Document]) -> int:
    """Whitespace-separated words of the documents' texts (the unit of the throughput figures)."""
    return sum(len(d.text.split()) for d in documents)
