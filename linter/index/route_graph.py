"""Route → Service edges and the ReferenceGrants that admit them, built once per run.

Which routes send to a Service, and whether a cross-namespace reference is granted, are
questions about two objects at once: they are answered here, in the index, for every rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from gwlint.core.records import Value
from gwlint.index.copies import Copies
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
        services: Mapping[tuple[str, str], Copies[Service]],
        grants: Iterable[ReferenceGrant],
        routes: Iterable[Route],
    ) -> None:
        """``services``: the copies of each Service by namespace and name."""
        self._services = services
        self._grants: dict[str, list[ReferenceGrant]] = defaultdict(list)
        for grant in grants:
            self._grants[grant.resource.namespace].append(grant)
        self._backing: dict[int, list[RouteBackend]] = defaultdict(list)
        for route in routes:
            for ref in route.backends:
                if not ref.is_service or not self.permitted(route, ref):
                    continue
                for svc in self.services_named(route, ref):
                    self._backing[id(svc)].append(RouteBackend(route, ref))

    def services_named(self, route: Route, ref: BackendRef) -> list[Service]:
        """The Service the entry names: its copies in the route's file, else every copy.

        More than one only when the input repeats the Service (see :mod:`gwlint.index.copies`).
        """
        copies = self._services.get((ref.namespace, ref.name))
        return [] if copies is None else copies.pick(route.resource.doc.file)

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
