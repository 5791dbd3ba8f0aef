"""GW504 pdb-overlap: two PodDisruptionBudgets select the same pods, so none can be evicted."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, ResourceId, Severity
from gwlint.engine.api import Context, Related, Rule
from gwlint.index.index import Index
from gwlint.model.pdb import PodDisruptionBudget
from gwlint.model.workloads import Workload


class PdbOverlap(Rule):
    id = "GW504"
    name = "pdb-overlap"
    severity = Severity.WARNING
    summary = "More than one PodDisruptionBudget selects the same pod template"
    tags = ("pdb", "selector", "disruption")

    def subjects(self, index: Index) -> Iterable[PodDisruptionBudget]:
        return index.pdbs

    def check(self, pdb: PodDisruptionBudget, ctx: Context) -> Iterator[Finding]:
        # a PDB repeated in the input (GW003) is one object in the cluster, not an overlap
        shared: dict[ResourceId, Workload] = {}
        others: dict[ResourceId, PodDisruptionBudget] = {}
        for w in ctx.index.pdb_selects(pdb):
            rivals = [p for p in ctx.index.pdbs_for(w) if p.resource.id != pdb.resource.id]
            if rivals:
                shared[w.resource.id] = w
                for p in rivals:
                    others.setdefault(p.resource.id, p)
        if not shared:
            return
        related = [
            Related(w.resource, (*w.template_path, "metadata", "labels"), f"pods of {w.display()}")
            for w in shared.values()
        ]
        related += [
            Related(p.resource, ("spec", "selector"), f"also selected by {p.resource.display()}")
            for p in others.values()
        ]
        yield ctx.finding(
            pdb.resource,
            ("spec", "selector"),
            f"{pdb.resource.display()} and {', '.join(p.resource.display() for p in others.values())} "
            f"{'both' if len(others) == 1 else 'all'} select "
            f"the pods of {', '.join(w.display() for w in shared.values())}: the eviction API refuses to evict a pod "
            "covered by more than one PDB, so node drains hang",
            related,
        )
