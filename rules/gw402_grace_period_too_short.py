"""GW402 grace-period-too-short: the kubelet kills a container before its preStop drain ends."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator

from gwlint.core.datapath import Path
from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Related, Rule
from gwlint.index.index import Index
from gwlint.model.workloads import Container, PreStop, Workload

DEFAULT_GRACE = 30
"""``terminationGracePeriodSeconds`` when the pod spec does not set it."""


def _seconds(value: float) -> str:
    return f"{int(value)}s" if value == int(value) else f"{value:g}s"


def _duration_path(prestop: PreStop) -> Path:
    """The node holding the sleep: ``sleep.seconds`` or the exec ``command``."""
    if prestop.handler == "sleep":
        return (*prestop.path, "sleep", "seconds")
    if prestop.handler == "exec":
        return (*prestop.path, "exec", "command")
    return prestop.path


def _grace_written(workload: Workload) -> bool:
    """Whether the pod spec writes a grace period (then a None read means it was malformed)."""
    node: object = workload.resource.data
    for key in workload.spec_path:
        node = node.get(key) if isinstance(node, dict) else None
    return isinstance(node, dict) and node.get("terminationGracePeriodSeconds") is not None


class GracePeriodTooShort(Rule):
    id = "GW402"
    name = "grace-period-too-short"
    severity = Severity.ERROR
    summary = "terminationGracePeriodSeconds is not longer than the preStop sleep"
    tags = ("termination", "rollout")

    def subjects(self, index: Index) -> Iterable[Workload]:
        return index.serving_workloads()

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        written = _grace_written(workload)
        if written and workload.grace_period is None:
            return  # malformed: GW002 reports it
        grace = DEFAULT_GRACE if workload.grace_period is None else workload.grace_period
        for c in ctx.index.serving_containers(workload):
            prestop = c.prestop
            if prestop is None or prestop.seconds is None or grace > prestop.seconds:
                continue
            yield self._finding(workload, c, prestop, prestop.seconds, grace, written, ctx)

    def _finding(
        self,
        workload: Workload,
        c: Container,
        prestop: PreStop,
        sleep: float,
        grace: int,
        written: bool,
        ctx: Context,
    ) -> Finding:
        grace_text = f"terminationGracePeriodSeconds {grace}" + ("" if written else " (the default)")
        if math.isinf(sleep):
            message = (
                f"the preStop hook of container {c.name!r} of {workload.display()} sleeps forever "
                f"(sleep infinity): the kubelet kills the container when the {_seconds(grace)} grace "
                "period ends, every time; sleep for a bounded time instead"
            )
        else:
            message = (
                f"the preStop hook of container {c.name!r} of {workload.display()} sleeps {_seconds(sleep)} "
                f"and {grace_text} is not longer: the kubelet kills the container before the drain ends; "
                "make the grace period longer than the sleep plus the app's own shutdown time"
            )
        related = []
        if written:
            related.append(
                Related(
                    workload.resource,
                    (*workload.spec_path, "terminationGracePeriodSeconds"),
                    f"{grace_text} is set here",
                )
            )
        return ctx.finding(workload.resource, _duration_path(prestop), message, related)
