"""GW503 pdb-blocks-eviction: a PodDisruptionBudget that never allows a single eviction."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Iterator

from gwlint.core.datapath import Path
from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Related, Rule
from gwlint.index.index import Index
from gwlint.model.pdb import PodDisruptionBudget
from gwlint.model.workloads import REPLICATED_KINDS, Workload


@functools.cache
def _percent_re() -> re.Pattern[str]:
    return re.compile(r"\s*([0-9]+)\s*%\s*")


class PdbBlocksEviction(Rule):
    id = "GW503"
    name = "pdb-blocks-eviction"
    severity = Severity.WARNING
    summary = "A PodDisruptionBudget can never allow an eviction, so node drains hang"
    tags = ("pdb", "disruption")

    def subjects(self, index: Index) -> Iterable[PodDisruptionBudget]:
        return [p for p in index.pdbs if p.min_available is not None or p.max_unavailable is not None]

    def check(self, pdb: PodDisruptionBudget, ctx: Context) -> Iterator[Finding]:
        res = pdb.resource
        # an object repeated in the input is one object in the cluster: the later copy wins
        selected = list({w.resource.id: w for w in ctx.index.pdb_selects(pdb)}.values())
        related = [
            Related(w.resource, (*w.template_path, "metadata", "labels"), f"pods of {w.display()}") for w in selected
        ]
        if pdb.max_unavailable is not None:
            budget = _amount(pdb.max_unavailable)
            if budget is not None and budget[0] == 0:
                yield ctx.finding(
                    res,
                    ("spec", "maxUnavailable"),
                    f"{res.display()} sets maxUnavailable: {pdb.max_unavailable!r}: no pod it selects can "
                    "ever be evicted, so node drains hang",
                    related,
                )
            return
        amount = _amount(pdb.min_available)
        if amount is None:
            return
        value, percent = amount
        if percent and value >= 100:
            yield ctx.finding(
                res,
                ("spec", "minAvailable"),
                f"{res.display()} sets minAvailable: {pdb.min_available!r}: no pod it selects can ever be "
                "evicted, so node drains hang",
                related,
            )
            return
        counted: list[tuple[Workload, int, str]] = []
        for w in selected:
            scale = _scale(w, ctx)
            if scale is None:
                return  # a DaemonSet, Job or custom owner: its pod count is not in the manifest
            counted.append((w, *scale))
        total = sum(n for _, n, _ in counted)
        if total == 0:
            return
        desired = math.ceil(value * total / 100) if percent else value
        if desired < total:
            return
        parts = []
        related = []
        for w, n, source in counted:
            parts.append(f"{w.display()} ({source})")
            related.append(Related(w.resource, _scale_path(w), f"{w.display()} runs {n} pod(s) at its lowest scale"))
            related.extend(
                Related(
                    h.resource, ("spec", "minReplicas"), f"{h.resource.display()} scales it down to {h.min_replicas}"
                )
                for h in ctx.index.hpas_for(w)
            )
        shown = f"{value}% (= {desired} pods)" if percent else str(value)
        message = (
            f"{res.display()} sets minAvailable {shown}, not below the {total} pod(s) it selects "
            f"({'; '.join(parts)}): no pod can ever be evicted, so node drains hang"
        )
        linted = [r for r in related if not r.resource.context_only]
        if res.context_only and linted:
            # only a workload or HPA is linted (the PDB came with --context): report there
            here = linted[0]
            others = [r for r in related if r is not here]
            yield ctx.finding(
                here.resource, here.path, message, [Related(res, ("spec", "minAvailable"), "the PDB"), *others]
            )
        else:
            yield ctx.finding(res, ("spec", "minAvailable"), message, related)


def _amount(raw: int | str | None) -> tuple[int, bool] | None:
    """An int-or-string budget as (value, is_percent); None when absent or unreadable."""
    if isinstance(raw, int):
        return raw, False
    if isinstance(raw, str):
        if raw.strip().isdigit():
            return int(raw), False
        m = _percent_re().fullmatch(raw)
        if m:
            return int(m.group(1)), True
    return None


def _scale(w: Workload, ctx: Context) -> tuple[int, str] | None:
    """How many pods a workload runs at its lowest scale, and why; None when unknowable."""
    if w.kind == "Pod":
        return 1, "a bare Pod"
    if w.kind not in REPLICATED_KINDS:
        return None
    hpas = ctx.index.hpas_for(w)
    if hpas:
        lowest = min(h.min_replicas for h in hpas)
        return lowest, f"HPA minReplicas {lowest}"
    if w.replicas is None:
        return 1, "replicas absent, so 1"
    return w.replicas, f"replicas {w.replicas}"


def _scale_path(w: Workload) -> Path:
    """Where a workload's pod count is written (or would be)."""
    if w.kind == "Pod":
        return ("metadata", "name")
    return ("spec", "replicas") if w.replicas is not None else ("spec",)
