"""GW202 service-target-port-not-exposed: a numeric targetPort that no selected container declares."""

from __future__ import annotations

from collections.abc import Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Related
from gwlint.index.service_ports import declared_ports, match_target, ports_path
from gwlint.model.service import Service
from gwlint.model.workloads import Workload
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
        found = {sp.index: any(match_target(g, sp).found for g in groups) for sp in svc.ports}
        for sp in svc.ports:
            target = sp.target
            # found with another protocol is GW204's finding
            if not isinstance(target, int) or found[sp.index]:
                continue
            if any(ctx.index.may_listen_undeclared(w, target) for g in groups for w in g):
                continue
            workloads = [g[0] for g in groups]
            what = f"targetPort {target}" if sp.target_given else f"port {target} (the targetPort defaults to it)"
            declared = "; ".join(f"{w.display()} declares {declared_ports(w)}" for w in workloads)
            related = [Related(w.resource, ports_path(w), f"container ports of {w.display()}") for w in workloads]
            numbers = {p.number for w in workloads for c in w.port_owners for p in c.ports}
            typo = next((n for n in sorted(numbers) if _one_edit(str(target), str(n))), None)
            others = [other for other in svc.ports if other is not sp]
            reached = any(found[o.index] for o in others) or any(
                isinstance(o.target, int) and ctx.index.may_listen_undeclared(w, o.target)
                for o in others
                for w in workloads
            )
            if typo is None and (reached or any(_incomplete(w) for w in workloads)):
                # The Service reaches the pods on another port, or the pods listen on ports they
                # do not declare: this one may be an undeclared listener (an image default such
                # as epmd's 4369) as much as a mistake.
                because = (
                    "though the Service reaches them on its other ports"
                    if reached
                    else "and they listen on ports they do not declare"
                )
                yield ctx.finding(
                    svc.resource,
                    sp.target_path,
                    f"{what} of {svc.resource.display()} is not a containerPort of the pods it selects "
                    f"({declared}), {because}: if the application listens on {target} without declaring it "
                    "(a built-in default), declare the port; if not, connections to it are refused, 502",
                    related,
                    Severity.NOTE,
                )
                continue
            hints = [f"did you mean {typo}?"] if typo is not None else []
            portless = [c.name for w in workloads for c in w.port_owners if not c.ports]
            if portless:
                hints.append(f"if {', '.join(repr(n) for n in portless[:3])} listens on {target}, declare the port")
            hint = f" ({'; '.join(hints)})" if hints else ""
            yield ctx.finding(
                svc.resource,
                sp.target_path,
                f"{what} of {svc.resource.display()} is not a containerPort of the pods it selects "
                f"({declared}): connections are refused, 502{hint}",
                related,
            )


def _incomplete(w: Workload) -> bool:
    """Whether a container probes a numeric port it does not declare: its declared list is visibly partial."""
    for c in w.port_owners:
        declared = {p.number for p in c.ports}
        if any(p is not None and isinstance(p.port, int) and p.port not in declared for p in c.probes.values()):
            return True
    return False


def _one_edit(a: str, b: str) -> bool:
    """Whether two port numbers are one typo apart: a digit changed, added or dropped, or two swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
