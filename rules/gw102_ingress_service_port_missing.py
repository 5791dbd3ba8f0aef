"""GW102 ingress-service-port-missing: the backend's Service exists but has no such port.

The Ingress API names the Service port. ingress-nginx also accepts a backend that names
a port's ``targetPort`` (``controller.go``: port, targetPort or name), so that case works
there and nowhere else: a warning about portability, not an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.datapath import Path
from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Edit, Fix, FixAvailability, Related, Rule
from gwlint.index.index import Index
from gwlint.model.ingress import Ingress, IngressBackend
from gwlint.model.service import Service, ServicePort
from gwlint.rules._snippets import answering_snippet


class IngressServicePortMissing(Rule):
    id = "GW102"
    name = "ingress-service-port-missing"
    severity = Severity.ERROR
    summary = "An Ingress backend names a port that its Service does not have"
    tags = ("ingress", "service", "ports")
    fix_availability = FixAvailability.SOMETIMES

    def subjects(self, index: Index) -> Iterable[Ingress]:
        # an Ingress whose nginx snippet answers every request never uses its backends
        return [i for i in index.ingresses if i.is_standard and answering_snippet(i.resource.annotations) is None]

    def check(self, ingress: Ingress, ctx: Context) -> Iterator[Finding]:
        for backend in ingress.backends:
            if backend.port_number is None and backend.port_name is None:
                continue
            # the copies of the Service in the Ingress's file, else every copy the input holds
            copies = ctx.index.services_named(ingress.resource.namespace, backend.service, ingress.resource.doc.file)
            # ExternalName Services have no ports to match: the controller uses the backend's.
            if not copies or any(s.type == "ExternalName" or _matches(s, backend) for s in copies):
                continue
            svc = next((s for s in copies if s.resource.doc.file == ingress.resource.doc.file), copies[0])
            wanted = f"port {backend.port_number}" if backend.port_number is not None else f"port {backend.port_name!r}"
            ports_path: Path = ("spec", "ports") if svc.ports else ("spec",)
            hit = next(((s, sp) for s in copies for sp in s.ports if _is_target(sp, backend)), None)
            if hit is not None:
                svc, target = hit
                yield ctx.finding(
                    ingress.resource,
                    backend.port_path,
                    f"{ingress.resource.display()} sends to {wanted} of {svc.resource.display()}, which is "
                    f"the targetPort of its {_show(target)}: this works on ingress-nginx only, which also "
                    "matches target ports; the Ingress API names the Service port, and other controllers "
                    f"find no such port: write {_fix(target)}",
                    [Related(svc.resource, target.path, f"{_show(target)} of {svc.resource.display()}")],
                    fix=_portable(target, backend),
                    severity=Severity.WARNING,
                )
                continue
            yield ctx.finding(
                ingress.resource,
                backend.port_path,
                f"{ingress.resource.display()} sends to {wanted} of {svc.resource.display()}, which "
                f"has {_describe(svc)}: the controller answers 503{_hint(svc, backend)}",
                [Related(svc.resource, ports_path, f"ports of {svc.resource.display()}")],
                fix=_typo(copies, backend),
            )


def _matches(svc: Service, backend: IngressBackend) -> bool:
    """A number matches a Service port's ``port``, a name its ``name``; never across."""
    if backend.port_number is not None:
        return any(sp.port == backend.port_number for sp in svc.ports)
    return any(sp.name == backend.port_name for sp in svc.ports)


def _is_target(sp: ServicePort, backend: IngressBackend) -> bool:
    """ingress-nginx's extra match: the backend's number or name is the port's targetPort."""
    wanted = backend.port_number if backend.port_number is not None else backend.port_name
    return sp.port is not None and wanted is not None and str(sp.target) == str(wanted)


def _show(sp: ServicePort) -> str:
    return f"port {sp.port}" + (f" ({sp.name})" if sp.name else "")


def _fix(sp: ServicePort) -> str:
    """The portable backend port: the Service port's number (or its name for a named backend)."""
    return f"`port: {{number: {sp.port}}}`" + (f" or `port: {{name: {sp.name}}}`" if sp.name else "")


def _describe(svc: Service) -> str:
    if not svc.ports:
        return "no ports"
    shown = [f"{sp.port}" + (f" ({sp.name})" if sp.name else " (unnamed)") for sp in svc.ports]
    return "port" + ("s " if len(shown) > 1 else " ") + ", ".join(shown)


def _hint(svc: Service, backend: IngressBackend) -> str:
    """Name the usual confusion: a name used for a Service whose ports have none."""
    name = backend.port_name
    if name is not None and svc.ports and all(sp.name is None for sp in svc.ports):
        return " (its ports have no names: refer to one by `number`)"
    return ""


def _portable(target: ServicePort, backend: IngressBackend) -> Fix | None:
    """The Service port itself instead of its targetPort: its number, or its name for a named backend."""
    if backend.port_number is not None and target.port is not None:
        return Fix.safe(f"send to Service port {target.port}", Edit.set(backend.port_path, target.port))
    if backend.port_name is not None and target.name:
        return Fix.safe(f"name Service port {target.name!r}", Edit.set(backend.port_path, target.name))
    return None


def _typo(copies: list[Service], backend: IngressBackend) -> Fix | None:
    """The Service port name one typo away from the backend's, when exactly one is."""
    if backend.port_name is None:
        return None
    from gwlint.core.text import only_typo_of  # for a finding only: not at start-up

    name = only_typo_of(backend.port_name, {sp.name for s in copies for sp in s.ports if sp.name})
    return None if name is None else Fix.safe(f"name Service port {name!r}", Edit.set(backend.port_path, name))
