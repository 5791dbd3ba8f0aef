"""Hostile and odd input: never a traceback or a hang, always a positioned GW001/GW002.

Every case puts a *sentinel* (a Service that selects no pods, so GW201 fires on its
``selector`` key) in another document or file of the same run, so each test also
proves that the rest of the input is still linted and that positions stay right.
Inputs that could crash the interpreter itself (libyaml's C composer overflows its
stack on very deep nesting) run in a subprocess, so a segfault fails the test instead
of killing pytest.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from gwlint.core.findings import Finding
from gwlint.core.result import RunResult
from gwlint.engine.registry import builtin_rules
from gwlint.engine.run import lint
from gwlint.loader.load import load_text
from gwlint.loader.locate import span_of
from gwlint.sources.files import Source

from ..clirun import Gwlint, gwlint_fixture
from ..conftest import require_corpus

__all__ = ["gwlint_fixture"]

SENTINEL = textwrap.dedent(
    """\
    apiVersion: v1
    kind: Service
    metadata:
      name: sentinel
    spec:
      selector:
        app: nothing-has-this-label
    """
)
# A subprocess gets this long before the test calls it a hang (not a timing assertion:
# healthy runs take well under a second).
HANG = 120


def run(*texts: str | bytes) -> RunResult:
    """Lint each text as one file (``f0.yaml``, ``f1.yaml``, ...) with every built-in rule."""
    sources = [Source(f"f{i}.yaml", t.encode() if isinstance(t, str) else t) for i, t in enumerate(texts)]
    result = lint(sources, [cls() for cls in builtin_rules()])
    assert not result.errors, [e.message for e in result.errors]
    return result


def found(result: RunResult, rule_id: str, file: str = "f0.yaml") -> list[Finding]:
    return [f for f in result.findings if f.rule_id == rule_id and f.location.file == file]


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """1-based line of the ``nth`` line that is ``needle`` (lines split at LF only, as editors do)."""
    hits = [i for i, line in enumerate(text.split("\n"), start=1) if line.rstrip("\r") == needle]
    return hits[nth]


def assert_sentinel(result: RunResult, text: str, file: str = "f0.yaml", nth: int = 0) -> None:
    """The sentinel Service was linted, and its GW201 points at its ``selector:`` line."""
    want = line_of(text, "  selector:", nth)
    lines = [f.location.span.line for f in found(result, "GW201", file) if f.location.span]
    assert want in lines, f"no GW201 on line {want} of {file}; got lines {lines}"


def one(result: RunResult, rule_id: str, file: str = "f0.yaml") -> Finding:
    hits = found(result, rule_id, file)
    assert len(hits) == 1, [(f.rule_id, f.message) for f in result.findings]
    return hits[0]


def where(f: Finding) -> tuple[int, int]:
    assert f.location.span is not None
    return f.location.span.line, f.location.span.column


def subprocess_lint(tmp_path: Path, data: bytes) -> list[tuple[str, int, int, str]]:
    """Lint ``data`` (plus the sentinel as a second document) in a child interpreter.

    Returns the findings as (rule, line, column, message); a crash of the interpreter (a
    negative return code is a signal such as SIGSEGV), a run error or a hang fails the
    calling test.
    """
    target = tmp_path / "input.yaml"
    target.write_bytes(data + b"\n---\n" + SENTINEL.encode())
    script = textwrap.dedent(
        """\
        import json, sys
        from gwlint.engine.run import lint
        from gwlint.engine.registry import builtin_rules
        from gwlint.sources.files import Source
        data = open(sys.argv[1], "rb").read()
        result = lint([Source("input.yaml", data)], [cls() for cls in builtin_rules()])
        print(json.dumps({
            "errors": [e.message for e in result.errors],
            "findings": [
                [f.rule_id, f.location.span.line, f.location.span.column, f.message] for f in result.findings
            ],
        }))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(target)], capture_output=True, text=True, timeout=HANG, check=False
    )
    assert proc.returncode == 0, f"child exited with {proc.returncode}: {proc.stderr[-2000:]}"
    summary = json.loads(proc.stdout)
    assert summary["errors"] == []
    return [(str(r), int(line), int(col), str(msg)) for r, line, col, msg in summary["findings"]]


