"""The rollout and disruption rules (GW4xx, GW501) on the real-world corpus.

Linted as one run, the way the brief's check does it (``gwlint corpus/real``). The rules
must not crash, and the cross-reference rule GW407 may only report genuine defects, each
written down here with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from gwlint.core.result import RunResult
from gwlint.engine.registry import builtin_rules
from gwlint.engine.run import lint
from gwlint.sources.files import collect

from ..conftest import require_corpus

GW407_GENUINE = {
    # The sample ships the HPA (and a PodMonitoring for `app: vllm-tpu`) but no Deployment
    # named vllm-tpu anywhere: that Deployment only exists as a snippet in the tutorial's
    # prose. Applying this directory creates an HPA that reports FailedGetScale.
    ("kubernetes-engine-samples/ai-ml/vllm-tpu/vllm-hpa.yaml", "Deployment 'vllm-tpu'"),
}


@pytest.fixture(scope="module")
def corpus_run() -> Iterator[RunResult]:
    root = require_corpus() / "real"
    sources, errors = collect([str(root)])
    assert not errors, errors
    rules = [cls() for cls in builtin_rules() if cls.id.startswith(("GW4", "GW501"))]
    yield lint(sources, rules)


def test_rollout_rules_do_not_crash_on_the_corpus(corpus_run: RunResult) -> None:
    assert not corpus_run.errors, [e.message for e in corpus_run.errors]


def test_hpa_target_missing_reports_only_genuine_defects(corpus_run: RunResult) -> None:
    root = str(require_corpus() / "real") + "/"
    found = {(f.location.file.removeprefix(root), f.message) for f in corpus_run.findings if f.rule_id == "GW407"}
    unexplained = {
        (file, message)
        for file, message in found
        if not any(file == gfile and text in message for gfile, text in GW407_GENUINE)
    }
    assert not unexplained, f"GW407 findings without a written reason: {sorted(unexplained)}"
    missing = {g for g in GW407_GENUINE if not any(g[0] == file and g[1] in message for file, message in found)}
    assert not missing, f"genuine GW407 defects no longer reported: {sorted(missing)}"
