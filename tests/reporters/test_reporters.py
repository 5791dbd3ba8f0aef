"""Reporter snapshots and format details: text, JSON (and its schema), SARIF shape, GitHub escaping.

The snapshots lint ``testdata/reporters/input/`` with a fixed set of rules and compare
each format with ``testdata/reporters/expected.<format>``. Regenerate them with
``GWLINT_UPDATE_GOLDEN=1 python -m pytest tests/reporters/test_reporters.py``. The tool version
and absolute paths are redacted; so are the rule docs inside SARIF (their own tests
check them), so that editing a rule's doc does not churn the snapshot.
"""

from __future__ import annotations

import io
import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from gwlint.core.findings import (
    HELM_TEMPLATE,
    HELM_VALUES,
    KUSTOMIZE_PATCH,
    Finding,
    Location,
    Origin,
    ResourceId,
    RunError,
    Severity,
    Span,
)
from gwlint.core.result import RunResult
from gwlint.engine.registry import builtin_rules
from gwlint.engine.run import lint
from gwlint.reporters import FORMATS, ReportOptions, get_reporter
from gwlint.reporters.github import escape_data, escape_property
from gwlint.reporters.json_format import format_path
from gwlint.reporters.sarif import artifact_location
from gwlint.sources.files import Source

from ..conftest import ROOT, TESTDATA

SNAPSHOT_DIR = TESTDATA / "reporters"
SNAPSHOT_RULES = ("GW001", "GW002", "GW003", "GW201", "GW301")
UPDATE = os.environ.get("GWLINT_UPDATE_GOLDEN") == "1"
ANSI = "\033["


def snapshot_run() -> RunResult:
    """The snapshot inputs, named relative to the repository root, linted as one run."""
    rules = [cls() for cls in builtin_rules() if cls.id in SNAPSHOT_RULES]
    assert len(rules) == len(SNAPSHOT_RULES)
    inputs = sorted((SNAPSHOT_DIR / "input").glob("*.yaml"))
    sources = [Source(p.relative_to(ROOT).as_posix(), p.read_bytes()) for p in inputs]
    return lint(sources, rules, request_paths=True)


def render(result: RunResult, fmt: str, **options: Any) -> str:
    out = io.StringIO()
    get_reporter(fmt)(result, out, ReportOptions(**options))
    return out.getvalue()


def _redact_sarif(data: dict[str, Any]) -> None:
    driver = data["runs"][0]["tool"]["driver"]
    driver["version"] = driver["semanticVersion"] = "<version>"
    for rule in driver["rules"]:
        rule["help"]["markdown"] = f"<doc of {rule['id']}>"
        rule["fullDescription"] = {"text": f"<description of {rule['id']}>"}


