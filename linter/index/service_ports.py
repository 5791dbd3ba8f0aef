"""Where a Service's ports land: the pod templates behind it and their matching container ports.

GW202, GW203 and GW204 ask the same questions of one Service port: which pod templates
does the Service send to, and which container port of each template is the target?
Answering them here keeps the three rules consistent with each other, so that one
mistake is reported by exactly one of them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from gwlint.core.datapath import Path
from gwlint.core.records import Value
from gwlint.index.index import Index
from gwlint.model.ingress import Ingress, IngressBackend
from gwlint.model.resource import Resource, get
from gwlint.model.service import Service, ServicePort
from gwlint.model.workloads import Container, ContainerPort, Workload
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_PORT_NAME_RE = re.compile(r"[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?")


def is_port_name(text: str) -> bool:
    """Whether ``text`` is a valid port name (IANA_SVC_NAME).

    Anything else (``${PORT}``, ``PORT``) is a template placeholder or a value the API
    server rejects, never a name that a pod could declare.
    """
    return bool(_PORT_NAME_RE.fullmatch(text)) and "--" not in text and any(ch.isalpha() for ch in text)


class TargetMatch(Value):
    """How one workload (all its copies) answers one Service port's target.

    ``exact``: container ports with the target number (or name) and the Service port's
    protocol; ``other_protocol``: the same number (or name) with another protocol.
    """

    __slots__ = ("exact", "other_protocol", "workload")

    workload: Workload
    exact: list[tuple[Container, ContainerPort]]
    other_protocol: list[tuple[Container, ContainerPort]]

    def __init__(
        self,
        workload: Workload,
        exact: list[tuple[Container, ContainerPort]] | None = None,
        other_protocol: list[tuple[Container, ContainerPort]] | None = None,
    ) -> None:
        self.workload = workload
        self.exact = [] if exact is None else exact
        self.other_protocol = [] if other_protocol is None else other_protocol

    @property
    def found(self) -> bool:
        """Whether the template has the target at all, whatever its protocol."""
        return bool(self.exact or self.other_protocol)


def match_target(copies: list[Workload], sp: ServicePort) -> TargetMatch:
    """The container ports of a workload's copies that ``sp``'s target (number or name) designates.

    Regular containers and native sidecars own ports; ordinary init containers do not,
    because they have exited before the pod becomes ready.
    """
    match = TargetMatch(copies[0])
    for w in copies:
        for c in w.port_owners:
            for p in c.ports:
                if (isinstance(sp.target, int) and p.number == sp.target) or (
                    isinstance(sp.target, str) and p.name == sp.target
                ):
                    (match.exact if p.protocol == sp.protocol else match.other_protocol).append((c, p))
    return match


_ARGV_KEYS = ("command", "args")


def may_listen_undeclared(index: Index, w: Workload, number: int) -> bool:
    """Whether the template gives reason to think it listens on ``number`` without declaring it.

    Declared ports are informational: a numeric targetPort reaches the pod whatever it
    declares. They are trusted as the list of listening ports only when nothing
    contradicts them: a regular container that declares no port at all, a probe on a
    numeric port that its container does not declare, or the number written in a
    container's command, args or env values (``--port=8443``) or in a ConfigMap the pod
    mounts or imports (a listener configured in the app's config file).
    """
    pattern = re.compile(rf"(?<![0-9]){number}(?![0-9])")
    res = w.resource
    if any(not c.ports for c in w.containers):
        return True
    for c in w.port_owners:
        declared = {p.number for p in c.ports}
        if any(p is not None and isinstance(p.port, int) and p.port not in declared for p in c.probes.values()):
            return True
        for key in _ARGV_KEYS:
            argv = get(res, c.data, c.path, key, "list") or []
            if any(isinstance(a, (str, int)) and pattern.search(str(a)) for a in argv):
                return True
        for env in get(res, c.data, c.path, "env", "list") or []:
            value = env.get("value") if isinstance(env, dict) else None
            if isinstance(value, (str, int)) and pattern.search(str(value)):
                return True
    for name in _config_maps(w):
        cm = index.find("ConfigMap", w.namespace, name)
        if cm is not None and any(pattern.search(text) for text in _data_strings(cm)):
            return True
    return False


def _config_maps(w: Workload) -> set[str]:
    """Names of the ConfigMaps a pod template mounts (volumes, projected) or imports (envFrom)."""
    names: set[str] = set()

    def add(ref: object) -> None:
        if isinstance(ref, dict) and isinstance(ref.get("name"), str):
            names.add(ref["name"])

    pod: object = w.resource.data
    for key in w.spec_path:
        pod = pod.get(key) if isinstance(pod, dict) else None
    volumes = pod.get("volumes") if isinstance(pod, dict) else None
    for vol in volumes if isinstance(volumes, list) else []:
        if not isinstance(vol, dict):
            continue
        add(vol.get("configMap"))
        projected = vol.get("projected")
        sources = projected.get("sources") if isinstance(projected, dict) else None
        for src in sources if isinstance(sources, list) else []:
            if isinstance(src, dict):
                add(src.get("configMap"))
    for c in w.containers:
        env_from = c.data.get("envFrom")
        for item in env_from if isinstance(env_from, list) else []:
            if isinstance(item, dict):
                add(item.get("configMapRef"))
    return names


def _data_strings(cm: Resource) -> Iterator[str]:
    """The text of a ConfigMap's ``data`` values, read from its parsed nodes.

    ConfigMaps are loaded shallow (their data is large and rarely read); the composed
    node tree is still there, so the values are read from it only when asked.
    """
    node: Node | None = cm.doc.node
    for key in (*cm.path, "data"):
        if isinstance(node, MappingNode):
            node = next((v for k, v in node.value if isinstance(k, ScalarNode) and k.value == str(key)), None)
        elif isinstance(node, SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
            node = node.value[key]
        else:
            return
    if isinstance(node, MappingNode):
        for _, value in node.value:
            if isinstance(value, ScalarNode):
                yield str(value.value)


def declared_ports(workload: Workload) -> str:
    """The ports a template declares, for messages: ``8080/TCP (http), 9090/TCP``."""
    shown = []
    for c in workload.port_owners:
        for p in c.ports:
            shown.append(f"{p.number}/{p.protocol}" + (f" ({p.name})" if p.name else ""))
    return ", ".join(shown) or "no ports"


def ports_path(workload: Workload) -> Path:
    """The node to show as the other side of a port finding: the first declared ``ports``."""
    for c in workload.port_owners:
        if c.ports:
            return (*c.path, "ports")
    owners = workload.port_owners
    return owners[0].name_path if owners else workload.spec_path


IngressTable = dict[tuple[str, str], list[tuple[Ingress, IngressBackend]]]


"""Ingress backends keyed by (namespace, Service name)."""


def ingress_backends(index: Index) -> IngressTable:
    """Backends of Kubernetes Ingresses keyed by (namespace, Service name), in input order."""
    table: IngressTable = defaultdict(list)
    for ing in index.ingresses:
        if ing.is_standard:
            for b in ing.backends:
                table[(ing.resource.namespace, b.service)].append((ing, b))
    return table


class ServiceBackends:
    """What stands behind each Service and in front of it, for one run.

    Built once in a rule's ``subjects`` (it indexes every Ingress backend, the Service
    selectors of every file and the repeated Services), then asked per Service.
    """

    def __init__(self, index: Index) -> None:
        self.index = index
        self.ingresses = ingress_backends(index)
        # selectors of the pod-selecting Services of each file, to spot renders side by side
        self._selectors: dict[str, set[frozenset[tuple[str, str]]]] = defaultdict(set)
        for svc in index.services:
            if svc.selects_pods and svc.selector:
                self._selectors[svc.resource.doc.file].add(frozenset(svc.selector.items()))
        self._repeated = {
            (d.resource.namespace, d.resource.name)
            for d in index.duplicates
            if d.resource.kind == "Service" and d.resource.group == ""
        }

    def behind_proxy(self, svc: Service) -> bool:
        """Whether an Ingress or a Gateway API route sends traffic to the Service."""
        return bool(self.ingresses.get((svc.namespace, svc.name))) or bool(self.index.route_graph().backing(svc))

    def proxied_or_not_headless(self) -> list[Service]:
        """Pod-selecting Services whose ports carry traffic to a set of pods.

        A headless Service that no Ingress or route uses is left out: clients resolve its
        pod addresses and connect to the ports they know, so neither its port list nor
        the workloads it spans (primary and replicas, shards) route anything.
        """
        return [s for s in self.index.services if s.selects_pods and (not s.headless or self.behind_proxy(s))]

    def groups(self, svc: Service) -> list[list[Workload]]:
        """The workloads a pod-selecting Service sends to, each as the list of its copies.

        One group per workload name: the copies of an object that the input repeats
        (GW003) and the same name rendered as another kind (a chart's Deployment and
        DaemonSet variants) are one workload, narrowed to the copies in the Service's own
        file when there are some. When the Service's file holds some of the workloads it
        selects and the input repeats the Service, or other files carry their own Service
        with the same selector, the workloads of those other files are left out: they are
        other renders of the app (per environment, per values file) side by side.

        Jobs and CronJobs that share the labels of a long-running workload are left out (a
        migration Job labelled like the app is not what the Service is for); a Service
        that selects only batch pods keeps them.
        """
        selected = self.index.service_pods(svc)
        if not selected or svc.selector is None:
            return []
        selected = [w for w in selected if not w.is_batch] or selected
        file = svc.resource.doc.file
        if any(w.resource.doc.file == file for w in selected):
            repeated = (svc.namespace, svc.name) in self._repeated
            signature = frozenset(svc.selector.items())
            selected = [
                w
                for w in selected
                if w.resource.doc.file == file
                or not (repeated or signature in self._selectors.get(w.resource.doc.file, ()))
            ]
        by_name: dict[str, list[Workload]] = defaultdict(list)
        for w in selected:
            by_name[w.resource.name].append(w)
        return [[w for w in copies if w.resource.doc.file == file] or copies for copies in by_name.values()]
