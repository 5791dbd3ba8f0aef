"""GW201 service-selects-no-pods: a Service whose selector matches no pod template."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Related, Rule
from gwlint.index.index import Index
from gwlint.model.podlabels import controller_mismatch, template_part
from gwlint.model.service import Service
from gwlint.model.workloads import Workload
from gwlint.rules._incomplete import lowered

SYSTEM_NAMESPACE = "kube-system"


class ServiceSelectsNoPods(Rule):
    id = "GW201"
    name = "service-selects-no-pods"
    severity = Severity.ERROR
    summary = "A Service's selector matches no pod template in its namespace"
    tags = ("service", "selector")

    def subjects(self, index: Index) -> Iterable[Service]:
        return [s for s in index.services if s.selects_pods]

    def check(self, svc: Service, ctx: Context) -> Iterator[Finding]:
        assert svc.selector is not None
        index = ctx.index
        wanted = template_part(svc.selector)
        if not wanted:
            return  # only labels set at run time: nothing a template could contradict
        candidates = index.select_map(svc.namespace, wanted)
        if any(controller_mismatch(w, svc.selector) is None for w in candidates):
            return
        if _pods_from_elsewhere(svc, index):
            return
        shown = ", ".join(f"{k}: {v}" for k, v in svc.selector.items())
        if candidates:
            closest: Workload | None = _named_like(candidates, svc.name)
            assert closest is not None
            detail = f"closest is {closest.display()} ({controller_mismatch(closest, svc.selector)})"
        else:
            closest = index.closest(svc.namespace, wanted, svc.name)
            if closest is None:
                detail = f"no pod template in namespace {svc.namespace!r} has these labels"
            else:
                diffs = []
                for k, v in wanted.items():
                    have = closest.labels.get(k)
                    if have != v:
                        diffs.append(f"{k}: {v} vs {k}: {have}" if have is not None else f"{k}: {v} vs no {k} label")
                detail = f"closest is {closest.display()} ({'; '.join(diffs)})"
        related = []
        if closest is not None:
            related.append(Related(closest.resource, closest.labels_path, f"closest pod template: {closest.display()}"))
        severity, incomplete = lowered(index, svc.namespace)
        yield ctx.finding(
            svc.resource,
            ("spec", "selector"),
            f"Service {svc.namespace}/{svc.name} selects no pods (selector {shown}): {detail}{incomplete}",
            related,
            severity,
        )


def _pods_from_elsewhere(svc: Service, index: Index) -> bool:
    """Whether the Service's pods come from something other than a template of the input.

    The cluster's own components (kube-system, when the input has no template there),
    an operator's custom resource, or none at all for an SMI TrafficSplit apex Service.
    """
    assert svc.selector is not None
    if svc.namespace == SYSTEM_NAMESPACE and not index.workloads_in(SYSTEM_NAMESPACE):
        return True
    if index.is_traffic_split_apex(svc):
        return True
    return index.operator_pods_owner(svc.namespace, svc.selector.items()) is not None


def _named_like(workloads: list[Workload], name: str) -> Workload | None:
    """The workload named like the Service, else the first one."""
    for w in workloads:
        if w.resource.name == name:
            return w
    return workloads[0] if workloads else None
