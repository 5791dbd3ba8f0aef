"""The suppression stage: which positioned findings the directives silence, and which directives are stale.

It runs after the rules (findings → suppressions → baseline → reporter). Every entry
that silences nothing is handed back, for GW004, so stale ones get removed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from gwlint.core.findings import Finding, ResourceId
from gwlint.core.records import Value
from gwlint.engine.api import Suppression
from gwlint.suppression.directives import collect_directives

if TYPE_CHECKING:
    from gwlint.engine.api import Rule
    from gwlint.index.index import Index


def _resolve(directives: Iterable[Suppression], rules: Sequence[Rule]) -> set[str]:
    """Attach each entry's rule; returns the ids of the rules that ran."""
    ran = {r.id for r in rules}
    catalogue: list[type[Rule]] = [type(r) for r in rules]
    pending = [d for d in directives if d.token and d.problem is None]
    if any(not _match(d.token, catalogue) for d in pending):
        from gwlint.engine.registry import all_rules

        catalogue = all_rules()
    for d in pending:
        d.rule = _match(d.token, catalogue)
        if d.rule is None:
            from gwlint.core.text import suggest

            names = [c.id for c in catalogue] + [c.name for c in catalogue]
            d.problem = f"{d.form} names unknown rule {d.token!r}{suggest(d.token, names)}"
    return ran


def _match(token: str, rules: Sequence[type[Rule]]) -> type[Rule] | None:
    for cls in rules:
        if token.upper() == cls.id.upper() or token == cls.name:
            return cls
    return None


class SuppressionOutcome(Value):
    """What the suppression stage made of a run's findings; the index is left as it was."""

    __slots__ = ("kept", "suppressed", "unused")

    kept: list[Finding]
    suppressed: list[Finding]
    unused: list[Suppression]
    """Entries that silenced nothing (or can never silence anything): GW004's subjects."""

    def __init__(self, kept: list[Finding], suppressed: list[Finding], unused: list[Suppression]) -> None:
        self.kept = kept
        self.suppressed = suppressed
        self.unused = unused


def apply_suppressions(
    findings: list[Finding], index: Index, rules: Sequence[Rule], context_files: set[str]
) -> SuppressionOutcome:
    """Split positioned findings into kept and suppressed, and find the stale entries."""
    directives = collect_directives(index, context_files)
    if not directives:
        return SuppressionOutcome(findings, [], [])
    ran = _resolve(directives, rules)
    by_object: dict[tuple[str, ResourceId], list[Suppression]] = {}
    by_line: dict[tuple[str, int], list[Suppression]] = {}
    for d in directives:
        if d.rule is None:
            continue
        if d.form == "annotation" and d.resource is not None:
            by_object.setdefault((d.file, d.resource.id), []).append(d)
        elif d.covers is not None:
            by_line.setdefault((d.file, d.covers), []).append(d)
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for f in findings:
        loc = f.location
        candidates = by_object.get((loc.file, loc.resource), []) if loc.resource is not None else []
        if loc.span is not None:
            candidates = candidates + by_line.get((loc.file, loc.span.line), [])
        for d in candidates:
            if d.rule is not None and d.rule.id == f.rule_id:
                d.used = True
                f.suppressed = True
        (suppressed if f.suppressed else kept).append(f)
    unused = [
        d for d in directives if not d.used and (d.problem is not None or (d.rule is not None and d.rule.id in ran))
    ]
    return SuppressionOutcome(kept, suppressed, unused)
