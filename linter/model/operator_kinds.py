"""Custom resources from which an operator creates pods that no pod template in the input describes.

A Prometheus ``main`` becomes pods labelled ``prometheus: main``; an Elasticsearch
``logs`` becomes pods labelled ``elasticsearch.k8s.elastic.co/cluster-name: logs``.
A Service that selects such pods selects something that exists once the operator runs,
though no template in the input has those labels. Configuration-only custom resources
(dashboards, alerts, scrape configs) make no pods.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gwlint.model.resource import Resource, is_operator_object

if TYPE_CHECKING:
    pass

CONFIG_ONLY_GROUPS = frozenset(
    {
        "networking.istio.io", "security.istio.io", "telemetry.istio.io", "extensions.istio.io",
        "cert-manager.io", "acme.cert-manager.io", "trust.cert-manager.io",
        "split.smi-spec.io", "specs.smi-spec.io", "access.smi-spec.io",
        "linkerd.io", "policy.linkerd.io", "gateway.envoyproxy.io", "gateway.nginx.org",
        "monitoring.googleapis.com", "monitoring.gke.io", "cloud.google.com", "networking.gke.io",
        "net.gke.io", "networking.x-k8s.io", "inference.networking.x-k8s.io", "kueue.x-k8s.io",
        "keda.sh", "http.keda.sh", "external-secrets.io", "bitnami.com", "traefik.io",
        "traefik.containo.us", "configuration.konghq.com", "projectcontour.io", "getambassador.io",
        "k8s.nginx.org", "constraints.gatekeeper.sh", "templates.gatekeeper.sh",
    }
)  # fmt: skip


"""API groups whose every kind is configuration: policies, routes, certificates, monitors."""


CONFIG_ONLY_KINDS = frozenset(
    ("monitoring.coreos.com", kind)
    for kind in ("ServiceMonitor", "PodMonitor", "PrometheusRule", "Probe", "ScrapeConfig", "AlertmanagerConfig")
)


"""Configuration kinds of groups that also have pod-making kinds (Prometheus, Alertmanager)."""


SHARED_DOMAINS = frozenset(
    {
        "k8s.io", "x-k8s.io", "kubernetes.io", "github.io", "github.com", "gitlab.io",
        "google.com", "googleapis.com", "amazonaws.com", "azure.com", "openshift.io",
    }
)  # fmt: skip


"""Registrable domains that many unrelated projects share: only an exact suffix relates two names."""


_SECOND_LEVEL = frozenset({"co", "com", "net", "org", "ac", "gov", "edu", "ne", "or"})


def makes_pods(res: Resource) -> bool:
    """A custom resource whose operator may create pods (not a known configuration kind)."""
    return (
        is_operator_object(res)
        and res.group not in CONFIG_ONLY_GROUPS
        and (res.group, res.kind) not in CONFIG_ONLY_KINDS
    )


def registrable(domain: str) -> str:
    """The registrable part of a DNS name: ``elastic.co`` for ``common.k8s.elastic.co``.

    Two labels, or three under a country's second level (``example.co.uk``).
    """
    labels = domain.split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def related_domains(key_domain: str, group: str) -> bool:
    """Whether a label key's prefix and an API group belong to one project.

    One is a suffix of the other (``cnpg.io`` and ``postgresql.cnpg.io``), or both share
    a registrable domain that is not a shared one (``common.k8s.elastic.co`` and
    ``elasticsearch.k8s.elastic.co``).
    """
    if key_domain == group or group.endswith("." + key_domain) or key_domain.endswith("." + group):
        return True
    shared = registrable(key_domain)
    return shared == registrable(group) and shared not in SHARED_DOMAINS and "." in shared
