"""GW404 rollout-takes-all-down: a rolling update allowed to stop every pod at once.

Each controller resolves its bounds its own way: a Deployment rounds ``maxUnavailable``
down against its replicas, a StatefulSet rounds down but takes at least one (and honours
the field only from Kubernetes 1.35), a DaemonSet rounds up against its nodes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Related, Rule
from gwlint.index.index import Index
from gwlint.model.rollout import IntOrPercent
from gwlint.model.workloads import Workload

if TYPE_CHECKING:
    from gwlint.index.replicas import ReplicaFloor

DEFAULT_BOUND = 25
"""The API default of a Deployment's ``maxUnavailable`` and ``maxSurge``: 25%."""
STATEFULSET_MAX_UNAVAILABLE_SINCE = (1, 35)
"""The first release where a StatefulSet's ``maxUnavailable`` takes effect by default (feature beta)."""


def _plural(n: int) -> str:
    return f"{n} pod{'s' if n != 1 else ''}"


class RolloutTakesAllDown(Rule):
    id = "GW404"
    name = "rollout-takes-all-down"
    severity = Severity.ERROR
    summary = "A RollingUpdate's maxUnavailable lets every pod be down at once"
    tags = ("rollout",)

    def subjects(self, index: Index) -> Iterable[Workload]:
        return [
            w
            for w in index.workloads
            if w.kind in ("Deployment", "StatefulSet", "DaemonSet")
            and w.strategy is not None
            and w.strategy.type == "RollingUpdate"
            and not w.strategy.malformed
            and index.is_serving(w)
        ]

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        if workload.kind == "DaemonSet":
            yield from self._daemonset(workload, ctx)
            return
        floor = ctx.index.replica_floor(workload)
        if floor is None or floor.count <= 0:
            return
        related = [] if floor.hpa is None else [_hpa_related(floor)]
        if workload.kind == "Deployment":
            yield from self._deployment(workload, floor, related, ctx)
        else:
            yield from self._statefulset(workload, floor, related, ctx)

    def _deployment(
        self, workload: Workload, floor: ReplicaFloor, related: list[Related], ctx: Context
    ) -> Iterator[Finding]:
        strategy = workload.strategy
        assert strategy is not None
        default = IntOrPercent(DEFAULT_BOUND, True, strategy.rolling_path)
        unavailable = default if strategy.max_unavailable is None else strategy.max_unavailable
        surge = default if strategy.max_surge is None else strategy.max_surge
        res = workload.resource
        if unavailable.is_zero and surge.is_zero:
            yield ctx.finding(
                res,
                unavailable.path,
                f"maxUnavailable and maxSurge of {workload.display()} are both 0: the API server rejects "
                "the Deployment and nothing rolls out; set maxSurge to 1 or more",
            )
            return
        if unavailable.percent and unavailable.value > 100:
            yield ctx.finding(
                res,
                unavailable.path,
                f"maxUnavailable {unavailable.show()} of {workload.display()} is more than 100%: the API "
                "server rejects the Deployment and nothing rolls out",
            )
            return
        n = floor.count
        down = unavailable.resolve(n, round_up=False)
        up = surge.resolve(n, round_up=True)
        if down == 0 and up == 0:
            # the controller's fencepost: it takes one pod down rather than none
            if n > 1:
                return
            yield ctx.finding(
                res,
                surge.path,
                f"maxSurge {surge.show()} and maxUnavailable {unavailable.show()} both resolve to 0 for "
                f"{floor.describe()}, so the controller takes 1 pod down: every rollout of "
                f"{workload.display()} stops its only pod before a new one is ready; set maxSurge to 1 "
                "and maxUnavailable to 0",
                related,
            )
            return
        if down < n:
            return
        yield ctx.finding(
            res,
            unavailable.path,
            f"maxUnavailable {unavailable.show()} resolves to {_plural(down)} for {floor.describe()}: a "
            f"rollout of {workload.display()} may stop every pod at once (503 until new pods are ready); "
            "keep maxUnavailable below the replica count and let maxSurge add the new pods",
            related,
        )

    def _statefulset(
        self, workload: Workload, floor: ReplicaFloor, related: list[Related], ctx: Context
    ) -> Iterator[Finding]:
        strategy = workload.strategy
        assert strategy is not None
        unavailable = strategy.max_unavailable
        n = floor.count
        # The default (1) and a single replica are GW406's business: nothing else is possible.
        # Before 1.35 the controller ignores the field and updates one pod at a time.
        if unavailable is None or n <= 1 or ctx.kube_version < STATEFULSET_MAX_UNAVAILABLE_SINCE:
            return
        down = max(1, unavailable.resolve(n, round_up=False))
        if down < n:
            return
        yield ctx.finding(
            workload.resource,
            unavailable.path,
            f"maxUnavailable {unavailable.show()} resolves to {_plural(down)} for {floor.describe()}: a "
            f"rolling update of {workload.display()} may stop every pod at once (503 until they are ready "
            "again; StatefulSets honour maxUnavailable from Kubernetes 1.35); keep maxUnavailable below the "
            "replica count",
            related,
        )

    def _daemonset(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        """maxUnavailable (default 1) and maxSurge (default 0): exactly one of them must be non-zero."""
        strategy = workload.strategy
        assert strategy is not None
        unavailable, surge = strategy.max_unavailable, strategy.max_surge
        res = workload.resource
        down_zero = unavailable is not None and unavailable.is_zero
        surging = surge is not None and not surge.is_zero
        if not surging and down_zero:
            assert unavailable is not None
            yield ctx.finding(
                res,
                unavailable.path,
                f"maxUnavailable of {workload.display()} is 0 and maxSurge is 0: the API server rejects the "
                "DaemonSet (maxUnavailable cannot be 0 when maxSurge is 0) and nothing rolls out; set one of them",
            )
        elif surging and not down_zero:
            assert surge is not None
            written = "" if unavailable is None else f" {unavailable.show()}"
            yield ctx.finding(
                res,
                surge.path,
                f"maxSurge {surge.show()} of {workload.display()} is set while maxUnavailable{written} is not 0"
                + (" (its default is 1)" if unavailable is None else "")
                + ": the API server rejects the DaemonSet (maxSurge may not be set when maxUnavailable is "
                "non-zero) and nothing rolls out; set maxUnavailable: 0",
            )
        elif unavailable is not None and unavailable.percent and unavailable.value > 100:
            yield ctx.finding(
                res,
                unavailable.path,
                f"maxUnavailable {unavailable.show()} of {workload.display()} is more than 100%: the API "
                "server rejects the DaemonSet and nothing rolls out",
            )
        elif unavailable is not None and unavailable.percent and unavailable.value == 100:
            yield ctx.finding(
                res,
                unavailable.path,
                f"maxUnavailable 100% of {workload.display()} rounds up to every node: a rollout stops the "
                "pod of every node at once (503 until the new pods are ready); use a smaller percentage or a "
                "count, or maxSurge with maxUnavailable: 0",
            )


def _hpa_related(floor: ReplicaFloor) -> Related:
    assert floor.hpa is not None
    return Related(
        floor.hpa.resource,
        ("spec", "minReplicas"),
        f"{floor.hpa.resource.display()} keeps at least {floor.count} replicas",
    )
