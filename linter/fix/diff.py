"""``--diff``: a unified diff of each fixed file, in time linear in its length for scattered small edits.

``difflib.unified_diff`` matches lines with ``SequenceMatcher``, whose time grows with
the file's length times the number of edits when lines repeat, as every line of a
stream of similar manifests does: 143 fixes in a 1,000-object stream took 13 s, 1,429
in 10,000 objects did not finish in half an hour. The edits of fixes are small and far
apart, so the lines are matched first by what they cannot disagree on: the common
start and end, then the lines that occur exactly once in both texts, in an order both
keep (the longest such chain, as patience diff takes it). Only the stretches between
those anchors go to ``SequenceMatcher``, each small. A pair of texts small enough
for ``SequenceMatcher`` alone is matched by it directly, so the diff of a small file is
``difflib``'s to the character.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Iterator, Sequence

CONTEXT = 3
"""Unchanged lines shown around each change, as ``diff -u`` and ``difflib`` show them."""

DIRECT = 250_000
"""Stretches with at most this many line pairs (lines of one side times the other) go to ``SequenceMatcher``."""

Block = tuple[int, int, int]
"""``(i, j, n)``: ``a[i:i + n] == b[j:j + n]``."""


def unified_diff(name: str, before: str, after: str) -> str:
    """A unified diff of one file (``--- name`` / ``+++ name``), marking a last line without a line end."""
    a = before.splitlines(keepends=True)
    b = after.splitlines(keepends=True)
    out: list[str] = []
    for line in _unified(a, b, name):
        out.append(line)
        if not line.endswith(("\n", "\r")):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


def matching_blocks(a: Sequence[str], b: Sequence[str]) -> list[Block]:
    """Equal stretches of ``a`` and ``b`` in order, adjacent ones joined, ending with ``(len(a), len(b), 0)``."""
    if len(a) * len(b) <= DIRECT:
        return [(i, j, n) for i, j, n in difflib.SequenceMatcher(None, a, b).get_matching_blocks()]
    found: list[Block] = []
    _match(a, b, 0, len(a), 0, len(b), found)
    joined: list[Block] = []
    for i, j, n in found:
        if joined and joined[-1][0] + joined[-1][2] == i and joined[-1][1] + joined[-1][2] == j:
            pi, pj, pn = joined[-1]
            joined[-1] = (pi, pj, pn + n)
        elif n:
            joined.append((i, j, n))
    joined.append((len(a), len(b), 0))
    return joined


def _match(a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int, bhi: int, out: list[Block]) -> None:
    """Append the equal stretches of ``a[alo:ahi]`` and ``b[blo:bhi]`` to ``out``, in order."""
    head = 0
    while alo + head < ahi and blo + head < bhi and a[alo + head] == b[blo + head]:
        head += 1
    tail = 0
    while ahi - tail > alo + head and bhi - tail > blo + head and a[ahi - tail - 1] == b[bhi - tail - 1]:
        tail += 1
    out.append((alo, blo, head))
    i0, i1, j0, j1 = alo + head, ahi - tail, blo + head, bhi - tail
    if i0 < i1 and j0 < j1:
        anchors = [] if (i1 - i0) * (j1 - j0) <= DIRECT else _anchors(a, b, i0, i1, j0, j1)
        if anchors:
            i, j = i0, j0
            for ai, bj in anchors:
                _match(a, b, i, ai, j, bj, out)
                out.append((ai, bj, 1))
                i, j = ai + 1, bj + 1
            _match(a, b, i, i1, j, j1, out)
        else:
            matcher = difflib.SequenceMatcher(None, a[i0:i1], b[j0:j1])
            out.extend((i0 + i, j0 + j, n) for i, j, n in matcher.get_matching_blocks())
    out.append((i1, j1, tail))


def _anchors(a: Sequence[str], b: Sequence[str], i0: int, i1: int, j0: int, j1: int) -> list[tuple[int, int]]:
    """Lines that occur once in ``a[i0:i1]`` and once in ``b[j0:j1]``: the longest chain in the same order."""
    count: dict[str, int] = {}
    for line in a[i0:i1]:
        count[line] = count.get(line, 0) + 1
    where: dict[str, int] = {}
    for j in range(j0, j1):
        line = b[j]
        if count.get(line) == 1:
            where[line] = -1 if line in where else j
    pairs = [(i, where[a[i]]) for i in range(i0, i1) if where.get(a[i], -1) >= 0]
    # longest increasing run of b positions (patience sorting), pairs already ordered by a
    tops: list[int] = []
    top_pair: list[int] = []
    back: list[int] = []
    for k, (_, j) in enumerate(pairs):
        pile = bisect.bisect_left(tops, j)
        back.append(top_pair[pile - 1] if pile else -1)
        if pile == len(tops):
            tops.append(j)
            top_pair.append(k)
        else:
            tops[pile] = j
            top_pair[pile] = k
    chain: list[tuple[int, int]] = []
    k = top_pair[-1] if top_pair else -1
    while k >= 0:
        chain.append(pairs[k])
        k = back[k]
    chain.reverse()
    return chain


def _hunks(blocks: list[Block], context: int) -> Iterator[list[tuple[str, int, int, int, int]]]:
    """The changes between the blocks as opcodes, grouped into hunks with ``context`` lines around each."""
    codes: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    for bi, bj, n in blocks:
        if i < bi or j < bj:
            tag = "replace" if i < bi and j < bj else "delete" if i < bi else "insert"
            codes.append((tag, i, bi, j, bj))
        if n:
            codes.append(("equal", bi, bi + n, bj, bj + n))
        i, j = bi + n, bj + n
    if all(tag == "equal" for tag, *_ in codes):
        return
    group: list[tuple[str, int, int, int, int]] = []
    last = len(codes) - 1
    for k, (tag, i1, i2, j1, j2) in enumerate(codes):
        if tag == "equal":
            if k == 0:  # leading context only
                i1, j1 = max(i1, i2 - context), max(j1, j2 - context)
            if k == last:  # trailing context only
                i2, j2 = min(i2, i1 + context), min(j2, j1 + context)
            elif i2 - i1 > 2 * context and k > 0:
                group.append((tag, i1, i1 + context, j1, j1 + context))
                yield group
                group = []
                i1, j1 = i2 - context, j2 - context
        group.append((tag, i1, i2, j1, j2))
    if group:
        yield group


def _range(start: int, stop: int) -> str:
    """A hunk's line range as ``diff -u`` writes it: ``first,count``, the count left out when 1."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


def _unified(a: Sequence[str], b: Sequence[str], name: str) -> Iterator[str]:
    """The lines of a unified diff of ``a`` and ``b`` (nothing when they are equal)."""
    for k, group in enumerate(_hunks(matching_blocks(a, b), CONTEXT)):
        if k == 0:
            yield f"--- {name}\n"
            yield f"+++ {name}\n"
        first, final = group[0], group[-1]
        yield f"@@ -{_range(first[1], final[2])} +{_range(first[3], final[4])} @@\n"
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                yield from (" " + line for line in a[i1:i2])
                continue
            if tag in ("replace", "delete"):
                yield from ("-" + line for line in a[i1:i2])
            if tag in ("replace", "insert"):
                yield from ("+" + line for line in b[j1:j2])
