"""The built-in rules, listed explicitly in catalogue order (plugins use entry points)."""

from __future__ import annotations

from gwlint.rule import Rule
from gwlint.rules.gw001_yaml_syntax_error import YamlSyntaxError
from gwlint.rules.gw002_invalid_manifest import InvalidManifest
from gwlint.rules.gw003_duplicate_resource import DuplicateResource
from gwlint.rules.gw201_service_selects_no_pods import ServiceSelectsNoPods
from gwlint.rules.gw301_readiness_probe_missing import ReadinessProbeMissing

BUILTIN_RULES: tuple[type[Rule], ...] = (
    YamlSyntaxError,
    InvalidManifest,
    DuplicateResource,
    ServiceSelectsNoPods,
    ReadinessProbeMissing,
)
