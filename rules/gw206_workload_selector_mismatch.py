"""GW206 workload-selector-mismatch: a workload's selector does not select its own pod template."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.datapath import Path
from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Related, Rule
from gwlint.index.index import Index
from gwlint.model.selectors import LabelSelector
from gwlint.model.workloads import Workload


class WorkloadSelectorMismatch(Rule):
    id = "GW206"
    name = "workload-selector-mismatch"
    severity = Severity.ERROR
    summary = "A workload's spec.selector does not select its own pod template labels"
    tags = ("selector", "rollout")

    def subjects(self, index: Index) -> Iterable[Workload]:
        # Pods have no selector; Jobs and CronJobs get a generated one.
        return [w for w in index.workloads if w.template_path and not w.is_batch]

    def check(self, w: Workload, ctx: Context) -> Iterator[Finding]:
        res = w.resource
        selector = w.selector
        # Absent (kustomize's labels transformer often adds it), malformed (GW002) or empty
        # (selects everything, so its own template too): nothing to compare.
        if selector is None or selector.is_empty:
            return
        if selector.matches(w.labels):
            return
        path, related_path, detail = _difference(w)
        yield ctx.finding(
            res,
            path,
            f"spec.selector of {w.display()} ({selector.describe()}) does not select its own pod "
            f"template labels ({detail}): the object is rejected and never rolls out",
            [Related(res, related_path, f"pod template labels of {w.display()}")],
        )


def _difference(w: Workload) -> tuple[Path, Path, str]:
    """The first selector term the template labels fail: its path, the label's path, the text.

    Called only when the selector does not match, so some term always fails.
    """
    assert w.selector is not None
    base: Path = ("spec", "selector") if w.kind == "ReplicationController" else ("spec", "selector", "matchLabels")
    for key, value in w.selector.match_labels.items():
        have = w.labels.get(key)
        if have != value:
            shown = f"{key}: {value} vs {key}: {have}" if have is not None else f"{key}: {value} vs no {key} label"
            return (*base, key), (*w.labels_path, key) if have is not None else w.labels_path, shown
    for i, req in enumerate(w.selector.expressions):
        if not req.matches(w.labels):
            have = w.labels.get(req.key)
            term = LabelSelector(expressions=(req,)).describe()
            shown = f"{term} vs " + (f"{req.key}: {have}" if have is not None else f"no {req.key} label")
            path: Path = ("spec", "selector", "matchExpressions", i)
            return path, (*w.labels_path, req.key) if have is not None else w.labels_path, shown
    raise AssertionError("a selector that fails to match has a failing term")
