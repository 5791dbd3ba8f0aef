"""Documents as the rest of gwlint sees them: data, where they sit in their file, and their problems.

A document's nodes are dropped once its data is built and composed again from its chunk
of the text when positions are asked for (see :class:`Document`): memory holds data,
not nodes.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, ClassVar

from gwlint.core.findings import Origin
from gwlint.core.records import Value
from gwlint.loader.compose import compose_all, compose_lenient
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import Node


class ProblemKind:
    """What is wrong with the input; the input rules map each kind to their finding.

    - ``SYNTAX``: not YAML (or not UTF-8 text): the document cannot be read at all.
    - ``SHAPE``: YAML, but not what the API expects: not an object, a duplicate key, a
      field of the wrong type.
    - ``RENDER``: a Helm chart or kustomization that its own tool cannot render: none of
      its objects is read.

    One instance per kind, compared with ``is`` as enum members are (also after pickling,
    which worker processes do), and ``value`` is the name in lower case. Not an
    ``enum.Enum``: creating the class would cost every run's start-up more than
    everything else in this module.
    """

    __slots__ = ("value",)

    SYNTAX: ClassVar[ProblemKind]
    SHAPE: ClassVar[ProblemKind]
    RENDER: ClassVar[ProblemKind]

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"<ProblemKind.{self.value.upper()}>"

    def __reduce__(self) -> tuple[Any, ...]:
        return (getattr, (ProblemKind, self.value.upper()))


ProblemKind.SYNTAX = ProblemKind("syntax")
ProblemKind.SHAPE = ProblemKind("shape")
ProblemKind.RENDER = ProblemKind("render")


class InputProblem(Value):
    """A defect of the input itself, found while it is read: the one problem record of every stage.

    The loader finds syntax errors and documents it refuses to load (their position is
    ``line``/``column``, 0-based); the model finds fields of the wrong type while it
    builds its views (positioned by ``path``, the data path in ``doc``). ``drops_document``:
    the document it belongs to could not be loaded, so its objects are missing from the
    run; ``namespace`` is then the namespace its text shows, if any.
    """

    __slots__ = ("column", "doc", "drops_document", "file", "kind", "line", "message", "namespace", "path")

    kind: ProblemKind
    message: str
    file: str
    doc: Document | None
    path: tuple[Any, ...]
    line: int | None
    column: int | None
    drops_document: bool
    namespace: str | None

    def __init__(
        self,
        kind: ProblemKind,
        message: str,
        file: str,
        doc: Document | None = None,
        path: tuple[Any, ...] = (),
        line: int | None = None,
        column: int | None = None,
        drops_document: bool = False,
        namespace: str | None = None,
    ) -> None:
        self.kind = kind
        self.message = message
        self.file = file
        self.doc = doc
        self.path = path
        self.line = line
        self.column = column
        self.drops_document = drops_document
        self.namespace = namespace


class Recomposer:
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
            chunk = self.text[begin:end]
            try:
                nodes = compose_all(chunk)
            except YAMLError:  # a chunk only the YAML 1.2 parser reads
                try:
                    nodes = compose_lenient(chunk)
                except YAMLError:  # pragma: no cover - the chunk composed when it was loaded
                    nodes = []
            if len(self._recent) >= self.KEEP:
                self._recent.popitem(last=False)
        self._recent[begin] = nodes
        return next((n for n in nodes if n.start_mark.index == start), None)


class _Again(Value):
    """How to compose a document's node again: its chunk of the file and its start in it."""

    __slots__ = ("begin", "end", "source", "start")

    source: Recomposer
    begin: int
    end: int
    start: int

    def __init__(self, source: Recomposer, begin: int, end: int, start: int) -> None:
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
        "index",
        "line_offset",
        "origin",
        "problems",
        "start_line",
        "text_offset",
    )

    file: str
    index: int
    data: Any
    line_offset: int
    """Added to the lines of ``node``'s marks to give lines of the file."""
    origin: Origin | None
    """Where the document came from when its file is a render (set by the engine, from the sources)."""
    problems: list[InputProblem]
    # Whether ``data`` was built in full; documents of kinds no rule reads keep only their
    # apiVersion, kind and metadata.
    complete: bool
    start_line: int
    """0-based line of the document's root node in its file."""
    end_line: int
    """0-based line where the document's root node ends."""
    end_column: int
    """0-based column where the document's root node ends (0: at the start of ``end_line``)."""
    text_offset: int
    """Added to the index of ``node``'s marks to give the offset in the file's decoded text (BOM included)."""
    _node: Node | None
    _again: _Again | None

    def __init__(
        self,
        file: str,
        index: int,
        data: Any,
        line_offset: int = 0,
        origin: Origin | None = None,
        problems: list[InputProblem] | None = None,
        complete: bool = True,
        start_line: int = 0,
        end_line: int = 0,
        end_column: int = 0,
        node: Node | None = None,
        again: _Again | None = None,
        text_offset: int = 0,
    ) -> None:
        self.file = file
        self.index = index
        self.data = data
        self.line_offset = line_offset
        self.origin = origin
        self.problems = [] if problems is None else problems
        self.complete = complete
        self.start_line = start_line
        self.end_line = end_line
        self.end_column = end_column
        self._node = node
        self._again = again
        self.text_offset = text_offset

    @property
    def node(self) -> Node | None:
        """The root node (with marks); composed again from the file's text once dropped."""
        if self._node is None and self._again is not None:
            return self._again.source.node(self._again.begin, self._again.end, self._again.start)
        return self._node

    @property
    def text(self) -> str | None:
        """The text ``node``'s marks index (the document's chunk of the file); None when not kept."""
        again = self._again
        return None if again is None else again.source.text[again.begin : again.end]


def forget(doc: Document, source: Recomposer, begin: int, end: int, start: int, line: int) -> None:
    """Drop a loaded document's node; ``doc.node`` will compose ``source.text[begin:end]`` again.

    That chunk holds the document whole, its root node starts at index ``start`` of the
    chunk, and the chunk starts on line ``line`` of the file: the marks of the node
    composed again count from there, so that line becomes ``line_offset``.
    """
    doc._again = _Again(source, begin, end, start)
    doc.line_offset = line
    doc.text_offset += begin
    doc._node = None


def keep(doc: Document, source: Recomposer, start: int) -> None:
    """Keep a loaded document's node, whose marks index all of ``source.text`` (``start``: its root's index)."""
    doc._again = _Again(source, 0, len(source.text), start)


class LoadedFile(Value):
    """All documents of one input plus the problems that belong to no document."""

    __slots__ = ("documents", "name", "problems", "text")

    name: str
    text: str
    documents: list[Document]
    problems: list[InputProblem]

    def __init__(
        self, name: str, text: str, documents: list[Document], problems: list[InputProblem] | None = None
    ) -> None:
        self.name = name
        self.text = text
        self.documents = documents
        self.problems = [] if problems is None else problems
