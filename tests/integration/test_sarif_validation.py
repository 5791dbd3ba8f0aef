"""gwlint's SARIF passes Microsoft's SARIF multitool (SARIF and GitHub rules) and the SARIF schema.

The validator runs ``validate --rule-kind "Sarif;Gh" --level "Error;Warning"`` and
writes its verdict as SARIF; a test passes only when that verdict has no result. The
SARIF 2.1.0 JSON schema is the one shipped inside the npm package (MIT), found at
test time beside the multitool rather than vendored.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import jsonschema
import pytest
from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Rule
from gwlint.engine.registry import builtin_rules
from gwlint.engine.run import lint
from gwlint.model.resource import Resource
from gwlint.reporters import ReportOptions, get_reporter
from gwlint.sources.files import Source

from ..conftest import ROOT, TESTDATA
from ..tools import tool

INPUT = TESTDATA / "reporters" / "input"
CLEAN = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: b}\n"
# fixes that replace (a targetPort typo), delete (replicas under an HPA) and insert (minReadySeconds)
FIXABLE = """\
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: htp}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "web:1", ports: [{name: http, containerPort: 8080}]}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 5
"""

# SARIF2006 fetches every URI of the log over HTTP; it only ever reports notes (which
# these tests ignore anyway), and tests must not depend on the network.
MULTITOOL_CONFIG = """<?xml version="1.0" encoding="utf-8"?>
<Properties>
  <Properties Key="SARIF2006.UrisShouldBeReachable.Options">
    <Property Key="RuleEnabled" Value="Disabled" Type="Driver.RuleEnabledState" />
  </Properties>
</Properties>
"""


def multitool_problems(files: list[Path], workdir: Path) -> dict[Path, list[str]]:
    """Error- and warning-level verdicts of the multitool on each file (one validator run for all)."""
    verdict = workdir / "verdict.sarif"
    config = workdir / "multitool-config.xml"
    config.write_text(MULTITOOL_CONFIG, encoding="utf-8")
    args = ["validate", "--config", str(config), "--rule-kind", "Sarif;Gh", "--level", "Error;Warning"]
    proc = subprocess.run(
        [tool("sarif-multitool"), *args, "--output", str(verdict), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert verdict.is_file(), f"the multitool wrote no verdict (exit {proc.returncode}): {proc.stdout}{proc.stderr}"
    data = json.loads(verdict.read_text(encoding="utf-8-sig"))
    problems: dict[Path, list[str]] = {f.resolve(): [] for f in files}
    for run in data["runs"]:
        for invocation in run.get("invocations", []):
            for note in invocation.get("toolExecutionNotifications", []):
                if note.get("level", "warning") in ("error", "warning"):
                    for f in problems:
                        problems[f].append(f"validator: {note['message'].get('text')}")
        for res in run.get("results", []):
            if res.get("level", "warning") not in ("error", "warning"):
                continue
            uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            message = res["message"].get("text") or " ".join(res["message"].get("arguments", []))
            problems[Path(unquote(urlparse(uri).path)).resolve()].append(f"{res['ruleId']}: {message}")
    return problems


@functools.cache
def sarif_schema_validator() -> Any:
    """A validator for the SARIF 2.1.0 JSON schema shipped in the multitool's npm package."""
    schema_file = Path(tool("sarif-multitool")).parent / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8-sig"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def schema_problems(sarif: Path) -> list[str]:
    """Violations of the SARIF 2.1.0 JSON schema."""
    data = json.loads(sarif.read_text(encoding="utf-8"))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in sarif_schema_validator().iter_errors(data)]


