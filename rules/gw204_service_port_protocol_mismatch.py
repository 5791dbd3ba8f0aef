"""GW204 service-port-protocol-mismatch: a named target port exists in the pods with another protocol."""

from __future__ import annotations

from collections.abc import Iterator

from gwlint.core.datapath import Path
from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Related
from gwlint.index.service_ports import TargetMatch, is_port_name, match_target
from gwlint.model.service import Service, ServicePort
from gwlint.rules._service_ports import ServicePortRule


class ServicePortProtocolMismatch(ServicePortRule):
    id = "GW204"
    name = "service-port-protocol-mismatch"
    severity = Severity.ERROR
    summary = "The target container port exists, but with another protocol"
    tags = ("service", "ports")

    def check(self, svc: Service, ctx: Context) -> Iterator[Finding]:
        groups = ctx.index.backend_groups(svc)
        for sp in svc.ports:
            # A number reaches the pod whatever protocol its (informational) declaration
            # names; only a name is resolved in each pod, by name and protocol together.
            if not isinstance(sp.target, str) or not is_port_name(sp.target):
                continue
            matches = [match_target(g, sp) for g in groups]
            wrong = [m for m in matches if m.other_protocol and not m.exact]
            if wrong:
                yield self._finding(svc, sp, wrong, ctx)

    def _finding(self, svc: Service, sp: ServicePort, wrong: list[TargetMatch], ctx: Context) -> Finding:
        given = sp.protocol_given
        path: Path = (*sp.path, "protocol") if given else sp.target_path
        declared = "/".join(sorted({p.protocol for m in wrong for _, p in m.other_protocol}))
        where = "; ".join(
            f"{m.workload.display()} container {c.name!r} declares {p.number}/{p.protocol}"
            for m in wrong
            for c, p in m.other_protocol[:1]
        )
        what = f"targetPort {sp.target!r}" if sp.target_given else f"port {sp.target}"
        protocol = sp.protocol if given else f"{sp.protocol} (the default)"
        return ctx.finding(
            svc.resource,
            path,
            f"{what} of {svc.resource.display()} is {protocol}, but the pods declare it as {declared} "
            f"({where}): {sp.protocol} connections to it fail",
            [
                Related(m.workload.resource, p.path, f"{p.protocol} port of {m.workload.display()}")
                for m in wrong
                for _, p in m.other_protocol[:1]
            ],
        )
