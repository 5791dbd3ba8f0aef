"""NetworkPolicies as GW601 reads them: which pods they isolate and which ingress they admit.

The defaults follow the API: an absent ``podSelector`` is ``{}`` (every pod of the
namespace); absent or empty ``policyTypes`` (``[]``, which the API server defaults like
an absent one) means ``Ingress``, plus ``Egress`` when the policy has an ``egress``
section; a rule without ``from`` admits every source and one without ``ports`` every
port; a port entry without ``port`` admits every port of its protocol.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from gwlint.core.datapath import Path, dotted
from gwlint.core.records import Frozen, Record
from gwlint.model.resource import Resource, field_problem, get
from gwlint.model.selectors import LabelSelector, parse_label_selector


class PolicyPort(Frozen):
    """A ``ports`` entry: a number (with optional ``endPort``), a name, or every port."""

    __slots__ = ("end_port", "port", "protocol")

    protocol: Final[str]
    port: Final[int | str | None]
    end_port: Final[int | None]

    def __init__(self, protocol: str, port: int | str | None, end_port: int | None) -> None:
        self.protocol = protocol
        self.port = port
        self.end_port = end_port

    def admits(self, protocol: str, number: int | None, names: Iterable[str]) -> bool:
        """Whether traffic to a pod port (its number and the names it is declared under) passes."""
        if self.protocol != protocol:
            return False
        if self.port is None:
            return True
        if isinstance(self.port, str):
            return self.port in names
        if number is None:
            return False
        return self.port <= number <= (self.end_port or self.port)

    def describe(self) -> str:
        if self.port is None:
            return f"all {self.protocol}"
        if self.end_port:
            return f"{self.protocol} {self.port}-{self.end_port}"
        return f"{self.protocol} {self.port}"


class Peer(Frozen):
    """A ``from`` entry; ``ip_block`` peers never match a pod."""

    __slots__ = ("ip_block", "namespace_selector", "pod_selector")

    pod_selector: Final[LabelSelector | None]
    namespace_selector: Final[LabelSelector | None]
    ip_block: Final[bool]

    def __init__(
        self,
        pod_selector: LabelSelector | None,
        namespace_selector: LabelSelector | None,
        ip_block: bool,
    ) -> None:
        self.pod_selector = pod_selector
        self.namespace_selector = namespace_selector
        self.ip_block = ip_block

    def may_match(
        self,
        policy_namespace: str,
        pod_labels: Mapping[str, str] | None,
        namespace_labels: Mapping[str, str] | None,
    ) -> bool:
        """Whether this peer may admit a client with those labels (None: labels unknown).

        Without a ``namespaceSelector`` the peer only admits pods of the policy's own
        namespace; that is ruled out only when the namespace labels name another
        namespace through ``kubernetes.io/metadata.name``.
        """
        if self.ip_block:
            return False
        if self.namespace_selector is None:
            own = namespace_labels.get("kubernetes.io/metadata.name") if namespace_labels is not None else None
            if own is not None and own != policy_namespace:
                return False
        elif namespace_labels is not None and not self.namespace_selector.matches(namespace_labels):
            return False
        return self.pod_selector is None or pod_labels is None or self.pod_selector.matches(pod_labels)


class IngressRule(Frozen):
    """An ``ingress`` rule; ``sources`` None admits every source, ``ports`` empty every port."""

    __slots__ = ("path", "ports", "sources")

    sources: Final[tuple[Peer, ...] | None]
    ports: Final[tuple[PolicyPort, ...]]
    path: Final[Path]

    def __init__(self, sources: tuple[Peer, ...] | None, ports: tuple[PolicyPort, ...], path: Path) -> None:
        self.sources = sources
        self.ports = ports
        self.path = path

    def admits_port(self, protocol: str, number: int | None, names: Iterable[str]) -> bool:
        names = tuple(names)
        return not self.ports or any(p.admits(protocol, number, names) for p in self.ports)

    def may_admit(
        self,
        policy_namespace: str,
        pod_labels: Mapping[str, str] | None,
        namespace_labels: Mapping[str, str] | None,
    ) -> bool:
        """Whether a client with those labels may pass this rule's ``from``."""
        if self.sources is None:
            return True
        return any(p.may_match(policy_namespace, pod_labels, namespace_labels) for p in self.sources)


