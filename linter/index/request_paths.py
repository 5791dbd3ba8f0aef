"""The request paths through the objects a run's findings touch, for reports that draw them.

Built from the index's own edges (backends, Service selection, PDBs and NetworkPolicies
per pod template), only when a report asks for it: a text run never pays for it. Each
object a finding names (or names as a related location) is walked both ways along the
request path; the objects reached from it are walked on in the same direction only, so
the drawing holds the whole path through every touched object and the other backends of
a touched proxy, not the whole cluster.

A finding then marks what it breaks: the edge whose reference holds the finding's field
(a backend's port), else the edge to the object it relates (a Service and its pods), else
an edge drawn for it (a Service and the closest pod template it fails to select), else
the object itself (a container without a readiness probe).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Sequence

from gwlint.core.datapath import Path
from gwlint.core.findings import Finding, ResourceId
from gwlint.core.graph import BUDGET, POLICY, PROXY, SERVICE, WORKLOAD, Edge, Mark, Node, RequestGraph
from gwlint.index.index import Index
from gwlint.model.ingress import Ingress, IngressBackend
from gwlint.model.netpol import NetworkPolicy
from gwlint.model.pdb import PodDisruptionBudget
from gwlint.model.resource import Resource
from gwlint.model.routes import BackendRef, Route
from gwlint.model.service import Service
from gwlint.model.workloads import Workload

UP = 1
"""Towards the proxies that send to an object."""
DOWN = 2
"""Towards the pods an object sends to."""
BOTH = UP | DOWN

PathObject = Ingress | Route | Service | Workload | PodDisruptionBudget | NetworkPolicy
SELECTOR: Path = ("spec", "selector")


def request_paths(index: Index, findings: Sequence[Finding]) -> RequestGraph:
    """The request paths through every object the findings name, each finding marked on what it breaks."""
    walk = _Walk(index)
    for finding in findings:
        for rid in _touched(finding):
            obj = walk.lookup(rid)
            if obj is not None:
                walk.visit(obj, BOTH)
    walk.run()
    for finding in findings:
        walk.mark(finding)
    return walk.graph()


def merge_graphs(graphs: Iterable[RequestGraph]) -> RequestGraph:
    """Several runs' request paths as one picture (the applies of a repository run).

    An object drawn by several graphs is one node with every mark; it is missing only
    when no graph holds it. An edge is one per source, target and label, with every mark.
    Nodes and edges keep the order of their first graph.
    """
    nodes: dict[str, Node] = {}
    edges: dict[tuple[str, str, str], Edge] = {}
    for graph in graphs:
        for n in graph.nodes:
            kept = nodes.setdefault(n.key, Node(n.key, n.kind, n.namespace, n.name, n.role, n.missing))
            kept.missing = kept.missing and n.missing
            kept.marks += [m for m in n.marks if m not in kept.marks]
        for e in graph.edges:
            edge = edges.setdefault((e.source, e.target, e.label), Edge(e.source, e.target, e.label))
            edge.marks += [m for m in e.marks if m not in edge.marks]
    return RequestGraph(list(nodes.values()), list(edges.values()))


def _touched(finding: Finding) -> Iterable[ResourceId]:
    if finding.location.resource is not None:
        yield finding.location.resource
    for rel in finding.related:
        if rel.resource is not None:
            yield rel.resource


def _key(kind: str, namespace: str, name: str) -> str:
    return f"{kind}/{namespace}/{name}"


def _common_prefix(a: Path, b: Path) -> Path:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _ingress_label(res: Resource, backend: IngressBackend, ref: Path) -> str:
    """``host/path → port 80`` for a rule's backend, ``default → port 80`` for the default backend."""
    port = f"port {backend.port_number}" if backend.port_number is not None else f"port {backend.port_name}"
    if len(ref) < 6 or ref[1] != "rules":  # spec.defaultBackend / spec.backend
        return f"default → {port}"
    host = _text(res, (*ref[:3], "host"))
    path = _text(res, (*ref[:6], "path")) or ("/" if host else "")
    return f"{host}{path} → {port}" if host or path else port


def _text(res: Resource, path: Path) -> str:
    """A string field for a label, or ``""``: read without recording GW002 (the rules did that)."""
    value: object = res.data
    for key in path:
        if isinstance(key, int):
            value = value[key] if isinstance(value, list) and 0 <= key < len(value) else None
        else:
            value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, str) else ""