def run_gwlint(args: list[str], cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run(
        [sys.executable, "-m", "gwlint", *args], cwd=cwd, input=stdin, capture_output=True, text=True, env=env
    )


class CrashingRule(Rule):
    """A rule that raises on every Service: its crash must become a SARIF notification."""

    id = "GW999"
    name = "crashing-rule"
    severity = Severity.ERROR
    summary = "Crashes on purpose"

    def check(self, subject: Resource, ctx: Context) -> Iterator[Finding]:
        if subject.kind == "Service":
            raise RuntimeError("boom")
        yield from ()


@dataclass
class Case:
    """One SARIF file to validate, and how gwlint exited while writing it."""

    sarif: Path
    exit_code: int
    stderr: str = ""

    def data(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.sarif.read_text(encoding="utf-8"))
        return loaded


def _cli_case(tmp: Path, name: str, args: list[str], cwd: Path, stdin: str | None = None) -> Case:
    out = tmp / f"{name}.sarif"
    proc = run_gwlint(["-f", "sarif", "-o", str(out), *args], cwd=cwd, stdin=stdin)
    return Case(out, proc.returncode, proc.stderr)


def _crash_case(tmp: Path) -> Case:
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        rules: list[Rule] = [cls() for cls in builtin_rules() if cls.id in ("GW001", "GW201")]
        sources = [Source(p.relative_to(ROOT).as_posix(), p.read_bytes()) for p in sorted(INPUT.glob("*.yaml"))]
        result = lint(sources, [*rules, CrashingRule()])
        out = tmp / "crash.sarif"
        with out.open("w", encoding="utf-8") as fh:
            get_reporter("sarif")(result, fh, ReportOptions(root=str(ROOT)))
    finally:
        os.chdir(cwd)
    assert result.errors and all(e.rule_id == "GW999" for e in result.errors)
    assert any(f.rule_id == "GW201" for f in result.findings)  # the other rules still ran
    return Case(out, 2)


def _bad_case(tmp: Path, good: Case) -> Case:
    """A copy of a good log with a result that has no location and a bogus property."""
    data = good.data()
    del data["runs"][0]["results"][0]["locations"]
    data["runs"][0]["tool"]["driver"]["unknownProperty"] = True
    bad = tmp / "bad.sarif"
    bad.write_text(json.dumps(data), encoding="utf-8")
    return Case(bad, -1)


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    tmp = tmp_path_factory.mktemp("sarif")
    clean_dir = tmp / "clean"
    clean_dir.mkdir()
    (clean_dir / "settings.yaml").write_text(CLEAN, encoding="utf-8")
    fix_dir = tmp / "fixes"
    fix_dir.mkdir()
    (fix_dir / "app.yaml").write_text(FIXABLE, encoding="utf-8")
    errors_dir = tmp / "errors"
    errors_dir.mkdir()
    (errors_dir / "broken.yaml").write_bytes((INPUT / "broken.yaml").read_bytes())
    repo = tmp / "repo"
    repo.mkdir()
    (tmp / "outside.yaml").write_bytes((INPUT / "broken.yaml").read_bytes())
    found = {
        "findings": _cli_case(tmp, "findings", [str(INPUT.relative_to(ROOT))], ROOT),
        "clean": _cli_case(tmp, "clean", ["settings.yaml"], clean_dir),
        "fixes": _cli_case(tmp, "fixes", ["--select", "GW203,GW403,GW408", "app.yaml"], fix_dir),
        "errors": _cli_case(tmp, "errors", ["broken.yaml", "missing.yaml"], errors_dir),
        "mixed": _cli_case(
            tmp, "mixed", ["-", str(tmp / "outside.yaml")], repo, stdin=(INPUT / "rendered.yaml").read_text()
        ),
        "crash": _crash_case(tmp),
    }
    found["bad"] = _bad_case(tmp, found["findings"])
    return found


@pytest.fixture(scope="module")
def verdicts(cases: dict[str, Case], tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    problems = multitool_problems([c.sarif for c in cases.values()], tmp_path_factory.mktemp("verdict"))
    return {name: problems[c.sarif.resolve()] for name, c in cases.items()}


def assert_valid(name: str, cases: dict[str, Case], verdicts: dict[str, list[str]], exit_code: int) -> dict[str, Any]:
    case = cases[name]
    assert case.exit_code == exit_code, case.stderr
    assert schema_problems(case.sarif) == []
    assert verdicts[name] == []
    return case.data()


def test_findings_of_several_rules_with_related_locations_and_helm(
    cases: dict[str, Case], verdicts: dict[str, list[str]]
) -> None:
    run = assert_valid("findings", cases, verdicts, 1)["runs"][0]
    descriptors = run["tool"]["driver"]["rules"]
    assert [d["id"] for d in descriptors] == sorted(r.id for r in builtin_rules())
    for d in descriptors:
        assert d["help"]["markdown"].startswith(f"# {d['id']} {d['name']}"), f"{d['id']} has no doc as help"
        assert d["helpUri"].endswith(f"/docs/rules/{d['id']}.md")
    results = run["results"]
    assert len({r["ruleId"] for r in results}) >= 4
    assert any(r.get("relatedLocations") for r in results)
    assert any(r.get("properties", {}).get("origin") for r in results)
    assert all(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("testdata/reporters/input/")
        for r in results
    )


def test_clean_run(cases: dict[str, Case], verdicts: dict[str, list[str]]) -> None:
    run = assert_valid("clean", cases, verdicts, 0)["runs"][0]
    assert run["results"] == []
    assert run["invocations"][0]["executionSuccessful"] is True


def test_results_carry_their_fixes(cases: dict[str, Case], verdicts: dict[str, list[str]]) -> None:
    run = assert_valid("fixes", cases, verdicts, 1)["runs"][0]
    fixes = {r["ruleId"]: r["fixes"] for r in run["results"]}
    assert set(fixes) == {"GW203", "GW403", "GW408"}
    for rule, (fix,) in fixes.items():
        (change,) = fix["artifactChanges"]
        assert change["artifactLocation"] == {"uri": "app.yaml", "uriBaseId": "%SRCROOT%"}, rule
        assert fix["properties"]["applicability"] == ("unsafe" if rule == "GW403" else "safe")
    (replace,) = fixes["GW203"][0]["artifactChanges"][0]["replacements"]
    assert replace == {
        "deletedRegion": {"startLine": 6, "startColumn": 34, "endLine": 6, "endColumn": 37},
        "insertedContent": {"text": "http"},
    }
    (delete,) = fixes["GW408"][0]["artifactChanges"][0]["replacements"]
    assert delete == {"deletedRegion": {"startLine": 12, "startColumn": 1, "endLine": 13, "endColumn": 1}}
    (insert,) = fixes["GW403"][0]["artifactChanges"][0]["replacements"]
    assert insert == {
        "deletedRegion": {"startLine": 13, "startColumn": 1, "endLine": 13, "endColumn": 1},
        "insertedContent": {"text": "  minReadySeconds: 10\n"},
    }


def test_syntax_error_and_run_error(cases: dict[str, Case], verdicts: dict[str, list[str]]) -> None:
    run = assert_valid("errors", cases, verdicts, 2)["runs"][0]
    assert "GW001" in {r["ruleId"] for r in run["results"]}
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    assert [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes] == ["missing.yaml"]


def test_stdin_and_a_file_outside_the_repository(cases: dict[str, Case], verdicts: dict[str, list[str]]) -> None:
    run = assert_valid("mixed", cases, verdicts, 1)["runs"][0]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    outside = cases["mixed"].sarif.parent / "outside.yaml"
    assert uris == {"stdin", outside.as_uri()}


def test_crashing_rule_notification(cases: dict[str, Case], verdicts: dict[str, list[str]]) -> None:
    run = assert_valid("crash", cases, verdicts, 2)["runs"][0]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert notes and all(n["associatedRule"]["id"] == "GW999" for n in notes)
    assert all("Service" in n["message"]["text"] for n in notes)


def test_the_validators_do_flag_bad_sarif(cases: dict[str, Case], verdicts: dict[str, list[str]]) -> None:
    """Guards against a vacuous pass: a result without locations breaks a GitHub rule."""
    assert any(p.startswith("GH") for p in verdicts["bad"]), verdicts["bad"]
    assert any("unknownProperty" in p for p in schema_problems(cases["bad"].sarif))
