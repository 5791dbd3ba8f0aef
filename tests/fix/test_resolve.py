"""Edits by data path become the smallest text change, in the file's own style, or are refused with a reason."""

from __future__ import annotations

from typing import Any

import pytest
from gwlint.core.fixes import Edit, Fix
from gwlint.fix.apply import apply_replacements
from gwlint.fix.resolve import FileText, resolve
from gwlint.loader.load import load_bytes


def fixed(text: str, *edits: Edit, doc: int = 0) -> str:
    """The text after the edits (as one fix on document ``doc``); AssertionError naming the refusal."""
    fix = Fix.safe("test", *edits)
    real = text.encode("utf-8").decode("utf-8")
    loaded = load_bytes("t.yaml", text.encode("utf-8"))
    resolve(fix, loaded.documents[doc], FileText(real))
    assert fix.unavailable is None, fix.unavailable
    assert fix.file == "t.yaml"
    new = apply_replacements(real, fix.replacements)
    again = load_bytes("t.yaml", new.encode("utf-8"))
    assert not again.problems and all(not d.problems for d in again.documents), "the result does not load"
    return new


def refused(text: str, *edits: Edit) -> str:
    """Why the edits are refused."""
    fix = Fix.safe("test", *edits)
    resolve(fix, load_bytes("t.yaml", text.encode("utf-8")).documents[0], FileText(text))
    assert fix.unavailable is not None and not fix.replacements
    return fix.unavailable


BLOCK = """\
# a comment that stays
spec:   # odd spacing stays
  replicas: 3  # three
  selector:
    matchLabels: {app: web}

  template:
    spec:
      containers:
        - name: web
          image: 'nginx:1.27'
          ports: [{name: http, containerPort: 8080}]
# trailing comment
"""


def test_set_keeps_the_quoting_style_and_the_rest_of_the_line() -> None:
    out = fixed(BLOCK, Edit.set(("spec", "template", "spec", "containers", 0, "image"), "nginx:1.28"))
    assert out == BLOCK.replace("'nginx:1.27'", "'nginx:1.28'")


@pytest.mark.parametrize(
    ("written", "value", "expected"),
    [
        ("http", "web", "web"),
        ('"http"', "web", '"web"'),
        ("'http'", "it's", "'it''s'"),
        ("http", "8080", '"8080"'),
        ("http", "yes", '"yes"'),
        ("http", "a: b", '"a: b"'),
        ('"30"', 45, "45"),
        ("30", 45, "45"),
    ],
)
def test_set_scalar_styles(written: str, value: Any, expected: str) -> None:
    assert fixed(f"a: {written}  # c\n", Edit.set(("a",), value)) == f"a: {expected}  # c\n"


def test_set_in_a_flow_mapping_changes_only_the_scalar() -> None:
    text = "port: {name: htpp}  # the name\n"
    assert fixed(text, Edit.set(("port", "name"), "http")) == "port: {name: http}  # the name\n"


def test_delete_removes_the_line_and_its_comment_only() -> None:
    out = fixed(BLOCK, Edit.delete(("spec", "replicas")))
    assert out == BLOCK.replace("  replicas: 3  # three\n", "")


def test_delete_a_nested_block_entry_stops_at_its_last_line() -> None:
    out = fixed(BLOCK, Edit.delete(("spec", "selector")))
    assert out == BLOCK.replace("  selector:\n    matchLabels: {app: web}\n", "")


def test_delete_the_first_key_of_a_list_item_moves_the_next_key_up() -> None:
    text = "items:\n  - replicas: 3\n    name: web\n"
    assert fixed(text, Edit.delete(("items", 0, "replicas"))) == "items:\n  - name: web\n"


def test_delete_in_flow_mappings() -> None:
    assert fixed("s: {a: 1, b: 2, c: 3}\n", Edit.delete(("s", "b"))) == "s: {a: 1, c: 3}\n"
    assert fixed("s: {a: 1, b: 2, c: 3}\n", Edit.delete(("s", "c"))) == "s: {a: 1, b: 2}\n"
    assert fixed("s: {a: 1}\n", Edit.delete(("s", "a"))) == "s: {}\n"


def test_insert_after_a_sibling_at_its_indentation() -> None:
    out = fixed(BLOCK, Edit.insert(("spec",), "minReadySeconds", 10, after=("replicas",)))
    assert out == BLOCK.replace("  replicas: 3  # three\n", "  replicas: 3  # three\n  minReadySeconds: 10\n")


def test_insert_first_when_no_sibling_named_is_there() -> None:
    text = "spec:\n    selector: {}\n    template: {}\n"
    out = fixed(text, Edit.insert(("spec",), "minReadySeconds", 10, after=("replicas",)))
    assert out == "spec:\n    minReadySeconds: 10\n    selector: {}\n    template: {}\n"


def test_insert_last_after_a_nested_block_and_before_trailing_comments() -> None:
    path = ("spec", "template", "spec", "containers", 0)
    out = fixed(BLOCK, Edit.insert(path, "lifecycle", {"preStop": {"sleep": {"seconds": 10}}}))
    added = "          lifecycle:\n            preStop:\n              sleep:\n                seconds: 10\n"
    assert out == BLOCK.replace("# trailing comment\n", added + "# trailing comment\n")


