"""``--fix``, ``--unsafe-fixes`` and ``--diff`` as users run them: files, diffs, exit statuses, reports."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from ..clirun import Gwlint, gwlint_fixture  # noqa: F401  (the gwlint fixture)

# The end-to-end case: a named targetPort typo, an Ingress port-name typo and an
# nginx timeout with a unit, all commented; and a Deployment with only an unsafe fix (GW403).
APP = """\
# The web app, as deployed to the shop.
apiVersion: v1
kind: Service
metadata:
  name: web  # the front Service
spec:
  selector: {app: web}
  ports:
    - name: http
      port: 80
      targetPort: htp  # the pod's named port
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    nginx.ingress.kubernetes.io/proxy-read-timeout: "120s"  # slow reports
spec:
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port: {name: htpp}  # the Service's port name
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - name: http
              containerPort: 8080
          readinessProbe:
            httpGet: {path: /, port: http}
          lifecycle:
            preStop:
              sleep: {seconds: 5}
"""
SAFE = {
    "      targetPort: htp  # the pod's named port\n": "      targetPort: http  # the pod's named port\n",
    '    nginx.ingress.kubernetes.io/proxy-read-timeout: "120s"  # slow reports\n': (
        '    nginx.ingress.kubernetes.io/proxy-read-timeout: "120"  # slow reports\n'
    ),
    "                port: {name: htpp}  # the Service's port name\n": (
        "                port: {name: http}  # the Service's port name\n"
    ),
}
SELECT = "GW102,GW105,GW203,GW403"


def _safe_fixed(text: str) -> str:
    for before, after in SAFE.items():
        text = text.replace(before, after)
    return text


def _changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


@pytest.fixture
def app(tmp_path: Path) -> Path:
    (tmp_path / "app.yaml").write_text(APP, encoding="utf-8")
    return tmp_path


def test_fix_changes_exactly_three_lines_keeps_their_comments_and_the_findings_go(app: Path, gwlint: Gwlint) -> None:
    before = gwlint("--select", SELECT, "app.yaml", cwd=app)
    marked = {line.split(": ")[1].split(" ")[0] for line in before.out.splitlines() if " [*] " in line}
    assert marked == {"GW102", "GW105", "GW203"}
    assert "[*] 3 fixable with `--fix` (1 unsafe fix available with `--fix --unsafe-fixes`)." in before.out
    run = gwlint("--select", SELECT, "--fix", "app.yaml", cwd=app)
    after = (app / "app.yaml").read_text(encoding="utf-8")
    assert after == _safe_fixed(APP)
    assert _changed_lines(APP, after) == list(SAFE.items())
    assert not any(rule in run.out for rule in ("GW102", "GW105", "GW203"))
    assert "GW403 [note]" in run.out and "Fixed: 3 findings." in run.out
    assert "No fixes available (1 unsafe fix available with `--fix --unsafe-fixes`)." in run.out
    assert run.code == 0  # a note is below the default --fail-on warning
    rerun = gwlint("--select", SELECT, "--fix", "app.yaml", cwd=app)
    assert (app / "app.yaml").read_text(encoding="utf-8") == after and "Fixed" not in rerun.out


def test_diff_shows_the_same_three_edits_and_writes_nothing(app: Path, gwlint: Gwlint) -> None:
    run = gwlint("--select", SELECT, "--diff", "app.yaml", cwd=app)
    assert (app / "app.yaml").read_text(encoding="utf-8") == APP
    assert run.code == 1
    assert run.out.startswith("--- app.yaml\n+++ app.yaml\n")
    removed = [
        line[1:] for line in run.out.splitlines(keepends=True) if line.startswith("-") and not line.startswith("---")
    ]
    added = [
        line[1:] for line in run.out.splitlines(keepends=True) if line.startswith("+") and not line.startswith("+++")
    ]
    assert removed == list(SAFE) and added == list(SAFE.values())
    assert "would fix 3 findings in 1 file" in run.err and "1 more with --unsafe-fixes" in run.err
    patched = subprocess.run(["patch", "-p0", "--dry-run"], input=run.out, cwd=app, capture_output=True, text=True)
    assert patched.returncode == 0, patched.stdout + patched.stderr


def test_a_finding_with_only_an_unsafe_fix_stays_until_unsafe_fixes(app: Path, gwlint: Gwlint) -> None:
    gwlint("--select", SELECT, "--fix", "app.yaml", cwd=app)
    assert "GW403" in gwlint("--select", SELECT, "app.yaml", cwd=app).out
    shown = gwlint("--select", SELECT, "--unsafe-fixes", "app.yaml", cwd=app)
    assert "GW403 [*] [note]" in shown.out and "[*] 1 fixable with `--fix --unsafe-fixes`." in shown.out
    run = gwlint("--select", SELECT, "--fix", "--unsafe-fixes", "app.yaml", cwd=app)
    assert "GW403" not in run.out and run.code == 0
    assert (app / "app.yaml").read_text(encoding="utf-8") == _safe_fixed(APP).replace(
        "  replicas: 2\n", "  replicas: 2\n  minReadySeconds: 10\n"
    )


def test_diff_exits_0_when_there_is_nothing_to_fix(tmp_path: Path, gwlint: Gwlint) -> None:
    (tmp_path / "ok.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", encoding="utf-8")
    run = gwlint("--diff", "ok.yaml", cwd=tmp_path)
    assert (run.code, run.out) == (0, "")


def test_fix_exit_status_follows_what_remains(app: Path, gwlint: Gwlint) -> None:
    assert gwlint("--select", SELECT, "--fix", "--fail-on", "note", "app.yaml", cwd=app).code == 1
    assert gwlint("--select", "GW203", "--fix", "app.yaml", cwd=app).code == 0


def test_suppressed_and_baselined_findings_are_never_fixed(app: Path, gwlint: Gwlint) -> None:
    text = APP.replace("# the pod's named port", "# gwlint: ignore=GW203")
    (app / "app.yaml").write_text(text, encoding="utf-8")
    gwlint("--select", "GW102,GW203", "--write-baseline", "base.json", "app.yaml", cwd=app)
    (app / "app.yaml").write_text(text.replace("# the Service's port name", ""), encoding="utf-8")
    run = gwlint("--select", "GW102,GW203", "--baseline", "base.json", "--fix", "app.yaml", cwd=app)
    assert run.code == 0
    assert (app / "app.yaml").read_text(encoding="utf-8") == text.replace("# the Service's port name", "")


def test_write_baseline_with_fix_is_a_usage_error(app: Path, gwlint: Gwlint) -> None:
    run = gwlint("--fix", "--write-baseline", "b.json", "app.yaml", cwd=app)
    assert run.code == 2 and "--write-baseline" in run.err


def test_json_carries_fixes_and_validates(app: Path, gwlint: Gwlint) -> None:
    run = gwlint("--select", SELECT, "-f", "json", "app.yaml", cwd=app)
    data = json.loads(run.out)
    schema = json.loads(resources.files("gwlint").joinpath("schemas/findings.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert data["version"] == 2 and data["summary"]["fixed"] == 0
    fixes = {f["rule"]: f["fix"] for f in data["findings"]}
    assert fixes["GW203"] == {
        "message": "set targetPort to 'http'",
        "applicability": "safe",
        "file": "app.yaml",
        "edits": [{"line": 11, "column": 19, "endLine": 11, "endColumn": 22, "content": "http"}],
        "unavailable": None,
    }
    assert fixes["GW403"]["applicability"] == "unsafe"
    fixed = json.loads(gwlint("--select", SELECT, "-f", "json", "--fix", "app.yaml", cwd=app).out)
    jsonschema.validate(fixed, schema)
    assert fixed["summary"]["fixed"] == 3


def test_standard_input_is_never_edited(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "gwlint", "--select", SELECT, "--fix", "-f", "json", "-"],
        input=APP,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    data = json.loads(proc.stdout)
    assert data["summary"]["fixed"] == 0 and list(tmp_path.iterdir()) == []
    gw203 = next(f["fix"] for f in data["findings"] if f["rule"] == "GW203")
    assert gw203["edits"] == [] and "standard input" in gw203["unavailable"]


def test_helm_rendered_documents_are_shown_not_fixed(tmp_path: Path, gwlint: Gwlint) -> None:
    rendered = (
        "---\n# Source: web/templates/service.yaml\n" + APP.split("---\n")[0] + "---\n" + APP.split("---\n", 2)[2]
    )
    (tmp_path / "rendered.yaml").write_text(rendered, encoding="utf-8")
    run = gwlint("--select", "GW203", "-f", "json", "rendered.yaml", cwd=tmp_path)
    (finding,) = json.loads(run.out)["findings"]
    assert finding["fix"]["edits"] == [] and "web/templates/service.yaml" in finding["fix"]["unavailable"]
    assert gwlint("--select", "GW203", "--fix", "rendered.yaml", cwd=tmp_path).code == 1
    assert (tmp_path / "rendered.yaml").read_text(encoding="utf-8") == rendered


def test_a_file_changed_on_disk_meanwhile_is_not_overwritten(
    app: Path, gwlint: Gwlint, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gwlint.fix.apply as apply

    real = apply.fix_until_stable

    def meddle(*args: object, **kwargs: object) -> apply.FixOutcome:
        outcome = real(*args, **kwargs)  # type: ignore[arg-type]
        (app / "app.yaml").write_text(APP + "# edited meanwhile\n", encoding="utf-8")
        return outcome

    monkeypatch.setattr(apply, "fix_until_stable", meddle)
    run = gwlint("--select", SELECT, "--fix", "app.yaml", cwd=app)
    assert run.code == 2 and "changed on disk" in run.err
    assert (app / "app.yaml").read_text(encoding="utf-8") == APP + "# edited meanwhile\n"


def test_a_value_from_a_helm_values_file_is_fixed_there(tmp_path: Path) -> None:
    from ..conftest import TESTDATA
    from ..tools import render_tools

    render_tools()
    shutil.copytree(TESTDATA / "repository" / "charts", tmp_path / "charts")
    for extra in (tmp_path / "charts" / "shop" / "ci").glob("*.yaml"):
        extra.unlink()
    values = tmp_path / "charts" / "shop" / "values.yaml"
    before = values.read_text(encoding="utf-8").replace(
        "  targetPort: 8080\n", "  targetPort: htp  # the port's name\n"
    )
    values.write_text(before, encoding="utf-8")

    def gwlint_run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "gwlint", "--select", "GW203", *args, "."],
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )

    diff = gwlint_run("--diff")
    assert diff.returncode == 1 and values.read_text(encoding="utf-8") == before
    assert "-  targetPort: htp  # the port's name\n+  targetPort: http  # the port's name\n" in diff.stdout
    fixed = gwlint_run("--fix")
    assert fixed.returncode == 0 and "Fixed: 1 finding." in fixed.stdout
    assert values.read_text(encoding="utf-8") == before.replace("targetPort: htp", "targetPort: http")
    assert sorted(p.name for p in (tmp_path / "charts" / "shop").iterdir()) == [
        ".helmignore",
        "Chart.yaml",
        "ci",
        "templates",
        "values.yaml",
    ]
