"""Helm's provenance comments: which chart template each document of ``helm template`` output came from.

``helm template`` writes ``# Source: chart/templates/x.yaml`` before every document it
renders. The comment belongs to the first document after it, and only when nothing but
that document's own start lies between them: a document without a comment of its own
does not inherit the previous one's. Lines are 0-based, as the loader counts them.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence

from gwlint.core.findings import HELM_TEMPLATE, Origin


# without ``^``, so that the regex engine scans for the literal; line starts are checked after
@functools.cache
def _source_re() -> re.Pattern[str]:
    return re.compile(r"# Source: ([^\n]*\S)[ \t\r]*$", re.MULTILINE)  # linear: no lazy group before \s*


def source_comments(text: str) -> list[tuple[int, str]]:
    """Every ``# Source:`` comment that starts a line: its 0-based line and the template path."""
    found: list[tuple[int, str]] = []
    line = pos = 0
    for m in _source_re().finditer(text):  # lines counted from the previous match: linear, not quadratic
        if m.start() and text[m.start() - 1] != "\n":
            continue
        line += text.count("\n", pos, m.start())
        pos = m.start()
        found.append((line, m.group(1)))
    return found


def template_origins(text: str, documents: Sequence[tuple[int, int]]) -> list[Origin | None]:
    """The template of each document, given as (start line, end line) in file order; None where unknown.

    The comment names the template file, not a line of it: the origin has no span.
    """
    out: list[Origin | None] = [None] * len(documents)
    if "# Source:" not in text:
        return out
    sources = source_comments(text)
    lines = [line for line, _ in sources]
    previous_end = -1
    for i, (start, end) in enumerate(documents):
        pos = bisect.bisect_left(lines, start) - 1
        if pos >= 0 and lines[pos] > previous_end:
            out[i] = Origin(HELM_TEMPLATE, sources[pos][1])
        previous_end = end - 1
    return out
