"""Services, Ingresses, PodDisruptionBudgets and HorizontalPodAutoscalers as rules read them."""

from __future__ import annotations

from typing import Any

from gwlint.findings import Path
from gwlint.model import FieldProblem, Resource, dotted, get, string_map
from gwlint.records import Record, Value
from gwlint.selectors import LabelSelector, parse_label_selector


class ServicePort(Value):
    """A Service port; ``target`` is the targetPort with its default (the port) applied."""

    __slots__ = ("index", "name", "path", "port", "protocol", "target", "target_given")

    index: int
    name: str | None
    port: int | None
    target: int | str | None
    target_given: bool
    protocol: str
    path: Path

    def __init__(
        self,
        index: int,
        name: str | None,
        port: int | None,
        target: int | str | None,
        target_given: bool,
        protocol: str,
        path: Path,
    ) -> None:
        self.index = index
        self.name = name
        self.port = port
        self.target = target
        self.target_given = target_given
        self.protocol = protocol
        self.path = path

    @property
    def target_path(self) -> Path:
        return (*self.path, "targetPort") if self.target_given else (*self.path, "port")

    def describe(self) -> str:
        return f"port {self.name or self.port}"


class Service(Record):
    """A Service; ``selector`` is None for a selector-less Service (hand-managed endpoints)."""

    __slots__ = ("headless", "ports", "publish_not_ready", "resource", "selector", "type")

    resource: Resource
    selector: dict[str, str] | None
    type: str
    ports: list[ServicePort]
    publish_not_ready: bool
    headless: bool
    """``clusterIP: None``: DNS names the pods directly, nothing proxies through the ports."""

    def __init__(
        self,
        resource: Resource,
        selector: dict[str, str] | None,
        type: str,
        ports: list[ServicePort],
        publish_not_ready: bool,
        headless: bool = False,
    ) -> None:
        self.resource = resource
        self.selector = selector
        self.type = type
        self.ports = ports
        self.publish_not_ready = publish_not_ready
        self.headless = headless

    @property
    def selects_pods(self) -> bool:
        """Whether the Service's endpoints come from a pod selector."""
        return bool(self.selector) and self.type != "ExternalName"

    @property
    def namespace(self) -> str:
        return self.resource.namespace

    @property
    def name(self) -> str:
        return self.resource.name


def make_service(res: Resource) -> Service:
    """Parse a Service; malformed fields are GW002 problems and read as absent."""
    spec = get(res, res.data, (), "spec", "mapping") or {}
    selector = string_map(res, spec, ("spec",), "selector") or None
    stype = get(res, spec, ("spec",), "type", "string") or "ClusterIP"
    ports: list[ServicePort] = []
    for i, item in enumerate(get(res, spec, ("spec",), "ports", "list") or []):
        ppath: Path = ("spec", "ports", i)
        if not isinstance(item, dict):
            res.problems.append(FieldProblem(ppath, f"`{dotted(ppath)}` must be a mapping"))
            continue
        port = get(res, item, ppath, "port", "integer")
        target = get(res, item, ppath, "targetPort", "int-or-string")
        if isinstance(target, str) and target.isdigit():
            target = int(target)
        if target in (0, ""):  # the API server defaults both to the port, as it does absence
            target = None
        ports.append(
            ServicePort(
                index=i,
                name=get(res, item, ppath, "name", "string"),
                port=port,
                target=target if target is not None else port,
                target_given=target is not None,
                protocol=get(res, item, ppath, "protocol", "string") or "TCP",
                path=ppath,
            )
        )
    return Service(
        resource=res,
        selector=selector,
        type=stype,
        ports=ports,
        publish_not_ready=get(res, spec, ("spec",), "publishNotReadyAddresses", "boolean") is True,
        headless=get(res, spec, ("spec",), "clusterIP", "string") == "None",
    )


INGRESS_API_VERSIONS = frozenset({"networking.k8s.io/v1", "networking.k8s.io/v1beta1", "extensions/v1beta1"})
"""The Ingress APIs whose backends gwlint follows (other ``kind: Ingress`` CRDs are ignored)."""


class IngressBackend(Value):
    """A Service backend of an Ingress: ``port_number`` or ``port_name`` is set."""

    __slots__ = ("path", "port_name", "port_number", "port_path", "service")

    service: str
    port_number: int | None
    port_name: str | None
    path: Path
    port_path: Path

    def __init__(
        self,
        service: str,
        port_number: int | None,
        port_name: str | None,
        path: Path,
        port_path: Path,
    ) -> None:
        self.service = service
        self.port_number = port_number
        self.port_name = port_name
        self.path = path
        self.port_path = port_path


class Ingress(Record):
    """An Ingress (``networking.k8s.io/v1`` or a ``v1beta1`` form) and its Service backends."""

    __slots__ = ("backends", "resource")

    resource: Resource
    backends: list[IngressBackend]

    def __init__(self, resource: Resource, backends: list[IngressBackend]) -> None:
        self.resource = resource
        self.backends = backends

    @property
    def is_standard(self) -> bool:
        """Whether this is a Kubernetes Ingress (one of :data:`INGRESS_API_VERSIONS`)."""
        return self.resource.api_version in INGRESS_API_VERSIONS


