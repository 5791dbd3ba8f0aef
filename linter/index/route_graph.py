"""Route → Service edges and the ReferenceGrants that admit them, built once per run.

Which routes send to a Service, and whether a cross-namespace reference is granted, are
questions about two objects at once: they are answered here, in the index, for every rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from gwlint.core.records import Value
from gwlint.model.routes import BackendRef, ReferenceGrant, Route
from gwlint.model.service import Service


class RouteBackend(Value):
    """A route entry that sends traffic to a particular Service."""

    __slots__ = ("ref", "route")

    route: Route
    ref: BackendRef

    def __init__(self, route: Route, ref: BackendRef) -> None:
        self.route = route
        self.ref = ref


class RouteGraph:
    """Route → Service edges and ReferenceGrant lookups, built once in linear time."""

    def __init__(
        self,
        services: Iterable[Service],
        grants: Iterable[ReferenceGrant],
        routes: Iterable[Route],
    ) -> None:
        self._services: dict[tuple[str, str], list[Service]] = defaultdict(list)
        for svc in services:
            self._services[(svc.namespace, svc.name)].append(svc)
        self._grants: dict[str, list[ReferenceGrant]] = defaultdict(list)
        for grant in grants:
            self._grants[grant.resource.namespace].append(grant)
        self._backing: dict[int, list[RouteBackend]] = defaultdict(list)
        for route in routes:
            for ref in route.backends:
                if not ref.is_service or not self.permitted(route, ref):
                    continue
                for svc in self._services.get((ref.namespace, ref.name), []):
                    self._backing[id(svc)].append(RouteBackend(route, ref))

    def services_named(self, ref: BackendRef) -> list[Service]:
        """Every Service the entry names (more than one only when the input repeats it)."""
        return self._services.get((ref.namespace, ref.name), [])

    def grants_in(self, namespace: str) -> list[ReferenceGrant]:
        """The ReferenceGrants of a namespace, in input order."""
        return self._grants.get(namespace, [])

    def permitted(self, route: Route, ref: BackendRef) -> bool:
        """Same-namespace entries always are; cross-namespace ones need a ReferenceGrant."""
        if ref.namespace == route.namespace:
            return True
        return any(g.admits(route, ref) for g in self._grants.get(ref.namespace, []))

    def backing(self, svc: Service) -> list[RouteBackend]:
        """Route entries that send traffic to ``svc`` (cross-namespace ones only when granted)."""
        return self._backing.get(id(svc), [])
