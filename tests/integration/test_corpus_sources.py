"""The unrendered trees of the shared corpus (``../shared/corpus/sources``), rendered and linted as `gwlint DIR` does.

Each tree is one repository run with the real helm and kubectl, configured as
``SOURCES.md`` renders it (release names, namespaces, the extra values files, the values
linkerd requires). The test checks:

- every chart and overlay renders and lints without a run error; the only renders that
  fail are aks-store-demo's three ``azd`` overlays, which need a ``.env`` file git ignores
  (by design of that repository), and each is one GW005 finding on its kustomization;
- the objects of each render equal the file ``SOURCES.md`` names for it in ``real/``,
  compared as data (parsed objects, in any order), not as text. Two known differences are
  removed first, each for a reason: gwlint renders charts with ``--skip-tests`` (``helm
  test`` Pods are not applied by an install; podinfo's also end in a random
  ``randAlphaNum`` suffix), so the test Pods are dropped from the ``real/`` side; and the
  ``data`` of podinfo's three script ConfigMaps, whose input scripts the corpus stubs;
- every finding, and every related location, is on a line of a file of the tree: none
  on a rendered stream, a temporary file or a chart-name-prefixed ``# Source:`` path;
- no rendered finding falls back to the first line of a chart or kustomization;
- the cross-reference findings (the rules ``tests/rules/test_corpus.py`` pins on
  ``real/``) and the render failures are exactly those of ``corpus_sources_expected.yaml``,
  each at the source line a human would fix; every one pinned on a ``real/`` render of a
  tree is there, and names its pin.

How precisely the rendered findings land (exact, best-effort, fallback lines: the
``precision`` of each run) is printed by ``bench/render.py``, which renders the same
trees, and quoted in docs/performance.md.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from gwlint.core.findings import Finding, Location
from gwlint.engine.registry import builtin_rules
from gwlint.engine.repository import RenderOptions, RepositoryRun, lint_repository, plan
from gwlint.engine.settings import Settings
from gwlint.sources.kustomize import strip_origins
from gwlint.sources.places import FALLBACK
from gwlint.sources.render import Job, Output, Overlay, Release, find_tools, render_all
from gwlint.sources.yamldata import parse_all, read_yaml_all
from ruamel.yaml import YAML

from ..conftest import CORPUS, require_corpus
from ..rules.test_corpus import expected as real_pins
from ..rules.test_corpus import pinned
from ..tools import render_tools

EXPECTED = Path(__file__).with_name("corpus_sources_expected.yaml")

LINKERD_VALUES = {
    "identityTrustAnchorsPEM": "placeholder-ca",
    "identity.issuer.tls.crtPEM": "placeholder-crt",
    "identity.issuer.tls.keyPEM": "placeholder-key",
}

TREES: dict[str, dict[str, dict[str, Any]]] = {
    "aks-store-demo": {"charts/aks-store-demo": {"release": "aks-store-demo", "namespace": "pets"}},
    "bank-of-anthos": {},
    "ingress-nginx": {"charts/ingress-nginx": {"release": "ingress-nginx", "namespace": "ingress-nginx"}},
    "linkerd2": {
        "charts/linkerd-control-plane": {
            "release": "linkerd",
            "namespace": "linkerd",
            "value-sets": [[], ["values-ha.yaml"]],
            "set": LINKERD_VALUES,
        },
        "charts/linkerd2-cni": {"release": "linkerd-cni", "namespace": "linkerd-cni"},
    },
    "microservices-demo": {"helm-chart": {"release": "onlineboutique", "namespace": "onlineboutique"}},
    "podinfo": {
        "charts/podinfo": {"release": "podinfo", "namespace": "podinfo", "value-sets": [[], ["values-prod.yaml"]]}
    },
}
"""The chart settings of each tree (keyed by chart folder), as SOURCES.md renders them."""

RenderKey = tuple[str, str, tuple[str, ...]]
"""(tree, chart or kustomization folder, values files) of one render; a kustomization has no values."""

COUNTERPARTS: dict[RenderKey, str] = {
    ("podinfo", "charts/podinfo", ()): "podinfo/rendered/helm-chart-default.yaml",
    ("podinfo", "charts/podinfo", ("values-prod.yaml",)): "podinfo/rendered/helm-chart-values-prod.yaml",
    ("podinfo", "kustomize", ()): "podinfo/rendered/kustomize-default.yaml",
    **{
        ("podinfo", f"deploy/overlays/{env}", ()): f"podinfo/rendered/kustomize-overlay-{env}.yaml"
        for env in ("dev", "staging", "production")
    },
    ("microservices-demo", "helm-chart", ()): "microservices-demo/rendered/helm-chart-default.yaml",
    ("microservices-demo", "helm-chart", ("--set networkPolicies.create=true",)): (
        "microservices-demo/rendered/helm-chart-networkpolicies.yaml"
    ),
    ("microservices-demo", "kustomize", ()): "microservices-demo/rendered/kustomize-base.yaml",
    **{
        ("microservices-demo", f"kustomize/tests/{t}", ()): f"microservices-demo/rendered/kustomize-tests-{t}.yaml"
        for t in (
            "memorystore-with-all-components",
            "service-mesh-istio-with-all-components",
            "spanner-with-all-components",
        )
    },
    ("ingress-nginx", "charts/ingress-nginx", ()): "ingress-nginx/chart-rendered/ingress-nginx.yaml",
    **{
        ("ingress-nginx", "charts/ingress-nginx", (f"ci/{v}.yaml",)): (
            f"ingress-nginx/chart-rendered/ci-values/ingress-nginx--{v}.yaml"
        )
        for v in (
            "admission-webhooks-cert-manager-values",
            "controller-daemonset-values",
            "controller-deployment-metrics-values",
            "controller-hpa-values",
            "controller-service-internal-values",
        )
    },
}
"""Each render SOURCES.md names a ``real/`` file for, and that file (relative to ``real/``)."""

STUBBED_CONFIGMAPS = {"backup-script", "rollup-script", "warm-cache-script"}
"""podinfo's generated ConfigMaps whose input scripts the corpus replaced by placeholders."""


