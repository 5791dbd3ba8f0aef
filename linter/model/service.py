"""Services as rules read them: selector, ports with their targets, type and headlessness."""

from __future__ import annotations

from gwlint.core.datapath import Path, dotted
from gwlint.core.records import Record, Value
from gwlint.model.resource import Resource, field_problem, get, string_map


class ServicePort(Value):
    """A Service port; ``target`` is the targetPort with its default (the port) applied."""

    __slots__ = ("index", "name", "path", "port", "protocol", "protocol_given", "target", "target_given")

    index: int
    name: str | None
    port: int | None
    target: int | str | None
    target_given: bool
    protocol: str
    protocol_given: bool
    """``protocol`` is written (else it is the default, TCP)."""
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
        protocol_given: bool = False,
    ) -> None:
        self.index = index
        self.name = name
        self.port = port
        self.target = target
        self.target_given = target_given
        self.protocol = protocol
        self.protocol_given = protocol_given
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
            field_problem(res, ppath, f"`{dotted(ppath)}` must be a mapping")
            continue
        port = get(res, item, ppath, "port", "integer")
        target = get(res, item, ppath, "targetPort", "int-or-string")
        if isinstance(target, str) and target.isdigit():
            target = int(target)
        if target in (0, ""):  # the API server defaults both to the port, as it does absence
            target = None
        protocol = get(res, item, ppath, "protocol", "string")
        ports.append(
            ServicePort(
                index=i,
                name=get(res, item, ppath, "name", "string"),
                port=port,
                target=target if target is not None else port,
                target_given=target is not None,
                protocol=protocol or "TCP",
                path=ppath,
                protocol_given=protocol is not None,
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