class _Walk:
    """The walk along the index's edges, and the nodes and edges it found."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.nodes: dict[str, Node] = {}
        self.edges: dict[tuple[str, str, Path], Edge] = {}
        self._refs: dict[str, list[tuple[Path, Edge]]] = defaultdict(list)
        self._between: dict[tuple[str, str], list[Edge]] = defaultdict(list)
        self._walked: dict[str, int] = {}
        self._queue: deque[tuple[PathObject, int]] = deque()
        self._objects: dict[int, PathObject] | None = None

    # --- what the index holds ------------------------------------------------------

    def lookup(self, rid: ResourceId) -> PathObject | None:
        """The request-path view of an object a finding names (None for other kinds)."""
        res = self.index.find(rid.kind, rid.namespace, rid.name)
        if res is None:
            return None
        workload = self.index.workload_of(res)
        if workload is not None:
            return workload
        if self._objects is None:
            views: Iterable[PathObject] = (
                *(i for i in self.index.ingresses if i.is_standard),
                *self.index.routes,
                *self.index.services,
                *self.index.pdbs,
                *self.index.network_policies,
            )
            self._objects = {id(v.resource): v for v in views}
        return self._objects.get(id(res))

    def _backends(self, proxy: Ingress | Route) -> list[tuple[Service | None, str, str, Path, str]]:
        """(Service or None, namespace, name, reference path, label) for each Service backend."""
        found: list[tuple[Service | None, str, str, Path, str]] = []
        res = proxy.resource
        if isinstance(proxy, Ingress):
            for b in proxy.backends:
                ref = _common_prefix(b.path, b.port_path)
                found.append(
                    (
                        next(iter(self.index.services_named(res.namespace, b.service, res.doc.file)), None),
                        res.namespace,
                        b.service,
                        ref,
                        _ingress_label(res, b, ref),
                    )
                )
        else:
            for r in proxy.backends:
                if r.is_service:
                    found.append((self._service_named(proxy, r), r.namespace, r.name, r.path, _route_label(r)))
        return found

    def _service_named(self, route: Route, ref: BackendRef) -> Service | None:
        named = self.index.route_graph().services_named(route, ref)
        return named[0] if named else None

    def _senders_to(self, svc: Service) -> list[tuple[PathObject, Path, str]]:
        """Every proxy backend sending to the Service (the index's edges), with its reference path and label."""
        found: list[tuple[PathObject, Path, str]] = []
        for ingress, b in self.index.ingress_backends(svc):
            ref = _common_prefix(b.path, b.port_path)
            found.append((ingress, ref, _ingress_label(ingress.resource, b, ref)))
        for entry in self.index.route_backends(svc):
            found.append((entry.route, entry.ref.path, _route_label(entry.ref)))
        return found

    # --- the walk ------------------------------------------------------------------

    def node(self, obj: PathObject) -> str:
        res = obj.resource
        key = _key(res.kind, res.namespace, res.name)
        if key not in self.nodes:
            self.nodes[key] = Node(key, res.kind, res.namespace, res.name, _role(obj))
        return key

    def edge(self, source: str, target: str, ref: Path, label: str = "") -> Edge:
        found = self.edges.get((source, target, ref))
        if found is None:
            found = self.edges[(source, target, ref)] = Edge(source, target, label)
            self._refs[source].append((ref, found))
            self._between[(min(source, target), max(source, target))].append(found)
        return found

    def visit(self, obj: PathObject, direction: int) -> None:
        self._queue.append((obj, direction))

    def run(self) -> None:
        while self._queue:
            obj, direction = self._queue.popleft()
            key = self.node(obj)
            done = self._walked.get(key, 0)
            if done & direction == direction:
                continue
            self._walked[key] = done | direction
            self._step(obj, key, direction & ~done)

    def _step(self, obj: PathObject, key: str, direction: int) -> None:
        index = self.index
        if isinstance(obj, (Ingress, Route)):
            if direction & DOWN:
                for svc, ns, name, ref, label in self._backends(obj):
                    if svc is None:
                        target = _key("Service", ns, name)
                        self.nodes.setdefault(target, Node(target, "Service", ns, name, SERVICE, missing=True))
                    else:
                        target = self.node(svc)
                        self.visit(svc, DOWN)
                    self.edge(key, target, ref, label)
        elif isinstance(obj, Service):
            if direction & UP:
                for proxy, ref, label in self._senders_to(obj):
                    self.edge(self.node(proxy), key, ref, label)
                    self.visit(proxy, UP)
            if direction & DOWN:
                for w in index.service_pods(obj):
                    self.edge(key, self.node(w), SELECTOR)
                    self.visit(w, DOWN)
        elif isinstance(obj, Workload):
            if direction & UP:
                for svc in index.services_selecting(obj):
                    self.edge(self.node(svc), key, SELECTOR)
                    self.visit(svc, UP)
            for pdb in index.pdbs_for(obj):
                self.edge(self.node(pdb), key, SELECTOR)
            for policy in index.policies_for(obj):
                self.edge(self.node(policy), key, ("spec", "podSelector"))
        elif isinstance(obj, PodDisruptionBudget):
            for w in index.pdb_selects(obj):
                self.edge(key, self.node(w), SELECTOR)
                self.visit(w, UP)
        else:
            for w in index.policy_selects(obj):
                self.edge(key, self.node(w), ("spec", "podSelector"))
                self.visit(w, UP)

    def graph(self) -> RequestGraph:
        """Nodes in reading order (each proxy, then what it reaches, in the order its manifest names them;
        budgets and policies after the pods they act on), and the edges by their source."""
        rank = {role: i for i, role in enumerate((PROXY, SERVICE, WORKLOAD, BUDGET, POLICY))}
        out: dict[str, list[Edge]] = defaultdict(list)
        for e in self.edges.values():
            out[e.source].append(e)
        order: dict[str, int] = {}
        for start in sorted(self.nodes.values(), key=lambda n: rank[n.role]):
            if start.key in order or start.role in (BUDGET, POLICY):
                continue
            queue = deque([start.key])
            order[start.key] = len(order)
            while queue:
                for e in out[queue.popleft()]:
                    if e.target not in order:
                        order[e.target] = len(order)
                        queue.append(e.target)
        guards = [n for n in self.nodes.values() if n.key not in order]
        targets = {n.key: min((order[e.target] for e in out[n.key] if e.target in order), default=0) for n in guards}
        for n in sorted(guards, key=lambda n: (rank[n.role], targets[n.key])):
            order[n.key] = len(order)
        nodes = sorted(self.nodes.values(), key=lambda n: order[n.key])
        edges = [e for n in nodes for e in out[n.key]]
        return RequestGraph(nodes, edges)

    # --- the marks -----------------------------------------------------------------

    def mark(self, finding: Finding) -> None:
        """Put the finding on the edge or object it breaks (see the module docstring)."""
        rid = finding.location.resource
        if rid is None:
            return
        key = _key(rid.kind, rid.namespace, rid.name)
        node = self.nodes.get(key)
        if node is None:
            return
        mark = Mark(finding.rule_id, finding.rule_name, finding.severity)
        path = finding.location.path
        hits = [e for ref, e in self._refs.get(key, []) if ref and path[: len(ref)] == ref]
        if not hits:
            hits = self._related_edges(finding, key)
        for marks in [e.marks for e in hits] or [node.marks]:
            if mark not in marks:
                marks.append(mark)

    def _related_edges(self, finding: Finding, key: str) -> list[Edge]:
        """The edge between the finding's object and the first object it relates, drawn if absent."""
        for rel in finding.related:
            rid = rel.resource
            if rid is None:
                continue
            other = _key(rid.kind, rid.namespace, rid.name)
            if other == key or other not in self.nodes:
                continue
            between = self._between.get((min(key, other), max(key, other)))
            return list(between) if between else [self.edge(key, other, ())]
        return []


def _route_label(ref: BackendRef) -> str:
    return f"port {ref.port}" if ref.port is not None else ""


def _role(obj: PathObject) -> str:
    if isinstance(obj, (Ingress, Route)):
        return PROXY
    if isinstance(obj, Service):
        return SERVICE
    if isinstance(obj, Workload):
        return WORKLOAD
    if isinstance(obj, PodDisruptionBudget):
        return BUDGET
    return POLICY
