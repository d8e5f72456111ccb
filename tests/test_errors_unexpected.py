"""Even a bug prints one line and exits 2: ``kg.cli.main``'s last-resort handler, never a traceback."""
from __future__ import annotations

import errno
from pathlib import Path

import pytest

from kg.cli import MAX_MESSAGE, main


@pytest.fixture
def text(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text("Le JNIM a attaqué le poste de Sokolo.", encoding="utf-8")
    return path


@pytest.mark.parametrize("error, message", [
    (RuntimeError("boom\n  second line\tof it"), "RuntimeError: boom second line of it"),
    (KeyError("actor"), "KeyError: 'actor'"),
    (ValueError("x" * 1000), "ValueError: " + "x" * (MAX_MESSAGE - len("ValueError: ") - 1) + "…"),
    (PermissionError(errno.EACCES, "Permission denied", "/srv/out/graph.ttl"),
     "/srv/out/graph.ttl: Permission denied"),
    (MemoryError(), "MemoryError"),
])
def test_unexpected_exception_is_one_line(text: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch, error: Exception, message: str) -> None:
    def broken(*args: object, **kwargs: object) -> int:
        raise error

    monkeypatch.setattr("kg.build.build_command", broken)
    assert main(["build", str(text), "--out", str(tmp_path / "out")]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"kg: error: {message}\n" and "Traceback" not in captured.err


def test_broken_pipe_is_quiet(text: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def closed(*args: object, **kwargs: object) -> int:  # `kg records a.txt | head -1`
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    monkeypatch.setattr("kg.build.records_command", closed)
    assert main(["records", str(text)]) == 0
    assert capsys.readouterr().err == ""
