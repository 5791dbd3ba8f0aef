"""Applying fixes: conflict checks, passes until nothing changes, and writing the files (``--diff``: ``fix.diff``).

Each pass takes the enabled fixes of the run's findings (suppressed and baselined
findings are no longer among them), applies in each file the ones whose edits do not
overlap an edit already taken, and lints the new texts again; a fix left out for a
conflict comes back in the next pass, resolved against the new text. A pass that makes
a file unparseable is undone for that file. ruff and sqlfluff work the same way.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from gwlint.core.findings import Finding, RunError
from gwlint.core.fixes import Fix, Replacement
from gwlint.core.records import Value
from gwlint.core.result import RunResult

MAX_PASSES = 10
"""Passes before giving up: every fix removes its finding, so two or three are the most seen."""


def overlaps(a: Replacement, b: Replacement) -> bool:
    """Whether two replacements touch the same text (two insertions at one point do: their order is unknown)."""
    if a.start == a.end == b.start == b.end:
        return True
    return a.start < b.end and b.start < a.end


def apply_replacements(text: str, replacements: Iterable[Replacement]) -> str:
    """``text`` with non-overlapping replacements applied (ValueError when two overlap)."""
    ordered = sorted(replacements, key=lambda r: (r.start, r.end))
    for a, b in itertools.pairwise(ordered):
        if overlaps(a, b):
            raise ValueError(f"overlapping edits at characters {a.start}-{a.end} and {b.start}-{b.end}")
    out: list[str] = []
    pos = 0
    for r in ordered:
        out.append(text[pos : r.start])
        out.append(r.text)
        pos = r.end
    out.append(text[pos:])
    return "".join(out)


def enabled_fixes(findings: Iterable[Finding], unsafe: bool, editable: Mapping[str, str]) -> list[Fix]:
    """The fixes ``--fix`` would apply to these findings: enabled and aimed at an editable file."""
    return [f.fix for f in findings if f.fix is not None and f.fix.enabled(unsafe) and f.fix.file in editable]


def choose(fixes: Sequence[Fix]) -> dict[str, list[Fix]]:
    """Per file, the fixes of one pass: in text order, each one whose edits overlap none taken before."""
    chosen: dict[str, list[Fix]] = defaultdict(list)
    taken: dict[str, list[Replacement]] = defaultdict(list)
    for fix in sorted(fixes, key=lambda x: (x.file or "", min(r.start for r in x.replacements))):
        assert fix.file is not None
        mine = fix.replacements
        if any(overlaps(a, b) for a in mine for b in taken[fix.file]) or any(
            overlaps(a, b) for i, a in enumerate(mine) for b in mine[i + 1 :]
        ):
            continue
        taken[fix.file].extend(mine)
        chosen[fix.file].append(fix)
    return dict(chosen)


class FixOutcome(Value):
    """What fixing did: the run after the last pass, the new texts, and how many fixes applied."""

    __slots__ = ("errors", "fixed", "original", "result", "texts")

    result: RunResult
    """The findings that remain (the last pass's lint)."""
    original: dict[str, str]
    texts: dict[str, str]
    """The text of every file a fix changed, after all passes."""
    fixed: int
    errors: list[RunError]

    def __init__(
        self, result: RunResult, original: dict[str, str], texts: dict[str, str], fixed: int, errors: list[RunError]
    ) -> None:
        self.result = result
        self.original = original
        self.texts = texts
        self.fixed = fixed
        self.errors = errors

    def changed(self) -> list[str]:
        """The files whose text differs from what was read, sorted."""
        return sorted(name for name, text in self.texts.items() if text != self.original.get(name))


Relint = Callable[[Mapping[str, str]], RunResult]
"""Lints the run again with some files' texts replaced (the fixed ones), returning the kept findings."""


def syntax_errors(name: str, text: str) -> int:
    """How many documents of a file's text do not parse (GW001): a fix must never add one."""
    from gwlint.loader.load import syntax_error_count

    return syntax_error_count(name, text.encode("utf-8"))


def fix_until_stable(
    first: RunResult, relint: Relint, editable: Mapping[str, str], unsafe: bool, max_passes: int | None = None
) -> FixOutcome:
    """Apply enabled fixes pass after pass until none is left; the files themselves are not touched.

    ``editable`` holds the real text of every file a fix may change (never standard input
    or a render). A pass's edits to a file that would add a syntax error are undone, that
    file is no longer fixed, and a run error says so. ``max_passes`` stops earlier, without
    linting the last pass again (a diff of rendered sources, which cannot render from memory).
    """
    texts = dict(editable)
    result = first
    fixed = 0
    errors: list[RunError] = []
    frozen: set[str] = set()
    passes = MAX_PASSES if max_passes is None else max_passes
    for done in range(passes):
        open_files = {name: text for name, text in texts.items() if name not in frozen}
        chosen = choose(enabled_fixes(result.findings, unsafe, open_files))
        if not chosen:
            return FixOutcome(result, dict(editable), texts, fixed, errors)
        for name, fixes in chosen.items():
            new = apply_replacements(texts[name], [r for fix in fixes for r in fix.replacements])
            broken = syntax_errors(name, new)
            if broken and broken > syntax_errors(name, texts[name]):
                frozen.add(name)
                errors.append(RunError("fixes would make the file unparseable; not applied (please report)", name))
                continue
            texts[name] = new
            fixed += len(fixes)
        if done + 1 == passes and max_passes is not None:
            return FixOutcome(result, dict(editable), texts, fixed, errors)
        result = relint(texts)
    errors.append(
        RunError(f"fixes still changed the files after {MAX_PASSES} passes; the last pass is kept (please report)")
    )
    return FixOutcome(result, dict(editable), texts, fixed, errors)


def write_files(outcome: FixOutcome, paths: Mapping[str, Path]) -> list[RunError]:
    """Write every changed file in place, unless it changed on disk since it was read (or is written already).

    Writing in place (not through a new file renamed over it) keeps the file's mode, its
    hard links and the symbolic links that point at it.
    """
    errors: list[RunError] = []
    for name in outcome.changed():
        path = paths[name]
        try:
            on_disk = path.read_bytes()
            if on_disk == outcome.texts[name].encode("utf-8"):
                continue  # written already, by a pass that renders from disk
            if on_disk != outcome.original[name].encode("utf-8"):
                errors.append(RunError("changed on disk while gwlint ran; fixes not written", name))
                continue
            path.write_bytes(outcome.texts[name].encode("utf-8"))
        except OSError as exc:
            errors.append(RunError(f"cannot write fixes: {exc.strerror or exc}", name))
    return errors
