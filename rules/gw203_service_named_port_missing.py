"""GW203 service-named-port-missing: a named targetPort that a selected pod template lacks."""

from __future__ import annotations

from collections.abc import Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Edit, Fix, FixAvailability, Related
from gwlint.index.service_ports import declared_ports, is_port_name, match_target, ports_path
from gwlint.model.service import Service, ServicePort
from gwlint.model.workloads import Workload
from gwlint.rules._service_ports import ServicePortRule


class ServiceNamedPortMissing(ServicePortRule):
    id = "GW203"
    name = "service-named-port-missing"
    severity = Severity.ERROR
    summary = "A named targetPort is not a port name in a selected pod template"
    tags = ("service", "ports")
    fix_availability = FixAvailability.SOMETIMES

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
                fix = _fix(sp, groups)
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
                fix = None  # the other pods have the name: the repair is in the pod template, not here
            yield ctx.finding(
                svc.resource,
                sp.target_path,
                message,
                [Related(w.resource, ports_path(w), f"container ports of {w.display()}") for w in culprits],
                fix=fix,
            )


def _declares_any(copies: list[Workload], numbers: set[int]) -> bool:
    return any(p.number in numbers for w in copies for c in w.port_owners for p in c.ports)


def _fix(sp: ServicePort, groups: list[list[Workload]]) -> Fix | None:
    """The targetPort every selected template declares (with the port's protocol) that was evidently meant.

    That is the one such name a single typo away from the one written, else the name
    of the only port numbered like the Service port, when every template names it alike.
    """
    assert isinstance(sp.target, str)
    names: set[str] | None = None
    by_number: set[str | None] = set()
    for copies in groups:
        ports = [p for w in copies for c in w.port_owners for p in c.ports if p.protocol == sp.protocol]
        declared = {p.name for p in ports if p.name}
        names = declared if names is None else names & declared
        same = [p for p in ports if p.number == sp.port]
        by_number.add(same[0].name if len({(p.number, p.name) for p in same}) == 1 else None)
    from gwlint.core.text import only_typo_of  # for a finding only: not at start-up

    name = only_typo_of(sp.target, names or ())
    if name is None and len(by_number) == 1:
        name = by_number.pop()
    if name is None:
        return None
    return Fix.safe(f"set targetPort to {name!r}", Edit.set(sp.target_path, name))
