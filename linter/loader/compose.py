"""libyaml's composer, with a memoised tag resolver: the same nodes, a third less time.

libyaml (``ruamel.yaml.clib``) composes nodes with marks twenty times faster than the
pure-Python composer, which is used only when the extension is missing. libyaml calls
back into Python to resolve the tag of every node: for a plain scalar, ruamel's resolver
tries the regular expressions registered for its first character, and every call builds
a new ``Tag``. A manifest repeats the same keys and values thousands of times, so the
answer is looked up once per distinct scalar text and the ``Tag`` objects are shared
(nodes never change their tags). The memo lives as long as one loader, that is one file,
so memory stays bounded by the file's distinct scalars.

ruamel compiles those regular expressions on first use, about half a millisecond of a
run on one small file. The two kinds of plain scalar that every manifest has and whose
tag no regular expression is needed for (long words, decimal integers; see
:func:`obvious_tag`) are answered without them, so a small run compiles none.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import Node, ScalarNode
from ruamel.yaml.tag import Tag

CParser: Any
_Base: Any
try:  # the C composer; pure Python only when the extension is missing
    from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]
    from ruamel.yaml.cyaml import CSafeLoader as _Base

    YAML_BACKEND = "libyaml (ruamel.yaml.clib)"
except ImportError:  # pragma: no cover - exercised only without the C extension
    from ruamel.yaml.loader import SafeLoader as _Base

    CParser = None
    YAML_BACKEND = "pure Python"


_STR = Tag(suffix="tag:yaml.org,2002:str")
_INT = Tag(suffix="tag:yaml.org,2002:int")


def obvious_tag(value: str) -> Tag | None:
    """The tag the safe loader's resolvers give a plain scalar, when it is evident without them; else None.

    A word of more than five characters starting with an ASCII letter is a string: the
    only resolvers registered for a letter are the booleans and null, whose words have
    five letters at most (``false``). Decimal digits not starting with ``0`` are an
    integer (with a leading ``0`` the answer depends on the YAML version). Anything else
    is left to ruamel. Tests compare the answers with ruamel's own and check what this
    assumes of its resolver table.
    """
    first = value[:1]
    if len(value) > 5 and first.isascii() and first.isalpha():
        return _STR
    if "1" <= first <= "9" and value.isascii() and value.isdigit():
        return _INT
    return None


def memoised(base: Any) -> Any:
    """A subclass of the loader class ``base`` whose ``resolve`` answers from a memo.

    Resolution depends only on the node kind, the scalar text and whether the scalar
    is plain, as long as no path resolvers are registered (the safe loader has none);
    with path resolvers every call goes to ``base``.
    """

    class MemoisedLoader(base):  # type: ignore[misc]
        _tag_memo: dict[Any, Tag]

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if self.yaml_path_resolvers:
                return super().resolve(kind, value, implicit)
            try:
                memo = self._tag_memo
            except AttributeError:
                memo = self._tag_memo = {}
            # a plain scalar's tag depends on its text; any other node's on its kind only
            plain = kind is ScalarNode and implicit[0]
            key = value if plain else (kind, kind is ScalarNode)
            tag = memo.get(key)
            if tag is None:
                found = (obvious_tag(value) if plain else None) or super().resolve(kind, value, implicit)
                tag = memo[key] = found if isinstance(found, Tag) else Tag(suffix=found)
            return tag

    MemoisedLoader.__name__ = MemoisedLoader.__qualname__ = f"Memoised{base.__name__}"
    return MemoisedLoader


Loader: Any = memoised(_Base)
"""The loader class every composition uses (libyaml's when available)."""


def release(loader: Any) -> None:
    """Dispose of a loader and break its reference cycles (it refers to itself as parser,
    composer and constructor): with the garbage collector paused, each loader would
    otherwise stay in memory with a UTF-8 copy of its text."""
    loader.dispose()
    vars(loader).clear()


def compose_stream(text: str) -> Iterator[Node]:
    """The root node of every document of ``text``, one at a time; raises YAMLError on bad YAML.

    The caller may drop each node once it is done with it: only one document's nodes
    need to be in memory at a time.
    """
    loader = Loader(text)
    try:
        while loader.check_node():
            yield loader.get_node()
    except RecursionError as exc:  # only the pure-Python composer recurses in Python
        raise YAMLError("document nests too deeply to parse") from exc
    finally:
        release(loader)


def compose_all(text: str) -> list[Node]:
    """The root node of every document of ``text``; raises YAMLError on bad YAML."""
    return list(compose_stream(text))


def compose_lenient(text: str) -> list[Node]:
    """The documents of ``text`` as ruamel's pure-Python parser reads them, positioned as libyaml would.

    libyaml follows YAML 1.1 where YAML 1.2 parsers (and kubectl's) accept more: a ``:``
    inside a plain scalar of a flow collection (``args: [--listen=0.0.0.0:8080]``) is
    valid YAML that libyaml refuses. A document libyaml refuses is composed here before
    it is called a syntax error: twenty times slower, but only that document pays. Tags
    are resolved as on the fast path, and the marks that the two parsers place
    differently (an empty value, the end of a block collection at the end of a stream
    without a final line break) are moved where libyaml puts them, so a finding has the
    same position whichever parser read its document (both resolve tags alike: ruamel's
    resolver follows YAML 1.2 on either path). Raises YAMLError when this parser refuses
    the text too.
    """
    import warnings

    from gwlint.loader.construct import MAX_DEPTH
    from ruamel.yaml import YAML
    from ruamel.yaml.error import ReusedAnchorWarning

    yaml = YAML(typ="safe", pure=True)
    yaml.max_depth = MAX_DEPTH + 1  # deeper documents are refused before composing (``split.too_deep``)
    try:
        with warnings.catch_warnings():  # an anchor defined again is valid YAML (libyaml is silent too)
            warnings.simplefilter("ignore", ReusedAnchorWarning)
            nodes: list[Node] = list(yaml.compose_all(text))
    except YAMLError:
        raise
    except Exception as exc:  # a second opinion that fails in any other way is a refusal, never a crash
        raise YAMLError(f"the YAML 1.2 parser failed too: {exc!r}") from exc
    _place_as_libyaml(nodes, text)
    return nodes


def _place_as_libyaml(roots: list[Node], text: str) -> None:
    """Move the marks the pure-Python composer places differently from libyaml (see :func:`compose_lenient`).

    An empty value after ``key:`` sits right after the colon in a block mapping (the
    pure-Python parser puts it at the next token, possibly lines later), and at the next
    token in a flow mapping (where the pure-Python parser puts it after the colon); at the
    end of a stream without a final line break, block collections and empty values end
    at the start of the next line. Plain scalars have the style ``''``, not None. A
    document with an empty key is refused (YAMLError).
    """
    from ruamel.yaml.error import StreamMark
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    open_end = not text.endswith("\n")
    after_end = StreamMark(None, len(text), text.count("\n") + 1, 0)

    def at(index: int) -> StreamMark:
        line = text.count("\n", 0, index)
        return StreamMark(None, index, line, index - (text.rfind("\n", 0, index) + 1))

    def empty(node: Node) -> bool:
        return isinstance(node, ScalarNode) and node.value == "" and not node.style

    seen: set[int] = set()
    moved: set[int] = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            if node.style is None:
                node.style = ""
            if open_end and empty(node) and id(node) not in moved and node.end_mark.index == len(text):
                node.start_mark = node.end_mark = after_end
            continue
        if isinstance(node, MappingNode):
            for key, value in node.value:
                if empty(key):
                    # YAML 1.2 allows an empty key (``: value``, ``{: 1}``), which no Kubernetes
                    # object has and YAML-to-JSON converters refuse: libyaml's error stands
                    raise YAMLError("a mapping key is empty")
                if empty(value) and node.flow_style:
                    token = value.start_mark.index
                    while token < len(text) and text[token] in " \t\r\n":
                        token += 1
                    value.start_mark = value.end_mark = at(token)
                    moved.add(id(value))
                elif empty(value) and value.start_mark.index > key.end_mark.index:
                    colon = text.find(":", key.end_mark.index, value.start_mark.index)
                    if colon >= 0:
                        value.start_mark = value.end_mark = at(colon + 1)
                        moved.add(id(value))
                stack.extend((key, value))
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
        else:
            continue
        if open_end and not node.flow_style and node.end_mark.index == len(text):
            node.end_mark = after_end
