"""GW203 service-named-port-missing: a named targetPort that a selected pod template lacks."""

from __future__ import annotations

from collections.abc import Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Related
from gwlint.index.service_ports import declared_ports, is_port_name, match_target, ports_path
from gwlint.model.service import Service
from gwlint.model.workloads import Workload
from gwlint.rules._service_ports import ServicePortRule


class ServiceNamedPortMissing(ServicePortRule):
    id = "GW203"
    name = "service-named-port-missing"
    severity = Severity.ERROR
    summary = "A named targetPort is not a port name in a selected pod template"
    tags = ("service", "ports")

    def check(self, svc: Service, ctx: Context) -> Iterator[Finding]:
        groups = ctx.index.backend_groups(svc)
        for sp in svc.ports:
            if not isinstance(sp.target, str) or not is_port_name(sp.target):
                continue
            matches = [match_target(g, sp) for g in groups]
            # a template that has the name with another protocol is GW204's finding
            lacking = [(g, m.workload) for g, m in zip(groups, matches, strict=True) if not m.found]
            if not lacking:
                continue
            if len(lacking) == len(groups):
                shown = "; ".join(f"{w.display()} declares {declared_ports(w)}" for _, w in lacking)
                message = (
                    f"targetPort {sp.target!r} of {svc.resource.display()} is not the name of a port in "
                    f"the pods it selects ({shown}): the Service has no endpoints for it, 503"
                )
                culprits = [w for _, w in lacking]
            else:
                # Routing a port only to the pods that name it is what named ports are for;
                # a pod that has the same number under another name was meant to serve it.
                numbers = {p.number for m in matches for _, p in (*m.exact, *m.other_protocol)}
                culprits = [w for g, w in lacking if _declares_any(g, numbers)]
                if not culprits:
                    continue
                shown = "; ".join(f"{w.display()} declares {declared_ports(w)}" for w in culprits)
                message = (
                    f"targetPort {sp.target!r} of {svc.resource.display()} names a port that other pods "
                    f"it selects declare, but {shown} without that name: those pods get no endpoint for it"
                )
            yield ctx.finding(
                svc.resource,
                sp.target_path,
                message,
                [Related(w.resource, ports_path(w), f"container ports of {w.display()}") for w in culprits],
            )


def _declares_any(copies: list[Workload], numbers: set[int]) -> bool:
    return any(p.number in numbers for w in copies for c in w.port_owners for p in c.ports)
