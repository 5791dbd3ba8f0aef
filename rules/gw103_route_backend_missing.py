"""GW103 route-backend-missing: a Gateway API route sends traffic to a Service or port that is not there."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Edit, Fix, FixAvailability, Related, Rule
from gwlint.index.index import Index
from gwlint.model.routes import CHECKED_KINDS, CORE_GROUP, BackendRef, Route
from gwlint.rules._incomplete import lowered
from gwlint.rules._routes import client_sees

TYPO_SCAN_LIMIT = 500
"""Most Service names of one namespace compared with a missing name to suggest a typo."""


class RouteBackendMissing(Rule):
    id = "GW103"
    name = "route-backend-missing"
    severity = Severity.ERROR
    summary = "A route's backendRefs entry names a Service or Service port that is not in the input"
    tags = ("gateway-api", "reference")
    fix_availability = FixAvailability.SOMETIMES

    def subjects(self, index: Index) -> Iterable[Route]:
        return [r for r in index.routes if r.kind in CHECKED_KINDS and r.backends]

    def check(self, route: Route, ctx: Context) -> Iterator[Finding]:
        graph = ctx.index.route_graph()
        for ref in route.backends:
            if ref.group == "core" and ref.kind == "Service":
                yield ctx.finding(
                    route.resource,
                    ref.group_path,
                    f"{route.display()} refers to Service {ref.namespace}/{ref.name} with `group: core`, which "
                    f"is no API group: the core group is {CORE_GROUP!r} (or the field omitted), so the Gateway "
                    f"does not resolve the reference and {client_sees(route.kind)}",
                )
                continue
            if not ref.is_service:
                continue
            target = f"Service {ref.namespace}/{ref.name}"
            services = graph.services_named(route, ref)
            if not services:
                if ctx.index.operator_service_owner(ref.namespace, ref.name) is not None:
                    continue  # an operator makes Services named after its resource
                evidence = _evidence(ctx.index, route, ref)
                if evidence is not None:
                    hint, related = evidence
                    severity, incomplete = lowered(ctx.index, ref.namespace)
                    yield ctx.finding(
                        route.resource,
                        ref.name_path,
                        f"{route.display()} sends traffic to {target}, which is not in the input{hint}: "
                        f"the Gateway {client_sees(route.kind)}{incomplete}",
                        related,
                        severity,
                        fix=None if incomplete else _fix(ctx.index, ref),
                    )
                continue
            exposed = sorted({p.port for svc in services for p in svc.ports if p.port is not None})
            shown = ", ".join(map(str, exposed)) or "no ports"
            related = [Related(svc.resource, ("spec", "ports"), f"{target} exposes {shown}") for svc in services]
            if ref.port is None:
                yield ctx.finding(
                    route.resource,
                    ref.name_path,
                    f"{route.display()} refers to {target} without a `port`: a Service backend needs "
                    f"one (the Service exposes {shown}), and the API server rejects the route "
                    '("Must have port for Service reference")',
                    related,
                )
            elif ref.port not in exposed:
                message = (
                    f"{route.display()} sends traffic to port {ref.port} of {target}, which exposes "
                    f"{shown}: the Gateway {client_sees(route.kind)}"
                )
                linted = [svc for svc in services if not svc.resource.context_only]
                if route.resource.context_only and linted:
                    # only the Service is linted (the route came with --context): report there
                    yield ctx.finding(
                        linted[0].resource,
                        ("spec", "ports"),
                        message,
                        [Related(route.resource, ref.port_path, f"port {ref.port} in {route.display()}")],
                    )
                else:
                    yield ctx.finding(route.resource, ref.port_path, message, related)


def _evidence(index: Index, route: Route, ref: BackendRef) -> tuple[str, list[Related]] | None:
    """Why the Service should be in the input (a hint and related locations), or None.

    None means nothing in the input relates to it: the Service is deployed elsewhere.
    """
    names = index.names
    elsewhere = [s for s in names.services_by_name.get(ref.name, []) if s.namespace != ref.namespace]
    if elsewhere:
        svc = elsewhere[0]
        return (
            f" (a Service of that name is in namespace {svc.namespace!r}: set the entry's `namespace`)",
            [Related(svc.resource, ("metadata", "name"), f"{svc.resource.display()} (other namespace)")],
        )
    candidates = [s.name for s in names.services_in.get(ref.namespace, [])]
    # typos are looked for in namespaces of ordinary size only, so the run stays linear
    close = []
    if len(candidates) <= TYPO_SCAN_LIMIT:
        import difflib  # only for a hint: most runs never need it, and it costs start-up time

        close = difflib.get_close_matches(ref.name, candidates, n=1, cutoff=0.8)
    if close:
        similar = next(s for s in names.services_by_name[close[0]] if s.namespace == ref.namespace)
        return f" (did you mean {close[0]!r}?)", [
            Related(similar.resource, ("metadata", "name"), f"similar Service: {similar.resource.display()}")
        ]
    labelled = names.workloads_by_label_value.get((ref.namespace, ref.name))
    if labelled:
        w = labelled[0]
        return (
            f" (the pods of {w.display()} are labelled {ref.name!r}, but no Service of that name exists)",
            [Related(w.resource, (*w.template_path, "metadata", "labels"), f"pods of {w.display()}")],
        )
    if (route.resource.doc.file, ref.namespace) in names.app_files:
        return "", []
    return None


def _fix(index: Index, ref: BackendRef) -> Fix | None:
    """The Service of the namespace evidently meant: the only name one typo away, exposing the entry's port."""
    names = index.names
    if names.services_by_name.get(ref.name):
        return None  # a Service of that name in another namespace: set the namespace or the name, the author's call
    from gwlint.core.text import only_typo_of  # for a finding only: not at start-up

    name = only_typo_of(ref.name, names.service_one_edit_away(ref.namespace, ref.name))
    if name is None:
        return None
    services = [s for s in names.services_by_name[name] if s.namespace == ref.namespace]
    if ref.port is not None and not any(p.port == ref.port for s in services for p in s.ports):
        return None
    return Fix.safe(f"send to Service {name!r}", Edit.set(ref.name_path, name))
