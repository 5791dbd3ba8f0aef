"""docs/rules/ is generated from the rules and must not go stale.

Regenerate with ``python -m gwlint.docgen docs/rules`` after adding or changing a rule
or its doc.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest
from gwlint.core.findings import Severity
from gwlint.docgen import describe_type, main, options_summary, render_all, rule_page, stale
from gwlint.engine.api import Rule
from gwlint.engine.registry import builtin_rules

from ..conftest import ROOT

DOCS = ROOT / "docs" / "rules"


def test_generated_rule_docs_are_up_to_date() -> None:
    problems = stale(DOCS, render_all(builtin_rules()))
    assert not problems, f"docs/rules is out of date ({', '.join(problems)}): run `python -m gwlint.docgen docs/rules`"


def test_index_lists_every_rule_in_catalogue_order() -> None:
    index = render_all(builtin_rules())["README.md"]
    rows = [line for line in index.splitlines() if line.startswith("| [")]
    assert [row.split("]")[0][3:] for row in rows] == [r.id for r in builtin_rules()]


class _Tuned(Rule):
    id = "GW998"
    name = "tuned-rule"
    severity = Severity.WARNING
    summary = "Has options"
    tags = ("probes", "rollout")
    options_schema: ClassVar[dict[str, Any]] = {
        "min-seconds": {"type": "integer", "minimum": 0},
        "mode": {"enum": ["strict", "lax"]},
        "kinds": {"type": "array", "items": {"type": "string"}},
    }
    default_options: ClassVar[dict[str, Any]] = {"min-seconds": 30, "mode": "strict"}


def test_page_carries_the_metadata() -> None:
    page = rule_page(_Tuned)
    assert "# GW998 tuned-rule\n" in page
    assert "| default severity | warning |" in page
    assert "| tags | `probes`, `rollout` |" in page
    assert options_summary(_Tuned) == (
        "`kinds` (list of string, no default); `min-seconds` (integer ≥ 0, default `30`); "
        '`mode` (one of `"strict"`, `"lax"`, default `"strict"`)'
    )


@pytest.mark.parametrize(
    ("schema", "text"),
    [
        ({"type": "integer", "minimum": 1, "maximum": 9}, "integer ≥ 1 ≤ 9"),
        ({"type": ["string", "integer"]}, "string or integer"),
        ({}, "any"),
    ],
)
def test_describe_type(schema: dict[str, Any], text: str) -> None:
    assert describe_type(schema) == text


def test_check_and_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "rules"
    assert main(["--check", str(out)]) == 1
    assert main([str(out)]) == 0
    assert main(["--check", str(out)]) == 0
    (out / "GW999.md").write_text("a rule that no longer exists\n", encoding="utf-8")
    first = sorted(out.glob("GW*.md"))[0]
    first.write_text("edited by hand\n", encoding="utf-8")
    assert main(["--check", str(out)]) == 1
    err = capsys.readouterr().err
    assert "GW999.md: out of date" in err and f"{first.name}: out of date" in err
    assert main([str(out)]) == 0
    assert not (out / "GW999.md").exists()
    assert main(["--check", str(out)]) == 0


def test_sarif_help_uris_point_at_generated_pages() -> None:
    from gwlint import HOMEPAGE, RULE_DOCS

    for rule in builtin_rules():
        relative = RULE_DOCS.format(id=rule.id).removeprefix(HOMEPAGE + "/blob/main/")
        assert (ROOT / relative).is_file(), f"SARIF helpUri of {rule.id} points at {relative}, which does not exist"