def test_insert_follows_a_four_space_indentation_step() -> None:
    text = "spec:\n    containers:\n        -   name: web\n            image: x\n"
    out = fixed(text, Edit.insert(("spec", "containers", 0), "lifecycle", {"preStop": {"sleep": {"seconds": 10}}}))
    assert (
        out
        == text
        + "            lifecycle:\n"
        + "                preStop:\n"
        + "                    sleep:\n"
        + "                        seconds: 10\n"
    )


def test_insert_into_the_first_key_of_a_list_item_goes_after_it() -> None:
    text = "c:\n  - name: web\n    image: x\n"
    out = fixed(text, Edit.insert(("c", 0), "tty", True, after=()))
    assert out == "c:\n  - name: web\n    tty: true\n    image: x\n"


def test_insert_into_flow_mappings() -> None:
    assert fixed("p: {}\n", Edit.insert(("p",), "sleep", {"seconds": 10})) == "p: {sleep: {seconds: 10}}\n"
    assert fixed("p: {a: 1}\n", Edit.insert(("p",), "b", [1, "x"])) == "p: {a: 1, b: [1, x]}\n"
    assert fixed("p: {a: 1}\n", Edit.insert(("p",), "b", 2, after=())) == "p: {b: 2, a: 1}\n"


def test_insert_into_json_keeps_json_and_its_layout() -> None:
    text = '{\n  "spec": {\n    "replicas": 2,\n    "template": {}\n  }\n}\n'
    out = fixed(text, Edit.insert(("spec",), "minReadySeconds", 10, after=("replicas",)))
    assert out == '{\n  "spec": {\n    "replicas": 2,\n    "minReadySeconds": 10,\n    "template": {}\n  }\n}\n'
    assert fixed('{"a": {"b": 1}}', Edit.insert(("a",), "c", "x")) == '{"a": {"b": 1, "c": "x"}}'


def test_insert_at_the_end_of_a_file_without_a_final_line_break() -> None:
    assert fixed("spec:\n  a: 1", Edit.insert(("spec",), "b", 2)) == "spec:\n  a: 1\n  b: 2"


def test_insert_after_a_block_scalar() -> None:
    text = "m:\n  s: |\n    line\n\n  t: 1\n"
    assert fixed(text, Edit.insert(("m",), "u", 2, after=("s",))) == "m:\n  s: |\n    line\n  u: 2\n\n  t: 1\n"


def test_crlf_bom_comments_and_flow_keep_every_other_byte() -> None:
    text = "\ufeff# top\r\nspec:  # s\r\n  replicas: 2\r\n  selector: {matchLabels: {app: web}}  # flow\r\n"
    out = fixed(text, Edit.insert(("spec",), "minReadySeconds", 10, after=("replicas",)))
    assert out == text.replace("  replicas: 2\r\n", "  replicas: 2\r\n  minReadySeconds: 10\r\n")
    out = fixed(text, Edit.delete(("spec", "replicas")))
    assert out == text.replace("  replicas: 2\r\n", "")
    out = fixed(text, Edit.set(("spec", "selector", "matchLabels", "app"), "api"))
    assert out == text.replace("{app: web}", "{app: api}")


def test_lone_cr_and_unicode_line_separators_map_to_the_real_text() -> None:
    text = "# \u2028 not a break\rspec:\r  a: '\x85x'\r  b: 1\r"
    assert fixed(text, Edit.set(("spec", "b"), 2)) == text.replace("b: 1", "b: 2")
    assert fixed(text, Edit.insert(("spec",), "c", 3)) == text + "  c: 3\r"


def test_edits_of_a_later_document() -> None:
    text = "a: 1\n---\n# second\nb:\n  c: 1\n"
    assert fixed(text, Edit.set(("b", "c"), 2), doc=1) == text.replace("c: 1", "c: 2")


def test_positions_of_replacements_are_those_editors_show() -> None:
    text = "\ufeffspec:\r\n  replicas: 2\r\n  x: 1\r\n"
    fix = Fix.safe("t", Edit.delete(("spec", "replicas")))
    resolve(fix, load_bytes("t.yaml", text.encode()).documents[0], FileText(text))
    (r,) = fix.replacements
    assert (r.line, r.column, r.end_line, r.end_column) == (2, 1, 3, 1)


@pytest.mark.parametrize(
    ("text", "edit", "reason"),
    [
        ("base: &b {a: 1}\nuse: *b\n", Edit.set(("use", "a"), 2), "shared"),
        ("base: &b {a: 1}\nuse: *b\n", Edit.set(("base", "a"), 2), "shared"),
        ("base: &b {a: 1}\nuse:\n  <<: *b\n  c: 2\n", Edit.set(("use", "a"), 2), "shared"),
        ("base: &b {a: 1}\nuse:\n  <<: *b\n  c: 2\n", Edit.insert(("use",), "d", 3), "shared"),
        ("a: 1\nb: &x 2\nc: *x\n", Edit.delete(("b",)), "shared"),
        ("s: |\n  text\n", Edit.set(("s",), "x"), "block scalar"),
        ("s:\n  only: 1\n", Edit.delete(("s", "only")), "only key"),
        ("s: {a: 1}\n", Edit.insert(("s",), "a", 2), "already has"),
        ("s: {a: 1}\n", Edit.set(("s", "b"), 2), "not in the document"),
        ("s: 1\n", Edit.insert(("s",), "a", 2), "not a mapping"),
    ],
)
def test_refused(text: str, edit: Edit, reason: str) -> None:
    assert reason in refused(text, edit)
