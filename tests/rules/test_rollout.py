"""Update strategies resolved the way the Deployment and StatefulSet controllers do."""

from __future__ import annotations

import pytest
from gwlint.engine.run import index_sources
from gwlint.engine.settings import Settings
from gwlint.model.rollout import IntOrPercent
from gwlint.model.workloads import Workload
from gwlint.sources.files import Source


@pytest.mark.parametrize(
    ("value", "percent", "total", "round_up", "expected"),
    [
        (25, True, 1, False, 0),
        (25, True, 1, True, 1),
        (25, True, 4, False, 1),
        (25, True, 5, True, 2),
        (99, True, 3, False, 2),
        (1, True, 1, True, 1),
        (100, True, 7, False, 7),
        (3, False, 10, False, 3),
        (10**400, True, 10**400, True, 10**798),  # no float overflow
    ],
)
def test_resolve(value: int, percent: bool, total: int, round_up: bool, expected: int) -> None:
    assert IntOrPercent(value, percent, ()).resolve(total, round_up) == expected


def _workload(spec: str) -> tuple[Workload, list[str]]:
    manifest = f"""
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
{spec}
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers: [{{name: web, image: "web:1"}}]
"""
    index = index_sources([Source("d.yaml", manifest.encode())], Settings())
    (workload,) = index.workloads
    return workload, [p.message for p in workload.resource.problems]


def test_defaults_are_rolling_update_with_unset_bounds() -> None:
    workload, problems = _workload("  replicas: 2")
    assert workload.strategy is not None
    assert (workload.strategy.type, workload.strategy.type_given) == ("RollingUpdate", False)
    assert workload.strategy.max_unavailable is None and workload.strategy.max_surge is None
    assert workload.min_ready_seconds is None
    assert not problems


def test_bounds_and_min_ready_seconds_are_read() -> None:
    workload, _ = _workload(
        "  minReadySeconds: 5\n  strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 50%}}"
    )
    assert workload.strategy is not None
    assert workload.strategy.max_unavailable == IntOrPercent(
        0, False, ("spec", "strategy", "rollingUpdate", "maxUnavailable")
    )
    assert workload.strategy.max_surge == IntOrPercent(50, True, ("spec", "strategy", "rollingUpdate", "maxSurge"))
    assert workload.min_ready_seconds == 5


@pytest.mark.parametrize("bad", ['"1"', "25 %", "-1", "[1]"])
def test_malformed_bound_is_gw002_and_marks_the_strategy(bad: str) -> None:
    workload, problems = _workload(f"  strategy: {{rollingUpdate: {{maxUnavailable: {bad}}}}}")
    assert workload.strategy is not None and workload.strategy.malformed
    assert any("maxUnavailable" in p for p in problems)
