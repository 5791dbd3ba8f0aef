"""GW102 ingress-service-port-missing: the backend's Service exists but has no such port."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.datapath import Path
from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Related, Rule
from gwlint.index.index import Index
from gwlint.model.ingress import Ingress, IngressBackend
from gwlint.model.service import Service


class IngressServicePortMissing(Rule):
    id = "GW102"
    name = "ingress-service-port-missing"
    severity = Severity.ERROR
    summary = "An Ingress backend names a port that its Service does not have"
    tags = ("ingress", "service", "ports")

    def subjects(self, index: Index) -> Iterable[Ingress]:
        return [i for i in index.ingresses if i.is_standard]

    def check(self, ingress: Ingress, ctx: Context) -> Iterator[Finding]:
        for backend in ingress.backends:
            if backend.port_number is None and backend.port_name is None:
                continue
            # every copy of a Service the input repeats (GW003), not just the first
            copies = ctx.index.names.service_copies.get((ingress.resource.namespace, backend.service), [])
            # ExternalName Services have no ports to match: the controller uses the backend's.
            if not copies or any(s.type == "ExternalName" or _matches(s, backend) for s in copies):
                continue
            svc = next((s for s in copies if s.resource.doc.file == ingress.resource.doc.file), copies[0])
            wanted = f"port {backend.port_number}" if backend.port_number is not None else f"port {backend.port_name!r}"
            ports_path: Path = ("spec", "ports") if svc.ports else ("spec",)
            yield ctx.finding(
                ingress.resource,
                backend.port_path,
                f"{ingress.resource.display()} sends to {wanted} of {svc.resource.display()}, which "
                f"has {_describe(svc)}: the controller answers 503{_hint(svc, backend)}",
                [Related(svc.resource, ports_path, f"ports of {svc.resource.display()}")],
            )


def _matches(svc: Service, backend: IngressBackend) -> bool:
    """A number matches a Service port's ``port``, a name its ``name``; never across."""
    if backend.port_number is not None:
        return any(sp.port == backend.port_number for sp in svc.ports)
    return any(sp.name == backend.port_name for sp in svc.ports)


def _describe(svc: Service) -> str:
    if not svc.ports:
        return "no ports"
    shown = [f"{sp.port}" + (f" ({sp.name})" if sp.name else " (unnamed)") for sp in svc.ports]
    return "port" + ("s " if len(shown) > 1 else " ") + ", ".join(shown)


def _hint(svc: Service, backend: IngressBackend) -> str:
    """Name the usual confusions: a container port given for a Service port, or a name for a number."""
    number, name = backend.port_number, backend.port_name
    for sp in svc.ports:
        target = number if number is not None else name
        if sp.target_given and sp.target == target and sp.port is not None:
            return f" ({target!r} is the targetPort of Service port {sp.port}; a backend names the Service port)"
    if name is not None and svc.ports and all(sp.name is None for sp in svc.ports):
        return " (its ports have no names: refer to one by `number`)"
    return ""
