"""Istio DestinationRules as GW205 reads them: the pod labels a mesh splits a Service by.

Each subset of a DestinationRule names the pod labels of one version of the host's
pods (``{name: canary, labels: {stage: canary}}``); VirtualServices route shares of the
traffic to the subsets. A Service whose workloads differ in such a label is split on
purpose.
"""

from __future__ import annotations

from gwlint.core.records import Record
from gwlint.model.resource import Resource, get, string_map

ISTIO_NETWORKING_GROUP = "networking.istio.io"


class DestinationRule(Record):
    """A DestinationRule's host, as (Service name, namespace), and the label keys its subsets name."""

    __slots__ = ("name", "namespace", "resource", "subset_keys")

    resource: Resource
    name: str | None
    """The host's Service name; None for a wildcard or a host outside the cluster's Services."""
    namespace: str
    subset_keys: frozenset[str]

    def __init__(self, resource: Resource, name: str | None, namespace: str, subset_keys: frozenset[str]) -> None:
        self.resource = resource
        self.name = name
        self.namespace = namespace
        self.subset_keys = subset_keys


def is_destination_rule(res: Resource) -> bool:
    """Whether the object is an Istio DestinationRule (any version)."""
    return res.kind == "DestinationRule" and res.group == ISTIO_NETWORKING_GROUP


def make_destination_rule(res: Resource) -> DestinationRule:
    """Read the host and the subsets' label keys; malformed parts are GW002 and read as absent.

    A short host (``billing``) is a Service of the rule's own namespace; ``billing.shop``
    and ``billing.shop.svc.cluster.local`` name the namespace.
    """
    spec = get(res, res.data, (), "spec", "mapping") or {}
    host = get(res, spec, ("spec",), "host", "string") or ""
    parts = host.split(".")
    name = parts[0] if parts[0] and parts[0] != "*" else None
    namespace = parts[1] if len(parts) > 1 and parts[1] else res.namespace
    keys: set[str] = set()
    for i, subset in enumerate(get(res, spec, ("spec",), "subsets", "list") or []):
        path = ("spec", "subsets", i)
        if isinstance(subset, dict):
            keys.update(string_map(res, subset, path, "labels"))
    return DestinationRule(res, name, namespace, frozenset(keys))
