"""Serving: which workloads get proxied client traffic, and which of their containers receive it.

The probe, termination and rollout rules (GW301-GW306, GW401-GW406, GW408, GW501) judge
only what serves: a pod owner whose pods get client traffic through a Service, and
within it the containers that traffic reaches. The definition (the rule docs quote it):

- A Service **carries client traffic** when it selects pods (a selector, not
  ``ExternalName``) and either an Ingress or a Gateway API route sends to it, or it is
  has a port that is not a monitoring port (named ``metrics``, ``http-metrics``,
  ``telemetry``, ``prometheus``, ...: a Service that exists for Prometheus to scrape)
  and is not a headless placeholder. A headless Service that no Ingress or route uses
  carries traffic when the pods declare ports or say they listen on one of its ports
  (clients dial the pods directly: databases, client-side load balancing); one without
  ports, or in front of pods that declare none and listen on none of its ports, only
  gives its pods DNS names.
- A **serving workload** is a pod owner (not a Job or CronJob) selected by such a Service.
  A documented singleton (one replica, ``Recreate``, a ReadWriteOnce volume) serves all
  the same: its findings are true, and a suppression with a reason records the choice.
- Its **serving containers** are, for each port such a Service targets, the containers
  that declare the port (by number or name, native sidecars included); failing that, the
  containers that say they listen on its number (a probe on it, the number in their
  command, args, env or ConfigMaps); failing that, the containers that declare any port
  (the listeners the manifest names: a typo in the target meant one of them), and when
  none declares a port, every regular container except those bound to the loopback
  address (``--address=127.0.0.1``), which no Service reaches. A typo in a target port
  never switches the probe and termination rules off, and a port-less sidecar (a log
  shipper) never becomes serving because of one.
"""

from __future__ import annotations

from collections.abc import Iterable

from gwlint.index.service_ports import ConfigMapLookup, listens_on, loopback_only
from gwlint.model.service import Service, ServicePort
from gwlint.model.workloads import Container, Workload

MONITORING_WORDS = frozenset({"metrics", "telemetry", "prometheus", "prom", "monitoring", "exporter"})
"""Words of a port name (between ``-`` and ``_``) that mark it as scraped, not proxied."""


def is_monitoring_port(sp: ServicePort) -> bool:
    """A port named for metrics or telemetry (its name or its named target): scraped, not proxied."""
    names = [n for n in (sp.name, sp.target if isinstance(sp.target, str) else None) if n]
    return any(word in MONITORING_WORDS for n in names for word in n.lower().replace("_", "-").split("-"))


def carries_client_traffic(svc: Service, proxied: bool, w: Workload, config_map: ConfigMapLookup) -> bool:
    """Whether a pod-selecting Service makes the pods of ``w`` serving (see the module doc)."""
    if not svc.selects_pods:
        return False
    if proxied:
        return True
    if svc.ports and all(is_monitoring_port(sp) for sp in svc.ports):
        return False
    if svc.headless:  # a placeholder gives DNS names to pods that listen on none of its ports
        return bool(svc.ports) and (
            any(c.ports for c in w.port_owners) or any(_tied(w, sp, config_map) for sp in svc.ports)
        )
    return True


def serving_containers(w: Workload, services: Iterable[Service], config_map: ConfigMapLookup) -> list[Container]:
    """The containers of ``w`` that the traffic of ``services`` reaches (see the module doc)."""
    result: list[Container] = []
    untied = False
    for svc in services:
        for sp in svc.ports:
            tied = _tied(w, sp, config_map)
            if not tied:
                untied = True
            result.extend(c for c in tied if c not in result)
    if untied:
        declaring = [c for c in w.port_owners if c.ports]
        fallback = declaring or [c for c in w.containers if not loopback_only(c)] or w.containers
        result.extend(c for c in fallback if c not in result)
    return result


def _tied(w: Workload, sp: ServicePort, config_map: ConfigMapLookup) -> list[Container]:
    target = sp.target
    if isinstance(target, str):
        return [c for c in w.port_owners if any(p.name == target for p in c.ports)]
    if not isinstance(target, int):
        return []
    declared = [c for c in w.port_owners if any(p.number == target for p in c.ports)]
    return declared or [c for c in w.port_owners if listens_on(w, c, target, config_map)]
