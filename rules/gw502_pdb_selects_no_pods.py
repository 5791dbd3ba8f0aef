"""GW502 pdb-selects-no-pods: a PodDisruptionBudget that protects nothing in its namespace."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Related, Rule
from gwlint.index.index import Index
from gwlint.model.pdb import PodDisruptionBudget
from gwlint.rules._incomplete import lowered


class PdbSelectsNoPods(Rule):
    id = "GW502"
    name = "pdb-selects-no-pods"
    severity = Severity.WARNING
    summary = "A PodDisruptionBudget selects no pod template in its namespace"
    tags = ("pdb", "selector")

    def subjects(self, index: Index) -> Iterable[PodDisruptionBudget]:
        return index.pdbs

    def check(self, pdb: PodDisruptionBudget, ctx: Context) -> Iterator[Finding]:
        if ctx.index.pdb_selects(pdb) or _operator_made(pdb, ctx.index):
            return
        res = pdb.resource
        ns = res.namespace
        if pdb.selector is None:
            if pdb.selector_written:
                return  # malformed: GW002 reports it
            yield ctx.finding(
                res,
                ("spec",) if pdb.has_spec else ("metadata", "name"),
                f"{res.display()} has no selector, so it selects no pods: it protects nothing during node drains",
            )
            return
        if pdb.selector.is_empty:
            yield ctx.finding(
                res,
                ("spec", "selector"),
                f"{res.display()} has an empty selector, which selects no pods in {res.api_version} "
                "(only policy/v1 reads `{}` as every pod of the namespace)",
            )
            return
        related = []
        detail = f"no pod template in namespace {ns!r} matches it"
        closest = ctx.index.closest(ns, pdb.selector.match_labels) if pdb.selector.match_labels else None
        if closest is not None:
            diffs = [
                f"{k}: {v} vs {k}: {closest.labels[k]}" if k in closest.labels else f"{k}: {v} vs no {k} label"
                for k, v in pdb.selector.match_labels.items()
                if closest.labels.get(k) != v
            ]
            detail = f"closest is {closest.display()}" + (f" ({'; '.join(diffs)})" if diffs else "")
            related.append(
                Related(
                    closest.resource,
                    (*closest.template_path, "metadata", "labels"),
                    f"closest pod template: {closest.display()}",
                )
            )
        severity, incomplete = lowered(ctx.index, ns)
        yield ctx.finding(
            res,
            ("spec", "selector"),
            f"{res.display()} selects no pods (selector {pdb.selector.describe()}): {detail}{incomplete}",
            related,
            severity,
        )


def _operator_made(pdb: PodDisruptionBudget, index: Index) -> bool:
    """Whether the selector selects the pods an operator makes from one of its objects.

    The Prometheus operator, for one, labels the pods of ``Prometheus`` ``main`` with
    ``prometheus: main``; such pods are never in the input.
    """
    if pdb.selector is None:
        return False
    pairs = [*pdb.selector.match_labels.items()]
    pairs += [(req.key, v) for req in pdb.selector.expressions if req.operator == "In" for v in req.values]
    return index.operator_pods_owner(pdb.resource.namespace, pairs) is not None
