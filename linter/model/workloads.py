"""Pod owners and their pod templates: containers, ports, probes, preStop hooks.

Parsed once when the model is built, with every field type-checked, so the probe,
rollout and Service rules all read the same validated view.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gwlint.core.datapath import Path, dotted
from gwlint.core.records import Record, Value
from gwlint.model.prestop import exec_sleep_seconds
from gwlint.model.resource import Resource, field_problem, get, string_map
from gwlint.model.rollout import UpdateStrategy, parse_min_ready_seconds, parse_update_strategy
from gwlint.model.selectors import LabelSelector, parse_label_selector

TEMPLATE_PATHS: dict[str, Path] = {
    "Deployment": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "ReplicationController": ("spec", "template"),
    "Job": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
    "Pod": (),
    "Rollout": ("spec", "template"),
}
"""Built-in pod owners and where their pod template sits (a Pod is its own template)."""

REPLICATED_KINDS = frozenset({"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Rollout"})
BATCH_KINDS = frozenset({"Job", "CronJob"})
PROBES = ("readinessProbe", "livenessProbe", "startupProbe")
HANDLERS = ("httpGet", "tcpSocket", "exec", "grpc")


class ContainerPort(Value):
    """A declared ``containerPort`` with its name and protocol (default TCP)."""

    __slots__ = ("name", "number", "path", "protocol")

    number: int
    name: str | None
    protocol: str
    path: Path

    def __init__(self, number: int, name: str | None, protocol: str, path: Path) -> None:
        self.number = number
        self.name = name
        self.protocol = protocol
        self.path = path


class Probe(Value):
    """A probe with defaults applied (initial delay 0, period 10, failure threshold 3, success threshold 1)."""

    __slots__ = (
        "command",
        "failure_threshold",
        "grpc_service",
        "handler",
        "http_path",
        "http_request",
        "initial_delay",
        "path",
        "period",
        "port",
        "success_threshold",
    )

    path: Path
    handler: str | None
    port: int | str | None
    http_path: str | None
    http_request: tuple[str, ...]
    """The rest of an httpGet request: host, scheme, then the headers as ``name: value`` (names lower-cased, sorted)."""
    command: tuple[str, ...] | None
    grpc_service: str | None
    initial_delay: int
    period: int
    failure_threshold: int
    success_threshold: int

    def __init__(
        self,
        path: Path,
        handler: str | None,
        port: int | str | None,
        http_path: str | None,
        command: tuple[str, ...] | None,
        grpc_service: str | None,
        initial_delay: int,
        period: int,
        failure_threshold: int,
        success_threshold: int = 1,
        http_request: tuple[str, ...] = (),
    ) -> None:
        self.path = path
        self.handler = handler
        self.port = port
        self.http_path = http_path
        self.http_request = http_request
        self.command = command
        self.grpc_service = grpc_service
        self.initial_delay = initial_delay
        self.period = period
        self.failure_threshold = failure_threshold
        self.success_threshold = success_threshold

    @property
    def kill_budget(self) -> int:
        """Seconds a container may take to start before this liveness or startup probe restarts it.

        The upper end: the kubelet counts the failures from the first probe at or after the
        delay, so the kill may come up to one period earlier.
        """
        return self.initial_delay + self.period * self.failure_threshold

    @property
    def failure_window(self) -> int:
        """Seconds a started container may fail this probe before it acts (out of rotation, or restart)."""
        return self.period * self.failure_threshold


class PreStop(Value):
    """A preStop hook and how long it waits: None when unknown, ``math.inf`` when unbounded."""

    __slots__ = ("handler", "path", "seconds")

    path: Path
    handler: str | None
    seconds: float | None

    def __init__(self, path: Path, handler: str | None, seconds: float | None) -> None:
        self.path = path
        self.handler = handler
        self.seconds = seconds


class Container(Record):
    """A container of a pod template (regular, init, or native sidecar)."""

    __slots__ = (
        "argv",
        "config_maps",
        "data",
        "env_values",
        "init",
        "mounts",
        "name",
        "path",
        "ports",
        "prestop",
        "probes",
        "sidecar",
    )

    name: str
    path: Path
    data: dict[str, Any]
    init: bool
    sidecar: bool
    ports: list[ContainerPort]
    probes: dict[str, Probe | None]
    prestop: PreStop | None
    argv: tuple[str, ...]
    """``command`` then ``args``, numbers as their text."""
    env_values: tuple[str, ...]
    """The literal ``env[].value`` texts."""
    config_maps: tuple[str, ...]
    """ConfigMaps it imports: ``envFrom[].configMapRef`` and ``env[].valueFrom.configMapKeyRef``."""
    mounts: tuple[str, ...]
    """The volumes it mounts (``volumeMounts[].name``)."""

    def __init__(
        self,
        name: str,
        path: Path,
        data: dict[str, Any],
        init: bool,
        sidecar: bool,
        ports: list[ContainerPort] | None = None,
        probes: dict[str, Probe | None] | None = None,
        prestop: PreStop | None = None,
        argv: tuple[str, ...] = (),
        env_values: tuple[str, ...] = (),
        config_maps: tuple[str, ...] = (),
        mounts: tuple[str, ...] = (),
    ) -> None:
        self.name = name
        self.path = path
        self.data = data
        self.init = init
        self.sidecar = sidecar
        self.ports = [] if ports is None else ports
        self.probes = {} if probes is None else probes
        self.prestop = prestop
        self.argv = argv
        self.env_values = env_values
        self.config_maps = config_maps
        self.mounts = mounts

    @property
    def name_path(self) -> Path:
        """Where findings about something missing in this container point."""
        return (*self.path, "name") if "name" in self.data else self.path

    def port_number(self, port: int | str | None) -> int | None:
        """A probe or Service port resolved against this container's declared ports."""
        if isinstance(port, int):
            return port
        for p in self.ports:
            if port is not None and p.name == port:
                return p.number
        return None

    @property
    def readiness(self) -> Probe | None:
        return self.probes.get("readinessProbe")

    @property
    def liveness(self) -> Probe | None:
        return self.probes.get("livenessProbe")

    @property
    def startup(self) -> Probe | None:
        return self.probes.get("startupProbe")


