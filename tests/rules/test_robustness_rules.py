"""A rule that raises costs only itself: a run error naming the rule and the object.

The broken rules below are loaded the way third-party rules are, through an entry point
of the ``gwlint.rules`` group, so the test covers the plugin path end to end. The CLI
exit-code matrix lives elsewhere; here one CLI check shows that exit status is 2.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import pytest
from gwlint.core.findings import Finding, Severity
from gwlint.engine import registry
from gwlint.engine.api import Context, Rule
from gwlint.engine.run import lint
from gwlint.index.index import Index
from gwlint.model.resource import Resource
from gwlint.sources.files import Source

from ..clirun import Gwlint, gwlint_fixture

__all__ = ["gwlint_fixture"]

MANIFESTS = """\
apiVersion: v1
kind: Service
metadata:
  name: boom
spec:
  selector:
    app: nothing-has-this-label
---
apiVersion: v1
kind: Service
metadata:
  name: calm
spec:
  selector:
    app: nothing-has-this-label-either
"""


class RaisesOnBoom(Rule):
    """Reports every Service, but raises on the one named ``boom`` after one finding."""

    id = "ZZ901"
    name = "raises-on-boom"
    severity = Severity.WARNING
    summary = "A deliberately broken plugin rule"

    def check(self, subject: Resource, ctx: Context) -> Iterator[Finding]:
        yield ctx.finding(subject, ("metadata", "name"), f"saw {subject.name}")
        if subject.name == "boom":
            raise ValueError("the plugin author forgot a case")


class RaisesInSubjects(Rule):
    id = "ZZ902"
    name = "raises-in-subjects"
    severity = Severity.WARNING
    summary = "A plugin whose subjects() fails"

    def subjects(self, index: Index) -> Iterable[Any]:
        raise KeyError("no such view")

    def check(self, subject: Any, ctx: Context) -> Iterator[Finding]:
        yield from ()


class YieldsGarbage(Rule):
    id = "ZZ903"
    name = "yields-garbage"
    severity = Severity.WARNING
    summary = "A plugin whose check() yields something that is not a Finding"

    def check(self, subject: Resource, ctx: Context) -> Iterator[Finding]:
        yield "not a finding"  # type: ignore[misc]


class BadSubject:
    """A subject whose ``resource`` is not a Resource: naming it must not fail too."""

    resource = {"kind": "Service"}
    file = 42


class RaisesOnOddSubject(Rule):
    id = "ZZ904"
    name = "raises-on-odd-subject"
    severity = Severity.WARNING
    summary = "A plugin with an odd subject"

    def subjects(self, index: Index) -> Iterable[Any]:
        return [BadSubject()]

    def check(self, subject: Any, ctx: Context) -> Iterator[Finding]:
        raise RuntimeError("odd")


def broken_rules() -> list[type[Rule]]:
    """The entry point's target: a callable returning rule classes."""
    return [RaisesOnBoom, RaisesInSubjects, YieldsGarbage, RaisesOnOddSubject]


@pytest.fixture
def plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    """Install ``broken_rules`` as a ``gwlint.rules`` entry point."""
    ep = EntryPoint(name="broken", value=f"{__name__}:broken_rules", group=registry.ENTRY_POINT_GROUP)

    def entry_points(group: str) -> list[EntryPoint]:
        return [ep] if group == registry.ENTRY_POINT_GROUP else []

    monkeypatch.setattr(registry, "entry_points", entry_points)


@pytest.mark.usefixtures("plugin")
def test_a_raising_plugin_rule_is_isolated_in_the_engine() -> None:
    rules = registry.all_rules()
    assert {"ZZ901", "ZZ902", "ZZ903", "ZZ904"} <= {r.id for r in rules}
    result = lint([Source("m.yaml", MANIFESTS.encode())], [cls() for cls in rules])
    errors = {e.rule_id: e for e in result.errors}
    assert set(errors) == {"ZZ901", "ZZ902", "ZZ903", "ZZ904"}
    boom = errors["ZZ901"]
    assert boom.message.startswith("internal error in rule ZZ901 (raises-on-boom) on Service default/boom: ValueError")
    assert boom.file == "m.yaml"
    assert boom.detail and "the plugin author forgot a case" in boom.detail
    assert errors["ZZ902"].message.startswith("internal error in rule ZZ902 (raises-in-subjects): KeyError")
    assert "yielded str, not a Finding" in errors["ZZ903"].message
    assert errors["ZZ904"].message.startswith("internal error in rule ZZ904 (raises-on-odd-subject): RuntimeError")
    assert errors["ZZ904"].file is None
    # the broken rule's other subjects, and every other rule, still ran
    assert sorted(f.message for f in result.findings if f.rule_id == "ZZ901") == ["saw boom", "saw calm"]
    assert sorted(f.resource.name for f in result.findings if f.rule_id == "GW201" and f.resource) == ["boom", "calm"]


@pytest.mark.usefixtures("plugin")
def test_a_raising_plugin_rule_makes_the_cli_exit_2(gwlint: Gwlint, tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(MANIFESTS)
    res = gwlint("--format", "json", "m.yaml", cwd=tmp_path)
    assert res.code == 2
    assert "Traceback" not in res.err
    assert "internal error in rule ZZ901 (raises-on-boom) on Service default/boom" in res.err
    report = json.loads(res.out)
    assert {f["rule"] for f in report["findings"]} >= {"GW201", "ZZ901"}
