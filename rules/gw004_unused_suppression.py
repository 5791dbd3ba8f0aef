"""GW004 unused-suppression: a suppression that silences nothing, so it can only go stale."""

from __future__ import annotations

from collections.abc import Iterator

from gwlint.core.findings import Finding, Location, Severity, Span
from gwlint.engine.api import IGNORE_ANNOTATION, Context, Rule, Suppression


class UnusedSuppression(Rule):
    id = "GW004"
    name = "unused-suppression"
    severity = Severity.NOTE
    summary = "A gwlint.io/ignore annotation or # gwlint: ignore comment silences nothing"
    tags = ("input", "suppression")
    after_suppressions = True

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
            finding = ctx.finding(d.resource, d.path, message)
        else:
            finding = Finding(self.id, self.name, self.severity, message, Location(file=d.file))
        if d.line is not None:
            finding.location.span = Span(d.line, d.column, d.line, d.column + d.width)
        yield finding