class Volume(Value):
    """A pod volume as the rules read it: the claim it mounts and the ConfigMaps it projects."""

    __slots__ = ("claim", "config_maps", "name", "path")

    name: str | None
    path: Path
    claim: str | None
    """``persistentVolumeClaim.claimName``."""
    config_maps: tuple[str, ...]
    """``configMap.name`` and the ``projected.sources[].configMap.name`` entries."""

    def __init__(self, name: str | None, path: Path, claim: str | None, config_maps: tuple[str, ...]) -> None:
        self.name = name
        self.path = path
        self.claim = claim
        self.config_maps = config_maps


class Workload(Record):
    """A pod owner: the object, its pod template, and the owner-level fields rules read."""

    __slots__ = (
        "containers",
        "grace_period",
        "init_containers",
        "labels",
        "min_ready_seconds",
        "replicas",
        "resource",
        "selector",
        "selector_present",
        "spec_path",
        "strategy",
        "template_annotations",
        "template_path",
        "volumes",
    )

    resource: Resource
    template_path: Path
    labels: dict[str, str]
    template_annotations: dict[str, str]
    spec_path: Path
    containers: list[Container]
    init_containers: list[Container]
    grace_period: int | None
    replicas: int | None
    selector: LabelSelector | None
    selector_present: bool
    strategy: UpdateStrategy | None
    min_ready_seconds: int | None
    volumes: list[Volume]

    def __init__(
        self,
        resource: Resource,
        template_path: Path,
        labels: dict[str, str],
        template_annotations: dict[str, str],
        spec_path: Path,
        containers: list[Container],
        init_containers: list[Container],
        grace_period: int | None,
        replicas: int | None,
        selector: LabelSelector | None,
        selector_present: bool,
        strategy: UpdateStrategy | None = None,
        min_ready_seconds: int | None = None,
        volumes: list[Volume] | None = None,
    ) -> None:
        self.resource = resource
        self.template_path = template_path
        self.labels = labels
        self.template_annotations = template_annotations
        self.spec_path = spec_path
        self.containers = containers
        self.init_containers = init_containers
        self.grace_period = grace_period
        self.replicas = replicas
        self.selector = selector
        self.selector_present = selector_present
        self.strategy = strategy
        self.min_ready_seconds = min_ready_seconds
        self.volumes = [] if volumes is None else volumes

    @property
    def kind(self) -> str:
        return self.resource.kind

    @property
    def namespace(self) -> str:
        return self.resource.namespace

    @property
    def is_batch(self) -> bool:
        return self.resource.kind in BATCH_KINDS

    @property
    def sidecars(self) -> list[Container]:
        return [c for c in self.init_containers if c.sidecar]

    @property
    def port_owners(self) -> list[Container]:
        """Containers that can own a Service's target port: regular ones and native sidecars."""
        return self.containers + self.sidecars

    @property
    def labels_path(self) -> Path:
        """Where the pod template's labels are (a Pod's own ``metadata.labels``)."""
        return (*self.template_path, "metadata", "labels")

    def config_maps_of(self, container: Container) -> list[str]:
        """Names of the ConfigMaps a container mounts (volumes, projected) or imports (env, envFrom)."""
        mounted = set(container.mounts)
        names = [name for v in self.volumes if v.name in mounted for name in v.config_maps]
        return [*names, *container.config_maps]

    def annotation(self, key: str) -> str | None:
        """An annotation of the pod template, else of the owner object."""
        return self.template_annotations.get(key, self.resource.annotations.get(key))

    def display(self) -> str:
        return self.resource.display()


