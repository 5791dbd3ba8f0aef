"""GW401 prestop-hook-missing: a serving container stops before the proxies stop sending to it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Rule
from gwlint.index.index import Index
from gwlint.model.workloads import Workload


class PrestopHookMissing(Rule):
    id = "GW401"
    name = "prestop-hook-missing"
    severity = Severity.WARNING
    summary = "A serving container has no lifecycle.preStop hook"
    tags = ("termination", "rollout")

    def subjects(self, index: Index) -> Iterable[Workload]:
        return index.serving_workloads()

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        for c in ctx.index.serving_containers(workload):
            if c.prestop is None:
                yield ctx.finding(
                    workload.resource,
                    c.name_path,
                    f"container {c.name!r} of {workload.display()} serves traffic but has no "
                    "lifecycle.preStop hook: it stops before the proxies stop sending to it",
                )
            elif c.prestop.handler is None:
                yield ctx.finding(
                    workload.resource,
                    c.prestop.path,
                    f"the lifecycle.preStop hook of container {c.name!r} of {workload.display()} has no "
                    "handler (sleep, exec or httpGet): the API server rejects it",
                )
