"""Every rule has its doc, and the doc's examples do what they say."""

from __future__ import annotations

import re

import pytest
from gwlint.engine.api import FixAvailability, Rule
from gwlint.engine.registry import builtin_rules
from gwlint.engine.run import lint
from gwlint.sources.files import Source

REQUIRED = ("What it does", "Why is this bad?", "Example", "Use instead", "Options")


@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda r: r.id)
def test_doc_has_required_sections(rule: type[Rule]) -> None:
    doc = rule.doc()
    assert doc.startswith(f"# {rule.id} {rule.name}\n"), f"{rule.id}: the doc must start with '# {rule.id} {rule.name}'"
    sections = rule.doc_sections()
    for name in REQUIRED:
        assert sections.get(name), f"{rule.id}: section '## {name}' is missing or empty"


@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda r: r.id)
def test_fix_safety_section_exactly_when_the_rule_fixes(rule: type[Rule]) -> None:
    sections = list(rule.doc_sections())
    if rule.fix_availability == FixAvailability.NONE:
        assert "Fix safety" not in sections, f"{rule.id} documents a fix but declares fix_availability NONE"
    else:
        assert sections[-1] == "Fix safety", f"{rule.id} fixes: its doc must end with '## Fix safety'"
        body = rule.doc_sections()["Fix safety"]
        assert body.startswith(("Safe", "Unsafe")), f"{rule.id}: say first whether the fix is safe or unsafe"


@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda r: r.id)
def test_doc_example_fires(rule: type[Rule]) -> None:
    if "render" in rule.tags:
        pytest.skip("the Example is a chart template: testdata/GW005/ renders it with the real helm")
    example = rule.doc_example("Example")
    assert example, f"{rule.id}: the Example section has no yaml block"
    result = lint([Source("example.yaml", example.encode())], [rule()])
    assert any(f.rule_id == rule.id for f in result.findings), f"{rule.id}: the doc's Example does not fire"


@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda r: r.id)
def test_doc_use_instead_is_silent(rule: type[Rule]) -> None:
    if "render" in rule.tags:
        pytest.skip("the Use instead is a values file: testdata/GW005/ renders it with the real helm")
    fixed = rule.doc_example("Use instead")
    assert fixed, f"{rule.id}: the Use instead section has no yaml block"
    result = lint([Source("fixed.yaml", fixed.encode())], [rule()])
    found = [f.message for f in result.findings if f.rule_id == rule.id]
    assert not found, f"{rule.id}: the doc's Use instead still fires: {found}"


def test_every_catalogue_rule_is_registered() -> None:
    from ..conftest import SHARED

    spec = SHARED / "spec" / "rules.md"
    if not spec.is_file():
        pytest.skip(f"{spec} is missing (no shared/ beside this clone)")
    ids = set(re.findall(r"^\| (GW\d{3}) \| ([a-z0-9-]+) \| (\w+) \|", spec.read_text(), re.MULTILINE))
    registered = {(r.id, r.name, r.severity.label) for r in builtin_rules()}
    assert ids <= registered, f"catalogue rules not implemented as written: {sorted(ids - registered)}"