def _parse_probe(res: Resource, cont: Mapping[str, Any], cpath: Path, key: str) -> Probe | None:
    raw = get(res, cont, cpath, key, "mapping")
    if raw is None:
        return None
    path = (*cpath, key)
    handler = next((h for h in HANDLERS if raw.get(h) is not None), None)
    port: int | str | None = None
    http_path = None
    http_request: tuple[str, ...] = ()
    command = None
    grpc_service = None
    if handler in ("httpGet", "tcpSocket", "grpc"):
        hraw = get(res, raw, path, handler, "mapping") or {}
        hpath = (*path, handler)
        port = get(res, hraw, hpath, "port", "integer" if handler == "grpc" else "int-or-string")
        if handler == "httpGet":
            http_path = get(res, hraw, hpath, "path", "string") or "/"
            http_request = _http_request(res, hraw, hpath)
        if handler == "grpc":
            grpc_service = get(res, hraw, hpath, "service", "string")
    elif handler == "exec":
        eraw = get(res, raw, path, "exec", "mapping") or {}
        argv = get(res, eraw, (*path, "exec"), "command", "list")
        if argv is not None and all(isinstance(a, str) for a in argv):
            command = tuple(argv)

    def num(name: str, default: int) -> int:
        value = get(res, raw, path, name, "integer")
        return default if value is None else value

    return Probe(
        path=path,
        handler=handler,
        port=port,
        http_path=http_path,
        command=command,
        grpc_service=grpc_service,
        initial_delay=num("initialDelaySeconds", 0),
        period=num("periodSeconds", 10),
        failure_threshold=num("failureThreshold", 3),
        success_threshold=num("successThreshold", 1),
        http_request=http_request,
    )


def _http_request(res: Resource, hraw: Mapping[str, Any], hpath: Path) -> tuple[str, ...]:
    """An httpGet's host, scheme (default HTTP) and headers, so two probes compare by what they send."""
    host = get(res, hraw, hpath, "host", "string") or ""
    scheme = get(res, hraw, hpath, "scheme", "string") or "HTTP"
    headers = []
    raw_headers = get(res, hraw, hpath, "httpHeaders", "list") or []
    for i in range(len(raw_headers)):
        entry = get(res, raw_headers, (*hpath, "httpHeaders"), i, "mapping")
        if entry is not None:
            headers.append(f"{str(entry.get('name', '')).lower()}: {entry.get('value', '')}")
    return (host, scheme.upper(), *sorted(headers))


