"""Where pods come from when no template describes them: controller labels and operators."""

from __future__ import annotations

import pytest
from gwlint.engine.run import load_sources
from gwlint.index.build import build_index
from gwlint.index.index import Index
from gwlint.model.operator_kinds import registrable, related_domains
from gwlint.model.podlabels import template_part
from gwlint.sources.files import Source


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ("common.k8s.elastic.co", "elastic.co"),
        ("cnpg.io", "cnpg.io"),
        ("operator.example.co.uk", "example.co.uk"),
        ("apps.example.de", "example.de"),
    ],
)
def test_registrable_domain(domain: str, expected: str) -> None:
    assert registrable(domain) == expected


@pytest.mark.parametrize(
    ("key_domain", "group", "related"),
    [
        ("cnpg.io", "postgresql.cnpg.io", True),  # the key's domain is a suffix of the group
        ("elasticsearch.k8s.elastic.co", "elasticsearch.k8s.elastic.co", True),
        ("common.k8s.elastic.co", "kibana.k8s.elastic.co", True),  # one registrable domain
        ("leaderworkerset.sigs.k8s.io", "leaderworkerset.x-k8s.io", False),
        ("app.kubernetes.io", "snapshot.storage.kubernetes.io", False),  # shared: suffix only
        ("foo.github.io", "bar.github.io", False),
        ("redis.io", "app.redislabs.com", False),
        ("example.co.uk", "other.co.uk", False),  # a country's second level is not a project
    ],
)
def test_related_domains(key_domain: str, group: str, related: bool) -> None:
    assert related_domains(key_domain, group) is related


def test_template_part_keeps_only_what_a_template_must_hold() -> None:
    selector = {
        "app": "db",
        "statefulset.kubernetes.io/pod-name": "db-0",
        "vault-active": "true",
        "operator": "leader",
        "role": "primary",
    }
    assert template_part(selector) == {"app": "db", "role": "primary"}
    assert template_part({"operator": "follower"}) == {"operator": "follower"}


def _index(text: str) -> Index:
    return build_index([(lf, False) for lf in load_sources([Source("in.yaml", text.encode())])])


def test_operator_pods_are_found_by_name_and_domain_in_the_namespace_only() -> None:
    index = _index(
        "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: pg, namespace: db}\n"
        "---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: web, namespace: db}\n"
    )
    assert index.operator_pods_owner("db", [("cnpg.io/cluster", "other")]) is not None
    assert index.operator_pods_owner("db", [("app", "pg")]) is not None
    assert index.operator_pods_owner("web", [("app", "pg")]) is None  # another namespace
    assert index.operator_pods_owner("db", [("app", "web")]) is None  # a ServiceMonitor makes no pods
    assert index.operator_pods_owner("db", [("app", "api")]) is None


def test_operator_services_are_the_resource_name_or_a_dash_suffix_of_it() -> None:
    index = _index(
        "apiVersion: ray.io/v1\nkind: RayService\nmetadata: {name: rayllm, namespace: ml}\n"
        "---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: web, namespace: ml}\n"
    )
    assert index.operator_service_owner("ml", "rayllm") is not None
    assert index.operator_service_owner("ml", "rayllm-head-svc") is not None
    assert index.operator_service_owner("ml", "rayllmx") is None
    assert index.operator_service_owner("other", "rayllm-head-svc") is None  # another namespace
    assert index.operator_service_owner("ml", "web-svc") is None  # a ServiceMonitor makes no Services
