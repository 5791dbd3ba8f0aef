"""The shortcuts that make gwlint fast must not change what it computes.

docs/performance.md explains each one; here every shortcut is checked against the slow
way it replaces (never against a clock): the memoised tag resolver builds the same
nodes as ruamel's, a flow-style stream is composed in one call and a deep document
in it is still refused, the alias walk is skipped only where no alias can be, the
plugin scan never misses a ``gwlint.rules`` entry point, the garbage collector's state is restored, a valid
configuration is validated once, and a plain run does not import what it does not use.
"""

from __future__ import annotations

import ast
import gc
import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gwlint.config import schema as config_schema
from gwlint.config.load import ConfigError, load_config
from gwlint.engine import registry
from gwlint.engine.registry import all_rules, builtin_rules
from gwlint.engine.run import lint
from gwlint.loader import compose, parallel
from gwlint.loader import load as loader
from gwlint.loader.document import ProblemKind
from gwlint.sources.files import Source
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml.cyaml import CSafeLoader
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..conftest import ROOT, TESTDATA

sys.path.insert(0, str(ROOT / "bench"))
from generate import stream

LOAD_FILES = parallel.load_files

TRICKY = """\
%TAG !e! tag:example.com,2000:
--- !e!thing
plain: [yes, no, on, "on", 0755, 0o755, 0x1f, 1_000, 12:30, .inf, -.nan, ~, null, ""]
tagged: [!!str 42, !!int "7", !!float "1", !e!custom x, !!binary aGk=]
merge: &base {a: 1}
child: {<<: *base, b: 2}
"quoted key": 'single'
? [complex, key]
: block
literal: |
  text
folded: >-
  more
---
- plain
- 2026-01-01
- !!set {a, b}
"""


def _shape(node: Node) -> Any:
    """Everything a composed node carries that gwlint reads: kind, tag, value, marks, style."""
    marks = (node.start_mark.index, node.start_mark.line, node.start_mark.column, node.end_mark.index)
    if isinstance(node, ScalarNode):
        return ("scalar", node.tag, node.value, node.style, marks)
    if isinstance(node, SequenceNode):
        return ("seq", node.tag, node.flow_style, marks, [_shape(n) for n in node.value])
    assert isinstance(node, MappingNode)
    return ("map", node.tag, node.flow_style, marks, [(_shape(k), _shape(v)) for k, v in node.value])


def _compose(cls: Any, text: str) -> list[Any]:
    composer = cls(text)
    try:
        shapes = []
        while composer.check_node():
            shapes.append(_shape(composer.get_node()))
        return shapes
    finally:
        composer.dispose()


def _texts() -> Iterator[tuple[str, str]]:
    yield "tricky", TRICKY
    yield "generated", "".join(stream(70))
    for path in sorted(TESTDATA.rglob("*.yaml")):
        yield str(path.relative_to(TESTDATA)), path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "text"), list(_texts()), ids=[n for n, _ in _texts()])
def test_the_memoised_resolver_composes_the_same_nodes(name: str, text: str) -> None:
    try:
        expected = _compose(CSafeLoader, text)
    except Exception as exc:  # a fixture that does not parse must fail the same way
        with pytest.raises(type(exc)):
            _compose(compose.Loader, text)
        return
    assert _compose(compose.Loader, text) == expected


def _ruamel_tag(scalar: str) -> Any:
    """The tag ruamel's safe C loader gives ``scalar`` as a plain value; None when it is not read as one."""
    loader = CSafeLoader(f"x: {scalar}\n")
    try:
        node = loader.get_single_node().value[0][1]
    finally:
        loader.dispose()
    return str(node.tag) if node.style in (None, "") and node.value == scalar else None


@settings(max_examples=500, deadline=None)
@given(scalar=st.text("abcfilnortuyABFNOTY0123456789-+._:~ /", min_size=1, max_size=9))
def test_obvious_tags_are_ruamels(scalar: str) -> None:
    """The tags answered without ruamel's regular expressions are the ones they give."""
    tag = compose.obvious_tag(scalar)
    if tag is None:
        return
    try:
        expected = _ruamel_tag(scalar)
    except Exception:  # not a plain scalar on its own (``x: a: b``)
        return
    assert expected is None or str(tag) == expected


