"""`gwlint .` at the root of a GitOps repository, with the real helm and kubectl.

``testdata/repository`` holds a chart with a ``ci/`` values file, a kustomize base with
three overlays (a name prefix, a component, strategic merge and JSON 6902 patches, a
generator), and a plain Ingress. Each seeded defect carries
``# expect: GWNNN`` on the line a human would fix: the run must report exactly those, on
files of the repository only (no GW001 for templates, no GW003 for the overlays' copies).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import TESTDATA
from ..tools import mermaid_parse, render_tools

REPO = TESTDATA / "repository"
_EXPECT = re.compile(r"#\s*expect:\s*(GW\d{3})")


@pytest.fixture(scope="module", autouse=True)
def _tools() -> None:
    render_tools()


def expectations() -> set[tuple[str, int, str]]:
    out = set()
    for f in REPO.rglob("*"):
        if f.is_file() and f.suffix in (".yaml", ".tpl"):
            for n, line in enumerate(f.read_text().splitlines(), start=1):
                for m in _EXPECT.finditer(line):
                    out.add((f.relative_to(REPO).as_posix(), n, m.group(1)))
    return out


def gwlint(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gwlint", *args], cwd=cwd, capture_output=True, text=True, env=env, check=False
    )


def test_each_seeded_defect_at_its_line_and_nothing_else() -> None:
    proc = gwlint(".", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    got = {(f["file"], f["line"], f["rule"]) for f in findings}
    assert got == expectations()
    for f in findings:
        assert (REPO / f["file"]).is_file(), f
        for rel in f.get("related", []):
            assert (REPO / rel["file"]).is_file(), rel


def test_findings_name_their_release_or_overlay() -> None:
    proc = gwlint(".", "--select", "GW405,GW202")
    assert "(patch (overlay apps/overlays/dev))" in proc.stdout
    assert "(values (release charts/shop (ci/canary-values.yaml)))" in proc.stdout
    # one finding from both releases, at one template line, reported once naming both
    assert "(template, line approximate (releases charts/shop (values.yaml), charts/shop (ci/canary-values.yaml)))" in (
        gwlint(".", "--select", "GW404").stdout
    )


def test_sarif_names_repository_files_only() -> None:
    proc = gwlint(".", "--format", "sarif")
    results = json.loads(proc.stdout)["runs"][0]["results"]
    assert results
    for r in results:
        for loc in [*r["locations"], *r.get("relatedLocations", [])]:
            uri = loc["physicalLocation"]["artifactLocation"]["uri"]
            assert (REPO.parents[1] / uri).is_file(), uri  # relative to the repository root (.git)


def test_the_markdown_report_draws_the_request_paths_of_every_apply() -> None:
    """The plain Ingress, the dev overlay's Service and Deployment (each linted in its own
    apply) are one path; the chart's and the prod overlay's findings are drawn too."""
    proc = gwlint(".", "--format", "markdown")
    (diagram,) = re.findall(r"```mermaid\n(.*?)```", proc.stdout, re.DOTALL)
    for node in (
        '(["Ingress dev/api"])',
        '["Service dev/dev-api"]',
        '[["Deployment dev/dev-api<br/>GW405 recreate strategy"]]',
        '["Service dev/dev-admin<br/>not in the input"]',
        '[["Deployment default/shop-shop<br/>GW404 rollout takes all down"]]',
        '[["Deployment prod/api<br/>GW402 grace period too short<br/>GW304 readiness equals liveness"]]',
    ):
        assert node in diagram, node
    assert mermaid_parse([diagram]) == [{"ok": True, "type": "flowchart-v2"}]


def test_a_second_run_reads_the_render_cache(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    first = gwlint(".", env=env)
    cached = sorted((tmp_path / "gwlint" / "renders").glob("*.json"))
    assert len(cached) == 5  # two releases, three overlays
    second = gwlint(".", env=env)
    assert second.stdout == first.stdout
    assert sorted((tmp_path / "gwlint" / "renders").glob("*.json")) == cached


def test_no_render_lints_the_files_as_plain_yaml() -> None:
    proc = gwlint(".", "--no-render", "--select", "GW001")
    assert "charts/shop/templates/deployment.yaml" in proc.stdout


def test_missing_helm_is_a_run_error_that_says_how_to_skip(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    kubectl = shutil.which("kubectl")
    assert kubectl is not None
    (bin_dir / "kubectl").symlink_to(kubectl)
    proc = gwlint(".", env={**os.environ, "PATH": str(bin_dir)})
    assert proc.returncode == 2
    assert "helm is not on PATH, and these charts need it: charts/shop" in proc.stderr
    assert "--no-render" in proc.stderr


def test_a_changed_chart_file_lints_its_chart() -> None:
    proc = gwlint("charts/shop/ci/canary-values.yaml", "--format", "json")
    got = {(f["file"], f["rule"]) for f in json.loads(proc.stdout)["findings"]}
    assert got == {("charts/shop/ci/canary-values.yaml", "GW202"), ("charts/shop/templates/deployment.yaml", "GW404")}


def test_a_changed_patch_lints_the_overlays_that_use_it() -> None:
    proc = gwlint("apps/overlays/dev/strategy.yaml", "--format", "json")
    got = {(f["file"], f["rule"]) for f in json.loads(proc.stdout)["findings"]}
    assert got == {("apps/overlays/dev/strategy.yaml", "GW405")}
    base = gwlint("apps/base/deployment.yaml", "--format", "json")
    rules = {f["rule"] for f in json.loads(base.stdout)["findings"]}
    assert rules == {"GW402", "GW304", "GW405", "GW406"}  # the base is used by every overlay


def test_values_and_release_on_the_command_line() -> None:
    """``--values`` is the one value set of the charts among the inputs (ci/ files are not
    rendered then), ``--release`` their release name, ``--namespace`` their namespace."""
    proc = gwlint(
        "charts/shop",
        "--values",
        "charts/shop/ci/canary-values.yaml",
        "--release",
        "demo",
        "--namespace",
        "shop",
        "--format",
        "json",
    )
    findings = json.loads(proc.stdout)["findings"]
    assert {(f["file"], f["line"], f["rule"]) for f in findings} == {
        ("charts/shop/ci/canary-values.yaml", 2, "GW202"),
        ("charts/shop/templates/deployment.yaml", 13, "GW404"),
    }
    gw202 = next(f for f in findings if f["rule"] == "GW202")
    assert gw202["message"].startswith("targetPort 9090 of Service shop/demo-shop ")
    assert gw202["origin"]["renders"] == ["charts/shop (ci/canary-values.yaml)"]
    refused = gwlint("charts/shop", "--values", "charts/shop/values.yaml", "--no-render")
    assert refused.returncode == 2 and "cannot be used with --no-render" in refused.stderr
