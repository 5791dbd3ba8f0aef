"""Where a Service's ports land: the pod templates behind it and their matching container ports.

GW202, GW203 and GW204 ask the same questions of one Service port: which pod templates
does the Service send to, and which container port of each template is the target?
Answering them here keeps the three rules consistent with each other, so that one
mistake is reported by exactly one of them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from gwlint.core.datapath import Path
from gwlint.core.records import Value
from gwlint.model.configmap import ConfigMap
from gwlint.model.service import ServicePort
from gwlint.model.workloads import Container, ContainerPort, Workload

_PORT_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


def is_port_name(text: str) -> bool:
    """Whether ``text`` is a valid port name (IANA_SVC_NAME).

    Anything else (``${PORT}``, ``PORT``) is a template placeholder or a value the API
    server rejects, never a name that a pod could declare. At most 15 lower-case letters,
    digits and inner hyphens, one letter at least, no two hyphens in a row.
    """
    return (
        0 < len(text) <= 15
        and text[0] != "-"
        and text[-1] != "-"
        and "--" not in text
        and set(text) <= _PORT_NAME_CHARS
        and any(ch.isalpha() for ch in text)
    )


class TargetMatch(Value):
    """How one workload (all its copies) answers one Service port's target.

    ``exact``: container ports with the target number (or name) and the Service port's
    protocol; ``other_protocol``: the same number (or name) with another protocol.
    """

    __slots__ = ("exact", "other_protocol", "workload")

    workload: Workload
    exact: list[tuple[Container, ContainerPort]]
    other_protocol: list[tuple[Container, ContainerPort]]

    def __init__(
        self,
        workload: Workload,
        exact: list[tuple[Container, ContainerPort]] | None = None,
        other_protocol: list[tuple[Container, ContainerPort]] | None = None,
    ) -> None:
        self.workload = workload
        self.exact = [] if exact is None else exact
        self.other_protocol = [] if other_protocol is None else other_protocol

    @property
    def found(self) -> bool:
        """Whether the template has the target at all, whatever its protocol."""
        return bool(self.exact or self.other_protocol)


def match_target(copies: list[Workload], sp: ServicePort) -> TargetMatch:
    """The container ports of a workload's copies that ``sp``'s target (number or name) designates.

    Regular containers and native sidecars own ports; ordinary init containers do not,
    because they have exited before the pod becomes ready.
    """
    match = TargetMatch(copies[0])
    for w in copies:
        for c in w.port_owners:
            for p in c.ports:
                if (isinstance(sp.target, int) and p.number == sp.target) or (
                    isinstance(sp.target, str) and p.name == sp.target
                ):
                    (match.exact if p.protocol == sp.protocol else match.other_protocol).append((c, p))
    return match


ConfigMapLookup = Callable[[str], ConfigMap | None]
"""Finds a ConfigMap of the workload's namespace by name."""


@functools.cache
def _token_re() -> re.Pattern[str]:
    return re.compile(r"[^\s=,:/;\"'@]+")


def listens_on(w: Workload, c: Container, number: int, config_map: ConfigMapLookup) -> bool:
    """Whether something about container ``c`` says it listens on ``number``.

    A probe on that port, the number in its command, args or env values
    (``--port=8443``, ``LISTEN=:8443``), or in a ConfigMap it mounts, imports, or names
    in its args or env (an app that reads its configuration by name through the API).
    """
    pattern = re.compile(rf"(?<![0-9]){number}(?![0-9])")
    if any(p is not None and isinstance(p.port, int) and p.port == number for p in c.probes.values()):
        return True
    texts = (*c.argv, *c.env_values)
    if any(pattern.search(text) for text in texts):
        return True
    names = [*w.config_maps_of(c), *(token for text in texts for token in _token_re().findall(text))]
    for name in dict.fromkeys(names):
        cm = config_map(name)
        if cm is not None and any(pattern.search(text) for text in cm.data.values()):
            return True
    return False


def may_listen_undeclared(w: Workload, number: int, config_map: ConfigMapLookup) -> bool:
    """Whether the template gives reason to think it listens on ``number`` without declaring it.

    Declared ports are informational: a numeric targetPort reaches the pod whatever it
    declares. They are trusted as the list of listening ports unless the template
    declares none at all, or some container says it listens on the number
    (:func:`listens_on`). A container that declares no port (a log shipper next to the
    app) is no evidence by itself: only what it says about the number counts.
    """
    owners = w.port_owners
    if not any(c.ports for c in owners):
        return True
    return any(listens_on(w, c, number, config_map) for c in owners)


@functools.cache
def _loopback_re() -> re.Pattern[str]:
    return re.compile(
        r"(?:^|[\s-])[\w-]*(?:addr|address|bind|listen|host)[\w-]*(?:=|\s+)['\"]?(?:127\.0\.0\.1|localhost|\[?::1\]?)(?![\w.])",
        re.IGNORECASE,
    )


def loopback_only(c: Container) -> bool:
    """Whether the container's command or args bind it to the loopback address (``--address=127.0.0.1``).

    A database or auth proxy next to the app that only the app talks to, over
    ``localhost``: no Service traffic can reach it.
    """
    return bool(_loopback_re().search(" ".join(c.argv)))


def declared_ports(workload: Workload) -> str:
    """The ports a template declares, for messages: ``8080/TCP (http), 9090/TCP``."""
    shown = []
    for c in workload.port_owners:
        for p in c.ports:
            shown.append(f"{p.number}/{p.protocol}" + (f" ({p.name})" if p.name else ""))
    return ", ".join(shown) or "no ports"


def ports_path(workload: Workload) -> Path:
    """The node to show as the other side of a port finding: the first declared ``ports``."""
    for c in workload.port_owners:
        if c.ports:
            return (*c.path, "ports")
    owners = workload.port_owners
    return owners[0].name_path if owners else workload.spec_path
