"""Property-based tests: no value in any field, and no edit of the text, makes a run crash.

Manifests (golden fixtures and a few real-world files of the shared corpus) are mutated
at random: a random value of a random type goes to a random path, a Kubernetes field
name with a random value is added to a random mapping, or the text itself is edited.
Every built-in rule then runs through :func:`gwlint.engine.lint`; a rule that raises
shows up in ``result.errors``, which must stay empty. A wrong type must give GW002 or
nothing, never a traceback.

CI runs a modest number of examples. For a long session::

    HYPOTHESIS_PROFILE=gwlint-long python -m pytest tests/rules/test_properties.py
"""

from __future__ import annotations

import copy
import io
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from gwlint.core.result import RunResult
from gwlint.engine.registry import builtin_rules
from gwlint.engine.run import lint
from gwlint.loader.compose import CParser
from gwlint.loader.load import load_text
from gwlint.loader.split import may_nest_deeply
from gwlint.sources.files import Source
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from ..conftest import CORPUS, TESTDATA

settings.register_profile(
    "gwlint-ci",
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "gwlint-long",
    max_examples=20_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "gwlint-ci"))

# Field names the rules read: a random key drawn from here lands where a rule looks.
FIELDS = [
    "apiVersion", "kind", "metadata", "name", "namespace", "labels", "annotations", "spec", "template",
    "selector", "matchLabels", "matchExpressions", "key", "operator", "values", "replicas",
    "minReadySeconds", "strategy", "type", "rollingUpdate", "maxUnavailable", "maxSurge",
    "containers", "initContainers", "restartPolicy", "image", "ports", "containerPort", "hostPort",
    "protocol", "port", "targetPort", "nodePort", "appProtocol", "readinessProbe", "livenessProbe",
    "startupProbe", "httpGet", "tcpSocket", "grpc", "exec", "command", "path", "scheme",
    "initialDelaySeconds", "periodSeconds", "timeoutSeconds", "failureThreshold", "successThreshold",
    "terminationGracePeriodSeconds", "lifecycle", "preStop", "sleep", "seconds", "items",
    "clusterIP", "externalName", "publishNotReadyAddresses", "sessionAffinity", "rules", "host", "http",
    "paths", "pathType", "backend", "service", "number", "serviceName", "servicePort",
    "defaultBackend", "ingressClassName", "parentRefs", "backendRefs", "weight", "group", "hostnames",
    "minAvailable", "unhealthyPodEvictionPolicy", "scaleTargetRef", "minReplicas", "maxReplicas",
    "podSelector", "namespaceSelector", "policyTypes", "ingress", "egress", "from", "to", "ipBlock",
    "cidr", "endPort", "hostNetwork", "gwlint.io/ignore", "helm.sh/hook", "<<",
]  # fmt: skip
TRICKY_TEXT = [
    "", " ", "0", "80", "8080", "-1", "65536", "http", "web", "TCP", "UDP", "SCTP", "Exists", "In", "NotIn",
    "yes", "null", "~", "=", "*", "&", "!", "%", "1e3", "0x1F", "1:30", "10s", "/", "/healthz", "app",
    "{{ .Release.Name }}", "${PORT}", "GW301", "all", "IntOrString", "\t", "\ufeff", "é", "💥" * 3,
]  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.integers(min_value=-2, max_value=70_000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(TRICKY_TEXT),
)
KEYS = st.one_of(st.sampled_from(FIELDS), st.text(max_size=6), st.integers(-2, 3), st.booleans(), st.none())
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(KEYS, inner, max_size=4),
    ),
    max_leaves=12,
)
RULES = [cls() for cls in builtin_rules()]
CORPUS_FILES = [
    "real/podinfo/rendered/kustomize-overlay-production.yaml",
    "real/microservices-demo/release/kubernetes-manifests.yaml",
    "real/ingress-nginx/deploy/static/provider/aws/deploy.yaml",
    "real/helm-bitnami/wordpress.yaml",
    "real/envoy-gateway-examples/http-routing.yaml",
]


def golden_files() -> list[Path]:
    """Every single-file golden case (directory cases hold context files; files suffice here)."""
    return sorted(p for p in TESTDATA.glob("*/*.yaml") if p.is_file())