# --- empty and content-free input -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n   \n",
        "# just a comment\n# and another\n",
        "---\n",
        "---\n---\n...\n",
        "...\n",
        "# header\n...\n",
        "...\n---\n...\n",
        "--- # a comment on the marker\n...\n",
    ],
    ids=["empty", "blank", "comments", "marker", "markers", "end-marker", "comment-end", "end-start-end", "commented"],
)
def test_content_free_files_are_fine(text: str) -> None:
    result = run(text, SENTINEL)
    assert [f for f in result.findings if f.location.file == "f0.yaml"] == []
    assert_sentinel(result, SENTINEL, file="f1.yaml")


def test_a_lone_end_marker_before_documents_costs_nothing() -> None:
    text = "...\n---\n" + SENTINEL
    result = run(text)
    assert found(result, "GW001") == []
    assert_sentinel(result, text)


# --- documents that are not objects ----------------------------------------------------


def test_null_scalar_and_list_documents() -> None:
    text = "---\nnull\n---\n~\n---\njust a string\n---\n- a\n- b\n---\n" + SENTINEL
    result = run(text)
    problems = {f.message: where(f) for f in found(result, "GW002")}
    assert problems == {
        "not a Kubernetes object: the document is a string ('just a string')": (6, 1),
        "not a Kubernetes object: the document is a list": (8, 1),
    }
    assert_sentinel(result, text)


def test_kind_list_with_items_that_are_not_objects() -> None:
    text = textwrap.dedent(
        """\
        apiVersion: v1
        kind: List
        items:
        - 42
        - null
        - [a, b]
        - apiVersion: v1
          kind: Service
          metadata:
            name: inside-the-list
          spec:
            selector:
              app: nothing-has-this-label
        """
    )
    result = run(text)
    problems = {f.message: where(f) for f in found(result, "GW002")}
    assert problems == {
        "not a Kubernetes object: `items[0]` of the List is an integer (42)": (4, 3),
        "not a Kubernetes object: `items[1]` of the List is null": (5, 3),
        "not a Kubernetes object: `items[2]` of the List is a list": (6, 3),
    }
    assert [where(f) for f in found(result, "GW201")] == [(12, 5)]


@pytest.mark.parametrize(
    ("items", "what", "column"),
    [("3", "an integer", 8), ("{a: 1}", "a mapping", 1), ("text", "a string", 8)],  # a mapping: its key
)
def test_kind_list_whose_items_is_not_a_list(items: str, what: str, column: int) -> None:
    text = f"apiVersion: v1\nkind: List\nitems: {items}\n---\n" + SENTINEL
    result = run(text)
    f = one(result, "GW002")
    assert f.message == f"`items` of a List must be a list of objects, not {what}"
    assert where(f) == (3, column)
    assert_sentinel(result, text)


def test_kind_list_without_items_is_an_empty_list() -> None:
    result = run("apiVersion: v1\nkind: List\n---\napiVersion: v1\nkind: List\nitems: null\n")
    assert found(result, "GW001") == [] and found(result, "GW002") == []


# --- syntax errors -------------------------------------------------------------------


def test_syntax_error_costs_only_its_document() -> None:
    text = SENTINEL + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: broken\n---\n" + SENTINEL
    result = run(text)
    f = one(result, "GW001")
    assert where(f) == (11, 24)  # the end of the unclosed line, not the next document's marker
    assert "flow mapping" in f.message
    assert_sentinel(result, text, nth=0)
    assert_sentinel(result, text, nth=1)


def test_tab_indentation_is_explained() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: tabbed\n---\n" + SENTINEL
    result = run(text)
    f = one(result, "GW001")
    assert where(f) == (4, 1)
    assert "tab character" in f.message
    assert_sentinel(result, text)


@pytest.mark.parametrize(
    ("text", "position"),
    [("{\r? ", (2, 3)), ("a: [\n# trailing comment\n\n", (1, 5)), ("b: 1\nc: {x: 1\n...\n", (2, 9))],
    ids=["lone-cr-at-eof", "comment-after", "end-marker-after"],
)
def test_syntax_error_at_the_end_of_the_stream_points_inside_the_file(text: str, position: tuple[int, int]) -> None:
    # found by the property tests: libyaml reports such errors past the last line
    result = run(text)
    assert [where(f) for f in found(result, "GW001")] == [position]


@pytest.mark.parametrize("text", ["? kind", "? kind\n\n\n", "apiVersion: v1\n? kind\nmetadata: {name: x}\n"])
def test_an_explicit_key_without_a_value_is_reported_at_the_key(text: str) -> None:
    # found by the long property run: the empty value sits at the next token, even past the end
    result = run(text)
    lines = [where(f)[0] for f in result.findings]
    assert lines and all(line == line_of(text, "? kind") for line in lines), lines


