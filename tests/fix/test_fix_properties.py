"""Property: fixes applied to generated manifests, in any layout, always leave YAML that loads, and are stable.

Each example is a Service, a Deployment, an HPA and an Ingress with the mistakes the
fixable rules repair (typos in port and Service names, timeouts with units, replicas under
an HPA, no preStop hook, no minReadySeconds, a short grace period), written in a drawn
layout: indentation step, indented or flush lists, flow or block mappings, quoting,
comments after values and between keys, CRLF or LF line ends, a BOM, a final line break
or none, and sometimes an anchor and alias. All fixes, safe and unsafe, are applied until
stable with every rule; the result must load without a syntax or shape problem, and a
second round must change nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from gwlint.core.result import RunResult
from gwlint.engine.registry import builtin_rules
from gwlint.engine.run import lint
from gwlint.fix.apply import fix_until_stable
from gwlint.loader.load import load_bytes
from gwlint.sources.files import Source
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

settings.register_profile(
    "gwlint-ci",
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "gwlint-ci"))
RULES = [cls() for cls in builtin_rules()]
NAME = "gen.yaml"


class Layout:
    """The drawn writing style of one example."""

    def __init__(self, data: st.DataObject) -> None:
        self.data = data
        self.step = data.draw(st.sampled_from([2, 4]), label="indentation step")
        self.flush_lists = data.draw(st.booleans(), label="lists flush with their key")

    def draw(self, strategy: st.SearchStrategy[Any], label: str) -> Any:
        return self.data.draw(strategy, label=label)

    def scalar(self, value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, str):
            return str(value).lower() if isinstance(value, bool) else str(value)
        plain = value.replace("-", "").replace(".", "").replace("/", "").isalnum() and not value[0].isdigit()
        style = self.draw(st.sampled_from(["plain", "single", "double"] if plain else ["single", "double"]), "quote")
        if style == "plain":
            return value
        return f"'{value}'" if style == "single" else f'"{value}"'

    def flow(self, value: Any) -> str:
        if isinstance(value, dict):
            return "{" + ", ".join(f"{k}: {self.flow(v)}" for k, v in value.items()) + "}"
        if isinstance(value, list):
            return "[" + ", ".join(self.flow(v) for v in value) + "]"
        return self.scalar(value)

    def comment(self) -> str:
        return self.draw(st.sampled_from(["", "", "  # note", "\t# tab: # hash"]), "comment")

    def block(self, mapping: Mapping[str, Any], indent: int) -> list[str]:
        lines: list[str] = []
        pad = " " * indent
        for key, value in mapping.items():
            if self.draw(st.integers(0, 9), "comment line") == 0:
                lines.append(f"{pad}# about {key}")
            if isinstance(value, (dict, list)) and value and self.draw(st.integers(0, 3), "flow") == 0:
                lines.append(f"{pad}{key}: {self.flow(value)}{self.comment()}")
            elif isinstance(value, dict) and value:
                lines.append(f"{pad}{key}:{self.comment()}")
                lines.extend(self.block(value, indent + self.step))
            elif isinstance(value, list) and value:
                lines.append(f"{pad}{key}:")
                lines.extend(self.items(value, indent if self.flush_lists else indent + self.step))
            else:
                lines.append(f"{pad}{key}: {self.flow(value)}{self.comment()}")
        return lines

    def items(self, values: list[Any], indent: int) -> list[str]:
        lines: list[str] = []
        for value in values:
            if isinstance(value, dict) and value:
                inner = self.block(value, indent + 2)
                first = next(i for i, line in enumerate(inner) if not line.lstrip().startswith("#"))
                lines.extend(inner[:first])
                lines.append(" " * indent + "- " + inner[first][indent + 2 :])
                lines.extend(inner[first + 1 :])
            else:
                lines.append(" " * indent + "- " + self.flow(value))
        return lines


def manifests(layout: Layout) -> list[dict[str, Any]]:
    """The four objects, with the mistakes drawn."""
    draw = layout.draw
    container: dict[str, Any] = {
        "name": "web",
        "image": "nginx:1.27",
        "ports": [{"name": "http", "containerPort": 8080}, {"name": "metrics", "containerPort": 9090}],
        "readinessProbe": {"httpGet": {"path": "/", "port": draw(st.sampled_from(["http", "htp", "metric"]), "probe")}},
    }
    hook = draw(st.sampled_from(["none", "empty", "sleep", "lifecycle-only"]), "hook")
    if hook == "empty":
        container["lifecycle"] = {"preStop": {}}
    elif hook == "sleep":
        container["lifecycle"] = {"preStop": {"sleep": {"seconds": draw(st.sampled_from([5, 40]), "sleep")}}}
    elif hook == "lifecycle-only":
        container["lifecycle"] = {"postStart": {"exec": {"command": ["true"]}}}
    pod: dict[str, Any] = {"containers": [container]}
    if draw(st.booleans(), "grace set"):
        pod = {"terminationGracePeriodSeconds": draw(st.sampled_from([20, 60]), "grace"), **pod}
    spec: dict[str, Any] = {
        "replicas": 3,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {"metadata": {"labels": {"app": "web"}}, "spec": pod},
    }
    if draw(st.booleans(), "minReadySeconds 0"):
        spec["minReadySeconds"] = 0
    timeout = draw(st.sampled_from(["60", "2m", "30s", " 15 "]), "timeout")
    return [
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "web"},
            "spec": {
                "selector": {"app": "web"},
                "ports": [{"name": "http", "port": 80, "targetPort": draw(st.sampled_from(["http", "htpp"]), "tp")}],
            },
        },
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": spec},
        {
            "apiVersion": "autoscaling/v2",
            "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "web"},
            "spec": {
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                "maxReplicas": 5,
            },
        },
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": {
                "name": "web",
                "annotations": {"nginx.ingress.kubernetes.io/proxy-read-timeout": timeout},
            },
            "spec": {
                "defaultBackend": {
                    "service": {
                        "name": draw(st.sampled_from(["web", "wbe", "webb"]), "svc"),
                        "port": {"name": draw(st.sampled_from(["http", "htp"]), "port name")},
                    }
                }
            },
        },
    ]


def write(layout: Layout) -> str:
    docs = ["\n".join(layout.block(doc, 0)) + "\n" for doc in manifests(layout)]
    if layout.draw(st.booleans(), "anchor"):
        docs[0] = docs[0].replace("  selector:", "  selector: &sel", 1) if "  selector:\n" in docs[0] else docs[0]
    text = "---\n".join(docs)
    if not layout.draw(st.booleans(), "final line break"):
        text = text.rstrip("\n")
    if layout.draw(st.booleans(), "crlf"):
        text = text.replace("\n", "\r\n")
    return ("\ufeff" if layout.draw(st.booleans(), "bom") else "") + text


def _relint(texts: Mapping[str, str]) -> RunResult:
    return lint([Source(name, text.encode("utf-8")) for name, text in texts.items()], RULES)


def _problems(text: str) -> list[str]:
    loaded = load_bytes(NAME, text.encode("utf-8"))
    return [p.message for p in loaded.problems] + [p.message for d in loaded.documents for p in d.problems]


@PROFILE
@given(data=st.data())
def test_fixes_in_any_layout_leave_loadable_yaml_and_are_stable(data: st.DataObject) -> None:
    text = write(Layout(data))
    assert _problems(text) == [], text
    outcome = fix_until_stable(_relint({NAME: text}), _relint, {NAME: text}, unsafe=True)
    assert outcome.errors == []
    fixed = outcome.texts[NAME]
    assert _problems(fixed) == [], fixed
    assert not [f.rule_id for f in outcome.result.findings if f.fix is not None and f.fix.enabled(True)]
    again = fix_until_stable(_relint({NAME: fixed}), _relint, {NAME: fixed}, unsafe=True)
    assert again.changed() == []
