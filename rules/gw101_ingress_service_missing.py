"""GW101 ingress-service-missing: an Ingress backend names a Service that is not in the input."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Edit, Fix, FixAvailability, Related, Rule
from gwlint.index.index import Index
from gwlint.model.ingress import Ingress, IngressBackend
from gwlint.model.service import Service
from gwlint.rules._incomplete import lowered
from gwlint.rules._snippets import answering_snippet


class IngressServiceMissing(Rule):
    id = "GW101"
    name = "ingress-service-missing"
    severity = Severity.ERROR
    summary = "An Ingress backend names a Service that is not in the input"
    tags = ("ingress", "service")
    fix_availability = FixAvailability.SOMETIMES

    def subjects(self, index: Index) -> Iterable[Ingress]:
        return [i for i in index.ingresses if i.is_standard]

    def check(self, ingress: Ingress, ctx: Context) -> Iterator[Finding]:
        ns = ingress.resource.namespace
        if ns not in ctx.index.names.app_namespaces:
            return  # the input holds nothing of this namespace: the app is deployed elsewhere
        if answering_snippet(ingress.resource.annotations) is not None:
            return  # nginx answers every request itself: the backends are placeholders
        for backend in ingress.backends:
            name = backend.service
            if ctx.index.service(ns, name) is not None:
                continue
            if ctx.index.operator_service_owner(ns, name) is not None:
                continue  # an operator creates Services named after its resource (``kibana-kb-http``)
            hint, related = _hint(ctx.index, ns, backend)
            severity, incomplete = lowered(ctx.index, ns)
            yield ctx.finding(
                ingress.resource,
                backend.path,
                f"{ingress.resource.display()} sends to Service {name!r}, which is not in namespace "
                f"{ns!r} of the input: the controller answers 503{hint}{incomplete}",
                related,
                severity,
                fix=None if incomplete else _fix(ctx.index, ns, backend),
            )


def _hint(index: Index, namespace: str, backend: IngressBackend) -> tuple[str, list[Related]]:
    """A likely cause: the Service lives in another namespace, or the name has a typo."""
    names = index.names
    elsewhere = [s for s in names.services_by_name.get(backend.service, []) if s.namespace != namespace]
    if elsewhere:
        svc = elsewhere[0]
        return (
            f" (a Service of that name is in namespace {svc.namespace!r}, but an Ingress only "
            "reaches Services in its own namespace)",
            [Related(svc.resource, ("metadata", "name"), f"{svc.resource.display()} (other namespace)")],
        )
    candidates = names.service_one_edit_away(namespace, backend.service)
    if not candidates:
        return "", []
    import difflib  # only for a hint: most runs never need it, and it costs start-up time

    close = max(candidates, key=lambda c: difflib.SequenceMatcher(None, backend.service, c).ratio())
    similar = next(s for s in names.services_by_name[close] if s.namespace == namespace)
    return f" (did you mean {close!r}?)", [
        Related(similar.resource, ("metadata", "name"), f"similar Service: {similar.resource.display()}")
    ]


def _fix(index: Index, namespace: str, backend: IngressBackend) -> Fix | None:
    """The Service of the namespace evidently meant: the only name one typo away, with the backend's port."""
    if index.names.services_by_name.get(backend.service):
        return None  # a Service of that name in another namespace: which to change is the author's call
    from gwlint.core.text import only_typo_of  # for a finding only: not at start-up

    name = only_typo_of(backend.service, index.names.service_one_edit_away(namespace, backend.service))
    svc = None if name is None else index.service(namespace, name)
    if name is None or svc is None or not _has_port(svc, backend):
        return None
    return Fix.safe(f"send to Service {name!r}", Edit.set(backend.path, name))


def _has_port(svc: Service, backend: IngressBackend) -> bool:
    """Whether the Service has the port the backend names (a number by ``port``, a name by ``name``)."""
    if backend.port_number is not None:
        return any(sp.port == backend.port_number for sp in svc.ports)
    if backend.port_name is not None:
        return any(sp.name == backend.port_name for sp in svc.ports)
    return True
