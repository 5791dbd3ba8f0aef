"""Suppression directives: the ``gwlint.io/ignore`` annotations and ``# gwlint:`` comments of a run.

Two forms, both naming rules by id or name, comma-separated, each entry optionally
followed by ``: reason``:

- the annotation ``gwlint.io/ignore`` on an object or on its pod template silences
  that rule's findings on the object (it survives ``helm template``);
- a comment ``# gwlint: ignore=GW401`` silences findings on its own line, or, alone on
  a line, on the next line.

Comments are found by scanning the raw text, because libyaml drops comments; a ``#``
inside a scalar (a quoted string, a block scalar holding a shell script) is text, not a
directive, and is told apart by the loader's positions (``gwlint.loader.locate``).
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import TYPE_CHECKING

from gwlint.core.datapath import Path
from gwlint.engine.api import IGNORE_ANNOTATION, Suppression
from gwlint.loader.locate import inside_scalar, path_at_line

if TYPE_CHECKING:
    from gwlint.index.index import Index
    from gwlint.loader.document import Document, LoadedFile
    from gwlint.model.resource import Resource


@functools.cache
def _comment_re() -> re.Pattern[str]:
    return re.compile(r"#\s*gwlint\s*:")


@functools.cache
def _ignore_re() -> re.Pattern[str]:
    return re.compile(r"#\s*gwlint\s*:\s*ignore\s*=\s*(.*?)\s*$")


@functools.cache
def _entry_re() -> re.Pattern[str]:
    return re.compile(r"^\s*([A-Za-z][A-Za-z0-9_-]*)\s*(?::\s*)?(.*?)\s*$")


COMMENT_SYNTAX = "# gwlint: ignore=RULE[,RULE...]"


def parse_entries(text: str) -> list[tuple[str, str | None]]:
    """``"GW401: drained by the mesh, readiness-probe-missing"`` → [(token, reason), ...].

    An entry that does not start with a rule id or name gives an empty token.
    """
    out: list[tuple[str, str | None]] = []
    for piece in text.split(","):
        if not piece.strip():
            continue
        m = _entry_re().match(piece)
        out.append((m.group(1), m.group(2) or None) if m else ("", piece.strip()))
    return out


def _annotation_directives(index: Index) -> list[Suppression]:
    out: list[Suppression] = []

    def add(res: Resource, value: str, path: Path) -> None:
        entries = parse_entries(value) or [("", None)]
        for token, reason in entries:
            problem = None if token else f"annotation {IGNORE_ANNOTATION} names no rule: {value!r}"
            out.append(Suppression(res.doc.file, token, reason, "annotation", res, path, problem=problem))

    for res in index.resources:
        if not res.context_only and IGNORE_ANNOTATION in res.annotations:
            add(res, res.annotations[IGNORE_ANNOTATION], ("metadata", "annotations", IGNORE_ANNOTATION))
    for w in index.workloads:
        if not w.resource.context_only and w.template_path and IGNORE_ANNOTATION in w.template_annotations:
            path = (*w.template_path, "metadata", "annotations", IGNORE_ANNOTATION)
            add(w.resource, w.template_annotations[IGNORE_ANNOTATION], path)
    return out


def _document_at(lf: LoadedFile, line: int, ends: list[tuple[int, int]]) -> Document | None:
    """The first document whose root node covers a 0-based line; ``ends`` holds each document's end.

    Documents come in order, each ending before the next starts, so their ends only grow:
    the first one ending past the line's start is found by bisection, and covers the line
    when it starts on or before it. Positions come from the loader, not from the nodes,
    which a loaded document composes again only when asked (one directive per document
    would otherwise compose every document once per directive).
    """
    i = bisect.bisect_right(ends, (line, 0))
    if i < len(ends) and lf.documents[i].start_line <= line:
        return lf.documents[i]
    return None


def _owner(doc: Document | None, path: Path, by_doc: dict[int, list[Resource]]) -> tuple[Resource | None, Path]:
    """The object a path of a document belongs to (a List item, or the document) and the rest."""
    if doc is None:
        return None, ()
    best: Resource | None = None
    for res in by_doc.get(id(doc), []):
        if path[: len(res.path)] == res.path and (best is None or len(res.path) > len(best.path)):
            best = res
    return (best, path[len(best.path) :]) if best is not None else (None, ())


def _comment_directives(lf: LoadedFile, by_doc: dict[int, list[Resource]]) -> list[Suppression]:
    out: list[Suppression] = []
    if "gwlint" not in lf.text:
        return out
    ends = [(d.end_line, d.end_column) for d in lf.documents]
    for lineno, line in enumerate(lf.text.split("\n")):
        if "gwlint" not in line:
            continue
        for m in _comment_re().finditer(line):
            col = m.start()
            if col > 0 and line[col - 1] not in " \t":
                continue  # YAML starts a comment only at a line start or after whitespace
            doc = _document_at(lf, lineno, ends)
            if doc is not None and inside_scalar(doc, lineno, col):
                continue
            covers = lineno + 1 if line[:col].strip() else lineno + 2
            target_doc = doc if covers - 1 == lineno else _document_at(lf, covers - 1, ends)
            target_path = path_at_line(target_doc, covers - 1) if target_doc is not None else ()
            res, rel = _owner(target_doc, target_path, by_doc)
            text = line[col:].rstrip()
            ignore = _ignore_re().match(line, col)
            entries = parse_entries(ignore.group(1)) if ignore else []
            if not entries:
                entries = [("", None)]
            for token, reason in entries:
                if not token:
                    problem = f"this gwlint comment is not understood; write `{COMMENT_SYNTAX}`"
                    if reason:
                        problem = f"unreadable entry {reason!r} in `{text}`"
                else:
                    problem = None
                out.append(
                    Suppression(
                        lf.name,
                        token,
                        reason,
                        "comment",
                        res,
                        rel,
                        lineno + 1,
                        col + 1,
                        len(text),
                        covers,
                        problem=problem,
                    )
                )
            break
    return out


def collect_directives(index: Index, context_files: set[str]) -> list[Suppression]:
    """Every suppression entry in the files and objects that are reported on."""
    by_doc: dict[int, list[Resource]] = {}
    for res in index.resources:
        by_doc.setdefault(id(res.doc), []).append(res)
    found = _annotation_directives(index)
    for lf in index.files:
        if lf.name not in context_files:
            found.extend(_comment_directives(lf, by_doc))
    return found
