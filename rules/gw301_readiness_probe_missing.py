"""GW301 readiness-probe-missing: a serving container gets traffic before it is ready."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Rule
from gwlint.index.index import Index
from gwlint.model.workloads import Workload


class ReadinessProbeMissing(Rule):
    id = "GW301"
    name = "readiness-probe-missing"
    severity = Severity.ERROR
    summary = "A serving container has no readinessProbe"
    tags = ("probes",)

    def subjects(self, index: Index) -> Iterable[Workload]:
        return index.serving_workloads()

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        for c in ctx.index.serving_containers(workload):
            if c.readiness is None:
                yield ctx.finding(
                    workload.resource,
                    c.name_path,
                    f"container {c.name!r} of {workload.display()} serves traffic but has no "
                    "readinessProbe: it receives requests as soon as it starts",
                )
