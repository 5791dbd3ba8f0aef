"""GW101 ingress-service-missing: an Ingress backend names a Service that is not in the input."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Related, Rule
from gwlint.index.index import Index
from gwlint.model.ingress import Ingress, IngressBackend
from gwlint.model.resource import Resource
from gwlint.model.service import Service


def is_custom_resource(res: Resource) -> bool:
    """An object of a third-party API group (``kibana.k8s.elastic.co``), i.e. an operator's."""
    return "." in res.group and not res.group.endswith(".k8s.io")


class IngressServiceMissing(Rule):
    id = "GW101"
    name = "ingress-service-missing"
    severity = Severity.ERROR
    summary = "An Ingress backend names a Service that is not in the input"
    tags = ("ingress", "service")

    def subjects(self, index: Index) -> Iterable[Ingress]:
        # What a missing name is judged against, built once per run.
        self._by_name: dict[str, list[Service]] = defaultdict(list)
        self._names_in: dict[str, list[str]] = defaultdict(list)
        self._known: set[str] = {w.namespace for w in index.workloads}
        self._custom: dict[str, list[str]] = defaultdict(list)
        self._typo_tables: dict[str, dict[str, set[str]]] = {}
        for svc in index.services:
            self._by_name[svc.name].append(svc)
            self._names_in[svc.namespace].append(svc.name)
            self._known.add(svc.namespace)
        for res in index.resources:
            if is_custom_resource(res) and index.workload_of(res) is None:
                self._custom[res.namespace].append(res.name)
        return [i for i in index.ingresses if i.is_standard]

    def check(self, ingress: Ingress, ctx: Context) -> Iterator[Finding]:
        ns = ingress.resource.namespace
        if ns not in self._known:
            return  # the input holds nothing of this namespace: the app is deployed elsewhere
        for backend in ingress.backends:
            name = backend.service
            if ctx.index.service(ns, name) is not None:
                continue
            if any(name == cr or name.startswith(cr + "-") for cr in self._custom.get(ns, [])):
                continue  # an operator creates Services named after its resource (``kibana-kb-http``)
            hint, related = self._hint(ns, backend)
            yield ctx.finding(
                ingress.resource,
                backend.path,
                f"{ingress.resource.display()} sends to Service {name!r}, which is not in namespace "
                f"{ns!r} of the input: the controller answers 503{hint}",
                related,
            )

    def _hint(self, namespace: str, backend: IngressBackend) -> tuple[str, list[Related]]:
        """A likely cause: the Service lives in another namespace, or the name has a typo."""
        elsewhere = [s for s in self._by_name.get(backend.service, []) if s.namespace != namespace]
        if elsewhere:
            svc = elsewhere[0]
            return (
                f" (a Service of that name is in namespace {svc.namespace!r}, but an Ingress only "
                "reaches Services in its own namespace)",
                [Related(svc.resource, ("metadata", "name"), f"{svc.resource.display()} (other namespace)")],
            )
        close = self._close_name(namespace, backend.service)
        if close is None:
            return "", []
        similar = next(s for s in self._by_name[close] if s.namespace == namespace)
        return f" (did you mean {close!r}?)", [
            Related(similar.resource, ("metadata", "name"), f"similar Service: {similar.resource.display()}")
        ]

    def _close_name(self, namespace: str, name: str) -> str | None:
        """A Service name of the namespace one typo away (an edit or a swap), if any.

        Names are indexed by their one-character deletions, built only for a namespace
        that has a missing backend: a lookup costs the length of the name, not the
        number of Services.
        """
        table = self._typo_tables.get(namespace)
        if table is None:
            table = self._typo_tables[namespace] = defaultdict(set)
            for known in self._names_in.get(namespace, []):
                for variant in _deletions(known):
                    table[variant].add(known)
        candidates = sorted({c for v in _deletions(name) for c in table.get(v, ())})
        if not candidates:
            return None
        return max(candidates, key=lambda c: difflib.SequenceMatcher(None, name, c).ratio())


def _deletions(name: str) -> set[str]:
    """The name and every string one character shorter: two names share one when they
    are one substitution, insertion, deletion or adjacent swap apart."""
    return {name, *(name[:i] + name[i + 1 :] for i in range(len(name)))}
