"""Validation happens when the index is built; afterwards nothing writes into it.

Every typed read of a modelled field happens in the view factories (``gwlint.model``),
called while the index is built. So GW002 reports the same findings whatever rules run,
and the rules only ever read: running them leaves the index and its objects unchanged.
"""

from __future__ import annotations

import ast
from pathlib import Path

from gwlint.engine.registry import builtin_rules
from gwlint.engine.run import index_sources, lint, run_rules
from gwlint.engine.settings import Settings
from gwlint.index.index import Index
from gwlint.sources.files import Source

ROOT = Path(__file__).resolve().parents[2]

MALFORMED = """\
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080, protocol: 6}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  strategy: {type: Recreate, rollingUpdate: {maxSurge: lots}}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      volumes: "oops"
      containers:
        - name: web
          image: nginx
          args: "--port=8080"
          env: {PORT: "8080"}
          envFrom: [{configMapRef: {name: [web]}}]
          ports: [{containerPort: 8080}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web}
data: {port: 8080}
---
apiVersion: split.smi-spec.io/v1alpha2
kind: TrafficSplit
metadata: {name: web}
spec: {service: [web]}
"""


def _gw002(select: list[str]) -> list[tuple[int, int, str]]:
    rules = [cls() for cls in builtin_rules() if cls.id in select or not select]
    result = lint([Source("in.yaml", MALFORMED.encode())], rules)
    return sorted(
        (f.location.span.line, f.location.span.column, f.message)
        for f in result.findings
        if f.rule_id == "GW002" and f.location.span is not None
    )


def test_gw002_reports_the_same_whatever_rules_run() -> None:
    alone = _gw002(["GW002"])
    assert _gw002([]) == alone
    messages = " | ".join(m for _, _, m in alone)
    for field in ("volumes", "rollingUpdate.maxSurge", "args", "env", "ports[0].protocol", "data.port", "spec.service"):
        assert f"`{field}" in messages or f".{field}`" in messages or field in messages, (field, messages)


def _state(index: Index) -> list[object]:
    """Everything the rules could write into: the index's lists and each object's problems."""
    lists = [
        index.resources, index.problems, index.workloads, index.services, index.ingresses, index.pdbs,
        index.hpas, index.routes, index.reference_grants, index.network_policies, index.duplicates,
    ]  # fmt: skip
    return [
        [len(x) for x in lists],
        [(id(r), len(r.problems), r.namespace, r.context_only) for r in index.resources],
        len(index.config_maps),
        len(index.traffic_splits),
    ]


def test_running_the_rules_writes_nothing_into_the_index() -> None:
    texts = [MALFORMED, *(p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.yaml")))]
    sources = [Source(f"in{i}.yaml", text.encode()) for i, text in enumerate(texts)]
    index = index_sources(sources, Settings())
    before = _state(index)
    run_rules(index, [cls() for cls in builtin_rules()], Settings())
    assert _state(index) == before


BANNED = {"get", "get_in", "string_map"}


def test_rules_and_index_never_read_fields_themselves() -> None:
    """Typed reads (``gwlint.model.resource.get`` and friends) belong to the model's views."""
    offenders = []
    files = [*(ROOT / "rules").glob("*.py"), *(ROOT / "linter" / "index").glob("*.py")]
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "gwlint.model.resource":
                offenders += [f"{path.name}: {a.name}" for a in node.names if a.name in BANNED]
    assert not offenders, offenders
