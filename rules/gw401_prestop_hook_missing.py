"""GW401 prestop-hook-missing: a serving container stops before the proxies stop sending to it.

A native ``sleep`` hook on a Kubernetes release without the sleep action (kube-version
before 1.30) is as good as none; GW402 says so instead when the sleep is also too long.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from gwlint.core.findings import Finding, Severity
from gwlint.core.kubeversion import KubeVersion
from gwlint.engine.api import Context, Edit, Fix, FixAvailability, Rule
from gwlint.index.index import Index
from gwlint.model.workloads import Container, Workload
from gwlint.rules._termination import DEFAULT_GRACE, SLEEP_ACTION_SINCE

SLEEP_SECONDS = 10
"""What the fix's preStop hook sleeps: longer than proxies usually take to drop an endpoint."""


class PrestopHookMissing(Rule):
    id = "GW401"
    name = "prestop-hook-missing"
    severity = Severity.WARNING
    summary = "A serving container has no lifecycle.preStop hook"
    tags = ("termination", "rollout")
    fix_availability = FixAvailability.SOMETIMES

    def subjects(self, index: Index) -> Iterable[Workload]:
        return index.serving_workloads()

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        grace = DEFAULT_GRACE if workload.grace_period is None else workload.grace_period
        for c in ctx.index.serving_containers(workload):
            fix = _fix(c, ctx.kube_version) if grace > SLEEP_SECONDS else None
            if c.prestop is None:
                yield ctx.finding(
                    workload.resource,
                    c.name_path,
                    f"container {c.name!r} of {workload.display()} serves traffic but has no "
                    "lifecycle.preStop hook: it stops before the proxies stop sending to it",
                    fix=fix,
                )
            elif c.prestop.handler is None:
                yield ctx.finding(
                    workload.resource,
                    c.prestop.path,
                    f"the lifecycle.preStop hook of container {c.name!r} of {workload.display()} has no "
                    "handler (sleep, exec or httpGet): the API server rejects it",
                    fix=fix,
                )
            elif c.prestop.handler == "sleep" and ctx.kube_version < SLEEP_ACTION_SINCE:
                if c.prestop.seconds is not None and c.prestop.seconds >= grace:
                    continue  # GW402 reports it, with the grace period
                yield ctx.finding(
                    workload.resource,
                    (*c.prestop.path, "sleep"),
                    f"the lifecycle.preStop hook of container {c.name!r} of {workload.display()} uses the sleep "
                    f"action, which needs Kubernetes 1.30 (kube-version is {ctx.kube_version}): the API server "
                    "drops or rejects it, so the container gets no preStop delay; use an exec sleep "
                    '(`command: [sleep, "5"]`, with a sleep binary in the image)',
                    fix=_exec_instead(c),
                )


def _fix(c: Container, version: KubeVersion) -> Fix | None:
    """A preStop hook that sleeps, in the form the configured Kubernetes version runs.

    The native ``sleep`` action from 1.30; before, ``exec`` of the image's ``sleep``
    binary. It goes into the hook without a handler, else the container's ``lifecycle``,
    else a new ``lifecycle`` at the end of the container.
    """
    handler: tuple[str, Any]
    if version >= SLEEP_ACTION_SINCE:
        handler = ("sleep", {"seconds": SLEEP_SECONDS})
        title = f"add a preStop hook sleeping {SLEEP_SECONDS}s"
    else:
        handler = ("exec", {"command": ["sleep", str(SLEEP_SECONDS)]})
        title = f"add a preStop hook running `sleep {SLEEP_SECONDS}`"
    if c.prestop is not None:
        return Fix.unsafe(title, Edit.insert(c.prestop.path, *handler))
    lifecycle = c.data.get("lifecycle")
    if lifecycle is None:
        return Fix.unsafe(title, Edit.insert(c.path, "lifecycle", {"preStop": dict([handler])}))
    if isinstance(lifecycle, dict):
        return Fix.unsafe(title, Edit.insert((*c.path, "lifecycle"), "preStop", dict([handler])))
    return None


def _exec_instead(c: Container) -> Fix | None:
    """The same sleep as an exec of the image's ``sleep`` binary, for a release without the sleep action."""
    assert c.prestop is not None
    seconds = c.prestop.seconds
    if seconds is None:
        return None
    text = str(int(seconds)) if seconds == int(seconds) else f"{seconds:g}"
    return Fix.unsafe(
        f"run `sleep {text}` instead of the sleep action",
        Edit.set(c.prestop.path, {"exec": {"command": ["sleep", text]}}),
    )
