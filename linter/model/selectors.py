"""Label selectors: Service map selectors and ``matchLabels``/``matchExpressions`` selectors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from gwlint.core.datapath import Path, dotted
from gwlint.core.records import Frozen
from gwlint.model.resource import Resource, field_problem, get, string_map

OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


class Requirement(Frozen):
    """One ``matchExpressions`` entry."""

    __slots__ = ("key", "operator", "values")

    key: Final[str]
    operator: Final[str]
    values: Final[tuple[str, ...]]

    def __init__(self, key: str, operator: str, values: tuple[str, ...] = ()) -> None:
        self.key = key
        self.operator = operator
        self.values = values

    def matches(self, labels: Mapping[str, str]) -> bool:
        if self.operator == "In":
            return labels.get(self.key) in self.values
        if self.operator == "NotIn":
            return labels.get(self.key) not in self.values
        if self.operator == "Exists":
            return self.key in labels
        return self.key not in labels


class LabelSelector(Frozen):
    """A parsed label selector; an empty one selects everything in its namespace."""

    __slots__ = ("expressions", "match_labels")

    match_labels: Final[Mapping[str, str]]
    expressions: Final[tuple[Requirement, ...]]

    def __init__(
        self,
        match_labels: Mapping[str, str] | None = None,
        expressions: tuple[Requirement, ...] = (),
    ) -> None:
        self.match_labels = {} if match_labels is None else match_labels
        self.expressions = expressions

    @property
    def is_empty(self) -> bool:
        return not self.match_labels and not self.expressions

    def matches(self, labels: Mapping[str, str]) -> bool:
        for k, v in self.match_labels.items():
            if labels.get(k) != v:
                return False
        return all(req.matches(labels) for req in self.expressions)

    def describe(self) -> str:
        """A compact text form for messages: ``app=web, tier in (a,b)``."""
        parts = [f"{k}={v}" for k, v in self.match_labels.items()]
        for r in self.expressions:
            if r.operator in ("In", "NotIn"):
                parts.append(f"{r.key} {r.operator.lower()} ({','.join(r.values)})")
            else:
                parts.append(f"{'' if r.operator == 'Exists' else '!'}{r.key}")
        return ", ".join(parts) or "{}"


def parse_label_selector(res: Resource, parent: Any, ppath: Path, key: str) -> LabelSelector | None:
    """The selector at ``parent[key]``; None when absent or unusable (unusable is GW002)."""
    raw = get(res, parent, ppath, key, "mapping")
    if raw is None:
        return None
    path = (*ppath, key)
    labels = string_map(res, raw, path, "matchLabels")
    exprs_raw = get(res, raw, path, "matchExpressions", "list") or []
    exprs: list[Requirement] = []
    for i, item in enumerate(exprs_raw):
        ipath = (*path, "matchExpressions", i)
        if not isinstance(item, dict):
            field_problem(res, ipath, f"`{dotted(ipath)}` must be a mapping")
            return None
        k = get(res, item, ipath, "key", "string")
        op = get(res, item, ipath, "operator", "string")
        values = get(res, item, ipath, "values", "list") or []
        if k is None or op not in OPERATORS:
            if op is not None and op not in OPERATORS:
                field_problem(
                    res,
                    (*ipath, "operator"),
                    f"`{dotted((*ipath, 'operator'))}` must be one of {', '.join(OPERATORS)}",
                )
            return None
        if not all(isinstance(v, str) for v in values):
            field_problem(res, (*ipath, "values"), f"`{dotted((*ipath, 'values'))}` must be strings")
            return None
        exprs.append(Requirement(k, op, tuple(values)))
    return LabelSelector(labels, tuple(exprs))
