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
        selected = index.service_pods(svc)
        if selected:
            yield from _other_files_only(svc, selected, ctx)
            return
        candidates = index.select_map(svc.namespace, wanted, svc.resource.doc.file)
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


def _other_files_only(svc: Service, selected: list[Workload], ctx: Context) -> Iterator[Finding]:
    """A note when the Service's own file defines pod templates, but it selects only those of other files.

    A folder of examples shares one namespace: a Service whose selector was copied from
    another example selects that example's pods and none of its own file's, so nothing
    else reports the broken selector.
    """
    assert svc.selector is not None
    file = svc.resource.doc.file
    if any(w.resource.doc.file == file for w in selected):
        return
    wanted = template_part(svc.selector)
    own = [
        w
        for w in ctx.index.workloads_in(svc.namespace)
        if w.resource.doc.file == file and not w.is_batch and any(k in w.labels for k in wanted)
    ]
    if not own:
        return
    closest = max(
        own, key=lambda w: (sum(w.labels.get(k) == v for k, v in wanted.items()), w.resource.name == svc.name)
    )
    diffs = "; ".join(
        f"{k}: {v} vs {k}: {closest.labels[k]}" if k in closest.labels else f"{k}: {v} vs no {k} label"
        for k, v in wanted.items()
        if closest.labels.get(k) != v
    )
    elsewhere = selected[0]
    more = f" and {len(selected) - 1} more" if len(selected) > 1 else ""
    yield ctx.finding(
        svc.resource,
        ("spec", "selector"),
        f"{svc.resource.display()} selects none of the pod templates of its own file, only those of other "
        f"files ({elsewhere.display()} in {elsewhere.resource.doc.file}{more}): closest in its file is "
        f"{closest.display()} ({diffs}); if the selector was copied from another app, it sends there",
        [
            Related(closest.resource, closest.labels_path, f"pod template in the same file: {closest.display()}"),
            Related(elsewhere.resource, elsewhere.labels_path, f"selected instead: {elsewhere.display()}"),
        ],
        Severity.NOTE,
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
