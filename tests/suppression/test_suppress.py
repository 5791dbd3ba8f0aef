"""Every suppression form, stale suppressions (GW004) and ``--no-suppressions``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gwlint.core.result import RunResult
from gwlint.engine.registry import all_rules, find_rule
from gwlint.engine.run import index_sources, lint
from gwlint.engine.settings import Settings
from gwlint.sources.files import Source
from gwlint.suppression.directives import collect_directives, parse_entries

from ..clirun import Gwlint, gwlint_fixture  # noqa: F401  (the gwlint fixture)
from ..manifests import SERVICE


def deployment(metadata_extra: str = "", template_extra: str = "", name_line: str = "- name: web") -> str:
    """A Deployment behind SERVICE whose container has no readinessProbe (GW301)."""
    return f"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
{metadata_extra}spec:
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
{template_extra}    spec:
      containers:
        {name_line}
          image: "nginx:1.27"
          ports: [{{containerPort: 8080}}]
"""


def run(text: str, *rules: str, suppressions: bool = True) -> RunResult:
    known = all_rules()
    chosen = [find_rule(known, r) for r in (rules or ("GW301", "GW004"))]
    return lint(
        [Source("app.yaml", text.encode())],
        [cls() for cls in chosen if cls is not None],
        Settings(suppressions=suppressions),
    )


def ids(result: RunResult) -> list[tuple[str, int]]:
    return [(f.rule_id, f.location.span.line if f.location.span else 0) for f in result.findings]


def test_unsuppressed_baseline_of_these_tests() -> None:
    assert ids(run(SERVICE + "---\n" + deployment())) == [("GW301", 21)]


def test_annotation_on_the_object() -> None:
    meta = '  annotations:\n    gwlint.io/ignore: "GW401,readiness-probe-missing"\n'
    result = run(SERVICE + "---\n" + deployment(metadata_extra=meta), "GW301")
    assert ids(result) == []
    assert [f.rule_id for f in result.suppressed] == ["GW301"]


def test_annotation_on_the_pod_template_with_a_reason() -> None:
    tmpl = '      annotations:\n        gwlint.io/ignore: "GW301: the mesh sidecar gates traffic"\n'
    result = run(SERVICE + "---\n" + deployment(template_extra=tmpl))
    assert ids(result) == []
    assert len(result.suppressed) == 1


def test_annotation_silences_only_its_own_object() -> None:
    meta = "  annotations:\n    gwlint.io/ignore: GW301\n"
    other = deployment().replace("name: web\nspec", "name: api\nspec").replace("app: web", "app: web")
    result = run(SERVICE + "---\n" + deployment(metadata_extra=meta) + "---\n" + other)
    assert [f.rule_id for f in result.findings] == ["GW301"]
    assert "Deployment default/api" in result.findings[0].message


def test_annotation_on_a_list_item() -> None:
    body = deployment(metadata_extra="  annotations: {gwlint.io/ignore: GW301}\n")
    items = "\n".join("    " + line for line in body.splitlines())
    text = SERVICE + "---\napiVersion: v1\nkind: List\nitems:\n  -\n" + items + "\n"
    assert ids(run(text, suppressions=False)) == [("GW301", 26)]
    result = run(text)
    assert ids(result) == [] and len(result.suppressed) == 1


def test_comment_on_the_flagged_line() -> None:
    text = SERVICE + "---\n" + deployment(name_line="- name: web  # gwlint: ignore=GW301")
    assert ids(run(text)) == []


def test_comment_alone_on_the_line_above() -> None:
    text = SERVICE + "---\n" + deployment(name_line="# gwlint: ignore=readiness-probe-missing\n        - name: web")
    result = run(text)
    assert ids(result) == [] and len(result.suppressed) == 1


def test_trailing_comment_does_not_cover_the_next_line() -> None:
    text = SERVICE + "---\n" + deployment(name_line="- # gwlint: ignore=GW301\n          name: web")
    assert ids(run(text)) == [("GW004", 21), ("GW301", 22)]


def test_comment_names_several_rules_and_reasons() -> None:
    line = "- name: web  # gwlint: ignore=GW305, GW301: warmed up by an init container"
    result = run(SERVICE + "---\n" + deployment(name_line=line), "GW301", "GW305", "GW004")
    assert ids(result) == [("GW004", 21)]
    assert "GW305 (probe-port-missing)" in result.findings[0].message


