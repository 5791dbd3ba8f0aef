"""The record bases keep the semantics the dataclasses had: repr, equality, hashing."""

from __future__ import annotations

import pytest
from gwlint.core.findings import Finding, Location, ResourceId, Severity, Span
from gwlint.core.records import Frozen, Record, Value
from gwlint.index.index import Index
from gwlint.loader.document import Document


class _Point(Frozen):
    __slots__ = ("x", "y")

    x: int
    y: int

    def __init__(self, x: int, y: int) -> None:
        self.x = x
        self.y = y


class _Box(Value):
    __slots__ = ("_cache", "label", "size")

    label: str
    size: int
    _cache: object

    def __init__(self, label: str, size: int) -> None:
        self.label = label
        self.size = size
        self._cache = object()


class _Single(Value):
    __slots__ = ("only",)

    only: int

    def __init__(self, only: int) -> None:
        self.only = only


class _Thing(Record):
    __slots__ = ("name",)

    name: str

    def __init__(self, name: str) -> None:
        self.name = name


def test_fields_follow_the_annotations_not_the_sorted_slots() -> None:
    assert _Box._fields == ("label", "size")
    assert repr(_Box("a", 2)) == "_Box(label='a', size=2)"
    assert repr(Span(3, 1, 3, 9)) == "Span(line=3, column=1, end_line=3, end_column=9)"


def test_frozen_records_are_equal_and_hash_by_value() -> None:
    assert _Point(1, 2) == _Point(1, 2)
    assert _Point(1, 2) != _Point(2, 1)
    assert len({_Point(1, 2), _Point(1, 2), _Point(2, 1)}) == 2
    key = ResourceId("apps", "Deployment", "shop", "web")
    assert {key: 1}[ResourceId("apps", "Deployment", "shop", "web")] == 1


def test_values_compare_fields_of_the_same_class_only_and_are_unhashable() -> None:
    assert _Box("a", 2) == _Box("a", 2)  # the private _cache differs and does not count
    assert _Box("a", 2) != _Box("a", 3)
    assert _Single(1) == _Single(1)
    assert _Single(1) != _Point(1, 0)
    with pytest.raises(TypeError):
        hash(_Box("a", 2))


def test_plain_records_compare_by_identity() -> None:
    one, other = _Thing("x"), _Thing("x")
    assert one != other
    assert len({one, other}) == 2
    assert repr(one) == "_Thing(name='x')"
    assert Index() != Index()


def test_unlisted_fields_are_left_out_of_equality_and_repr() -> None:
    a = Location("f.yaml", ("spec",), doc=object())
    b = Location("f.yaml", ("spec",), doc=object())
    assert a == b
    assert "doc" not in repr(a)
    doc = Document(file="f.yaml", index=0, data={"kind": "Service"})
    assert "_node" not in repr(doc)


def test_fingerprints_depend_on_the_occurrence_and_are_computed_when_read() -> None:
    def finding(occurrence: int) -> Finding:
        loc = Location("f.yaml", ("spec",), resource=ResourceId("", "Service", "shop", "web"))
        return Finding("GW201", "service-selects-no-pods", Severity.ERROR, "m", loc, occurrence=occurrence)

    first, again = finding(1), finding(2)
    assert len(first.fingerprint) == 32
    assert first.fingerprint == finding(1).fingerprint
    assert first.fingerprint != again.fingerprint
