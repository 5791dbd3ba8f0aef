"""PodDisruptionBudgets as rules read them: selector and the eviction budget."""

from __future__ import annotations

from gwlint.core.records import Record
from gwlint.model.resource import Resource, get
from gwlint.model.selectors import LabelSelector, parse_label_selector


class PodDisruptionBudget(Record):
    """A PDB: its selector (None selects nothing) and its budget."""

    __slots__ = ("has_spec", "max_unavailable", "min_available", "resource", "selector", "selector_written")

    resource: Resource
    selector: LabelSelector | None
    min_available: int | str | None
    max_unavailable: int | str | None
    has_spec: bool
    """``spec`` is a mapping."""
    selector_written: bool
    """``spec.selector`` is written (so a None ``selector`` means it is malformed: GW002)."""

    def __init__(
        self,
        resource: Resource,
        selector: LabelSelector | None,
        min_available: int | str | None,
        max_unavailable: int | str | None,
        has_spec: bool = True,
        selector_written: bool = False,
    ) -> None:
        self.resource = resource
        self.selector = selector
        self.min_available = min_available
        self.max_unavailable = max_unavailable
        self.has_spec = has_spec
        self.selector_written = selector_written


def make_pdb(res: Resource) -> PodDisruptionBudget:
    """Parse a PodDisruptionBudget (``policy/v1`` or ``v1beta1``)."""
    raw = get(res, res.data, (), "spec", "mapping")
    spec = raw or {}
    return PodDisruptionBudget(
        res,
        parse_label_selector(res, spec, ("spec",), "selector"),
        get(res, spec, ("spec",), "minAvailable", "int-or-string"),
        get(res, spec, ("spec",), "maxUnavailable", "int-or-string"),
        has_spec=raw is not None,
        selector_written=spec.get("selector") is not None,
    )
