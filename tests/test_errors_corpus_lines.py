"""A JSON Lines corpus: each bad line is reported with its line number, the other documents are built, exit 3.

Bad lines: malformed JSON, not an object, a missing or empty ``id``, a missing
or non-string ``text``, a duplicate id (the first is kept), an empty or too long
text, an invalid ``published``, a line that is not UTF-8 or is too long to read.
A document whose build fails is reported the same way and does not stop the others.
"""
from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest
from rdflib import Dataset, URIRef

from kg.cli import main
from kg.extract.model import Document
from kg.inputs import MAX_LINE_BYTES, InputProblem, read_inputs, read_jsonl
from kg.text import MAX_CHARS

TEXT = "Le JNIM a revendiqué l’attaque du camp de Sokolo, au Mali, où douze soldats des FAMa ont été tués."
IDENTIFIER = URIRef("https://schema.org/identifier")


def line(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


# Line number -> (line, what kg says about it); None: a good document.
CORPUS: list[tuple[str, str | None]] = [
    (line(id="good-1", text=TEXT, published="2022-07-27", url="https://example.org/1"), None),
    ('{"id": "broken", "text": "Le JNIM', "malformed JSON (Unterminated string starting at column 26)"),
    ("", None),  # blank lines are skipped, but still counted
    (line(text=TEXT), 'missing field "id" (a non-empty string)'),
    (line(id="   ", text=TEXT), 'field "id" must be a non-empty string, not a string'),
    (line(id=["a"], text=TEXT), 'field "id" must be a non-empty string, not an array'),
    (line(id="no-text"), "document 'no-text': missing field \"text\""),
    (line(id="number-text", text=42), "document 'number-text': field \"text\" must be a string, not a number"),
    (line(id="good-1", text="Autre texte sur Tessit."), "duplicate id 'good-1' (first read at {path}:1, which is kept)"),
    ('["id", "text"]', 'a line must be a JSON object with "id" and "text", not an array'),
    (line(id="blank", text=" \n\t "), "document 'blank': input is empty (no text left after decoding and cleaning)"),
    (line(id="bad-date", text=TEXT, published="27/07/2022"),
     "document 'bad-date': published '27/07/2022' is not a valid date (expected YYYY-MM-DD)"),
    (line(id="long", text="a" * (MAX_CHARS + 1)),
     f"document 'long': input is too long: {MAX_CHARS + 1:,} characters; the limit is {MAX_CHARS:,} "
     "(split it into several documents)"),
    (line(id=7, text="Des hommes armés ont attaqué le poste de Tessit à l’aube.\r"), None),  # numeric id, CR end
    ('{"id": "lone-surrogate", "text": "Attaque \\ud800 à Boni : le marché a été incendié."}', None),
    ("   {}   ", 'missing field "id" (a non-empty string)'),
    ("[" * 100_000 + "]" * 100_000, "malformed JSON (maximum recursion depth exceeded while decoding a JSON array "
                                    "from a unicode string)"),
]
GOOD = ["good-1", "7", "lone-surrogate"]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(text for text, _ in CORPUS) + "\n", encoding="utf-8")
    return path


def expected_problems(path: Path) -> list[str]:
    return [f"kg: {path}:{n}: {message.format(path=path)}"
            for n, (_, message) in enumerate(CORPUS, start=1) if message is not None]


def test_every_bad_line_is_reported_with_its_line_number(corpus: Path) -> None:
    items = list(read_jsonl(corpus))
    problems = [f"kg: {p.where}: {p.message}" for p in items if isinstance(p, InputProblem)]
    assert problems == expected_problems(corpus)
    documents = [d for d in items if isinstance(d, Document)]
    assert [d.id for d in documents] == GOOD
    assert documents[0].url == "https://example.org/1" and str(documents[0].published) == "2022-07-27"
    assert documents[1].text == "Des hommes armés ont attaqué le poste de Tessit à l’aube."
    assert documents[2].text == "Attaque \ufffd à Boni : le marché a été incendié."  # one for one: offsets hold


def test_records_writes_the_good_documents_and_exits_3(corpus: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["records", str(corpus), "--out", str(tmp_path / "records")]) == 3
    captured = capsys.readouterr()
    assert captured.err.splitlines() == expected_problems(corpus)
    assert sorted(p.name for p in (tmp_path / "records").iterdir()) == ["7.json", "good-1.json",
                                                                       "lone-surrogate.json"]
    record = json.loads((tmp_path / "records" / "good-1.json").read_text(encoding="utf-8"))
    assert record["document"]["id"] == "good-1" and record["document"]["published"] == "2022-07-27"


def test_build_builds_the_good_documents_and_exits_3(corpus: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["build", str(corpus), "--out", str(out), "--format", "nquads", "--quiet"]) == 3
    captured = capsys.readouterr()
    assert captured.err.splitlines() == expected_problems(corpus)
    assert f"failures {len(expected_problems(corpus))} " in captured.out
    dataset = Dataset().parse(out / "graph.nq", format="nquads")
    ids = sorted(str(o) for _, _, o, _ in dataset.quads((None, IDENTIFIER, None, None)))
    assert ids == sorted(GOOD)


