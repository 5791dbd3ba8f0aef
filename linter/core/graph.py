"""The request paths a report draws: proxy → Service → workload, with the budgets and policies on the pods.

A plain record, so reporters draw it without importing the index: the index layer builds
it from its own edges (:func:`gwlint.index.request_paths.request_paths`) for the objects
the findings touch, and marks the objects and edges each finding breaks. Drawing it
decides nothing; everything a diagram says is here.
"""

from __future__ import annotations

from typing import Final

from gwlint.core.findings import Severity
from gwlint.core.records import Frozen, Value

PROXY: Final = "proxy"
"""An Ingress or Gateway API route: where requests enter."""
SERVICE: Final = "service"
WORKLOAD: Final = "workload"
"""A pod template's owner (Deployment, StatefulSet, ...): the pods behind a Service."""
BUDGET: Final = "budget"
"""A PodDisruptionBudget selecting the pods."""
POLICY: Final = "policy"
"""A NetworkPolicy selecting the pods."""


class Mark(Frozen):
    """A finding that breaks an object or an edge: its rule and severity."""

    __slots__ = ("rule_id", "rule_name", "severity")

    rule_id: Final[str]
    rule_name: Final[str]
    severity: Final[Severity]

    def __init__(self, rule_id: str, rule_name: str, severity: Severity) -> None:
        self.rule_id = rule_id
        self.rule_name = rule_name
        self.severity = severity


class Node(Value):
    """One object of the paths; ``missing`` when it is referenced but not in the input."""

    __slots__ = ("key", "kind", "marks", "missing", "name", "namespace", "role")

    key: str
    """Unique in the graph: ``Kind/namespace/name``."""
    kind: str
    namespace: str
    name: str
    role: str
    """One of :data:`PROXY`, :data:`SERVICE`, :data:`WORKLOAD`, :data:`BUDGET`, :data:`POLICY`."""
    missing: bool
    marks: list[Mark]
    """Findings about the object itself, not about one of its edges."""

    def __init__(self, key: str, kind: str, namespace: str, name: str, role: str, missing: bool = False) -> None:
        self.key = key
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.role = role
        self.missing = missing
        self.marks = []


class Edge(Value):
    """A reference from one object to another: a backend, a selector, a budget or a policy."""

    __slots__ = ("label", "marks", "source", "target")

    source: str
    """The key of the object that holds the reference (the Ingress, the Service, the PDB ...)."""
    target: str
    label: str
    """What the reference says, for the reader: ``shop.example.com/api → port 80``; may be empty."""
    marks: list[Mark]
    """Findings that break this reference; none for a healthy edge."""

    def __init__(self, source: str, target: str, label: str = "") -> None:
        self.source = source
        self.target = target
        self.label = label
        self.marks = []


class RequestGraph(Value):
    """The request paths through every object a finding touches, with their healthy neighbours."""

    __slots__ = ("edges", "nodes")

    nodes: list[Node]
    """In the order the paths were walked: proxies before what they reach."""
    edges: list[Edge]

    def __init__(self, nodes: list[Node] | None = None, edges: list[Edge] | None = None) -> None:
        self.nodes = [] if nodes is None else nodes
        self.edges = [] if edges is None else edges