def test_unused_suppression_is_a_note_at_the_directive() -> None:
    fixed = deployment(
        metadata_extra="  annotations:\n    gwlint.io/ignore: GW301\n",
        name_line="- name: web  # gwlint: ignore=GW301",
    ).replace(
        "ports: [{containerPort: 8080}]",
        "ports: [{containerPort: 8080}]\n          readinessProbe: {tcpSocket: {port: 8080}}",
    )
    result = run(SERVICE + "---\n" + fixed)
    assert [(f.rule_id, f.severity.label, f.location.span.line if f.location.span else 0) for f in result.findings] == [
        ("GW004", "note", 14),
        ("GW004", "note", 23),
    ]
    comment = result.findings[1]
    assert comment.location.span is not None and comment.location.span.column == 22
    # keyed by object and field, like every finding, so a baseline survives line moves
    assert comment.location.path == ("spec", "template", "spec", "containers", 0, "name")


def test_no_suppressions_shows_everything_and_reports_nothing_stale() -> None:
    meta = "  annotations:\n    gwlint.io/ignore: GW301, not-a-rule\n"
    result = run(SERVICE + "---\n" + deployment(metadata_extra=meta), suppressions=False)
    assert ids(result) == [("GW301", 23)]
    assert result.suppressed == []


def test_hash_inside_scalars_is_not_a_directive() -> None:
    text = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: scripts
  annotations:
    note: "see # gwlint: ignore=GW999"
data:
  run.sh: |
    echo start # gwlint: ignore=GW998
    # gwlint: ignore=GW997
  single: 'x # gwlint: ignore=GW996'
  plain: a#gwlint:ignore=GW995
  folded: >
    text
    # gwlint: ignore=GW994
# gwlint: ignore=GW301
"""
    index = index_sources([Source("s.yaml", text.encode())], Settings())
    [directive] = collect_directives(index, set())
    assert (directive.token, directive.line) == ("GW301", 16)


def test_comments_work_in_a_document_that_does_not_parse() -> None:
    broken = "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n"
    assert ids(run(broken + "spec: {a: b]\n", "GW001", "GW004")) == [("GW001", 4)]
    assert ids(run(broken + "# gwlint: ignore=yaml-syntax-error\nspec: {a: b]\n", "GW001", "GW004")) == []


def test_parse_entries() -> None:
    assert parse_entries("GW401, readiness-probe-missing: drained by the mesh ,, ") == [
        ("GW401", None),
        ("readiness-probe-missing", "drained by the mesh"),
    ]
    assert parse_entries("GW401 -- until v2") == [("GW401", "-- until v2")]
    assert parse_entries("?? what") == [("", "?? what")]


@pytest.mark.parametrize("rules", [("GW004",), ("GW201", "GW004")])
def test_entries_for_rules_that_did_not_run_are_not_stale(rules: tuple[str, ...]) -> None:
    meta = "  annotations:\n    gwlint.io/ignore: GW301\n"
    assert ids(run(SERVICE + "---\n" + deployment(metadata_extra=meta), *rules)) == []


def test_cli_counts_suppressed_findings_and_notes_do_not_fail(tmp_path: Path, gwlint: Gwlint) -> None:
    (tmp_path / ".git").mkdir()
    meta = "  annotations:\n    gwlint.io/ignore: GW301, GW201\n"
    (tmp_path / "app.yaml").write_text(SERVICE + "---\n" + deployment(metadata_extra=meta), encoding="utf-8")
    res = gwlint("--select", "GW301,GW201,GW004", "app.yaml", cwd=tmp_path)
    assert res.code == 0, res.out + res.err  # only the GW004 note remains; notes do not fail by default
    assert "app.yaml:14:23: GW004 [*] [note] unused-suppression" in res.out
    assert "Not shown: 1 suppressed." in res.out
    assert gwlint("--select", "GW301,GW201,GW004", "--fail-on", "note", "app.yaml", cwd=tmp_path).code == 1
    everything = gwlint("--select", "GW301,GW201,GW004", "--no-suppressions", "-f", "json", "app.yaml", cwd=tmp_path)
    assert [f["rule"] for f in json.loads(everything.out)["findings"]] == ["GW301"]
    assert everything.code == 1
