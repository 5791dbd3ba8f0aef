"""GW407 hpa-target-missing: an HPA whose scaleTargetRef names nothing in the input."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Related, Rule
from gwlint.index.index import Index
from gwlint.model.hpa import HorizontalPodAutoscaler
from gwlint.model.resource import Resource
from gwlint.model.workloads import TEMPLATE_PATHS

TARGET_PATH = ("spec", "scaleTargetRef")
MAX_NAME_CANDIDATES = 500
"""Similar-name hints are skipped for namespaces with more objects of the kind (they cost O(n))."""


class _Targets:
    """Every object of the run keyed the ways a near miss can happen, built once per run."""

    def __init__(self, index: Index) -> None:
        self.by_kind_name: dict[tuple[str, str], list[Resource]] = defaultdict(list)
        self.by_ns_name: dict[tuple[str, str], list[Resource]] = defaultdict(list)
        self.by_kind_ns: dict[tuple[str, str], list[Resource]] = defaultdict(list)
        self.kinds: set[str] = set()
        for res in index.resources:
            self.kinds.add(res.kind)
            self.by_kind_name[(res.kind, res.name)].append(res)
            if index.workload_of(res) is not None:
                self.by_ns_name[(res.namespace, res.name)].append(res)
            self.by_kind_ns[(res.kind, res.namespace)].append(res)


class HpaTargetMissing(Rule):
    id = "GW407"
    name = "hpa-target-missing"
    severity = Severity.WARNING
    summary = "A HorizontalPodAutoscaler's scaleTargetRef names no workload in the input"
    tags = ("autoscaling", "reference")
    _targets: _Targets | None = None

    def subjects(self, index: Index) -> Iterable[HorizontalPodAutoscaler]:
        self._targets = None
        return index.hpas

    def _lookup(self, index: Index) -> _Targets:
        if self._targets is None:
            self._targets = _Targets(index)
        return self._targets

    def check(self, hpa: HorizontalPodAutoscaler, ctx: Context) -> Iterator[Finding]:
        res = hpa.resource
        kind, name, ns = hpa.target_kind, hpa.target_name, res.namespace
        if not kind or not name:
            missing = " and ".join(k for k, v in (("kind", kind), ("name", name)) if not v)
            yield ctx.finding(
                res,
                TARGET_PATH,
                f"{res.display()} has no scaleTargetRef {missing}: it scales nothing",
            )
            return
        if ctx.index.find(kind, ns, name) is not None:
            return
        targets = self._lookup(ctx.index)
        if kind not in TEMPLATE_PATHS and kind not in targets.kinds:
            # A kind gwlint does not know as a pod owner and that the input never defines: an
            # operator or another repository provides it, so its absence here proves nothing.
            return
        hint, related = self._hint(kind, name, ns, targets)
        yield ctx.finding(
            res,
            (*TARGET_PATH, "name"),
            f"{res.display()} scales {kind} {name!r}, which is not in namespace "
            f"{ns!r} of the input{hint}: the HPA scales nothing",
            related,
        )

    @staticmethod
    def _hint(kind: str, name: str, ns: str, targets: _Targets) -> tuple[str, list[Related]]:
        """The likeliest intended target: another kind, another namespace, or a similar name."""
        other_kind = [r for r in targets.by_ns_name.get((ns, name), []) if r.kind != kind]
        if other_kind:
            r = other_kind[0]
            return f" ({r.kind} {name!r} is: check scaleTargetRef.kind)", [
                Related(r, ("metadata", "name"), f"{r.display()} has this name")
            ]
        elsewhere = [r for r in targets.by_kind_name.get((kind, name), []) if r.namespace != ns]
        if elsewhere:
            r = elsewhere[0]
            return (
                f" (it is in namespace {r.namespace!r}; an HPA only scales targets in its own namespace)",
                [Related(r, ("metadata", "name"), f"{r.display()} is in another namespace")],
            )
        candidates = targets.by_kind_ns.get((kind, ns), [])
        if len(candidates) <= MAX_NAME_CANDIDATES:
            close = difflib.get_close_matches(name, [r.name for r in candidates], n=1, cutoff=0.75)
            if close:
                r = next(r for r in candidates if r.name == close[0])
                return f" (did you mean {r.name!r}?)", [
                    Related(r, ("metadata", "name"), f"{r.display()} has a similar name")
                ]
        return "", []