def _parse_prestop(res: Resource, cont: Mapping[str, Any], cpath: Path) -> PreStop | None:
    lifecycle = get(res, cont, cpath, "lifecycle", "mapping")
    if lifecycle is None:
        return None
    lpath = (*cpath, "lifecycle")
    raw = get(res, lifecycle, lpath, "preStop", "mapping")
    if raw is None:
        return None
    path = (*lpath, "preStop")
    if raw.get("sleep") is not None:
        sleep = get(res, raw, path, "sleep", "mapping") or {}
        seconds = get(res, sleep, (*path, "sleep"), "seconds", "integer")
        return PreStop(path, "sleep", None if seconds is None else float(seconds))
    if raw.get("exec") is not None:
        ex = get(res, raw, path, "exec", "mapping") or {}
        argv = get(res, ex, (*path, "exec"), "command", "list")
        if argv is not None and all(isinstance(a, str) for a in argv):
            return PreStop(path, "exec", exec_sleep_seconds(argv))
        return PreStop(path, "exec", None)
    handler = next((h for h in ("httpGet", "tcpSocket") if raw.get(h) is not None), None)
    return PreStop(path, handler, None)


def _parse_ports(res: Resource, cont: Mapping[str, Any], cpath: Path) -> list[ContainerPort]:
    raw = get(res, cont, cpath, "ports", "list") or []
    ports: list[ContainerPort] = []
    for i, item in enumerate(raw):
        ppath = (*cpath, "ports", i)
        if not isinstance(item, dict):
            field_problem(res, ppath, f"`{dotted(ppath)}` must be a mapping")
            continue
        number = get(res, item, ppath, "containerPort", "integer")
        if number is None:
            continue
        name = get(res, item, ppath, "name", "string")
        protocol = get(res, item, ppath, "protocol", "string") or "TCP"
        ports.append(ContainerPort(number, name, protocol, (*ppath, "containerPort")))
    return ports


def _name_ref(res: Resource, parent: Any, ppath: Path, key: str) -> str | None:
    """``parent[key].name``: the name a ``configMap``/``configMapRef``-style reference gives."""
    ref = get(res, parent, ppath, key, "mapping")
    name = get(res, ref, (*ppath, key), "name", "string") if ref is not None else None
    return name or None


def _parse_argv(res: Resource, cont: Mapping[str, Any], cpath: Path) -> tuple[str, ...]:
    """``command`` and ``args`` as text; numbers kept as their text, anything else left out."""
    argv: list[str] = []
    for key in ("command", "args"):
        for item in get(res, cont, cpath, key, "list") or []:
            if isinstance(item, (str, int)) and not isinstance(item, bool):
                argv.append(str(item))
    return tuple(argv)


