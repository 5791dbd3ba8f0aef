"""The Ingress and Service rules (GW101, GW102, GW202-GW207) on the real-world corpus.

Linted as one run, the way the brief's check does it (``gwlint corpus/real``). The rules
must not crash, and every finding must be written down here with the reason it is a
genuine defect of that manifest.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from gwlint.core.findings import Finding
from gwlint.core.result import RunResult
from gwlint.engine.registry import builtin_rules
from gwlint.engine.run import lint
from gwlint.sources.files import collect

from ..conftest import require_corpus

RULES = ("GW101", "GW102", "GW202", "GW203", "GW204", "GW205", "GW206", "GW207")

GENUINE: dict[tuple[str, str], str] = {
    ("GW101", "ingress-nginx/docs/examples/auth/oauth-external-auth/oauth2-proxy.yaml"): (
        "the Ingress fronts Service kube-system/kubernetes-dashboard, which no manifest of the "
        "example (or of the repository) defines: it works only where the dashboard add-on was "
        "installed separately (lint with --context to say so)"
    ),
    ("GW101", "ingress-nginx/docs/examples/auth/oauth-external-auth/vouch-proxy.yaml"): (
        "the same dashboard Ingress as oauth2-proxy.yaml, with vouch-proxy"
    ),
    ("GW101", "ingress-nginx/docs/examples/openpolicyagent/tests/should-allow.yaml"): (
        "a policy-test Ingress that sends to Service svc1, defined nowhere: applied, it answers 503"
    ),
    ("GW101", "ingress-nginx/docs/examples/openpolicyagent/tests/should-deny.yaml"): (
        "the same dangling svc1 backend as should-allow.yaml"
    ),
    ("GW202", "kubernetes-examples/_archived/volumes/flocker/flocker-pod-with-rc.yml"): (
        "Service targetPort 80, but ghost listens on 2368 (the declared containerPort); hostPort 80 "
        "only maps the node's port, so connections from the Service are refused"
    ),
    ("GW203", "helm-bitnami/scylladb.yaml"): (
        "the per-pod Service scylladb-0-internal lists port 7001 with targetPort tls, but with TLS "
        "off (the default) the StatefulSet declares no port named tls: no endpoints for 7001"
    ),
    ("GW205", "envoy-gateway-examples/backend-utilization.yaml"): (
        "one Service over the -low and -high Deployments: the split is the point of the example"
    ),
    ("GW205", "helm-bitnami/clickhouse.yaml"): "the client Service spans both shard StatefulSets by design",
    ("GW205", "helm-bitnami/dremio.yaml"): "the client Service spans the coordinator and the master coordinator",
    ("GW205", "kubernetes-examples/_archived/storage/minio/minio-distributed-service.yaml"): (
        "the folder's standalone Deployment and distributed StatefulSet both carry app: minio"
    ),
    ("GW205", "kubernetes-examples/_archived/storage/minio/minio-standalone-service.yaml"): (
        "the same app: minio overlap, from the standalone Service"
    ),
    ("GW205", "kubernetes-examples/_archived/storage/mysql-galera/pxc-cluster-service.yaml"): (
        "three ReplicationControllers, one per Galera node, behind one Service"
    ),
    ("GW205", "kubernetes-examples/_archived/storage/redis/redis-sentinel-service.yaml"): (
        "the bootstrap Pod and the sentinel ReplicationController share redis-sentinel: true"
    ),
    ("GW205", "kubernetes-examples/_archived/storage/rethinkdb/driver-service.yaml"): (
        "the admin Pod and the ReplicationController share db: rethinkdb"
    ),
}
"""Findings whose other side is in the manifest's own folder: the manifest's own defects.

GW205 is a note: each of these Services does split its traffic between workloads, which
is what the note says, though the authors meant it.
"""


@pytest.fixture(scope="module")
def corpus_run() -> Iterator[RunResult]:
    root = require_corpus() / "real"
    sources, errors = collect([str(root)])
    assert not errors, errors
    yield lint(sources, [cls() for cls in builtin_rules() if cls.id in RULES])


def _relative(f: Finding) -> str:
    return f.location.file.removeprefix(str(require_corpus() / "real") + "/")


def _across_samples(f: Finding) -> bool:
    """A finding whose other side is in another folder of the corpus."""
    here = os.path.dirname(f.location.file)
    return any(os.path.dirname(r.file) != here for r in f.related)


def test_service_rules_do_not_crash_on_the_corpus(corpus_run: RunResult) -> None:
    assert not corpus_run.errors, [e.message for e in corpus_run.errors]


def test_service_rules_report_only_genuine_defects(corpus_run: RunResult) -> None:
    found = {(f.rule_id, _relative(f)) for f in corpus_run.findings if not _across_samples(f)}
    unexplained = found - GENUINE.keys()
    assert not unexplained, f"findings without a written reason: {sorted(unexplained)}"
    missing = GENUINE.keys() - found
    assert not missing, f"genuine defects no longer reported: {sorted(missing)}"


def test_cross_sample_overlaps_are_notes_only(corpus_run: RunResult) -> None:
    # Independent samples (hello, whereami, redis, guestbook...) that the single run puts
    # into one namespace overlap: GW205 notes say so truthfully, but no error may come
    # from one sample meeting another.
    crossing = sorted({(f.rule_id, _relative(f)) for f in corpus_run.findings if _across_samples(f)})
    assert all(rule == "GW205" for rule, _ in crossing), crossing
