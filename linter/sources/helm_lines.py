"""From a rendered Helm field back to the template line that writes it and the values line it comes from.

Helm has no source map (helm/helm#11552), so the template line is found by matching the
field's keys, in order and with growing indentation, in the literal lines of the
template that rendered the object (``# Source:`` names it), ignoring lines made only of
template actions. The research measured a second, marked render as the alternative; key
matching was chosen because it costs no render at all, and it finds the same line
whenever the key is written literally in the template, which is where a human edits it.
When the key itself is produced by an action (``toYaml .Values.resources``), the line of
the nearest literal parent is given.

The value's origin is read from the actions at that line: ``{{ .Values.a.b }}`` on it,
``{{ toYaml .Values.x | nindent }}`` in its block, or a dot-relative ``{{ .y }}`` inside
an enclosing ``{{ with .Values.x }}``. The values line is then looked up in the release's
values files, the last file that defines the key winning, as Helm merges them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path as FsPath
from typing import Any

from gwlint.core.datapath import Path
from gwlint.core.records import Value
from gwlint.sources.places import BEST_EFFORT, EXACT, FALLBACK, Place, walk
from gwlint.sources.yamldata import YamlFiles

_SOURCE_RE = re.compile(r"^# Source: (.+?)\s*$")
_KEY_RE = re.compile(r"""^(-\s+)?(?:"([^"]+)"|'([^']+)'|([^\s:{}#'"][^:#{}]*?))\s*:(?:\s|$)""")
_VALUES_RE = re.compile(r"\.Values((?:\.[A-Za-z_][\w-]*)+)")
_DOT_RE = re.compile(r"\{\{-?\s*(?:toYaml\s+|quote\s+)?\.([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)")
_WITH_RE = re.compile(r"\{\{-?\s*with\s+\.Values((?:\.[A-Za-z_][\w-]*)+)\s*-?\}\}")
_OPEN_RE = re.compile(r"\{\{-?\s*(if|with|range|define|block)\b")
_END_RE = re.compile(r"\{\{-?\s*end\s*-?\}\}")
_ACTION_RE = re.compile(r"\{\{.*?\}\}")
_TOYAML_RE = re.compile(r"toYaml\s+\.Values((?:\.[A-Za-z_][\w-]*)+)")


class HelmDoc(Value):
    """One document of a helm render: where it starts in the stream and which template wrote it."""

    __slots__ = ("data", "end", "number", "source", "start")

    start: int
    """0-based line of the document's first line in the stream."""
    end: int
    source: str | None
    """The ``# Source:`` path (``<chart name>/templates/x.yaml``)."""
    number: int
    """Which document of its template this is (0 for the first)."""
    data: Any

    def __init__(self, start: int, end: int, source: str | None, number: int, data: Any = None) -> None:
        self.start = start
        self.end = end
        self.source = source
        self.number = number
        self.data = data


def split_stream(stream: str) -> list[HelmDoc]:
    """The documents of ``helm template`` output with their lines and templates."""
    lines = stream.split("\n")
    docs: list[HelmDoc] = []
    start = 0
    source: str | None = None
    counts: dict[str, int] = {}
    for i, line in enumerate([*lines, "---"]):
        if line.rstrip() == "---":
            if i > start:
                key = source or ""
                docs.append(HelmDoc(start, i, source, counts.get(key, 0)))
                counts[key] = counts.get(key, 0) + 1
            start = i + 1
            source = None
            continue
        m = _SOURCE_RE.match(line)
        if m and source is None:
            source = m.group(1)
    return docs


def template_file(source: str, chart_dir: FsPath, chart_name: str, sub_charts: dict[str, str]) -> FsPath | None:
    """The repository file behind a ``# Source:`` path (the prefix is the chart's name, not its folder)."""
    parts = source.split("/")
    if len(parts) < 2 or parts[0] != chart_name:
        return None
    rest = parts[1:]
    base = chart_dir
    while len(rest) >= 2 and rest[0] == "charts":  # a sub-chart, possibly copied from a file:// dependency
        name = rest[1]
        base = FsPath(sub_charts[name]) if name in sub_charts and base == chart_dir else base / "charts" / name
        rest = rest[2:]
    return base.joinpath(*rest)


class _Line(Value):
    __slots__ = ("indent", "key", "list_item", "number")

    number: int
    indent: int
    """Column of the key (after a ``- `` list marker)."""
    key: str | None
    list_item: bool

    def __init__(self, number: int, indent: int, key: str | None, list_item: bool) -> None:
        self.number = number
        self.indent = indent
        self.key = key
        self.list_item = list_item


def _literal_lines(text: str) -> list[_Line]:
    """The template's lines that hold YAML text, not only actions or comments."""
    out: list[_Line] = []
    depth = 0  # inside a multi-line action
    for n, raw in enumerate(text.split("\n")):
        opened, closed = raw.count("{{"), raw.count("}}")
        if depth:
            depth = max(0, depth + opened - closed)
            continue
        depth = max(0, opened - closed)
        stripped = raw.strip()
        if not stripped or stripped.startswith("#") or not _ACTION_RE.sub("", stripped).strip():
            continue
        if depth:
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        body = raw[indent:]
        m = _KEY_RE.match(body)
        list_item = body.startswith("- ") or body == "-"
        if m:
            key = m.group(2) or m.group(3) or m.group(4)
            if "{{" in key:
                key = None
            out.append(_Line(n, indent + (len(m.group(1)) if m.group(1) else 0), key, list_item))
        else:
            out.append(_Line(n, indent + (2 if list_item else 0), None, list_item))
    return out


def _sections(lines: list[_Line], text: str) -> list[list[_Line]]:
    raw = text.split("\n")
    out: list[list[_Line]] = [[]]
    for ln in lines:
        if raw[ln.number].rstrip() == "---":
            out.append([])
        else:
            out[-1].append(ln)
    return [s for s in out if s]


def _pick_section(sections: list[list[_Line]], text: str, kind: str | None, number: int) -> list[_Line]:
    raw = text.split("\n")
    if kind:
        matching = [s for s in sections if any(raw[ln.number].strip() == f"kind: {kind}" for ln in s)]
        if matching:
            return matching[min(number, len(matching) - 1)]
    return sections[min(number, len(sections) - 1)] if sections else []


def _start(ln: _Line) -> int:
    """The column a line starts at: its ``- `` marker for a list item, else its key."""
    return ln.indent - 2 if ln.list_item else ln.indent


def _block(after: Sequence[_Line], opener: _Line) -> list[_Line]:
    """The lines nested under ``opener`` (a key, or a list item), among the lines after it."""
    col = _start(opener)
    out = []
    for ln in after:
        s = _start(ln)
        # a list may sit at its key's own column (``key:`` then ``- item``)
        if s < col or (s == col and not (ln.list_item and not opener.list_item)):
            break
        out.append(ln)
    return out


def match_keys(lines: Sequence[_Line], path: Path) -> tuple[list[_Line], int]:
    """The template lines of the keys of ``path`` found in order, and how many elements matched."""
    found: list[_Line] = []
    region = list(lines)
    matched = 0
    for elem in path:
        if not region:
            break
        if isinstance(elem, int):
            level = min(_start(ln) for ln in region)
            items = [ln for ln in region if ln.list_item and _start(ln) == level]
            if not items:
                break
            item = items[min(elem, len(items) - 1)]
            pos = region.index(item)
            region = [item, *_block(region[pos + 1 :], item)]
            found.append(item)
        else:
            keyed = [ln for ln in region if ln.key is not None]
            if not keyed:
                break
            level = min(ln.indent for ln in keyed)
            hit = next((ln for ln in keyed if ln.indent == level and ln.key == elem), None)
            if hit is None:
                break
            pos = region.index(hit)
            region = _block(region[pos + 1 :], hit)
            found.append(hit)
        matched += 1
    return found, matched


def _enclosing_with(raw: list[str], line: int) -> str | None:
    """The ``.Values`` path of the innermost ``{{ with .Values.x }}`` around ``line``."""
    depth = 0
    for n in range(line - 1, -1, -1):
        text = raw[n]
        depth += len(_END_RE.findall(text))
        for m in reversed(list(_OPEN_RE.finditer(text))):
            if depth == 0:
                if m.group(1) == "with":
                    w = _WITH_RE.search(text, m.start())
                    return w.group(1)[1:] if w else None
                if m.group(1) in ("range", "define"):
                    return None
            else:
                depth -= 1
    return None


def values_path(text: str, lines: list[_Line], found: list[_Line], matched: int, path: Path) -> tuple[str, ...] | None:
    """The values key a rendered field comes from, read from the actions at its template line."""
    if not found:
        return None
    raw = text.split("\n")
    last = found[-1]
    rest = [e for e in path[matched:]]
    line = raw[last.number]
    if matched == len(path):
        m = _VALUES_RE.search(line.split(":", 1)[1] if ":" in line else line)
        if m:
            return tuple(m.group(1)[1:].split("."))
        d = _DOT_RE.search(line.split(":", 1)[1] if ":" in line else "")
        if d:
            with_path = _enclosing_with(raw, last.number)
            if with_path:
                return (*with_path.split("."), *d.group(1).split("."))
        return None
    # the field is written by an action under the deepest literal key: toYaml .Values.x
    after = [ln for ln in lines if ln.number > last.number]
    block = _block(after, last)
    nxt = after[len(block)].number if len(block) < len(after) else len(raw)
    stop = nxt
    for n in range(last.number, stop):
        m = _TOYAML_RE.search(raw[n])
        if m and all(isinstance(e, (str, int)) for e in rest):
            return (*m.group(1)[1:].split("."), *(str(e) if isinstance(e, str) else f"[{e}]" for e in rest))
        if re.search(r"toYaml\s+\.\s", raw[n]):
            with_path = _enclosing_with(raw, n)
            if with_path:
                return (*with_path.split("."), *(str(e) if isinstance(e, str) else f"[{e}]" for e in rest))
    return None


def _as_path(keys: tuple[str, ...]) -> Path:
    out: list[str | int] = []
    for k in keys:
        if k.startswith("[") and k.endswith("]") and k[1:-1].isdigit():
            out.append(int(k[1:-1]))
        else:
            out.append(k)
    return tuple(out)


class ChartMapper:
    """Maps the fields of one release's documents to template and values lines."""

    def __init__(
        self,
        chart_dir: FsPath,
        chart_name: str,
        values_files: Sequence[FsPath],
        sub_charts: dict[str, str],
        label: str,
        files: YamlFiles,
    ) -> None:
        self.chart_dir = chart_dir
        self.chart_name = chart_name
        self.values_files = list(values_files)
        self.sub_charts = sub_charts
        self.label = label
        self.files = files

    def places(self, doc: HelmDoc, kind: str | None, path: Path) -> list[Place]:
        """The places of a field, best first: its values line (when the value comes from values), its template line."""
        if doc.source is None:
            return []
        template = template_file(doc.source, self.chart_dir, self.chart_name, self.sub_charts)
        if template is None:
            return []
        text = self.files.text(template)
        if text is None:
            return []
        lines = self.files.derived("literal lines", template, lambda: _literal_lines(text))
        section = _pick_section(_sections(lines, text), text, kind, doc.number)
        if not section:
            return [Place(template, line=1, precision=FALLBACK, note="template")]
        found, matched = match_keys(section, path)
        out: list[Place] = []
        if found:
            out.append(Place(template, line=found[-1].number + 1, precision=BEST_EFFORT, note="template"))
        else:
            out.append(Place(template, line=section[0].number + 1, precision=FALLBACK, note="template"))
        keys = values_path(text, lines, found, matched, path)
        if keys is not None:
            place = self._values_place(template, _as_path(keys))
            if place is not None:
                out.insert(0, place)
        return out

    def _values_place(self, template: FsPath, vpath: Path) -> Place | None:
        """The last values file that defines ``vpath`` (a sub-chart's values sit under its name in the parent's)."""
        candidates: list[tuple[FsPath, Path]] = []
        rel = template.relative_to(self.chart_dir) if template.is_relative_to(self.chart_dir) else None
        sub = rel.parts[1] if rel is not None and len(rel.parts) > 2 and rel.parts[0] == "charts" else None
        if sub is None and template not in self.chart_dir.rglob("*"):
            sub = next((n for n, d in self.sub_charts.items() if template.is_relative_to(FsPath(d))), None)
        if sub is not None:
            sub_dir = FsPath(self.sub_charts.get(sub, self.chart_dir / "charts" / sub))
            candidates.append((sub_dir / "values.yaml", vpath))
            vpath = (sub, *vpath) if vpath[:1] != ("global",) else vpath
        candidates.append((self.chart_dir / "values.yaml", vpath))
        candidates += [(f, vpath) for f in self.values_files]
        best: Place | None = None
        for file, p in candidates:
            data = self.files.data(file)
            if data is None:
                continue
            _, depth = walk(data, p)
            if depth == len(p):
                note = (
                    f"value from {file.name}" if file.parent != self.chart_dir / "ci" else f"value from ci/{file.name}"
                )
                best = Place(file, path=p, precision=EXACT, note=note)
        return best
