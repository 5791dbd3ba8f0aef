"""The suppression stage: annotations and comments that silence findings, and stale ones.

It runs after the rules, on positioned findings (findings → suppressions → baseline →
reporter). Two forms, both naming rules by id or name, comma-separated, each entry
optionally followed by ``: reason``:

- the annotation ``gwlint.io/ignore`` on an object or on its pod template silences
  that rule's findings on the object (it survives ``helm template``);
- a comment ``# gwlint: ignore=GW401`` silences findings on its own line, or, alone on
  a line, on the next line.

Comments are found by scanning the raw text, because libyaml drops comments; a ``#``
inside a scalar (a quoted string, a block scalar holding a shell script) is text, not a
directive, and is told apart with the scalar nodes' marks. Every entry that silences
nothing is kept in ``Index.unused_suppressions`` for GW004, so stale ones get removed.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from gwlint.findings import Finding, Path, ResourceId
from gwlint.records import Record

if TYPE_CHECKING:
    from gwlint.index import Index
    from gwlint.loader import Document, LoadedFile
    from gwlint.model import Resource
    from gwlint.rule import Rule

IGNORE_ANNOTATION = "gwlint.io/ignore"
_COMMENT_RE = re.compile(r"#\s*gwlint\s*:")
_IGNORE_RE = re.compile(r"#\s*gwlint\s*:\s*ignore\s*=\s*(.*?)\s*$")
_ENTRY_RE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_-]*)\s*(?::\s*)?(.*?)\s*$")
COMMENT_SYNTAX = "# gwlint: ignore=RULE[,RULE...]"


class Directive(Record):
    """One suppression entry: a rule named in an annotation or a comment."""

    __slots__ = (
        "column",
        "covers",
        "file",
        "form",
        "line",
        "path",
        "problem",
        "reason",
        "resource",
        "rule",
        "token",
        "used",
        "width",
    )

    file: str
    token: str
    """The rule as written (id or name); empty for a comment that could not be read."""
    reason: str | None
    form: str
    """``annotation`` or ``comment``."""
    resource: Resource | None
    path: Path
    """Relative to ``resource``: the annotation, or the field on the line a comment covers."""
    line: int | None
    """A comment's 1-based line, column and length (annotations are positioned by path)."""
    column: int
    width: int
    covers: int | None
    """The 1-based line whose findings a comment silences."""
    rule: type[Rule] | None
    problem: str | None
    """Why the entry can never silence anything (an unknown rule, an unreadable comment)."""
    used: bool

    def __init__(
        self,
        file: str,
        token: str,
        reason: str | None,
        form: str,
        resource: Resource | None,
        path: Path,
        line: int | None = None,
        column: int = 0,
        width: int = 1,
        covers: int | None = None,
        rule: type[Rule] | None = None,
        problem: str | None = None,
        used: bool = False,
    ) -> None:
        self.file = file
        self.token = token
        self.reason = reason
        self.form = form
        self.resource = resource
        self.path = path
        self.line = line
        self.column = column
        self.width = width
        self.covers = covers
        self.rule = rule
        self.problem = problem
        self.used = used


def parse_entries(text: str) -> list[tuple[str, str | None]]:
    """``"GW401: drained by the mesh, readiness-probe-missing"`` → [(token, reason), ...].

    An entry that does not start with a rule id or name gives an empty token.
    """
    out: list[tuple[str, str | None]] = []
    for piece in text.split(","):
        if not piece.strip():
            continue
        m = _ENTRY_RE.match(piece)
        out.append((m.group(1), m.group(2) or None) if m else ("", piece.strip()))
    return out


# --- annotations -----------------------------------------------------------------------


def _annotation_directives(index: Index) -> list[Directive]:
    out: list[Directive] = []

    def add(res: Resource, value: str, path: Path) -> None:
        entries = parse_entries(value) or [("", None)]
        for token, reason in entries:
            problem = None if token else f"annotation {IGNORE_ANNOTATION} names no rule: {value!r}"
            out.append(Directive(res.doc.file, token, reason, "annotation", res, path, problem=problem))

    for res in index.resources:
        if not res.context_only and IGNORE_ANNOTATION in res.annotations:
            add(res, res.annotations[IGNORE_ANNOTATION], ("metadata", "annotations", IGNORE_ANNOTATION))
    for w in index.workloads:
        if not w.resource.context_only and w.template_path and IGNORE_ANNOTATION in w.template_annotations:
            path = (*w.template_path, "metadata", "annotations", IGNORE_ANNOTATION)
            add(w.resource, w.template_annotations[IGNORE_ANNOTATION], path)
    return out


# --- comments --------------------------------------------------------------------------


def _children(node: Any) -> list[Any]:
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def _start(node: Any, offset: int) -> tuple[int, int]:
    return int(node.start_mark.line) + offset, int(node.start_mark.column)


def _end(node: Any, offset: int) -> tuple[int, int]:
    return int(node.end_mark.line) + offset, int(node.end_mark.column)


def _inside_scalar(doc: Document, pos: tuple[int, int]) -> bool:
    """Whether a 0-based (line, column) lies inside a scalar's text (only covering nodes are visited)."""
    from ruamel.yaml.nodes import ScalarNode

    off = doc.line_offset
    stack = [doc.node]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if not _start(node, off) <= pos < _end(node, off):
            continue
        if isinstance(node, ScalarNode):
            return True
        stack.extend(_children(node))
    return False


