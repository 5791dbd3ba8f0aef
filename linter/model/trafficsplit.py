"""SMI TrafficSplits as GW201 reads them: the apex Service a mesh splits among backends.

An apex Service needs no pods of its own: the mesh sends its traffic to the backend
Services, so its selector may match nothing.
"""

from __future__ import annotations

from gwlint.core.records import Record
from gwlint.model.resource import Resource, get

SMI_SPLIT_GROUP = "split.smi-spec.io"


class TrafficSplit(Record):
    """An SMI ``TrafficSplit`` and its apex Service (``spec.service``; None when absent)."""

    __slots__ = ("resource", "service")

    resource: Resource
    service: str | None

    def __init__(self, resource: Resource, service: str | None) -> None:
        self.resource = resource
        self.service = service


def is_traffic_split(res: Resource) -> bool:
    """Whether the object is an SMI TrafficSplit (any version)."""
    return res.kind == "TrafficSplit" and res.group == SMI_SPLIT_GROUP


def make_traffic_split(res: Resource) -> TrafficSplit:
    """Read a TrafficSplit's apex Service; a malformed ``spec`` or ``service`` is GW002."""
    spec = get(res, res.data, (), "spec", "mapping") or {}
    return TrafficSplit(res, get(res, spec, ("spec",), "service", "string") or None)
