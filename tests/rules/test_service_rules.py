"""One mistake, one finding: the Ingress and Service rules do not report each other's causes.

The golden cases check each rule alone; these run every GW1xx and GW2xx rule together
on one mistake and check which rules answer, where the other side points, and that
malformed values in the fields they read never raise.
"""

from __future__ import annotations

import pytest
from gwlint.core.findings import Severity
from gwlint.core.result import RunResult
from gwlint.engine.registry import builtin_rules
from gwlint.engine.run import lint
from gwlint.sources.files import Source

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {{app: {selector}}}
  template:
    metadata:
      labels: {{app: {label}}}
    spec:
      containers:
        - name: web
          image: "web:1"
          ports: [{ports}]
"""

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {{app: {selector}}}
  ports: [{ports}]
"""

INGRESS = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  defaultBackend:
    service: {{name: {service}, port: {port}}}
"""


def _run(*docs: str, prefixes: tuple[str, ...] = ("GW1", "GW2")) -> RunResult:
    rules = [cls() for cls in builtin_rules() if cls.id.startswith(prefixes)]
    return lint([Source("case.yaml", "---\n".join(docs).encode())], rules)


def _ids(result: RunResult) -> list[str]:
    assert not result.errors, [e.message for e in result.errors]
    return sorted(f.rule_id for f in result.findings)


def _app(**kw: str) -> tuple[str, str, str]:
    values = {
        "selector": "web",
        "label": "web",
        "ports": "{name: http, containerPort: 8080}",
        "svc_selector": "web",
        "svc_ports": "{name: http, port: 80, targetPort: 8080}",
        "service": "web",
        "port": "{number: 80}",
    }
    values.update(kw)
    return (
        INGRESS.format(service=values["service"], port=values["port"]),
        SERVICE.format(selector=values["svc_selector"], ports=values["svc_ports"]),
        DEPLOYMENT.format(selector=values["selector"], label=values["label"], ports=values["ports"]),
    )


def test_the_healthy_chain_is_silent() -> None:
    assert _ids(_run(*_app())) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # a renamed pod label: the Service lost its pods, the Deployment its template
        ({"label": "web-v2"}, ["GW201", "GW206"]),
        # the Ingress names a Service that is not there: not also a port problem
        ({"service": "wbe"}, ["GW101"]),
        # the Ingress names the container port (the targetPort: a warning) or no port at all
        ({"port": "{number: 8080}"}, ["GW102"]),
        ({"port": "{number: 8081}"}, ["GW102"]),
        ({"port": "{name: web}"}, ["GW102"]),
        # the Service targets a port the pods do not declare
        ({"svc_ports": "{name: http, port: 80, targetPort: 9090}"}, ["GW202"]),
        ({"svc_ports": "{name: http, port: 80, targetPort: web}"}, ["GW203"]),
        # the port exists with another protocol: GW204 for a name; a number reaches the pod
        # whatever protocol it declares (the declaration is informational): nothing
        ({"svc_ports": "{name: http, port: 80, targetPort: 8080, protocol: UDP}"}, []),
        ({"svc_ports": "{name: http, port: 80, targetPort: http, protocol: UDP}"}, ["GW204"]),
    ],
)
def test_one_mistake_gives_one_finding(change: dict[str, str], expected: list[str]) -> None:
    assert _ids(_run(*_app(**change))) == expected


@pytest.mark.parametrize(
    ("port", "severity"),
    [("{number: 8080}", Severity.WARNING), ("{number: 8081}", Severity.ERROR), ("{name: web}", Severity.ERROR)],
)
def test_a_backend_naming_the_target_port_is_only_a_warning(port: str, severity: Severity) -> None:
    (finding,) = _run(*_app(port=port)).findings
    assert finding.rule_id == "GW102" and finding.severity == severity
    assert ("ingress-nginx only" in finding.message) == (severity == Severity.WARNING)
    assert ("503" in finding.message) == (severity == Severity.ERROR)


def test_port_findings_point_at_the_other_side() -> None:
    docs = _app(svc_ports="{name: http, port: 80, targetPort: 9090}", port="{number: 81}")
    lines = "---\n".join(docs).splitlines()
    service_ports = lines.index("  ports: [{name: http, port: 80, targetPort: 9090}]") + 1
    container_ports = lines.index("          ports: [{name: http, containerPort: 8080}]") + 1
    by_rule = {f.rule_id: f for f in _run(*docs).findings}
    (gw102,), (gw202,) = by_rule["GW102"].related, by_rule["GW202"].related
    assert gw102.resource is not None and gw102.resource.kind == "Service"
    assert gw102.span is not None and gw102.span.line == service_ports
    assert gw202.resource is not None and gw202.resource.kind == "Deployment"
    assert gw202.span is not None and gw202.span.line == container_ports


@pytest.mark.parametrize(
    "junk",
    ["ports: 80", "ports: [80, {port: x}]", "ports: [{port: 80, targetPort: {a: 1}, protocol: 6}]", "ports: [null]"],
)
def test_malformed_service_ports_never_raise(junk: str) -> None:
    service = f"apiVersion: v1\nkind: Service\nmetadata: {{name: web}}\nspec:\n  selector: {{app: web}}\n  {junk}\n"
    ingress, _, deployment = _app()
    result = _run(ingress, service, deployment)
    assert not result.errors, [e.message for e in result.errors]


@pytest.mark.parametrize(
    "junk",
    [
        "selector: [app]",
        "selector: {matchLabels: {app: 1}}",
        "selector: {matchExpressions: [{key: app, operator: Maybe}]}",
        "template: {metadata: {labels: [app]}, spec: {containers: [{name: web, args: 8443, env: {a: b}}]}}",
        # selected, declares other ports: GW202 reads args, env and mounted ConfigMaps
        "selector: {matchLabels: {app: web}}\n  template: {metadata: {labels: {app: web}}, spec: {volumes: x, "
        "containers: [{name: web, ports: [{containerPort: 1}], args: 8443, env: [{value: {}}, 3], envFrom: 3}]}}",
        "selector: {matchLabels: {app: web}}\n  template: {metadata: {labels: {app: web}}, spec: {volumes: "
        "[{configMap: {name: 7}}, {projected: {sources: [{configMap: []}]}}], containers: [{name: web, ports: "
        "[{containerPort: 1}], envFrom: [{configMapRef: {name: cm}}]}]}}",
    ],
)
def test_malformed_workloads_never_raise(junk: str) -> None:
    deployment = f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  {junk}\n"
    ingress, service, _ = _app()
    result = _run(ingress, service, deployment)
    assert not result.errors, [e.message for e in result.errors]


DENY_ALL = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny
spec:
  podSelector: {}
  policyTypes: [Ingress]
"""


@pytest.mark.parametrize("proxied", [True, False], ids=["behind-ingress", "no-proxy"])
def test_blocked_port_names_a_504_only_behind_a_proxy(proxied: bool) -> None:
    ingress, service, deployment = _app()
    [finding] = _run(service, deployment, DENY_ALL, *([ingress] if proxied else []), prefixes=("GW601",)).findings
    assert finding.message.endswith(
        "connections through the Service time out"
        + (" (504 at the Ingress or Gateway in front of it)" if proxied else "")
    )
