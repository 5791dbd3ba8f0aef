"""GW003 duplicate-resource: the same object twice in one run; the later silently wins."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Related, Rule
from gwlint.index.index import Duplicate, Index


class DuplicateResource(Rule):
    id = "GW003"
    name = "duplicate-resource"
    severity = Severity.WARNING
    summary = "The same group, kind, namespace and name appear twice"
    tags = ("input",)

    def subjects(self, index: Index) -> Iterable[Duplicate]:
        return index.duplicates

    def check(self, subject: Duplicate, ctx: Context) -> Iterator[Finding]:
        first, dup = subject.first, subject.resource
        where = f"{first.doc.file}:{first.doc.start_line + 1}"
        yield ctx.finding(
            dup,
            ("metadata", "name"),
            f"{dup.display()} is defined again (first at {where}); the later definition replaces "
            "the earlier one on apply",
            [Related(first, ("metadata", "name"), "first definition")],
        )
