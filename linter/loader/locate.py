"""Data paths to source positions, using the composer's node marks.

Rules name *what* is wrong (a path such as ``spec.template.spec.containers[0].ports``);
this module decides *where* that is. Every region is kept to a single line, because
GitHub shows an alert on a pull request only when all of its lines are in the diff.
"""

from __future__ import annotations

from gwlint.core.datapath import Path
from gwlint.core.findings import Span
from gwlint.loader.document import Document
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_MERGE = "tag:yaml.org,2002:merge"


def _lookup(node: MappingNode, key: str | int) -> tuple[Node, Node] | None:
    """The key and value nodes of ``key``: explicit keys first, then merge sources in order.

    Merge sources are searched depth-first without recursion, and each mapping once:
    merges of merges shared through aliases would otherwise cost exponential time.
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
                return knode, vnode
        sources: list[Node] = []
        for knode, vnode in current.value:  # merge keys (<<) provide the rest
            if isinstance(knode, ScalarNode) and knode.tag == _MERGE:
                sources.extend(vnode.value if isinstance(vnode, SequenceNode) else [vnode])
        stack.extend(reversed(sources))
    return None


def _node_span(node: Node, offset: int) -> Span:
    start, end = node.start_mark, node.end_mark
    line = int(start.line) + offset + 1
    col = int(start.column) + 1
    if isinstance(node, ScalarNode) and int(end.line) == int(start.line) and int(end.column) > int(start.column):
        return Span(line, col, line, int(end.column) + 1)
    if isinstance(node, ScalarNode) and node.style is None and "\n" not in node.value:
        return Span(line, col, line, col + max(len(node.value), 1))
    return Span(line, col, line, col + 1)


def resolve(doc: Document, path: Path) -> Span:
    """The span of the node at ``path`` (or of its deepest existing ancestor).

    A scalar points at its value; a mapping or list under a key points at the key, and a
    list item that is a mapping points at its first key.
    """
    node = doc.node
    if node is None:
        return Span(doc.line_offset + 1, 1, doc.line_offset + 1, 2)
    key_node: Node | None = None
    for elem in path:
        if isinstance(node, MappingNode):
            found = _lookup(node, elem)
            if found is None:
                break
            key_node, node = found
        elif isinstance(node, SequenceNode) and isinstance(elem, int) and 0 <= elem < len(node.value):
            node = node.value[elem]
            key_node = None
        else:
            break
    if isinstance(node, ScalarNode):
        if node.value == "" and key_node is not None and int(node.start_mark.line) != int(key_node.start_mark.line):
            # an explicit key without a value (``? key``): libyaml places the empty value at
            # the next token, which may be on a later line or past the end of the file
            return _node_span(key_node, doc.line_offset)
        return _node_span(node, doc.line_offset)
    if key_node is not None:
        return _node_span(key_node, doc.line_offset)
    if isinstance(node, MappingNode) and node.value:
        return _node_span(node.value[0][0], doc.line_offset)
    return _node_span(node, doc.line_offset)


def point(line0: int, col0: int) -> Span:
    """A one-character span at a 0-based position (parser errors)."""
    return Span(line0 + 1, col0 + 1, line0 + 1, col0 + 2)
