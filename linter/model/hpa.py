"""HorizontalPodAutoscalers as rules read them: the target and its replica range."""

from __future__ import annotations

from gwlint.core.datapath import Path
from gwlint.core.records import Record
from gwlint.model.resource import Resource, get


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