def _parse_env(res: Resource, cont: Mapping[str, Any], cpath: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The literal ``env`` values, and the ConfigMaps ``env`` and ``envFrom`` import."""
    values: list[str] = []
    config_maps: list[str] = []
    for i, item in enumerate(get(res, cont, cpath, "env", "list") or []):
        if not isinstance(item, dict):
            continue
        value = item.get("value")
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            values.append(str(value))
        epath = (*cpath, "env", i)
        source = get(res, item, epath, "valueFrom", "mapping")
        if source is not None:
            name = _name_ref(res, source, (*epath, "valueFrom"), "configMapKeyRef")
            if name:
                config_maps.append(name)
    for i, item in enumerate(get(res, cont, cpath, "envFrom", "list") or []):
        if isinstance(item, dict):
            name = _name_ref(res, item, (*cpath, "envFrom", i), "configMapRef")
            if name:
                config_maps.append(name)
    return tuple(values), tuple(config_maps)


def _parse_mounts(res: Resource, cont: Mapping[str, Any], cpath: Path) -> tuple[str, ...]:
    names: list[str] = []
    for i, item in enumerate(get(res, cont, cpath, "volumeMounts", "list") or []):
        name = get(res, item, (*cpath, "volumeMounts", i), "name", "string") if isinstance(item, dict) else None
        if name:
            names.append(name)
    return tuple(names)


def _parse_volumes(res: Resource, pod_spec: Mapping[str, Any], spath: Path) -> list[Volume]:
    volumes: list[Volume] = []
    for i, item in enumerate(get(res, pod_spec, spath, "volumes", "list") or []):
        vpath = (*spath, "volumes", i)
        if not isinstance(item, dict):
            field_problem(res, vpath, f"`{dotted(vpath)}` must be a mapping")
            continue
        pvc = get(res, item, vpath, "persistentVolumeClaim", "mapping")
        claim = get(res, pvc, (*vpath, "persistentVolumeClaim"), "claimName", "string") if pvc else None
        config_maps = [name for name in [_name_ref(res, item, vpath, "configMap")] if name]
        projected = get(res, item, vpath, "projected", "mapping")
        ppath = (*vpath, "projected")
        sources = (get(res, projected, ppath, "sources", "list") if projected else None) or []
        for j, src in enumerate(sources):
            if isinstance(src, dict):
                name = _name_ref(res, src, (*ppath, "sources", j), "configMap")
                if name:
                    config_maps.append(name)
        volumes.append(Volume(get(res, item, vpath, "name", "string"), vpath, claim or None, tuple(config_maps)))
    return volumes


def _parse_containers(res: Resource, spec: Mapping[str, Any], spath: Path, key: str) -> list[Container]:
    raw = get(res, spec, spath, key, "list") or []
    out: list[Container] = []
    for i, item in enumerate(raw):
        cpath = (*spath, key, i)
        if not isinstance(item, dict):
            field_problem(res, cpath, f"`{dotted(cpath)}` must be a mapping")
            continue
        name = get(res, item, cpath, "name", "string") or f"#{i}"
        init = key == "initContainers"
        sidecar = init and get(res, item, cpath, "restartPolicy", "string") == "Always"
        cont = Container(name=name, path=cpath, data=item, init=init, sidecar=sidecar)
        cont.ports = _parse_ports(res, item, cpath)
        cont.probes = {p: _parse_probe(res, item, cpath, p) for p in PROBES}
        cont.prestop = _parse_prestop(res, item, cpath)
        cont.argv = _parse_argv(res, item, cpath)
        cont.mounts = _parse_mounts(res, item, cpath)
        cont.env_values, cont.config_maps = _parse_env(res, item, cpath)
        out.append(cont)
    return out


def make_workload(res: Resource, template_path: Path) -> Workload | None:
    """The workload view of a pod owner; None when its template is missing or malformed."""
    spec_root = get(res, res.data, (), "spec", "mapping") if template_path else None
    if template_path:
        template: Any = res.data
        for i, key in enumerate(template_path):
            template = get(res, template, template_path[:i], key, "mapping")
            if template is None:
                return None
        meta = get(res, template, template_path, "metadata", "mapping") or {}
        labels = string_map(res, meta, (*template_path, "metadata"), "labels")
        tannotations = string_map(res, meta, (*template_path, "metadata"), "annotations")
        spec_path: Path = (*template_path, "spec")
        pod_spec = get(res, template, template_path, "spec", "mapping")
    else:
        labels = res.labels
        tannotations = {}
        spec_path = ("spec",)
        pod_spec = get(res, res.data, (), "spec", "mapping")
    if pod_spec is None:
        return None
    owner_spec = spec_root or {}
    replicas = get(res, owner_spec, ("spec",), "replicas", "integer") if res.kind in REPLICATED_KINDS else None
    selector_present = isinstance(owner_spec.get("selector"), dict)
    selector: LabelSelector | None = None
    if res.kind == "ReplicationController":
        rc_selector = string_map(res, owner_spec, ("spec",), "selector")
        selector = LabelSelector(rc_selector) if rc_selector else None
    elif template_path and res.kind not in BATCH_KINDS:
        selector = parse_label_selector(res, owner_spec, ("spec",), "selector")
    return Workload(
        resource=res,
        template_path=template_path,
        labels=labels,
        template_annotations=tannotations,
        spec_path=spec_path,
        containers=_parse_containers(res, pod_spec, spec_path, "containers"),
        init_containers=_parse_containers(res, pod_spec, spec_path, "initContainers"),
        grace_period=get(res, pod_spec, spec_path, "terminationGracePeriodSeconds", "integer"),
        replicas=replicas,
        selector=selector,
        selector_present=selector_present,
        strategy=parse_update_strategy(res, owner_spec),
        min_ready_seconds=parse_min_ready_seconds(res, owner_spec),
        volumes=_parse_volumes(res, pod_spec, spec_path),
    )
