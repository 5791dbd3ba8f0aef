"""GW104 route-backend-not-permitted: a cross-namespace backendRef without a ReferenceGrant."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Related, Rule
from gwlint.index.index import Index
from gwlint.model.routes import CHECKED_KINDS, CORE_GROUP, GATEWAY_GROUP, GrantTo, ReferenceGrant, Route
from gwlint.rules._routes import client_sees


class RouteBackendNotPermitted(Rule):
    id = "GW104"
    name = "route-backend-not-permitted"
    severity = Severity.ERROR
    summary = "A route refers to a Service in another namespace that no ReferenceGrant allows"
    tags = ("gateway-api", "reference")

    def subjects(self, index: Index) -> Iterable[Route]:
        return [
            r
            for r in index.routes
            if r.kind in CHECKED_KINDS and any(ref.namespace != r.namespace for ref in r.backends)
        ]

    def check(self, route: Route, ctx: Context) -> Iterator[Finding]:
        graph = ctx.index.route_graph()
        for ref in route.backends:
            if not ref.is_service or ref.namespace == route.namespace:
                continue
            grants = graph.grants_in(ref.namespace)
            if not (grants or graph.services_named(route, ref)) or graph.permitted(route, ref):
                continue  # neither the Service nor the grants of that namespace are in the input
            wanted = f"{route.kind} from namespace {route.namespace!r} to Service {ref.name!r}"
            if grants:
                why = f"none of the {len(grants)} ReferenceGrant(s) in {ref.namespace!r} admits {wanted}"
            else:
                why = f"no ReferenceGrant in {ref.namespace!r} admits {wanted}"
            yield ctx.finding(
                route.resource,
                ref.namespace_path,
                f"{route.display()} sends traffic to Service {ref.namespace}/{ref.name} in another namespace, "
                f"but {why}: the Gateway refuses the reference and {client_sees(route.kind)}",
                [Related(g.resource, ("spec", "from"), _describe(g)) for g in grants],
            )


def _describe(grant: ReferenceGrant) -> str:
    """What a grant does admit, so the reader sees how close it is."""
    sources = (
        ", ".join(
            f"{f.kind}{'' if f.group == GATEWAY_GROUP else f' (group {f.group!r})'} from {f.namespace!r}"
            for f in grant.sources
        )
        or "nothing"
    )
    targets = ", ".join(_target(t) for t in grant.targets) or "nothing"
    return f"{grant.resource.display()} admits {sources} to {targets}"


def _target(t: GrantTo) -> str:
    """A ``to`` entry in words; a group that is not the core group is named (``core`` is not it)."""
    named = t.kind if t.name is None else f"{t.kind} {t.name!r}"
    if t.group == CORE_GROUP:
        return named
    if t.group == "core":
        return f"{named} (group 'core', which is not the core group: write \"\" or omit it)"
    return f"{named} (group {t.group!r})"
