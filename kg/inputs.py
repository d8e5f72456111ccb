"""Reading what users give kg: .txt (or .html) files, JSON Lines corpora, folders of them.

Each input becomes ``kg.extract.model.Document`` objects. A file or a corpus
line that cannot be used (empty, binary, undecodable, malformed JSON, missing
field, duplicate id, too long) becomes an ``InputProblem`` saying where (file,
or file and line number) and why, and the other documents are still read.
A path that does not exist is an :class:`InputError` before anything is read.

A UTF-8 JSON Lines corpus is read line by line, so its size is not limited
(one line at most :data:`MAX_LINE_BYTES`); other inputs are read whole, up to
:data:`MAX_FILE_BYTES`.
"""
from __future__ import annotations

import codecs
import datetime as dt
import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from kg.extract.model import Document
from kg.text import MAX_CHARS, InputError, check_text, clean, decode, looks_french, scrub_surrogates

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 20_000_000
"""Largest file kg reads whole (a .txt or .html page, a corpus that is not UTF-8)."""
MAX_LINE_BYTES = 8 * MAX_CHARS
"""Longest line of a JSON Lines corpus (JSON escapes such as ``\\u00e9`` take six bytes a character)."""
SUFFIXES_CORPUS = (".jsonl", ".ndjson")
SUFFIXES_TEXT = (".txt", ".html", ".htm")

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ][0-9:.+\-Z]*)?")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_HEAD = 65_536


@dataclass(frozen=True)
class InputProblem:
    """A document that could not be read: where (``path`` or ``path:line``), and why (one line)."""

    where: str
    message: str


