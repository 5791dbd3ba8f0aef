"""Which operator object probably makes the pods a selector names, built once per run.

The answer joins a selector with every custom resource of its namespace, so it lives in
the index beside the other cross-object edges.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING

from gwlint.model.operator_kinds import makes_pods, registrable, related_domains
from gwlint.model.resource import Resource

if TYPE_CHECKING:
    from gwlint.index.index import Index


class OperatorPods:
    """Per namespace, the pod-making custom resources of the input, by name and by domain.

    Built once per run in linear time; each question is a few dictionary lookups.
    """

    def __init__(self, index: Index) -> None:
        self._by_name: dict[tuple[str, str], Resource] = {}
        self._by_domain: dict[tuple[str, str], list[Resource]] = defaultdict(list)
        for res in index.resources:
            if makes_pods(res) and index.workload_of(res) is None:
                self._by_name.setdefault((res.namespace, res.name), res)
                self._by_domain[(res.namespace, registrable(res.group))].append(res)

    def owner(self, namespace: str, selector: Mapping[str, str]) -> Resource | None:
        """The custom resource whose operator probably creates the selected pods, if any.

        A selector value that is the resource's name, or a key whose domain prefix
        belongs to the resource's API group.
        """
        for key, value in selector.items():
            res = self._by_name.get((namespace, value))
            if res is not None:
                return res
            domain, slash, _ = key.rpartition("/")
            if not slash or "." not in domain:
                continue
            for res in self._by_domain.get((namespace, registrable(domain)), []):
                if related_domains(domain, res.group):
                    return res
        return None
