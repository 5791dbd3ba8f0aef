"""GW201 service-selects-no-pods: a Service whose selector matches no pod template."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.findings import Finding, Severity
from gwlint.index import Index
from gwlint.rule import Context, Related, Rule
from gwlint.services import Service


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
        if ctx.index.select_map(svc.namespace, svc.selector):
            return
        shown = ", ".join(f"{k}: {v}" for k, v in svc.selector.items())
        closest = ctx.index.closest(svc.namespace, svc.selector, svc.name)
        related = []
        if closest is None:
            detail = f"no pod template in namespace {svc.namespace!r} has these labels"
        else:
            diffs = []
            for k, v in svc.selector.items():
                have = closest.labels.get(k)
                if have != v:
                    diffs.append(f"{k}: {v} vs {k}: {have}" if have is not None else f"{k}: {v} vs no {k} label")
            detail = f"closest is {closest.display()} ({'; '.join(diffs)})"
            labels_path = (*closest.template_path, "metadata", "labels")
            if not closest.template_path:
                labels_path = ("metadata", "labels")
            related.append(Related(closest.resource, labels_path, f"closest pod template: {closest.display()}"))
        yield ctx.finding(
            svc.resource,
            ("spec", "selector"),
            f"Service {svc.namespace}/{svc.name} selects no pods (selector {shown}): {detail}",
            related,
        )
