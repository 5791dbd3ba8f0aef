"""Reporters render a finished, sorted run; they decide nothing.

Each format lives in its own module and is imported only when chosen, so a text run
never pays for sarif-om.
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Protocol, TextIO

from gwlint.core.records import Value

if TYPE_CHECKING:
    from gwlint.core.result import RunResult

FORMATS: dict[str, str] = {
    "text": "gwlint.reporters.text",
    "json": "gwlint.reporters.json_format",
    "sarif": "gwlint.reporters.sarif",
    "github": "gwlint.reporters.github",
}


class ReportOptions(Value):
    """How to render: colour, and where SARIF URIs and annotation paths are rooted.

    ``root`` None means the repository that contains the working directory (see
    :func:`gwlint.reporters.paths.repository_root`).
    """

    __slots__ = ("color", "root")

    color: bool
    root: str | None

    def __init__(self, color: bool = False, root: str | None = None) -> None:
        self.color = color
        self.root = root

    def resolved_root(self) -> str:
        """The absolute root directory that repository-relative paths are computed from."""
        if self.root is not None:
            return os.path.abspath(self.root)
        from gwlint.reporters.paths import repository_root

        return repository_root()


class Render(Protocol):
    def __call__(self, result: RunResult, out: TextIO, options: ReportOptions) -> None: ...


def get_reporter(name: str) -> Render:
    """The ``render`` function of a format (``ValueError`` for an unknown one)."""
    try:
        module = importlib.import_module(FORMATS[name])
    except KeyError:
        raise ValueError(f"unknown format {name!r}; expected one of {', '.join(FORMATS)}") from None
    render: Render = module.render
    return render
