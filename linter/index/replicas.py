"""The fewest pods a workload runs: its replicas, or the lowest ``minReplicas`` of its HPAs.

An edge between objects (a workload and the autoscalers that target it): the index
answers it (:meth:`gwlint.index.index.Index.replica_floor`), so the PDB and replica
rules all read the same floor. This module only does the arithmetic, given the HPAs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from gwlint.core.records import Frozen
from gwlint.model.hpa import HorizontalPodAutoscaler
from gwlint.model.rollout import spec_value_given
from gwlint.model.workloads import REPLICATED_KINDS, Workload


class ReplicaFloor(Frozen):
    """The fewest pods a workload runs, and the HPA that sets it when one targets the workload."""

    __slots__ = ("count", "hpa")

    count: Final[int]
    hpa: Final[HorizontalPodAutoscaler | None]

    def __init__(self, count: int, hpa: HorizontalPodAutoscaler | None) -> None:
        self.count = count
        self.hpa = hpa

    def describe(self) -> str:
        """``3 replicas``, or ``2 replicas (the minReplicas of HorizontalPodAutoscaler web)``."""
        text = f"{self.count} replica{'s' if self.count != 1 else ''}"
        if self.hpa is None:
            return text
        return f"{text} (the minReplicas of HorizontalPodAutoscaler {self.hpa.resource.name})"


def replica_floor(workload: Workload, hpas: Sequence[HorizontalPodAutoscaler]) -> ReplicaFloor | None:
    """The replica count the rollout and disruption rules judge a workload by, given its HPAs.

    When HPAs target the workload they own its scale and never go below ``minReplicas``
    (``spec.replicas`` is overwritten), so the smallest ``minReplicas`` is the count; else
    ``spec.replicas`` with its default 1. None for kinds without a count (DaemonSet, Pod).
    """
    if hpas:
        lowest = min(hpas, key=lambda h: h.min_replicas)
        return ReplicaFloor(lowest.min_replicas, lowest)
    if workload.kind not in REPLICATED_KINDS:
        return None
    if workload.replicas is None and spec_value_given(workload.resource, "replicas"):
        return None  # malformed: GW002 reports it, the rules skip it
    return ReplicaFloor(1 if workload.replicas is None else workload.replicas, None)
