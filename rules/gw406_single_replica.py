"""GW406 single-replica: a serving workload with one pod, so every restart is an outage."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Rule
from gwlint.index.index import Index
from gwlint.model.rollout import spec_value_given
from gwlint.model.workloads import Workload

KINDS = frozenset({"Deployment", "StatefulSet"})


class SingleReplica(Rule):
    id = "GW406"
    name = "single-replica"
    severity = Severity.NOTE
    summary = "A serving Deployment/StatefulSet runs one replica and no HPA targets it"
    tags = ("availability",)

    def subjects(self, index: Index) -> Iterable[Workload]:
        return [w for w in index.serving_workloads() if w.kind in KINDS]

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        floor = ctx.index.replica_floor(workload)
        if floor is None or floor.hpa is not None or floor.count != 1:
            return
        written = spec_value_given(workload.resource, "replicas")
        yield ctx.finding(
            workload.resource,
            ("spec", "replicas") if written else ("spec",),
            f"{workload.display()} serves traffic with a single replica"
            + ("" if written else " (replicas is not set, so 1)")
            + " and no HorizontalPodAutoscaler targets it: every restart, rollout or node drain is an outage",
        )