def redact(fmt: str, text: str) -> str:
    """Drop what differs between machines and releases: absolute paths, the version, rule docs."""
    text = text.replace(ROOT.as_uri(), "file:///<root>").replace(str(ROOT), "<root>")
    if fmt not in ("json", "sarif"):
        return text
    data = json.loads(text)
    if fmt == "json":
        data["tool"]["version"] = "<version>"
    else:
        _redact_sarif(data)
    return json.dumps(data, indent=2) + "\n"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_snapshot(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    got = redact(fmt, render(snapshot_run(), fmt, root=str(ROOT)))
    expected_file = SNAPSHOT_DIR / f"expected.{fmt}"
    if UPDATE:
        expected_file.write_text(got, encoding="utf-8")
    assert expected_file.is_file(), f"{expected_file} is missing: run with GWLINT_UPDATE_GOLDEN=1"
    assert got == expected_file.read_text(encoding="utf-8"), (
        f"{fmt} output differs from {expected_file.relative_to(ROOT)}; "
        "if the change is intended, regenerate with GWLINT_UPDATE_GOLDEN=1"
    )


def test_snapshot_covers_every_feature(monkeypatch: pytest.MonkeyPatch) -> None:
    """The snapshot input keeps exercising what the formats must show."""
    monkeypatch.chdir(ROOT)
    result = snapshot_run()
    assert {f.rule_id for f in result.findings} == set(SNAPSHOT_RULES)
    assert any(f.related for f in result.findings)
    assert any(f.location.origin for f in result.findings)
    assert any("%" in f.message for f in result.findings)  # escaped in the github snapshot


# text


def _finding(**over: Any) -> Finding:
    f = Finding(
        rule_id="GW201",
        rule_name="service-selects-no-pods",
        severity=Severity.ERROR,
        message="Service shop/web selects no pods",
        location=Location(
            file="deploy/web.yaml",
            path=("spec", "selector"),
            span=Span(8, 3, 8, 11),
            resource=ResourceId("", "Service", "shop", "web"),
        ),
    )
    for key, value in over.items():
        setattr(f, key, value)
    return f


def _result(findings: list[Finding], errors: list[RunError] | None = None) -> RunResult:
    return RunResult(findings=findings, errors=errors or [], rules=[], files=1, objects=2)


def test_text_line_format_and_helm_template() -> None:
    f = _finding()
    f.location.origin = Origin(HELM_TEMPLATE, "shop/templates/service.yaml")
    text = render(_result([f]), "text")
    first, summary = text.splitlines()
    assert first == (
        "deploy/web.yaml:8:3: GW201 [error] service-selects-no-pods: Service shop/web selects no pods"
        " (template: shop/templates/service.yaml)"
    )
    assert summary == "Found 1 finding (1 error, 0 warnings, 0 notes) in 1 file."
    assert ANSI not in text


def test_text_colour_only_when_asked() -> None:
    result = _result([_finding()])
    assert ANSI not in render(result, "text", color=False)
    coloured = render(result, "text", color=True)
    assert "\033[31m[error]\033[0m" in coloured
    assert coloured.replace("\033[31m", "").replace("\033[1m", "").replace("\033[0m", "") == render(result, "text")


def test_text_clean_run_and_run_errors() -> None:
    assert render(_result([]), "text") == "No findings in 1 file (2 objects).\n"
    text = render(_result([], [RunError("no such file or directory", "x.yaml")]), "text")
    assert text.endswith("The run was incomplete: 1 error.\n")


# JSON


def findings_schema() -> dict[str, Any]:
    text = resources.files("gwlint").joinpath("schemas/findings.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def test_json_output_matches_its_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = snapshot_run()
    result.errors.append(RunError("internal error in rule GW201 (x): RuntimeError('boom')", "a.yaml", "GW201"))
    data = json.loads(render(result, "json"))
    validator = jsonschema.Draft202012Validator(findings_schema())
    assert [e.message for e in validator.iter_errors(data)] == []
    assert data["schema"] == "gwlint-findings" and data["version"] == 2
    assert data["summary"]["findings"] == len(data["findings"]) > 0
    assert data["errors"][0]["rule"] == "GW201"
    # the schema is strict about fields, so code and schema cannot drift apart silently
    data["findings"][0]["unexpected"] = True
    assert list(validator.iter_errors(data))


def test_json_clean_run_matches_its_schema() -> None:
    data = json.loads(render(_result([]), "json"))
    assert list(jsonschema.Draft202012Validator(findings_schema()).iter_errors(data)) == []
    assert data["findings"] == [] and data["errors"] == []


def test_json_counts_what_it_does_not_list() -> None:
    result = _result([_finding()])
    result.suppressed = [_finding(rule_id="GW301")]
    result.baselined = 2
    summary = json.loads(render(result, "json"))["summary"]
    assert (summary["findings"], summary["suppressed"], summary["baselined"]) == (1, 1, 2)


def test_json_format_is_documented() -> None:
    doc = (ROOT / "docs" / "json-format.md").read_text(encoding="utf-8")
    data = json.loads(render(_result([_finding(related=[Location("a.yaml", message="m")])]), "json"))
    fields = {*data, *data["summary"], *data["findings"][0], *data["findings"][0]["related"][0]}
    fields |= {*data["findings"][0]["resource"]}
    missing = sorted(f for f in fields if f"`{f}`" not in doc)
    assert not missing, f"docs/json-format.md does not describe {missing}"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ((), ""),
        (
            ("spec", "template", "spec", "containers", 0, "readinessProbe"),
            "spec.template.spec.containers[0].readinessProbe",
        ),
        (("metadata", "annotations", "gwlint.io/ignore"), 'metadata.annotations["gwlint.io/ignore"]'),
        ((0, "kind"), "[0].kind"),
    ],
)
def test_json_paths(path: tuple[str | int, ...], expected: str) -> None:
    assert format_path(path) == expected


