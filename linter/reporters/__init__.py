"""Reporters render a finished, sorted run; they decide nothing.

Each format lives in its own module and is imported only when chosen, so a text run
never pays for sarif-om.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol, TextIO

from gwlint.core.records import Value

if TYPE_CHECKING:
    from gwlint.core.result import RunResult

FORMATS: dict[str, str] = {
    "text": "gwlint.reporters.text",
    "json": "gwlint.reporters.json_format",
    "sarif": "gwlint.reporters.sarif",
    "github": "gwlint.reporters.github",
    "markdown": "gwlint.reporters.markdown",
    "gitlab": "gwlint.reporters.gitlab",
    "junit": "gwlint.reporters.junit",
}
DRAWS_PATHS = frozenset({"markdown"})
"""Formats that draw the request paths, so the run must build them (:attr:`RunResult.paths`)."""


class ReportOptions(Value):
    """How to render: colour, where repository-relative paths are rooted, what lines link to, which fixes count.

    ``root`` None means the repository that contains the working directory (see
    :func:`gwlint.reporters.paths.repository_root`). ``blob_base`` is the URL that a
    repository-relative path is appended to for a link to its line (see
    :func:`github_blob_base`); None links nothing. ``unsafe_fixes``: the run was given
    ``--unsafe-fixes``, so unsafe fixes are marked fixable like safe ones.
    """

    __slots__ = ("blob_base", "color", "root", "unsafe_fixes")

    color: bool
    root: str | None
    blob_base: str | None
    unsafe_fixes: bool

    def __init__(
        self, color: bool = False, root: str | None = None, blob_base: str | None = None, unsafe_fixes: bool = False
    ) -> None:
        self.color = color
        self.root = root
        self.blob_base = blob_base
        self.unsafe_fixes = unsafe_fixes

    def resolved_root(self) -> str:
        """The absolute root directory that repository-relative paths are computed from."""
        if self.root is not None:
            return os.path.abspath(self.root)
        from gwlint.reporters.paths import repository_root

        return repository_root()


def github_blob_base(environ: Mapping[str, str]) -> str | None:
    """``<server>/<owner>/<repo>/blob/<sha>`` from a GitHub Actions runner's variables, else None."""
    server, repository, sha = (environ.get(k) for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"))
    if not (server and repository and sha):
        return None
    return f"{server.rstrip('/')}/{repository}/blob/{sha}"


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
