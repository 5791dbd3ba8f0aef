"""GW305 probe-port-missing: a probe names a port its container does not declare.

The kubelet resolves a named probe port against the container's own ``ports`` only.
When the name is not there the probe errors on every run, so it can never pass: a
readiness or startup probe keeps the pod out of every Service for good, and a liveness
probe never checks anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Edit, Fix, FixAvailability, Rule
from gwlint.index.index import Index
from gwlint.model.workloads import PROBES, Workload

_EFFECT = {
    "readinessProbe": "the pod never becomes ready and never receives traffic",
    "startupProbe": "the container never counts as started, so the pod never becomes ready",
    "livenessProbe": "the kubelet cannot run it, so it never checks the container",
}


class ProbePortMissing(Rule):
    id = "GW305"
    name = "probe-port-missing"
    severity = Severity.ERROR
    summary = "A probe uses a named port that its container does not declare"
    tags = ("probes", "ports")
    fix_availability = FixAvailability.SOMETIMES

    def subjects(self, index: Index) -> Iterable[Workload]:
        # Not limited to serving containers: a probe that can never pass is broken on any
        # long-running pod, and an unready sidecar keeps a serving pod out of its Service.
        return [w for w in index.workloads if not w.is_batch]

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        for c in workload.port_owners:
            for kind in PROBES:
                probe = c.probes.get(kind)
                if probe is None or probe.handler not in ("httpGet", "tcpSocket"):
                    continue
                port = probe.port
                if not isinstance(port, str) or port.isdigit() or c.port_number(port) is not None:
                    continue
                names = {p.name for p in c.ports if p.name}
                declared = ", ".join(sorted(names)) or "none"
                path = (*probe.path, probe.handler, "port")
                from gwlint.core.text import only_typo_of  # for a finding only: not at start-up

                name = only_typo_of(port, names)
                yield ctx.finding(
                    workload.resource,
                    path,
                    f"the {kind} of container {c.name!r} of {workload.display()} uses port {port!r}, "
                    f"which the container does not declare (named ports: {declared}): the probe can "
                    f"never pass; {_EFFECT[kind]}",
                    fix=None if name is None else Fix.safe(f"probe port {name!r}", Edit.set(path, name)),
                )