# GitHub


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("50%", "50%25", "50%25"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("key: a, b", "key: a, b", "key%3A a%2C b"),
        ("%0A literal", "%250A literal", "%250A literal"),  # escaping % first keeps it reversible
        ("x:%,\n", "x:%25,%0A", "x%3A%25%2C%0A"),
    ],
)
def test_github_escaping_matches_actions_core(raw: str, data: str, prop: str) -> None:
    # @actions/core: escapeData replaces % -> %25, \r -> %0D, \n -> %0A (in that order);
    # escapeProperty does the same and then : -> %3A and , -> %2C.
    assert escape_data(raw) == data
    assert escape_property(raw) == prop


def test_github_annotation_escapes_message_and_properties(tmp_path: Path) -> None:
    f = _finding(message="100% of\nrequests: fail, always")
    f.location.file = str(tmp_path / "odd:name,1.yaml")
    f.related = [
        Location("b.yaml", span=Span(3, 5, 3, 9), message="see here", origin=Origin(HELM_TEMPLATE, "c/t.yaml"))
    ]
    line = render(_result([f]), "github", root=str(tmp_path))
    assert line == (
        "::error file=odd%3Aname%2C1.yaml,line=8,endLine=8,col=3,endColumn=11,"
        "title=GW201 service-selects-no-pods::100%25 of%0Arequests: fail, always"
        "%0Ab.yaml:3:5: see here (template: c/t.yaml)\n"
    )


def test_github_stdin_and_run_errors() -> None:
    f = _finding()
    f.location.file = "<stdin>"
    out = render(_result([f], [RunError("cannot read file: denied", "/x, y.yaml")]), "github", root="/")
    first, second = out.splitlines()
    assert first.startswith("::error title=GW201 service-selects-no-pods::stdin:8:3: Service shop/web")
    assert second == "::error file=x%2C y.yaml,title=gwlint run error::cannot read file: denied"


# SARIF details the snapshot does not show


@pytest.mark.parametrize(
    ("file", "uri", "base"),
    [
        ("deploy/web.yaml", "deploy/web.yaml", "%SRCROOT%"),
        ("deploy/a b%#.yaml", "deploy/a%20b%25%23.yaml", "%SRCROOT%"),
        ("<stdin>", "stdin", None),
    ],
)
def test_sarif_uris(file: str, uri: str, base: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    loc = artifact_location(file, str(ROOT))
    assert (loc.uri, loc.uri_base_id) == (uri, base)


def test_sarif_uri_is_relative_to_repository_root_from_a_subdirectory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "deploy").mkdir()
    monkeypatch.chdir(tmp_path / "deploy")
    f = _finding()
    f.location.file = "web.yaml"  # as gwlint names it when run inside deploy/
    data = json.loads(render(_result([f]), "sarif"))
    location = data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "deploy/web.yaml", "uriBaseId": "%SRCROOT%"}
    assert str(tmp_path) not in json.dumps(data)  # no machine-specific paths


