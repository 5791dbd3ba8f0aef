"""`helm template ./chart | gwlint -` with the real helm binary.

The chart in ``testdata/charts/shop`` has two deliberate defects (see its Chart.yaml).
What a user needs from this pipeline: each finding names the chart template to fix
(helm's ``# Source:`` comment) in every output format, as well as the rendered line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import TESTDATA
from ..tools import tool

CHART = TESTDATA / "charts" / "shop"
STREAM = "rendered.yaml"
CART_SERVICE = "shop/templates/cart-service.yaml"
CART_DEPLOYMENT = "shop/templates/cart-deployment.yaml"
WEB_DEPLOYMENT = "shop/templates/web-deployment.yaml"


def helm_env(home: Path) -> dict[str, str]:
    """Keep helm's cache, config and data out of the user's home directory."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "HELM_CACHE_HOME": str(home / "cache"),
        "HELM_CONFIG_HOME": str(home / "config"),
        "HELM_DATA_HOME": str(home / "data"),
    }


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The chart rendered once by the real ``helm template``."""
    home = tmp_path_factory.mktemp("helm-home")
    proc = subprocess.run(
        [tool("helm"), "template", "demo", str(CHART), "--namespace", "shop"],
        capture_output=True,
        text=True,
        env=helm_env(home),
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "# Source: shop/templates/" in proc.stdout
    return proc.stdout


def gwlint_stdin(stream: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``gwlint -`` reading the rendered stream, as in a terminal pipeline."""
    return subprocess.run(
        [sys.executable, "-m", "gwlint", "-", "--stdin-filename", STREAM, "--namespace", "shop", *args],
        input=stream,
        capture_output=True,
        text=True,
        check=False,
    )


def test_text_names_the_templates(rendered: str) -> None:
    proc = gwlint_stdin(rendered, "--format", "text")
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    gw201 = next(line for line in lines if " GW201 " in line)
    assert gw201.startswith(f"{STREAM}:")
    assert f"(template: {CART_SERVICE})" in gw201
    related = lines[lines.index(gw201) + 1]
    assert f"(template: {CART_DEPLOYMENT})" in related
    gw301 = next(line for line in lines if " GW301 " in line)
    assert "container 'web'" in gw301
    assert f"(template: {WEB_DEPLOYMENT})" in gw301


def test_json_names_the_templates(rendered: str) -> None:
    proc = gwlint_stdin(rendered, "--format", "json")
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    findings = data["findings"]
    by_rule = {f["rule"]: f for f in findings}
    assert by_rule["GW201"]["helmSource"] == CART_SERVICE
    assert by_rule["GW201"]["file"] == STREAM
    assert by_rule["GW201"]["related"][0]["helmSource"] == CART_DEPLOYMENT
    assert by_rule["GW301"]["helmSource"] == WEB_DEPLOYMENT
    for f in findings:
        assert f["helmSource"].startswith("shop/templates/"), f
        assert f["origin"] == {
            "kind": "helm-template",
            "file": f["helmSource"],
            "line": None,
            "exact": False,
            "renders": [],
        }


def test_sarif_names_the_templates(rendered: str) -> None:
    proc = gwlint_stdin(rendered, "--format", "sarif")
    assert proc.returncode == 1, proc.stderr
    results = json.loads(proc.stdout)["runs"][0]["results"]
    by_rule = {r["ruleId"]: r for r in results}
    gw201 = by_rule["GW201"]
    assert gw201["properties"]["origin"] == {
        "kind": "helm-template",
        "file": CART_SERVICE,
        "line": None,
        "exact": False,
        "renders": [],
    }
    assert f"(template: {CART_SERVICE})" in gw201["message"]["text"]
    assert gw201["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == STREAM
    assert f"(template: {CART_DEPLOYMENT})" in gw201["relatedLocations"][0]["message"]["text"]
    assert by_rule["GW301"]["properties"]["origin"]["file"] == WEB_DEPLOYMENT


def test_values_override_fixes_the_drift(tmp_path: Path) -> None:
    """The same chart with the Service selector put right through values: no GW201."""
    proc = subprocess.run(
        [tool("helm"), "template", "demo", str(CHART), "--namespace", "shop", "--set", "cart.serviceComponent=cart"],
        capture_output=True,
        text=True,
        env=helm_env(tmp_path),
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    lint = gwlint_stdin(proc.stdout, "--format", "json", "--select", "GW201")
    assert lint.returncode == 0, lint.stdout + lint.stderr
