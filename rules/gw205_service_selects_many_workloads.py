"""GW205 service-selects-many-workloads: one Service splits its traffic across workloads."""

from __future__ import annotations

from collections.abc import Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Related
from gwlint.model.service import Service
from gwlint.rules._service_ports import ServicePortRule

VERSION_KEYS = ("version", "track")
"""Pod labels that tell versions of one app apart (Istio's ``version``, a canary ``track``)."""


class ServiceSelectsManyWorkloads(ServicePortRule):
    id = "GW205"
    name = "service-selects-many-workloads"
    severity = Severity.NOTE
    summary = "A Service selects the pod templates of more than one workload"
    tags = ("service", "selector")

    def check(self, svc: Service, ctx: Context) -> Iterator[Finding]:
        assert svc.selector is not None
        workloads = [copies[0] for copies in ctx.index.backend_groups(svc)]
        if len(workloads) < 2 or all(w.is_batch for w in workloads):
            return
        split_keys = {*VERSION_KEYS, *ctx.index.subset_label_keys(svc)}
        if any(len({w.labels.get(key) for w in workloads}) > 1 for key in split_keys):
            return  # versions of one app behind one Service: a deliberate split (canary, Istio subsets)
        shown = ", ".join(w.display() for w in workloads[:5]) + (", ..." if len(workloads) > 5 else "")
        selector = ", ".join(f"{k}: {v}" for k, v in svc.selector.items())
        yield ctx.finding(
            svc.resource,
            ("spec", "selector"),
            f"{svc.resource.display()} (selector {selector}) selects the pods of {len(workloads)} "
            f"workloads ({shown}): its traffic is split between them",
            [Related(w.resource, w.labels_path, f"pod template of {w.display()}") for w in workloads],
        )
