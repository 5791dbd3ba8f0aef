"""Wording and lookups shared by the probe rules (GW302-GW306).

Kept in one place so that every probe finding describes a kill budget, a port and a
probe node the same way, and so that the rules agree on what "the same port" means.
"""

from __future__ import annotations

from gwlint.core.datapath import Path
from gwlint.model.workloads import Container, Probe


def budget_text(probe: Probe) -> str:
    """A liveness or startup kill budget with the numbers it comes from, for messages."""
    return (
        f"{probe.kill_budget}s (initialDelaySeconds {probe.initial_delay} + periodSeconds {probe.period}"
        f" * failureThreshold {probe.failure_threshold})"
    )


def delay_path(probe: Probe) -> Path:
    """The probe's ``initialDelaySeconds``; the position falls back to the probe key when absent."""
    return (*probe.path, "initialDelaySeconds")


def handler_path(probe: Probe) -> Path:
    """The probe's handler key (``httpGet``, ``exec``, ...), else the probe key itself."""
    return (*probe.path, probe.handler) if probe.handler else probe.path


def resolved_port(container: Container, port: int | str | None) -> int | str | None:
    """A probe port as the kubelet resolves it: a declared name becomes its number.

    The kubelet also accepts a string of digits as a number, so ``"8080"`` is 8080. A name
    the container does not declare stays a name (GW305 reports it).
    """
    if isinstance(port, str) and port.isdigit():
        return int(port)
    number = container.port_number(port)
    return port if number is None else number


def kills_before_ready(container: Container) -> tuple[Probe, Probe] | None:
    """The (liveness, readiness) pair when liveness restarts the container before readiness runs.

    GW303 reports it; GW306 uses it so that the two rules never report the same container.
    """
    live, ready = container.liveness, container.readiness
    if live is None or ready is None or container.startup is not None:
        return None
    return (live, ready) if live.kill_budget <= ready.initial_delay else None


def readiness_retry(ready: Probe) -> int:
    """When the readiness probe has had its first chance and one retry to pass.

    Its first counted probe comes at ``initialDelaySeconds``, and it needs
    ``successThreshold`` passes in a row; one failed try more takes one period more.
    Its ``failureThreshold`` plays no part at start-up: readiness starts as failed and
    stays so, however long the start takes, until it passes.
    """
    return ready.initial_delay + ready.period * ready.success_threshold
