"""The base of the rules that judge a pod-selecting Service against the workloads behind it."""

from __future__ import annotations

from collections.abc import Iterable

from gwlint.engine.api import Rule
from gwlint.index.index import Index
from gwlint.index.service_ports import ServiceBackends
from gwlint.model.service import Service


class ServicePortRule(Rule):
    """Base of the rules that judge a pod-selecting Service against the workloads behind it.

    The backends table is built once per run in :meth:`subjects` and shared by every
    :meth:`check` call of the rule, so each rule pays one pass over the input.
    """

    _backends: ServiceBackends

    def subjects(self, index: Index) -> Iterable[Service]:
        self._backends = ServiceBackends(index)
        return self._backends.proxied_or_not_headless()