class NetworkPolicy(Record):
    """A NetworkPolicy: the pods it selects, whether it isolates ingress, and its rules."""

    __slots__ = ("ingress", "isolates_ingress", "pod_selector", "resource")

    resource: Resource
    pod_selector: LabelSelector | None
    isolates_ingress: bool
    ingress: list[IngressRule]

    def __init__(
        self,
        resource: Resource,
        pod_selector: LabelSelector | None,
        isolates_ingress: bool,
        ingress: list[IngressRule],
    ) -> None:
        self.resource = resource
        self.pod_selector = pod_selector
        self.isolates_ingress = isolates_ingress
        self.ingress = ingress

    @property
    def namespace(self) -> str:
        return self.resource.namespace

    def display(self) -> str:
        return self.resource.display()

    @property
    def anchor(self) -> Path:
        """Where a finding's related location points: the ingress rules, else what isolates."""
        data = self.resource.data.get("spec")
        if isinstance(data, dict):
            for key in ("ingress", "policyTypes", "podSelector"):
                if key in data:
                    return ("spec", key)
            return ("spec",)
        return ("metadata", "name")


def make_network_policy(res: Resource) -> NetworkPolicy:
    """Parse a ``networking.k8s.io/v1`` NetworkPolicy; malformed parts are GW002 and read as absent."""
    spec = get(res, res.data, (), "spec", "mapping") or {}
    selector = parse_label_selector(res, spec, ("spec",), "podSelector")
    if selector is None and "podSelector" not in spec:
        selector = LabelSelector()
    types = get(res, spec, ("spec",), "policyTypes", "list")
    raw_ingress = get(res, spec, ("spec",), "ingress", "list")
    isolates = not types or "Ingress" in types
    rules: list[IngressRule] = []
    for i, raw in enumerate(raw_ingress or []):
        rule = _ingress_rule(res, raw, ("spec", "ingress", i))
        if rule is not None:
            rules.append(rule)
    return NetworkPolicy(res, selector, isolates, rules)


def _ingress_rule(res: Resource, raw: object, path: Path) -> IngressRule | None:
    if raw is None:
        return IngressRule(None, (), path)
    if not isinstance(raw, dict):
        field_problem(res, path, f"`{dotted(path)}` must be a mapping")
        return None
    ports: list[PolicyPort] = []
    for j, item in enumerate(get(res, raw, path, "ports", "list") or []):
        ppath = (*path, "ports", j)
        if not isinstance(item, dict):
            field_problem(res, ppath, f"`{dotted(ppath)}` must be a mapping")
            continue
        port = get(res, item, ppath, "port", "int-or-string")
        if isinstance(port, str) and port.isdigit():
            port = int(port)
        ports.append(
            PolicyPort(
                protocol=get(res, item, ppath, "protocol", "string") or "TCP",
                port=port,
                end_port=get(res, item, ppath, "endPort", "integer"),
            )
        )
    raw_from = get(res, raw, path, "from", "list")
    sources: tuple[Peer, ...] | None = None
    if raw_from:
        peers: list[Peer] = []
        for j, item in enumerate(raw_from):
            peer = _peer(res, item, (*path, "from", j))
            if peer is not None:
                peers.append(peer)
        sources = tuple(peers)
    return IngressRule(sources, tuple(ports), path)


def _peer(res: Resource, raw: object, path: Path) -> Peer | None:
    if not isinstance(raw, dict):
        field_problem(res, path, f"`{dotted(path)}` must be a mapping")
        return None
    return Peer(
        pod_selector=parse_label_selector(res, raw, path, "podSelector"),
        namespace_selector=parse_label_selector(res, raw, path, "namespaceSelector"),
        ip_block=raw.get("ipBlock") is not None,
    )
