"""GW303 liveness-kills-before-ready: the container is restarted before it can be ready.

When the liveness probe's kill budget ends no later than the moment the readiness probe
first runs, the kubelet restarts the container before it is ever marked ready: the pod
never gets an endpoint, and a rollout of it never completes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Related, Rule
from gwlint.index.index import Index
from gwlint.model.workloads import Workload
from gwlint.rules._probes import budget_text, delay_path, kills_before_ready


class LivenessKillsBeforeReady(Rule):
    id = "GW303"
    name = "liveness-kills-before-ready"
    severity = Severity.ERROR
    summary = "The liveness probe restarts a serving container before its readiness probe can pass"
    tags = ("probes",)

    def subjects(self, index: Index) -> Iterable[Workload]:
        return index.serving_workloads()

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        for c in ctx.index.serving_containers(workload):
            pair = kills_before_ready(c)
            if pair is None:
                continue
            live, ready = pair
            yield ctx.finding(
                workload.resource,
                live.path,
                f"container {c.name!r} of {workload.display()} has no startupProbe, and its livenessProbe "
                f"restarts it after {budget_text(live)}, not later than its readinessProbe starts "
                f"(initialDelaySeconds {ready.initial_delay}): an application that needs the time its "
                "readiness probe waits for is restarted before it can ever become ready",
                [Related(workload.resource, delay_path(ready), "readinessProbe starts here")],
            )
