"""Bad input files get one clear line on stderr and exit 2, never a traceback; odd but usable files are built.

Refused: a missing file, a folder where a file is expected, empty or blank text,
binary data, text in an encoding kg cannot be sure of, a text over the length
limit, an invalid ``--published``. Accepted: cp1252 / latin-1 text (decoded),
a UTF-8 byte-order mark and CRLF line ends, HTML (stripped; offsets then point
into the text kg kept), non-French text (a warning; what can be extracted is).
Every command runs in this process through ``kg.cli.main``.
"""
from __future__ import annotations

import logging
import tracemalloc
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg.cli import main
from kg.inputs import MAX_FILE_BYTES
from kg.rdf.iri import IriMinter
from kg.rdf.namespaces import NIF
from kg.text import MAX_CHARS

MINT = IriMinter()
FRENCH = ("Le JNIM a revendiqué l’attaque du camp de Sokolo, au Mali, où douze soldats des FAMa ont été tués "
          "selon l’armée.")
ENGLISH = ("Gunmen from JNIM attacked the army post in Sokolo, Mali, at dawn and killed twelve soldiers, "
           "the ministry said on Monday.")


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``kg ARGV``."""
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_error_line(err: str) -> str:
    """The single ``kg: error: ...`` line of stderr, without the prefix (fails on anything else)."""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), err
    assert "Traceback" not in err
    return lines[0].removeprefix("kg: error: ")


# --- refused, exit 2, one line -----------------------------------------------------

def _setup(tmp_path: Path, kind: str) -> Path:
    """Create the bad input ``kind`` in ``tmp_path``; the path to give kg."""
    path = tmp_path / f"{kind}.txt"
    if kind == "missing":
        return path
    if kind == "empty-folder":
        path = tmp_path / "folder"
        path.mkdir()
        (path / "notes.md").write_text("not an input")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "blank":
        path.write_bytes(b" \r\n\t\n\xc2\xa0\n")
    elif kind == "invisible":
        path.write_text("\u200b\u200e\ufeff\u00ad", encoding="utf-8")
    elif kind == "binary-nul":
        path.write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)))
    elif kind == "binary-controls":
        path.write_bytes(bytes(range(1, 9)) * 200)
    elif kind == "unknown-encoding":
        path.write_bytes("Привет, это русский текст о погоде в Москве.".encode("cp1251"))
    elif kind == "broken-utf16":
        path.write_bytes(b"\xff\xfe\x00\xd8")
    elif kind == "5mb":
        block = (FRENCH + "\n") * 1000
        path.write_text(block * (5_000_000 // len(block) + 1), encoding="utf-8")
    elif kind == "too-big-to-read":
        with path.open("wb") as handle:  # sparse: nothing is written, nothing must be read
            handle.truncate(MAX_FILE_BYTES + 1)
    return path


@pytest.mark.parametrize("kind, message", [
    ("missing", "{path}: no such file or folder"),
    ("empty-folder", "{path}: the folder holds no .txt, .html or .jsonl files"),
    ("empty", "{path}: input is empty (no text left after decoding and cleaning)"),
    ("blank", "{path}: input is empty (no text left after decoding and cleaning)"),
    ("invisible", "{path}: input is empty (no text left after decoding and cleaning)"),
    ("binary-nul", "{path}: input looks like binary data (it contains NUL bytes), not text"),
    ("binary-controls", "{path}: input looks like binary data (mostly non-printable characters), not text"),
    ("unknown-encoding", "{path}: input is not valid UTF-8 and its encoding could not be detected reliably; "
                         "convert it to UTF-8"),
    ("broken-utf16", "{path}: input has a UTF-16 byte-order mark but is not valid UTF-16 (unexpected end of data)"),
    ("too-big-to-read", f"{{path}}: {MAX_FILE_BYTES + 1:,} bytes is over the {MAX_FILE_BYTES:,}-byte limit of a "
                        "file read whole"),
])
def test_bad_file_is_refused_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str,
                                         message: str) -> None:
    path = _setup(tmp_path, kind)
    for command in ("build", "records"):
        code, out, err = run(capsys, command, path, "--out", tmp_path / "out")
        assert code == 2 and out == ""
        assert one_error_line(err) == message.format(path=path)
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_5_mb_text_is_refused_with_the_limit_in_bounded_memory(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = _setup(tmp_path, "5mb")
    size, chars = path.stat().st_size, len(path.read_text(encoding="utf-8").strip())
    tracemalloc.start()
    try:
        code, _, err = run(capsys, "records", path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert code == 2
    assert one_error_line(err) == (f"{path}: input is too long: {chars:,} characters; the limit is "
                                   f"{MAX_CHARS:,} (split it into several documents)")
    assert peak < 8 * size  # bytes, text and cleaned text; never a parse of 5 MB


def test_directory_given_as_output_file_or_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "a.txt"
    text.write_text(FRENCH, encoding="utf-8")
    code, _, err = run(capsys, "build", text, "--out", text)
    assert code == 2 and one_error_line(err) == f"--out {text}: is a file, expected a folder"
    code, _, err = run(capsys, "records", text, "--out", text)
    assert code == 2 and one_error_line(err) == f"--out {text}: is a file, expected a folder"
    code, _, err = run(capsys, "build", text, "--out", tmp_path / "out", "--store", text)
    assert code == 2 and one_error_line(err) == f"{text} is a file, not a store folder"


@pytest.mark.parametrize("value", ["2022-13-45", "27/07/2022", "tomorrow", "2022-07-27garbage", ""])
def test_invalid_published_date(tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str) -> None:
    code, out, err = run(capsys, "build", tmp_path / "a.txt", "--published", value)
    assert code == 2 and out == ""
    if value:
        assert one_error_line(err) == (f"argument --published: {value!r} is not a valid date (expected YYYY-MM-DD) "
                                       "(see `kg build --help`)")
    else:  # "" means "no date" to the library, but on the command line it is a mistake all the same
        assert one_error_line(err) == ("argument --published: expected a date YYYY-MM-DD, got an empty value "
                                       "(see `kg build --help`)")


@pytest.mark.parametrize("argv, message", [
    ([], "the following arguments are required: command (see `kg --help`)"),
    (["frobnicate"], "argument command: invalid choice: 'frobnicate' (choose from 'build', 'records', 'query', "
                     "'serve', 'push', 'ontology') (see `kg --help`)"),
    (["build", "--format", "xml"], "argument --format: invalid choice: 'xml' (choose from 'turtle', 'nt', "
                                   "'jsonld', 'trig', 'nquads') (see `kg build --help`)"),
    (["build", "--no-such-option"], "unrecognized arguments: --no-such-option (see `kg --help`)"),
])
def test_command_line_mistakes_are_one_line(capsys: pytest.CaptureFixture[str], argv: list[str],
                                            message: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and one_error_line(err) == message


# --- accepted ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def accepted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A folder of odd but usable files: cp1252, BOM + CRLF, HTML, English, plus one empty file."""
    folder = tmp_path_factory.mktemp("accepted")
    (folder / "cp1252.txt").write_bytes(FRENCH.replace("’", "'").encode("cp1252"))
    (folder / "latin1.txt").write_bytes("Le préfet de Ménaka a confirmé l'enlèvement de trois élus à Ménaka."
                                        .encode("latin-1"))
    (folder / "bom-crlf.txt").write_bytes(b"\xef\xbb\xbf" + "Attaque à Sokolo\r\n\r\n".encode("utf-8")
                                          + FRENCH.encode("utf-8") + b"\r\n")
    (folder / "page.html").write_text(
        "<!doctype html><html><head><title>x</title><script>var a = '<b>JNIM</b>';</script></head><body>"
        "<nav>Accueil | Monde</nav><div class='cookie-banner'>Nous utilisons des cookies</div>"
        "<article><h1>Attaque &agrave; Sokolo</h1><p>Le <b>JNIM</b> a revendiqué l’attaque du camp de "
        "<a href='/x'>Sokolo</a>, au Mali.</p><p>Douze soldats des FAMa ont été tués&nbsp;selon l’armée.</p>"
        "</article><footer>© Journal</footer></body></html>", encoding="utf-8")
    (folder / "english.txt").write_text(ENGLISH, encoding="utf-8")
    (folder / "zz-empty.txt").write_text("   \n")
    return folder, tmp_path_factory.mktemp("accepted-out")


