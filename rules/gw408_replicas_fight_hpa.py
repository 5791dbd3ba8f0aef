"""GW408 replicas-fight-hpa: every apply resets the scale an HPA chose."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Edit, Fix, FixAvailability, Related, Rule
from gwlint.index.index import Index
from gwlint.model.workloads import Workload


class ReplicasFightHpa(Rule):
    id = "GW408"
    name = "replicas-fight-hpa"
    severity = Severity.WARNING
    summary = "A workload targeted by an HPA also sets spec.replicas"
    tags = ("autoscaling",)
    fix_availability = FixAvailability.ALWAYS

    def subjects(self, index: Index) -> Iterable[Workload]:
        return [w for w in index.workloads if w.replicas and index.is_serving(w) and index.hpas_for(w)]

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        hpas = ctx.index.hpas_for(workload)
        names = sorted({h.resource.name for h in hpas})
        who = (
            f"HorizontalPodAutoscaler {names[0]}" if len(names) == 1 else f"HorizontalPodAutoscalers {', '.join(names)}"
        )
        yield ctx.finding(
            workload.resource,
            ("spec", "replicas"),
            f"{workload.display()} sets replicas: {workload.replicas} and {who} scales it: every apply "
            "resets the replica count the HPA chose, dropping capacity under load; leave replicas out "
            "of the manifest",
            [
                Related(h.resource, ("spec", "scaleTargetRef"), f"{h.resource.display()} scales this workload")
                for h in hpas
            ],
            fix=Fix.safe("remove spec.replicas", Edit.delete(("spec", "replicas"))),
        )
