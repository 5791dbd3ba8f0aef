"""Name lookups across the whole run: what a reference to something missing is judged against.

When an Ingress, route or HPA names an object the input lacks, the rules look for the
likely cause: the same name in another namespace, another kind of that name, a name one
typo away, pods labelled with the name. Each table is built on first use, in one pass
over the objects, and shared by every rule of the run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cached_property

from gwlint.model.resource import Resource
from gwlint.model.service import Service
from gwlint.model.workloads import Workload


class NameTables:
    """Services, workloads and objects keyed the ways a near miss can happen."""

    def __init__(
        self, resources: Sequence[Resource], services: Sequence[Service], workloads: Sequence[Workload]
    ) -> None:
        self._resources = resources
        self._services = services
        self._workloads = workloads
        self._typos: dict[str, dict[str, set[str]]] = {}

    @cached_property
    def services_by_name(self) -> dict[str, list[Service]]:
        """Every Service by name, whatever its namespace, in input order."""
        table: dict[str, list[Service]] = defaultdict(list)
        for svc in self._services:
            table[svc.name].append(svc)
        return dict(table)

    @cached_property
    def services_in(self) -> dict[str, list[Service]]:
        """The Services of each namespace, in input order."""
        table: dict[str, list[Service]] = defaultdict(list)
        for svc in self._services:
            table[svc.namespace].append(svc)
        return dict(table)

    @cached_property
    def app_namespaces(self) -> frozenset[str]:
        """Namespaces where the input defines a workload or a Service."""
        return frozenset({w.namespace for w in self._workloads} | {s.namespace for s in self._services})

    @cached_property
    def app_files(self) -> frozenset[tuple[str, str]]:
        """(file, namespace) of every Service and workload: where the input defines apps."""
        return frozenset(
            {(s.resource.doc.file, s.namespace) for s in self._services}
            | {(w.resource.doc.file, w.namespace) for w in self._workloads}
        )

    @cached_property
    def workloads_by_label_value(self) -> dict[tuple[str, str], list[Workload]]:
        """Pod templates by namespace and any of their label values."""
        table: dict[tuple[str, str], list[Workload]] = defaultdict(list)
        for w in self._workloads:
            for value in set(w.labels.values()):
                table[(w.namespace, value)].append(w)
        return dict(table)

    @cached_property
    def by_kind_and_name(self) -> dict[tuple[str, str], list[Resource]]:
        """Objects by kind and name, whatever their namespace."""
        table: dict[tuple[str, str], list[Resource]] = defaultdict(list)
        for res in self._resources:
            table[(res.kind, res.name)].append(res)
        return dict(table)

    @cached_property
    def by_kind_in(self) -> dict[tuple[str, str], list[Resource]]:
        """Objects by kind and namespace."""
        table: dict[tuple[str, str], list[Resource]] = defaultdict(list)
        for res in self._resources:
            table[(res.kind, res.namespace)].append(res)
        return dict(table)

    @cached_property
    def workloads_by_name(self) -> dict[tuple[str, str], list[Workload]]:
        """Pod owners by namespace and name, whatever their kind."""
        table: dict[tuple[str, str], list[Workload]] = defaultdict(list)
        for w in self._workloads:
            table[(w.namespace, w.resource.name)].append(w)
        return dict(table)

    def service_one_edit_away(self, namespace: str, name: str) -> list[str]:
        """Service names of the namespace one typo from ``name`` (an edit or a swap), sorted.

        Names are indexed by their one-character deletions, built only for a namespace
        that is asked about: a lookup costs the length of the name, not the number of
        Services.
        """
        table = self._typos.get(namespace)
        if table is None:
            table = self._typos[namespace] = defaultdict(set)
            for svc in self.services_in.get(namespace, []):
                for variant in _deletions(svc.name):
                    table[variant].add(svc.name)
        return sorted({c for v in _deletions(name) for c in table.get(v, ())})


def _deletions(name: str) -> set[str]:
    """The name and every string one character shorter: two names share one when they
    are one substitution, insertion, deletion or adjacent swap apart."""
    return {name, *(name[:i] + name[i + 1 :] for i in range(len(name)))}
