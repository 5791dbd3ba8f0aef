"""Gateway API routes, their Service backends, and the ReferenceGrants that admit them.

Routes (``HTTPRoute``, ``GRPCRoute``, ``TLSRoute``, ``TCPRoute``, ``UDPRoute``) are read
the same way in ``v1``, ``v1beta1`` and ``v1alpha2``: only ``spec.rules[].backendRefs[]``
carries client traffic. A ``RequestMirror`` filter's ``backendRef`` is left out on
purpose: mirrored responses are discarded, and a mirror that cannot be resolved is
dropped by the Gateway without failing the rule, so it never causes a 5xx.

:class:`RouteGraph` answers "which Service does this entry name?", "may it?" and "which
routes send traffic to this Service?" through dictionaries built in one pass.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Final

from gwlint.findings import Path
from gwlint.model import FieldProblem, Resource, dotted, get
from gwlint.operators import makes_pods
from gwlint.records import Frozen, Record, Value
from gwlint.services import Service

if TYPE_CHECKING:
    from gwlint.index import Index

GATEWAY_GROUP = "gateway.networking.k8s.io"
ROUTE_KINDS = frozenset({"HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"})
CHECKED_KINDS = frozenset({"HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute"})
"""The route kinds whose backends GW103/GW104 check (the catalogue leaves UDPRoute out)."""
CORE_GROUPS = frozenset({"", "core"})
"""``group`` values that mean the core API group (``core`` is accepted as a common spelling)."""


class BackendRef(Value):
    """One ``backendRefs`` entry; ``namespace`` has the route's namespace applied."""

    __slots__ = ("group", "kind", "name", "namespace", "path", "port")

    group: str
    kind: str
    name: str
    namespace: str
    port: int | None
    path: Path

    def __init__(self, group: str, kind: str, name: str, namespace: str, port: int | None, path: Path) -> None:
        self.group = group
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.port = port
        self.path = path

    @property
    def is_service(self) -> bool:
        """Whether the entry names a core Service (the default kind)."""
        return self.group in CORE_GROUPS and self.kind == "Service"

    @property
    def name_path(self) -> Path:
        return (*self.path, "name")

    @property
    def port_path(self) -> Path:
        return (*self.path, "port")

    @property
    def namespace_path(self) -> Path:
        return (*self.path, "namespace")


class Route(Record):
    """A Gateway API route and the backends its rules send traffic to."""

    __slots__ = ("backends", "resource")

    resource: Resource
    backends: list[BackendRef]

    def __init__(self, resource: Resource, backends: list[BackendRef]) -> None:
        self.resource = resource
        self.backends = backends

    @property
    def kind(self) -> str:
        return self.resource.kind

    @property
    def namespace(self) -> str:
        return self.resource.namespace

    def display(self) -> str:
        return self.resource.display()


def is_gateway_api(res: Resource) -> bool:
    """Whether the object belongs to the Gateway API group (any version)."""
    return res.group == GATEWAY_GROUP


def make_route(res: Resource) -> Route:
    """Collect the ``backendRefs`` of every rule; malformed entries are GW002 and skipped."""
    spec = get(res, res.data, (), "spec", "mapping") or {}
    backends: list[BackendRef] = []
    for i, rule in enumerate(get(res, spec, ("spec",), "rules", "list") or []):
        rpath: Path = ("spec", "rules", i)
        if not isinstance(rule, dict):
            res.problems.append(FieldProblem(rpath, f"`{dotted(rpath)}` must be a mapping"))
            continue
        for j, raw in enumerate(get(res, rule, rpath, "backendRefs", "list") or []):
            ref = _backend_ref(res, raw, (*rpath, "backendRefs", j))
            if ref is not None:
                backends.append(ref)
    return Route(res, backends)


def _backend_ref(res: Resource, raw: object, path: Path) -> BackendRef | None:
    if not isinstance(raw, dict):
        res.problems.append(FieldProblem(path, f"`{dotted(path)}` must be a mapping"))
        return None
    name = get(res, raw, path, "name", "string")
    group = get(res, raw, path, "group", "string")
    kind = get(res, raw, path, "kind", "string")
    namespace = get(res, raw, path, "namespace", "string")
    port = get(res, raw, path, "port", "integer")
    if not name:
        return None
    return BackendRef(
        group=group or "",
        kind=kind or "Service",
        name=name,
        namespace=namespace or res.namespace,
        port=port,
        path=path,
    )


