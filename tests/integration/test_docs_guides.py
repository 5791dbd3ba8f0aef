"""The guides in docs/ hold code that must keep working: the rule of writing-rules.md, and the
folders and layers architecture.md describes."""

from __future__ import annotations

import re
import sys
import types

from gwlint.engine.api import Rule
from gwlint.engine.run import lint
from gwlint.engine.settings import Settings
from gwlint.sources.files import Source

from ..conftest import ROOT
from ..core.test_imports import LAYERS

DOCS = ROOT / "docs"

MANIFEST = """\
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "web:1", ports: [{containerPort: 8080}]}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: {min_available}
  selector: {matchLabels: {app: web}}
"""


def _example_rule() -> type[Rule]:
    text = (DOCS / "writing-rules.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.DOTALL)
    assert code is not None, "writing-rules.md lost its example rule"
    module = types.ModuleType("gwlint_guide_example")
    sys.modules[module.__name__] = module
    exec(compile(code.group(1), "writing-rules.md", "exec"), module.__dict__)
    rules = [v for v in module.__dict__.values() if isinstance(v, type) and issubclass(v, Rule) and v is not Rule]
    assert len(rules) == 1
    return rules[0]


def _run(rule: type[Rule], min_available: int) -> list[str]:
    text = MANIFEST.replace("{min_available}", str(min_available))
    result = lint([Source("app.yaml", text.encode())], [rule()], Settings())
    assert result.errors == []
    return [f.message for f in result.findings]


def test_the_guide_rule_runs_as_written() -> None:
    rule = _example_rule()
    assert _run(rule, 3) == [
        "PodDisruptionBudget default/web keeps 3 of the 3 pods of Deployment default/web: fewer "
        "than 1 may be evicted at once"
    ]
    assert _run(rule, 2) == []


def test_architecture_names_every_stage_folder() -> None:
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    folders = sorted(p.name for p in (ROOT / "linter").iterdir() if (p / "__init__.py").is_file())
    missing = [f for f in folders if f"**`{f}/`**" not in text]
    assert not missing, f"docs/architecture.md does not describe these folders: {missing}"
    assert "**`rules/`**" in text


def test_architecture_lists_the_checked_layers() -> None:
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    block = text.split("## Import layers", 1)[1].split("\n\n    ", 1)[1].split("\n\n", 1)[0]
    written = [
        tuple("gwlint." + part.strip() for part in re.sub(r"\(.*\)", "", line).split("|"))
        for line in block.splitlines()
        if line.strip()
    ]
    assert written == LAYERS
