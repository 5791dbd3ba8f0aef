"""GW004 unused-suppression: a suppression that silences nothing, so it can only go stale."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gwlint.core.datapath import Path
from gwlint.core.findings import Finding, Location, Severity, Span
from gwlint.engine.api import IGNORE_ANNOTATION, Context, Edit, Fix, FixAvailability, Rule, Suppression


class UnusedSuppression(Rule):
    id = "GW004"
    name = "unused-suppression"
    severity = Severity.NOTE
    summary = "A gwlint.io/ignore annotation or # gwlint: ignore comment silences nothing"
    tags = ("input", "suppression")
    after_suppressions = True
    fix_availability = FixAvailability.SOMETIMES

    def check(self, d: Suppression, ctx: Context) -> Iterator[Finding]:
        if d.problem is not None:
            message = d.problem
        else:
            assert d.rule is not None
            named = f"{d.rule.id} ({d.rule.name})"
            if d.form == "annotation" and d.resource is not None:
                message = (
                    f"{IGNORE_ANNOTATION} on {d.resource.display()} suppresses {named}, which reports nothing "
                    "there: remove the entry"
                )
            else:
                message = f"this comment suppresses {named} on line {d.covers}, which has no such finding: remove it"
        if d.resource is not None:
            fix = _remove_entry(d) if d.problem is None and d.form == "annotation" else None
            finding = ctx.finding(d.resource, d.path, message, fix=fix)
        else:
            finding = Finding(self.id, self.name, self.severity, message, Location(file=d.file))
        if d.line is not None:
            finding.location.span = Span(d.line, d.column, d.line, d.column + d.width)
        yield finding


def _remove_entry(d: Suppression) -> Fix | None:
    """The annotation without the stale entry; without the annotation when it was the only one.

    The other entries keep their text; only the separators around them are written
    anew (``", "``). An annotation that names the rule twice is left to the author.
    """
    assert d.resource is not None
    value = _data_at(d.resource.data, d.path)
    if not isinstance(value, str):
        return None
    pieces = [p.strip() for p in value.split(",") if p.strip()]
    stale = [p for p in pieces if p.split(":", 1)[0].strip() == d.token]
    if len(stale) != 1:
        return None
    kept = [p for p in pieces if p is not stale[0]]
    if kept:
        return Fix.safe(f"remove {d.token} from {IGNORE_ANNOTATION}", Edit.set(d.path, ", ".join(kept)))
    annotations = _data_at(d.resource.data, d.path[:-1])
    if isinstance(annotations, dict) and len(annotations) == 1:
        return Fix.safe(f"remove the {IGNORE_ANNOTATION} annotation", Edit.delete(d.path[:-1]))
    return Fix.safe(f"remove the {IGNORE_ANNOTATION} annotation", Edit.delete(d.path))


def _data_at(data: Any, path: Path) -> Any:
    for elem in path:
        if isinstance(data, dict):
            data = data.get(elem)
        elif isinstance(data, list) and isinstance(elem, int) and 0 <= elem < len(data):
            data = data[elem]
        else:
            return None
    return data