def _backend(res: Resource, raw: Any, path: Path) -> IngressBackend | None:
    if not isinstance(raw, dict):
        return None
    svc = get(res, raw, path, "service", "mapping")
    if svc is not None:  # networking.k8s.io/v1
        spath = (*path, "service")
        name = get(res, svc, spath, "name", "string")
        port = get(res, svc, spath, "port", "mapping") or {}
        number = get(res, port, (*spath, "port"), "number", "integer")
        pname = get(res, port, (*spath, "port"), "name", "string")
        if name is None:
            return None
        key = "number" if number is not None else "name"
        return IngressBackend(name, number, pname, (*spath, "name"), (*spath, "port", key))
    name = get(res, raw, path, "serviceName", "string")
    if name is None:
        return None
    sport = get(res, raw, path, "servicePort", "int-or-string")
    if isinstance(sport, str) and sport.isdigit():
        sport = int(sport)
    return IngressBackend(
        name,
        sport if isinstance(sport, int) else None,
        sport if isinstance(sport, str) else None,
        (*path, "serviceName"),
        (*path, "servicePort"),
    )


def make_ingress(res: Resource) -> Ingress:
    """Collect every Service backend of an Ingress (default backend and path backends)."""
    spec = get(res, res.data, (), "spec", "mapping") or {}
    backends: list[IngressBackend] = []
    for key in ("defaultBackend", "backend"):
        b = _backend(res, get(res, spec, ("spec",), key, "mapping"), ("spec", key))
        if b:
            backends.append(b)
    for i, rule in enumerate(get(res, spec, ("spec",), "rules", "list") or []):
        rpath: Path = ("spec", "rules", i)
        http = get(res, rule, rpath, "http", "mapping") if isinstance(rule, dict) else None
        if http is None:
            continue
        for j, p in enumerate(get(res, http, (*rpath, "http"), "paths", "list") or []):
            ppath = (*rpath, "http", "paths", j)
            if isinstance(p, dict):
                b = _backend(res, get(res, p, ppath, "backend", "mapping"), (*ppath, "backend"))
                if b:
                    backends.append(b)
    return Ingress(res, backends)


class PodDisruptionBudget(Record):
    """A PDB: its selector (None selects nothing) and its budget."""

    __slots__ = ("max_unavailable", "min_available", "resource", "selector")

    resource: Resource
    selector: LabelSelector | None
    min_available: int | str | None
    max_unavailable: int | str | None

    def __init__(
        self,
        resource: Resource,
        selector: LabelSelector | None,
        min_available: int | str | None,
        max_unavailable: int | str | None,
    ) -> None:
        self.resource = resource
        self.selector = selector
        self.min_available = min_available
        self.max_unavailable = max_unavailable


def make_pdb(res: Resource) -> PodDisruptionBudget:
    """Parse a PodDisruptionBudget (``policy/v1`` or ``v1beta1``)."""
    spec = get(res, res.data, (), "spec", "mapping") or {}
    return PodDisruptionBudget(
        res,
        parse_label_selector(res, spec, ("spec",), "selector"),
        get(res, spec, ("spec",), "minAvailable", "int-or-string"),
        get(res, spec, ("spec",), "maxUnavailable", "int-or-string"),
    )


class HorizontalPodAutoscaler(Record):
    """An HPA's target and replica bounds (``minReplicas`` defaults to 1)."""

    __slots__ = ("max_replicas", "min_replicas", "resource", "target_api_version", "target_kind", "target_name")

    resource: Resource
    target_kind: str | None
    target_name: str | None
    target_api_version: str | None
    min_replicas: int
    max_replicas: int | None

    def __init__(
        self,
        resource: Resource,
        target_kind: str | None,
        target_name: str | None,
        target_api_version: str | None,
        min_replicas: int,
        max_replicas: int | None,
    ) -> None:
        self.resource = resource
        self.target_kind = target_kind
        self.target_name = target_name
        self.target_api_version = target_api_version
        self.min_replicas = min_replicas
        self.max_replicas = max_replicas


def make_hpa(res: Resource) -> HorizontalPodAutoscaler:
    """Parse a HorizontalPodAutoscaler (``autoscaling/v1`` or ``v2``)."""
    spec = get(res, res.data, (), "spec", "mapping") or {}
    ref = get(res, spec, ("spec",), "scaleTargetRef", "mapping") or {}
    rpath: Path = ("spec", "scaleTargetRef")
    min_replicas = get(res, spec, ("spec",), "minReplicas", "integer")
    return HorizontalPodAutoscaler(
        res,
        get(res, ref, rpath, "kind", "string"),
        get(res, ref, rpath, "name", "string"),
        get(res, ref, rpath, "apiVersion", "string"),
        1 if min_replicas is None else min_replicas,
        get(res, spec, ("spec",), "maxReplicas", "integer"),
    )


__all__ = [
    "INGRESS_API_VERSIONS",
    "HorizontalPodAutoscaler",
    "Ingress",
    "IngressBackend",
    "LabelSelector",
    "PodDisruptionBudget",
    "Service",
    "ServicePort",
    "make_hpa",
    "make_ingress",
    "make_pdb",
    "make_service",
]
