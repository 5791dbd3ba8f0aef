"""The closest-template lookup answers exactly what scoring every template answers, in linear time."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from gwlint.engine.run import load_sources
from gwlint.index.build import build_index
from gwlint.index.closest import MAX_KEYS, KeyView, scan
from gwlint.sources.files import Source
from hypothesis import given, settings
from hypothesis import strategies as st

KEYS = ["app", "tier", "release", "name", "zone", "extra"]
VALUES = ["web", "api", "v1", "v2"]
NAMES = ["web", "web-1", "we", "api", "api-web", "", "w", "webb"]


def _workload(labels: dict[str, str], name: str, batch: bool) -> Any:
    return SimpleNamespace(labels=labels, is_batch=batch, resource=SimpleNamespace(name=name))


WORKLOADS = st.lists(
    st.builds(
        _workload,
        st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES), max_size=4),
        st.sampled_from(NAMES),
        st.booleans(),
    ),
    max_size=25,
)
SELECTORS = st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES), max_size=MAX_KEYS)


@settings(max_examples=400, deadline=None)
@given(workloads=WORKLOADS, selector=SELECTORS, name=st.one_of(st.none(), st.sampled_from(NAMES)))
def test_lookup_matches_the_scan(workloads: list[Any], selector: dict[str, str], name: str | None) -> None:
    keys = sorted(selector)
    view = KeyView(keys, workloads)
    assert view.closest([selector[k] for k in keys], name) is scan(workloads, selector, name)


def test_scan_scores_pairs_then_keys_then_names() -> None:
    web = _workload({"app": "web", "tier": "front"}, "frontend", False)
    keys_only = _workload({"app": "x", "tier": "y", "release": "z"}, "other", False)
    named = _workload({"app": "x"}, "web", False)
    job = _workload({"app": "web", "tier": "front", "release": "v1"}, "migrate", True)
    selector = {"app": "web", "tier": "back", "release": "v2"}
    # web: 3 + 1 = 4; keys_only: 3; named: 1; the Job scores 3 + 1 + 1 = 5 and is never named
    assert scan([web, keys_only, named], selector, "web") is web
    assert scan([web, keys_only, named, job], selector, None) is None
    tie_a = _workload({"app": "x"}, "alpha", False)
    tie_b = _workload({"app": "x"}, "web-canary", False)
    assert scan([tie_a, tie_b], {"app": "web"}, "web") is tie_b
    assert scan([tie_a, tie_b], {"app": "web"}, "db") is tie_a
    assert KeyView(["app"], [tie_a, tie_b]).closest(["web"], "web") is tie_b


def test_index_scans_once_then_looks_up() -> None:
    docs = []
    for i in range(6):
        docs.append(
            f"""apiVersion: apps/v1
kind: Deployment
metadata: {{name: app-{i}, namespace: one}}
spec:
  selector: {{matchLabels: {{app: app-{i}}}}}
  template:
    metadata: {{labels: {{app: app-{i}, tier: web}}}}
    spec: {{containers: [{{name: c, image: i}}]}}
---
apiVersion: v1
kind: Service
metadata: {{name: app-{i}, namespace: one}}
spec:
  selector: {{app: typo-{i}, tier: web}}
  ports: [{{port: 80}}]
"""
        )
    index = build_index([(lf, False) for lf in load_sources([Source("all.yaml", "---\n".join(docs).encode())])])
    found = [index.closest("one", {"app": f"typo-{i}", "tier": "web"}, f"app-{i}") for i in range(6)]
    assert [w.resource.name if w else None for w in found] == [f"app-{i}" for i in range(6)]
    assert list(index._closest_views) == [("one", ("app", "tier"))]
    assert index.closest("one", {"tier": "web", "app": "typo-3"}, "app-3") is found[3]
