"""The baseline: write, move lines around, lint again, and only new findings appear."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from gwlint.core.findings import Finding, Location, ResourceId, Severity
from gwlint.suppression.baseline import VERSION, BaselineError, dump, key_of, load, new_findings

from ..clirun import Gwlint, gwlint_fixture  # noqa: F401  (the gwlint fixture)
from ..manifests import DEPLOYMENT, SERVICE

APP = (
    SERVICE
    + """\
---
apiVersion: v1
kind: Service
metadata:
  name: orphan
spec:
  selector: {app: gone}
  ports: [{port: 80}]
---
"""
    + DEPLOYMENT
)

RULES = ("--select", "GW001,GW201,GW301")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "app.yaml").write_text(APP, encoding="utf-8")
    return tmp_path


def finding(rule: str, name: str | None, path: tuple[str | int, ...] = ("spec",), file: str = "a.yaml") -> Finding:
    res = ResourceId("apps", "Deployment", "shop", name) if name else None
    return Finding(rule, "x", Severity.ERROR, "m", Location(file=file, path=path, resource=res))


def test_round_trip_survives_unrelated_edits(repo: Path, gwlint: Gwlint) -> None:
    before = gwlint(*RULES, "-f", "json", "k8s", cwd=repo)
    assert before.code == 1
    assert sorted(f["rule"] for f in json.loads(before.out)["findings"]) == ["GW201", "GW301"]

    written = gwlint(*RULES, "--write-baseline", ".gwlint-baseline.json", "k8s", cwd=repo)
    assert written.code == 0, written.err
    assert "recorded 2 findings in .gwlint-baseline.json" in written.err
    assert "Not shown: 2 in the baseline." in written.out

    # unrelated edits: a comment and a new healthy object on top move every line down
    edited = "# owned by team web\n" + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n---\n" + APP
    (repo / "k8s" / "app.yaml").write_text(edited, encoding="utf-8")
    after = gwlint(*RULES, "--baseline", ".gwlint-baseline.json", "k8s", cwd=repo)
    assert after.code == 0, after.out
    assert after.out.startswith("No findings in 1 file")

    # a new problem is still reported, and only it
    broken = edited.replace("selector: {app: web}\n  ports", "selector: {app: webb}\n  ports")
    (repo / "k8s" / "app.yaml").write_text(broken, encoding="utf-8")
    new = gwlint(*RULES, "-f", "json", "--baseline", ".gwlint-baseline.json", "k8s", cwd=repo)
    assert new.code == 1
    assert [(f["rule"], f["resource"]["name"]) for f in json.loads(new.out)["findings"]] == [("GW201", "web")]


def test_moving_an_object_to_another_file_keeps_it_baselined(repo: Path, gwlint: Gwlint) -> None:
    gwlint(*RULES, "--write-baseline", "baseline.json", "k8s", cwd=repo)
    first, _, rest = APP.partition("---\n")
    (repo / "k8s" / "app.yaml").write_text(rest, encoding="utf-8")
    (repo / "k8s" / "service.yaml").write_text(first, encoding="utf-8")
    assert gwlint(*RULES, "--baseline", "baseline.json", "k8s", cwd=repo).code == 0


def test_matching_counts_occurrences(repo: Path, gwlint: Gwlint) -> None:
    broken = repo / "k8s" / "broken.yaml"
    broken.write_text("a: [1\n", encoding="utf-8")
    gwlint(*RULES, "--write-baseline", "baseline.json", "k8s", cwd=repo)
    entries = json.loads((repo / "baseline.json").read_text())["findings"]
    assert {k: v for k, v in entries[0].items() if k != "message"} == {
        "rule": "GW001",
        "file": "k8s/broken.yaml",
        "path": "",
        "count": 1,
    }
    broken.write_text("a: [1\n---\nb: {2\n", encoding="utf-8")  # a second syntax error, same key
    again = gwlint(*RULES, "-f", "json", "--baseline", "baseline.json", "k8s", cwd=repo)
    assert again.code == 1
    assert [f["rule"] for f in json.loads(again.out)["findings"]] == ["GW001"]


def test_new_findings_is_count_aware() -> None:
    accepted = Counter({key_of(finding("GW301", "web")): 1})
    current = [finding("GW301", "web"), finding("GW301", "web"), finding("GW301", "api")]
    kept, hidden = new_findings(current, accepted)
    assert hidden == 1
    assert [f.location.resource.name for f in kept if f.location.resource] == ["web", "api"]


def test_key_ignores_lines_and_messages_but_not_object_or_path() -> None:
    a = finding("GW301", "web")
    b = finding("GW301", "web", file="moved.yaml")
    b.message = "reworded"
    assert key_of(a) == key_of(b)
    assert key_of(a) != key_of(finding("GW301", "web", ("spec", "replicas")))
    assert key_of(a) != key_of(finding("GW301", "api"))
    assert key_of(finding("GW001", None, (), "a.yaml")) != key_of(finding("GW001", None, (), "b.yaml"))


def test_file_format_is_versioned_sorted_and_readable(tmp_path: Path) -> None:
    text = dump([finding("GW301", "web"), finding("GW201", "web"), finding("GW301", "web")])
    data = json.loads(text)
    assert data["tool"] == "gwlint" and data["version"] == VERSION
    assert [(e["rule"], e["object"], e["path"], e["count"]) for e in data["findings"]] == [
        ("GW201", "apps/Deployment/shop/web", "spec", 1),
        ("GW301", "apps/Deployment/shop/web", "spec", 2),
    ]
    path = tmp_path / "b.json"
    path.write_text(text)
    assert load(path)[key_of(finding("GW301", "web"))] == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read baseline"),
        ("{not json", "invalid JSON"),
        ('{"findings": []}', "not a gwlint baseline"),
        ('{"tool": "gwlint", "version": 99, "findings": []}', "baseline version 99 is not supported"),
        ('{"tool": "gwlint", "version": 1, "findings": [{"count": 1}]}', "entry 0 of the baseline is malformed"),
    ],
)
def test_unusable_baseline_exits_2(repo: Path, gwlint: Gwlint, content: str | None, message: str) -> None:
    if content is not None:
        (repo / "baseline.json").write_text(content, encoding="utf-8")
    result = gwlint(*RULES, "--baseline", "baseline.json", "k8s", cwd=repo)
    assert result.code == 2
    assert message in result.err
    with pytest.raises(BaselineError):
        load(repo / "baseline.json")


def test_incomplete_run_does_not_write_a_baseline(repo: Path, gwlint: Gwlint) -> None:
    result = gwlint(*RULES, "--write-baseline", "baseline.json", "k8s", "missing.yaml", cwd=repo)
    assert result.code == 2
    assert "baseline not written to baseline.json: the run was incomplete" in result.err
    assert not (repo / "baseline.json").exists()


def test_suppressed_findings_are_not_recorded(repo: Path, gwlint: Gwlint) -> None:
    annotated = APP.replace("  name: orphan\n", "  name: orphan\n  annotations: {gwlint.io/ignore: GW201}\n")
    (repo / "k8s" / "app.yaml").write_text(annotated, encoding="utf-8")
    gwlint(*RULES, "--write-baseline", "baseline.json", "k8s", cwd=repo)
    entries = json.loads((repo / "baseline.json").read_text())["findings"]
    assert [e["rule"] for e in entries] == ["GW301"]