def _covers_line(node: Any, line: int, off: int) -> bool:
    start, end = _start(node, off), _end(node, off)
    return start[0] <= line and (end[0] > line or (end[0] == line and end[1] > 0))


def _path_at(doc: Document, line: int) -> Path:
    """The data path of the first key or item that starts on a 0-based line of the document."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    off = doc.line_offset
    node = doc.node
    path: list[str | int] = []
    for _ in range(400):
        if isinstance(node, MappingNode):
            nxt = None
            for knode, vnode in node.value:
                key = knode.value if isinstance(knode, ScalarNode) else "?"
                if _start(knode, off)[0] == line:
                    return (*path, key)
                if _start(knode, off)[0] <= line and _covers_line(vnode, line, off):
                    nxt = vnode
                    path.append(key)
                    break
        elif isinstance(node, SequenceNode):
            nxt = None
            for i, item in enumerate(node.value):
                if _covers_line(item, line, off):
                    nxt = item
                    path.append(i)
                    break
        else:
            nxt = None
        if nxt is None:
            break
        node = nxt
    return tuple(path)


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


def _comment_directives(lf: LoadedFile, by_doc: dict[int, list[Resource]]) -> list[Directive]:
    out: list[Directive] = []
    if "gwlint" not in lf.text:
        return out
    ends = [(d.end_line, d.end_column) for d in lf.documents]
    for lineno, line in enumerate(lf.text.split("\n")):
        if "gwlint" not in line:
            continue
        for m in _COMMENT_RE.finditer(line):
            col = m.start()
            if col > 0 and line[col - 1] not in " \t":
                continue  # YAML starts a comment only at a line start or after whitespace
            doc = _document_at(lf, lineno, ends)
            if doc is not None and _inside_scalar(doc, (lineno, col)):
                continue
            covers = lineno + 1 if line[:col].strip() else lineno + 2
            target_doc = doc if covers - 1 == lineno else _document_at(lf, covers - 1, ends)
            target_path = _path_at(target_doc, covers - 1) if target_doc is not None else ()
            res, rel = _owner(target_doc, target_path, by_doc)
            text = line[col:].rstrip()
            ignore = _IGNORE_RE.match(line, col)
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
                    Directive(
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


# --- the stage -------------------------------------------------------------------------


def _resolve(directives: Iterable[Directive], rules: Sequence[Rule]) -> set[str]:
    """Attach each entry's rule; returns the ids of the rules that ran."""
    ran = {r.id for r in rules}
    catalogue: list[type[Rule]] = [type(r) for r in rules]
    pending = [d for d in directives if d.token and d.problem is None]
    if any(not _match(d.token, catalogue) for d in pending):
        from gwlint.registry import all_rules

        catalogue = all_rules()
    for d in pending:
        d.rule = _match(d.token, catalogue)
        if d.rule is None:
            from gwlint.config_schema import suggest

            names = [c.id for c in catalogue] + [c.name for c in catalogue]
            d.problem = f"{d.form} names unknown rule {d.token!r}{suggest(d.token, names)}"
    return ran


def _match(token: str, rules: Sequence[type[Rule]]) -> type[Rule] | None:
    for cls in rules:
        if token.upper() == cls.id.upper() or token == cls.name:
            return cls
    return None


def collect_directives(index: Index, context_files: set[str]) -> list[Directive]:
    """Every suppression entry in the files and objects that are reported on."""
    by_doc: dict[int, list[Resource]] = {}
    for res in index.resources:
        by_doc.setdefault(id(res.doc), []).append(res)
    found = _annotation_directives(index)
    for lf in index.files:
        if lf.name not in context_files:
            found.extend(_comment_directives(lf, by_doc))
    return found


def apply_suppressions(
    findings: list[Finding], index: Index, rules: Sequence[Rule], context_files: set[str]
) -> tuple[list[Finding], list[Finding]]:
    """Split positioned findings into (kept, suppressed) and record the stale entries in the index."""
    directives = collect_directives(index, context_files)
    if not directives:
        return findings, []
    ran = _resolve(directives, rules)
    by_object: dict[tuple[str, ResourceId], list[Directive]] = {}
    by_line: dict[tuple[str, int], list[Directive]] = {}
    for d in directives:
        if d.rule is None:
            continue
        if d.form == "annotation" and d.resource is not None:
            by_object.setdefault((d.file, d.resource.id), []).append(d)
        elif d.covers is not None:
            by_line.setdefault((d.file, d.covers), []).append(d)
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for f in findings:
        loc = f.location
        candidates = by_object.get((loc.file, loc.resource), []) if loc.resource is not None else []
        if loc.span is not None:
            candidates = candidates + by_line.get((loc.file, loc.span.line), [])
        for d in candidates:
            if d.rule is not None and d.rule.id == f.rule_id:
                d.used = True
                f.suppressed = True
        (suppressed if f.suppressed else kept).append(f)
    index.unused_suppressions = [
        d for d in directives if not d.used and (d.problem is not None or (d.rule is not None and d.rule.id in ran))
    ]
    return kept, suppressed
