"""GW304 readiness-equals-liveness: one check decides both "send traffic" and "restart".

Readiness should fail when the pod is busy (take it out of rotation); liveness should
fail only when the process is stuck. With the same handler, an overloaded pod fails
both, and the kubelet restarts it, which moves its load to the others and spreads the
overload.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Related, Rule
from gwlint.index.index import Index
from gwlint.model.workloads import Container, Probe, Workload
from gwlint.rules._probes import handler_path, resolved_port


def handler_key(container: Container, probe: Probe) -> tuple[str, ...] | None:
    """What a probe checks, with named ports resolved; None when the handler is incomplete."""
    if probe.handler == "exec":
        return ("exec", *probe.command) if probe.command else None
    if probe.handler not in ("httpGet", "tcpSocket", "grpc") or probe.port is None:
        return None
    port = str(resolved_port(container, probe.port))
    if probe.handler == "httpGet":
        return ("httpGet", probe.http_path or "/", port)
    if probe.handler == "grpc":
        return ("grpc", port, probe.grpc_service or "")
    return ("tcpSocket", port)


def describe(key: tuple[str, ...]) -> str:
    """A handler key in words, for the message."""
    kind, *rest = key
    if kind == "httpGet":
        return f"httpGet {rest[0]} on port {rest[1]}"
    if kind == "grpc":
        return f"grpc on port {rest[0]}" + (f" service {rest[1]!r}" if rest[1] else "")
    if kind == "tcpSocket":
        return f"tcpSocket on port {rest[0]}"
    return f"exec {' '.join(rest)!r}"


class ReadinessEqualsLiveness(Rule):
    id = "GW304"
    name = "readiness-equals-liveness"
    severity = Severity.WARNING
    summary = "The readiness and liveness probes of a serving container run the same check"
    tags = ("probes",)

    def subjects(self, index: Index) -> Iterable[Workload]:
        return index.serving_workloads()

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        for c in ctx.index.serving_containers(workload):
            live, ready = c.liveness, c.readiness
            if live is None or ready is None:
                continue
            key = handler_key(c, live)
            if key is None or key != handler_key(c, ready):
                continue
            yield ctx.finding(
                workload.resource,
                handler_path(live),
                f"the livenessProbe of container {c.name!r} of {workload.display()} runs the same check "
                f"as its readinessProbe ({describe(key)}): an overloaded pod is restarted instead of "
                "only taken out of rotation",
                [Related(workload.resource, handler_path(ready), "the readinessProbe with the same check")],
            )
