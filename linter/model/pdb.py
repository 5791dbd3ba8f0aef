"""PodDisruptionBudgets as rules read them: selector and the eviction budget."""

from __future__ import annotations

from gwlint.core.records import Record
from gwlint.model.resource import Resource, get
from gwlint.model.selectors import LabelSelector, parse_label_selector


class PodDisruptionBudget(Record):
    """A PDB: its selector (None selects nothing) and its budget."""

    __slots__ = ("max_unavailable", "min_available", "resource", "selector")

    resource: Resource
    selector: LabelSelector | None
    min_available: int | str | None
    max_unavailable: int | str | None

    def __init__(
        self,
        resource: Resource,
        selector: LabelSelector | None,
        min_available: int | str | None,
        max_unavailable: int | str | None,
    ) -> None:
        self.resource = resource
        self.selector = selector
        self.min_available = min_available
        self.max_unavailable = max_unavailable


def make_pdb(res: Resource) -> PodDisruptionBudget:
    """Parse a PodDisruptionBudget (``policy/v1`` or ``v1beta1``)."""
    spec = get(res, res.data, (), "spec", "mapping") or {}
    return PodDisruptionBudget(
        res,
        parse_label_selector(res, spec, ("spec",), "selector"),
        get(res, spec, ("spec",), "minAvailable", "int-or-string"),
        get(res, spec, ("spec",), "maxUnavailable", "int-or-string"),
    )
