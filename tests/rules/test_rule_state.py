"""Rules keep no per-run state: ``subjects()`` and ``check()`` only ask the index.

Every cross-object table a rule needs is an edge of the index, built once per run and
shared; a rule that stored one on itself would rebuild it per rule, and could carry one
run's objects into the next run of the same rule instance (a library caller, a
language server). Running every rule over every golden case must leave each instance
with no attribute of its own.
"""

from __future__ import annotations

from gwlint.engine.registry import builtin_rules
from gwlint.testing import discover, run_case

from ..conftest import TESTDATA


def test_rules_keep_no_state_across_a_run() -> None:
    rules = [cls() for cls in builtin_rules()]
    for folder in sorted(p for p in TESTDATA.iterdir() if p.is_dir() and p.name.startswith("GW")):
        for case in discover(folder):
            run_case(case, rules)
    kept = {rule.id: sorted(vars(rule)) for rule in rules if vars(rule)}
    assert not kept, f"rules that stored per-run state on themselves: {kept}"
