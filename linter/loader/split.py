"""Cutting a stream into documents at ``---`` markers, and refusing documents nested too deep.

The whole stream is composed in one pass first; only when that fails is it cut here
and each chunk composed on its own, so that a syntax error costs one document. A
document nested thousands deep would make any composer slow or recursive, so nesting
is bounded before composing: a cheap text bound first, an event scan only for the
documents the bound cannot clear.

Every run imports this module, while its regular expressions serve only streams with
directives and documents that do not parse: they are compiled on first use (compiling
them at import cost every run a few tenths of a millisecond), and plain ``---`` markers
are found with ``str.find``.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator

from gwlint.loader.compose import CParser
from gwlint.loader.construct import MAX_DEPTH
from ruamel.yaml.error import YAMLError

_SAFE_NESTING = 1000


@functools.cache
def _marker_re() -> re.Pattern[str]:
    """A document start marker, together with the directives (``%YAML``) that belong to it."""
    return re.compile(r"^(?:%[^\n]*\n(?:[ \t]*(?:#[^\n]*)?\n)*)*---(?=[ \t\r\n]|$)", re.MULTILINE)


def may_nest_deeply(text: str) -> bool:
    """Cheap upper bound on nesting: flow brackets plus the longest line (block nesting)."""
    brackets = text.count("[") + text.count("{")
    if brackets < _SAFE_NESTING and len(text) < _SAFE_NESTING:
        return False
    if brackets + len(text) // 2 < _SAFE_NESTING:  # no line is longer than the text
        return False
    longest = max((len(line) for line in text.split("\n")), default=0)
    return brackets + longest // 2 >= _SAFE_NESTING


def too_deep(text: str) -> tuple[int, int] | None:
    """Position where event nesting first exceeds MAX_DEPTH (no recursion, no composing)."""
    if CParser is None:
        return None
    parser = CParser(text)
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


def has_directives(text: str) -> bool:
    """Whether a line starts with ``%``: a directive, or the text of a multi-line plain scalar."""
    return text.startswith("%") or "\n%" in text


def chunk_starts(text: str) -> list[int]:
    """Where the stream is cut: before every ``---`` marker (with its directives); then ``len(text)``."""
    starts = [m.start() for m in _marker_re().finditer(text)] if has_directives(text) else _bare_markers(text)
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    starts.append(len(text))
    return starts


def _bare_markers(text: str) -> list[int]:
    """Where a line starts with ``---`` followed by a blank, a line end or the end of the text."""
    starts: list[int] = []
    at = text.find("---")
    while at >= 0:
        if (at == 0 or text[at - 1] == "\n") and text[at + 3 : at + 4] in ("", " ", "\t", "\r", "\n"):
            starts.append(at)
        at = text.find("---", at + 3)  # a marker that overlaps this one cannot start a line
    return starts


def chunks(text: str, starts: list[int]) -> Iterator[tuple[str, int, int]]:
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


def some_chunk_too_deep(text: str, starts: list[int]) -> bool:
    """Whether a document of the stream nests deeper than MAX_DEPTH, decided before composing.

    The cheap bound is taken per document, so that a long stream of flow-style objects
    (Helm output) is not suspected for its total bracket count; only a document whose
    own bound reaches the threshold gets the exact, event-based scan.
    """
    for begin, end in itertools.pairwise(starts):
        chunk = text[begin:end]
        if may_nest_deeply(chunk) and too_deep(chunk) is not None:
            return True
    return False


_NAME_VALUE = r"['\"]?([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)['\"]?"


@functools.cache
def _namespace_res() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """A ``metadata:`` line, and a ``namespace:`` entry in block and in flow style."""
    return (
        re.compile(r"^([ \t]*)(?:- )?metadata:[ \t]*(?:(\{[^}]*\}?)|(?:#[^\n]*)?$)", re.MULTILINE),
        re.compile(rf"^([ \t]+)namespace:[ \t]*{_NAME_VALUE}[ \t]*(?:#.*)?$"),
        re.compile(rf"[{{,]\s*namespace:[ \t]*{_NAME_VALUE}[ \t]*[,}}]"),
    )


def shown_namespace(text: str) -> str | None:
    """The ``metadata.namespace`` a document's text shows, read without parsing it.

    For a document that does not parse: the namespace its objects would have been in, so
    that only the rules of that namespace learn that something is missing. The first
    ``metadata`` block wins (block or flow style); None when it shows no namespace.
    """
    metadata_re, block_re, flow_re = _namespace_res()
    for m in metadata_re.finditer(text):
        if m.group(2) is not None:
            flow = flow_re.search(m.group(2))
            if flow is not None:
                return flow.group(1)
            continue
        indent = len(m.group(1)) + (2 if m.group(0).lstrip(" \t").startswith("- ") else 0)
        child: int | None = None
        for line in text[m.end() + 1 :].split("\n"):
            body = line.strip()
            if not body or body.startswith("#"):
                continue
            depth = len(line) - len(line.lstrip(" \t"))
            if depth <= indent:
                break
            child = depth if child is None else child
            found = block_re.match(line) if depth == child else None
            if found is not None:
                return found.group(2)
    return None