@pytest.fixture(scope="module", autouse=True)
def _tools() -> None:
    require_corpus()
    render_tools()


def options(tree: str) -> RenderOptions:
    root = CORPUS / "sources" / tree
    return RenderOptions(charts={str(root / folder): cfg for folder, cfg in TREES[tree].items()})


@cache
def repository_run(tree: str) -> RepositoryRun:
    """``gwlint sources/<tree>`` from the corpus folder, so findings name files as the pins do."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(CORPUS)
        rules = [cls() for cls in builtin_rules()]
        return lint_repository([f"sources/{tree}"], rules, Settings(), options(tree))


def render_key(tree: str, job: Job) -> RenderKey:
    root = CORPUS / "sources" / tree
    if isinstance(job, Release):
        given = tuple(v.relative_to(job.chart.dir).as_posix() for v in job.values)
        return (tree, job.chart.dir.relative_to(root).as_posix(), (*given, *(f"--set {s}" for s in job.set_values)))
    return (tree, job.root.dir.relative_to(root).as_posix(), ())


@cache
def renders(tree: str) -> dict[RenderKey, Output]:
    """Every render of the tree as the run above made it (read back from its cache), plus
    microservices-demo's chart with ``--set networkPolicies.create=true``."""
    root = CORPUS / "sources" / tree
    jobs = plan([str(root)], [], options(tree), Settings()).jobs
    if tree == "microservices-demo":
        (chart,) = [j for j in jobs if isinstance(j, Release)]
        jobs.append(
            Release(chart.chart, chart.label, [], chart.release, chart.namespace, ["networkPolicies.create=true"])
        )
    return {render_key(tree, out.job): out for out in render_all(jobs, find_tools())}


def objects(out: Output) -> list[Any]:
    """The objects a render produced, as gwlint lints them (kustomize's origin annotations removed)."""
    docs = parse_all(out.stream)
    if isinstance(out.job, Overlay):
        strip_origins([(0, d) for d in docs], out.base)
    return docs


def comparable(objs: list[Any], drop_tests: bool) -> list[str]:
    out = []
    for obj in objs:
        if not isinstance(obj, dict):
            continue
        meta = obj.get("metadata") or {}
        hook = str((meta.get("annotations") or {}).get("helm.sh/hook", ""))
        if drop_tests and {h.strip() for h in hook.split(",")} & {"test", "test-success"}:
            continue
        if obj.get("kind") == "ConfigMap" and meta.get("name") in STUBBED_CONFIGMAPS:
            obj = {k: v for k, v in obj.items() if k != "data"}
        out.append(json.dumps(obj, sort_keys=True))
    return sorted(out)


