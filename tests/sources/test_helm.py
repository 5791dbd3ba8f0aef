"""Helm's ``# Source:`` comments name the template of the document right after them, and only that one."""

from __future__ import annotations

from gwlint.core.findings import HELM_TEMPLATE
from gwlint.loader.load import load_text
from gwlint.sources.helm import source_comments, template_origins


def _templates(text: str) -> list[str | None]:
    loaded = load_text("s.yaml", text)
    origins = template_origins(text, [(d.start_line, d.end_line) for d in loaded.documents])
    assert all(o is None or (o.kind == HELM_TEMPLATE and o.span is None) for o in origins)
    return [o.file if o else None for o in origins]


def test_source_comments_count_only_at_line_start() -> None:
    text = (
        "# Source: chart/templates/a.yaml\nkind: A\n"
        "---\nkind: B  # Source: chart/templates/not-a-source.yaml\n"
        "---\n# Source: chart/templates/c.yaml\nkind: C\n"
    )
    assert _templates(text) == ["chart/templates/a.yaml", None, "chart/templates/c.yaml"]


def test_a_document_without_its_own_comment_inherits_none() -> None:
    text = "---\n# Source: c/templates/a.yaml\nkind: A\nspec: {}\n---\nkind: B\n"
    assert _templates(text) == ["c/templates/a.yaml", None]


def test_comments_give_their_lines_and_trailing_blanks_are_dropped() -> None:
    text = "x: 1\n# Source: c/t.yaml \r\n---\n# Source: c/u.yaml\n"
    assert source_comments(text) == [(1, "c/t.yaml"), (3, "c/u.yaml")]


def test_text_without_comments_costs_no_scan() -> None:
    assert template_origins("kind: A\n", [(0, 1)]) == [None]
