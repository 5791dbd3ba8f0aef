"""One golden harness over ``testdata/<rule-id>/``: every case of every rule."""

from __future__ import annotations

import pytest
from gwlint.engine.api import Rule
from gwlint.engine.registry import builtin_rules
from gwlint.testing import Case, check_case, discover

from ..conftest import TESTDATA


def _cases() -> list[tuple[type[Rule], Case]]:
    out = []
    for rule in builtin_rules():
        folder = TESTDATA / rule.id
        if folder.is_dir():
            out.extend((rule, case) for case in discover(folder))
    return out


@pytest.mark.parametrize(("rule", "case"), _cases(), ids=lambda v: v.name if isinstance(v, Case) else v.id)
def test_golden_case(rule: type[Rule], case: Case) -> None:
    problems = check_case(case, rule)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda r: r.id)
def test_rule_has_firing_and_silent_fixtures(rule: type[Rule]) -> None:
    folder = TESTDATA / rule.id
    assert folder.is_dir(), f"{rule.id} has no testdata/{rule.id}/ folder"
    cases = discover(folder)
    firing = [c for c in cases if any(e.rule_id == rule.id for e in c.expectations)]
    silent = [c for c in cases if not any(e.rule_id == rule.id for e in c.expectations)]
    assert firing, f"{rule.id} has no case that fires (a `# expect: {rule.id}` line)"
    assert silent, f"{rule.id} has no case that must stay silent"