class GrantFrom(Frozen):
    """A ``ReferenceGrant`` ``from`` entry: who may refer."""

    __slots__ = ("group", "kind", "namespace")

    group: Final[str]
    kind: Final[str]
    namespace: Final[str]

    def __init__(self, group: str, kind: str, namespace: str) -> None:
        self.group = group
        self.kind = kind
        self.namespace = namespace


class GrantTo(Frozen):
    """A ``ReferenceGrant`` ``to`` entry: what may be referred to (``name`` None: any)."""

    __slots__ = ("group", "kind", "name")

    group: Final[str]
    kind: Final[str]
    name: Final[str | None]

    def __init__(self, group: str, kind: str, name: str | None) -> None:
        self.group = group
        self.kind = kind
        self.name = name


class ReferenceGrant(Record):
    """A ``ReferenceGrant`` (``v1``, ``v1beta1`` or ``v1alpha2``) in its namespace."""

    __slots__ = ("resource", "sources", "targets")

    resource: Resource
    sources: list[GrantFrom]
    targets: list[GrantTo]

    def __init__(self, resource: Resource, sources: list[GrantFrom], targets: list[GrantTo]) -> None:
        self.resource = resource
        self.sources = sources
        self.targets = targets

    def admits(self, route: Route, ref: BackendRef) -> bool:
        """Whether this grant lets ``route`` refer to the Service ``ref`` names."""
        if ref.namespace != self.resource.namespace:
            return False
        source_ok = any(
            f.group == GATEWAY_GROUP and f.kind == route.kind and f.namespace == route.namespace for f in self.sources
        )
        return source_ok and any(
            t.group in CORE_GROUPS and t.kind == "Service" and t.name in (None, ref.name) for t in self.targets
        )


def make_reference_grant(res: Resource) -> ReferenceGrant:
    """Parse a ReferenceGrant; entries missing a required field are skipped."""
    spec = get(res, res.data, (), "spec", "mapping") or {}
    sources: list[GrantFrom] = []
    for i, raw in enumerate(get(res, spec, ("spec",), "from", "list") or []):
        path: Path = ("spec", "from", i)
        if isinstance(raw, dict):
            kind = get(res, raw, path, "kind", "string")
            group = get(res, raw, path, "group", "string")
            namespace = get(res, raw, path, "namespace", "string")
            if kind and namespace:
                sources.append(GrantFrom(group or "", kind, namespace))
    targets: list[GrantTo] = []
    for i, raw in enumerate(get(res, spec, ("spec",), "to", "list") or []):
        path = ("spec", "to", i)
        if isinstance(raw, dict):
            kind = get(res, raw, path, "kind", "string")
            group = get(res, raw, path, "group", "string")
            name = get(res, raw, path, "name", "string")
            if kind:
                targets.append(GrantTo(group or "", kind, name or None))
    return ReferenceGrant(res, sources, targets)


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

    def __init__(self, index: Index) -> None:
        self._services: dict[tuple[str, str], list[Service]] = defaultdict(list)
        for svc in index.services:
            self._services[(svc.namespace, svc.name)].append(svc)
        self._grants: dict[str, list[ReferenceGrant]] = defaultdict(list)
        for grant in index.reference_grants:
            self._grants[grant.resource.namespace].append(grant)
        self._operator_objects: set[tuple[str, str]] = {
            (res.namespace, res.name) for res in index.resources if makes_pods(res) and index.workload_of(res) is None
        }
        self._backing: dict[int, list[RouteBackend]] = defaultdict(list)
        for route in index.routes:
            for ref in route.backends:
                if not ref.is_service or not self.permitted(route, ref):
                    continue
                for svc in self._services.get((ref.namespace, ref.name), []):
                    self._backing[id(svc)].append(RouteBackend(route, ref))

    def services_named(self, ref: BackendRef) -> list[Service]:
        """Every Service the entry names (more than one only when the input repeats it)."""
        return self._services.get((ref.namespace, ref.name), [])

    def operator_made(self, ref: BackendRef) -> bool:
        """Whether the Service is probably made by an operator from one of its resources.

        Operators create Services named after their custom resources (a KubeRay
        ``RayService`` ``rayllm`` makes ``rayllm-head-svc``), so such a name is not missing.
        """
        parts = ref.name.split("-")
        return any((ref.namespace, "-".join(parts[:i])) in self._operator_objects for i in range(1, len(parts) + 1))

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
