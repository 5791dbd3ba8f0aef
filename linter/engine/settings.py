"""Everything that shapes a run besides its inputs and its rules.

The configuration and the command line are merged into one :class:`Settings` before the
run starts, so the engine and the rules never look at where a value came from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from gwlint.core.findings import Severity
from gwlint.core.kubeversion import NEWEST_KUBE_VERSION, KubeVersion
from gwlint.core.records import Value
from gwlint.engine.api import Rule
from gwlint.index.index import PodOwnerKind


class Settings(Value):
    """Everything that shapes a run besides its inputs and rules."""

    __slots__ = ("kube_version", "namespace", "options", "plugin_options", "pod_owners", "severity", "suppressions")

    namespace: str
    severity: dict[str, Severity]
    options: dict[str, Any]
    """Built-in rules' options by key; each rule sees the keys its ``options_schema`` declares."""
    plugin_options: dict[str, dict[str, Any]]
    """Plugin rules' options, by the distribution that provides them (``Rule.plugin``)."""
    pod_owners: dict[str, PodOwnerKind]
    suppressions: bool
    """Honour ``gwlint.io/ignore`` annotations and ``# gwlint: ignore=`` comments."""
    kube_version: KubeVersion
    """The Kubernetes version the manifests are applied to (unset: the newest gwlint knows)."""

    def __init__(
        self,
        namespace: str = "default",
        severity: dict[str, Severity] | None = None,
        options: dict[str, Any] | None = None,
        pod_owners: dict[str, PodOwnerKind] | None = None,
        suppressions: bool = True,
        kube_version: KubeVersion = NEWEST_KUBE_VERSION,
        plugin_options: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.namespace = namespace
        self.severity = {} if severity is None else severity
        self.options = {} if options is None else options
        self.pod_owners = {} if pod_owners is None else pod_owners
        self.suppressions = suppressions
        self.kube_version = kube_version
        self.plugin_options = {} if plugin_options is None else plugin_options

    def options_for(self, rule: type[Rule]) -> dict[str, Any]:
        """The options configured for ``rule`` (not its defaults): from its plugin's namespace, or top level."""
        given = self.plugin_options.get(rule.plugin, {}) if rule.plugin is not None else self.options
        return {k: v for k, v in given.items() if k in rule.options_schema}


def severity_overrides(raw: Mapping[str, str], rules: Sequence[type[Rule]]) -> dict[str, Severity]:
    """Per-rule severities keyed by id, from a mapping keyed by id or name."""
    out: dict[str, Severity] = {}
    for key, value in raw.items():
        for cls in rules:
            if key in (cls.id, cls.name):
                out[cls.id] = Severity.parse(value)
    return out
