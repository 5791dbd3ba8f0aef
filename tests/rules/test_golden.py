"""One golden harness over ``testdata/<rule-id>/``: every case of every rule, and the fixes of fixable rules.

``GWLINT_UPDATE_GOLDEN=1`` rewrites the ``*.fixed.yaml`` files from what the fixes do.
"""

from __future__ import annotations

import os

import pytest
from gwlint.engine.api import FixAvailability, Rule
from gwlint.engine.registry import builtin_rules
from gwlint.testing import Case, check_case, check_fixes, discover

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


def _fixable_cases() -> list[tuple[type[Rule], Case]]:
    return [(rule, case) for rule, case in _cases() if rule.fix_availability != FixAvailability.NONE]


@pytest.mark.parametrize(("rule", "case"), _fixable_cases(), ids=lambda v: v.name if isinstance(v, Case) else v.id)
def test_golden_fix(rule: type[Rule], case: Case) -> None:
    problems = check_fixes(case, rule, update=os.environ.get("GWLINT_UPDATE_GOLDEN") == "1")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda r: r.id)
def test_fixable_rule_has_fixed_files(rule: type[Rule]) -> None:
    fixed = sorted((TESTDATA / rule.id).rglob("*.fixed.*"))
    if rule.fix_availability == FixAvailability.NONE:
        assert not fixed, f"{rule.id} declares no fix but has {[p.name for p in fixed]}"
    else:
        assert fixed, f"{rule.id} offers fixes but no case has a .fixed.yaml to compare with"
