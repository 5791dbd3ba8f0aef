"""ConfigMaps as the rules read them: the text of their ``data`` values.

A listener is often configured in a file the pod mounts or a ConfigMap the app reads by
name (``port: 8081`` under ``telemetry:``), so GW202 searches that text before claiming
that nothing listens on a Service's target port. Only ``data`` is modelled; a value that
is not a string is GW002 (the API server rejects it: quote it), as for labels.
"""

from __future__ import annotations

from gwlint.core.datapath import dotted, type_name
from gwlint.core.records import Record
from gwlint.model.resource import Resource, field_problem, get


class ConfigMap(Record):
    """A ConfigMap and its ``data`` values (``binaryData`` is never text a port is written in)."""

    __slots__ = ("data", "resource")

    resource: Resource
    data: dict[str, str]

    def __init__(self, resource: Resource, data: dict[str, str]) -> None:
        self.resource = resource
        self.data = data

    @property
    def namespace(self) -> str:
        return self.resource.namespace

    @property
    def name(self) -> str:
        return self.resource.name


def make_config_map(res: Resource) -> ConfigMap:
    """Read a ConfigMap's ``data``; malformed values are GW002 problems and left out."""
    data: dict[str, str] = {}
    for key, value in (get(res, res.data, (), "data", "mapping") or {}).items():
        if isinstance(value, str):
            data[str(key)] = value
        elif value is not None:
            path = ("data", key)
            field_problem(res, path, f"`{dotted(path)}` must be a string, not {type_name(value)}: quote it")
    return ConfigMap(res, data)