def test_directives_stay_with_their_document_after_a_syntax_error() -> None:
    text = "a: [\n---\n%YAML 1.1\n---\n" + SENTINEL
    result = run(text)
    assert [where(f) for f in found(result, "GW001")] == [(1, 5)]
    assert_sentinel(result, text)


# --- encodings and line ends ---------------------------------------------------------


def test_binary_file_is_reported_and_other_files_linted() -> None:
    result = run(bytes(range(256)) * 4, SENTINEL)
    f = one(result, "GW001")
    assert "binary" in f.message
    assert where(f) == (1, 1)
    assert_sentinel(result, SENTINEL, file="f1.yaml")


def test_latin1_file_points_at_the_first_bad_byte() -> None:
    data = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\xe9\n".encode("latin-1")
    result = run(data, SENTINEL)
    f = one(result, "GW001")
    assert "not valid UTF-8 (byte 0xe9)" in f.message
    assert where(f) == (4, 12)
    assert_sentinel(result, SENTINEL, file="f1.yaml")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-16-le"])
def test_utf16_file_is_reported(codec: str) -> None:
    data = ("\ufeff" if codec != "utf-16" else "") + SENTINEL
    result = run(data.encode(codec), SENTINEL)
    f = one(result, "GW001")
    assert "UTF-16" in f.message or "binary" in f.message
    assert where(f) == (1, 1)
    assert_sentinel(result, SENTINEL, file="f1.yaml")


def test_utf8_bom_is_ignored_and_positions_stay_right() -> None:
    result = run(b"\xef\xbb\xbf" + SENTINEL.encode())
    assert found(result, "GW001") == [] and found(result, "GW002") == []
    assert where(one(result, "GW201")) == (6, 3)


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "lone-cr"])
def test_windows_and_old_mac_line_ends_keep_positions(newline: str) -> None:
    text = "a: [\n---\n" + SENTINEL + "---\n" + SENTINEL
    result = run(text.replace("\n", newline).encode())
    assert [where(f) for f in found(result, "GW001")] == [(1, 5)]
    assert sorted(where(f) for f in found(result, "GW201")) == [(8, 3), (16, 3)]


@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\u2029"], ids=["NEL", "LS", "PS"])
def test_unicode_line_separators_do_not_shift_lines(separator: str) -> None:
    text = (
        f'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  text: "one{separator}two"\n---\n' + SENTINEL
    )
    result = run(text)
    assert_sentinel(result, text)
    loaded = load_text("x.yaml", text)
    assert loaded.documents[0].data["data"]["text"] == f"one{separator}two"


# --- aliases, merge keys, duplicates ---------------------------------------------------

BILLION_LAUGHS = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]" for p, n in zip("abcdefgh", "bcdefghi", strict=True)),
    ]
)


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    findings = subprocess_lint(tmp_path, BILLION_LAUGHS.encode())
    bombs = [f for f in findings if f[0] == "GW002" and "alias bomb" in f[3]]
    assert [(f[1], f[2]) for f in bombs] == [(1, 1)]
    assert ("GW201", BILLION_LAUGHS.count("\n") + 8) in [(f[0], f[1]) for f in findings]


def test_billion_laughs_in_process_is_refused_too() -> None:
    result = run(BILLION_LAUGHS + "\n---\n" + SENTINEL)
    assert "alias bomb" in one(result, "GW002").message


def test_billion_laughs_after_multibyte_text_is_refused_too() -> None:
    # the loader looks for `*` between the marks of each document: marks count characters
    text = "data: " + "é💥" * 5_000 + "\n---\n" + BILLION_LAUGHS + "\n---\n" + SENTINEL
    result = run(text)
    assert [where(f) for f in found(result, "GW002") if "alias bomb" in f.message] == [(3, 1)]
    assert_sentinel(result, text)


@pytest.mark.parametrize(
    "text",
    ["&a [*a]\n", "&a {self: *a}\n", "&a {<<: *a}\n", "top: &a\n  spec:\n    selector: *a\n"],
    ids=["list", "mapping", "merge", "nested"],
)
def test_recursive_aliases_are_refused(text: str) -> None:
    result = run(text + "---\n" + SENTINEL)
    assert "recursive structure" in one(result, "GW002").message
    assert_sentinel(result, text + "---\n" + SENTINEL)