@pytest.mark.parametrize("content, message", [
    (b"", "the corpus holds no documents (the file is empty)"),
    (b"\n  \n\r\n", "the corpus holds no documents (the file is empty)"),
    (b"\x00\x01\x02\x03 binary", "looks like binary data (it contains NUL bytes), not a JSON Lines corpus"),
    (b'{"id": "a", "text": "\x81\x8d\x8f"}\n',
     "input is not valid UTF-8 and its encoding could not be detected reliably; convert it to UTF-8"),
])
def test_unusable_corpus_is_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes,
                                            message: str) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(content)
    assert main(["records", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == f"kg: error: {path}: {message}\n"


def test_corpus_of_bad_lines_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text('{"id": 1}\nnot json\n', encoding="utf-8")
    assert main(["build", str(path), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"kg: {path}:1: document '1': missing field \"text\"",
        f"kg: {path}:2: malformed JSON (Expecting value at column 1)",
        "kg: error: none of the 2 documents could be read"]
    assert not (tmp_path / "out").exists()


def test_cp1252_corpus_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(line(id="a", text="Le préfet de Ménaka a confirmé l'enlèvement de trois élus.").encode("cp1252")
                     + b"\r\n" + line(id="b", text="Attaque à Tessit, selon l'armée malienne.").encode("cp1252"))
    documents = list(read_jsonl(path))
    assert [(d.id, d.text) for d in documents] == [  # type: ignore[union-attr]
        ("a", "Le préfet de Ménaka a confirmé l'enlèvement de trois élus."),
        ("b", "Attaque à Tessit, selon l'armée malienne.")]


def test_bom_crlf_and_a_non_utf8_line_in_a_utf8_corpus(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + line(id="a", text=TEXT).encode("utf-8") + b"\r\n"
                     + b'{"id": "b", "text": "caf\xe9"}\r\n' + line(id="c", text="Tessit").encode("utf-8") + b"\r\n")
    items = list(read_jsonl(path))
    assert [getattr(i, "id", None) for i in items] == ["a", None, "c"]
    assert items[1] == InputProblem(f"{path}:2", "line is not valid UTF-8 (byte 25); a JSON Lines corpus must be UTF-8")


def test_over_long_line_is_skipped_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    huge = 5 * MAX_LINE_BYTES
    with path.open("w", encoding="utf-8") as handle:
        handle.write('{"id": "huge", "text": "' + "a" * huge + '"}\n')
        handle.write(line(id="after", text=TEXT) + "\n")
    tracemalloc.start()
    try:
        items = list(read_jsonl(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert items[0] == InputProblem(f"{path}:1", f"line is over {MAX_LINE_BYTES:,} bytes (a document holds at most "
                                                 f"{MAX_CHARS:,} characters)")
    assert [d.id for d in items[1:]] == ["after"]  # type: ignore[union-attr]
    assert peak < 3 * MAX_LINE_BYTES < huge


def test_duplicate_ids_across_inputs(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(line(id="x", text=TEXT) + "\n" + line(id="y", text=TEXT) + "\n")
    (tmp_path / "y.txt").write_text(TEXT)
    (tmp_path / "b.jsonl").write_text(line(id="x", text=TEXT) + "\n")
    items = list(read_inputs([tmp_path / "a.jsonl", tmp_path / "y.txt", tmp_path / "b.jsonl"]))
    assert [getattr(i, "id", None) for i in items] == ["x", "y", None, None]
    assert items[2] == InputProblem(str(tmp_path / "y.txt"), f"duplicate id 'y' (first read at {tmp_path}/a.jsonl:2, "
                                                             "which is kept)")
    assert items[3] == InputProblem(f"{tmp_path}/b.jsonl:1", f"duplicate id 'x' (first read at {tmp_path}/a.jsonl:1, "
                                                             "which is kept)")


def test_a_document_whose_build_fails_does_not_stop_the_others(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.pipeline import Pipeline
    finish = Pipeline._finish

    def failing(self: Pipeline, document: Document, spacy_doc: object):  # an extraction bug on one document
        if document.id == "b":
            raise IndexError("list index out of range\n  in a stage")
        return finish(self, document, spacy_doc)

    monkeypatch.setattr(Pipeline, "_finish", failing)
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(line(id=i, text=f"{TEXT} ({i})") for i in "abc"), encoding="utf-8")
    assert main(["records", str(path), "--out", str(tmp_path / "records")]) == 3
    captured = capsys.readouterr()
    assert captured.err == "kg: document 'b': build failed: IndexError: list index out of range in a stage\n"
    assert sorted(p.name for p in (tmp_path / "records").iterdir()) == ["a.json", "c.json"]
