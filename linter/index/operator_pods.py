"""Operator-made pods and Services: the one definition every rule uses.

An operator turns a custom resource into pods and Services that no object of the input
describes. A Prometheus ``main`` becomes pods labelled ``prometheus: main``; a KubeRay
``RayService`` ``rayllm`` becomes the Service ``rayllm-head-svc``. So a selector or a
Service name that matches nothing in the input may still be satisfied once the operator
runs. The definition, used by GW101, GW103, GW201 and GW502 alike:

- only custom resources whose operator may make pods count (:func:`makes_pods`:
  configuration kinds such as dashboards, alerts and routes make none), in the
  namespace of the reference;
- **pods**: a selector pair whose value is the resource's name, or whose key has a
  domain prefix belonging to the resource's API group (``cnpg.io/cluster`` and
  ``postgresql.cnpg.io``);
- **Services**: the resource's name, or its name followed by ``-`` and a suffix
  (``rayllm`` makes ``rayllm-head-svc``).

Built from the narrow list of such resources (never the index itself), in linear time;
each question is a few dictionary lookups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from gwlint.model.operator_kinds import registrable, related_domains
from gwlint.model.resource import Resource


class OperatorObjects:
    """Per namespace, the pod-making custom resources of the input, by name and by domain."""

    def __init__(self, resources: Iterable[Resource]) -> None:
        """``resources``: custom resources that may make pods and are no pod template owner."""
        self._by_name: dict[tuple[str, str], Resource] = {}
        self._by_domain: dict[tuple[str, str], list[Resource]] = defaultdict(list)
        for res in resources:
            self._by_name.setdefault((res.namespace, res.name), res)
            self._by_domain[(res.namespace, registrable(res.group))].append(res)

    def pods_owner(self, namespace: str, pairs: Iterable[tuple[str, str]]) -> Resource | None:
        """The custom resource whose operator probably creates the pods these label pairs select."""
        for key, value in pairs:
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

    def service_owner(self, namespace: str, name: str) -> Resource | None:
        """The custom resource whose operator probably creates the Service of that name."""
        parts = name.split("-")
        for i in range(len(parts), 0, -1):
            res = self._by_name.get((namespace, "-".join(parts[:i])))
            if res is not None:
                return res
        return None
