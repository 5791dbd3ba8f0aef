"""GW202 service-target-port-not-exposed: a numeric targetPort that no selected container declares."""

from __future__ import annotations

from collections.abc import Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Related
from gwlint.index.service_ports import declared_ports, match_target, ports_path
from gwlint.model.service import Service
from gwlint.rules._service_ports import ServicePortRule


class ServiceTargetPortNotExposed(ServicePortRule):
    id = "GW202"
    name = "service-target-port-not-exposed"
    severity = Severity.ERROR
    summary = "A numeric targetPort is not a containerPort of the selected pods"
    tags = ("service", "ports")

    def check(self, svc: Service, ctx: Context) -> Iterator[Finding]:
        groups = ctx.index.backend_groups(svc)
        if not groups:
            return  # GW201's business
        for sp in svc.ports:
            target = sp.target
            if not isinstance(target, int):
                continue
            # found with another protocol is GW204's finding
            if any(match_target(g, sp).found for g in groups):
                continue
            if any(ctx.index.may_listen_undeclared(w, target) for g in groups for w in g):
                continue
            workloads = [g[0] for g in groups]
            what = f"targetPort {target}" if sp.target_given else f"port {target} (the targetPort defaults to it)"
            declared = "; ".join(f"{w.display()} declares {declared_ports(w)}" for w in workloads)
            yield ctx.finding(
                svc.resource,
                sp.target_path,
                f"{what} of {svc.resource.display()} is not a containerPort of the pods it selects "
                f"({declared}): connections are refused, 502",
                [Related(w.resource, ports_path(w), f"container ports of {w.display()}") for w in workloads],
            )