MERGED = textwrap.dedent(
    """\
    apiVersion: v1
    kind: List
    items:
    - apiVersion: v1
      kind: Service
      metadata:
        name: base
      spec: &spec
        selector:
          app: nothing-has-this-label
    - apiVersion: v1
      kind: Service
      metadata:
        name: merged
      spec:
        <<: *spec
    - apiVersion: v1
      kind: Service
      metadata:
        name: listed
      spec:
        <<: [{type: ClusterIP}, *spec]
    - apiVersion: v1
      kind: Service
      metadata:
        name: overridden
      spec:
        <<: *spec
        selector:
          app: also-nothing
    """
)


def test_merge_keys_resolve_with_positions_through_the_merge() -> None:
    result = run(MERGED)
    by_name = {f.resource.name: where(f) for f in found(result, "GW201") if f.resource}
    # merged values point at the anchored mapping that provides them
    assert by_name == {"base": (9, 5), "merged": (9, 5), "listed": (9, 5), "overridden": (29, 5)}
    loaded = load_text("m.yaml", MERGED)
    assert loaded.documents[0].data["items"][2]["spec"] == {
        "type": "ClusterIP",
        "selector": {"app": "nothing-has-this-label"},
    }


@pytest.mark.parametrize("value", ["3", "[a, b]", "[{a: 1}, plain]"], ids=["scalar", "scalars", "mixed"])
def test_merge_of_something_that_is_not_a_mapping(value: str) -> None:
    text = f"apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\nspec:\n  <<: {value}\n---\n" + SENTINEL
    result = run(text)
    problems = found(result, "GW002")
    assert problems and all("merge key" in f.message and where(f)[0] == 6 for f in problems)
    assert_sentinel(result, text)


def test_positions_resolve_through_long_merge_chains() -> None:
    lines = ["m0: &m0 {selector: {app: nothing-has-this-label}}"]
    lines += [f"m{i}: &m{i} {{<<: *m{i - 1}}}" for i in range(1, 31)]
    text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: chained\n" + "\n".join(lines) + "\nspec:\n  <<: *m30\n"
    result = run(text)
    assert where(one(result, "GW201")) == (5, 10)


def test_positions_through_shared_merge_chains_visit_each_mapping_once() -> None:
    # 2**22 paths lead through these merges; following each one would take minutes
    lines = ["m0: &m0 {port: 1}"]
    lines += [f"m{i}: &m{i} {{<<: [*m{i - 1}, *m{i - 1}]}}" for i in range(1, 23)]
    loaded = load_text("x", "\n".join(lines) + "\nspec:\n  <<: *m22\n")
    doc = loaded.documents[0]
    assert "alias bomb" in doc.problems[0].message
    assert span_of(doc, ("spec", "missing")).line == 24
    assert span_of(doc, ("spec", "port")).line == 1


def test_duplicate_keys_point_at_the_repeated_key() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n---\n" + SENTINEL
    result = run(text)
    f = one(result, "GW002")
    assert "duplicate key 'name'" in f.message
    assert where(f) == (5, 3)
    assert_sentinel(result, text)


def test_non_scalar_keys_are_reported() -> None:
    text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  ? [x, y]\n  : z\n---\n" + SENTINEL
    result = run(text)
    f = one(result, "GW002")
    assert f.message == "a list used as a key: Kubernetes keys are strings"
    assert where(f) == (6, 5)
    assert_sentinel(result, text)


# --- tags and YAML 1.1 values --------------------------------------------------------


def test_unsafe_tags_are_data_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = textwrap.dedent(
        f"""\
        apiVersion: v1
        kind: ConfigMap
        metadata: !!python/object:os.system
          name: tagged
        data:
          a: !!python/object/apply:os.system ["touch {marker}"]
          b: !!python/name:os.system ''
          c: !!python/object/new:os.system ["touch {marker}"]
        ---
        !!python/object/apply:os.system ["touch {marker}"]
        """
    )
    loaded = load_text("t.yaml", text)
    assert loaded.documents[0].data["metadata"] == {"name": "tagged"}
    assert loaded.documents[0].data["data"]["a"] == [f"touch {marker}"]
    result = run(text + "---\n" + SENTINEL)
    assert not marker.exists()
    assert_sentinel(result, text + "---\n" + SENTINEL)


