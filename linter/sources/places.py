"""Places in repository files that a rendered field maps back to, and how sure the mapping is.

The mapping modules (:mod:`gwlint.sources.helm`, :mod:`gwlint.sources.kustomize`) name a
place as a file plus either an explicit line (a template line found by text search) or a
data path in one of the file's YAML documents (a values key, a base or patch field),
which the engine resolves to a line with the loader's locate API, as it does for plain
manifests. ``inner`` names a path inside YAML held in a string at ``path`` (a patch
written inline in a kustomization).
"""

from __future__ import annotations

from pathlib import Path as FsPath
from typing import Any

from gwlint.core.datapath import Path
from gwlint.core.records import Value

EXACT = "exact"
"""The field itself (or, for a missing field, its nearest parent, as in a plain manifest)."""
BEST_EFFORT = "best-effort"
"""A template line found by matching the field's keys in the template text, or a parent."""
FALLBACK = "fallback"
"""The object's first line in its template or base, or the kustomization that made it."""


class Place(Value):
    """One place in a repository file."""

    __slots__ = ("doc", "file", "inner", "line", "note", "path", "precision")

    file: FsPath
    line: int | None
    """A 1-based line found in text (helm templates), or None: resolve ``path`` in document ``doc``."""
    doc: int
    path: Path
    inner: Path | None
    precision: str
    note: str
    """What the place is, for related locations (``value from values.yaml``, ``set by patch``)."""

    def __init__(
        self,
        file: FsPath,
        line: int | None = None,
        doc: int = 0,
        path: Path = (),
        inner: Path | None = None,
        precision: str = EXACT,
        note: str = "",
    ) -> None:
        self.file = file
        self.line = line
        self.doc = doc
        self.path = path
        self.inner = inner
        self.precision = precision
        self.note = note


def walk(data: Any, path: Path) -> tuple[Any, int]:
    """The value at the deepest existing prefix of ``path`` in ``data``, and that prefix's length."""
    node = data
    for depth, elem in enumerate(path):
        if isinstance(node, dict) and isinstance(elem, str) and elem in node:
            node = node[elem]
            continue
        if isinstance(node, list) and isinstance(elem, int) and 0 <= elem < len(node):
            node = node[elem]
            continue
        return node, depth
    return node, len(path)


def translate(rendered: Any, other: Any, path: Path) -> tuple[Path, bool]:
    """``path`` of the rendered object as a path in ``other`` (a base or a patch), and whether it exists whole.

    List items are matched by ``name`` when they have one (containers, ports, volumes:
    what strategic merge patches key on), else by position. The path returned stops at
    the deepest element that exists in ``other``.
    """
    out: list[str | int] = []
    r, o = rendered, other
    for elem in path:
        if isinstance(elem, int):
            if not isinstance(o, list):
                return tuple(out), False
            item = r[elem] if isinstance(r, list) and 0 <= elem < len(r) else None
            idx: int | None = None
            if isinstance(item, dict) and "name" in item:
                want = item["name"]
                idx = next((i for i, x in enumerate(o) if isinstance(x, dict) and x.get("name") == want), None)
            elif 0 <= elem < len(o):
                idx = elem
            if idx is None:
                return tuple(out), False
            out.append(idx)
            r, o = item, o[idx]
        else:
            if not isinstance(o, dict) or elem not in o:
                return tuple(out), False
            out.append(elem)
            r = r.get(elem) if isinstance(r, dict) else None
            o = o[elem]
    return tuple(out), True
