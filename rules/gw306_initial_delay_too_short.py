"""GW306 initial-delay-too-short: liveness kills before readiness has had a second try.

A readiness ``initialDelaySeconds`` says how long the application needs before it can
answer. A liveness probe that merely runs earlier harms nothing; one whose kill budget
ends before readiness could even retry once turns a start a little slower than that
delay into a restart. Killing before readiness's first probe is GW303's, not this rule's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Related, Rule
from gwlint.index.index import Index
from gwlint.model.workloads import Workload
from gwlint.rules._probes import budget_text, delay_path, kills_before_ready, readiness_retry


class InitialDelayTooShort(Rule):
    id = "GW306"
    name = "initial-delay-too-short"
    severity = Severity.WARNING
    summary = "The liveness probe restarts a serving container before its readiness probe could retry once"
    tags = ("probes",)

    def subjects(self, index: Index) -> Iterable[Workload]:
        return index.serving_workloads()

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        for c in ctx.index.serving_containers(workload):
            live, ready = c.liveness, c.readiness
            if live is None or ready is None or c.startup is not None:
                continue
            retry = readiness_retry(ready)
            if live.kill_budget >= retry or kills_before_ready(c) is not None:
                continue
            steps = f"periodSeconds {ready.period}" + (
                f" * successThreshold {ready.success_threshold}" if ready.success_threshold != 1 else ""
            )
            yield ctx.finding(
                workload.resource,
                live.path,
                f"container {c.name!r} of {workload.display()} has no startupProbe, and its livenessProbe "
                f"restarts it after {budget_text(live)}, before its readinessProbe could pass on a second try "
                f"({retry}s: initialDelaySeconds {ready.initial_delay} + {steps}): a start only a little "
                f"slower than the readiness delay is killed instead of becoming ready; let liveness allow at "
                f"least {retry}s, or add a startupProbe",
                [Related(workload.resource, delay_path(ready), "readinessProbe starts here")],
            )
