"""The built-in rules, listed explicitly in catalogue order (plugins use entry points)."""

from __future__ import annotations

from gwlint.rule import Rule
from gwlint.rules.gw001_yaml_syntax_error import YamlSyntaxError
from gwlint.rules.gw002_invalid_manifest import InvalidManifest
from gwlint.rules.gw003_duplicate_resource import DuplicateResource
from gwlint.rules.gw004_unused_suppression import UnusedSuppression
from gwlint.rules.gw201_service_selects_no_pods import ServiceSelectsNoPods
from gwlint.rules.gw301_readiness_probe_missing import ReadinessProbeMissing
from gwlint.rules.gw302_startup_probe_missing import StartupProbeMissing
from gwlint.rules.gw303_liveness_kills_before_ready import LivenessKillsBeforeReady
from gwlint.rules.gw304_readiness_equals_liveness import ReadinessEqualsLiveness
from gwlint.rules.gw305_probe_port_missing import ProbePortMissing
from gwlint.rules.gw306_initial_delay_too_short import InitialDelayTooShort

BUILTIN_RULES: tuple[type[Rule], ...] = (
    YamlSyntaxError,
    InvalidManifest,
    DuplicateResource,
    UnusedSuppression,
    ServiceSelectsNoPods,
    ReadinessProbeMissing,
    StartupProbeMissing,
    LivenessKillsBeforeReady,
    ReadinessEqualsLiveness,
    ProbePortMissing,
    InitialDelayTooShort,
)
