"""From bytes to documents: composed nodes with marks, plain data, and per-document problems.

The hot path composes the whole stream once with libyaml. Only when that fails does the
loader split the stream at document markers and compose each document on its own, so a
syntax error costs one document (GW001) and never the rest of the file. A document's
nodes are dropped once its data is built and composed again from its chunk of the text
when positions are asked for (see :class:`Document`): memory holds data, not nodes.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

from gwlint.core.records import Value
from gwlint.loader.construct import MAX_DEPTH, Converter, NodeError, check_expansion
from gwlint.loader.tagmemo import memoised
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode

_CParser: Any
_Loader: Any
try:  # the C composer; pure Python only when the extension is missing
    from ruamel.yaml.cyaml import CParser as _CParser  # type: ignore[attr-defined]
    from ruamel.yaml.cyaml import CSafeLoader as _Loader

    YAML_BACKEND = "libyaml (ruamel.yaml.clib)"
except ImportError:  # pragma: no cover - exercised only without the C extension
    from ruamel.yaml.loader import SafeLoader as _Loader

    _CParser = None
    YAML_BACKEND = "pure Python"
_Loader = memoised(_Loader)


class Problem(Value):
    """A loader-detected defect: GW001 (syntax) or GW002 (shape), with a 0-based position."""

    __slots__ = ("column", "line", "message", "path", "rule_id")

    rule_id: str
    message: str
    line: int
    column: int
    path: tuple[Any, ...]

    def __init__(self, rule_id: str, message: str, line: int, column: int, path: tuple[Any, ...] = ()) -> None:
        self.rule_id = rule_id
        self.message = message
        self.line = line
        self.column = column
        self.path = path


class _Recomposer:
    """A file's text, from which one chunk (a document) is composed again when asked.

    The chunks composed last are kept: the positions of one object's findings, asked
    for one after another, compose its document once.
    """

    KEEP = 32

    def __init__(self, text: str) -> None:
        self.text = text
        self._recent: OrderedDict[int, list[Node]] = OrderedDict()

    def __getstate__(self) -> dict[str, Any]:
        return {"text": self.text}  # nodes are never sent to another process

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.text = state["text"]
        self._recent = OrderedDict()

    def node(self, begin: int, end: int, start: int) -> Node | None:
        """The node starting at index ``start`` of ``text[begin:end]``, composed on its own."""
        nodes = self._recent.pop(begin, None)
        if nodes is None:
            try:
                nodes = _compose_all(self.text[begin:end])
            except YAMLError:  # pragma: no cover - the chunk composed when it was loaded
                nodes = []
            if len(self._recent) >= self.KEEP:
                self._recent.popitem(last=False)
        self._recent[begin] = nodes
        return next((n for n in nodes if n.start_mark.index == start), None)


class _Again(Value):
    """How to compose a document's node again: its chunk of the file and its start in it."""

    __slots__ = ("begin", "end", "source", "start")

    source: _Recomposer
    begin: int
    end: int
    start: int

    def __init__(self, source: _Recomposer, begin: int, end: int, start: int) -> None:
        self.source = source
        self.begin = begin
        self.end = end
        self.start = start


class Document(Value):
    """One YAML document of one file.

    The composed nodes are kept only while the document is loaded: kept for every
    document of a large stream, nodes and marks take three times the memory of the
    data (1.5 GB at 100,000 objects). Afterwards ``node`` composes the document's chunk
    of the file again, which only positions of findings and suppression comments need.
    """

    __slots__ = (
        "_again",
        "_node",
        "complete",
        "data",
        "end_column",
        "end_line",
        "file",
        "helm_source",
        "index",
        "line_offset",
        "problems",
        "start_line",
    )

    file: str
    index: int
    data: Any
    line_offset: int
    """Added to the lines of ``node``'s marks to give lines of the file."""
    helm_source: str | None
    problems: list[Problem]
    # Whether ``data`` was built in full; documents of kinds no rule reads keep only their
    # apiVersion, kind and metadata.
    complete: bool
    start_line: int
    """0-based line of the document's root node in its file."""
    end_line: int
    """0-based line where the document's root node ends."""
    end_column: int
    """0-based column where the document's root node ends (0: at the start of ``end_line``)."""
    _node: Node | None
    _again: _Again | None

    def __init__(
        self,
        file: str,
        index: int,
        data: Any,
        line_offset: int = 0,
        helm_source: str | None = None,
        problems: list[Problem] | None = None,
        complete: bool = True,
        start_line: int = 0,
        end_line: int = 0,
        end_column: int = 0,
        node: Node | None = None,
        again: _Again | None = None,
    ) -> None:
        self.file = file
        self.index = index
        self.data = data
        self.line_offset = line_offset
        self.helm_source = helm_source
        self.problems = [] if problems is None else problems
        self.complete = complete
        self.start_line = start_line
        self.end_line = end_line
        self.end_column = end_column
        self._node = node
        self._again = again

    @property
    def node(self) -> Node | None:
        """The root node (with marks); composed again from the file's text once dropped."""
        if self._node is None and self._again is not None:
            return self._again.source.node(self._again.begin, self._again.end, self._again.start)
        return self._node


