"""Run the real ``gwlint`` entry point in-process, in a chosen working directory.

Import ``gwlint_fixture`` into a test module to get the ``gwlint`` fixture.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from gwlint.cli import main


@dataclass
class Run:
    """What one ``gwlint`` invocation did."""

    code: int
    out: str
    err: str


class Gwlint:
    """Calls ``gwlint.cli.main`` the way the console script does, capturing its output."""

    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        self._capsys = capsys
        self._monkeypatch = monkeypatch

    def __call__(self, *args: str, cwd: Path) -> Run:
        self._monkeypatch.chdir(cwd)
        self._capsys.readouterr()
        with pytest.raises(SystemExit) as exc:
            main(list(args))
        captured = self._capsys.readouterr()
        code = exc.value.code
        return Run(code if isinstance(code, int) else 0, captured.out, captured.err)


@pytest.fixture(name="gwlint")
def gwlint_fixture(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Gwlint:
    """``gwlint(*args, cwd=...)`` → :class:`Run`."""
    monkeypatch.setenv("NO_COLOR", "1")
    return Gwlint(capsys, monkeypatch)
