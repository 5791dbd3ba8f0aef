"""GW304 readiness-equals-liveness: one check decides both "send traffic" and "restart", at once.

Readiness should fail when the pod is busy (take it out of rotation); liveness should
fail only when the process is stuck. With the same handler and about the same failure
window, an overloaded pod fails both together, and the kubelet restarts it, which moves
its load to the others and spreads the overload. The same cheap endpoint with a clearly
longer liveness window is the pattern the Kubernetes documentation recommends: the pod
leaves the Service long before it would be restarted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Related, Rule
from gwlint.index.index import Index
from gwlint.model.workloads import Container, Probe, Workload
from gwlint.rules._probes import handler_path, resolved_port

WINDOW_FACTOR = 2
"""A liveness failure window at least this many times the readiness one is "clearly longer"."""


def handler_key(container: Container, probe: Probe) -> tuple[str, ...] | None:
    """What a probe checks, with named ports resolved; None when the handler is incomplete."""
    if probe.handler == "exec":
        return ("exec", *probe.command) if probe.command else None
    if probe.handler not in ("httpGet", "tcpSocket", "grpc") or probe.port is None:
        return None
    port = str(resolved_port(container, probe.port))
    if probe.handler == "httpGet":
        return ("httpGet", probe.http_path or "/", port, *probe.http_request)
    if probe.handler == "grpc":
        return ("grpc", port, probe.grpc_service or "")
    return ("tcpSocket", port)


def describe(key: tuple[str, ...]) -> str:
    """A handler key in words, for the message."""
    kind, *rest = key
    if kind == "httpGet":
        path, port, host, scheme, *headers = rest
        extra = "".join(
            (
                f" {scheme}" if scheme != "HTTP" else "",
                f" host {host}" if host else "",
                f" with {len(headers)} header(s)" if headers else "",
            )
        )
        return f"httpGet {path} on port {port}{extra}"
    if kind == "grpc":
        return f"grpc on port {rest[0]}" + (f" service {rest[1]!r}" if rest[1] else "")
    if kind == "tcpSocket":
        return f"tcpSocket on port {rest[0]}"
    return f"exec {' '.join(rest)!r}"


class ReadinessEqualsLiveness(Rule):
    id = "GW304"
    name = "readiness-equals-liveness"
    severity = Severity.WARNING
    summary = (
        "The liveness probe of a serving container runs its readiness check with a failure window not clearly longer"
    )
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
            if live.failure_window >= WINDOW_FACTOR * ready.failure_window:
                continue  # out of rotation long before a restart: the documented pattern
            relation, effect = _compared(live, ready)
            yield ctx.finding(
                workload.resource,
                handler_path(live),
                f"the livenessProbe of container {c.name!r} of {workload.display()} runs the same check "
                f"as its readinessProbe ({describe(key)}) and restarts the container after {_window(live)} "
                f"of failures, {relation} the {_window(ready)} after which readiness takes it out of "
                f"rotation: an overloaded pod is restarted {effect}; give liveness a failure window of at "
                f"least {WINDOW_FACTOR * ready.failure_window}s, or a check of its own",
                [Related(workload.resource, handler_path(ready), "the readinessProbe with the same check")],
            )


def _window(probe: Probe) -> str:
    return f"{probe.failure_window}s (periodSeconds {probe.period} * failureThreshold {probe.failure_threshold})"


def _compared(live: Probe, ready: Probe) -> tuple[str, str]:
    """How the two windows compare, and what that does to an overloaded pod."""
    if live.failure_window < ready.failure_window:
        return "sooner than", "before it is even taken out of rotation"
    relation = "the same as" if live.failure_window == ready.failure_window else "not even twice"
    return relation, "about as soon as it is taken out of rotation"