def test_only_booleans_and_null_are_resolved_from_a_letter() -> None:
    """What :func:`gwlint.loader.compose.obvious_tag` assumes of ruamel's safe resolver."""
    words = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"}
    table = compose.Loader.yaml_implicit_resolvers
    assert None not in table  # no resolver tried on every scalar
    for first, entries in table.items():
        if first.isascii() and first.isalpha():
            assert {tag for tag, _ in entries} <= words, first
    for word in ("true", "False", "NULL", "null", "~"):  # what those resolve is left to ruamel
        assert _ruamel_tag(word) != "tag:yaml.org,2002:str" and compose.obvious_tag(word) is None
    for word in ("falsey", "nullable", "TRUEST", "80", "8080"):
        assert str(compose.obvious_tag(word)) == _ruamel_tag(word)


def _placed(node: Node, offset: int) -> Any:
    """A node as positions see it: kind, tag, value, style and where it is in the file."""
    where = (
        int(node.start_mark.line) + offset,
        int(node.start_mark.column),
        int(node.end_mark.line) + offset,
        int(node.end_mark.column),
    )
    if isinstance(node, ScalarNode):
        return ("scalar", node.tag, node.value, node.style, where)
    if isinstance(node, SequenceNode):
        return ("seq", node.tag, node.flow_style, where, [_placed(n, offset) for n in node.value])
    return ("map", node.tag, node.flow_style, where, [(_placed(k, offset), _placed(v, offset)) for k, v in node.value])


def _more_texts() -> Iterator[tuple[str, str]]:
    yield from _texts()
    yield "directives", "%YAML 1.2\n---\na: 1\n...\n%YAML 1.2\n--- !!map\nb: [2]\n...\nc: 3\n"
    yield "broken", "a: 1\n---\nb: [\n---\nc: {d: *e}\n---\nf: 2\n"
    yield "line ends", 'a: 1\r\n---\rb: "x\u2028y"\n---\nc: 3\x85\n'
    yield "yaml 1.2 only", "a: [x:y]\n---\nb: {url: http://x}\nc:\n---\nd: 1"


