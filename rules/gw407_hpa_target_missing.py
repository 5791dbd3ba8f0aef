"""GW407 hpa-target-missing: an HPA whose scaleTargetRef names nothing in the input."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Related, Rule
from gwlint.index.index import Index
from gwlint.model.hpa import HorizontalPodAutoscaler
from gwlint.model.workloads import TEMPLATE_PATHS
from gwlint.rules._incomplete import lowered

if TYPE_CHECKING:
    from gwlint.index.names import NameTables

TARGET_PATH = ("spec", "scaleTargetRef")
MAX_NAME_CANDIDATES = 500
"""Similar-name hints are skipped for namespaces with more objects of the kind (they cost O(n))."""


class HpaTargetMissing(Rule):
    id = "GW407"
    name = "hpa-target-missing"
    severity = Severity.WARNING
    summary = "A HorizontalPodAutoscaler's scaleTargetRef names no workload in the input"
    tags = ("autoscaling", "reference")

    def subjects(self, index: Index) -> Iterable[HorizontalPodAutoscaler]:
        return index.hpas

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
        if kind not in TEMPLATE_PATHS and kind not in ctx.index.by_kind:
            # A kind gwlint does not know as a pod owner and that the input never defines: an
            # operator or another repository provides it, so its absence here proves nothing.
            return
        hint, related = _hint(ctx.index.names, kind, name, ns)
        severity, incomplete = lowered(ctx.index, ns)
        yield ctx.finding(
            res,
            (*TARGET_PATH, "name"),
            f"{res.display()} scales {kind} {name!r}, which is not in namespace "
            f"{ns!r} of the input{hint}: the HPA scales nothing{incomplete}",
            related,
            severity,
        )


def _hint(names: NameTables, kind: str, name: str, ns: str) -> tuple[str, list[Related]]:
    """The likeliest intended target: another kind, another namespace, or a similar name."""
    other_kind = [w.resource for w in names.workloads_by_name.get((ns, name), []) if w.kind != kind]
    if other_kind:
        r = other_kind[0]
        return f" ({r.kind} {name!r} is: check scaleTargetRef.kind)", [
            Related(r, ("metadata", "name"), f"{r.display()} has this name")
        ]
    elsewhere = [r for r in names.by_kind_and_name.get((kind, name), []) if r.namespace != ns]
    if elsewhere:
        r = elsewhere[0]
        return (
            f" (it is in namespace {r.namespace!r}; an HPA only scales targets in its own namespace)",
            [Related(r, ("metadata", "name"), f"{r.display()} is in another namespace")],
        )
    candidates = names.by_kind_in.get((kind, ns), [])
    if len(candidates) <= MAX_NAME_CANDIDATES:
        import difflib  # only for a hint: most runs never need it, and it costs start-up time

        close = difflib.get_close_matches(name, [r.name for r in candidates], n=1, cutoff=0.75)
        if close:
            r = next(r for r in candidates if r.name == close[0])
            return f" (did you mean {r.name!r}?)", [
                Related(r, ("metadata", "name"), f"{r.display()} has a similar name")
            ]
    return "", []
