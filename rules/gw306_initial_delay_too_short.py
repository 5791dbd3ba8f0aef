"""GW306 initial-delay-too-short: liveness judges the container before it expects to be ready.

A readiness ``initialDelaySeconds`` says how long the application needs before it can
answer; a liveness probe that starts earlier checks a process that is still starting,
and a slow start turns into a restart.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Related, Rule
from gwlint.index.index import Index
from gwlint.model.workloads import Workload
from gwlint.rules._probes import delay_path, kills_before_ready


class InitialDelayTooShort(Rule):
    id = "GW306"
    name = "initial-delay-too-short"
    severity = Severity.WARNING
    summary = "The liveness probe starts earlier than the readiness probe"
    tags = ("probes",)

    def subjects(self, index: Index) -> Iterable[Workload]:
        return index.serving_workloads()

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        for c in ctx.index.serving_containers(workload):
            live, ready = c.liveness, c.readiness
            if live is None or ready is None or c.startup is not None:
                continue
            if live.initial_delay >= ready.initial_delay or kills_before_ready(c) is not None:
                continue
            yield ctx.finding(
                workload.resource,
                delay_path(live),
                f"container {c.name!r} of {workload.display()} has no startupProbe, and its livenessProbe "
                f"starts after {live.initial_delay}s, before its readinessProbe "
                f"(initialDelaySeconds {ready.initial_delay}): liveness judges the container before "
                "the application expects to be ready",
                [Related(workload.resource, delay_path(ready), "readinessProbe starts here")],
            )
