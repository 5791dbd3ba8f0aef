"""GW601 networkpolicy-blocks-service: NetworkPolicies isolate a Service's pods and admit none of its traffic."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Final

from gwlint.core.findings import Finding, ResourceId, Severity
from gwlint.core.records import Frozen, Value
from gwlint.engine.api import Context, Related, Rule
from gwlint.index.index import Index
from gwlint.model.netpol import NetworkPolicy
from gwlint.model.service import Service, ServicePort
from gwlint.model.workloads import Workload

_LABELS_SCHEMA = {"type": "object", "additionalProperties": {"type": "string"}}


class Controller(Frozen):
    """The ingress controller's labels from config; None means "unknown, may match anything"."""

    __slots__ = ("namespace_labels", "pod_labels")

    namespace_labels: Final[Mapping[str, str] | None]
    pod_labels: Final[Mapping[str, str] | None]

    def __init__(self, namespace_labels: Mapping[str, str] | None, pod_labels: Mapping[str, str] | None) -> None:
        self.namespace_labels = namespace_labels
        self.pod_labels = pod_labels


class Blocked(Value):
    """A pod template whose policies admit no traffic to one Service port."""

    __slots__ = ("number", "policies", "workload")

    workload: Workload
    number: int | None
    policies: list[NetworkPolicy]

    def __init__(self, workload: Workload, number: int | None, policies: list[NetworkPolicy]) -> None:
        self.workload = workload
        self.number = number
        self.policies = policies


class NetworkPolicyBlocksService(Rule):
    id = "GW601"
    name = "networkpolicy-blocks-service"
    severity = Severity.ERROR
    summary = "NetworkPolicies isolate a Service's pods and no ingress rule admits its target port"
    tags = ("networkpolicy", "service")
    options_schema = {
        "ingress-controller": {
            "type": "object",
            "description": "Labels of the ingress controller's namespace and pods; with them, only rules "
            "that may admit the controller count for Services behind an Ingress or route.",
            "properties": {"namespace-labels": _LABELS_SCHEMA, "pod-labels": _LABELS_SCHEMA},
            "additionalProperties": False,
        }
    }

    def subjects(self, index: Index) -> Iterable[Service]:
        if not index.network_policies:
            return []
        return [s for s in index.services if s.selects_pods]

    def check(self, svc: Service, ctx: Context) -> Iterator[Finding]:
        assert svc.selector is not None
        controller = _controller(ctx.option("ingress-controller"))
        if controller is not None and not ctx.index.is_proxied(svc):
            controller = None  # only proxied Services must admit the controller
        blocked: dict[int, list[Blocked]] = {}
        # an object repeated in the input is one object in the cluster: the later copy wins
        for w in {w.resource.id: w for w in ctx.index.service_pods(svc)}.values():
            policies = [p for p in ctx.index.policies_for(w) if p.isolates_ingress]
            if w.is_batch or not policies:
                continue
            for sp in svc.ports:
                target = _pod_port(w, sp)
                if target is None:
                    continue
                number, names = target
                if not any(
                    rule.admits_port(sp.protocol, number, names)
                    and (
                        controller is None
                        or rule.may_admit(p.namespace, controller.pod_labels, controller.namespace_labels)
                    )
                    for p in policies
                    for rule in p.ingress
                ):
                    blocked.setdefault(sp.index, []).append(Blocked(w, number, policies))
        for sp in svc.ports:
            if sp.index in blocked:
                yield _finding(svc, sp, blocked[sp.index], controller, ctx.index.is_proxied(svc), ctx)


def _controller(option: Mapping[str, Mapping[str, str]] | None) -> Controller | None:
    """The ``ingress-controller`` option (already checked against the schema above), if set."""
    if option is None:
        return None
    return Controller(option.get("namespace-labels"), option.get("pod-labels"))


def _pod_port(w: Workload, sp: ServicePort) -> tuple[int | None, frozenset[str]] | None:
    """The pod port a Service port targets: its number (None if unknown) and its port names.

    None when a named target is not declared by the template (GW203 reports that).
    """
    declared = [p for c in w.port_owners for p in c.ports if p.protocol == sp.protocol]
    if isinstance(sp.target, int):
        number = sp.target
    elif isinstance(sp.target, str):
        named = [p.number for p in declared if p.name == sp.target]
        if not named:
            return None
        number = named[0]
    else:
        return None
    return number, frozenset(p.name for p in declared if p.number == number and p.name)


def _finding(
    svc: Service,
    sp: ServicePort,
    blocked: list[Blocked],
    controller: Controller | None,
    proxied: bool,
    ctx: Context,
) -> Finding:
    policies: dict[ResourceId, NetworkPolicy] = {}
    for b in blocked:
        for p in b.policies:
            policies.setdefault(p.resource.id, p)
    numbers = sorted({b.number for b in blocked if b.number is not None})
    target = f"{sp.protocol} {', '.join(map(str, numbers))}" if numbers else f"{sp.protocol} {sp.target}"
    who = " from the ingress controller" if controller else ""
    names = ", ".join(p.display() for p in policies.values())
    pods = ", ".join(b.workload.display() for b in blocked)
    message = (
        f"{svc.resource.display()} {sp.describe()} (target {target}) is blocked for the pods of {pods}: "
        f"{names} isolate{'s' if len(policies) == 1 else ''} them and no ingress rule admits {target}{who}; "
        "connections through the Service time out"
        + (" (504 at the Ingress or Gateway in front of it)" if proxied else "")
    )
    related = [Related(p.resource, p.anchor, _admits(p, controller)) for p in policies.values()]
    linted = [p for p in policies.values() if not p.resource.context_only]
    if svc.resource.context_only and linted:
        # Only policies are linted (a pre-commit run with the Service as --context): report
        # on the first of them, or the finding would be dropped with the context file.
        first = linted[0]
        related = [
            Related(svc.resource, sp.target_path, f"blocked: {svc.resource.display()} {sp.describe()}"),
            *(r for r in related if r.resource is not first.resource),
        ]
        return ctx.finding(first.resource, first.anchor, message, related)
    return ctx.finding(svc.resource, sp.target_path, message, related)


def _admits(policy: NetworkPolicy, controller: Controller | None) -> str:
    """What a policy does let in, for the related location."""
    rules = policy.ingress
    if controller is not None:
        rules = [r for r in rules if r.may_admit(policy.namespace, controller.pod_labels, controller.namespace_labels)]
    who = " from the ingress controller" if controller else ""
    if not rules:
        return f"{policy.display()} admits no ingress{who}"
    ports = sorted({p.describe() for rule in rules for p in rule.ports})
    return f"{policy.display()} admits only {', '.join(ports)}{who}"
