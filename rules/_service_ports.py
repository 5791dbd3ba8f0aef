"""The base of the rules that judge a pod-selecting Service against the workloads behind it."""

from __future__ import annotations

from collections.abc import Iterable

from gwlint.engine.api import Rule
from gwlint.index.index import Index
from gwlint.model.service import Service


class ServicePortRule(Rule):
    """Base of the rules that judge a pod-selecting Service against the workloads behind it.

    Their subjects are the Services whose ports carry traffic
    (:meth:`~gwlint.index.index.Index.traffic_services`); :meth:`check` asks the index
    for the workloads behind each (:meth:`~gwlint.index.index.Index.backend_groups`),
    which it builds once per run for every rule.
    """

    def subjects(self, index: Index) -> Iterable[Service]:
        return index.traffic_services()
