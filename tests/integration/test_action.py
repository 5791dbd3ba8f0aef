"""The composite GitHub Action: its definition checked by the real validators, and its
shell steps run with the environment a runner gives them.

The install step really installs gwlint from a copy of the working tree (the action's
checkout) with pip; the lint steps then use that installation, with the real helm for
the ``helm-chart`` input.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from ..conftest import ROOT, TESTDATA
from ..tools import mermaid_parse, python_tool, tool
from ..worktree import copy_worktree
from .test_helm import helm_env
from .test_repository import expectations

ACTION = ROOT / "action.yml"
BASH = shutil.which("bash") or "bash"
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")

BROKEN_SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web-v2
  ports:
    - port: 80
      targetPort: 8080
"""

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: "nginx:1.27"
          ports:
            - containerPort: 8080
          readinessProbe:
            httpGet:
              path: /healthz
              port: 8080
"""


def load_action() -> dict[str, object]:
    data = YAML(typ="safe").load(ACTION.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps() -> list[dict[str, object]]:
    runs = load_action()["runs"]
    assert isinstance(runs, dict) and runs["using"] == "composite"
    result = runs["steps"]
    assert isinstance(result, list)
    return result


# --- the definition --------------------------------------------------------------------


def test_action_matches_the_github_actions_schema() -> None:
    proc = subprocess.run(
        [python_tool("check-jsonschema"), "--builtin-schema", "vendor.github-actions", str(ACTION)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def zizmor(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [python_tool("zizmor"), "--offline", "--no-progress", "--format", "plain", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_zizmor_finds_nothing() -> None:
    proc = zizmor(ACTION)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_zizmor_would_catch_an_input_expanded_in_a_script(tmp_path: Path) -> None:
    """The audit above is not vacuous: the same action with one input inlined into
    ``run:`` is a template-injection finding."""
    text = ACTION.read_text(encoding="utf-8")
    mutated = text.replace('run: bash "$GITHUB_ACTION_PATH/action/run.sh"', "run: gwlint ${{ inputs.paths }}")
    assert mutated != text
    (tmp_path / "action.yml").write_text(mutated, encoding="utf-8")
    proc = zizmor(tmp_path / "action.yml")
    assert proc.returncode != 0
    assert "template-injection" in proc.stdout + proc.stderr


def test_every_action_reference_is_pinned_to_a_commit() -> None:
    uses = [s["uses"] for s in steps() if "uses" in s]
    assert uses, "the action uses setup-python and upload-sarif"
    for ref in uses:
        assert isinstance(ref, str) and SHA_PIN.match(ref), ref


def test_inputs_reach_scripts_only_through_env() -> None:
    """No ``${{ }}`` in any script, every INPUT_* the script reads is set by its step,
    and every declared input is used somewhere."""
    action_text = ACTION.read_text(encoding="utf-8")
    inputs = load_action()["inputs"]
    assert isinstance(inputs, dict)
    declared = set(inputs)
    used = set(re.findall(r"inputs\.([\w-]+)", action_text))
    assert used == declared
    for step in steps():
        run = step.get("run")
        if run is None:
            continue
        assert isinstance(run, str) and "${{" not in run, run
        script = re.search(r"action/([\w.-]+\.sh)", run)
        if script is None:
            continue
        text = (ROOT / "action" / script.group(1)).read_text(encoding="utf-8")
        read = set(re.findall(r"\$\{?(INPUT_[A-Z_]+|GWLINT_PYTHON|GWLINT)\b", text))
        env = step.get("env") or {}
        assert isinstance(env, dict)
        assert read <= set(env), f"{script.group(1)} reads {sorted(read - set(env))} that its step does not set"


def documented_workflows() -> list[tuple[str, str]]:
    """The complete workflows (```yaml blocks with ``jobs:``) shown in the docs."""
    found: list[tuple[str, str]] = []
    for doc in ("README.md", "docs/github-action.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        blocks = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.DOTALL) if "\njobs:" in b]
        assert blocks, f"{doc} shows no sample workflow"
        found.extend((f"{doc}#{i}", b) for i, b in enumerate(blocks))
    return found


def test_documented_workflows_are_valid(tmp_path: Path) -> None:
    """The sample workflows match the workflow schema and pass zizmor, apart from the
    documented choice of showing the action by tag rather than by commit sha."""
    folder = tmp_path / ".github/workflows"
    folder.mkdir(parents=True)
    for i, (_, text) in enumerate(documented_workflows()):
        assert "uses: gwlint/gwlint@" in text
        assert "security-events: write" in text and "contents: read" in text
        (folder / f"sample{i}.yml").write_text(text, encoding="utf-8")
    files = sorted(str(p) for p in folder.iterdir())
    proc = subprocess.run(
        [python_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    config = tmp_path / "zizmor.yml"
    config.write_text('rules:\n  unpinned-uses:\n    config:\n      policies:\n        "gwlint/*": ref-pin\n')
    proc = subprocess.run(
        [python_tool("zizmor"), "--offline", "--no-progress", "--config", str(config), *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --- the shell steps -------------------------------------------------------------------


@dataclass
class Runner:
    """A directory layout and environment like a runner's for one job."""

    root: Path
    gwlint: str

    @property
    def workspace(self) -> Path:
        return self.root / "workspace"

    def env(self, inputs: dict[str, str], extra: dict[str, str] | None = None) -> dict[str, str]:
        temp = self.root / "runner-temp"
        temp.mkdir(exist_ok=True)
        for name in ("output", "summary"):
            (self.root / name).write_text("", encoding="utf-8")
        env = {
            "PATH": os.environ["PATH"],
            "HOME": str(self.root),
            "GITHUB_ACTIONS": "true",
            "GITHUB_ACTION_PATH": str(ROOT),
            "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_OUTPUT": str(self.root / "output"),
            "GITHUB_STEP_SUMMARY": str(self.root / "summary"),
            "RUNNER_TEMP": str(temp),
            "GWLINT": self.gwlint,
        }
        env.update({"INPUT_" + k.upper().replace("-", "_"): v for k, v in inputs.items()})
        env.update(extra or {})
        return env

    def run(self, inputs: dict[str, str], extra: dict[str, str] | None = None) -> Step:
        """Run the lint step; from outside the workspace, which the script must not rely on."""
        proc = subprocess.run(
            [BASH, str(ROOT / "action/run.sh")],
            cwd=self.root,
            env=self.env(inputs, extra),
            capture_output=True,
            text=True,
            check=False,
        )
        outputs = dict(
            line.split("=", 1) for line in (self.root / "output").read_text(encoding="utf-8").splitlines() if line
        )
        summary = (self.root / "summary").read_text(encoding="utf-8")
        return Step(proc.returncode, proc.stdout, proc.stderr, outputs, summary)


@dataclass
class Step:
    """What one run of the lint step left behind."""

    status: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str

    def annotations(self, rule_id: str) -> list[str]:
        return [line for line in self.stdout.splitlines() if line.startswith("::") and f"title={rule_id} " in line]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Run the install step once: gwlint from a checkout of the action, via pip."""
    root = tmp_path_factory.mktemp("action-install")
    checkout = copy_worktree(root / "action-checkout")
    output = root / "output"
    output.write_text("", encoding="utf-8")
    temp = root / "runner-temp"
    temp.mkdir()
    env = {
        **os.environ,  # HOME and pip's settings: its cache makes reruns quick
        "GITHUB_ACTION_PATH": str(checkout),
        "RUNNER_TEMP": str(temp),
        "GITHUB_OUTPUT": str(output),
        "GWLINT_PYTHON": sys.executable,
    }
    proc = subprocess.run(
        [BASH, str(checkout / "action/install.sh")], env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("gwlint, version ")
    line = output.read_text(encoding="utf-8").strip()
    assert line.startswith("gwlint="), line
    gwlint = line.split("=", 1)[1]
    assert Path(gwlint).is_relative_to(temp), "installed into the runner's temp, not the job's Python"
    return gwlint


@pytest.fixture
def runner(tmp_path: Path, installed: str) -> Runner:
    r = Runner(tmp_path, installed)
    deploy = r.workspace / "deploy"
    deploy.mkdir(parents=True)
    (deploy / "service.yaml").write_text(BROKEN_SERVICE, encoding="utf-8")
    (deploy / "deployment.yaml").write_text(DEPLOYMENT, encoding="utf-8")
    return r


def test_paths_with_a_finding(runner: Runner) -> None:
    step = runner.run({"paths": "deploy", "sarif-file": "reports/gwlint.sarif"})
    assert step.status == 0, step.stderr  # the last step of the action fails the job
    assert step.outputs == {"exit-code": "1", "sarif-file": "reports/gwlint.sarif"}
    (annotation,) = step.annotations("GW201")
    assert annotation.startswith("::error file=deploy/service.yaml,line=7,")
    sarif = json.loads((runner.workspace / "reports/gwlint.sarif").read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    gw201 = next(r for r in results if r["ruleId"] == "GW201")
    location = gw201["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "deploy/service.yaml"
    assert location["region"]["startLine"] == 7
    assert step.summary.startswith("### gwlint: 1 error, 0 warnings, 0 notes\n")
    assert "- deploy/service.yaml:7: Service shop/web selects no pods" in step.summary


def test_no_errors_with_fail_on_error(runner: Runner) -> None:
    fixed = BROKEN_SERVICE.replace("app: web-v2", "app: web")
    (runner.workspace / "deploy/service.yaml").write_text(fixed, encoding="utf-8")
    step = runner.run({"paths": "deploy\n", "fail-on": "error"})
    assert step.status == 0, step.stderr
    assert step.outputs == {"exit-code": "0", "sarif-file": "gwlint.sarif"}
    assert not step.annotations("GW201")
    sarif = json.loads((runner.workspace / "gwlint.sarif").read_text(encoding="utf-8"))
    assert [r for r in sarif["runs"][0]["results"] if r["level"] == "error"] == []


def test_several_paths_and_fail_on_never(runner: Runner) -> None:
    step = runner.run({"paths": "deploy/service.yaml  deploy/deployment.yaml", "fail-on": "never"})
    assert step.outputs["exit-code"] == "0"
    assert step.annotations("GW201"), "findings are still annotated"


def test_a_path_with_glob_characters_is_not_expanded(runner: Runner) -> None:
    step = runner.run({"paths": "deploy/*.yaml"})
    assert step.outputs["exit-code"] == "2"
    assert "deploy/*.yaml" in step.stdout + step.stderr


def test_a_missing_path_is_exit_code_2(runner: Runner) -> None:
    step = runner.run({"paths": "deploy nowhere"})
    assert step.status == 0
    assert step.outputs["exit-code"] == "2"
    assert "nowhere" in step.stdout


def test_an_invalid_fail_on_is_exit_code_2(runner: Runner) -> None:
    step = runner.run({"paths": "deploy", "fail-on": "warn"})
    assert step.outputs["exit-code"] == "2"
    assert "'warn' is not one of" in step.stderr


def test_paths_and_helm_chart_together_are_refused(runner: Runner) -> None:
    step = runner.run({"paths": "deploy", "helm-chart": "chart"})
    assert step.status == 2
    assert "paths and helm-chart exclude each other" in step.stdout


def test_empty_paths_lint_the_configured_paths(runner: Runner) -> None:
    (runner.workspace / "other.yaml").write_text(BROKEN_SERVICE.replace("name: web", "name: other"), encoding="utf-8")
    (runner.workspace / ".gwlint.yaml").write_text("paths: [deploy]\n", encoding="utf-8")
    step = runner.run({"paths": ""})
    assert step.outputs["exit-code"] == "1"
    (annotation,) = step.annotations("GW201")
    assert "file=deploy/service.yaml," in annotation


def test_the_job_summary_holds_the_report_of_the_one_run(runner: Runner, tmp_path: Path) -> None:
    """The pull-request example: both broken request paths drawn and every finding linked to
    its line, in the job summary, from a single gwlint process that also printed the
    annotations and wrote the SARIF."""
    shutil.rmtree(runner.workspace / "deploy")
    shutil.copytree(TESTDATA / "reports/shop", runner.workspace / "deploy")
    calls = tmp_path / "calls"
    wrapper = tmp_path / "gwlint-wrapper"
    wrapper.write_text(f'#!{BASH}\necho "$*" >>"{calls}"\nexec "{runner.gwlint}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    sha = "0123456789abcdef0123456789abcdef01234567"
    github = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/shop", "GITHUB_SHA": sha}
    step = runner.run({"paths": "deploy"}, {**github, "GWLINT": str(wrapper)})
    assert step.status == 0, step.stderr
    assert len(calls.read_text(encoding="utf-8").splitlines()) == 1, "one gwlint run for every output"
    assert step.outputs == {"exit-code": "1", "sarif-file": "gwlint.sarif"}
    assert step.annotations("GW201") and step.annotations("GW102")
    sarif = json.loads((runner.workspace / "gwlint.sarif").read_text(encoding="utf-8"))
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == {"GW102", "GW201", "GW403"}
    summary = step.summary
    assert summary.startswith("### gwlint: 2 errors, 0 warnings, 1 note\n")
    (diagram,) = re.findall(r"```mermaid\n(.*?)```", summary, re.DOTALL)
    assert '-.->|"shop.example.com/account #8594; port 443<br/>GW102 service port missing"|' in diagram
    assert '-.->|"GW201 selects no pods"|' in diagram
    assert mermaid_parse([diagram]) == [{"ok": True, "type": "flowchart-v2"}]
    blob = f"https://github.com/acme/shop/blob/{sha}"
    assert f"- [deploy/ingress.yaml:27]({blob}/deploy/ingress.yaml#L27): Ingress shop/storefront sends" in summary
    assert f"- [deploy/cart.yaml:7]({blob}/deploy/cart.yaml#L7): Service shop/cart selects no pods" in summary
    assert f"  - [deploy/cart.yaml:25]({blob}/deploy/cart.yaml#L25): closest pod template" in summary


def test_a_run_that_stops_early_still_says_so_in_the_summary(runner: Runner) -> None:
    (runner.workspace / ".gwlint.yaml").write_text("selct: [GW201]\n", encoding="utf-8")
    step = runner.run({"paths": "deploy"})
    assert step.outputs == {"exit-code": "2"}
    assert "unknown key 'selct'" in step.stderr
    assert step.summary.startswith("### gwlint\n\nThe run stopped before writing its report (exit status 2)")


@pytest.fixture
def helm_bin(tmp_path: Path) -> Path:
    """A directory holding the real helm, to put on PATH as a runner image has it."""
    folder = tmp_path / "helm-bin"
    folder.mkdir()
    (folder / "helm").symlink_to(tool("helm"))
    return folder


def test_helm_chart(runner: Runner, helm_bin: Path) -> None:
    """``helm-chart`` renders natively: each finding is on the template line that writes
    the field (an annotation GitHub shows on the pull request's diff), never on a rendered
    stream, and names the release."""
    shutil.copytree(TESTDATA / "charts/shop", runner.workspace / "charts/shop")
    (runner.workspace / "ci-values.yaml").write_text("web:\n  replicas: 1\n", encoding="utf-8")
    inputs = {
        "paths": ".",
        "helm-chart": "charts/shop/",
        "helm-values": "ci-values.yaml",
        "helm-release-name": "demo",
        "helm-namespace": "shop",
        "sarif-file": "gwlint.sarif",
    }
    env = {**helm_env(runner.root / "helm-home"), "PATH": f"{helm_bin}{os.pathsep}{os.environ['PATH']}"}
    step = runner.run(inputs, env)
    assert step.status == 0, step.stderr
    assert step.outputs["exit-code"] == "1"
    (gw201,) = step.annotations("GW201")
    assert gw201.startswith("::error file=charts/shop/templates/cart-service.yaml,line=8,")
    assert "Service shop/demo-cart selects no pods" in gw201
    assert "(release charts/shop (ci-values.yaml))" in gw201
    (gw301,) = step.annotations("GW301")
    assert "file=charts/shop/templates/web-deployment.yaml," in gw301
    (gw406,) = step.annotations("GW406")
    assert "file=ci-values.yaml,line=2," in gw406, "the values file was passed to helm, and is where the value is"
    sarif = json.loads((runner.workspace / "gwlint.sarif").read_text(encoding="utf-8"))
    for result in sarif["runs"][0]["results"]:
        for loc in [*result["locations"], *result.get("relatedLocations", [])]:
            uri = loc["physicalLocation"]["artifactLocation"]["uri"]
            assert (runner.workspace / uri).is_file(), uri
    by_rule = {r["ruleId"]: r for r in sarif["runs"][0]["results"]}
    assert by_rule["GW201"]["properties"]["origin"]["file"] == "charts/shop/templates/cart-service.yaml"
    assert not (runner.root / "runner-temp/gwlint-rendered.yaml").exists(), "no rendered stream is linted"


def test_paths_dot_lints_a_whole_gitops_repository(runner: Runner) -> None:
    """``paths: .`` at the root of a repository with a chart, overlays and plain manifests:
    every seeded defect is annotated on its line in the repository, and the job summary
    draws the request paths across the renders and the plain files."""
    shutil.rmtree(runner.workspace / "deploy")
    shutil.copytree(TESTDATA / "repository", runner.workspace, dirs_exist_ok=True)
    (runner.workspace / ".git").mkdir()
    step = runner.run({"paths": "."})
    assert step.status == 0, step.stderr
    assert step.outputs["exit-code"] == "1", step.stderr
    got = set()
    for line in step.stdout.splitlines():
        if line.startswith("::"):
            fields = dict(kv.split("=", 1) for kv in line.split(" ", 1)[1].split("::", 1)[0].split(","))
            got.add((fields["file"], int(fields["line"]), fields["title"].split()[0]))
    assert got == expectations()
    sarif = json.loads((runner.workspace / "gwlint.sarif").read_text(encoding="utf-8"))
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
        for loc in [*r["locations"], *r.get("relatedLocations", [])]
    }
    assert uris and all((runner.workspace / uri).is_file() for uri in uris), uris
    (diagram,) = re.findall(r"```mermaid\n(.*?)```", step.summary, re.DOTALL)
    assert '[["Deployment dev/dev-api<br/>GW405 recreate strategy"]]' in diagram


def test_helm_chart_without_helm(runner: Runner, tmp_path: Path) -> None:
    """A runner image without helm: a clear error instead of a confusing failure."""
    bare = tmp_path / "bare-bin"
    bare.mkdir()
    for name in ("dirname", "mkdir", "rm", "tee", "grep", "cat"):
        found = shutil.which(name)
        assert found is not None
        (bare / name).symlink_to(found)
    step = runner.run({"helm-chart": "chart"}, {"PATH": str(bare)})
    assert step.status == 2
    assert "helm is not on PATH" in step.stdout


def test_final_step_fails_by_the_recorded_exit_code() -> None:
    (final,) = [s for s in steps() if "GWLINT_EXIT_CODE" in str(s.get("env", {}))]
    script = final["run"]
    assert isinstance(script, str)
    for code in ("0", "1", "2"):
        proc = subprocess.run([BASH, "-c", script], env={"GWLINT_EXIT_CODE": code}, check=False)
        assert proc.returncode == int(code)
