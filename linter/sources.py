"""Which inputs a run reads: files, directories (recursively) and standard input.

Unreadable paths are collected as run errors instead of aborting, so one bad path never
hides the findings of the others.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

from gwlint.findings import RunError

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
STDIN = "-"


@dataclass
class Source:
    """One input: its display name (POSIX, relative to the working directory) and bytes."""

    name: str
    data: bytes


def display_name(path: Path | str) -> str:
    """The path as findings show it: relative to the working directory when inside it."""
    p = Path(path)
    try:
        rel = os.path.relpath(p)
    except ValueError:  # another drive on Windows
        rel = str(p)
    if rel.startswith(".." + os.sep) or rel == "..":
        rel = str(p)
    return PurePosixPath(Path(rel)).as_posix() if os.sep == "/" else rel.replace(os.sep, "/")


def _excluded(name: str, patterns: Iterable[str]) -> bool:
    parts = PurePosixPath(name).parts
    for pat in patterns:
        if fnmatch(name, pat) or any(fnmatch(part, pat) for part in parts):
            return True
        if fnmatch(name, pat.rstrip("/") + "/*"):
            return True
    return False


def _walk(root: Path, errors: list[RunError]) -> Iterator[Path]:
    seen: set[tuple[int, int]] = set()

    def onerror(exc: OSError) -> None:
        errors.append(RunError(f"cannot read directory: {exc.strerror or exc}", display_name(exc.filename or root)))

    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror, followlinks=True):
        try:
            st = os.stat(dirpath)
        except OSError as exc:
            onerror(exc)
            dirnames[:] = []
            continue
        ident = (st.st_dev, st.st_ino)
        if ident in seen:
            errors.append(RunError("directory loop through a symbolic link; not read twice", display_name(dirpath)))
            dirnames[:] = []
            continue
        seen.add(ident)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for fname in sorted(filenames):
            if fname.endswith(MANIFEST_SUFFIXES):
                yield Path(dirpath) / fname


def collect(
    paths: Iterable[str],
    exclude: Iterable[str] = (),
    stdin_name: str = "<stdin>",
) -> tuple[list[Source], list[RunError]]:
    """Read every input named on the command line; errors are returned, not raised."""
    sources: list[Source] = []
    errors: list[RunError] = []
    patterns = list(exclude)
    seen: set[str] = set()
    for raw in paths:
        if raw == STDIN:
            sources.append(Source(stdin_name, sys.stdin.buffer.read()))
            continue
        path = Path(raw)
        if path.is_dir():
            files: Iterable[Path] = _walk(path, errors)
        elif path.exists() or path.is_symlink():
            files = [path]
        else:
            errors.append(RunError("no such file or directory", display_name(path)))
            continue
        for f in files:
            name = display_name(f)
            if name in seen or (patterns and _excluded(name, patterns)):
                continue
            seen.add(name)
            try:
                sources.append(Source(name, f.read_bytes()))
            except OSError as exc:
                errors.append(RunError(f"cannot read file: {exc.strerror or exc}", name))
    return sources, errors