def loadable_golden_files() -> list[Path]:
    """Golden cases with at least one document to mutate (GW001 cases may have none)."""
    return [p for p in golden_files() if documents(p)]


@cache
def documents(path: Path) -> list[Any]:
    """The documents of a manifest as plain data (a fresh copy is taken per example)."""
    loaded = load_text(path.name, path.read_text(encoding="utf-8"))
    return [d.data for d in loaded.documents]


def dump(docs: list[Any]) -> str:
    """YAML text for ``docs`` (anchors and aliases where data is shared)."""
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    out = io.StringIO()
    yaml.dump_all(docs, out)
    return out.getvalue()


def lint_text(text: str | bytes) -> RunResult:
    data = text.encode("utf-8") if isinstance(text, str) else text
    result = lint([Source("mutated.yaml", data)], RULES)
    assert not result.errors, [e.message for e in result.errors]
    lines = max(len(data.decode("utf-8", "replace").splitlines()), 1)  # an upper bound: YAML breaks fewer
    for f in result.findings:
        span = f.location.span
        assert span is not None and 1 <= span.line <= lines and span.column >= 1, (f.rule_id, span, lines)
    return result


def _children(node: Any) -> list[tuple[Any, Any]]:
    if isinstance(node, dict):
        return list(node.items())
    if isinstance(node, list):
        return list(enumerate(node))
    return []


def mutate(data: st.DataObject, docs: list[Any]) -> list[Any]:
    """Apply one random edit at a random place of one random document."""
    docs = copy.deepcopy(docs)
    i = data.draw(st.integers(0, len(docs) - 1), label="document")
    parent: Any = docs
    key: Any = i
    while _children(parent[key]) and data.draw(st.integers(0, 9), label="descend") < 8:
        options = _children(parent[key])
        parent, key = parent[key], options[data.draw(st.integers(0, len(options) - 1), label="child")][0]
    target = parent[key]
    action = data.draw(st.sampled_from(["replace", "add", "delete"]), label="action")
    if action == "add" and isinstance(target, dict):
        target[data.draw(KEYS, label="new key")] = data.draw(VALUES, label="new value")
    elif action == "add" and isinstance(target, list):
        target.insert(data.draw(st.integers(0, len(target))), data.draw(VALUES, label="new item"))
    elif action == "delete" and (isinstance(parent, dict) or parent is not docs):
        del parent[key]
    else:
        parent[key] = data.draw(VALUES, label="value")
    return docs


def check_mutation(data: st.DataObject, docs: list[Any]) -> None:
    text = dump(mutate(data, docs))
    result = lint_text(text)
    # the dumper writes valid YAML: whatever the value, the worst outcome is GW002
    assert [f.message for f in result.findings if f.rule_id == "GW001"] == []


@PROFILE
@given(data=st.data(), path=st.sampled_from(loadable_golden_files()))
def test_any_value_in_any_field_of_a_golden_fixture(data: st.DataObject, path: Path) -> None:
    check_mutation(data, documents(path))


@PROFILE
@given(data=st.data(), name=st.sampled_from(CORPUS_FILES))
def test_any_value_in_any_field_of_a_real_manifest(data: st.DataObject, name: str) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not beside this clone ({CORPUS} is missing)")
    check_mutation(data, documents(CORPUS / name))


TOKENS = [
    "---\n", "...\n", "- ", ": ", "? ", "&a ", "*a", "<<: ", "!!str ", "!!python/object:os.system ", "!x ",
    "%YAML 1.1\n", "|\n", ">-\n", "{", "}", "[", "]", ",", "'", '"', "\t", "\r\n", "\r", "\u2028",
    "\ufeff", "\x00", "\xff", "# ", "{{ .Values.x }}", "null", "=", "  ", "\n", "#", "@", "`",
]  # fmt: skip


