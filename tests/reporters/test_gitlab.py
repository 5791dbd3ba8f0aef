"""The GitLab Code Quality report, validated against the schema GitLab checks it with, and the CI job
that docs/gitlab.md shows."""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from gwlint.core.findings import Finding, Location, Severity, Span
from gwlint.core.result import RunResult
from gwlint.engine.registry import builtin_rules
from gwlint.engine.run import lint
from gwlint.reporters import ReportOptions, get_reporter
from gwlint.sources.files import Source

from ..conftest import ROOT, TESTDATA
from ..tools import python_tool

SCHEMA = json.loads((Path(__file__).parent / "gitlab-codequality.schema.json").read_text(encoding="utf-8"))


def gitlab(result: RunResult, root: Path = ROOT) -> Any:
    out = io.StringIO()
    get_reporter("gitlab")(result, out, ReportOptions(root=str(root)))
    return json.loads(out.getvalue())


def run_of(folder: Path) -> RunResult:
    sources = [Source(p.relative_to(ROOT).as_posix(), p.read_bytes()) for p in sorted(folder.glob("*.yaml"))]
    return lint(sources, [cls() for cls in builtin_rules()])


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("folder", ["reports/shop", "reporters/input"])
def test_the_report_is_accepted_by_the_schema(folder: str) -> None:
    result = run_of(TESTDATA / folder)
    issues = gitlab(result)
    jsonschema.validate(issues, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert len(issues) == len(result.findings) > 0
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(set(fingerprints)) == len(fingerprints), "GitLab keeps one issue per fingerprint"
    for issue in issues:
        assert (ROOT / issue["location"]["path"]).is_file(), "paths are relative to the repository root"


def test_fields() -> None:
    issues = gitlab(run_of(TESTDATA / "reports/shop"))
    gw102 = next(i for i in issues if i["check_name"] == "GW102")
    assert gw102["severity"] == "critical"
    assert gw102["location"] == {"path": "testdata/reports/shop/ingress.yaml", "lines": {"begin": 27, "end": 27}}
    assert gw102["description"].startswith("GW102 ingress-service-port-missing: Ingress shop/storefront sends to ")
    assert {i["severity"] for i in issues} == {"critical", "info"}


def test_the_schema_is_not_vacuous() -> None:
    """It rejects what GitLab would drop: no fingerprint, an unknown severity, no line."""
    validator = jsonschema.Draft202012Validator(SCHEMA)
    good = gitlab(run_of(TESTDATA / "reports/shop"))[0]
    for broken in (
        {k: v for k, v in good.items() if k != "fingerprint"},
        {**good, "severity": "error"},
        {**good, "location": {"path": good["location"]["path"]}},
        {**good, "location": {"path": "x", "lines": {"begin": "1"}}},
    ):
        assert not validator.is_valid([broken])


def test_a_clean_run_is_an_empty_array() -> None:
    assert gitlab(RunResult([], [], [])) == []


def test_a_finding_without_a_position_starts_at_line_1(tmp_path: Path) -> None:
    finding = Finding("GW001", "yaml-syntax-error", Severity.NOTE, "m", Location(str(tmp_path / "a.yaml")))
    (issue,) = gitlab(RunResult([finding], [], []), root=tmp_path)
    assert issue["location"] == {"path": "a.yaml", "lines": {"begin": 1}}
    assert issue["severity"] == "info"
    span = Span(3, 1, 3, 4)
    finding.location.span = span
    (issue,) = gitlab(RunResult([finding], [], []), root=tmp_path)
    assert issue["location"]["lines"] == {"begin": 3, "end": 3}


def documented_job() -> tuple[str, dict[str, Any]]:
    """The ``.gitlab-ci.yml`` that docs/gitlab.md shows, as text and as data."""
    from ruamel.yaml import YAML

    text = (ROOT / "docs/gitlab.md").read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.DOTALL) if "codequality:" in b]
    data = YAML(typ="safe").load(block)
    assert isinstance(data, dict)
    return block, data


def test_the_documented_job_is_valid_gitlab_ci(tmp_path: Path) -> None:
    block, _ = documented_job()
    (tmp_path / ".gitlab-ci.yml").write_text(block, encoding="utf-8")
    proc = subprocess.run(
        [python_tool("check-jsonschema"), "--builtin-schema", "vendor.gitlab-ci", str(tmp_path / ".gitlab-ci.yml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_documented_command_writes_the_artifact_it_names(tmp_path: Path) -> None:
    """The job's gwlint line, run on the pull-request example: the log gets text, the
    artifact that ``reports: codequality:`` names gets the Code Quality report."""
    _, data = documented_job()
    job = data["gwlint"]
    artifact = job["artifacts"]["reports"]["codequality"]
    (line,) = [s for s in job["script"] if s.startswith("gwlint ")]
    shutil.copytree(TESTDATA / "reports/shop", tmp_path / "deploy")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    args = [*shlex.split(line)[1:], "--fail-on", "never"]
    proc = subprocess.run(
        [sys.executable, "-m", "gwlint", *args], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert "GW201 [error] service-selects-no-pods" in proc.stdout
    tests = ET.parse(tmp_path / job["artifacts"]["reports"]["junit"]).getroot()
    assert tests.get("failures") == "3"
    issues = json.loads((tmp_path / artifact).read_text(encoding="utf-8"))
    jsonschema.validate(issues, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert {i["location"]["path"] for i in issues} == {"deploy/ingress.yaml", "deploy/cart.yaml", "deploy/account.yaml"}