def test_sarif_outside_root_gets_file_uri_and_checkout_path(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    f = _finding()
    f.location.file = str(tmp_path / "elsewhere.yaml")
    run = json.loads(render(_result([f]), "sarif", root=str(repo)))["runs"][0]
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": (tmp_path / "elsewhere.yaml").as_uri()}
    assert run["invocations"][0]["workingDirectory"] == {"uri": repo.as_uri() + "/"}


def test_sarif_content(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = snapshot_run()
    run = json.loads(render(result, "sarif", root=str(ROOT)))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    by_id = {type(r).id: type(r) for r in result.rules}
    for descriptor in rules:
        cls = by_id[descriptor["id"]]
        assert descriptor["help"]["markdown"] == cls.doc().strip()
        assert descriptor["helpUri"].endswith(f"/docs/rules/{cls.id}.md")
        assert descriptor["defaultConfiguration"] == {"level": cls.severity.label}
        props = descriptor["properties"]
        assert props["problem.severity"] in ("error", "warning", "recommendation")
        assert props["precision"] == "high" and "security-severity" not in props
        assert "reliability" in props["tags"]
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        for loc in [*res["locations"], *res.get("relatedLocations", [])]:
            region = loc["physicalLocation"]["region"]
            assert region["startLine"] == region["endLine"], "GitHub shows an alert on a PR only for one-line regions"
            assert region["endColumn"] > region["startColumn"] >= 1
        for rel in res.get("relatedLocations", []):
            assert rel["message"]["text"]
        assert len(res["partialFingerprints"]["gwlintFindingHash/v1"]) == 32
    assert run["columnKind"] == "unicodeCodePoints"
    assert "uri" not in run["originalUriBaseIds"]["%SRCROOT%"]
    assert any(r.get("properties", {}).get("origin") for r in run["results"])
    logical = [r["locations"][0].get("logicalLocations") for r in run["results"]]
    assert {"fullyQualifiedName": "shop/Service/web", "kind": "object", "name": "web"} in [
        entry for group in logical if group for entry in group
    ]


def test_sarif_clean_run_has_empty_results() -> None:
    run = json.loads(render(_result([]), "sarif"))["runs"][0]
    assert run["results"] == []
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_sarif_run_error_is_a_notification_naming_the_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = snapshot_run()
    result.errors.append(RunError("internal error in rule GW201 (x) on Service a/b: boom", "input.yaml", "GW201"))
    run = json.loads(render(result, "sarif", root=str(ROOT)))["runs"][0]
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    index = [r["id"] for r in run["tool"]["driver"]["rules"]].index("GW201")
    assert note["associatedRule"] == {"id": "GW201", "index": index}
    assert note["level"] == "error" and "boom" in note["message"]["text"]


def test_sarif_fingerprints_ignore_unrelated_line_moves() -> None:
    rules = [cls() for cls in builtin_rules() if cls.id == "GW201"]
    text = (SNAPSHOT_DIR / "input" / "rendered.yaml").read_text(encoding="utf-8")
    before = lint([Source("a.yaml", text.encode())], rules)
    after = lint([Source("a.yaml", ("# a new comment\n\n" + text).encode())], rules)
    assert [f.location.span.line for f in after.findings if f.location.span] != [
        f.location.span.line for f in before.findings if f.location.span
    ]
    assert [f.fingerprint for f in after.findings] == [f.fingerprint for f in before.findings]


def test_fingerprints_are_distinct_when_identities_repeat() -> None:
    rules = [cls() for cls in builtin_rules() if cls.id == "GW001"]
    broken = b"a: [1\n---\nb: {2\n"
    result = lint([Source("a.yaml", broken)], rules)
    assert len(result.findings) == 2
    assert len({f.fingerprint for f in result.findings}) == 2


def test_origins_are_rendered_the_same_way_by_every_format() -> None:
    """What a renderer will set (a line, exactness, releases) shows without any format knowing Helm."""
    values = Origin(HELM_VALUES, "charts/shop/values.yaml", Span(12, 3, 12, 9), exact=True, renders=("shop",))
    guessed = Origin(KUSTOMIZE_PATCH, "overlays/prod/patch.yaml", Span(4, 1, 4, 2), renders=("prod", "staging"))
    assert values.describe() == "values: charts/shop/values.yaml:12 (release shop)"
    assert guessed.describe() == "patch: overlays/prod/patch.yaml:4, line approximate (overlays prod, staging)"
    assert guessed.describe("overlays/prod/patch.yaml") == "patch, line approximate (overlays prod, staging)"
    assert Origin("jsonnet", "lib/app.jsonnet").describe() == "jsonnet: lib/app.jsonnet"
    f = _finding()
    f.location.origin = values
    assert render(_result([f]), "text").splitlines()[0].endswith(" (values: charts/shop/values.yaml:12 (release shop))")
    assert "(values: charts/shop/values.yaml:12 (release shop))" in render(_result([f]), "github")
    data = json.loads(render(_result([f]), "json"))["findings"][0]
    assert data["origin"] == {
        "kind": "helm-values",
        "file": "charts/shop/values.yaml",
        "line": 12,
        "exact": True,
        "renders": ["shop"],
    }
    assert data["helmSource"] is None
    assert (
        list(jsonschema.Draft202012Validator(findings_schema()).iter_errors(json.loads(render(_result([f]), "json"))))
        == []
    )
