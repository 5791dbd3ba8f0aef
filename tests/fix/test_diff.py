"""``--diff`` output: difflib's for small files, and a correct unified diff of large ones in linear time."""

from __future__ import annotations

import difflib
import re

import pytest
from gwlint.fix import diff
from hypothesis import given, settings
from hypothesis import strategies as st

LINES = ["---\n", "a: 1\n", "b: 2\n", "  c: [3]\n", "kind: K\n", "x\n", "\n", "name: web\n", "name: api\n"]


def _difflib(name: str, before: str, after: str) -> str:
    out: list[str] = []
    for line in difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), fromfile=name, tofile=name
    ):
        out.append(line)
        if not line.endswith(("\n", "\r")):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


def _apply(before: str, patch: str) -> str:
    """The text a unified diff turns ``before`` into (what ``patch`` would write)."""
    old = before.splitlines(keepends=True)
    new: list[str] = []
    at = 0
    lines = patch.splitlines(keepends=True)
    k = 2 if patch else 0
    while k < len(lines):
        m = re.match(r"@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@", lines[k])
        assert m is not None, lines[k]
        start = int(m.group(1)) - (0 if m.group(2) == "0" else 1)
        new += old[at:start]
        at = start
        k += 1
        while k < len(lines) and not lines[k].startswith("@@"):
            line = lines[k]
            if line.startswith("\\"):
                new[-1] = new[-1].rstrip("\n") if new and lines[k - 1].startswith((" ", "+")) else new[-1]
            elif line[0] in " -":
                assert old[at].rstrip("\n") == line[1:].rstrip("\n")
                at += 1
                if line[0] == " ":
                    new.append(old[at - 1])
            else:
                new.append(line[1:])
            k += 1
    return "".join(new + old[at:])


texts = st.lists(st.sampled_from(LINES), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(before=texts, after=texts, cut=st.booleans())
def test_a_small_diff_is_difflibs(before: str, after: str, cut: bool) -> None:
    if cut:
        after = after.rstrip("\n")
    assert diff.unified_diff("f.yaml", before, after) == _difflib("f.yaml", before, after)


@settings(max_examples=300, deadline=None)
@given(before=texts, edits=st.lists(st.tuples(st.integers(0, 40), st.sampled_from(LINES), st.booleans()), max_size=6))
def test_a_large_diff_is_a_correct_diff(before: str, edits: list[tuple[int, str, bool]]) -> None:
    """With every stretch matched through anchors (``DIRECT`` 0), the diff still makes ``after`` of ``before``."""
    lines = before.splitlines(keepends=True)
    for at, line, insert in edits:
        at = min(at, len(lines))
        if insert or at == len(lines):
            lines.insert(at, line)
        else:
            del lines[at]
    after = "".join(lines)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(diff, "DIRECT", 0)
        patch = diff.unified_diff("f.yaml", before, after)
    assert (patch == "") == (before == after)
    assert _apply(before, patch) == after


def test_scattered_fixes_in_a_long_stream_are_matched_by_anchors() -> None:
    """1,000 similar objects, a line inserted into every tenth: each change is its own hunk of 7 lines."""
    docs = [f"---\nkind: Deployment\nmetadata:\n  name: app-{i}\nspec:\n  replicas: 2\n" for i in range(1000)]
    before = "".join(docs)
    fixed = [d.replace("spec:\n", "spec:\n  minReadySeconds: 10\n") if i % 10 == 0 else d for i, d in enumerate(docs)]
    after = "".join(fixed)
    patch = diff.unified_diff("s.yaml", before, after)
    assert patch.count("@@ -") == 100 and patch.count("\n+  minReadySeconds: 10\n") == 100
    assert _apply(before, patch) == after
