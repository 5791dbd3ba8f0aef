"""Turn composed YAML nodes into plain Python data, safely.

We compose with libyaml (fast, keeps marks) and build data ourselves instead of using
ruamel's constructor: unknown or unsafe tags become plain values, merge keys resolve,
aliases are shared rather than expanded, and nesting depth and alias expansion are
bounded so that hostile input cannot hang or exhaust memory.
"""

from __future__ import annotations

import math
from typing import Any

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_DEPTH = 400
"""Deepest nesting accepted; Kubernetes objects (CRD schemas included) stay far below it."""

MAX_EXPANDED_NODES = 2_000_000
"""Node count of a document once aliases are expanded; beyond it the document is an alias bomb."""

_T = "tag:yaml.org,2002:"
_TRUE = {"true", "yes", "on", "y"}
_FALSE = {"false", "no", "off", "n"}


class NodeError(Exception):
    """A document that cannot be turned into data; carries the offending node."""

    def __init__(self, message: str, node: Node) -> None:
        super().__init__(message)
        self.node = node


def _int(text: str) -> int | str:
    raw = text.replace("_", "")
    sign = 1
    if raw[:1] in "+-":
        sign = -1 if raw[0] == "-" else 1
        raw = raw[1:]
    try:
        low = raw.lower()
        if low.startswith("0x"):
            return sign * int(raw[2:], 16)
        if low.startswith("0o"):
            return sign * int(raw[2:], 8)
        if low.startswith("0b"):
            return sign * int(raw[2:], 2)
        if ":" in raw:
            value = 0
            for part in raw.split(":"):
                value = value * 60 + int(part)
            return sign * value
        return sign * int(raw, 10)
    except ValueError:
        return text


def _float(text: str) -> float | str:
    low = text.lower().replace("_", "")
    if low in (".inf", "+.inf"):
        return math.inf
    if low == "-.inf":
        return -math.inf
    if low == ".nan":
        return math.nan
    try:
        return float(low)
    except ValueError:
        return text


def scalar_value(node: ScalarNode) -> Any:
    """The Python value of a scalar, resolved by its tag; unknown tags give the plain text."""
    tag: str = node.tag or ""
    text: str = node.value
    if tag == _T + "str" or not tag.startswith(_T):
        return text
    kind = tag[len(_T) :]
    if kind == "int":
        return _int(text)
    if kind == "null":
        return None
    if kind == "bool":
        low = text.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        return text
    if kind == "float":
        return _float(text)
    return text


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def _expanded_size(root: Node) -> int:
    """Node count with aliases expanded, computed without expanding them (memoised)."""
    sizes: dict[int, int] = {}
    visiting: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        children = _children(node)
        if done:
            visiting.discard(key)
            total = 1
            for child in children:
                total += sizes.get(id(child), 1)
            sizes[key] = min(total, MAX_EXPANDED_NODES + 1)
        elif key not in visiting:
            visiting.add(key)
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes.get(id(root), 1)


def has_aliases(root: Node) -> bool:
    """Whether any node of the document is reachable twice (an alias was used)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        stack.extend(_children(node))
    return False


class Converter:
    """Builds data for one document; remembers duplicate keys so the loader can report them."""

    def __init__(self) -> None:
        self.memo: dict[int, Any] = {}
        self.duplicates: list[tuple[tuple[Any, ...], ScalarNode]] = []

    def convert(self, node: Node, path: tuple[Any, ...] = (), depth: int = 0) -> Any:
        """Data for ``node``; raises :class:`NodeError` when it nests deeper than MAX_DEPTH."""
        if isinstance(node, ScalarNode):
            return scalar_value(node)
        key = id(node)
        if key in self.memo:
            return self.memo[key]
        if depth >= MAX_DEPTH:
            raise NodeError(f"document nests deeper than {MAX_DEPTH} levels", node)
        if isinstance(node, SequenceNode):
            seq: list[Any] = []
            self.memo[key] = seq
            for i, item in enumerate(node.value):
                seq.append(self.convert(item, (*path, i), depth + 1))
            return seq
        if isinstance(node, MappingNode):
            mapping: dict[Any, Any] = {}
            self.memo[key] = mapping
            merges: list[Node] = []
            for knode, vnode in node.value:
                if isinstance(knode, ScalarNode) and knode.tag == _T + "merge":
                    merges.append(vnode)
                    continue
                k = self._key(knode)
                if k in mapping and isinstance(knode, ScalarNode):
                    self.duplicates.append(((*path, k), knode))
                mapping[k] = self.convert(vnode, (*path, k), depth + 1)
            for source in merges:
                self._merge(mapping, source, path, depth)
            return mapping
        return None

    def _key(self, knode: Node) -> Any:
        if isinstance(knode, ScalarNode):
            value = scalar_value(knode)
            if isinstance(value, float) and math.isnan(value):
                return knode.value
            return value
        return f"<{type(knode).__name__.replace('Node', '').lower()} key>"

    def _merge(self, target: dict[Any, Any], source: Node, path: tuple[Any, ...], depth: int) -> None:
        sources = source.value if isinstance(source, SequenceNode) else [source]
        for src in sources:
            data = self.convert(src, path, depth + 1)
            if isinstance(data, dict):
                for k, v in data.items():
                    target.setdefault(k, v)


def check_expansion(root: Node) -> str | None:
    """A message when aliases would expand the document beyond the allowed size."""
    if not has_aliases(root):
        return None
    if _expanded_size(root) > MAX_EXPANDED_NODES:
        return f"aliases expand this document beyond {MAX_EXPANDED_NODES:,} nodes (an alias bomb?); refusing to load it"
    return None
