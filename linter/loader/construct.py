"""Turn composed YAML nodes into plain Python data, safely.

We compose with libyaml (fast, keeps marks) and build data ourselves instead of using
ruamel's constructor: unknown or unsafe tags become plain values, merge keys resolve,
aliases are shared rather than expanded, and nesting depth and alias expansion are
bounded so that hostile input cannot hang or exhaust memory.
"""

from __future__ import annotations

import math
from sys import intern
from typing import Any

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import BaseResolver

MAX_DEPTH = 400
"""Deepest nesting accepted; Kubernetes objects (CRD schemas included) stay far below it."""

MAX_EXPANDED_NODES = 2_000_000
"""Node count of a document once aliases are expanded; beyond it the document is an alias bomb."""

_T = "tag:yaml.org,2002:"
_MERGE = _T + "merge"
# The resolver's shared tag of plain strings: most scalars carry this very object, and
# their value is their text (a fast path; any other tag object takes the general one).
_STR_TAG = BaseResolver.DEFAULT_SCALAR_TAG
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


def _expanded_size(root: Node) -> tuple[int, Node | None]:
    """Node count with aliases expanded, computed without expanding them (memoised).

    Also returns the first node found inside itself (an alias to an enclosing anchor):
    such a document has no finite expansion at all.
    """
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
        elif key in visiting:
            # entered and not finished: ``node`` encloses the node that refers to it
            return MAX_EXPANDED_NODES + 1, node
        else:
            visiting.add(key)
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes.get(id(root), 1), None


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


def helm_template(node: MappingNode) -> str | None:
    """The text of ``{{ ... }}`` when a flow mapping is unrendered Helm syntax, else None.

    YAML reads ``name: {{ .Release.Name }}`` as a flow mapping whose only key is a flow
    mapping whose only key is ``.Release.Name``; Kubernetes never has such a value.
    """
    if not (node.flow_style and len(node.value) == 1):
        return None
    inner, value = node.value[0]
    if not (isinstance(inner, MappingNode) and inner.flow_style and len(inner.value) == 1):
        return None
    if not (isinstance(value, ScalarNode) and value.tag == _T + "null" and value.value == ""):
        return None
    text, empty = inner.value[0]
    if isinstance(text, ScalarNode) and isinstance(empty, ScalarNode) and empty.value == "":
        return "{{ " + str(text.value) + " }}"
    return None


class Converter:
    """Builds data for one document and collects the defects it meets on the way.

    ``duplicates`` are repeated keys; ``problems`` are other shape defects (unrendered
    Helm syntax, keys that are not scalars, merge keys that merge no mapping), each with
    its path in the document, the node to point at, and a message. ``restore``
    translates placeholder characters back into the line separators the loader hid
    from libyaml.
    """

    def __init__(self, restore: dict[int, str] | None = None) -> None:
        self.memo: dict[int, Any] = {}
        self.duplicates: list[tuple[tuple[Any, ...], ScalarNode]] = []
        self.problems: list[tuple[tuple[Any, ...], Node, str]] = []
        self.restore = restore

    def _scalar(self, node: ScalarNode) -> Any:
        value = node.value if node.ctag is _STR_TAG else scalar_value(node)
        if self.restore is not None and isinstance(value, str):
            return value.translate(self.restore)
        return value

    def convert(self, node: Node, path: tuple[Any, ...] = (), depth: int = 0) -> Any:
        """Data for ``node``; raises :class:`NodeError` when it nests deeper than MAX_DEPTH."""
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        key = id(node)
        if key in self.memo:
            return self.memo[key]
        if depth >= MAX_DEPTH:
            raise NodeError(f"document nests deeper than {MAX_DEPTH} levels", node)
        if isinstance(node, SequenceNode):
            seq: list[Any] = []
            self.memo[key] = seq
            for i, item in enumerate(node.value):
                seq.append(
                    self._scalar(item) if isinstance(item, ScalarNode) else self.convert(item, (*path, i), depth + 1)
                )
            return seq
        if isinstance(node, MappingNode):
            template = helm_template(node)
            if template is not None:
                self.problems.append(
                    (
                        path,
                        node,
                        f"unrendered Helm template syntax `{template}`: lint the rendered manifests "
                        "(`helm template CHART | gwlint -`)",
                    )
                )
                self.memo[key] = template
                return template
            mapping: dict[Any, Any] = {}
            self.memo[key] = mapping
            merges: list[Node] = []
            for knode, vnode in node.value:
                if isinstance(knode, ScalarNode) and knode.ctag is not _STR_TAG and knode.tag == _MERGE:
                    merges.append(vnode)
                    continue
                k = self._key(knode, path)
                if k in mapping and isinstance(knode, ScalarNode):
                    self.duplicates.append(((*path, k), knode))
                # scalars (most nodes) directly: no recursive call, no path tuple
                mapping[k] = (
                    self._scalar(vnode) if isinstance(vnode, ScalarNode) else self.convert(vnode, (*path, k), depth + 1)
                )
            for source in merges:
                self._merge(mapping, source, path, depth)
            return mapping
        return None

    def _key(self, knode: Node, path: tuple[Any, ...]) -> Any:
        if isinstance(knode, ScalarNode):
            value = self._scalar(knode)
            if value.__class__ is str:
                return intern(value)  # one string per distinct key: a tenth of the data's memory
            if isinstance(value, float) and math.isnan(value):
                return knode.value
            return value
        template = helm_template(knode) if isinstance(knode, MappingNode) else None
        if template is not None:
            message = (
                f"unrendered Helm template syntax `{template}` as a key: lint the rendered manifests "
                "(`helm template CHART | gwlint -`)"
            )
            shown = template
        else:
            what = "a mapping" if isinstance(knode, MappingNode) else "a list"
            message = f"{what} used as a key: Kubernetes keys are strings"
            shown = f"<{what[2:]} key>"
        self.problems.append((path, knode, message))
        return shown

    def _merge(self, target: dict[Any, Any], source: Node, path: tuple[Any, ...], depth: int) -> None:
        sources = source.value if isinstance(source, SequenceNode) else [source]
        for src in sources:
            if not isinstance(src, MappingNode):
                self.problems.append((path, src, "a merge key (`<<`) takes a mapping or a list of mappings"))
                continue
            data = self.convert(src, path, depth + 1)
            if isinstance(data, dict):
                for k, v in data.items():
                    target.setdefault(k, v)


def check_expansion(root: Node) -> tuple[str, Node] | None:
    """Why aliases make the document unloadable (an alias bomb, or a self-reference), and where."""
    if not has_aliases(root):
        return None
    size, cycle = _expanded_size(root)
    if cycle is not None:
        return "an alias refers to a node that contains it (a recursive structure); refusing to load it", cycle
    if size > MAX_EXPANDED_NODES:
        return (
            f"aliases expand this document beyond {MAX_EXPANDED_NODES:,} nodes (an alias bomb?); refusing to load it",
            root,
        )
    return None
