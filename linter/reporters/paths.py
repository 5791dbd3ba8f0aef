"""Where reported paths are rooted: the repository, not the working directory.

GitHub resolves SARIF URIs and annotation ``file=`` values against the checkout root,
so a run started in a subdirectory (``cd deploy && gwlint -f sarif .``) must still
report ``deploy/web.yaml``. Text and JSON keep the names findings were read under.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

STDIN_PREFIX = "<"
"""Display names of unnamed standard input start with this (``<stdin>``)."""


def repository_root(start: str | None = None) -> str:
    """The nearest directory at or above ``start`` (default: cwd) holding ``.git``, else ``start``."""
    here = Path(os.path.abspath(start or os.getcwd()))
    for candidate in (here, *here.parents):
        if (candidate / ".git").exists():
            return str(candidate)
    return str(here)


def is_unnamed_stdin(file: str) -> bool:
    """Whether a display name stands for standard input read without ``--stdin-filename``."""
    return file.startswith(STDIN_PREFIX)


def relative_to_root(file: str, root: str) -> str | None:
    """``file`` (relative to cwd, or absolute) as a POSIX path under ``root``; None outside it."""
    absolute = os.path.abspath(file)
    try:
        rel = os.path.relpath(absolute, root)
    except ValueError:  # another drive on Windows
        return None
    if rel == os.curdir or rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
        return None
    return PurePosixPath(*Path(rel).parts).as_posix()
