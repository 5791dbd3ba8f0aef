"""GW101 ingress-service-missing: an Ingress backend names a Service that is not in the input."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Iterator

from gwlint.findings import Finding, Severity
from gwlint.index import Index
from gwlint.model import Resource
from gwlint.rule import Context, Related, Rule
from gwlint.services import Ingress, IngressBackend, Service


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
        close = difflib.get_close_matches(backend.service, self._names_in.get(namespace, []), n=1, cutoff=0.75)
        if not close:
            return "", []
        similar = next(s for s in self._by_name[close[0]] if s.namespace == namespace)
        return f" (did you mean {close[0]!r}?)", [
            Related(similar.resource, ("metadata", "name"), f"similar Service: {similar.resource.display()}")
        ]
