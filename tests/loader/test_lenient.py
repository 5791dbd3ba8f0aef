"""Valid YAML is never GW001: what libyaml refuses is read again by a YAML 1.2 parser, with libyaml's positions.

libyaml refuses a ``:`` inside a plain scalar of a flow collection
(``args: [--listen=0.0.0.0:8080]``), which kubectl and YAML 1.2 parsers read. Such a
document is composed by ruamel's pure-Python parser instead; these tests check that it
places every node where libyaml would have, that it is used only for what libyaml
refuses, and that it does not turn broken YAML into silence.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gwlint.loader import compose
from gwlint.loader import load as loader
from gwlint.loader.locate import span_of
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..conftest import ROOT, TESTDATA

CORPUS = ROOT.parent / "shared" / "corpus"


def _placed(node: Node) -> Any:
    """A node with its tag, value, style and marks; a collection's end only by index (see below)."""
    start = (node.start_mark.line, node.start_mark.column, node.start_mark.index)
    end = (node.end_mark.line, node.end_mark.column, node.end_mark.index)
    if isinstance(node, ScalarNode):
        return ("scalar", node.tag, node.value, node.style, start, end)
    # libyaml ends a block collection at the end of a stream whose last line holds only
    # blanks inconsistently (the innermost at the blanks, the outer ones on the next line);
    # spans never use these ends, so only their index is compared
    if isinstance(node, SequenceNode):
        return ("seq", node.tag, node.flow_style, start, end[2], [_placed(n) for n in node.value])
    assert isinstance(node, MappingNode)
    pairs = [(_placed(k), _placed(v)) for k, v in node.value]
    return ("map", node.tag, node.flow_style, start, end[2], pairs)


def _texts() -> Iterator[Path]:
    """The golden cases and a tenth of the shared corpus (the pure-Python parser is slow)."""
    yield from sorted(TESTDATA.rglob("*.yaml"))
    if CORPUS.is_dir():
        yield from sorted(CORPUS.rglob("*.yaml"))[::10]


def test_the_yaml_1_2_parser_places_nodes_as_libyaml_does() -> None:
    """Over every text both parsers read, the nodes are the same, marks included."""
    compared = 0
    for path in _texts():
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            fast = compose.compose_all(text)
        except YAMLError:
            continue
        try:
            lenient = compose.compose_lenient(text)
        except YAMLError:
            continue  # what only libyaml reads never reaches the YAML 1.2 parser
        assert [_placed(n) for n in lenient] == [_placed(n) for n in fast], path
        compared += 1
    assert compared > 100


@pytest.mark.parametrize(
    "text",
    [
        "a: b",
        "a:",
        "a:\n  b:\nc: 1",
        "- a\n- b",
        "a: |\n  x",
        "---",
        "a: b\n# c",
        "{a: b}",
        "{a: , b: 1}",
        "{a:\n  , b: [c, {d: }]}",
        "k:\n\n\n  v: 1\n",
        "a: &x {b: 1}\nc: *x\n",
    ],
)
def test_edge_positions_match(text: str) -> None:
    assert [_placed(n) for n in compose.compose_lenient(text)] == [_placed(n) for n in compose.compose_all(text)]


REPRO = """\
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: 9090}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  template:
    spec:
      containers:
        - name: api
          args: [--listen=0.0.0.0:8080, "--x"]
          env: [{name: URL, value: http://db:5432}]
          ports: [{containerPort: 8080}]
"""


def test_a_document_libyaml_refuses_is_loaded_with_exact_positions() -> None:
    with pytest.raises(YAMLError):
        compose.compose_all(REPRO)
    loaded = loader.load_text("r.yaml", REPRO)
    assert loaded.problems == [] and [d.problems for d in loaded.documents] == [[], []]
    deploy = loaded.documents[1]
    container = deploy.data["spec"]["template"]["spec"]["containers"][0]
    assert container["args"] == ["--listen=0.0.0.0:8080", "--x"]
    assert container["env"] == [{"name": "URL", "value": "http://db:5432"}]
    base = ("spec", "template", "spec", "containers", 0)
    span = span_of(deploy, (*base, "args", 0))
    assert (span.line, span.column, span.end_column) == (16, 18, 39)
    span = span_of(deploy, (*base, "env", 0, "value"))
    assert (span.line, span.column, span.end_column) == (17, 36, 50)


def test_an_anchor_defined_again_is_valid_yaml() -> None:
    """libyaml's composer refuses a second ``&x``; YAML lets an alias name the latest one."""
    loaded = loader.load_text("a.yaml", "a: &x {b: 1}\nc: *x\nd: &x 2\ne: *x\n")
    assert loaded.problems == [] and loaded.documents[0].data == {"a": {"b": 1}, "c": {"b": 1}, "d": 2, "e": 2}


@pytest.mark.parametrize(
    "text",
    [
        "a: [x\n",  # unclosed
        "a: b: c\n",
        "\tkey: tab\n",
        ": value\n",  # an empty key: valid YAML 1.2, but no Kubernetes object has one
        "spec:\n  ports: [{: 8080}]\n",
        "a: 'x\n",
    ],
)
def test_broken_yaml_stays_a_syntax_error(text: str) -> None:
    loaded = loader.load_text("b.yaml", text)
    assert [p.message for p in loaded.problems] and loaded.documents == [], loaded


def test_the_fast_path_never_asks_the_yaml_1_2_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(_text: str) -> Any:
        raise AssertionError("the YAML 1.2 parser ran on a stream libyaml reads")

    monkeypatch.setattr(loader, "compose_lenient", refused)
    read = 0
    for path in sorted(TESTDATA.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        try:
            compose.compose_all(text)
        except YAMLError:
            continue
        loader.load_text(path.name, text)
        read += 1
    assert read > 100


def test_only_the_refused_document_is_read_by_the_yaml_1_2_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    original = compose.compose_lenient

    def recorded(text: str) -> Any:
        asked.append(text)
        return original(text)

    monkeypatch.setattr(loader, "compose_lenient", recorded)
    loaded = loader.load_text("r.yaml", REPRO)
    assert len(loaded.documents) == 2 and len(asked) == 1 and asked[0].startswith("---\napiVersion: apps/v1")
