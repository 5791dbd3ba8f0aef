"""Ingresses as rules read them: every backend (rules and default), in all three API forms."""

from __future__ import annotations

from typing import Any

from gwlint.core.datapath import Path
from gwlint.core.records import Record, Value
from gwlint.model.resource import Resource, get

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
