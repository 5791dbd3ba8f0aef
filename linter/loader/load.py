"""From bytes to documents: plain data, positions, and per-document problems; never an exception.

The hot path composes the whole stream once with libyaml. Only when that fails does the
loader cut the stream at document markers (``split``) and compose each document on its
own, so a syntax error costs one document and never the rest of the file; a document
libyaml refuses is read by a YAML 1.2 parser before it is called one. Each
document's data is built as soon as it is composed and its nodes dropped
(``document``): memory holds data, not nodes.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from gwlint.loader.compose import compose_all, compose_lenient, compose_stream
from gwlint.loader.construct import MAX_DEPTH, Converter, NodeError, check_expansion
from gwlint.loader.decode import BOM_BYTES, decode, hide_breaks, lone_crs_as_lf
from gwlint.loader.document import Document, InputProblem, LoadedFile, ProblemKind, Recomposer, forget, keep
from gwlint.loader.split import (
    chunk_starts,
    chunks,
    has_directives,
    may_nest_deeply,
    shown_namespace,
    some_chunk_too_deep,
    too_deep,
)
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode

_HELM_HINT = (
    ": it looks like an unrendered Helm template; lint the rendered manifests (`helm template CHART | gwlint -`)"
)


def _is_content(line: str) -> bool:
    body = line.strip()
    return bool(body) and not body.startswith("#") and body not in ("---", "...")


def _syntax_problem(name: str, exc: YAMLError, offset: int, text: str) -> InputProblem:
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
    return InputProblem(
        ProblemKind.SYNTAX,
        message,
        name,
        line=line + offset,
        column=col,
        drops_document=True,
        namespace=shown_namespace(text),
    )


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
        doc.problems.append(_refusal(doc, message, where, offset))
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
        doc.problems.append(_refusal(doc, str(exc), exc.node, offset))
        doc.data = None
        return doc
    except RecursionError:
        doc.problems.append(_refusal(doc, "document nests too deeply to load", node, offset))
        doc.data = None
        return doc
    for path, pnode, message in conv.problems:
        doc.problems.append(_shape(doc, message, pnode, offset, path))
    for path, knode in conv.duplicates:
        message = f"duplicate key {path[-1]!r}: the API server rejects it, and YAML tools disagree on which value wins"
        doc.problems.append(_shape(doc, message, knode, offset, path))
    return doc


def _shape(doc: Document, message: str, node: Node, offset: int, path: tuple[object, ...]) -> InputProblem:
    """A shape problem at ``node`` of a document that is still loaded."""
    mark = node.start_mark
    return InputProblem(
        ProblemKind.SHAPE, message, doc.file, doc, path, line=int(mark.line) + offset, column=int(mark.column)
    )


def _refusal(doc: Document, message: str, node: Node, offset: int) -> InputProblem:
    """A document the loader refuses to build: its objects are missing from the run."""
    mark = node.start_mark
    return InputProblem(
        ProblemKind.SHAPE,
        message,
        doc.file,
        doc,
        line=int(mark.line) + offset,
        column=int(mark.column),
        drops_document=True,
    )


def _always(_kind: str | None) -> bool:
    return True


def _composed(
    text: str, offset: int, compose: Callable[[str], list[Node]] = compose_all
) -> list[tuple[Node, int, bool]]:
    """Documents of ``text`` with their line offset and whether they may use an alias.

    An alias is written ``*name`` inside the document's root node, so a document whose
    text holds no ``*`` has none, and the walk over its nodes in
    :func:`~gwlint.loader.construct.check_expansion` is skipped. Marks index characters of ``text``.
    """
    nodes = compose(text)
    if "*" not in text:
        return [(n, offset, False) for n in nodes]
    return [(n, offset, text.find("*", n.start_mark.index, n.end_mark.index) >= 0) for n in nodes]


def _load_whole(
    name: str,
    text: str,
    wants_full: Callable[[str | None], bool],
    restore: dict[int, str] | None,
    source: Recomposer,
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
    exact = not has_directives(text)
    docs: list[Document] = []
    counted = line = 0  # lines before index ``counted``, counted as the documents come
    for node in compose_stream(text):
        first, last = int(node.start_mark.index), int(node.end_mark.index)
        may_alias = star and text.find("*", first, last) >= 0
        doc = _to_document(name, len(docs), node, 0, wants_full, restore, may_alias)
        # the chunk ending at or after the start: an empty document sits at the next marker
        k = max(bisect.bisect_left(starts, first) - 1, 0)
        if exact and last <= starts[k + 1]:
            line += text.count("\n", counted, starts[k])
            counted = starts[k]
            forget(doc, source, starts[k], starts[k + 1], first - starts[k], line)
        else:
            keep(doc, source, first)
        docs.append(doc)
    return docs


def _load_chunks(
    result: LoadedFile,
    text: str,
    wants_full: Callable[[str | None], bool],
    restore: dict[int, str] | None,
    source: Recomposer,
    starts: list[int],
) -> list[Document]:
    """Every document that composes on its own; the others become problems of ``result``."""
    docs: list[Document] = []
    for chunk, offset, begin in chunks(text, starts):
        deep = too_deep(chunk) if may_nest_deeply(chunk) else None
        if deep is not None:
            result.problems.append(
                InputProblem(
                    ProblemKind.SHAPE,
                    f"document nests deeper than {MAX_DEPTH} levels; refusing to load it",
                    result.name,
                    line=deep[0] + offset,
                    column=deep[1],
                    drops_document=True,
                    namespace=shown_namespace(chunk),
                )
            )
            continue
        try:
            composed = _composed(chunk, offset)
        except YAMLError as exc:
            try:  # valid YAML that libyaml refuses is no syntax error (see compose.compose_lenient)
                composed = _composed(chunk, offset, compose_lenient)
            except YAMLError:
                result.problems.append(_syntax_problem(result.name, exc, offset, chunk))
                continue
        for node, _, may_alias in composed:
            doc = _to_document(result.name, len(docs), node, offset, wants_full, restore, may_alias)
            forget(doc, source, begin, begin + len(chunk), int(node.start_mark.index), offset)
            docs.append(doc)
    return docs


def load_text(name: str, text: str, wants_full: Callable[[str | None], bool] = _always) -> LoadedFile:
    """Parse every document of ``text``; never raises on bad YAML.

    Positions count lines as editors and diffs do: a lone CR (old Mac line ends) becomes
    LF, and NEL/LS/PS, which YAML 1.1 would count as line breaks, are hidden from libyaml
    and restored in the data.
    """
    text = lone_crs_as_lf(text)
    result = LoadedFile(name=name, text=text, documents=[])
    text, restore = hide_breaks(text)
    source = Recomposer(text)
    starts = chunk_starts(text)
    docs: list[Document] | None = None
    if not some_chunk_too_deep(text, starts):
        try:
            docs = _load_whole(name, text, wants_full, restore, source, starts)
        except YAMLError:
            docs = None
    if docs is None:
        docs = _load_chunks(result, text, wants_full, restore, source, starts)
    result.documents = docs
    return result


def load_bytes(name: str, data: bytes, wants_full: Callable[[str | None], bool] = _always) -> LoadedFile:
    """Decode and parse one input; an undecodable file becomes a single syntax problem."""
    text, problem = decode(data, name)
    if text is None:
        assert problem is not None
        return LoadedFile(name=name, text="", documents=[], problems=[problem])
    loaded = load_text(name, text, wants_full)
    if data.startswith(BOM_BYTES):
        for doc in loaded.documents:
            doc.text_offset += 1  # the BOM is a character of the file's text, not of the loader's
    return loaded


def syntax_error_count(name: str, data: bytes) -> int:
    """How many documents of ``data`` :func:`load_bytes` would report as not parsing (SYNTAX problems).

    A fix must never add one, so every fixed file is checked, and almost every one
    parses: the stream is then only composed (no data built, no document kept), which is
    what :func:`load_text` would try first and where it would find no syntax error.
    Anything else is loaded in full and its problems counted.
    """
    text = decode(data, name)[0]
    if text is not None:
        text, _ = hide_breaks(lone_crs_as_lf(text))
        if not some_chunk_too_deep(text, chunk_starts(text)):
            try:
                for _ in compose_stream(text):
                    pass
                return 0
            except YAMLError:
                pass
    loaded = load_bytes(name, data)
    return sum(1 for p in loaded.problems if p.kind is ProblemKind.SYNTAX)