@PROFILE
@given(data=st.data(), path=st.sampled_from(golden_files()), edits=st.integers(1, 6))
def test_text_edits_of_golden_fixtures_never_crash(data: st.DataObject, path: Path, edits: int) -> None:
    text = path.read_text(encoding="utf-8")
    for _ in range(edits):
        at = data.draw(st.integers(0, len(text)), label="at")
        kind = data.draw(st.sampled_from(["insert", "delete", "duplicate", "indent", "char"]), label="edit")
        if kind == "insert":
            text = text[:at] + data.draw(st.sampled_from(TOKENS), label="token") + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + data.draw(st.integers(1, 40), label="length") :]
        elif kind == "duplicate":
            text = text[:at] + text[at : at + data.draw(st.integers(1, 200), label="length")] + text[at:]
        elif kind == "indent":
            start = text.rfind("\n", 0, at) + 1
            text = text[:start] + " " * data.draw(st.integers(1, 3), label="spaces") + text[start:]
        else:
            text = text[:at] + data.draw(st.characters(), label="char") + text[at + 1 :]
    lint_text(text.encode("utf-8", "surrogatepass"))


@PROFILE
@given(tokens=st.lists(st.sampled_from([*TOKENS, "a", "b", "1", "k8s", "kind", "Service"]), max_size=60))
def test_the_loader_takes_any_token_soup(tokens: list[str]) -> None:
    text = "".join(tokens)
    loaded = load_text("soup.yaml", text)
    lines = max(len(text.splitlines()), 1)
    for problem in [*loaded.problems, *(p for d in loaded.documents for p in d.problems)]:
        assert 0 <= problem.line < lines and problem.column >= 0
    lint_text(text.encode("utf-8", "surrogatepass"))


def _event_depth(text: str) -> int:
    """The deepest nesting libyaml's event parser sees (no composing, no recursion)."""
    parser = CParser(text)
    depth = deepest = 0
    try:
        while True:
            event = parser.get_event()
            name = type(event).__name__
            if name in ("MappingStartEvent", "SequenceStartEvent"):
                depth += 1
                deepest = max(deepest, depth)
            elif name in ("MappingEndEvent", "SequenceEndEvent"):
                depth -= 1
            elif name == "StreamEndEvent":
                return deepest
    except Exception:  # a syntax error: the depth reached so far is what the composer would see
        return deepest
    finally:
        parser.dispose()


STYLES = ["flow-seq", "flow-map", "block-map", "block-seq", "indentless", "compact"]
NESTING = st.lists(st.tuples(st.sampled_from(STYLES), st.integers(1, 800)), max_size=5)


def _nest(runs: list[tuple[str, int]], indent: int) -> str:
    """A document nesting in runs of styles; each style packs levels into columns its own way."""
    opened = closing = ""
    lines: list[str] = []
    column = 0
    for style, count in runs:
        for _ in range(count):
            if opened or style.startswith("flow"):  # once inside flow, everything stays flow
                opened += "{a: " if style == "flow-map" else "["
                closing = ("}" if style == "flow-map" else "]") + closing
            elif style == "block-map":  # one level per indent
                lines.append(" " * column + "a:")
                column += indent
            elif style == "block-seq":
                lines.append(" " * column + "-")
                column += indent
            elif style == "indentless":  # a: / - a: is three levels in 2 + indent columns
                lines += [" " * column + "a:", " " * column + "- a:"]
                column += 2 + indent
            else:  # - - a: is three levels in 4 + indent columns
                lines.append(" " * column + "- - a:")
                column += 4 + indent
    lines.append(" " * column + (opened + closing if opened else "leaf"))
    return "\n".join(lines) + "\n"


@pytest.mark.skipif(CParser is None, reason="needs libyaml (ruamel.yaml.clib)")
@PROFILE
@given(runs=NESTING, indent=st.integers(1, 3))
def test_the_cheap_nesting_check_bounds_what_libyaml_composes(runs: list[tuple[str, int]], indent: int) -> None:
    """Text the cheap check lets through to libyaml's recursive C composer nests < 3000 deep.

    The composer overflows its C stack somewhere between 10,000 and 30,000 levels, so
    this keeps a wide margin; deeper text goes to the event-based depth check instead.
    """
    text = _nest(runs, indent)
    if not may_nest_deeply(text):
        assert _event_depth(text) < 3000
