"""GW501 pdb-missing: nothing stops a node drain from evicting every pod of a workload at once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Related, Rule
from gwlint.index.index import Index
from gwlint.model.rollout import spec_value_given
from gwlint.model.workloads import Workload


class PdbMissing(Rule):
    id = "GW501"
    name = "pdb-missing"
    severity = Severity.WARNING
    summary = "A serving workload with more than one replica has no PodDisruptionBudget"
    tags = ("disruption",)

    def subjects(self, index: Index) -> Iterable[Workload]:
        return index.serving_workloads()

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        floor = ctx.index.replica_floor(workload)
        if floor is None or floor.count <= 1 or ctx.index.pdbs_for(workload):
            return
        related = []
        if floor.hpa is not None:
            path: tuple[str, ...] = ("spec",)
            related.append(
                Related(
                    floor.hpa.resource,
                    ("spec", "minReplicas"),
                    f"{floor.hpa.resource.display()} keeps at least {floor.count} replicas",
                )
            )
        else:
            path = ("spec", "replicas") if spec_value_given(workload.resource, "replicas") else ("spec",)
        yield ctx.finding(
            workload.resource,
            path,
            f"{workload.display()} serves traffic with {floor.describe()} and no PodDisruptionBudget selects "
            "its pods: a node drain may evict them all at once",
            related,
        )
