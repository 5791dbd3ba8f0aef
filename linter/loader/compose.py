"""libyaml's composer, with a memoised tag resolver: the same nodes, a third less time.

libyaml (``ruamel.yaml.clib``) composes nodes with marks twenty times faster than the
pure-Python composer, which is used only when the extension is missing. libyaml calls
back into Python to resolve the tag of every node: for a plain scalar, ruamel's resolver
tries the regular expressions registered for its first character, and every call builds
a new ``Tag``. A manifest repeats the same keys and values thousands of times, so the
answer is looked up once per distinct scalar text and the ``Tag`` objects are shared
(nodes never change their tags). The memo lives as long as one loader, that is one file,
so memory stays bounded by the file's distinct scalars.
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
            key = value if kind is ScalarNode and implicit[0] else (kind, kind is ScalarNode)
            tag = memo.get(key)
            if tag is None:
                found = super().resolve(kind, value, implicit)
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
