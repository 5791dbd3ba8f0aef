"""The engine owns the run: a library caller gets the CLI's whole pipeline from one call."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gwlint.core.findings import FAIL_ON
from gwlint.engine.registry import RuleSelectionError
from gwlint.engine.run import RequestError, RunRequest, run

SERVICE = (
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n"
)
DEPLOYMENT = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n"
    "  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n"
    "          image: nginx\n"
)


def _ids(result: object) -> list[str]:
    return sorted(f.rule_id for f in result.findings)  # type: ignore[attr-defined]


def test_a_library_caller_gets_config_inputs_context_and_the_exit_status(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "svc.yaml").write_text(SERVICE)
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "web.yaml").write_text(DEPLOYMENT)
    (tmp_path / ".gwlint.yaml").write_text("select: [GW201]\nfail-on: error\ncontext: [deploy]\n")
    result = run(RunRequest(paths=[str(tmp_path / "svc.yaml")], cwd=str(tmp_path)))
    assert _ids(result) == [] and result.fail_on == "error" and result.exit_status() == 0
    alone = run(RunRequest(paths=[str(tmp_path / "svc.yaml")], cwd=str(tmp_path), context=[str(tmp_path / "svc.yaml")]))
    assert _ids(alone) == ["GW201"] and alone.exit_status() == 1
    assert run(RunRequest(paths=[str(tmp_path / "svc.yaml")], discover_config=False, select=["GW201"])).fail_on == (
        "warning"
    )


@pytest.mark.parametrize("fail_on", FAIL_ON)
def test_the_exit_decision(tmp_path: Path, fail_on: str) -> None:
    (tmp_path / "svc.yaml").write_text(SERVICE)  # GW201, an error
    result = run(RunRequest(paths=[str(tmp_path)], discover_config=False, select=["GW201"], fail_on=fail_on))
    assert result.exit_status() == (0 if fail_on == "never" else 1)
    (tmp_path / "missing.yaml").symlink_to(tmp_path / "nowhere.yaml")
    broken = run(RunRequest(paths=[str(tmp_path)], discover_config=False, fail_on=fail_on))
    assert broken.errors and broken.exit_status() == 2


def test_the_baseline_is_part_of_the_run(tmp_path: Path) -> None:
    (tmp_path / "svc.yaml").write_text(SERVICE)
    baseline = tmp_path / "baseline.json"
    request = RunRequest(paths=[str(tmp_path / "svc.yaml")], discover_config=False, select=["GW201"])
    first = run(RunRequest(**{**_fields(request), "write_baseline": str(baseline)}))
    assert first.recorded == 1 and first.findings == [] and first.baselined == 1
    assert json.loads(baseline.read_text())["findings"][0]["rule"] == "GW201"
    later = run(RunRequest(**{**_fields(request), "baseline": str(baseline)}))
    assert later.findings == [] and later.baselined == 1 and later.recorded is None and later.exit_status() == 0
    with pytest.raises(RequestError, match="baseline"):
        run(RunRequest(**{**_fields(request), "baseline": str(tmp_path / "absent.json")}))


def _fields(request: RunRequest) -> dict[str, object]:
    return {name: getattr(request, name) for name in RunRequest._fields}


def test_requests_that_cannot_run(tmp_path: Path) -> None:
    with pytest.raises(RequestError, match="no input"):
        run(RunRequest(cwd=str(tmp_path), discover_config=False))
    (tmp_path / "bad.yaml").write_text("selct: [GW1]\n")
    with pytest.raises(RequestError, match=r"bad.yaml:1:1: unknown key 'selct'"):
        run(RunRequest(paths=["x.yaml"], config=str(tmp_path / "bad.yaml")))
    with pytest.raises(RuleSelectionError):
        run(RunRequest(paths=["x.yaml"], discover_config=False, select=["GW999"]))
