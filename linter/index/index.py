"""One read-only index over every object of a run: kinds, names, labels, and every edge between objects.

Selector questions ("which pod templates does this select in this namespace?") are
answered through postings keyed by (namespace, label, value), never by comparing every
selector with every template, so the run stays linear in the number of objects.

Every cross-object edge a rule needs is defined here once and built once per run
(lazily, on the first question, when not every run needs it), so that rules keep no
per-run state and agree with each other:

- Service → pod templates (:meth:`Index.service_pods`, :meth:`Index.backend_groups`),
  pod template → Services (:meth:`Index.services_selecting`, :meth:`Index.is_serving`);
- what sends traffic to a Service: Ingress backends (:meth:`Index.ingress_backends`),
  route entries (:meth:`Index.route_backends`), "behind a proxy" (:meth:`Index.is_proxied`);
- operator-made pods and Services (:meth:`Index.operator_pods_owner`,
  :meth:`Index.operator_service_owner`; the definition is in :mod:`gwlint.index.operator_pods`);
- HPAs, PDBs and NetworkPolicies of a pod template (:meth:`Index.hpas_for`,
  :meth:`Index.pdbs_for`, :meth:`Index.policies_for`) and the replica floor
  (:meth:`Index.replica_floor`);
- names across namespaces, for the hints of the missing-reference rules (:attr:`Index.names`).

The helper modules beside this one (``service_ports``, ``operator_pods``, ``replicas``,
``route_graph``, ``names``, ``closest``) are given narrow inputs and never import the index.
Those that serve only some runs (``closest`` and ``names`` the hints of findings,
``route_graph`` Gateway API routes, ``operator_pods`` operator-made objects,
``replicas`` HPAs) are imported on the first question that needs them, not with the index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Final

from gwlint.core.datapath import Path
from gwlint.core.records import Frozen, Record, Value
from gwlint.index.copies import Copies
from gwlint.index.service_ports import ConfigMapLookup, may_listen_undeclared
from gwlint.index.serving import carries_client_traffic, serving_containers
from gwlint.loader.document import InputProblem, LoadedFile
from gwlint.model.configmap import ConfigMap, make_config_map
from gwlint.model.destinationrule import DestinationRule, is_destination_rule, make_destination_rule
from gwlint.model.hpa import HorizontalPodAutoscaler, make_hpa
from gwlint.model.ingress import Ingress, IngressBackend, make_ingress
from gwlint.model.netpol import NetworkPolicy, make_network_policy
from gwlint.model.pdb import PodDisruptionBudget, make_pdb
from gwlint.model.podlabels import controller_mismatch, template_part
from gwlint.model.resource import Resource
from gwlint.model.routes import ROUTE_KINDS, ReferenceGrant, Route, is_gateway_api, make_reference_grant, make_route
from gwlint.model.selectors import LabelSelector
from gwlint.model.service import Service, make_service
from gwlint.model.trafficsplit import TrafficSplit, is_traffic_split, make_traffic_split
from gwlint.model.workloads import TEMPLATE_PATHS, Container, Workload, make_workload

if TYPE_CHECKING:
    from gwlint.index.closest import KeyView
    from gwlint.index.names import NameTables
    from gwlint.index.operator_pods import OperatorObjects
    from gwlint.index.replicas import ReplicaFloor
    from gwlint.index.route_graph import RouteBackend, RouteGraph

MODELLED_KINDS = frozenset(
    {
        *TEMPLATE_PATHS,
        "Service", "Ingress", "PodDisruptionBudget", "HorizontalPodAutoscaler",
        "NetworkPolicy", "HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute",
        "ReferenceGrant", "Endpoints", "EndpointSlice", "Namespace", "TrafficSplit", "ConfigMap",
        "DestinationRule",
    }
)  # fmt: skip


"""Kinds whose documents are built in full; others keep only apiVersion, kind and metadata."""


class PodOwnerKind(Frozen):
    """A pod owner declared in config: kind, optional apiVersion, and its template path."""

    __slots__ = ("api_version", "kind", "template")

    kind: Final[str]
    api_version: Final[str | None]
    template: Final[Path]

    def __init__(self, kind: str, api_version: str | None, template: Path) -> None:
        self.kind = kind
        self.api_version = api_version
        self.template = template


class Duplicate(Value):
    """An object defined again: ``resource`` repeats the identity of ``first``."""

    __slots__ = ("first", "resource")

    first: Resource
    resource: Resource

    def __init__(self, first: Resource, resource: Resource) -> None:
        self.first = first
        self.resource = resource


class Lost(Frozen):
    """Input the run could not read, so the other side of a reference may be in it.

    A document that does not parse, a file that is not text, a document the loader
    refuses (and, from the renderers, a chart or overlay that does not render).
    ``namespaces``: the namespaces its objects would have been in (the one its text
    shows; else the default namespace and those of the other objects of its file);
    None when nothing tells, so every namespace of the run may miss something.
    """

    __slots__ = ("file", "line", "namespaces", "what")

    file: Final[str]
    line: Final[int | None]
    """0-based line where it starts, when known."""
    namespaces: Final[frozenset[str] | None]
    what: Final[str]
    """What was lost, for messages: ``a document that does not parse``."""

    def __init__(self, file: str, line: int | None, namespaces: frozenset[str] | None, what: str) -> None:
        self.file = file
        self.line = line
        self.namespaces = namespaces
        self.what = what

    def describe(self) -> str:
        """``a document that does not parse (app.yaml:19)``."""
        where = self.file if self.line is None else f"{self.file}:{self.line + 1}"
        return f"{self.what} ({where})"


class Index(Record):
    """Everything the rules may look up; built once, then only read."""

    __slots__ = (
        "_by_name",
        "_closest_scanned",
        "_closest_views",
        "_copies",
        "_hpas_for",
        "_ingress_backends",
        "_key_postings",
        "_lost_in",
        "_names",
        "_ns_groups",
        "_ns_workloads",
        "_operators",
        "_pdbs_for",
        "_policies_for",
        "_postings",
        "_route_graph",
        "_selected_by",
        "_selectors",
        "_service_copies",
        "_service_pods",
        "_services_by_name",
        "_serving",
        "_serving_services",
        "_serving_workloads",
        "_traffic_services",
        "_traffic_split_apexes",
        "_workload_of",
        "by_kind",
        "config_maps",
        "destination_rules",
        "duplicates",
        "files",
        "hpas",
        "ingresses",
        "lost",
        "network_policies",
        "pdbs",
        "problems",
        "reference_grants",
        "resources",
        "routes",
        "services",
        "traffic_splits",
        "workloads",
    )

    files: list[LoadedFile]
    resources: list[Resource]
    problems: list[InputProblem]
    """Problems of the input that belong to a file or document, not to a built object."""
    lost: list[Lost]
    workloads: list[Workload]
    services: list[Service]
    ingresses: list[Ingress]
    pdbs: list[PodDisruptionBudget]
    hpas: list[HorizontalPodAutoscaler]
    routes: list[Route]
    reference_grants: list[ReferenceGrant]
    network_policies: list[NetworkPolicy]
    config_maps: dict[tuple[str, str], ConfigMap]
    traffic_splits: list[TrafficSplit]
    destination_rules: list[DestinationRule]
    duplicates: list[Duplicate]
    by_kind: dict[str, list[Resource]]
    _by_name: dict[tuple[str, str, str], list[Resource]]
    _copies: dict[tuple[str, str, str], Copies[Workload]]
    _postings: dict[tuple[str, str, str], list[Copies[Workload]]]
    _key_postings: dict[tuple[str, str], list[Copies[Workload]]]
    _ns_groups: dict[str, list[Copies[Workload]]]
    _ns_workloads: dict[str, list[Workload]]
    _service_copies: dict[tuple[str, str], Copies[Service]]
    _selectors: set[tuple[str, str, str, str]]
    """(kind, namespace, selector, file) of every Service, PDB and NetworkPolicy selector."""
    _selected_by: dict[int, list[Service]]
    _workload_of: dict[int, Workload]
    _services_by_name: dict[tuple[str, str], Service]
    _hpas_for: dict[int, list[HorizontalPodAutoscaler]] | None
    _serving: dict[int, list[Container]]
    _serving_services: dict[int, list[Service]]
    _serving_workloads: list[Workload] | None
    _route_graph: RouteGraph | None
    _pdbs_for: dict[int, list[PodDisruptionBudget]] | None
    _policies_for: dict[int, list[NetworkPolicy]] | None
    _closest_scanned: set[tuple[str, tuple[str, ...]]]
    _service_pods: dict[int, list[Workload]]
    _closest_views: dict[tuple[str, tuple[str, ...]], KeyView]
    _ingress_backends: dict[int, list[tuple[Ingress, IngressBackend]]] | None
    _lost_in: dict[str, list[Lost]]
    _operators: OperatorObjects | None
    _names: NameTables | None
    _traffic_services: list[Service] | None
    _traffic_split_apexes: set[tuple[str, str]] | None

    def __init__(self, files: list[LoadedFile] | None = None) -> None:
        self.files = [] if files is None else files
        self.resources = []
        self.problems = []
        self.lost = []
        self.workloads = []
        self.services = []
        self.ingresses = []
        self.pdbs = []
        self.hpas = []
        self.routes = []
        self.reference_grants = []
        self.network_policies = []
        self.config_maps = {}
        self.traffic_splits = []
        self.destination_rules = []
        self.duplicates = []
        self.by_kind = defaultdict(list)
        self._by_name = defaultdict(list)
        self._copies = {}
        self._postings = defaultdict(list)
        self._key_postings = defaultdict(list)
        self._ns_groups = defaultdict(list)
        self._ns_workloads = defaultdict(list)
        self._service_copies = {}
        self._selectors = set()
        self._selected_by = {}
        self._workload_of = {}
        self._services_by_name = {}
        self._hpas_for = None
        self._serving = {}
        self._serving_services = {}
        self._serving_workloads = None
        self._route_graph = None
        self._pdbs_for = None
        self._policies_for = None
        self._closest_scanned = set()
        self._service_pods = {}
        self._closest_views = {}
        self._ingress_backends = None
        self._lost_in = {}
        self._operators = None
        self._names = None
        self._traffic_services = None
        self._traffic_split_apexes = None

    # --- lookups ---------------------------------------------------------------------

    def lost_in(self, namespace: str) -> list[Lost]:
        """What the run could not read that may hold objects of ``namespace`` (see :class:`Lost`).

        The rules that report a missing other side (a Service, pods, a workload) lower
        their finding to a note naming it: the other side may be in what was lost.
        """
        found = self._lost_in.get(namespace)
        if found is None:
            found = self._lost_in[namespace] = [
                lost for lost in self.lost if lost.namespaces is None or namespace in lost.namespaces
            ]
        return found

    def find(self, kind: str, namespace: str, name: str) -> Resource | None:
        """The first object of that kind and name in the namespace (any API group)."""
        found = self._by_name.get((kind, namespace, name))
        return found[0] if found else None

    def service(self, namespace: str, name: str) -> Service | None:
        """The Service of that name in the namespace."""
        return self._services_by_name.get((namespace, name))

    def workload_of(self, res: Resource) -> Workload | None:
        """The workload view of a pod owner object."""
        return self._workload_of.get(id(res))

    def workloads_in(self, namespace: str) -> list[Workload]:
        return self._ns_workloads.get(namespace, [])

    def select_map(self, namespace: str, selector: Mapping[str, str], file: str | None = None) -> list[Workload]:
        """Pod templates a Service-style map selector selects (an empty map selects none).

        ``file``: where the selector is written; copies of a workload are paired with it
        (see :mod:`gwlint.index.copies`). None: every copy.
        """
        if not selector:
            return []
        lists = []
        for k, v in selector.items():
            posting = self._postings.get((namespace, k, v))
            if not posting:
                return []
            lists.append(posting)
        smallest = min(lists, key=len)
        items = selector.items()
        return [w for g in smallest for w in g.pick(file) if all(w.labels.get(k) == v for k, v in items)]

    def service_pods(self, svc: Service) -> list[Workload]:
        """Pod templates whose pods the Service selects (none for ExternalName or no selector).

        Labels set by a controller or at run time (a per-pod Service on
        ``statefulset.kubernetes.io/pod-name: web-0``) are on the pods, not the template:
        the template must hold the other pairs, and the controller's labels must fit it
        (see :mod:`gwlint.podlabels`). A selector of such labels only is not matched.
        Matched once per Service when the index is finished; the list is shared, not copied.
        """
        cached = self._service_pods.get(id(svc))
        return cached if cached is not None else self._match_service(svc)

    def _match_service(self, svc: Service) -> list[Workload]:
        if not svc.selects_pods or not svc.selector:
            return []
        wanted = template_part(svc.selector)
        file = svc.resource.doc.file
        selected = self.select_map(svc.namespace, wanted, file)
        if len(wanted) != len(svc.selector):
            selected = [w for w in selected if controller_mismatch(w, svc.selector) is None]
        return self._own_render("Service", svc.namespace, _map_signature(svc.selector), file, selected)

    def select(self, namespace: str, selector: LabelSelector | None, file: str | None = None) -> list[Workload]:
        """Pod templates a label selector selects; ``{}`` selects all, None selects none.

        ``file``: where the selector is written, as for :meth:`select_map`.
        """
        if selector is None:
            return []
        candidates: list[Copies[Workload]]
        if selector.match_labels:
            lists = [self._postings.get((namespace, k, v), []) for k, v in selector.match_labels.items()]
            candidates = min(lists, key=len)
        else:
            candidates = self._ns_groups.get(namespace, [])
            for req in selector.expressions:
                if req.operator == "Exists":
                    candidates = self._key_postings.get((namespace, req.key), [])
                    break
                if req.operator == "In":
                    seen: dict[int, Copies[Workload]] = {}
                    for v in req.values:
                        for g in self._postings.get((namespace, req.key, v), []):
                            seen[id(g)] = g
                    candidates = list(seen.values())
                    break
        return [w for g in candidates for w in g.pick(file) if selector.matches(w.labels)]

    def closest(self, namespace: str, selector: Mapping[str, str], name: str | None = None) -> Workload | None:
        """The pod template matching the most selector pairs (then the most keys).

        Ties go to the workload named like ``name`` (the Service), then to the first one:
        a reviewer expects ``web`` to be compared with Deployment ``web``. The first
        call for a namespace and set of keys scores every template (one finding is
        cheaper so); later ones look the answer up (see :mod:`gwlint.closest`).
        """
        from gwlint.index.closest import MAX_KEYS, KeyView, scan

        keys = tuple(sorted(selector))
        workloads = self._ns_workloads.get(namespace, [])
        view = self._closest_views.get((namespace, keys))
        if view is None:
            if len(keys) > MAX_KEYS or (namespace, keys) not in self._closest_scanned:
                self._closest_scanned.add((namespace, keys))
                return scan(workloads, selector, name)
            view = self._closest_views[(namespace, keys)] = KeyView(keys, workloads)
        return view.closest([selector[k] for k in keys], name)

    def services_selecting(self, workload: Workload) -> list[Service]:
        """Services (with a selector, not ExternalName) whose selector selects the template."""
        return self._selected_by.get(id(workload), [])

    def serving_services(self, workload: Workload) -> list[Service]:
        """The Services selecting the template that carry client traffic to it (see :mod:`gwlint.index.serving`)."""
        found = self._serving_services.get(id(workload))
        if found is None:
            lookup = self._config_map_lookup(workload)
            found = self._serving_services[id(workload)] = [
                svc
                for svc in self._selected_by.get(id(workload), [])
                if carries_client_traffic(svc, self.is_proxied(svc), workload, lookup)
            ]
        return found

    def is_serving(self, workload: Workload) -> bool:
        """A serving workload: not a Job/CronJob, and a Service carries client traffic to it.

        The definition is in :mod:`gwlint.index.serving`.
        """
        return not workload.is_batch and bool(self.serving_services(workload))

    def serving_workloads(self) -> list[Workload]:
        """Every serving workload, in input order; computed once and shared by the rules."""
        if self._serving_workloads is None:
            self._serving_workloads = [w for w in self.workloads if self.is_serving(w)]
        return self._serving_workloads

    def serving_containers(self, workload: Workload) -> list[Container]:
        """The containers client traffic reaches (see :mod:`gwlint.index.serving`); none when not serving."""
        cached = self._serving.get(id(workload))
        if cached is None:
            cached = []
            if not workload.is_batch:
                services = self.serving_services(workload)
                if services:
                    cached = serving_containers(workload, services, self._config_map_lookup(workload))
            self._serving[id(workload)] = cached
        return cached

    def _config_map_lookup(self, workload: Workload) -> ConfigMapLookup:
        return lambda name: self.config_maps.get((workload.namespace, name))

    def hpas_for(self, workload: Workload) -> list[HorizontalPodAutoscaler]:
        """HPAs whose ``scaleTargetRef`` names this workload (same namespace, kind and name).

        When the input repeats the workload in several files (one render per values
        file), an HPA scales the copy in its own file, or every copy when its file has
        none (see :mod:`gwlint.index.copies`).
        """
        if self._hpas_for is None:
            table: dict[int, list[HorizontalPodAutoscaler]] = defaultdict(list)
            for hpa in self.hpas:
                if hpa.target_kind and hpa.target_name:
                    group = self._copies.get((hpa.target_kind, hpa.resource.namespace, hpa.target_name))
                    for w in group.pick(hpa.resource.doc.file) if group is not None else ():
                        table[id(w)].append(hpa)
            self._hpas_for = dict(table)
        return self._hpas_for.get(id(workload), [])

    def replica_floor(self, workload: Workload) -> ReplicaFloor | None:
        """The fewest pods the workload runs: the lowest ``minReplicas`` of its HPAs, else its replicas.

        None for kinds without a count (DaemonSet, Pod) and a malformed ``replicas``.
        """
        from gwlint.index.replicas import replica_floor

        return replica_floor(workload, self.hpas_for(workload))

    def route_graph(self) -> RouteGraph:
        """Gateway API route → Service edges and ReferenceGrant checks (see ``route_graph.py``)."""
        if self._route_graph is None:
            from gwlint.index.route_graph import RouteGraph

            self._route_graph = RouteGraph(self._service_copies, self.reference_grants, self.routes)
        return self._route_graph

    # --- what sends traffic to a Service ---------------------------------------------

    def services_named(self, namespace: str, name: str, file: str | None = None) -> list[Service]:
        """The Service of that name, every copy the input holds, paired with ``file`` (a reference's).

        See :mod:`gwlint.index.copies`: the copies in ``file``, else every copy.
        """
        copies = self._service_copies.get((namespace, name))
        return [] if copies is None else copies.pick(file)

    def ingress_backends(self, svc: Service) -> list[tuple[Ingress, IngressBackend]]:
        """Backends of Kubernetes Ingresses (see :attr:`Ingress.is_standard`) that name the Service.

        A backend names the copy of the Service in its Ingress's file, else every copy.
        """
        if self._ingress_backends is None:
            table: dict[int, list[tuple[Ingress, IngressBackend]]] = defaultdict(list)
            for ing in self.ingresses:
                if ing.is_standard:
                    for b in ing.backends:
                        for target in self.services_named(ing.resource.namespace, b.service, ing.resource.doc.file):
                            table[id(target)].append((ing, b))
            self._ingress_backends = dict(table)
        return self._ingress_backends.get(id(svc), [])

    def route_backends(self, svc: Service) -> list[RouteBackend]:
        """Gateway API route entries that send to the Service (cross-namespace ones when granted)."""
        return self.route_graph().backing(svc)

    def is_proxied(self, svc: Service) -> bool:
        """Behind a proxy: a Kubernetes Ingress backend or a permitted route entry names the Service.

        The one definition of "behind a proxy" (GW202-GW205, GW207, GW601): a proxy that
        gwlint reads sends client traffic to it.
        """
        return bool(self.ingress_backends(svc)) or bool(self.route_backends(svc))

    def traffic_services(self) -> list[Service]:
        """Pod-selecting Services whose ports carry traffic to a set of pods, in input order.

        A headless Service that no Ingress or route uses is left out: clients resolve its
        pod addresses and connect to the ports they know, so neither its port list nor
        the workloads it spans (primary and replicas, shards) route anything.
        """
        if self._traffic_services is None:
            self._traffic_services = [
                s for s in self.services if s.selects_pods and (not s.headless or self.is_proxied(s))
            ]
        return self._traffic_services

    def backend_groups(self, svc: Service) -> list[list[Workload]]:
        """The workloads a pod-selecting Service sends to, each as the list of its copies.

        One group per workload name: the same name rendered as another kind (a chart's
        Deployment and DaemonSet variants) is one workload. The selection is already
        paired with the Service's file (see :meth:`service_pods`); when the input also
        repeats the Service itself in other files and its own file holds some of the
        workloads it selects, the workloads of other files are left out too: they are
        other renders of the app side by side.

        Jobs and CronJobs that share the labels of a long-running workload are left out (a
        migration Job labelled like the app is not what the Service is for); a Service
        that selects only batch pods keeps them.
        """
        selected = self.service_pods(svc)
        if not selected or svc.selector is None:
            return []
        selected = [w for w in selected if not w.is_batch] or selected
        file = svc.resource.doc.file
        copies = self._service_copies[(svc.namespace, svc.name)]
        if len(copies.by_file) > 1 and any(w.resource.doc.file == file for w in selected):
            selected = [w for w in selected if w.resource.doc.file == file]
        by_name: dict[str, list[Workload]] = defaultdict(list)
        for w in selected:
            by_name[w.resource.name].append(w)
        return list(by_name.values())

    def _own_render(
        self, kind: str, namespace: str, signature: str, file: str, selected: list[Workload]
    ) -> list[Workload]:
        """A selection without the workloads that another file's own selector of the same kind pairs with.

        When the referring object's file holds some of the workloads it selects, and another
        file holds an object of the same kind with the same selector (another render of the
        app, its names prefixed by another release), that file's workloads belong to it.
        """
        if len(selected) < 2 or not any(w.resource.doc.file == file for w in selected):
            return selected
        return [
            w
            for w in selected
            if w.resource.doc.file == file or (kind, namespace, signature, w.resource.doc.file) not in self._selectors
        ]

    def may_listen_undeclared(self, workload: Workload, number: int) -> bool:
        """Whether the pod template gives reason to think it listens on ``number`` undeclared.

        See :func:`gwlint.index.service_ports.may_listen_undeclared`.
        """
        return may_listen_undeclared(workload, number, self._config_map_lookup(workload))

    # --- where pods and Services come from when the input has no template ------------

    def _operator_objects(self) -> OperatorObjects:
        if self._operators is None:
            from gwlint.index.operator_pods import OperatorObjects
            from gwlint.model.operator_kinds import makes_pods

            self._operators = OperatorObjects(
                res for res in self.resources if makes_pods(res) and self.workload_of(res) is None
            )
        return self._operators

    def operator_pods_owner(self, namespace: str, pairs: Iterable[tuple[str, str]]) -> Resource | None:
        """The custom resource whose operator probably makes the pods these label pairs select.

        The definition is in :mod:`gwlint.index.operator_pods`.
        """
        return self._operator_objects().pods_owner(namespace, pairs)

    def operator_service_owner(self, namespace: str, name: str) -> Resource | None:
        """The custom resource whose operator probably makes the Service of that name."""
        return self._operator_objects().service_owner(namespace, name)

    def is_traffic_split_apex(self, svc: Service) -> bool:
        """Whether an SMI TrafficSplit names the Service as its apex (``spec.service``).

        An apex Service needs no pods of its own: the mesh sends its traffic to the backends.
        """
        if self._traffic_split_apexes is None:
            self._traffic_split_apexes = {(t.resource.namespace, t.service) for t in self.traffic_splits if t.service}
        return (svc.namespace, svc.name) in self._traffic_split_apexes

    def subset_label_keys(self, svc: Service) -> frozenset[str]:
        """The pod label keys that Istio DestinationRule subsets of this Service's host name.

        Workloads that differ in one of them are versions the mesh splits on purpose.
        """
        keys: set[str] = set()
        for rule in self.destination_rules:
            if rule.name == svc.name and rule.namespace == svc.namespace:
                keys |= rule.subset_keys
        return frozenset(keys)

    # --- names: what a reference to something missing is judged against --------------

    @property
    def names(self) -> NameTables:
        """Services, workloads and objects keyed by name (see :mod:`gwlint.index.names`)."""
        if self._names is None:
            from gwlint.index.names import NameTables

            self._names = NameTables(self.resources, self.services, self.workloads)
        return self._names

    def pdb_selects(self, pdb: PodDisruptionBudget) -> list[Workload]:
        """Pod templates a PDB selects: ``{}`` selects all in ``policy/v1`` and none in ``v1beta1``."""
        if pdb.selector is None or (pdb.selector.is_empty and pdb.resource.api_version != "policy/v1"):
            return []
        ns, file = pdb.resource.namespace, pdb.resource.doc.file
        selected = self.select(ns, pdb.selector, file)
        return self._own_render("PodDisruptionBudget", ns, pdb.selector.describe(), file, selected)

    def pdbs_for(self, workload: Workload) -> list[PodDisruptionBudget]:
        """PDBs selecting this pod template, in input order."""
        if self._pdbs_for is None:
            table: dict[int, list[PodDisruptionBudget]] = defaultdict(list)
            for pdb in self.pdbs:
                for w in self.pdb_selects(pdb):
                    table[id(w)].append(pdb)
            self._pdbs_for = dict(table)
        return self._pdbs_for.get(id(workload), [])

    def policy_selects(self, policy: NetworkPolicy) -> list[Workload]:
        """Pod templates a NetworkPolicy's ``podSelector`` selects (copies paired with its file)."""
        if policy.pod_selector is None:
            return []
        ns, file = policy.namespace, policy.resource.doc.file
        selected = self.select(ns, policy.pod_selector, file)
        return self._own_render("NetworkPolicy", ns, policy.pod_selector.describe(), file, selected)

    def policies_for(self, workload: Workload) -> list[NetworkPolicy]:
        """NetworkPolicies whose ``podSelector`` selects this pod template, in input order."""
        if self._policies_for is None:
            table: dict[int, list[NetworkPolicy]] = defaultdict(list)
            for policy in self.network_policies:
                for w in self.policy_selects(policy):
                    table[id(w)].append(policy)
            self._policies_for = dict(table)
        return self._policies_for.get(id(workload), [])

    # --- building --------------------------------------------------------------------

    def add(self, res: Resource, owners: Mapping[str, PodOwnerKind]) -> None:
        """Add one object and the views of its kind."""
        self.resources.append(res)
        self.by_kind[res.kind].append(res)
        self._by_name[(res.kind, res.namespace, res.name)].append(res)
        if res.is_helm_test:
            return
        template: Path | None = TEMPLATE_PATHS.get(res.kind)
        custom = owners.get(res.kind)
        if custom is not None and (custom.api_version in (None, res.api_version)):
            template = custom.template
        if template is not None:
            w = make_workload(res, template)
            if w is not None:
                self.workloads.append(w)
                self._workload_of[id(res)] = w
        elif res.kind == "Service":
            svc = make_service(res)
            self.services.append(svc)
            self._services_by_name.setdefault((res.namespace, res.name), svc)
        elif res.kind == "Ingress":
            self.ingresses.append(make_ingress(res))
        elif res.kind == "PodDisruptionBudget":
            self.pdbs.append(make_pdb(res))
        elif res.kind == "HorizontalPodAutoscaler":
            self.hpas.append(make_hpa(res))
        elif res.kind in ROUTE_KINDS and is_gateway_api(res):
            self.routes.append(make_route(res))
        elif res.kind == "ReferenceGrant" and is_gateway_api(res):
            self.reference_grants.append(make_reference_grant(res))
        elif res.kind == "NetworkPolicy" and res.group == "networking.k8s.io":
            self.network_policies.append(make_network_policy(res))
        elif res.kind == "ConfigMap" and res.group == "":
            self.config_maps.setdefault((res.namespace, res.name), make_config_map(res))
        elif is_traffic_split(res):
            self.traffic_splits.append(make_traffic_split(res))
        elif is_destination_rule(res):
            self.destination_rules.append(make_destination_rule(res))

    def finish(self) -> None:
        """Build postings, duplicates and Service→template edges once every object is in."""
        seen: dict[tuple[str, str, str, str], Resource] = {}
        for res in self.resources:
            key = (res.group, res.kind, res.namespace, res.name)
            if key in seen:
                self.duplicates.append(Duplicate(seen[key], res))
            else:
                seen[key] = res
        for w in self.workloads:
            self._ns_workloads[w.namespace].append(w)
            identity = (w.kind, w.namespace, w.resource.name)
            group = self._copies.get(identity)
            if group is None:
                group = self._copies[identity] = Copies()
                self._ns_groups[w.namespace].append(group)
            group.add(w)
        for group in self._copies.values():
            ns = group.all[0].namespace
            pairs = {pair for w in group.all for pair in w.labels.items()}
            for k, v in pairs:
                self._postings[(ns, k, v)].append(group)
            for k in {k for k, _ in pairs}:
                self._key_postings[(ns, k)].append(group)
        for pdb in self.pdbs:
            if pdb.selector is not None:
                self._selectors.add(
                    ("PodDisruptionBudget", pdb.resource.namespace, pdb.selector.describe(), pdb.resource.doc.file)
                )
        for policy in self.network_policies:
            if policy.pod_selector is not None:
                self._selectors.add(
                    ("NetworkPolicy", policy.namespace, policy.pod_selector.describe(), policy.resource.doc.file)
                )
        for svc in self.services:
            if svc.selector:
                self._selectors.add(("Service", svc.namespace, _map_signature(svc.selector), svc.resource.doc.file))
            copies = self._service_copies.get((svc.namespace, svc.name))
            if copies is None:
                copies = self._service_copies[(svc.namespace, svc.name)] = Copies()
            copies.add(svc)
        for svc in self.services:
            pods = self._service_pods[id(svc)] = self._match_service(svc)
            for w in pods:
                self._selected_by.setdefault(id(w), []).append(svc)


def _map_signature(selector: Mapping[str, str]) -> str:
    """A Service selector as one comparable text, whatever the order of its pairs."""
    return ",".join(f"{k}={v}" for k, v in sorted(selector.items()))
