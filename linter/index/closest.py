"""The pod template a selector that selects nothing was probably meant for, without a scan per finding.

GW201 and GW502 name the closest template of the namespace: the one whose labels
score highest against the selector (each selector key the labels have counts 1, each
pair they match counts 3), ties going to the template named like the Service, then to
one whose name is a prefix of the Service's or the other way round, then to the first
in input order; Jobs and CronJobs are never named. Scoring every template of the
namespace once per finding made a namespace of thousands of broken Services quadratic
(40,000 objects, every Service broken: 56 s).

:class:`KeyView` files the namespace's templates once per set of selector keys, under
every (pairs matched, keys present) pattern they can satisfy, so that a call looks up
patterns from the best score down and never visits a template that cannot win. Filing
costs 2^keys entries per template, so selectors with more than :data:`MAX_KEYS` keys
use :func:`scan`, the plain scoring loop (also the reference the tests compare with).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gwlint.model.workloads import Workload

MAX_KEYS = 5
"""Widest selector answered by lookups: beyond it, 32+ entries per template cost more than a scan."""


def scan(workloads: Sequence[Workload], selector: Mapping[str, str], name: str | None) -> Workload | None:
    """The closest template by scoring every template of the namespace (``workloads``, in input order)."""
    scores: list[int] = []
    for w in workloads:
        labels = w.labels
        scores.append(sum((k in labels) + 2 * (labels.get(k) == v) for k, v in selector.items()))
    best = max(scores, default=0)
    candidates = [w for w in workloads if not w.is_batch]
    if best == 0:
        return candidates[0] if len(candidates) == 1 else None
    tied = [w for w, score in zip(workloads, scores, strict=True) if score == best and not w.is_batch]
    if name is not None:
        for w in tied:
            if w.resource.name == name:
                return w
        for w in tied:
            if w.resource.name.startswith(name) or name.startswith(w.resource.name):
                return w
    return tied[0] if tied else None


class _Bucket:
    """The templates filed under one pattern: whether any is there, and the named ones by position."""

    __slots__ = ("by_name", "first", "names", "occupied")

    def __init__(self) -> None:
        self.occupied = False
        """Some template (a Job's included) scores here: it sets the best score."""
        self.first: tuple[int, Workload] | None = None
        self.by_name: dict[str, tuple[int, Workload]] = {}
        self.names: list[str] | None = None
        """The names of ``by_name``, sorted on the first prefix lookup."""

    def add(self, position: int, workload: Workload) -> None:
        self.occupied = True
        if workload.is_batch:
            return
        entry = (position, workload)
        if self.first is None:
            self.first = entry
        name = workload.resource.name
        if name not in self.by_name:
            self.by_name[name] = entry

    def prefixed(self, name: str) -> tuple[int, Workload] | None:
        """The first template named with ``name`` as a prefix, or named by a prefix of ``name``."""
        found: list[tuple[int, Workload]] = []
        for end in range(len(name)):
            entry = self.by_name.get(name[:end])
            if entry is not None:
                found.append(entry)
        if self.names is None:
            self.names = sorted(self.by_name)
        names = self.names
        i = bisect_left(names, name)
        while i < len(names) and names[i].startswith(name):
            found.append(self.by_name[names[i]])
            i += 1
        return min(found, key=_position, default=None)


def _position(entry: tuple[int, Workload]) -> int:
    return entry[0]


class KeyView:
    """A namespace's templates filed for selectors with one set of keys."""

    def __init__(self, keys: Sequence[str], workloads: Sequence[Workload]) -> None:
        self.keys = tuple(keys)
        self.only: Workload | None = None
        candidates = [w for w in workloads if not w.is_batch]
        if len(candidates) == 1:
            self.only = candidates[0]
        self._buckets: dict[tuple[int, int, tuple[str, ...]], _Bucket] = {}
        patterns: set[int] = set()
        for position, w in enumerate(workloads):
            labels = w.labels
            present = 0
            for bit, key in enumerate(self.keys):
                if key in labels:
                    present |= 1 << bit
            patterns.add(present)
            for matched in _submasks(present):
                values = tuple(labels[k] for bit, k in enumerate(self.keys) if matched >> bit & 1)
                bucket = self._buckets.get((matched, present, values))
                if bucket is None:
                    bucket = self._buckets[(matched, present, values)] = _Bucket()
                bucket.add(position, w)
        # (score, matched, present), best first: pairs matched count 3, keys present 1.
        self._order = sorted(
            (
                (bin(present).count("1") + 2 * bin(matched).count("1"), matched, present)
                for present in patterns
                for matched in _submasks(present)
            ),
            reverse=True,
        )

    def closest(self, values: Sequence[str], name: str | None) -> Workload | None:
        """The closest template to the selector with these values for :attr:`keys`."""
        best = -1
        tied: list[_Bucket] = []
        for score, matched, present in self._order:
            if score < best:
                break
            wanted = tuple(v for bit, v in enumerate(values) if matched >> bit & 1)
            bucket = self._buckets.get((matched, present, wanted))
            if bucket is not None and bucket.occupied:
                best = score
                tied.append(bucket)
        if best <= 0:
            return self.only
        if name is not None:
            named = [b.by_name[name] for b in tied if name in b.by_name]
            if not named:
                named = [e for e in (b.prefixed(name) for b in tied) if e is not None]
            if named:
                return min(named, key=_position)[1]
        firsts = [b.first for b in tied if b.first is not None]
        return min(firsts, key=_position)[1] if firsts else None


def _submasks(mask: int) -> list[int]:
    """Every subset of the bits of ``mask`` (``mask`` itself and 0 included)."""
    subsets = []
    sub = mask
    while True:
        subsets.append(sub)
        if sub == 0:
            return subsets
        sub = (sub - 1) & mask