def test_unknown_tags_read_as_plain_values() -> None:
    text = (
        "apiVersion: !custom v1\nkind: !!weird Service\nmetadata: !meta {name: tagged}\n"
        "spec:\n  selector: !sel\n    app: nothing-has-this-label\n"
    )
    result = run(text)
    assert found(result, "GW001") == [] and found(result, "GW002") == []
    assert where(one(result, "GW201")) == (5, 3)


def test_yaml11_value_tag_equals_sign() -> None:
    # the AlertmanagerConfig CRD of kube-prometheus-stack has an unquoted `- =` in an enum
    text = textwrap.dedent(
        """\
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: matchers.example.com
        spec:
          enum:
          - '!='
          - =
          - =~
        ---
        """
    )
    result = run(text + SENTINEL)
    assert found(result, "GW001") == [] and found(result, "GW002") == []
    assert_sentinel(result, text + SENTINEL)
    assert load_text("x", "- =\n").documents[0].data == ["="]


def test_kube_prometheus_stack_with_its_bare_equals_sign_loads() -> None:
    path = require_corpus() / "real/helm-prometheus-community/kube-prometheus-stack.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\n                            - =\n" in text
    result = run(text)
    assert found(result, "GW001") == [] and found(result, "GW002") == []
    assert result.objects == 135


# --- Helm leftovers ------------------------------------------------------------------


def test_unrendered_helm_value_is_reported_where_it_is() -> None:
    text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  selector:\n    app: x\n"
    result = run(text + "---\n" + SENTINEL)
    f = one(result, "GW002")
    assert "unrendered Helm template syntax `{{ .Release.Name }}`" in f.message
    assert where(f) == (4, 9)
    assert_sentinel(result, text + "---\n" + SENTINEL)


def test_unrendered_helm_key_is_reported_where_it_is() -> None:
    text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n    {{ .Values.key }}: x\n"
    result = run(text + "---\n" + SENTINEL)
    f = one(result, "GW002")
    assert f.message.startswith("unrendered Helm template syntax `{{ .Values.key }}` as a key")
    assert where(f) == (6, 5)
    assert_sentinel(result, text + "---\n" + SENTINEL)


def test_unrendered_helm_control_line_is_a_syntax_error_with_a_hint() -> None:
    text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n{{- if .Values.x }}\nspec: {}\n{{- end }}\n"
    result = run(text + "---\n" + SENTINEL)
    f = one(result, "GW001")
    assert "unrendered Helm template" in f.message
    assert_sentinel(result, text + "---\n" + SENTINEL)


def test_quoted_go_templates_are_plain_strings() -> None:
    text = textwrap.dedent(
        """\
        apiVersion: monitoring.coreos.com/v1
        kind: PrometheusRule
        metadata:
          name: rules
        spec:
          groups:
          - name: g
            rules:
            - alert: Down
              annotations:
                summary: "{{ $labels.instance }} is down"
                description: '{{ printf "%.2f" $value }}'
        """
    )
    result = run(text)
    assert found(result, "GW001") == [] and found(result, "GW002") == []


# --- size and depth ------------------------------------------------------------------


@pytest.mark.parametrize("style", ["plain", "quoted", "literal"])
def test_multi_megabyte_scalars(style: str) -> None:
    big = "x" * 5_000_000
    value = {"plain": big, "quoted": f'"{big}"', "literal": f"|\n    {big}"}[style]
    text = f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: {value}\n---\n" + SENTINEL
    result = run(text)
    assert found(result, "GW001") == [] and found(result, "GW002") == []
    assert_sentinel(result, text)


def _block_mappings(depth: int, indent: int = 2) -> str:
    return "".join(" " * (indent * i) + "a:\n" for i in range(depth)) + " " * (indent * depth) + "leaf\n"


def _block_sequences(depth: int) -> str:
    return "".join("  " * i + "-\n" for i in range(depth)) + "  " * depth + "leaf\n"


def _mixed_block(depth: int) -> str:
    out = []
    for i in range(depth):
        out.append("  " * i + ("- " if i % 2 else "") + "a:\n")
    return "".join(out) + "  " * depth + "leaf\n"