def parse_date(value: object, *, what: str = "date") -> dt.date | None:
    """ISO date ``YYYY-MM-DD`` (a time after it is ignored) or None; InputError with a clear message otherwise."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InputError(f"{what} must be a YYYY-MM-DD string, got {type(value).__name__}")
    text = value.strip()
    try:
        if not _DATE.fullmatch(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise InputError(f"{what} {value!r}".strip() + " is not a valid date (expected YYYY-MM-DD)") from None


def check_path(path: Path) -> None:
    """InputError unless ``path`` is an existing, readable file or folder."""
    try:
        path.stat()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file or folder") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror or err})") from None
    if not path.is_dir() and not path.is_file():
        raise InputError(f"{path}: not a regular file (a .txt, .html or .jsonl file, or a folder of them)")


def _read_bytes(path: Path) -> bytes:
    if path.is_dir():
        raise InputError(f"{path}: is a folder, expected a .txt or .jsonl file")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"{size:,} bytes is over the {MAX_FILE_BYTES:,}-byte limit of a file read whole")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file") from None
    except OSError as err:
        raise InputError(f"cannot read ({err.strerror or err})") from None


def make_document(doc_id: str, raw_text: str, published: dt.date | None = None, url: str | None = None) -> Document:
    """A Document from raw text: cleaned (offsets then refer to the cleaned text) and checked.

    Lone surrogates in the id or url (possible in JSON) become U+FFFD, so every string is encodable.
    """
    text = clean(raw_text)
    check_text(text)
    return Document(id=scrub_surrogates(doc_id), text=text, published=published,
                    url=scrub_surrogates(url) if url is not None else None)


def _warn_if_not_french(document: Document, where: str) -> None:
    if not looks_french(document.text):
        log.warning("%s: the text does not look French; kg reads French news, expect little to be extracted",
                    where)


def read_text_file(path: Path, published: dt.date | None = None) -> Document:
    """One .txt (or .html) file as one document, id = file stem; InputError (with the path) if unusable."""
    try:
        document = make_document(path.stem, decode(_read_bytes(path)), published)
    except InputError as err:
        raise InputError(f"{path}: {err}") from None
    _warn_if_not_french(document, str(path))
    return document


def _text_file_document(path: Path, published: dt.date | None) -> Document | InputProblem:
    try:
        return read_text_file(path, published)
    except InputError as err:
        return InputProblem(str(path), str(err).removeprefix(f"{path}: "))


def _is_utf8(head: bytes) -> bool:
    """True when the first bytes of a file say UTF-8: a BOM, all valid, or one non-ASCII line that is valid.

    A UTF-8 corpus with a few bad lines is still read as UTF-8 (the bad lines are
    reported); a cp1252 one, where no accented line is valid UTF-8, is not.
    """
    if head.startswith(codecs.BOM_UTF8):
        return True
    if head.startswith(_UTF16_BOMS):
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)  # a character cut at the end is fine
        return True
    except UnicodeDecodeError:
        pass
    for raw in head.split(b"\n")[:-1]:
        if not raw.isascii():
            try:
                raw.decode("utf-8")
                return True
            except UnicodeDecodeError:
                continue
    return False


def _lines_streamed(handle: BinaryIO) -> Iterator[tuple[int, str | None, str | None]]:
    """(line number, text, problem) of a UTF-8 file, one line in memory at a time."""
    n = 0
    while True:
        raw = handle.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        n += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (rest := handle.readline(_HEAD)) and not rest.endswith(b"\n"):
                pass
            yield n, None, f"line is over {MAX_LINE_BYTES:,} bytes (a document holds at most {MAX_CHARS:,} characters)"
            continue
        if n == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        try:
            yield n, raw.decode("utf-8").rstrip("\r\n"), None
        except UnicodeDecodeError as err:
            yield n, None, f"line is not valid UTF-8 (byte {err.start + 1}); a JSON Lines corpus must be UTF-8"


def _lines_whole(path: Path) -> Iterator[tuple[int, str | None, str | None]]:
    """(line number, text, problem) of a file that is not UTF-8: decoded whole (cp1252, latin-1, UTF-16)."""
    text = decode(_read_bytes(path))
    log.info("%s: corpus is not UTF-8; decoded whole", path)
    for n, line in enumerate(text.split("\n"), start=1):  # not splitlines(): JSON may hold a raw U+2028
        yield n, line.rstrip("\r"), None


def read_jsonl(path: Path, seen: dict[str, str] | None = None) -> Iterator[Document | InputProblem]:
    """Documents of a JSON Lines corpus (``{"id", "text", "published", "url"}`` a line), problems by line.

    ``seen`` maps ids already read (by earlier inputs) to where they were read: a
    second document with the same id is a problem and the first one is kept.
    """
    seen = {} if seen is None else seen
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD)
            if b"\x00" in head and not head.startswith(_UTF16_BOMS):
                yield InputProblem(str(path), "looks like binary data (it contains NUL bytes), not a JSON Lines corpus")
                return
            if _is_utf8(head):
                handle.seek(0)
                yield from _documents(path, _lines_streamed(handle), seen)
                return
    except OSError as err:
        yield InputProblem(str(path), f"cannot read ({err.strerror or err})")
        return
    try:
        lines = list(_lines_whole(path))
    except InputError as err:
        yield InputProblem(str(path), str(err))
        return
    yield from _documents(path, iter(lines), seen)


def _documents(path: Path, lines: Iterator[tuple[int, str | None, str | None]],
               seen: dict[str, str]) -> Iterator[Document | InputProblem]:
    empty = True
    for n, line, problem in lines:
        where = f"{path}:{n}"
        if problem is not None:
            empty = False
            yield InputProblem(where, problem)
            continue
        assert line is not None
        if not line.strip():
            continue
        empty = False
        yield _line_document(line, where, seen)
    if empty:
        yield InputProblem(str(path), "the corpus holds no documents (the file is empty)")


def _line_document(line: str, where: str, seen: dict[str, str]) -> Document | InputProblem:
    """The document of one corpus line, or the problem with it."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        at = "" if err.msg.endswith(" at") else " at"  # "Unterminated string starting at"
        return InputProblem(where, f"malformed JSON ({err.msg}{at} column {err.colno})")
    except (ValueError, RecursionError) as err:  # a 5,000-digit number, [[[[...]]]] nested too deeply
        return InputProblem(where, f"malformed JSON ({' '.join(str(err).split()) or 'nested too deeply'})")
    if not isinstance(obj, dict):
        return InputProblem(where, f"a line must be a JSON object with \"id\" and \"text\", not {_json_kind(obj)}")
    doc_id, body = obj.get("id"), obj.get("text")
    if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)) or str(doc_id).strip() == "":
        return InputProblem(where, "missing field \"id\" (a non-empty string)" if doc_id is None else
                            f"field \"id\" must be a non-empty string, not {_json_kind(doc_id)}")
    doc_id = scrub_surrogates(str(doc_id))
    if body is None:
        return InputProblem(where, f"document {doc_id!r}: missing field \"text\"")
    if not isinstance(body, str):
        return InputProblem(where, f"document {doc_id!r}: field \"text\" must be a string, not {_json_kind(body)}")
    if doc_id in seen:
        return InputProblem(where, f"duplicate id {doc_id!r} (first read at {seen[doc_id]}, which is kept)")
    try:
        published = parse_date(obj.get("published"), what="published")
        url = obj.get("url")
        document = make_document(doc_id, body, published, url if isinstance(url, str) and url.strip() else None)
    except InputError as err:
        return InputProblem(where, f"document {doc_id!r}: {err}")
    seen[doc_id] = where
    _warn_if_not_french(document, where)
    return document


def _json_kind(value: object) -> str:
    return {dict: "an object", list: "an array", str: "a string", int: "a number", float: "a number",
            bool: "true/false", type(None): "null"}.get(type(value), type(value).__name__)


def _folder_files(folder: Path) -> list[Path]:
    files = sorted(p for p in folder.iterdir()
                   if p.suffix.lower() in SUFFIXES_TEXT + SUFFIXES_CORPUS and p.is_file())
    if not files:
        raise InputError(f"{folder}: the folder holds no .txt, .html or .jsonl files")
    return files


def read_inputs(paths: Iterable[Path], published: dt.date | None = None) -> Iterator[Document | InputProblem]:
    """Documents of every input, in order: .jsonl corpora, folders, single files; problems in between.

    Every path is checked first (InputError if one does not exist); after that,
    nothing raises: an unusable file or line is yielded as an ``InputProblem``.
    """
    paths = list(paths)
    for path in paths:
        check_path(path)
        if path.is_dir():
            _folder_files(path)
    seen: dict[str, str] = {}
    for path in paths:
        for file in _folder_files(path) if path.is_dir() else [path]:
            if file.suffix.lower() in SUFFIXES_CORPUS:
                yield from read_jsonl(file, seen)
                continue
            document = _text_file_document(file, published)
            if isinstance(document, InputProblem):
                yield document
                continue
            if document.id in seen:
                yield InputProblem(str(file), f"duplicate id {document.id!r} (first read at {seen[document.id]}, "
                                              "which is kept)")
                continue
            seen[document.id] = str(file)
            yield document
