"""Copies of one object in several files are alternatives: references pair with their own file's copy."""

from __future__ import annotations

from gwlint.engine.run import index_sources
from gwlint.engine.settings import Settings
from gwlint.index.index import Index
from gwlint.sources.files import Source

APP = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec: {{containers: [{{name: web, image: "nginx:{tag}"}}]}}
"""
SERVICE = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n"
HPA = (
    "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\n"
    "spec: {scaleTargetRef: {kind: Deployment, name: web}, minReplicas: 2, maxReplicas: 3}\n"
)
PDB = (
    "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\n"
    "spec: {maxUnavailable: 1, selector: {matchLabels: {app: web}}}\n"
)
INGRESS = (
    "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\n"
    "spec: {defaultBackend: {service: {name: web, port: {number: 80}}}}\n"
)


def _index(*files: str) -> Index:
    return index_sources([Source(f"f{i}.yaml", text.encode()) for i, text in enumerate(files)], Settings())


def test_references_pair_with_the_copy_in_their_own_file() -> None:
    both = "---\n".join
    index = _index(both([APP.format(tag=1), SERVICE, HPA, PDB, INGRESS]), both([APP.format(tag=2), SERVICE]))
    first, second = index.workloads
    assert [h.resource.doc.file for h in index.hpas_for(first)] == ["f0.yaml"]
    assert index.hpas_for(second) == []
    assert [p.resource.doc.file for p in index.pdbs_for(first)] == ["f0.yaml"]
    assert index.pdbs_for(second) == []
    svc0, svc1 = index.services
    assert index.service_pods(svc0) == [first] and index.service_pods(svc1) == [second]
    assert index.is_proxied(svc0) and not index.is_proxied(svc1)


def test_a_reference_whose_file_has_no_copy_pairs_with_every_copy() -> None:
    index = _index(APP.format(tag=1), APP.format(tag=2), "---\n".join([SERVICE, HPA, PDB]))
    first, second = index.workloads
    svc = index.services[0]
    assert index.service_pods(svc) == [first, second]
    assert len(index.hpas_for(first)) == len(index.hpas_for(second)) == 1
    assert len(index.pdbs_for(first)) == len(index.pdbs_for(second)) == 1


def test_renders_with_their_own_names_pair_with_their_own_file_by_selector() -> None:
    """One release per file, names prefixed by the release: each PDB keeps to its file's pods."""
    a = "---\n".join([APP.format(tag=1).replace("name: web", "name: a-web"), PDB])
    b = "---\n".join([APP.format(tag=2).replace("name: web", "name: b-web"), PDB])
    index = _index(a, b)
    pdb_a, pdb_b = index.pdbs
    assert [w.resource.name for w in index.pdb_selects(pdb_a)] == ["a-web"]
    assert [w.resource.name for w in index.pdb_selects(pdb_b)] == ["b-web"]
