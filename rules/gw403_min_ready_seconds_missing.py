"""GW403 min-ready-seconds-missing: a pod counts as available the instant it first reports ready."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Edit, Fix, FixAvailability, Rule
from gwlint.index.index import Index
from gwlint.model.rollout import spec_value_given
from gwlint.model.workloads import Workload

MIN_READY_SECONDS = 10
"""What the fix writes: long enough to catch a pod that fails right after its first ready probe."""
KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"})
"""The kinds the catalogue names (their controllers honour ``spec.minReadySeconds``)."""


class MinReadySecondsMissing(Rule):
    id = "GW403"
    name = "min-ready-seconds-missing"
    severity = Severity.NOTE
    summary = "A serving Deployment, StatefulSet, DaemonSet or ReplicaSet has no minReadySeconds"
    tags = ("rollout",)
    fix_availability = FixAvailability.ALWAYS

    def subjects(self, index: Index) -> Iterable[Workload]:
        return [w for w in index.serving_workloads() if w.kind in KINDS]

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        value = workload.min_ready_seconds
        if value is None and spec_value_given(workload.resource, "minReadySeconds"):
            return  # malformed: GW002 reports it
        if value:
            return
        where = ("spec",) if value is None else ("spec", "minReadySeconds")
        said = "has no minReadySeconds" if value is None else "sets minReadySeconds to 0"
        edit = (
            Edit.insert(("spec",), "minReadySeconds", MIN_READY_SECONDS, after=("replicas",))
            if value is None
            else Edit.set(("spec", "minReadySeconds"), MIN_READY_SECONDS)
        )
        yield ctx.finding(
            workload.resource,
            where,
            f"{workload.display()} serves traffic and {said}: a new pod counts as available the moment "
            "its readiness probe first passes, so the rollout goes on even if it fails a few seconds later",
            fix=Fix.unsafe(f"set minReadySeconds: {MIN_READY_SECONDS}", edit),
        )