@pytest.mark.parametrize("tree", sorted(TREES))
def test_every_chart_and_overlay_renders_and_lints_without_a_run_error(tree: str) -> None:
    result = repository_run(tree).result
    assert result.errors == []
    failed = sorted(f.location.file for f in result.findings if f.rule_id == "GW005")
    azd = "sources/aks-store-demo/kustomize/overlays/azd"
    want = [f"{azd}/{s}/kustomization.yaml" for s in ("ai-service", "makeline-service", "order-service")]
    assert failed == (want if tree == "aks-store-demo" else [])


@pytest.mark.parametrize("key", sorted(COUNTERPARTS), ids=lambda k: "/".join(k[:2]) + "".join(f" {v}" for v in k[2]))
def test_objects_equal_the_rendered_file_of_the_corpus(key: RenderKey) -> None:
    out = renders(key[0])[key]
    assert out.error is None
    real = read_yaml_all(CORPUS / "real" / COUNTERPARTS[key])
    ours, theirs = comparable(objects(out), False), comparable(real, True)
    assert ours == theirs, f"{len(set(ours) ^ set(theirs))} objects differ from real/{COUNTERPARTS[key]}"


def _locations(f: Finding) -> list[Location]:
    return [f.location, *f.related]


@pytest.mark.parametrize("tree", sorted(TREES))
def test_every_finding_is_on_a_line_of_a_file_of_the_tree(tree: str) -> None:
    run = repository_run(tree)
    assert run.result.findings
    for f in run.result.findings:
        for loc in _locations(f):
            path = CORPUS / loc.file
            assert loc.file.startswith(f"sources/{tree}/") and path.is_file(), (f.rule_id, loc.file)
            assert loc.span is not None and 1 <= loc.span.line <= len(path.read_text().splitlines()), (f, loc)
    assert run.precision[FALLBACK] == 0, f"{tree}: {dict(run.precision)}"


def expected() -> list[dict[str, Any]]:
    data = YAML(typ="safe").load(EXPECTED)
    return list(data["findings"])


def _key(f: Finding) -> tuple[str, int, str, str, tuple[str, ...]]:
    span = f.location.span
    origin = f.location.origin
    return (
        f.location.file,
        span.line if span else 0,
        f.rule_id,
        f.resource.display() if f.resource else "",
        origin.renders if origin is not None else (),
    )


def test_cross_reference_findings_and_failures_are_the_pinned_ones() -> None:
    got: Counter[tuple[str, int, str, str, tuple[str, ...]]] = Counter()
    for tree in TREES:
        for f in repository_run(tree).result.findings:
            if pinned(f.rule_id) or f.rule_id == "GW005":
                got[_key(f)] += 1
    want: Counter[tuple[str, int, str, str, tuple[str, ...]]] = Counter()
    for e in expected():
        assert len(str(e.get("reason", "")).strip()) > 20, f"{e}: say why"
        want[(e["file"], e["line"], e["rule"], e["object"], tuple(e.get("renders", ())))] += 1
    assert got == want, "\n".join([*(f"new: {k}" for k in got - want), *(f"gone: {k}" for k in want - got)])


def test_each_finding_pinned_on_a_real_render_is_pinned_at_its_source_line() -> None:
    """The pins of tests/rules/corpus_expected.yaml on the real/ files of these renders
    all reappear here, each naming the pin it moves, with the same rule and object."""
    real_files = {f"real/{name}" for name in COUNTERPARTS.values()}
    on_renders = {
        (str(e["file"]), str(e["rule"]), str(e["object"]))
        for entries in real_pins().values()
        for e in entries
        if e["file"] in real_files
    }
    assert on_renders, "the microservices-demo test overlays have pinned GW601 findings"
    moved = {(str(p), str(e["rule"]), str(e["object"])) for e in expected() for p in e.get("pinned", [])}
    assert moved == on_renders


def test_rendering_writes_nothing_into_the_tree() -> None:
    """linkerd's charts need their ``file://`` dependency copied into ``charts/``: that
    happens in a scratch copy, as kustomize's wrapper lives in a temporary folder."""
    root = CORPUS / "sources" / "linkerd2"
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*")}
    opts = options("linkerd2")
    opts.use_cache = False
    run = lint_repository([str(root)], [cls() for cls in builtin_rules()], Settings(), opts)
    assert run.result.errors == [] and run.result.findings
    assert {p: p.stat().st_mtime_ns for p in root.rglob("*")} == before