@pytest.fixture(scope="module")
def built(accepted: tuple[Path, Path]) -> tuple[int, Dataset, list[logging.LogRecord], str]:
    folder, out = accepted
    with pytest.MonkeyPatch.context() as mp:
        records: list[logging.LogRecord] = []
        handler = logging.Handler()
        handler.emit = records.append  # type: ignore[method-assign]
        logging.getLogger("kg").addHandler(handler)
        mp.setattr("sys.stderr", stderr := _Lines())
        try:
            code = main(["build", str(folder), "--out", str(out), "--format", "trig", "--quiet"])
        finally:
            logging.getLogger("kg").removeHandler(handler)
    return code, Dataset().parse(out / "graph.trig", format="trig"), records, stderr.text()


class _Lines:
    """A stand-in for sys.stderr that keeps what is written (module-scoped, so no capsys)."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def text(self) -> str:
        return "".join(self.parts)


def text_of(dataset: Dataset, doc_id: str) -> str:
    graph = dataset.graph(MINT.graph(doc_id))
    return str(graph.value(MINT.document(doc_id), NIF.isString))


def test_usable_files_are_built_and_the_empty_one_reported(built, accepted) -> None:
    code, dataset, _, stderr = built
    folder, _ = accepted
    assert code == 3, stderr  # one file of the folder failed, the others were built
    assert f"kg: {folder / 'zz-empty.txt'}: input is empty (no text left after decoding and cleaning)" in stderr
    ids = {str(o) for _, _, o, _ in dataset.quads((None, URIRef("https://schema.org/identifier"), None, None))}
    assert {"cp1252", "latin1", "bom-crlf", "page", "english"} <= ids and "zz-empty" not in ids


def test_cp1252_and_latin1_are_decoded(built) -> None:
    _, dataset, _, _ = built
    assert text_of(dataset, "cp1252") == FRENCH.replace("’", "'")
    assert text_of(dataset, "latin1") == "Le préfet de Ménaka a confirmé l'enlèvement de trois élus à Ménaka."


def test_bom_and_crlf_are_accepted(built) -> None:
    _, dataset, _, _ = built
    assert text_of(dataset, "bom-crlf") == f"Attaque à Sokolo\n\n{FRENCH}"


def test_html_is_stripped_and_offsets_point_into_the_kept_text(built) -> None:
    _, dataset, _, _ = built
    text = text_of(dataset, "page")
    assert text == ("Attaque à Sokolo\n\nLe JNIM a revendiqué l’attaque du camp de Sokolo, au Mali.\n\n"
                    "Douze soldats des FAMa ont été tués selon l’armée.")
    graph = dataset.graph(MINT.graph("page"))
    mentions = list(graph.subjects(RDF.type, NIF.OffsetBasedString))
    assert len(mentions) >= 4  # JNIM, Sokolo, Mali, FAMa at least
    for m in mentions:
        begin, end = int(graph.value(m, NIF.beginIndex)), int(graph.value(m, NIF.endIndex))
        assert text[begin:end] == str(graph.value(m, NIF.anchorOf)) and "<" not in text[begin:end]
    assert Literal("JNIM") in set(graph.objects(None, NIF.anchorOf))


def test_non_french_text_is_warned_and_still_extracted(built, accepted) -> None:
    _, dataset, records, _ = built
    folder, _ = accepted
    warnings = [r.getMessage() for r in records if r.levelno == logging.WARNING]
    assert (f"{folder / 'english.txt'}: the text does not look French; kg reads French news, expect little to be "
            "extracted") in warnings
    assert not any("cp1252" in w or "page.html" in w or "bom-crlf" in w for w in warnings)
    graph = dataset.graph(MINT.graph("english"))
    assert Literal("JNIM") in set(graph.objects(None, NIF.anchorOf))  # the gazetteer still finds names
    assert Literal("Sokolo") in set(graph.objects(None, NIF.anchorOf))


def test_one_bad_file_among_explicit_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text(FRENCH, encoding="utf-8")
    bad.write_bytes(b"\x00\x01binary")
    code, out, err = run(capsys, "records", good, bad)
    assert code == 3 and '"id": "good"' in out
    assert err.splitlines() == [f"kg: {bad}: input looks like binary data (it contains NUL bytes), not text"]
    code, out, err = run(capsys, "records", good, tmp_path / "absent.txt")  # a missing path stops everything
    assert code == 2 and out == "" and one_error_line(err) == f"{tmp_path / 'absent.txt'}: no such file or folder"
