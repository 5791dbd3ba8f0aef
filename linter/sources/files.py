"""Which inputs a run reads: files, directories (recursively) and standard input.

Unreadable paths are collected as run errors instead of aborting, so one bad path never
hides the findings of the others. A directory walk reads regular files only (a FIFO
would block the run forever) and enters each directory once: a symbolic link back to an
enclosing directory is reported as a loop, a second link to a directory already read is
skipped quietly, since its files are linted under their first name.

Whether an input may be or belong to a Helm chart or a kustomization
(:func:`needs_render`) is answered here too, from file names alone, so that a plain run
on manifest files never imports discovery (``gwlint.sources.discover``).
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable, Iterator
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

from gwlint.core.findings import RunError
from gwlint.core.records import Value

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
STDIN = "-"
KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
CHART_FILE = "Chart.yaml"


class Source(Value):
    """One input: its display name (POSIX, relative to the working directory) and bytes."""

    __slots__ = ("data", "name")

    name: str
    data: bytes

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self.data = data


def display_name(path: Path | str) -> str:
    """The path as findings show it: relative to the working directory when inside it."""
    p = Path(path)
    try:
        rel = os.path.relpath(p)
    except ValueError:  # another drive on Windows
        rel = str(p)
    if rel.startswith(".." + os.sep) or rel == "..":
        rel = str(p)
    name = PurePosixPath(Path(rel)).as_posix() if os.sep == "/" else rel.replace(os.sep, "/")
    # bytes of a file name that are not UTF-8 arrive as lone surrogates, which no
    # reporter can write: show them as U+FFFD instead
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _excluded(name: str, patterns: Iterable[str]) -> bool:
    parts = PurePosixPath(name).parts
    for pat in patterns:
        if fnmatch(name, pat) or any(fnmatch(part, pat) for part in parts):
            return True
        if fnmatch(name, pat.rstrip("/") + "/*"):
            return True
    return False


def _encloses(path: Path, ident: tuple[int, int]) -> bool:
    """Whether a directory enclosing ``path`` is the directory ``ident`` (a symlink loop)."""
    for parent in path.parents:
        try:
            st = os.stat(parent)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) == ident:
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
            if _encloses(Path(dirpath), ident):
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
    read: set[tuple[int, int]] | None = None,
) -> tuple[list[Source], list[RunError]]:
    """Read every input named on the command line; errors are returned, not raised.

    A file reached under two names (symbolic or hard links) is read once, under the
    first: read twice, each of its objects would be reported as its own duplicate.
    ``read`` holds the (device, inode) of files already read and is updated, so that
    context inputs can skip the files the linted inputs already read.
    """
    sources: list[Source] = []
    errors: list[RunError] = []
    patterns = list(exclude)
    seen: set[str] = set()
    seen_files = set() if read is None else read
    for raw in paths:
        if raw == STDIN:
            try:
                sources.append(Source(stdin_name, sys.stdin.buffer.read()))
            except (AttributeError, OSError, ValueError) as exc:  # closed or missing stdin
                errors.append(RunError(f"cannot read standard input: {exc}", stdin_name))
            continue
        path = Path(raw)
        try:
            mode: int | None = os.stat(path).st_mode
        except OSError as exc:
            if not os.path.islink(path):
                reason = "no such file or directory" if isinstance(exc, FileNotFoundError) else exc.strerror or str(exc)
                errors.append(RunError(reason, display_name(path)))
                continue
            mode = None  # a broken or looping link: reading it reports why
        walked = mode is not None and stat.S_ISDIR(mode)
        files: Iterable[Path] = _walk(path, errors) if walked else [path]
        for f in files:
            name = display_name(f)
            if name in seen or (patterns and _excluded(name, patterns)):
                continue
            seen.add(name)
            try:
                # a path named explicitly may be a pipe (``gwlint <(helm template .)``);
                # one found by walking a directory must be a regular file
                st = os.stat(f)
                if stat.S_ISREG(st.st_mode):
                    if (st.st_dev, st.st_ino) in seen_files:
                        continue  # another link to a file already read: its objects are not duplicates
                    seen_files.add((st.st_dev, st.st_ino))
                elif walked:
                    errors.append(RunError("not a regular file (a pipe, socket or device); not read", name))
                    continue
                sources.append(Source(name, f.read_bytes()))
            except OSError as exc:
                errors.append(RunError(f"cannot read file: {exc.strerror or exc}", name))
    return sources, errors


def kustomization_file(folder: Path) -> Path | None:
    """The kustomization file of a folder, if it has one (the first of the three names)."""
    for name in KUSTOMIZATION_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def owning_chart(file: Path) -> Path | None:
    """The outermost chart folder ``file`` belongs to (a sub-chart's file belongs to its parent)."""
    found = None
    for parent in file.parents:
        if (parent / CHART_FILE).is_file():
            found = parent
    return found


def near_kustomization(file: Path, stop: Path) -> bool:
    """Whether ``file`` may belong to a kustomization: it is one, or a folder above it (up to ``stop``) has one."""
    if file.name in KUSTOMIZATION_NAMES:
        return True
    for parent in file.parents:
        if kustomization_file(parent) is not None:
            return True
        if parent == stop:
            break
    return False


def needs_render(inputs: Iterable[str]) -> bool:
    """Whether the inputs may hold a chart or a kustomization: a folder, or a file that belongs to one."""
    for raw in inputs:
        if raw == "-":
            continue
        path = Path(raw)
        if path.is_dir() or path.suffix == ".tpl":  # a Helm helper: its chart, or nothing to lint
            return True
        absolute = Path(os.path.abspath(raw))
        if path.name in (CHART_FILE, *KUSTOMIZATION_NAMES) or owning_chart(absolute) is not None:
            return True
        if near_kustomization(absolute, Path(absolute.anchor)):
            return True
    return False
