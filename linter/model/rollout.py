"""Update strategies and ``minReadySeconds`` of pod owners, read the way their controllers do.

Parsed with the rest of the workload (so a malformed ``maxUnavailable`` is a GW002 whether or
not a rollout rule runs), and resolved with the controllers' own arithmetic: a percentage
of the replica count, rounded down for ``maxUnavailable`` and up for ``maxSurge``.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any, Final

from gwlint.core.datapath import Path, dotted
from gwlint.core.records import Frozen
from gwlint.model.resource import Resource, field_problem, get

if TYPE_CHECKING:
    pass

STRATEGY_KEYS: dict[str, str] = {
    "Deployment": "strategy",
    "StatefulSet": "updateStrategy",
    "DaemonSet": "updateStrategy",
}


"""Where each kind keeps its update strategy under ``spec``."""


MIN_READY_KINDS = frozenset(
    {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Rollout"}
)


"""Kinds whose ``spec.minReadySeconds`` the controllers honour."""


@functools.cache
def _percent_re() -> re.Pattern[str]:
    return re.compile(r"([0-9]+)%")


class IntOrPercent(Frozen):
    """A Kubernetes ``IntOrString`` bound: an absolute count, or a percentage of the replicas."""

    __slots__ = ("path", "percent", "value")

    value: Final[int]
    percent: Final[bool]
    path: Final[Path]

    def __init__(self, value: int, percent: bool, path: Path) -> None:
        self.value = value
        self.percent = percent
        self.path = path

    @property
    def is_zero(self) -> bool:
        """Zero as the API server's validation sees it (``0`` or ``0%``), before any rounding."""
        return self.value == 0

    def resolve(self, total: int, round_up: bool) -> int:
        """The absolute count against ``total`` replicas (``intstr.GetScaledValueFromIntOrPercent``)."""
        if not self.percent:
            return self.value
        scaled = self.value * total  # in hundredths; integer arithmetic never overflows
        return -(-scaled // 100) if round_up else scaled // 100

    def show(self) -> str:
        return f"{self.value}%" if self.percent else str(self.value)


class UpdateStrategy(Frozen):
    """``spec.strategy`` of a Deployment or ``spec.updateStrategy`` of a StatefulSet/DaemonSet.

    ``type`` has the API default applied (``RollingUpdate``); the bounds are None when absent,
    so a rule can tell "the default" from "written down".
    """

    __slots__ = ("malformed", "max_surge", "max_unavailable", "path", "type", "type_given")

    path: Final[Path]
    type: Final[str]
    type_given: Final[bool]
    max_unavailable: Final[IntOrPercent | None]
    max_surge: Final[IntOrPercent | None]
    malformed: Final[bool]
    """A bound is written but unreadable (GW002): rules must not judge it as its default."""

    def __init__(
        self,
        path: Path,
        type: str,
        type_given: bool,
        max_unavailable: IntOrPercent | None,
        max_surge: IntOrPercent | None,
        malformed: bool = False,
    ) -> None:
        self.path = path
        self.type = type
        self.type_given = type_given
        self.max_unavailable = max_unavailable
        self.max_surge = max_surge
        self.malformed = malformed

    @property
    def type_path(self) -> Path:
        return (*self.path, "type") if self.type_given else self.path

    @property
    def rolling_path(self) -> Path:
        return (*self.path, "rollingUpdate")


def _int_or_percent(res: Resource, parent: Any, ppath: Path, key: str) -> IntOrPercent | None:
    value = get(res, parent, ppath, key, "int-or-string")
    path = (*ppath, key)
    if isinstance(value, int):
        if value < 0:
            field_problem(res, path, f"`{dotted(path)}` must not be negative, not {value}")
            return None
        return IntOrPercent(value, False, path)
    if isinstance(value, str):
        m = _percent_re().fullmatch(value)
        if m is None:
            field_problem(
                res, path, f"`{dotted(path)}` must be an integer or a percentage such as '25%', not {value!r}"
            )
            return None
        return IntOrPercent(int(m.group(1)), True, path)
    return None


def parse_update_strategy(res: Resource, spec: Any) -> UpdateStrategy | None:
    """The update strategy of a Deployment, StatefulSet or DaemonSet; None for other kinds."""
    key = STRATEGY_KEYS.get(res.kind)
    if key is None:
        return None
    path: Path = ("spec", key)
    raw = get(res, spec, ("spec",), key, "mapping") or {}
    stype = get(res, raw, path, "type", "string")
    rolling = get(res, raw, path, "rollingUpdate", "mapping") or {}
    rpath = (*path, "rollingUpdate")
    keys = ("maxUnavailable",) if res.kind == "StatefulSet" else ("maxUnavailable", "maxSurge")
    bounds = {key: _int_or_percent(res, rolling, rpath, key) for key in keys}
    return UpdateStrategy(
        path=path,
        type=stype or "RollingUpdate",
        type_given=stype is not None,
        max_unavailable=bounds["maxUnavailable"],
        max_surge=bounds.get("maxSurge"),
        malformed=any(bounds[key] is None and rolling.get(key) is not None for key in keys),
    )


def parse_min_ready_seconds(res: Resource, spec: Any) -> int | None:
    """``spec.minReadySeconds`` of the kinds that have it; None when absent or malformed."""
    if res.kind not in MIN_READY_KINDS:
        return None
    value: int | None = get(res, spec, ("spec",), "minReadySeconds", "integer")
    return value


def spec_value_given(res: Resource, key: str) -> bool:
    """Whether ``spec.<key>`` is written (not null), so a None read means it was malformed."""
    spec = res.data.get("spec")
    return isinstance(spec, dict) and spec.get(key) is not None
