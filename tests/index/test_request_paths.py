"""The request paths the index builds for reports: which objects, which edges, what each finding marks."""

from __future__ import annotations

from gwlint.core.graph import BUDGET, POLICY, PROXY, SERVICE, WORKLOAD, Edge, RequestGraph
from gwlint.engine.registry import builtin_rules
from gwlint.engine.run import lint
from gwlint.sources.files import Source

from ..conftest import TESTDATA

SHOP = TESTDATA / "reports/shop"


def shop_paths() -> RequestGraph:
    sources = [Source(p.name, p.read_bytes()) for p in sorted(SHOP.glob("*.yaml"))]
    result = lint(sources, [cls() for cls in builtin_rules()], request_paths=True)
    assert result.paths is not None
    return result.paths


def edge(graph: RequestGraph, source: str, target: str) -> Edge:
    (found,) = [e for e in graph.edges if e.source == source and e.target == target]
    return found


def marks(e: Edge) -> list[str]:
    return [m.rule_id for m in e.marks]


def test_every_path_through_a_touched_object_with_its_neighbours() -> None:
    graph = shop_paths()
    roles = {n.key: n.role for n in graph.nodes}
    assert roles == {
        "Ingress/shop/storefront": PROXY,
        "Service/shop/cart": SERVICE,
        "Service/shop/account": SERVICE,
        "Service/shop/web": SERVICE,
        "Deployment/shop/cart": WORKLOAD,
        "Deployment/shop/account": WORKLOAD,
        "Deployment/shop/web": WORKLOAD,
        "PodDisruptionBudget/shop/cart": BUDGET,
        "PodDisruptionBudget/shop/account": BUDGET,
        "PodDisruptionBudget/shop/web": BUDGET,
        "NetworkPolicy/shop/account-from-ingress": POLICY,
    }
    assert [n.key for n in graph.nodes][:4] == [
        "Ingress/shop/storefront",
        "Service/shop/cart",
        "Service/shop/account",
        "Service/shop/web",
    ], "each proxy first, then its backends in the order the manifest names them"


def test_each_finding_marks_what_it_breaks() -> None:
    graph = shop_paths()
    ingress = "Ingress/shop/storefront"
    assert marks(edge(graph, ingress, "Service/shop/account")) == ["GW102"]  # the backend's port
    assert edge(graph, ingress, "Service/shop/account").label == "shop.example.com/account → port 443"
    assert marks(edge(graph, ingress, "Service/shop/cart")) == []
    # no edge selects the cart pods: one is drawn to the closest pod template, for GW201
    assert marks(edge(graph, "Service/shop/cart", "Deployment/shop/cart")) == ["GW201"]
    assert marks(edge(graph, "Service/shop/web", "Deployment/shop/web")) == []
    nodes = {n.key: [m.rule_id for m in n.marks] for n in graph.nodes}
    assert nodes["Deployment/shop/account"] == ["GW403"]  # about the object itself
    assert sum(map(len, nodes.values())) == 1


def test_a_missing_backend_is_a_node_marked_missing() -> None:
    sources = [Source(p.name, p.read_bytes()) for p in sorted(SHOP.glob("*.yaml")) if p.name != "ingress.yaml"]
    text = (SHOP / "ingress.yaml").read_text(encoding="utf-8").replace("name: cart", "name: basket")
    sources.append(Source("ingress.yaml", text.encode()))
    result = lint(sources, [cls() for cls in builtin_rules() if cls.id == "GW101"], request_paths=True)
    assert result.paths is not None
    (missing,) = [n for n in result.paths.nodes if n.missing]
    assert missing.key == "Service/shop/basket"
    assert marks(edge(result.paths, "Ingress/shop/storefront", missing.key)) == ["GW101"]