DEEP = {
    "flow-sequences": "[" * 100_000 + "]" * 100_000,
    "flow-mappings": "{a: " * 50_000 + "1" + "}" * 50_000,
    "flow-unclosed": "[" * 100_000,
    "compact-sequences": "- " * 50_000 + "leaf",
    "block-mappings": _block_mappings(3_000),
    "block-mappings-one-space": _block_mappings(5_000, indent=1),
    "block-mappings-below-the-cheap-check": _block_mappings(1_900, indent=1),
    "block-sequences": _block_sequences(3_000),
    "block-mixed": _mixed_block(3_000),
    "flow-in-block": _block_mappings(600) + "  " * 600 + "b: " + "[" * 30_000 + "]" * 30_000 + "\n",
}


@pytest.mark.parametrize("name", sorted(DEEP))
def test_deep_nesting_is_refused_in_a_child_process(tmp_path: Path, name: str) -> None:
    findings = subprocess_lint(tmp_path, DEEP[name].encode())
    deep = [f for f in findings if f[0] == "GW002"]
    assert len(deep) == 1 and "nests deeper than" in deep[0][3], findings
    assert any(f[0] == "GW201" for f in findings), "the document after the deep one was not linted"


SERVING = textwrap.dedent(
    """\
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      selector:
        matchLabels: {app: web}
      template:
        metadata:
          labels: {app: web}
        spec:
          containers:
          - name: web
            image: "nginx:1.27"
            ports: [{containerPort: 80}]
            lifecycle:
              preStop:
                exec:
                  command: ["sh", "-c", "sleep 5; echo &RUN"]
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: web
    spec:
      selector: {app: web}
      ports: [{port: 80}]
    """
)
LONG_RUNS = {
    "helm-source-comment": "# Source: chart/templates/web.yaml" + " " * 200_000 + "x\n" + SENTINEL,
    "prestop-redirect": SERVING.replace("RUN", "1" * 200_000),
}


@pytest.mark.parametrize("name", sorted(LONG_RUNS))
def test_long_runs_of_one_character_keep_scans_linear(tmp_path: Path, name: str) -> None:
    # found by probing every regular expression of gwlint with long runs of one character:
    # a lazy group before `\s*$` and a match that could start inside a run of digits were
    # quadratic (minutes for these inputs); the child process fails the test instead of hanging
    findings = subprocess_lint(tmp_path, LONG_RUNS[name].encode())
    assert any(f[0] == "GW201" for f in findings)


@pytest.mark.parametrize("depth", [100, 399])
def test_nesting_below_the_limit_loads(depth: int) -> None:
    text = "[" * depth + "]" * depth
    loaded = load_text("x", text)
    assert loaded.problems == [] and loaded.documents[0].problems == []
    data = loaded.documents[0].data
    for _ in range(depth - 1):
        data = data[0]
    assert data == []


def test_merges_nested_to_the_limit_load_without_hitting_the_recursion_limit() -> None:
    depth = 390
    text = "".join("  " * i + "<<:\n" for i in range(depth)) + "  " * depth + "leaf: 1\n"
    loaded = load_text("x", text)
    assert loaded.problems == [] and loaded.documents[0].problems == []
    assert loaded.documents[0].data == {"leaf": 1}


# --- the whole command ----------------------------------------------------------------


def test_whole_hostile_stream_through_the_cli(gwlint: Gwlint, tmp_path: Path) -> None:
    hostile = [
        "a: [",
        "\tkey: tab",
        BILLION_LAUGHS,
        "&a [*a]",
        "apiVersion: v1\nkind: List\nitems: [1, null]",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}",
        "!!python/object/apply:os.system ['true']",
        "[" * 5_000 + "]" * 5_000,
        SENTINEL,
    ]
    (tmp_path / "hostile.yaml").write_text("\n---\n".join(hostile))
    (tmp_path / "binary.yaml").write_bytes(b"\x00\x01\x02")
    (tmp_path / "latin1.yaml").write_bytes(b"name: caf\xe9\n")
    res = gwlint("--format", "json", ".", cwd=tmp_path)
    assert res.code == 1, res.err
    assert "Traceback" not in res.err and res.err == ""
    report = json.loads(res.out)
    rules = {f["rule"] for f in report["findings"]}
    assert {"GW001", "GW002", "GW201"} <= rules
    assert report["errors"] == []


def test_empty_input_exits_zero(gwlint: Gwlint, tmp_path: Path) -> None:
    (tmp_path / "empty.yaml").write_text("")
    (tmp_path / "comments.yml").write_text("# nothing here\n")
    res = gwlint(".", cwd=tmp_path)
    assert (res.code, res.err) == (0, "")