def _forget(doc: Document, source: _Recomposer, begin: int, end: int, start: int, line: int) -> None:
    """Drop a loaded document's node; ``doc.node`` will compose ``source.text[begin:end]`` again.

    That chunk holds the document whole, its root node starts at index ``start`` of the
    chunk, and the chunk starts on line ``line`` of the file: the marks of the node
    composed again count from there, so that line becomes ``line_offset``.
    """
    doc._again = _Again(source, begin, end, start)
    doc.line_offset = line
    doc._node = None


class LoadedFile(Value):
    """All documents of one input plus the problems that belong to no document."""

    __slots__ = ("documents", "name", "problems", "text")

    name: str
    text: str
    documents: list[Document]
    problems: list[Problem]

    def __init__(self, name: str, text: str, documents: list[Document], problems: list[Problem] | None = None) -> None:
        self.name = name
        self.text = text
        self.documents = documents
        self.problems = [] if problems is None else problems


# without ``^``, so that the regex engine scans for the literal; line starts are checked after
_SOURCE_RE = re.compile(r"# Source: ([^\n]*\S)[ \t\r]*$", re.MULTILINE)  # linear: no lazy group before \s*
# a document start marker, together with the directives (``%YAML``) that belong to it
_MARKER_RE = re.compile(r"^(?:%[^\n]*\n(?:[ \t]*(?:#[^\n]*)?\n)*)*---(?=[ \t\r\n]|$)", re.MULTILINE)
# the same without directives: a literal the regex engine finds fast (line starts checked after)
_BARE_MARKER_RE = re.compile(r"---(?=[ \t\r\n]|$)", re.MULTILINE)
_SAFE_NESTING = 1000
# Line breaks for libyaml (YAML 1.1) but not for editors or diffs; hidden from libyaml
# behind private-use placeholders so that line numbers match what people see.
_HIDE_BREAKS = str.maketrans({"\x85": "\ue085", "\u2028": "\ue028", "\u2029": "\ue029"})
_RESTORE_BREAKS = str.maketrans({"\ue085": "\x85", "\ue028": "\u2028", "\ue029": "\u2029"})
_LONE_CR_RE = re.compile(r"\r(?!\n)")
_HELM_HINT = (
    ": it looks like an unrendered Helm template; lint the rendered manifests (`helm template CHART | gwlint -`)"
)


