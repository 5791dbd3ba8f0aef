"""One problem record from the loader to the rules, and what the run lost.

The loader and the model say what is wrong with the input (a kind: syntax or shape),
never which rule reports it: GW001 and GW002 map the kinds to their findings. The
documents the loader could not load become ``Lost`` records of the index, per namespace.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from gwlint.engine.run import index_sources
from gwlint.engine.settings import Settings
from gwlint.loader.document import ProblemKind
from gwlint.loader.split import shown_namespace
from gwlint.sources.files import Source

ROOT = Path(__file__).resolve().parents[2]
RULE_ID = re.compile(r"\bGW\d{3}\b")


def _code_strings(path: Path) -> list[tuple[int, str]]:
    """String constants of a module that are not documentation (a string standing alone as a statement)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


@pytest.mark.parametrize("stage", ["loader", "model", "index"])
def test_the_early_stages_name_no_rule(stage: str) -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in sorted((ROOT / "linter" / stage).glob("*.py"))
        for line, text in _code_strings(path)
        if RULE_ID.search(text)
    ]
    assert not found, found


@pytest.mark.parametrize(
    ("text", "namespace"),
    [
        ("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec: {}\n", "shop"),
        ("metadata: {name: web, namespace: 'shop'}\n", "shop"),
        ("metadata: {name: web,\n  namespace: shop}\n", "shop"),
        ('metadata:\n    name: web\n    namespace: "b"  # here\n', "b"),
        ("items:\n- metadata:\n    namespace: a\n", "a"),
        ("metadata:\n  name: web\n  labels:\n    namespace: x\nspec:\n  namespace: y\n", None),
        ("metadata:\n  name: web\nspec:\n  namespace: y\n", None),
        ("kind: Service\nspec: {}\n", None),
    ],
)
def test_the_namespace_a_document_text_shows(text: str, namespace: str | None) -> None:
    assert shown_namespace(text) == namespace


BROKEN = """\
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: web
           ports: [{containerPort: 80}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: other, namespace: tools}
"""


def test_a_document_that_does_not_parse_is_lost_in_the_namespace_its_text_shows() -> None:
    index = index_sources([Source("app.yaml", BROKEN.encode())], Settings())
    assert [p.kind for p in index.problems] == [ProblemKind.SYNTAX]
    lost = index.lost_in("shop")
    assert [(x.file, x.line, x.describe()) for x in lost] == [
        ("app.yaml", 16, "a document that does not parse (app.yaml:17)")
    ]
    assert index.lost_in("tools") == []
    assert index.lost_in("default") == []


def test_without_a_namespace_in_its_text_a_lost_document_may_be_in_any_namespace_of_its_file() -> None:
    text = BROKEN.replace("  namespace: shop\n", "")
    index = index_sources([Source("app.yaml", text.encode())], Settings(namespace="dev"))
    assert {ns for ns in ("shop", "tools", "dev", "other") if index.lost_in(ns)} == {"shop", "tools", "dev"}


def test_a_file_that_is_not_text_may_hold_any_namespace() -> None:
    index = index_sources([Source("bin.yaml", b"\x00\x01"), Source("ok.yaml", BROKEN.encode())], Settings())
    assert [x.describe() for x in index.lost_in("anything")] == ["a file that is not UTF-8 text (bin.yaml)"]


def test_a_values_file_that_does_not_parse_loses_no_object() -> None:
    text = "replicas: 1\n---\nimage: [broken\n"
    index = index_sources([Source("values.yaml", text.encode())], Settings())
    assert index.lost == []


def test_a_missing_side_in_an_incomplete_namespace_stays_a_note_whatever_the_configured_severity() -> None:
    from gwlint.core.findings import Severity
    from gwlint.engine.registry import builtin_rules
    from gwlint.engine.run import lint

    rules = [cls() for cls in builtin_rules() if cls.id in ("GW001", "GW201", "GW205")]
    settings = Settings(severity={"GW201": Severity.WARNING})
    result = lint([Source("app.yaml", BROKEN.encode())], rules, settings)
    found = {(f.rule_id, f.severity) for f in result.findings}
    assert found == {("GW001", Severity.ERROR), ("GW201", Severity.NOTE)}
    fixed = BROKEN.replace("           ports", "          ports")
    result = lint([Source("app.yaml", fixed.encode())], rules, settings)
    assert {(f.rule_id, f.severity) for f in result.findings} == {("GW201", Severity.WARNING)}
