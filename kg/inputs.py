"""Reading what users give kg: .txt files, JSON Lines corpora, folders of .txt files.

Each input becomes ``kg.extract.model.Document`` objects; a bad line in a
corpus is reported (with its line number) as an ``InputProblem`` and the other
documents are still read.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from kg.extract.model import Document
from kg.text import InputError, check_text, clean, decode

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 20_000_000
"""Largest input file kg reads (a JSON Lines corpus may hold many documents)."""


@dataclass(frozen=True)
class InputProblem:
    """A document that could not be read: where, and why (one line)."""

    where: str
    message: str


def parse_date(value: str | None, *, what: str = "date") -> dt.date | None:
    """ISO date (YYYY-MM-DD) or None; InputError with a clear message otherwise."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InputError(f"{what} must be a YYYY-MM-DD string, got {type(value).__name__}")
    try:
        return dt.date.fromisoformat(value.strip()[:10]) if len(value.strip()) >= 10 else dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{what} {value!r} is not a valid date (expected YYYY-MM-DD)") from None


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected a .txt or .jsonl file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path}: {size:,} bytes is over the {MAX_FILE_BYTES:,}-byte limit")
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror})") from None


def make_document(doc_id: str, raw_text: str, published: dt.date | None = None, url: str | None = None) -> Document:
    """A Document from raw text: cleaned (offsets then refer to the cleaned text) and checked."""
    text = clean(raw_text)
    check_text(text)
    return Document(id=doc_id, text=text, published=published, url=url)


def read_text_file(path: Path, published: dt.date | None = None) -> Document:
    """One .txt (or .html) file as one document, id = file stem."""
    text = decode(_read_bytes(path))
    try:
        return make_document(path.stem, text, published)
    except InputError as err:
        raise InputError(f"{path}: {err}") from None


def read_jsonl(path: Path) -> Iterator[Document | InputProblem]:
    """Documents of a JSON Lines corpus ({"id","text","published","url"} per line)."""
    text = decode(_read_bytes(path))
    seen: set[str] = set()
    for n, line in enumerate(text.splitlines(), start=1):
        where = f"{path}:{n}"
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            yield InputProblem(where, f"malformed JSON ({err.msg} at column {err.colno})")
            continue
        if not isinstance(obj, dict):
            yield InputProblem(where, "a line must be a JSON object with id and text")
            continue
        doc_id, body = obj.get("id"), obj.get("text")
        if not isinstance(doc_id, (str, int)) or str(doc_id).strip() == "":
            yield InputProblem(where, "missing field 'id'")
            continue
        doc_id = str(doc_id)
        if not isinstance(body, str):
            yield InputProblem(where, f"document {doc_id!r}: missing field 'text'")
            continue
        if doc_id in seen:
            yield InputProblem(where, f"duplicate id {doc_id!r} (first occurrence kept)")
            continue
        seen.add(doc_id)
        try:
            published = parse_date(obj.get("published"), what="published")
            url = obj.get("url")
            yield make_document(doc_id, body, published, url if isinstance(url, str) else None)
        except InputError as err:
            yield InputProblem(where, f"document {doc_id!r}: {err}")


def read_inputs(paths: list[Path], published: dt.date | None = None) -> Iterator[Document | InputProblem]:
    """Documents of every input, in order: .jsonl corpora, folders of .txt, single files."""
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".txt", ".jsonl", ".html", ".htm"))
            if not files:
                raise InputError(f"{path}: folder holds no .txt or .jsonl files")
            yield from read_inputs(files, published)
        elif path.suffix.lower() in (".jsonl", ".ndjson"):
            yield from read_jsonl(path)
        else:
            yield read_text_file(path, published)