def decode(data: bytes) -> tuple[str | None, Problem | None]:
    """UTF-8 text (a BOM is dropped), or a GW001 problem saying why the bytes are not."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Problem("GW001", "file is UTF-16 encoded; gwlint reads UTF-8 only", 0, 0)
    if b"\x00" in data[:8192]:
        return None, Problem("GW001", "file is binary (it contains NUL bytes), not YAML", 0, 0)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n")
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace"))
        byte = data[exc.start]
        return None, Problem(
            "GW001",
            f"file is not valid UTF-8 (byte 0x{byte:02x}); re-encode it as UTF-8",
            line,
            col,
        )


def _may_nest_deeply(text: str) -> bool:
    """Cheap upper bound on nesting: flow brackets plus the longest line (block nesting)."""
    brackets = text.count("[") + text.count("{")
    if brackets < _SAFE_NESTING and len(text) < _SAFE_NESTING:
        return False
    if brackets + len(text) // 2 < _SAFE_NESTING:  # no line is longer than the text
        return False
    longest = max((len(line) for line in text.split("\n")), default=0)
    return brackets + longest // 2 >= _SAFE_NESTING


def _too_deep(text: str) -> tuple[int, int] | None:
    """Position where event nesting first exceeds MAX_DEPTH (no recursion, no composing)."""
    if _CParser is None:
        return None
    parser = _CParser(text)
    depth = 0
    try:
        while True:
            event = parser.get_event()
            if event is None:
                return None
            name = type(event).__name__
            if name in ("MappingStartEvent", "SequenceStartEvent"):
                depth += 1
                if depth > MAX_DEPTH:
                    return int(event.start_mark.line), int(event.start_mark.column)
            elif name in ("MappingEndEvent", "SequenceEndEvent"):
                depth -= 1
            elif name == "StreamEndEvent":
                return None
    except YAMLError:
        return None  # the syntax error is reported when the document is composed
    finally:
        parser.dispose()


def _release(loader: Any) -> None:
    """Dispose of a loader and break its reference cycles (it refers to itself as parser,
    composer and constructor): with the garbage collector paused, each loader would
    otherwise stay in memory with a UTF-8 copy of its text."""
    loader.dispose()
    vars(loader).clear()


def _compose_all(text: str) -> list[Node]:
    loader = _Loader(text)
    try:
        nodes = []
        while loader.check_node():
            nodes.append(loader.get_node())
        return nodes
    except RecursionError as exc:  # only the pure-Python composer recurses in Python
        raise YAMLError("document nests too deeply to parse") from exc
    finally:
        _release(loader)


def _is_empty(chunk: str) -> bool:
    """Whether a chunk holds blank lines, comments and document markers only."""
    for line in chunk.split("\n"):
        body = line.rstrip("\r")
        if body[:3] in ("---", "...") and body[3:4] in ("", " ", "\t"):
            body = body[3:]
        body = body.lstrip(" \t")
        if body and not body.startswith("#"):
            return False
    return True


def _has_directives(text: str) -> bool:
    """Whether a line starts with ``%``: a directive, or the text of a multi-line plain scalar."""
    return text.startswith("%") or "\n%" in text


def _chunk_starts(text: str) -> list[int]:
    """Where the stream is cut: before every ``---`` marker (with its directives); then ``len(text)``."""
    if _has_directives(text):
        starts = [m.start() for m in _MARKER_RE.finditer(text)]
    else:
        starts = [m.start() for m in _BARE_MARKER_RE.finditer(text) if not m.start() or text[m.start() - 1] == "\n"]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    starts.append(len(text))
    return starts


def _split(text: str, starts: list[int]) -> Iterator[tuple[str, int, int]]:
    """Chunks of the stream, one per ``---`` marker, with the 0-based line and the index each starts at.

    Chunks without content (comments, blank lines and markers only, such as a lone
    ``...``, which libyaml refuses) are left out: they hold no document to report on.
    """
    line = 0
    for begin, end in itertools.pairwise(starts):
        chunk = text[begin:end]
        if not _is_empty(chunk):
            yield chunk, line, begin
        line += chunk.count("\n")


def _some_chunk_too_deep(text: str, starts: list[int]) -> bool:
    """Whether a document of the stream nests deeper than MAX_DEPTH, decided before composing.

    The cheap bound is taken per document, so that a long stream of flow-style objects
    (Helm output) is not suspected for its total bracket count; only a document whose
    own bound reaches the threshold gets the exact, event-based scan.
    """
    for begin, end in itertools.pairwise(starts):
        chunk = text[begin:end]
        if _may_nest_deeply(chunk) and _too_deep(chunk) is not None:
            return True
    return False


def _is_content(line: str) -> bool:
    body = line.strip()
    return bool(body) and not body.startswith("#") and body not in ("---", "...")


def _syntax_problem(exc: YAMLError, offset: int, text: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    message = f"{problem} ({context})" if context else str(problem)
    line = col = 0
    if mark is not None:
        lines = text.split("\n")
        line, col = int(mark.line), int(mark.column)
        if line < len(lines) and "\t" in lines[line][: col + 1]:
            message += ": a tab character; YAML indents with spaces only"
        elif line >= len(lines) or not _is_content(lines[line]):
            # libyaml places an error at the end of the stream (past the last line, or on the
            # next document's marker): the end of the last line with content says more
            line = next((i for i in range(min(line, len(lines) - 1), -1, -1) if _is_content(lines[i])), 0)
            col = len(lines[line].rstrip("\r"))
        if "{{" in "".join(lines[max(line - 1, 0) : line + 1]) and "tab character" not in message:
            message += _HELM_HINT
    return Problem("GW001", message, line + offset, col)


def _node_kind(node: Node) -> str | None:
    if isinstance(node, MappingNode):
        for knode, vnode in node.value:
            if isinstance(knode, ScalarNode) and knode.value == "kind" and isinstance(vnode, ScalarNode):
                return str(vnode.value)
    return None


_HEAD_KEYS = ("apiVersion", "kind", "metadata")


def _to_document(
    name: str,
    index: int,
    node: Node,
    offset: int,
    wants_full: Callable[[str | None], bool],
    restore: dict[int, str] | None = None,
    may_alias: bool = True,
) -> Document:
    doc = Document(
        file=name,
        index=index,
        data=None,
        line_offset=offset,
        start_line=int(node.start_mark.line) + offset,
        end_line=int(node.end_mark.line) + offset,
        end_column=int(node.end_mark.column),
        node=node,
    )
    refused = check_expansion(node) if may_alias else None
    if refused:
        message, where = refused
        doc.problems.append(
            Problem("GW002", message, int(where.start_mark.line) + offset, int(where.start_mark.column))
        )
        return doc
    conv = Converter(restore)
    try:
        if isinstance(node, MappingNode) and not wants_full(_node_kind(node)):
            doc.complete = False
            head = MappingNode(
                node.tag,
                [(k, v) for k, v in node.value if isinstance(k, ScalarNode) and k.value in _HEAD_KEYS],
                node.start_mark,
                node.end_mark,
            )
            doc.data = conv.convert(head)
        else:
            doc.data = conv.convert(node)
    except NodeError as exc:
        mark = exc.node.start_mark
        doc.problems.append(Problem("GW002", str(exc), int(mark.line) + offset, int(mark.column)))
        doc.data = None
        return doc
    except RecursionError:
        mark = node.start_mark
        doc.problems.append(
            Problem("GW002", "document nests too deeply to load", int(mark.line) + offset, int(mark.column))
        )
        doc.data = None
        return doc
    for path, pnode, message in conv.problems:
        doc.problems.append(
            Problem("GW002", message, int(pnode.start_mark.line) + offset, int(pnode.start_mark.column), path)
        )
    for path, knode in conv.duplicates:
        doc.problems.append(
            Problem(
                "GW002",
                f"duplicate key {path[-1]!r}: the API server rejects it, and YAML tools disagree on which value wins",
                int(knode.start_mark.line) + offset,
                int(knode.start_mark.column),
                path,
            )
        )
    return doc


def _attach_helm_sources(text: str, docs: list[Document]) -> None:
    sources: list[tuple[int, str]] = []
    line = pos = 0
    for m in _SOURCE_RE.finditer(text):  # lines counted from the previous match: linear, not quadratic
        if m.start() and text[m.start() - 1] != "\n":
            continue
        line += text.count("\n", pos, m.start())
        pos = m.start()
        sources.append((line, m.group(1)))
    if not sources:
        return
    lines = [line for line, _ in sources]
    previous_end = -1
    for doc in docs:
        start = doc.start_line
        pos = bisect.bisect_left(lines, start) - 1
        if pos >= 0 and lines[pos] > previous_end:
            doc.helm_source = sources[pos][1]
        previous_end = doc.end_line - 1


def _always(_kind: str | None) -> bool:
    return True


def _composed(text: str, offset: int) -> list[tuple[Node, int, bool]]:
    """Documents of ``text`` with their line offset and whether they may use an alias.

    An alias is written ``*name`` inside the document's root node, so a document whose
    text holds no ``*`` has none, and the walk over its nodes in
    :func:`~gwlint.yamlnodes.check_expansion` is skipped. Marks index characters of ``text``.
    """
    nodes = _compose_all(text)
    if "*" not in text:
        return [(n, offset, False) for n in nodes]
    return [(n, offset, text.find("*", n.start_mark.index, n.end_mark.index) >= 0) for n in nodes]


def _load_whole(
    name: str,
    text: str,
    wants_full: Callable[[str | None], bool],
    restore: dict[int, str] | None,
    source: _Recomposer,
    starts: list[int],
) -> list[Document]:
    """Every document of the stream, composed in one pass; raises YAMLError on a syntax error.

    Each document's nodes are dropped as soon as its data is built, so that memory
    holds the nodes of one document at a time; ``node`` composes its chunk again. A
    ``---`` at the start of a line always ends a document, so a chunk holds whole
    documents; but a line starting with ``%`` may be a directive, which a chunk takes
    with it, or plain text inside a document: with such lines, nodes are kept, as is
    the node of a document its chunk does not hold whole.
    """
    star = "*" in text
    exact = not _has_directives(text)
    docs: list[Document] = []
    counted = line = 0  # lines before index ``counted``, counted as the documents come
    loader = _Loader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            first, last = int(node.start_mark.index), int(node.end_mark.index)
            may_alias = star and text.find("*", first, last) >= 0
            doc = _to_document(name, len(docs), node, 0, wants_full, restore, may_alias)
            # the chunk ending at or after the start: an empty document sits at the next marker
            k = max(bisect.bisect_left(starts, first) - 1, 0)
            if exact and last <= starts[k + 1]:
                line += text.count("\n", counted, starts[k])
                counted = starts[k]
                _forget(doc, source, starts[k], starts[k + 1], first - starts[k], line)
            docs.append(doc)
        return docs
    except RecursionError as exc:  # only the pure-Python composer recurses in Python
        raise YAMLError("document nests too deeply to parse") from exc
    finally:
        _release(loader)


def load_text(name: str, text: str, wants_full: Callable[[str | None], bool] = _always) -> LoadedFile:
    """Parse every document of ``text``; never raises on bad YAML.

    Positions count lines as editors and diffs do: a lone CR (old Mac line ends) becomes
    LF, and NEL/LS/PS, which YAML 1.1 would count as line breaks, are hidden from libyaml
    and restored in the data.
    """
    if "\r" in text:
        text = _LONE_CR_RE.sub("\n", text)
    result = LoadedFile(name=name, text=text, documents=[])
    restore: dict[int, str] | None = None
    if "\x85" in text or "\u2028" in text or "\u2029" in text:
        text = text.translate(_HIDE_BREAKS)
        restore = _RESTORE_BREAKS
    source = _Recomposer(text)
    starts = _chunk_starts(text)
    docs: list[Document] | None = None
    if not _some_chunk_too_deep(text, starts):
        try:
            docs = _load_whole(name, text, wants_full, restore, source, starts)
        except YAMLError:
            docs = None
    if docs is None:
        docs = []
        for chunk, offset, begin in _split(text, starts):
            deep = _too_deep(chunk) if _may_nest_deeply(chunk) else None
            if deep is not None:
                result.problems.append(
                    Problem(
                        "GW002",
                        f"document nests deeper than {MAX_DEPTH} levels; refusing to load it",
                        deep[0] + offset,
                        deep[1],
                    )
                )
                continue
            try:
                composed = _composed(chunk, offset)
            except YAMLError as exc:
                result.problems.append(_syntax_problem(exc, offset, chunk))
                continue
            for node, _, may_alias in composed:
                doc = _to_document(name, len(docs), node, offset, wants_full, restore, may_alias)
                _forget(doc, source, begin, begin + len(chunk), int(node.start_mark.index), offset)
                docs.append(doc)
    result.documents = docs
    _attach_helm_sources(text, result.documents)
    return result


def load_bytes(name: str, data: bytes, wants_full: Callable[[str | None], bool] = _always) -> LoadedFile:
    """Decode and parse one input; an undecodable file becomes a single GW001 problem."""
    text, problem = decode(data)
    if text is None:
        assert problem is not None
        return LoadedFile(name=name, text="", documents=[], problems=[problem])
    return load_text(name, text, wants_full)
