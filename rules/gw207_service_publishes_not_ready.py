"""GW207 service-publishes-not-ready: a Service behind a proxy also sends to unready pods."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Related, Rule
from gwlint.index.index import Index
from gwlint.model.service import Service


class ServicePublishesNotReady(Rule):
    id = "GW207"
    name = "service-publishes-not-ready"
    severity = Severity.WARNING
    summary = "A Service that backs an Ingress or route sets publishNotReadyAddresses: true"
    tags = ("service", "ingress", "routes")

    def subjects(self, index: Index) -> Iterable[Service]:
        # The flag only shapes endpoints that a selector manages.
        return [s for s in index.services if s.publish_not_ready and s.selects_pods]

    def check(self, svc: Service, ctx: Context) -> Iterator[Finding]:
        related = [
            Related(ing.resource, b.path, f"backend of {ing.resource.display()}")
            for ing, b in ctx.index.ingress_backends(svc)
        ]
        related += [
            Related(rb.route.resource, rb.ref.name_path, f"backend of {rb.route.display()}")
            for rb in ctx.index.route_backends(svc)
        ]
        if not related:
            return
        users = sorted({r.message.removeprefix("backend of ") for r in related})
        shown = ", ".join(users[:3]) + (", ..." if len(users) > 3 else "")
        yield ctx.finding(
            svc.resource,
            ("spec", "publishNotReadyAddresses"),
            f"{svc.resource.display()} backs {shown} and sets publishNotReadyAddresses: true: the "
            "proxy sends requests to pods that are not ready yet or are shutting down, 502",
            related,
        )
