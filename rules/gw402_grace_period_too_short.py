"""GW402 grace-period-too-short: the preStop sleep leaves the application no time to shut down.

The preStop hook runs inside the grace period. What happens when the sleep is not
shorter depends on the hook: the API server rejects a native ``sleep`` action longer
than the grace period (nothing rolls out); the kubelet cuts an exec sleep off when the
grace period ends. Either way the application then gets only the kubelet's 2-second
minimum between SIGTERM and SIGKILL.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator

from gwlint.core.datapath import Path
from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Edit, Fix, FixAvailability, Related, Rule
from gwlint.index.index import Index
from gwlint.model.workloads import Container, PreStop, Workload
from gwlint.rules._termination import DEFAULT_GRACE, MINIMUM_GRACE, SLEEP_ACTION_SINCE


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


SHUTDOWN_SECONDS = DEFAULT_GRACE
"""What the fix adds to the longest sleep for the app's own shutdown: the time Kubernetes gives it by default."""


class GracePeriodTooShort(Rule):
    id = "GW402"
    name = "grace-period-too-short"
    severity = Severity.ERROR
    summary = "terminationGracePeriodSeconds is not longer than the preStop sleep"
    tags = ("termination", "rollout")
    fix_availability = FixAvailability.SOMETIMES

    def subjects(self, index: Index) -> Iterable[Workload]:
        return index.serving_workloads()

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        written = _grace_written(workload)
        if written and workload.grace_period is None:
            return  # malformed: GW002 reports it
        grace = DEFAULT_GRACE if workload.grace_period is None else workload.grace_period
        containers = ctx.index.serving_containers(workload)
        fix = _fix(workload, containers, written)
        for c in containers:
            prestop = c.prestop
            if prestop is None or prestop.seconds is None or grace > prestop.seconds:
                continue
            bounded = fix if not math.isinf(prestop.seconds) else None
            yield self._finding(workload, c, prestop, prestop.seconds, grace, written, ctx, bounded)

    def _finding(
        self,
        workload: Workload,
        c: Container,
        prestop: PreStop,
        sleep: float,
        grace: int,
        written: bool,
        ctx: Context,
        fix: Fix | None,
    ) -> Finding:
        grace_text = f"terminationGracePeriodSeconds {grace}" + ("" if written else " (the default)")
        hook = f"the preStop hook of container {c.name!r} of {workload.display()}"
        last = f"the application gets only the kubelet's {MINIMUM_GRACE}-second minimum after SIGTERM to finish"
        advice = "make the grace period longer than the sleep plus the application's own shutdown time"
        if math.isinf(sleep):
            message = (
                f"{hook} sleeps forever (sleep infinity): the kubelet cuts the hook off when the "
                f"{_seconds(grace)} grace period ends, every time, and {last}; sleep for a bounded time instead"
            )
        elif prestop.handler == "sleep" and ctx.kube_version < SLEEP_ACTION_SINCE:
            message = (
                f"{hook} uses the sleep action, which needs Kubernetes 1.30 (kube-version is "
                f"{ctx.kube_version}): the API server drops or rejects it; and its {_seconds(sleep)} are not "
                f"shorter than {grace_text} either: use an exec sleep and {advice}"
            )
        elif prestop.handler == "sleep" and sleep > grace:
            message = (
                f"{hook} uses the sleep action for {_seconds(sleep)}, longer than {grace_text}: the API "
                f"server rejects the {workload.resource.kind} (sleep.seconds must not exceed "
                f"terminationGracePeriodSeconds), so nothing rolls out; {advice}"
            )
        elif sleep == grace:
            message = (
                f"{hook} sleeps {_seconds(sleep)}, as long as {grace_text}: the hook uses the whole grace "
                f"period, and {last} its requests; {advice}"
            )
        else:
            message = (
                f"{hook} sleeps {_seconds(sleep)} and {grace_text} is shorter: the kubelet cuts the hook off "
                f"after {_seconds(grace)}, sends SIGTERM, and {last} its requests; {advice}"
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
        return ctx.finding(workload.resource, _duration_path(prestop), message, related, fix=fix)


def _fix(workload: Workload, containers: list[Container], written: bool) -> Fix | None:
    """One grace period for every container of the pod: the longest bounded sleep plus the default shutdown time."""
    sleeps = [c.prestop.seconds for c in containers if c.prestop is not None and c.prestop.seconds is not None]
    bounded = [s for s in sleeps if not math.isinf(s)]
    if not bounded:
        return None
    grace = math.ceil(max(bounded)) + SHUTDOWN_SECONDS
    path = (*workload.spec_path, "terminationGracePeriodSeconds")
    edit = (
        Edit.set(path, grace)
        if written
        else Edit.insert(workload.spec_path, "terminationGracePeriodSeconds", grace, after=())
    )
    return Fix.unsafe(f"set terminationGracePeriodSeconds: {grace}", edit)
