"""GW405 recreate-strategy: a serving Deployment stops every pod before starting new ones."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Rule
from gwlint.index.index import Index
from gwlint.model.workloads import Workload


class RecreateStrategy(Rule):
    id = "GW405"
    name = "recreate-strategy"
    severity = Severity.WARNING
    summary = "A serving Deployment uses strategy.type: Recreate"
    tags = ("rollout",)

    def subjects(self, index: Index) -> Iterable[Workload]:
        return [
            w
            for w in index.workloads
            if w.kind == "Deployment"
            and w.strategy is not None
            and w.strategy.type == "Recreate"
            and index.is_serving(w)
        ]

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        assert workload.strategy is not None
        message = (
            f"{workload.display()} serves traffic with strategy.type Recreate: every pod stops before the "
            "new ones start, so each deploy answers 503 until a new pod is ready; use RollingUpdate"
        )
        claim = _claim(workload)
        if claim is not None:
            message += (
                f" (it mounts PersistentVolumeClaim {claim!r}: if that volume is ReadWriteOnce, only storage "
                "that several pods can share removes the outage)"
            )
        yield ctx.finding(workload.resource, workload.strategy.type_path, message)


def _claim(workload: Workload) -> str | None:
    """The first PersistentVolumeClaim the pod template mounts: the usual reason for Recreate."""
    return next((v.claim for v in workload.volumes if v.claim), None)
