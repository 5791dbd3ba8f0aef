"""The locate API: data paths to spans and text ranges, lines back to paths, shared nodes.

Text ranges are checked the way fixes use them: replace a range in the file's own
decoded text, load the result again, and only the value at that path may change,
whatever the file's line ends, BOM, multi-byte characters or document layout.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from gwlint.core.datapath import Path
from gwlint.loader.document import Document
from gwlint.loader.load import load_bytes
from gwlint.loader.locate import Located, inside_scalar, locate, path_at_line, span_of, start_of
from hypothesis import given, settings
from hypothesis import strategies as st

from ..conftest import TESTDATA

MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: "wéb"   # a comment
  labels: {app: web, tier: "front"}
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: web
          args: [--port=8080, '--x']
          command:
            - sh
            - -c
            - |
              echo "# not a comment"
              sleep 5

          ports:
            - containerPort: 8080
              name: http
# trailing comment
"""


def _load(raw: bytes) -> Document:
    docs = load_bytes("m.yaml", raw).documents
    assert len(docs) == 1
    return docs[0]


def _get(data: Any, path: Path) -> Any:
    for elem in path:
        data = data[elem]
    return data


def _scalar_paths(data: Any, path: Path = ()) -> Iterator[Path]:
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _scalar_paths(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _scalar_paths(v, (*path, i))
    else:
        yield path


def _replaced(raw: bytes, doc: Document, path: Path, new: str) -> tuple[str, Located]:
    found = locate(doc, path)
    assert found is not None and found.complete
    text = raw.decode("utf-8")
    return text[: found.value.start] + new + text[found.value.end :], found


VARIANTS = {
    "lf": lambda t: t,
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "cr": lambda t: t.replace("\n", "\r"),
    "bom": lambda t: "\ufeff" + t,
    "bom-crlf": lambda t: "\ufeff" + t.replace("\n", "\r\n"),
    "nel-in-comment": lambda t: t.replace("# a comment", "# a\x85comment\u2028x"),
    "astral": lambda t: t.replace("# a comment", "# 😀😀"),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_replacing_a_scalar_range_changes_that_value_only(variant: str) -> None:
    raw = VARIANTS[variant](MANIFEST).encode("utf-8")
    doc = _load(raw)
    for path in _scalar_paths(doc.data):
        edited, found = _replaced(raw, doc, path, '"EDIT"')
        assert found.kind == "scalar" and not found.shared
        again = _load(edited.encode("utf-8")).data
        assert _get(again, path) == "EDIT", (path, edited)
        assert again == _set(doc.data, path, "EDIT")


def _set(data: Any, path: Path, value: Any) -> Any:
    if not path:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = _set(data[path[0]], path[1:], value)  # type: ignore[index]
    return copy


def test_ranges_and_styles() -> None:
    raw = MANIFEST.encode()
    doc = _load(raw)
    text = raw.decode()

    def written(path: Path) -> tuple[str, str | None, str]:
        found = locate(doc, path)
        assert found is not None
        key = text[found.key.start : found.key.end] if found.key else ""
        return text[found.value.start : found.value.end], found.style, key

    assert written(("metadata", "name")) == ('"wéb"', '"', "name")
    assert written(("metadata", "labels")) == ('{app: web, tier: "front"}', "flow", "labels")
    containers = ("spec", "template", "spec", "containers")
    assert written((*containers, 0, "args", 1)) == ("'--x'", "'", "")
    block = written((*containers, 0, "command", 2))
    assert block[:2] == ('|\n              echo "# not a comment"\n              sleep 5\n', "|")
    ports = written((*containers, 0, "ports"))
    assert ports == ("- containerPort: 8080\n              name: http", "block", "ports")
    found = locate(doc, (*containers, 0))
    assert found is not None and found.kind == "mapping" and found.column == 10 and found.key is None


def test_a_missing_path_gives_its_deepest_ancestor() -> None:
    doc = _load(MANIFEST.encode())
    found = locate(doc, ("spec", "template", "spec", "missing", "deeper"))
    assert found is not None and not found.complete
    assert found.path == ("spec", "template", "spec")
    assert found.span == span_of(doc, ("spec", "template", "spec", "missing"))


def test_documents_of_a_stream_and_of_a_broken_stream_have_file_offsets() -> None:
    good = "a: 1\n---\nb: 2\n"
    for text in (good, good + "---\nc: [\n---\nd: 4\n", "%YAML 1.2\n---\na: 1\n...\n%YAML 1.2\n---\nd: 4\n"):
        raw = ("\ufeff" + text.replace("\n", "\r\n")).encode()
        decoded = raw.decode()
        for doc in load_bytes("s.yaml", raw).documents:
            key = next(iter(doc.data))
            found = locate(doc, (key,))
            assert found is not None and found.key is not None
            assert decoded[found.key.start : found.key.end] == key
            assert decoded[found.value.start : found.value.end] == str(doc.data[key])


@pytest.mark.parametrize(
    ("text", "path", "shared"),
    [
        ("a: &x {p: 1}\nb: *x\n", ("b", "p"), True),
        ("a: &x {p: 1}\nb: *x\n", ("a", "p"), True),
        ("a: &x {p: 1}\nb: *x\n", (), True),
        ("a: &x {p: 1}\nb: *x\nc: 2\n", ("c",), False),
        ("base: &b {p: 1}\nm:\n  <<: *b\n  q: 2\n", ("m", "p"), True),
        ("base: &b {p: 1}\nm:\n  <<: *b\n  q: 2\n", ("m", "q"), False),
        ("m:\n  <<: {p: 1}\n  q: 2\n", ("m", "p"), True),
        ("a: &unused {p: 1}\n", ("a", "p"), False),
        ("a: {p: &s 1}\nb: [*s]\n", ("a",), True),
    ],
)
def test_paths_through_aliases_and_merge_keys_are_shared(text: str, path: Path, shared: bool) -> None:
    found = locate(_load(text.encode()), path)
    assert found is not None and found.shared is shared


def test_sharing_is_remembered_per_composed_root_only() -> None:
    """Many documents, each located again after others: the cached answer is always the walked one."""
    from gwlint.loader import locate as module

    docs = "".join(
        f"---\na{i}: &x{i} {{p: 1}}\nb: *x{i}\nc: {i}\n" if i % 2 else f"---\na: {{p: 1}}\nstar: '*'\nc: {i}\n"
        for i in range(3 * module._USES_KEPT)
    )
    loaded = load_bytes("s.yaml", docs.encode())
    for _ in range(2):
        for i, doc in enumerate(loaded.documents):
            for path, aliased in (((f"a{i}", "p"), True), (("c",), False)):
                found = locate(doc, path)
                assert found is not None and found.shared is (aliased and i % 2 == 1)
    assert len(module._USES) <= module._USES_KEPT
    assert all(root is not None and id(root) == key for key, (root, _) in module._USES.items())


def test_a_range_starts_after_the_anchor_and_tag() -> None:
    raw = b"a: &x !!str 80\nb: !!map &y {c: 1}\n"
    doc, text = _load(raw), raw.decode()
    for path, want in ((("a",), "80"), (("b",), "{c: 1}")):
        found = locate(doc, path)
        assert found is not None and text[found.value.start : found.value.end] == want


def test_path_at_line_and_inside_scalar() -> None:
    doc = _load(MANIFEST.encode())
    lines = MANIFEST.split("\n")
    assert path_at_line(doc, 3) == ("metadata", "name")
    assert path_at_line(doc, 10) == ("spec", "template", "spec", "containers", 0, "name")
    assert path_at_line(doc, 11) == ("spec", "template", "spec", "containers", 0, "args")
    assert path_at_line(doc, 17) == ("spec", "template", "spec", "containers", 0, "command", 2)
    hash_in_script = lines[16].index("#")
    assert inside_scalar(doc, 16, hash_in_script)
    assert not inside_scalar(doc, 3, lines[3].index("#"))


def test_start_of_points_at_keys_or_values() -> None:
    doc = _load(MANIFEST.encode())
    assert start_of(doc, ("metadata", "labels"), True) == (5, 3)
    assert start_of(doc, ("metadata", "labels"), False) == (5, 11)
    assert start_of(doc, ("metadata", "missing"), True) == (4, 3)


def _corpus() -> list[str]:
    return sorted(str(p.relative_to(TESTDATA)) for p in TESTDATA.rglob("*.yaml"))


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(_corpus()), crlf=st.booleans(), bom=st.booleans(), pick=st.integers(0, 10_000))
def test_any_golden_scalar_can_be_replaced_in_place(name: str, crlf: bool, bom: bool, pick: int) -> None:
    """Over the golden cases: a scalar not shared with another place is edited alone."""
    text = (TESTDATA / name).read_text(encoding="utf-8")
    text = ("\ufeff" if bom else "") + (text.replace("\n", "\r\n") if crlf else text)
    raw = text.encode()
    loaded = load_bytes(name, raw)
    candidates = [
        (i, path)
        for i, doc in enumerate(loaded.documents)
        if doc.complete and not doc.problems and doc.data is not None
        for path in _scalar_paths(doc.data)
        if path
    ]
    if not candidates:
        return
    i, path = candidates[pick % len(candidates)]
    doc = loaded.documents[i]
    found = locate(doc, path)
    assert found is not None and found.complete
    if found.shared:
        return
    # a block scalar's range ends after its last line break (module docstring): keep one
    eol = ("\r\n" if crlf else "\n") if found.style in ("|", ">") else ""
    edited = text[: found.value.start] + '"EDIT"' + eol + text[found.value.end :]
    again = load_bytes(name, edited.encode())
    assert [d.data for d in again.documents] == [
        _set(d.data, path, "EDIT") if j == i else d.data for j, d in enumerate(loaded.documents)
    ]
