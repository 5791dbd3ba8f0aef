"""Gateway API routes, their Service backends, and the ReferenceGrants that admit them.

Routes (``HTTPRoute``, ``GRPCRoute``, ``TLSRoute``, ``TCPRoute``, ``UDPRoute``) are read
the same way in ``v1``, ``v1beta1`` and ``v1alpha2``: only ``spec.rules[].backendRefs[]``
carries client traffic. A ``RequestMirror`` filter's ``backendRef`` is left out on
purpose: mirrored responses are discarded, and a mirror that cannot be resolved is
not a 5xx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from gwlint.core.datapath import Path, dotted
from gwlint.core.records import Frozen, Record, Value
from gwlint.model.resource import Resource, field_problem, get

if TYPE_CHECKING:
    pass

GATEWAY_GROUP = "gateway.networking.k8s.io"


ROUTE_KINDS = frozenset({"HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"})


CHECKED_KINDS = frozenset({"HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute"})


"""The route kinds whose backends GW103/GW104 check (the catalogue leaves UDPRoute out)."""


CORE_GROUP = ""


"""The core API group, in backendRefs and ReferenceGrant ``to`` alike (omitted means it too).

``core`` is not a name of it: the Gateway API defines only the empty string, and an
implementation that compares groups as written does not resolve ``group: core``.
"""


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
        return self.group == CORE_GROUP and self.kind == "Service"

    @property
    def name_path(self) -> Path:
        return (*self.path, "name")

    @property
    def port_path(self) -> Path:
        return (*self.path, "port")

    @property
    def group_path(self) -> Path:
        return (*self.path, "group")

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
            field_problem(res, rpath, f"`{dotted(rpath)}` must be a mapping")
            continue
        for j, raw in enumerate(get(res, rule, rpath, "backendRefs", "list") or []):
            ref = _backend_ref(res, raw, (*rpath, "backendRefs", j))
            if ref is not None:
                backends.append(ref)
    return Route(res, backends)


def _backend_ref(res: Resource, raw: object, path: Path) -> BackendRef | None:
    if not isinstance(raw, dict):
        field_problem(res, path, f"`{dotted(path)}` must be a mapping")
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
            t.group == CORE_GROUP and t.kind == "Service" and t.name in (None, ref.name) for t in self.targets
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
