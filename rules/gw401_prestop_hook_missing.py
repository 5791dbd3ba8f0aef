"""GW401 prestop-hook-missing: a serving container stops before the proxies stop sending to it.

A native ``sleep`` hook on a Kubernetes release without the sleep action (kube-version
before 1.30) is as good as none; GW402 says so instead when the sleep is also too long.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Rule
from gwlint.index.index import Index
from gwlint.model.workloads import Workload
from gwlint.rules._termination import DEFAULT_GRACE, SLEEP_ACTION_SINCE


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
            elif c.prestop.handler == "sleep" and ctx.kube_version < SLEEP_ACTION_SINCE:
                grace = DEFAULT_GRACE if workload.grace_period is None else workload.grace_period
                if c.prestop.seconds is not None and c.prestop.seconds >= grace:
                    continue  # GW402 reports it, with the grace period
                yield ctx.finding(
                    workload.resource,
                    (*c.prestop.path, "sleep"),
                    f"the lifecycle.preStop hook of container {c.name!r} of {workload.display()} uses the sleep "
                    f"action, which needs Kubernetes 1.30 (kube-version is {ctx.kube_version}): the API server "
                    "drops or rejects it, so the container gets no preStop delay; use an exec sleep "
                    '(`command: [sleep, "5"]`, with a sleep binary in the image)',
                )
