"""Where a data path is in its file, and which data path a line holds: the one place positions come from.

Rules name *what* is wrong as a data path; findings, suppression comments, configuration
errors and fixes all ask this module *where* that is, so they agree with each other.
Nothing outside the loader walks YAML nodes.

The contract, data path → position:

- A data path is a tuple of mapping keys (``str``) and list indexes (``int``) from the
  document's root node (an item of a ``kind: List`` starts with ``("items", i)``).
- A key is matched by its text. When a mapping writes a key twice, the last one counts,
  as in the data. A key the mapping does not write itself is looked up in its merge
  sources (``<<``), depth-first and in order, as the data was built.
- A path that does not exist resolves to its deepest existing ancestor; the answer says
  so (``Located.complete``).
- The one-line span (:func:`span_of`, 1-based, for reports): a scalar is its written
  text on its first line (quotes included); a mapping or list under a key is the key; a
  list item that is a mapping is its first key; the empty value of an explicit key
  (``? key``) is the key. A span never covers more than one line, because GitHub shows
  an alert on a pull request only when all of its lines are in the diff.
- The text ranges (:func:`locate`, for fixes) are 0-based character offsets
  ``[start, end)`` into the file's text exactly as ``bytes.decode("utf-8")`` gives it:
  a BOM counts as one character, and line breaks are the file's own (CRLF is two
  characters; a lone CR, NEL, LS and PS one each), although the loader counts lines as
  editors do. ``text[:start] + new + text[end:]`` edits the file and keeps every other
  byte. A range starts after the node's anchor and tag (``&a``, ``!!str``) and ends
  with its last character: comments and blank lines after a block mapping or list are
  not part of it, nor are blank lines after a block scalar's last line.
- A node is *shared* when the text at that place is used at more than one place of the
  data: the path goes through an alias or an anchored node that an alias repeats, the
  node holds such an anchor, or a step was taken through a merge key. An edit there
  would change every place at once, so fixes refuse shared nodes.

Line → data path (:func:`path_at_line`) answers the reverse question for suppression
comments, and :func:`inside_scalar` tells a ``#`` that starts a comment from one inside
a string.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Final

from gwlint.core.datapath import Path
from gwlint.core.findings import Span, TextRange
from gwlint.core.records import Frozen
from gwlint.loader.document import Document
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_MERGE = "tag:yaml.org,2002:merge"
_MAX_STEPS = 400


class _Step(Frozen):
    """One node on the way down a path, with the key node that led to it and whether a merge did."""

    __slots__ = ("key", "merged", "node")

    node: Final[Node]
    key: Final[Node | None]
    merged: Final[bool]

    def __init__(self, node: Node, key: Node | None, merged: bool) -> None:
        self.node = node
        self.key = key
        self.merged = merged


def _lookup(node: MappingNode, key: str | int) -> tuple[Node, Node, bool] | None:
    """The key and value nodes of ``key``, and whether a merge source held them.

    Explicit keys first, then merge sources in order, searched depth-first without
    recursion, each mapping once: merges of merges shared through aliases would
    otherwise cost exponential time.
    """
    want = str(key)
    seen: set[int] = set()
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        if not isinstance(current, MappingNode) or id(current) in seen:
            continue
        seen.add(id(current))
        for knode, vnode in reversed(current.value):  # the last duplicate wins, as in the data
            if isinstance(knode, ScalarNode) and knode.value == want and knode.tag != _MERGE:
                return knode, vnode, current is not node
        sources: list[Node] = []
        for knode, vnode in current.value:  # merge keys (<<) provide the rest
            if isinstance(knode, ScalarNode) and knode.tag == _MERGE:
                sources.extend(vnode.value if isinstance(vnode, SequenceNode) else [vnode])
        stack.extend(reversed(sources))
    return None


def _walk(root: Node, path: Path) -> list[_Step]:
    """The nodes along ``path`` from the root, as far as the path exists."""
    steps = [_Step(root, None, False)]
    node = root
    for elem in path:
        if isinstance(node, MappingNode):
            found = _lookup(node, elem)
            if found is None:
                break
            key, node, merged = found
            steps.append(_Step(node, key, merged))
        elif isinstance(node, SequenceNode) and isinstance(elem, int) and 0 <= elem < len(node.value):
            node = node.value[elem]
            steps.append(_Step(node, None, False))
        else:
            break
    return steps


def _node_span(node: Node, offset: int) -> Span:
    start, end = node.start_mark, node.end_mark
    line = int(start.line) + offset + 1
    col = int(start.column) + 1
    if isinstance(node, ScalarNode) and int(end.line) == int(start.line) and int(end.column) > int(start.column):
        return Span(line, col, line, int(end.column) + 1)
    if isinstance(node, ScalarNode) and node.style is None and "\n" not in node.value:
        return Span(line, col, line, col + max(len(node.value), 1))
    return Span(line, col, line, col + 1)


def _reported(steps: list[_Step]) -> Node:
    """The node a one-line span points at for the last step (see the module docstring)."""
    last = steps[-1]
    node, key = last.node, last.key
    if isinstance(node, ScalarNode):
        if node.value == "" and key is not None and int(node.start_mark.line) != int(key.start_mark.line):
            # an explicit key without a value (``? key``): libyaml places the empty value at
            # the next token, which may be on a later line or past the end of the file
            return key
        return node
    if key is not None:
        return key
    if isinstance(node, MappingNode) and node.value:
        first: Node = node.value[0][0]
        return first
    return node


def span_of(doc: Document, path: Path) -> Span:
    """The one-line span of the node at ``path`` (or of its deepest existing ancestor)."""
    root = doc.node
    if root is None:
        return Span(doc.line_offset + 1, 1, doc.line_offset + 1, 2)
    return _node_span(_reported(_walk(root, path)), doc.line_offset)


def point(line0: int, col0: int) -> Span:
    """A one-character span at a 0-based position (parser errors)."""
    return Span(line0 + 1, col0 + 1, line0 + 1, col0 + 2)


def start_of(doc: Document, path: Path, at_key: bool) -> tuple[int, int]:
    """1-based (line, column) where the value at ``path`` starts, or its key (``at_key``).

    A path that does not exist gives the start of its deepest existing ancestor's value.
    """
    root = doc.node
    if root is None:
        return doc.line_offset + 1, 1
    steps = _walk(root, path)
    last = steps[-1]
    node = last.key if at_key and len(steps) == len(path) + 1 and last.key is not None else last.node
    return int(node.start_mark.line) + doc.line_offset + 1, int(node.start_mark.column) + 1


class Located(Frozen):
    """What a fix needs to know of the place a data path names, without YAML nodes.

    ``value`` is the text range of the node at ``path`` (of the deepest existing
    ancestor when the path does not exist: ``complete`` is then False, and ``path``
    is the part that exists); ``key`` the range of the key that leads to it, when a
    mapping does. ``kind`` is ``scalar``, ``mapping`` or ``list``; ``style`` is a
    scalar's quote or block indicator (``'``, ``"``, ``|``, ``>``; None when plain) or
    ``flow``/``block`` for a mapping or list. ``column`` is the 0-based column the node
    starts at (a block mapping's keys are indented by it). ``shared``: see the module
    docstring; an edit there must be refused.
    """

    __slots__ = ("column", "complete", "key", "kind", "path", "shared", "span", "style", "value")

    path: Final[Path]
    complete: Final[bool]
    kind: Final[str]
    style: Final[str | None]
    value: Final[TextRange]
    key: Final[TextRange | None]
    column: Final[int]
    span: Final[Span]
    shared: Final[bool]

    def __init__(
        self,
        path: Path,
        complete: bool,
        kind: str,
        style: str | None,
        value: TextRange,
        key: TextRange | None,
        column: int,
        span: Span,
        shared: bool,
    ) -> None:
        self.path = path
        self.complete = complete
        self.kind = kind
        self.style = style
        self.value = value
        self.key = key
        self.column = column
        self.span = span
        self.shared = shared


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def _uses(root: Node) -> dict[int, int]:
    """How many places of the document use each node (more than one: an alias repeats it)."""
    uses: dict[int, int] = {id(root): 1}
    stack = [root]
    while stack:
        for child in _children(stack.pop()):
            seen = id(child) in uses
            uses[id(child)] = uses.get(id(child), 0) + 1
            if not seen:
                stack.append(child)
    return uses


_USES: OrderedDict[int, tuple[Node, dict[int, int]]] = OrderedDict()
""":func:`_uses` of the roots asked about last, by identity (each kept with its root, so ids stay unique)."""
_USES_KEPT = 32
"""As many roots as ``Document.node`` keeps composed (``Recomposer.KEEP``): a root composed again is new."""


def _uses_of(root: Node, text: str) -> dict[int, int] | None:
    """:func:`_uses` of a document root, None when nothing is used twice (its text has no alias).

    An alias is written ``*name`` inside the root's text, so without a ``*`` there every
    node has one place and the walk over the whole document is skipped. Otherwise the
    answer is kept for the root: the fixes of one document locate several paths in a row.
    """
    if text.find("*", int(root.start_mark.index), int(root.end_mark.index)) < 0:
        return None
    kept = _USES.pop(id(root), None)
    if kept is None or kept[0] is not root:
        kept = (root, _uses(root))
        if len(_USES) >= _USES_KEPT:
            _USES.popitem(last=False)
    _USES[id(root)] = kept
    return kept[1]


def _holds_shared(node: Node, uses: dict[int, int]) -> bool:
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if uses.get(id(current), 1) > 1:
            return True
        stack.extend(_children(current))
    return False


def _first(text: str, node: Node) -> int:
    """Index of the node's own first character: after its anchor and tag, when it has them."""
    i = int(node.start_mark.index)
    end = int(node.end_mark.index)
    while i < end and text[i] in "&!":
        while i < end and text[i] not in " \t\r\n":
            i += 1
        while i < end and text[i] in " \t\r\n":
            i += 1
    return i


def _last(text: str, node: Node) -> int:
    """Index after the node's last character (see the module docstring).

    A block collection ends with its last value. When that value is an alias, its
    node's marks are those of the anchor, elsewhere: the collection then ends where
    libyaml ends it (comments and blank lines after it included); it is shared anyway.
    """
    start, end = int(node.start_mark.index), int(node.end_mark.index)
    if isinstance(node, ScalarNode):
        if node.style not in ("|", ">"):
            return end
        body_end = start + len(text[start:end].rstrip(" \t\r\n"))
        newline = text.find("\n", body_end, end)
        return newline + 1 if newline >= 0 else end
    if not isinstance(node, (MappingNode, SequenceNode)) or node.flow_style or not node.value:
        return end
    if isinstance(node, MappingNode):
        key, value = node.value[-1]
        after = int(key.start_mark.index)
    else:
        value = node.value[-1]
        after = start
    last = _last(text, value)
    return last if after < last <= end else end


def _range(doc: Document, text: str, node: Node) -> TextRange:
    return TextRange(doc.text_offset + _first(text, node), doc.text_offset + _last(text, node))


def locate(doc: Document, path: Path) -> Located | None:
    """Text ranges and shape of the node at ``path``, for fixes; None when the document has no node."""
    root = doc.node
    if root is None or doc.text is None:
        return None
    steps = _walk(root, path)
    text = doc.text
    last = steps[-1]
    node = last.node
    style: str | None
    if isinstance(node, (MappingNode, SequenceNode)):
        kind = "mapping" if isinstance(node, MappingNode) else "list"
        style = "flow" if node.flow_style else "block"
    else:
        kind, style = "scalar", getattr(node, "style", None) or None
    uses = _uses_of(root, text)
    shared = any(s.merged for s in steps) or (
        uses is not None and (any(uses.get(id(s.node), 1) > 1 for s in steps) or _holds_shared(node, uses))
    )
    return Located(
        path=tuple(path[: len(steps) - 1]),
        complete=len(steps) == len(path) + 1,
        kind=kind,
        style=style,
        value=_range(doc, text, node),
        key=_range(doc, text, last.key) if last.key is not None else None,
        column=int(node.start_mark.column),
        span=_node_span(_reported(steps), doc.line_offset),
        shared=shared,
    )


def _start(node: Node, offset: int) -> tuple[int, int]:
    return int(node.start_mark.line) + offset, int(node.start_mark.column)


def _end(node: Node, offset: int) -> tuple[int, int]:
    return int(node.end_mark.line) + offset, int(node.end_mark.column)


def inside_scalar(doc: Document, line: int, column: int) -> bool:
    """Whether a 0-based (line, column) of the file lies inside a scalar's text (only covering nodes are visited)."""
    off = doc.line_offset
    pos = (line, column)
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


def _covers_line(node: Node, line: int, off: int) -> bool:
    start, end = _start(node, off), _end(node, off)
    return start[0] <= line and (end[0] > line or (end[0] == line and end[1] > 0))


def path_at_line(doc: Document, line: int) -> Path:
    """The data path of the first key or item that starts on a 0-based line of the file.

    A line inside a value that starts earlier gives that value's path; a line outside
    the document gives ``()``.
    """
    off = doc.line_offset
    node = doc.node
    path: list[str | int] = []
    for _ in range(_MAX_STEPS):
        nxt: Node | None = None
        if isinstance(node, MappingNode):
            for knode, vnode in node.value:
                key = knode.value if isinstance(knode, ScalarNode) else "?"
                if _start(knode, off)[0] == line:
                    return (*path, key)
                if _start(knode, off)[0] <= line and _covers_line(vnode, line, off):
                    nxt = vnode
                    path.append(key)
                    break
        elif isinstance(node, SequenceNode):
            for i, item in enumerate(node.value):
                if _covers_line(item, line, off):
                    nxt = item
                    path.append(i)
                    break
        if nxt is None:
            break
        node = nxt
    return tuple(path)
