"""Repository runs in process, with the real helm and kubectl: what each apply is linted with.

Each test builds a small repository in a temporary folder: a chart or a kustomization
beside a plain manifest that refers to what it renders. The namespace a render's objects
land in, a render that fails, and the request paths all decide what the plain manifest's
references find.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gwlint.core.findings import Severity
from gwlint.engine.api import Rule
from gwlint.engine.registry import builtin_rules
from gwlint.engine.repository import RenderOptions, RepositoryRun, lint_repository
from gwlint.engine.settings import Settings

from ..tools import render_tools

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
"""

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.0
          ports:
            - containerPort: 8080
"""

INGRESS = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
spec:
  ingressClassName: nginx
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
---
apiVersion: v1
kind: Service
metadata:
  name: front
  namespace: shop
spec:
  ports:
    - port: 80
"""


@pytest.fixture(scope="module", autouse=True)
def _tools() -> None:
    render_tools()


def rules(*ids: str) -> list[Rule]:
    return [cls() for cls in builtin_rules() if cls.id in ids]


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def lint(root: Path, *ids: str, options: RenderOptions | None = None, paths: bool = False) -> RepositoryRun:
    return lint_repository(
        [root.as_posix()], rules(*ids), Settings(), options or RenderOptions(use_cache=False), request_paths=paths
    )


def found(run: RepositoryRun) -> list[tuple[str, Severity]]:
    return [(f.rule_id, f.severity) for f in run.result.findings]


def test_a_configured_overlay_namespace_places_its_objects(tmp_path: Path) -> None:
    """Built objects that name no namespace are applied where the overlay's config says
    (``kubectl apply -k app -n shop``): the plain Ingress in shop finds the Service."""
    write(
        tmp_path,
        {
            "app/kustomization.yaml": "resources: [service.yaml, deployment.yaml]\n",
            "app/service.yaml": SERVICE,
            "app/deployment.yaml": DEPLOYMENT,
            "plain/ingress.yaml": INGRESS,
        },
    )
    assert found(lint(tmp_path, "GW101")) == [("GW101", Severity.ERROR)]
    configured = RenderOptions(kustomizations={str(tmp_path / "app"): {"namespace": "shop"}}, use_cache=False)
    assert found(lint(tmp_path, "GW101", options=configured)) == []


CHART = "apiVersion: v2\nname: web\nversion: 0.1.0\n"


def test_a_configured_release_namespace_places_its_objects(tmp_path: Path) -> None:
    """As ``helm install --namespace shop``: the release's objects that name none are in shop."""
    write(
        tmp_path,
        {
            "chart/Chart.yaml": CHART,
            "chart/templates/service.yaml": SERVICE,
            "chart/templates/deployment.yaml": DEPLOYMENT,
            "plain/ingress.yaml": INGRESS,
        },
    )
    assert found(lint(tmp_path, "GW101")) == [("GW101", Severity.ERROR)]
    configured = RenderOptions(charts={str(tmp_path / "chart"): {"namespace": "shop"}}, use_cache=False)
    assert found(lint(tmp_path, "GW101", options=configured)) == []


def test_a_failed_render_leaves_its_namespace_incomplete(tmp_path: Path) -> None:
    """The Service the Ingress names may be in the chart that did not render: a note (GW005
    says why), in the release's namespace only; an Ingress elsewhere keeps its error."""
    required = SERVICE.replace("name: web", 'name: {{ required "name is required" .Values.name }}', 1)
    write(
        tmp_path,
        {
            "chart/Chart.yaml": CHART,
            "chart/templates/service.yaml": required,
            "plain/ingress.yaml": INGRESS,
            "plain/other.yaml": INGRESS.replace("namespace: shop", "namespace: other"),
        },
    )
    configured = RenderOptions(charts={str(tmp_path / "chart"): {"namespace": "shop"}}, use_cache=False)
    run = lint(tmp_path, "GW005", "GW101", options=configured)
    by_file = {(f.location.file, f.rule_id): f for f in run.result.findings}
    assert sorted(by_file) == [
        (f"{tmp_path}/chart/templates/service.yaml", "GW005"),
        (f"{tmp_path}/plain/ingress.yaml", "GW101"),
        (f"{tmp_path}/plain/other.yaml", "GW101"),
    ]
    assert by_file[(f"{tmp_path}/plain/ingress.yaml", "GW101")].severity == Severity.NOTE
    assert by_file[(f"{tmp_path}/plain/other.yaml", "GW101")].severity == Severity.ERROR


def test_request_paths_are_drawn_from_every_apply(tmp_path: Path) -> None:
    """The plain Ingress, the overlay's Service and the Deployment a finding marks are
    one path, though the overlay is linted as an apply of its own."""
    write(
        tmp_path,
        {
            "app/kustomization.yaml": "namespace: shop\nresources: [service.yaml, deployment.yaml]\n",
            "app/service.yaml": SERVICE,
            "app/deployment.yaml": DEPLOYMENT.replace("replicas: 2", "replicas: 1"),
            "plain/ingress.yaml": INGRESS,
        },
    )
    run = lint(tmp_path, "GW101", "GW406", paths=True)
    assert [f.rule_id for f in run.result.findings] == ["GW406"]
    graph = run.result.paths
    assert graph is not None
    keys = [n.key for n in graph.nodes]
    assert keys == ["Ingress/shop/web", "Service/shop/web", "Deployment/shop/web"]
    assert [m.rule_id for m in graph.nodes[2].marks] == ["GW406"]
    assert [(e.source, e.target) for e in graph.edges] == [
        ("Ingress/shop/web", "Service/shop/web"),
        ("Service/shop/web", "Deployment/shop/web"),
    ]
    assert run.precision == {"exact": 1}


def test_a_component_no_root_uses_is_not_linted_on_its_own(tmp_path: Path) -> None:
    """A component is a fragment for the overlays that include it (its objects meet the
    overlay's): one no root includes is applied by nothing, like a patch, even when
    passed by name; once a root includes it, its objects are linted through that root."""
    write(
        tmp_path,
        {
            "base/kustomization.yaml": "resources: [deployment.yaml]\n",
            "base/deployment.yaml": DEPLOYMENT,
            "components/extra/kustomization.yaml": "kind: Component\nresources: [service.yaml]\n",
            "components/extra/service.yaml": SERVICE.replace("app: web", "app: nothing"),
            "overlay/kustomization.yaml": "resources: [../base]\n",
        },
    )
    (tmp_path / ".git").mkdir()  # a changed file's overlays are looked for in its repository
    assert found(lint(tmp_path, "GW201")) == []
    by_name = lint_repository(
        [str(tmp_path / "components/extra/service.yaml")], rules("GW201"), Settings(), RenderOptions(use_cache=False)
    )
    assert by_name.result.findings == [] and by_name.result.files == 0
    (tmp_path / "overlay/kustomization.yaml").write_text("resources: [../base]\ncomponents: [../components/extra]\n")
    (gw201,) = lint(tmp_path, "GW201").result.findings
    assert gw201.location.file == f"{tmp_path}/components/extra/service.yaml"