@pytest.mark.parametrize(("name", "text"), list(_more_texts()), ids=[n for n, _ in _more_texts()])
def test_nodes_composed_again_are_the_nodes_first_composed(
    name: str, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every document drops its nodes once loaded; ``node`` composes its chunk again, with the same positions."""
    first: dict[int, Any] = {}  # a failed pass over the whole stream forgets documents never returned
    original = loader.forget

    def recorded(doc: Any, *args: Any, **kwargs: Any) -> None:
        first[id(doc)] = _placed(doc._node, doc.line_offset)
        original(doc, *args, **kwargs)

    monkeypatch.setattr(loader, "forget", recorded)
    loaded = loader.load_text(name, text)
    for doc in loaded.documents:
        assert doc._node is None
        assert doc.node is not None and _placed(doc.node, doc.line_offset) == first[id(doc)]


PIECES = [
    "---\n", "--- ", "...\n", "%YAML 1.2\n", "%TAG !e! tag:e.com,2000:\n", "# c\n", "\n", "a: 1\n",
    "b: [1, {c: 2}]\n", "- x\n", "- [y]\n", "k: &r {v: 1}\nl: *r\n", "!e!t {x: 1}\n", "s: |\n  t\n",
    "'q'\n", "{d: [e]}\n", "f: \"g\\nh\"\n", "[\n", "}\n", ": \n", "  i: j\n",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(st.sampled_from(PIECES), max_size=14))
def test_any_stream_composes_again_to_the_same_nodes(pieces: list[str]) -> None:
    text = "".join(pieces)
    first: dict[int, Any] = {}
    original = loader.forget

    def recorded(doc: Any, *args: Any, **kwargs: Any) -> None:
        first[id(doc)] = _placed(doc._node, doc.line_offset)
        original(doc, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(loader, "forget", recorded)
        loaded = loader.load_text("s.yaml", text)
    for doc in loaded.documents:
        if doc._node is None:
            assert doc.node is not None and _placed(doc.node, doc.line_offset) == first[id(doc)]


def _full_syntax_count(name: str, data: bytes) -> int:
    return sum(1 for p in loader.load_bytes(name, data).problems if p.kind is ProblemKind.SYNTAX)


@pytest.mark.parametrize(("name", "text"), list(_more_texts()), ids=[n for n, _ in _more_texts()])
def test_the_syntax_check_of_fixed_text_counts_as_loading_does(name: str, text: str) -> None:
    """Fixed files are only composed to see that they still parse; the count is the loader's."""
    data = text.encode("utf-8")
    assert loader.syntax_error_count(name, data) == _full_syntax_count(name, data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(st.sampled_from(PIECES), max_size=14))
def test_any_stream_has_the_syntax_errors_loading_finds(pieces: list[str]) -> None:
    data = "".join(pieces).encode("utf-8")
    assert loader.syntax_error_count("s.yaml", data) == _full_syntax_count("s.yaml", data)


def test_undecodable_bytes_are_one_syntax_error() -> None:
    assert loader.syntax_error_count("b.yaml", b"a: \xff\n") == 1


def test_a_document_composed_again_is_kept_while_it_is_used() -> None:
    loaded = loader.load_text("s.yaml", "".join(f"---\nkind: K{i}\n" for i in range(100)))
    doc = loaded.documents[40]
    assert doc.node is doc.node
    assert doc.start_line == 81 and doc.end_line == 82 and doc.line_offset == 80


def _counting_composer(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The length of the text of every composer the loader starts."""
    calls: list[int] = []

    class Counted(compose.Loader):  # type: ignore[misc, name-defined]
        def __init__(self, text: str) -> None:
            calls.append(len(text))
            super().__init__(text)

    monkeypatch.setattr(compose, "Loader", Counted)
    return calls


def test_a_flow_style_stream_is_composed_in_one_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """1,200 brackets in all, a handful per document: no document can nest deeply."""
    calls = _counting_composer(monkeypatch)
    text = "".join(f"---\nkind: Thing\nmetadata: {{name: t{i}}}\nspec: [{{a: [1]}}]\n" for i in range(300))
    loaded = loader.load_text("s.yaml", text)
    assert len(calls) == 1
    assert len(loaded.documents) == 300 and not loaded.problems
    assert loaded.documents[299].data == {"kind": "Thing", "metadata": {"name": "t299"}, "spec": [{"a": [1]}]}
    assert loaded.documents[299].start_line == 1197


def test_a_deep_document_in_a_long_stream_is_refused_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting_composer(monkeypatch)
    docs = [f"kind: Thing\nmetadata: {{name: t{i}}}\nspec: [{{a: [1]}}]\n" for i in range(200)]
    docs.insert(100, "deep: " + "[" * 2_000 + "]" * 2_000 + "\n")
    loaded = loader.load_text("s.yaml", "---\n" + "---\n".join(docs))
    assert [p.message for p in loaded.problems] == ["document nests deeper than 400 levels; refusing to load it"]
    assert loaded.problems[0].line == 401
    assert len(loaded.documents) == 200 and len(calls) == 200  # one document at a time, the deep one never


def test_the_alias_walk_runs_only_where_a_star_is(monkeypatch: pytest.MonkeyPatch) -> None:
    walked: list[Any] = []
    original = loader.check_expansion

    def recorded(node: Node) -> Any:
        walked.append(node)
        return original(node)

    monkeypatch.setattr(loader, "check_expansion", recorded)
    text = "a: 1\n---\nb: &x [1]\nc: *x\n---\ncmd: 'echo *'\n---\nd: 2\n"
    loaded = loader.load_text("s.yaml", text)
    assert [d.data for d in loaded.documents] == [{"a": 1}, {"b": [1], "c": [1]}, {"cmd": "echo *"}, {"d": 2}]
    assert [int(n.start_mark.line) for n in walked] == [2, 5]


def test_an_alias_bomb_is_still_refused() -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 8)]
    loaded = loader.load_text("bomb.yaml", "\n".join(levels) + "\n")
    assert loaded.documents[0].data is None
    assert "alias bomb" in loaded.documents[0].problems[0].message


def _dist(site: Path, name: str, entry_points: str | None) -> None:
    info = site / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8")
    if entry_points is not None:
        (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")


def test_the_plugin_scan_never_misses_the_group(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib.machinery import PathFinder

    monkeypatch.setattr(sys, "meta_path", [PathFinder])
    monkeypatch.setattr(sys, "path", [str(tmp_path / "missing"), str(tmp_path)])
    _dist(tmp_path, "plain", None)
    _dist(tmp_path, "tool", "[console_scripts]\ntool = tool:main\n")
    assert not registry._may_declare(registry.ENTRY_POINT_GROUP)
    assert registry.entry_points(group=registry.ENTRY_POINT_GROUP) == []
    _dist(tmp_path, "Plugin", "[gwlint.rules]\nmine = gwlint_mine\n")
    assert registry._may_declare(registry.ENTRY_POINT_GROUP)
    assert [ep.name for ep in registry.entry_points(group=registry.ENTRY_POINT_GROUP)] == ["mine"]


@pytest.mark.parametrize("what", ["egg", "zip", "finder"])
def test_the_plugin_scan_defers_to_importlib_metadata_when_unsure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, what: str
) -> None:
    from importlib.machinery import PathFinder

    class Finder:
        @staticmethod
        def find_distributions(*_args: Any, **_kwargs: Any) -> list[Any]:
            return []

    monkeypatch.setattr(sys, "meta_path", [PathFinder, Finder] if what == "finder" else [PathFinder])
    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    if what == "egg":
        (tmp_path / "old.egg").mkdir()
    elif what == "zip":
        (tmp_path / "bundle.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
        monkeypatch.setattr(sys, "path", [str(tmp_path / "bundle.zip")])
    assert registry._may_declare(registry.ENTRY_POINT_GROUP)


@pytest.mark.parametrize("enabled", [True, False])
def test_a_run_restores_the_collector_state(enabled: bool) -> None:
    from gwlint.cli import main

    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        lint([Source("m.yaml", b"kind: A\n")], [cls() for cls in builtin_rules()])
        assert gc.isenabled() is enabled
        with pytest.raises(SystemExit):
            main(["--version"])
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


VALID = "namespace: shop\nmin-startup-seconds: 30\n"
INVALID = "namespace: 7\n"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _count_validations(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    calls: list[Any] = []
    original = config_schema.validate

    def counted(*args: Any) -> Any:
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(config_schema, "validate", counted)
    return calls


def test_a_valid_config_is_validated_once(tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _count_validations(monkeypatch)
    path = tmp_path / ".gwlint.yaml"
    path.write_text(VALID, encoding="utf-8")
    rules = all_rules()
    first, second = load_config(path, rules), load_config(path, rules)
    assert first == second and first.namespace == "shop" and len(calls) == 1
    assert len(list((cache / "gwlint" / "valid-config").iterdir())) == 1
    path.write_text(VALID.replace("30", "45"), encoding="utf-8")
    assert load_config(path, rules).options == {"min-startup-seconds": 45}
    assert len(calls) == 2


def test_an_invalid_config_is_reported_every_time(tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _count_validations(monkeypatch)
    path = tmp_path / ".gwlint.yaml"
    path.write_text(INVALID, encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ConfigError, match="must be a string"):
            load_config(path, all_rules())
    assert len(calls) == 2 and not cache.exists()


def test_an_unwritable_cache_is_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    calls = _count_validations(monkeypatch)
    path = tmp_path / ".gwlint.yaml"
    path.write_text(VALID, encoding="utf-8")
    for _ in range(2):
        assert load_config(path, all_rules()).namespace == "shop"
    assert len(calls) == 2


CHILD = """
import sys
from gwlint.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(",".join(sorted(sys.modules)))
"""

DEFERRED = (
    "jsonschema",
    "importlib.metadata",
    "sarif_om",
    "json",
    "hashlib",
    "traceback",
    "tomllib",
    "difflib",
    "gwlint.fix",
    "gwlint.config.schema",
    "gwlint.config.cache",
    "gwlint.core.text",
    "gwlint.sources.discover",
    "gwlint.sources.yamldata",
    "gwlint.sources.helm",
    "gwlint.index.closest",
    "gwlint.index.names",
    "gwlint.index.operator_pods",
    "gwlint.index.request_paths",
    "gwlint.reporters.origins",
    "gwlint.reporters.markdown",
    "gwlint.reporters.gitlab",
    "gwlint.engine.repository",
)
"""What a plain text run on one small clean file must not import (docs/performance.md, start-up)."""


def _modules(cwd: Path, *args: str) -> set[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=True
    ).stdout
    return set(out.splitlines()[-1].split(","))


def _imported(cwd: Path, *args: str) -> list[str]:
    """The deferred modules a run imported, in the order of :data:`DEFERRED`."""
    loaded = _modules(cwd, *args)
    return [m for m in DEFERRED if m in loaded]


def test_a_plain_run_imports_only_what_it_uses(tmp_path: Path) -> None:
    (tmp_path / "clean.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", encoding="utf-8")
    assert _imported(tmp_path, "clean.yaml") == []
    assert _imported(tmp_path, "--fix", "clean.yaml") == ["gwlint.fix"]
    assert "gwlint.reporters.markdown" in _imported(tmp_path, "-f", "markdown", "clean.yaml")
    assert "gwlint.reporters.gitlab" in _imported(tmp_path, "-f", "gitlab", "clean.yaml")
    (tmp_path / ".gwlint.yaml").write_text(VALID, encoding="utf-8")
    assert "jsonschema" in _imported(tmp_path, "clean.yaml")
    assert "jsonschema" not in _imported(tmp_path, "clean.yaml")  # validated once, remembered
    assert "gwlint.config.schema" in _imported(tmp_path, "clean.yaml")  # a config file is read: validation code
    assert "sarif_om" in _imported(tmp_path, "-f", "sarif", "clean.yaml")


def test_a_plain_run_on_findings_imports_only_what_it_uses(tmp_path: Path) -> None:
    """The small file of the start-up benchmark: findings, positions, a Deployment and its Service."""
    from run import SMALL  # bench/run.py

    (tmp_path / "small.yaml").write_text(SMALL, encoding="utf-8")
    assert _imported(tmp_path, "small.yaml") == []


def test_helm_output_and_folders_still_load_what_they_need(tmp_path: Path) -> None:
    """Deferred is not dropped: Helm ``# Source:`` comments are read, and a folder is searched for charts."""
    (tmp_path / "out.yaml").write_text(
        "---\n# Source: shop/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
        encoding="utf-8",
    )
    assert _imported(tmp_path, "out.yaml") == ["gwlint.sources.helm"]
    (tmp_path / "manifests").mkdir()
    (tmp_path / "manifests" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    assert {"gwlint.sources.discover", "gwlint.engine.repository"} <= set(_imported(tmp_path, "manifests"))
    assert "gwlint.sources.discover" not in _imported(tmp_path, "--no-render", "manifests")


def _module_level_calls(tree: ast.Module) -> Iterator[ast.AST]:
    """Statements run at import: the module body, class bodies, not function bodies."""
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def test_a_plain_run_compiles_no_pattern_and_builds_no_named_tuple_at_import(tmp_path: Path) -> None:
    """Every gwlint module a plain run imports defers its regular expressions and has no NamedTuple or Enum.

    Compiling a pattern costs 50 to 150 microseconds and a ``NamedTuple`` or ``Enum``
    class about as much, paid by every run at import; the few a run uses are compiled on
    first use (``functools.cache``). ``Severity`` is the one enum: every finding has one.
    """
    from run import SMALL  # bench/run.py

    (tmp_path / "small.yaml").write_text(SMALL, encoding="utf-8")
    offenders = []
    for name in sorted(m for m in _modules(tmp_path, "small.yaml") if m.startswith("gwlint")):
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin is not None
        tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
        for node in _module_level_calls(tree):
            if isinstance(node, ast.Call) and ast.unparse(node.func) in ("re.compile", "namedtuple", "NamedTuple"):
                offenders.append(f"{name}:{node.lineno}: {ast.unparse(node.func)}")
            if isinstance(node, ast.ClassDef) and node.name != "Severity":
                bases = {ast.unparse(b) for b in node.bases}
                if bases & {"NamedTuple", "typing.NamedTuple", "enum.Enum", "enum.IntEnum", "Enum", "IntEnum"}:
                    offenders.append(f"{name}:{node.lineno}: class {node.name}({', '.join(sorted(bases))})")
    assert offenders == []


def _run_view(sources: list[Source]) -> Any:
    """What a run reports, as plain values: findings with their spans, related places, errors."""
    result = lint(sources, [cls() for cls in builtin_rules()])

    def place(loc: Any) -> Any:
        return (loc.file, loc.path, loc.span, loc.message, loc.origin)

    return (
        [
            (f.rule_id, f.message, place(f.location), [place(r) for r in f.related], f.fingerprint)
            for f in result.findings
        ],
        [(e.message, e.file) for e in result.errors],
        [(f.rule_id, place(f.location)) for f in result.suppressed],
        result.objects,
    )


def _load_and_log(group: Any, wants_full: Any) -> Any:
    """``parallel.load_files``, noting which process ran it (module level: sent to workers by name)."""
    with open(os.environ["GWLINT_TEST_PID_LOG"], "a", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()}\n")
    return LOAD_FILES(group, wants_full)


def test_parallel_loading_gives_the_same_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every golden fixture as one run: loaded in this process, then in three."""
    sources = [
        Source(str(p.relative_to(TESTDATA)), p.read_bytes()) for p in sorted(TESTDATA.rglob("*.yaml")) if p.is_file()
    ]
    serial = _run_view(sources)
    log = tmp_path / "pids"
    monkeypatch.setenv("GWLINT_TEST_PID_LOG", str(log))
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "workers_available", lambda: 3)
    monkeypatch.setattr(parallel, "load_files", _load_and_log)
    assert _run_view(sources) == serial
    pids = log.read_text(encoding="utf-8").split()
    assert len(pids) == 3 and len(set(pids)) == 3 and str(os.getpid()) in pids  # two workers and this process


def test_a_broken_pool_loads_everything_here(monkeypatch: pytest.MonkeyPatch) -> None:
    import concurrent.futures

    class Broken:
        def __init__(self, *_args: Any, **_kwargs: Any) -> None:
            raise OSError("no processes here")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Broken)
    sources = [Source(f"{i}.yaml", f"kind: K\nmetadata: {{name: k{i}}}\n".encode()) for i in range(5)]
    loaded = parallel.load_parallel(sources, parallel.WantsFull(frozenset()), min_bytes=0, cores=2)
    assert [lf.name for lf in loaded] == [s.name for s in sources]


@pytest.mark.parametrize(
    ("sizes", "parts", "cuts"),
    [
        ([10, 1, 1, 1], 2, [1]),
        ([1, 1, 1, 10], 2, [3]),
        ([5] * 10, 2, [5]),
        ([5] * 10, 3, [3, 7]),
        ([1, 2], 4, [1]),
        ([7], 2, []),
        ([], 2, []),
    ],
)
def test_shares_are_contiguous_non_empty_and_balanced(sizes: list[int], parts: int, cuts: list[int]) -> None:
    from gwlint.loader.parallel import shares

    assert shares(sizes, parts) == cuts


@pytest.mark.parametrize(
    ("cores", "running", "processes"), [(2, 1, 2), (2, 2, 1), (2, 5, 1), (4, 2, 3), (1, 1, 1), (8, 1, 8)]
)
def test_workers_go_only_to_idle_cores(cores: int, running: int, processes: int) -> None:
    assert parallel.processes_for(cores, f"0.52 0.58 0.59 {running}/467 31241\n") == processes


def _document_covering(lf: Any, line: int) -> Any:
    """The definition the bisection replaces: the first document whose root node covers the line."""
    for doc in lf.documents:
        node = doc.node
        if node is None:
            continue
        start, end = int(node.start_mark.line) + doc.line_offset, int(node.end_mark.line) + doc.line_offset
        if start <= line and (end > line or (end == line and int(node.end_mark.column) > 0)):
            return doc
    return None


@pytest.mark.parametrize(("name", "text"), list(_more_texts()), ids=[n for n, _ in _more_texts()])
def test_the_document_at_a_line_is_found_by_bisection(name: str, text: str) -> None:
    from gwlint.suppression.directives import _document_at

    loaded = loader.load_text(name, text)
    ends = [(d.end_line, d.end_column) for d in loaded.documents]
    for line in range(text.count("\n") + 2):
        assert _document_at(loaded, line, ends) is _document_covering(loaded, line), line


def test_suppression_comments_compose_each_document_about_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """One comment per document must not compose every document once per comment."""
    docs = "".join(
        f"---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s{i}\n"
        f"spec:\n  # gwlint: ignore=GW201 no pods here\n  selector: {{app: a{i}}}\n  ports: [{{port: 80}}]\n"
        for i in range(200)
    )
    docs += (
        "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: other}\nspec:\n"
        "  selector: {matchLabels: {app: other}}\n  template:\n    metadata: {labels: {app: other}}\n"
        "    spec: {containers: [{name: c, image: i}]}\n"
    )
    calls = _counting_composer(monkeypatch)
    result = lint([Source("s.yaml", docs.encode())], [cls() for cls in builtin_rules()])
    assert len(result.suppressed) == 200 and not result.errors
    assert len(calls) < 3 * 200
