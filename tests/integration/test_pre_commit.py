"""The pre-commit hooks, run by the real pre-commit from a temporary git repository.

The hooks are installed from a commit of this project's working tree (tests/worktree.py)
into pre-commit's own virtualenv: once by ``pre-commit try-repo``, and otherwise through
a ``repos:`` entry (the form the README documents), whose environment pre-commit builds
once in this module's PRE_COMMIT_HOME and reuses. (try-repo always installs into a fresh
store of its own, which costs a pip install per call.)
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from ..conftest import ROOT
from ..tools import python_tool, render_tools
from ..worktree import GIT_ENV, commit_worktree, git

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: http
"""

BROKEN_SERVICE = SERVICE.replace("app: web", "app: web-v2")

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  minReadySeconds: 10
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      terminationGracePeriodSeconds: 30
      containers:
        - name: web
          image: "nginx:1.27"
          ports:
            - name: http
              containerPort: 8080
          readinessProbe:
            httpGet:
              path: /healthz
              port: http
          lifecycle:
            preStop:
              sleep:
                seconds: 5
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app: web
"""

HELM_VALUES = """\
replicaCount: 2
image:
  repository: nginx
  tag: "1.27"
service:
  port: 80
"""

CHART = """\
apiVersion: v2
name: shop
version: 0.1.0
appVersion: "1.27"
"""

KUSTOMIZATION = """\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop
"""

WORKFLOW = """\
name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make test
"""


@dataclass
class HookRepo:
    """A commit of the working tree that pre-commit can install hooks from."""

    path: Path
    rev: str
    home: Path


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> HookRepo:
    root = tmp_path_factory.mktemp("pre-commit")
    path = root / "gwlint-repo"
    rev = commit_worktree(path)
    return HookRepo(path, rev, root / "home")


@dataclass
class Project:
    """A user's repository with manifests, where the hooks run."""

    path: Path
    hooks: HookRepo

    def write(self, rel: str, text: str) -> None:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def env(self) -> dict[str, str]:
        env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(self.hooks.home)}
        env.pop("PRE_COMMIT", None)
        return env

    def pre_commit(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [python_tool("pre-commit"), *args],
            cwd=self.path,
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
        )

    def try_repo(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``pre-commit try-repo <gwlint> [hook] --ref <rev> ...`` in this repository."""
        return self.pre_commit(
            "try-repo", str(self.hooks.path), *args, "--ref", self.hooks.rev, "--color", "never", "--verbose"
        )

    def run(self, hook: str, *args: str) -> subprocess.CompletedProcess[str]:
        """``pre-commit run <hook>`` with a ``repos:`` entry for the gwlint commit."""
        config = self.path.parent / "pre-commit-config.yaml"
        config.write_text(
            f"repos:\n  - repo: {self.hooks.path}\n    rev: {self.hooks.rev}\n"
            "    hooks:\n      - id: gwlint\n      - id: gwlint-project\n",
            encoding="utf-8",
        )
        return self.pre_commit("run", hook, "--config", str(config), "--color", "never", "--verbose", *args)


@pytest.fixture
def project(tmp_path: Path, hook_repo: HookRepo) -> Project:
    path = tmp_path / "project"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    return Project(path, hook_repo)


def output(proc: subprocess.CompletedProcess[str]) -> str:
    return proc.stdout + proc.stderr


def test_hooks_manifest_is_valid() -> None:
    proc = subprocess.run(
        [python_tool("pre-commit"), "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, output(proc)
    hooks = {h["id"]: h for h in YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert set(hooks) == {"gwlint", "gwlint-project"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook.get("types", ["file"]) == ["file"]
        assert hook["require_serial"] is True
        files = re.compile(hook["files"])
        for name in (
            "deploy/app.yaml",
            "app.yml",
            "chart/Chart.yaml",
            "chart/values.yaml",
            "chart/ci/prod-values.yaml",
            "chart/templates/deployment.yaml",
            "chart/templates/_helpers.tpl",
            "apps/base/kustomization.yaml",
            "apps/base/kustomization.yml",
            "apps/base/Kustomization",
            "Kustomization",
        ):
            assert files.search(name), (hook["id"], name)
        for name in ("README.md", "chart/templates/NOTES.txt", "chart/.helmignore", "apps/MyKustomization"):
            assert not files.search(name), (hook["id"], name)
    assert hooks["gwlint"].get("pass_filenames", True) is True
    assert hooks["gwlint-project"]["pass_filenames"] is False


def test_try_repo_fails_on_a_broken_service(project: Project) -> None:
    project.write("deploy/service.yaml", BROKEN_SERVICE)
    project.write("deploy/deployment.yaml", DEPLOYMENT)
    proc = project.try_repo("gwlint", "--files", "deploy/service.yaml", "deploy/deployment.yaml")
    assert proc.returncode == 1, output(proc)
    assert "gwlint" in proc.stdout and "Failed" in proc.stdout
    assert "deploy/service.yaml:6:3: GW201 [error] service-selects-no-pods" in proc.stdout


def test_passes_on_a_good_service(project: Project) -> None:
    project.write("deploy/service.yaml", SERVICE)
    project.write("deploy/deployment.yaml", DEPLOYMENT)
    proc = project.run("gwlint", "--files", "deploy/service.yaml", "deploy/deployment.yaml")
    assert proc.returncode == 0, output(proc)
    assert "No findings in 2 files (3 objects)" in proc.stdout


def test_passes_on_yaml_that_is_not_kubernetes(project: Project) -> None:
    project.write("chart/values.yaml", HELM_VALUES)
    project.write("chart/Chart.yaml", CHART)
    project.write("deploy/kustomization.yaml", KUSTOMIZATION)
    project.write(".github/workflows/ci.yml", WORKFLOW)
    project.write("docker-compose.yaml", "services:\n  web:\n    image: nginx\n")
    git(project.path, "add", "--all")
    proc = project.run("gwlint", "--all-files")
    assert proc.returncode == 0, output(proc)
    assert "GW0" not in proc.stdout
    # the chart and the kustomization count as one rendered input each, not as their files
    assert "No findings in 4 files (0 objects)" in proc.stdout


def test_helm_templates_are_excluded_by_the_config(project: Project) -> None:
    """Go templates are not YAML: without an exclude they are GW001 with a hint to lint
    the rendered chart; ``exclude: [templates]`` in .gwlint.yaml keeps them out even
    though pre-commit passes them by name."""
    template = "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-web\n"
    project.write("chart/templates/service.yaml", template)
    project.write("chart/values.yaml", HELM_VALUES)
    git(project.path, "add", "--all")
    raw = project.run("gwlint", "--all-files")
    assert raw.returncode == 1, output(raw)
    assert "chart/templates/service.yaml:4:" in raw.stdout and "GW001" in raw.stdout
    assert "unrendered Helm template" in raw.stdout

    project.write(".gwlint.yaml", "exclude:\n  - templates\n")
    excluded = project.run("gwlint", "--files", "chart/templates/service.yaml", "chart/values.yaml")
    assert excluded.returncode == 0, output(excluded)
    assert "GW001" not in excluded.stdout


def test_staged_service_sees_the_deployment_through_context(project: Project) -> None:
    """A commit that stages only the Service: without ``context`` the hook sees no pods
    (a false GW201); with ``context: [deploy]`` the unstaged Deployment is loaded for
    cross-references, the hook passes, and nothing is reported twice."""
    project.write("deploy/service.yaml", SERVICE)
    project.write("deploy/deployment.yaml", DEPLOYMENT)
    git(project.path, "add", "deploy/service.yaml")

    alone = project.run("gwlint")
    assert alone.returncode == 1, output(alone)
    assert "GW201" in alone.stdout

    project.write(".gwlint.yaml", "context:\n  - deploy\n")
    with_context = project.run("gwlint")
    assert with_context.returncode == 0, output(with_context)
    assert "GW" not in with_context.stdout.replace("gwlint", "")
    staged = git(project.path, "diff", "--cached", "--name-only").split()
    assert staged == ["deploy/service.yaml"], "the Deployment was never staged"


def test_project_hook_lints_the_configured_paths_once(project: Project) -> None:
    """``gwlint-project`` ignores which files changed: it lints the configured paths."""
    project.write(".gwlint.yaml", "paths:\n  - deploy\n")
    project.write("deploy/service.yaml", BROKEN_SERVICE)
    project.write("deploy/deployment.yaml", DEPLOYMENT)
    project.write("chart/values.yaml", HELM_VALUES)
    proc = project.run("gwlint-project", "--files", "chart/values.yaml")
    assert proc.returncode == 1, output(proc)
    assert proc.stdout.count("deploy/service.yaml:6:3: GW201") == 1
    assert "chart/values.yaml" not in proc.stdout.split("- hook id: gwlint-project", 1)[1]


RENDERED_CHART = {
    "chart/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 0.1.0\n",
    "chart/values.yaml": "port: 8080\n",
    "chart/templates/_helpers.tpl": '{{- define "shop.labels" -}}\napp: shop\n{{- end }}\n',
    "chart/templates/deployment.yaml": DEPLOYMENT.split("---")[0]
    .replace("name: web\n", "name: {{ .Release.Name }}\n", 1)
    .replace("app: web", '{{- include "shop.labels" . | nindent 6 }}', 1)
    .replace("containerPort: 8080", "containerPort: {{ .Values.port }}"),
    "chart/templates/service.yaml": SERVICE.replace("name: web\n", "name: {{ .Release.Name }}\n", 1).replace(
        "targetPort: http", "targetPort: 9090"
    ),
}

USES_ROLLOUT = "resources: [../../base]\ncomponents: [../../components/rollout]\n"

OVERLAYS = {
    "apps/base/kustomization.yaml": "resources: [deployment.yaml, service.yaml]\n",
    "apps/base/deployment.yaml": DEPLOYMENT,
    "apps/base/service.yaml": SERVICE,
    "apps/components/rollout/kustomization.yaml": "kind: Component\npatches:\n  - path: strategy.yaml\n",
    "apps/components/rollout/strategy.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  strategy:\n    type: RollingUpdate\n"
    ),
    "apps/overlays/dev/kustomization.yaml": f"namespace: dev\n{USES_ROLLOUT}",
    "apps/overlays/prod/Kustomization": f"namespace: prod\n{USES_ROLLOUT}",
}


@pytest.fixture
def repository(project: Project) -> Project:
    """A committed repository holding a chart and two overlays that share a component."""
    render_tools()
    for rel, text in {**RENDERED_CHART, **OVERLAYS}.items():
        project.write(rel, text)
    git(project.path, "add", "--all")
    git(project.path, "commit", "-q", "-m", "manifests")
    return project


def test_a_changed_chart_helper_lints_its_chart(repository: Project) -> None:
    """Only ``_helpers.tpl`` changed: the hook passes it (a ``.tpl``), and gwlint renders
    the chart it belongs to and reports the chart's defect on its template line."""
    repository.write("chart/templates/_helpers.tpl", RENDERED_CHART["chart/templates/_helpers.tpl"] + "\n")
    proc = repository.run("gwlint", "--files", "chart/templates/_helpers.tpl")
    assert proc.returncode == 1, output(proc)
    assert "chart/templates/service.yaml:11:7: GW202 [error] service-target-port-not-exposed" in proc.stdout
    assert "(template, line approximate (release chart (values.yaml)))" in proc.stdout
    assert "GW001" not in proc.stdout and "apps/" not in proc.stdout


def test_a_changed_patch_lints_every_overlay_using_it(repository: Project) -> None:
    """The component's patch changed: both root overlays that include the component are
    built, and the one defect is reported once, on the patch line, naming both."""
    patch = "apps/components/rollout/strategy.yaml"
    repository.write(patch, OVERLAYS[patch].replace("RollingUpdate", "Recreate"))
    proc = repository.run("gwlint", "--files", patch)
    assert proc.returncode == 1, output(proc)
    (gw405,) = [line for line in proc.stdout.splitlines() if " GW405 " in line]
    assert gw405.startswith(f"{patch}:7:11: GW405 [warning] recreate-strategy")
    assert gw405.endswith("(patch (overlays apps/overlays/dev, apps/overlays/prod))")
    assert "GW003" not in proc.stdout and "chart/" not in proc.stdout
