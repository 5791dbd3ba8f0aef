"""Context files: loaded for cross-references, never reported on (the pre-commit case)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..clirun import Gwlint, gwlint_fixture  # noqa: F401  (the gwlint fixture)
from ..manifests import DEPLOYMENT, SERVICE

RULES = ("--select", "GW201,GW301,GW003", "-f", "json")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose Service and Deployment sit in different folders."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "services").mkdir()
    (tmp_path / "workloads").mkdir()
    (tmp_path / "services" / "web.yaml").write_text(SERVICE, encoding="utf-8")
    (tmp_path / "workloads" / "web.yaml").write_text(DEPLOYMENT, encoding="utf-8")
    return tmp_path


def rules_and_files(out: str) -> list[tuple[str, str]]:
    return [(f["rule"], f["file"]) for f in json.loads(out)["findings"]]


def test_a_service_staged_alone_is_a_false_gw201_without_context(repo: Path, gwlint: Gwlint) -> None:
    run = gwlint(*RULES, "services/web.yaml", cwd=repo)
    assert rules_and_files(run.out) == [("GW201", "services/web.yaml")]


def test_config_context_supplies_the_deployment_and_nothing_is_reported_on_it(repo: Path, gwlint: Gwlint) -> None:
    (repo / ".gwlint.yaml").write_text("context: [workloads]\n", encoding="utf-8")
    run = gwlint(*RULES, "services/web.yaml", cwd=repo)
    # no GW201, and the Deployment's missing readinessProbe (GW301) is in a context file: not reported
    assert rules_and_files(run.out) == []
    assert run.code == 0
    assert json.loads(run.out)["summary"]["objects"] == 1


def test_context_relative_to_the_config_when_run_from_a_subdirectory(repo: Path, gwlint: Gwlint) -> None:
    (repo / ".gwlint.yaml").write_text("context: [workloads/]\n", encoding="utf-8")
    run = gwlint(*RULES, "web.yaml", cwd=repo / "services")
    assert rules_and_files(run.out) == []


def test_command_line_context_replaces_the_configured_one(repo: Path, gwlint: Gwlint) -> None:
    (repo / ".gwlint.yaml").write_text("context: [services]\n", encoding="utf-8")
    run = gwlint(*RULES, "--context", "workloads", "services/web.yaml", cwd=repo)
    assert rules_and_files(run.out) == []


def test_a_file_both_passed_and_in_context_is_reported_once(repo: Path, gwlint: Gwlint) -> None:
    (repo / ".gwlint.yaml").write_text("context: [services, workloads]\n", encoding="utf-8")
    run = gwlint(*RULES, "workloads/web.yaml", cwd=repo)
    # reported on (GW301), and not loaded twice (no GW003 duplicate of itself)
    assert rules_and_files(run.out) == [("GW301", "workloads/web.yaml")]


def test_exclude_applies_to_context(repo: Path, gwlint: Gwlint) -> None:
    (repo / ".gwlint.yaml").write_text("context: [workloads]\nexclude: [workloads/*]\n", encoding="utf-8")
    run = gwlint(*RULES, "services/web.yaml", cwd=repo)
    assert rules_and_files(run.out) == [("GW201", "services/web.yaml")]


def test_a_missing_context_path_is_a_run_error(repo: Path, gwlint: Gwlint) -> None:
    (repo / ".gwlint.yaml").write_text("context: [nowhere]\n", encoding="utf-8")
    run = gwlint(*RULES, "services/web.yaml", cwd=repo)
    assert run.code == 2
    assert "nowhere: no such file or directory" in run.err
