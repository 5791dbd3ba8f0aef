"""From a fix's data-path edits to replacements on the file's real text, or why there are none.

Runs while the engine still holds the document, and asks the loader's locate API where
each path is. Every edit is the smallest text change that does it: a set replaces the
scalar's characters only; a delete removes the entry's own lines (in a flow mapping,
the entry and one separator); an insert adds lines at its siblings' indentation, or an
entry between a flow mapping's braces. Nothing else of the file changes, so comments,
quoting, layout and line ends stay as they were.

An edit is refused, and the fix only shown, when the text cannot take it safely: a node
used at more than one place (an anchor, an alias, a merge key), a block scalar, an
entry whose line holds more than the entry, a path that is not written as such.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Mapping
from typing import Any

from gwlint.core.datapath import Path, dotted
from gwlint.core.findings import TextRange
from gwlint.core.fixes import Edit, EditOp, Fix, Replacement
from gwlint.fix import render
from gwlint.loader.document import Document
from gwlint.loader.locate import Located, locate

DEFAULT_STEP = 2
"""Indentation step of nested inserted mappings when the document shows none."""
_BREAK_RE = re.compile(r"\r\n|\r|\n")
_ANCHOR_RE = re.compile(r"(?:^|[\s\[{,:-])&[^\s\[\]{},]")


class Refused(Exception):
    """An edit the text cannot take safely; the message says why, for people."""


class FileText:
    """One file's text as read (``bytes.decode("utf-8")``, a BOM included), with what edits ask of it."""

    def __init__(self, real: str) -> None:
        self.real = real
        self.bom = 1 if real.startswith("\ufeff") else 0
        self._starts: list[int] | None = None

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column (code points) of an offset, counted as the loader counts them.

        CRLF, LF and a lone CR end a line; the BOM takes no column.
        """
        if self._starts is None:
            self._starts = [self.bom, *(m.end() for m in _BREAK_RE.finditer(self.real))]
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def replacement(self, start: int, end: int, new: str) -> Replacement:
        """Characters ``start``-``end`` become ``new``."""
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Replacement(start, end, new, line, column, end_line, end_column)

    def line_start(self, offset: int) -> int:
        """Where the line holding ``offset`` starts."""
        lf = self.real.rfind("\n", 0, offset)
        cr = self.real.rfind("\r", lf + 1, offset)  # a lone CR after the last LF (old Mac line ends)
        return max(max(lf, cr) + 1, self.bom)

    def next_line(self, offset: int) -> int:
        """Where the line after the one holding ``offset`` starts (the end of the text on the last line)."""
        m = _BREAK_RE.search(self.real, offset)
        return len(self.real) if m is None else m.end()

    def column(self, offset: int) -> int:
        """0-based column of an offset."""
        return offset - self.line_start(offset)

    def eol_before(self, offset: int) -> str:
        """The break ending the line before ``offset`` (the file's first break when there is none)."""
        real = self.real
        if offset >= 2 and real[offset - 2 : offset] == "\r\n":
            return "\r\n"
        if offset >= 1 and real[offset - 1] in "\r\n":
            return real[offset - 1]
        return self.first_eol()

    def first_eol(self) -> str:
        """The file's first line break (LF when it has none)."""
        m = _BREAK_RE.search(self.real)
        return m.group(0) if m else "\n"

    def ends_line(self, offset: int) -> bool:
        """Whether ``offset`` is the start of a line (just after a break)."""
        return offset > 0 and self.real[offset - 1] in "\r\n"


class _Place:
    """The document and file an edit works on; each path is located once."""

    def __init__(self, doc: Document, file: FileText) -> None:
        self.doc = doc
        self.file = file
        self.text = file.real
        self._found: dict[Path, Located | None] = {}

    def locate(self, path: Path) -> Located | None:
        if path not in self._found:
            self._found[path] = locate(self.doc, path)
        return self._found[path]

    def find(self, path: Path, want: str | None = None) -> Located:
        """The place of ``path``, which must exist, be written once, and (``want``) be of that kind."""
        found = self.locate(path)
        if found is None or not found.complete:
            raise Refused(f"{dotted(path)} is not in the document")
        if found.shared:
            raise Refused(f"{dotted(path)} is shared through a YAML anchor, alias or merge key")
        if want is not None and found.kind != want:
            raise Refused(f"{dotted(path)} is not a {want}")
        return found

    def keys(self, path: Path) -> list[str]:
        """The keys of the mapping at ``path``, in the order the data has them."""
        data = data_at(self.doc.data, path)
        if data is _MISSING:
            raise Refused(f"{dotted(path)} is not in the data")
        if not isinstance(data, dict):
            raise Refused(f"{dotted(path)} is not a mapping")
        return [str(k) for k in data]

    def entry(self, path: Path, name: str) -> tuple[TextRange, TextRange]:
        """The key and value ranges of one entry of the mapping at ``path``."""
        found = self.find((*path, name))
        assert found.key is not None
        return found.key, found.value

    def blank_or_comment(self, start: int, end: int) -> bool:
        body = self.text[start:end].strip(" \t\r\n")
        return not body or body.startswith("#")

    def spaces(self, start: int, end: int) -> bool:
        return start <= end and not self.text[start:end].strip(" ")

    def entry_end(self, value: TextRange) -> int:
        """Where the line after an entry starts (a block scalar's range already ends at one)."""
        if self.file.ends_line(value.end):
            return value.end
        return self.file.next_line(value.end)


def _in_order(earlier: TextRange, later: TextRange, path: Path) -> None:
    """Refused unless ``earlier`` ends before ``later`` starts (a key written twice breaks it)."""
    if later.start < earlier.end:
        raise Refused(f"the keys of {dotted(path)} are not written once each, in order")


def _set(place: _Place, edit: Edit) -> list[Replacement]:
    if isinstance(edit.value, (dict, list)):
        return _set_collection(place, edit)
    found = place.find(edit.path, "scalar")
    if found.style in ("|", ">"):
        raise Refused(f"{dotted(edit.path)} is a block scalar")
    if found.value.start == found.value.end:
        raise Refused(f"{dotted(edit.path)} has no value written")
    style = found.style if found.style in ("'", '"') else None
    return [place.file.replacement(found.value.start, found.value.end, render.scalar(edit.value, style))]


def _set_collection(place: _Place, edit: Edit) -> list[Replacement]:
    """A mapping written anew in the place of the old one, in its style; comments after it stay."""
    found = place.find(edit.path, "mapping")
    if not isinstance(edit.value, dict) or not edit.value:
        raise Refused(f"{dotted(edit.path)} is a mapping; only a mapping replaces it")
    start, end = found.value.start, found.value.end
    if _ANCHOR_RE.search(place.text, start, end):
        raise Refused(f"{dotted(edit.path)} defines a YAML anchor that other places may use")
    file = place.file
    if found.style == "flow":
        return [file.replacement(start, end, render.flow(edit.value))]
    indent = " " * file.column(start)
    eol = file.eol_before(file.next_line(start))
    step = _step(place, edit.path)
    text = "".join(render.block_entry(str(k), v, indent, step, eol) for k, v in edit.value.items())
    return [file.replacement(start, end, text[len(indent) : -len(eol)])]


def _delete(place: _Place, edit: Edit) -> list[Replacement]:
    if not edit.path:
        raise Refused("a whole document is never deleted")
    where = edit.path[:-1]
    parent = place.find(where, "mapping")
    names = place.keys(where)
    name = str(edit.path[-1])
    if name not in names:
        raise Refused(f"{dotted(edit.path)} is not in the document")
    i = names.index(name)
    key, value = place.entry(where, name)
    following = place.entry(where, names[i + 1]) if i + 1 < len(names) else None
    if following is not None:
        _in_order(value, following[0], where)
    if _ANCHOR_RE.search(place.text, key.start, value.end):
        raise Refused(f"{dotted(edit.path)} defines a YAML anchor that other places may use")
    replace = place.file.replacement
    if parent.style == "flow":
        if following is not None:
            return [replace(key.start, following[0].start, "")]
        if i > 0:
            previous = place.entry(where, names[i - 1])[1]
            _in_order(previous, key, where)
            return [replace(previous.end, value.end, "")]
        return [replace(key.start, value.end, "")]
    if len(names) == 1:
        raise Refused(f"{dotted(edit.path)} is the only key of its mapping")
    after = place.entry_end(value)
    if not place.blank_or_comment(value.end, after):
        raise Refused(f"the line of {dotted(edit.path)} holds more than the entry")
    line = place.file.line_start(key.start)
    if place.spaces(line, key.start):
        return [replace(line, after, "")]
    if following is not None and place.spaces(after, following[0].start):
        # the first key of a list item (``- replicas: 3``): the next key moves up to its place
        return [replace(key.start, following[0].start, "")]
    raise Refused(f"the line of {dotted(edit.path)} holds more than the entry")


def _step(place: _Place, path: Path) -> str:
    """The indentation step of nested block mappings, from the closest mapping under a key on the path."""
    for depth in range(len(path), 0, -1):
        prefix = path[:depth]
        if not isinstance(prefix[-1], str):
            continue
        found = place.locate(prefix)
        if found is None or found.kind != "mapping" or found.style != "block" or found.key is None:
            continue
        try:
            first = place.entry(prefix, place.keys(prefix)[0])[0]
        except (Refused, IndexError):
            continue
        width = place.file.column(first.start) - place.file.column(found.key.start)
        if width > 0:
            return " " * width
    return " " * DEFAULT_STEP


def _anchor_index(edit: Edit, names: list[str]) -> int | None:
    """The entry the new key goes after: the first of ``after`` present; None for first; the last without ``after``."""
    if edit.after is None:
        return len(names) - 1 if names else None
    return next((names.index(n) for n in edit.after if n in names), None)


def _insert(place: _Place, edit: Edit) -> list[Replacement]:
    assert edit.key is not None
    mapping = place.find(edit.path, "mapping")
    names = place.keys(edit.path)
    if edit.key in names:
        raise Refused(f"{dotted(edit.path)} already has {edit.key!r}")
    anchor = _anchor_index(edit, names)
    file = place.file
    if mapping.style == "flow":
        return [_insert_flow(place, edit.path, mapping, names, anchor, edit.key, edit.value)]
    first_key = place.entry(edit.path, names[0])[0]
    indent = " " * file.column(first_key.start)
    step = _step(place, edit.path)
    if anchor is None:
        line = file.line_start(first_key.start)
        if place.spaces(line, first_key.start):
            eol = file.eol_before(file.next_line(first_key.start))
            return [file.replacement(line, line, render.block_entry(edit.key, edit.value, indent, step, eol))]
        anchor = 0  # the first key shares its line with a list dash: the new key goes after it
    at = place.entry_end(place.entry(edit.path, names[anchor])[1])
    if anchor + 1 < len(names):
        _in_order(TextRange(at, at), place.entry(edit.path, names[anchor + 1])[0], edit.path)
    if at == len(place.text) and not file.ends_line(at):
        eol = file.first_eol()
        text = eol + render.block_entry(edit.key, edit.value, indent, step, eol)[: -len(eol)]
    else:
        text = render.block_entry(edit.key, edit.value, indent, step, file.eol_before(at))
    return [file.replacement(at, at, text)]


def _insert_flow(
    place: _Place, path: Path, mapping: Located, names: list[str], anchor: int | None, name: str, value: object
) -> Replacement:
    file = place.file
    if not names:
        at = mapping.value.start + 1
        return file.replacement(at, at, render.flow_entry(name, value))
    first_key = place.entry(path, names[0])[0]
    json_like = place.text[first_key.start] == '"'
    entry = render.json_entry(name, value) if json_like else render.flow_entry(name, value)
    if anchor is None:
        return file.replacement(first_key.start, first_key.start, entry + ", ")
    key, val = place.entry(path, names[anchor])
    if anchor + 1 < len(names):
        _in_order(val, place.entry(path, names[anchor + 1])[0], path)
    at = val.end
    own_lines = len(names) > 1 and file.line_start(place.entry(path, names[1])[0].start) != file.line_start(
        first_key.start
    )
    if own_lines:
        indent = " " * file.column(key.start)
        return file.replacement(at, at, "," + file.eol_before(file.next_line(at)) + indent + entry)
    return file.replacement(at, at, ", " + entry)


def _replacements(place: _Place, edit: Edit) -> list[Replacement]:
    if edit.op == EditOp.SET:
        return _set(place, edit)
    if edit.op == EditOp.DELETE:
        return _delete(place, edit)
    return _insert(place, edit)


def resolve(fix: Fix, doc: Document, file: FileText) -> None:
    """Fill in ``fix.replacements`` and ``fix.file``, or ``fix.unavailable`` with the reason."""
    place = _Place(doc, file)
    try:
        found = [r for edit in fix.edits for r in _replacements(place, edit)]
    except Refused as exc:
        fix.unavailable = str(exc)
        return
    found.sort(key=lambda r: (r.start, r.end))
    if not found:
        fix.unavailable = "nothing to change"
    elif any(a.end > b.start or a.start == a.end == b.start == b.end for a, b in itertools.pairwise(found)):
        fix.unavailable = "the fix's edits overlap"
    else:
        fix.replacements = found
        fix.file = doc.file


_MISSING = object()


def data_at(data: Any, path: Path) -> Any:
    """The value at ``path`` in a document's data (a private marker when there is none)."""
    for elem in path:
        if isinstance(data, dict):
            if elem not in data:
                return _MISSING
            data = data[elem]
        elif isinstance(data, list) and isinstance(elem, int) and 0 <= elem < len(data):
            data = data[elem]
        else:
            return _MISSING
    return data


def same_value(a: Any, b: Any) -> bool:
    """Equal and of the same type (``"80"`` is not ``80``), and neither missing."""
    return a is not _MISSING and b is not _MISSING and type(a) is type(b) and a == b


class Resolver:
    """Resolves the fixes of one run's findings, decoding each file's text once, when a fix needs it."""

    def __init__(self, data: Mapping[str, bytes]) -> None:
        self._data = data
        self._files: dict[str, FileText | None] = {}

    def _file(self, name: str) -> FileText | None:
        if name not in self._files:
            raw = self._data.get(name)
            try:
                self._files[name] = None if raw is None else FileText(raw.decode("utf-8"))
            except UnicodeDecodeError:
                self._files[name] = None
        return self._files[name]

    def resolve(self, fix: Fix, doc: Document) -> None:
        """Resolve ``fix`` on ``doc``, unless the document is not the file's own text."""
        for edit in fix.edits:
            if edit.op == EditOp.SET:
                edit.old = data_at(doc.data, edit.path)
        if doc.origin is not None:
            fix.unavailable = f"the document is rendered ({doc.origin.describe()}): make the change there"
            return
        file = self._file(doc.file)
        if file is None:
            fix.unavailable = "the file's text is not at hand"
            return
        resolve(fix, doc, file)
