"""The configuration's JSON schema, assembled at run time, and validation with positions.

The schema is the core keys plus every registered rule's ``options_schema`` as top-level
keys, so a plugin's options are checked exactly like the built-in ones. jsonschema is
imported only when a configuration is actually validated: most runs in a pre-commit hook
never pay for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from gwlint.core.datapath import Path, dotted, type_name
from gwlint.core.findings import DEFAULT_FAIL_ON, FAIL_ON
from gwlint.core.kubeversion import KUBE_VERSION_PATTERN, NEWEST_KUBE_VERSION
from gwlint.core.text import suggest
from gwlint.engine.registry import PluginError

if TYPE_CHECKING:
    from gwlint.engine.api import Rule

SCHEMA_ID = "https://raw.githubusercontent.com/gwlint/gwlint/main/linter/schemas/config.schema.json"


SEVERITIES = ("error", "warning", "note")


_RULE_TOKEN: dict[str, Any] = {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9-]*$"}


_PATHS: dict[str, Any] = {"type": "array", "items": {"type": "string", "minLength": 1}}


CORE_PROPERTIES: dict[str, dict[str, Any]] = {
    "select": {
        "description": "Rules to run: ids, names or id prefixes (GW3), or ALL. Default: every rule.",
        "type": "array",
        "items": _RULE_TOKEN,
    },
    "ignore": {
        "description": "Rules not to run: ids, names or id prefixes.",
        "type": "array",
        "items": _RULE_TOKEN,
    },
    "severity": {
        "description": "Severity per rule (id or name), replacing the rule's default.",
        "type": "object",
        "propertyNames": _RULE_TOKEN,
        "additionalProperties": {"enum": list(SEVERITIES)},
    },
    "fail-on": {
        "description": "Lowest severity that makes the exit status 1.",
        "enum": list(FAIL_ON),
        "default": DEFAULT_FAIL_ON,
    },
    "namespace": {
        "description": "Namespace of objects that name none (Helm's --namespace).",
        "type": "string",
        "minLength": 1,
        "default": "default",
    },
    "kube-version": {
        "description": 'Kubernetes version the manifests are applied to, quoted ("1.30"; also passed to '
        "helm template). Default: the newest release gwlint knows.",
        "type": "string",
        "pattern": KUBE_VERSION_PATTERN,
        "default": str(NEWEST_KUBE_VERSION),
    },
    "paths": {
        "description": "Files and directories to lint when none are given on the command line.",
        **_PATHS,
    },
    "context": {
        "description": "Files and directories loaded for cross-references only; nothing is reported on them.",
        **_PATHS,
    },
    "exclude": {
        "description": "Glob patterns of files never read. A pattern without a slash matches a name at any depth.",
        **_PATHS,
    },
    "pod-owners": {
        "description": "More kinds that own pods, with the dotted path of their pod template.",
        "type": "array",
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["kind"],
            "properties": {
                "apiVersion": {"type": "string", "minLength": 1},
                "kind": {"type": "string", "minLength": 1},
                "template": {
                    "type": "string",
                    "pattern": "^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$",
                    "default": "spec.template",
                },
            },
        },
    },
    "render": {
        "description": (
            "Render Helm charts and kustomizations found in the inputs "
            "(false: lint every file as plain YAML, like --no-render)."
        ),
        "type": "boolean",
        "default": True,
    },
    "charts": {
        "description": "Per-chart rendering settings, keyed by the chart folder (relative to this file).",
        "type": "object",
        "propertyNames": {"minLength": 1},
        "additionalProperties": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "skip": {"description": "Do not render this chart (and do not lint its files).", "type": "boolean"},
                "release": {
                    "description": "Release name (default: the chart folder's name).",
                    "type": "string",
                    "minLength": 1,
                },
                "namespace": {
                    "description": "Release namespace (default: the run's namespace).",
                    "type": "string",
                    "minLength": 1,
                },
                "value-sets": {
                    "description": (
                        "Value sets, each rendered as one release: a list of values files (relative to the "
                        "chart folder). Default: values.yaml alone, then each ci/*-values.yaml."
                    ),
                    "type": "array",
                    "items": {"type": "array", "items": {"type": "string", "minLength": 1}},
                },
                "set": {
                    "description": "Values for helm's --set, applied to every value set.",
                    "type": "object",
                    "additionalProperties": {"type": ["string", "number", "boolean"]},
                },
                "kube-version": {"description": "helm template --kube-version.", "type": "string", "minLength": 1},
            },
        },
    },
    "kustomizations": {
        "description": "Per-kustomization settings, keyed by the kustomization folder (relative to this file).",
        "type": "object",
        "propertyNames": {"minLength": 1},
        "additionalProperties": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "skip": {"description": "Do not build this root kustomization.", "type": "boolean"},
                "namespace": {
                    "description": "Namespace of built objects that name none (default: the run's namespace).",
                    "type": "string",
                    "minLength": 1,
                },
            },
        },
    },
}


"""Keys that shape the run itself; built-in rule options may not reuse these names."""

PLUGINS_KEY = "plugins"
"""The key under which each plugin's options sit, by the name of the distribution that provides it."""


class SchemaConflict(PluginError):
    """A rule declares an option whose name is a core key."""


def _options_properties(rules: Iterable[type[Rule]], reserved: Iterable[str]) -> dict[str, Any]:
    """The options of ``rules`` as schema properties; one declared by several rules must satisfy each (``allOf``)."""
    taken = set(reserved)
    properties: dict[str, Any] = {}
    owners: dict[str, list[str]] = {}
    for rule in rules:
        for key, sub in rule.options_schema.items():
            if key in taken:
                raise SchemaConflict(f"rule {rule.id} declares option {key!r}, which is a core configuration key")
            prop = dict(sub)
            if key in rule.default_options:
                prop.setdefault("default", rule.default_options[key])
            owners.setdefault(key, []).append(f"{rule.id} {rule.name}")
            if key in properties and properties[key] != prop:
                previous = properties[key]
                parts = previous["allOf"] if set(previous) == {"allOf"} else [previous]
                properties[key] = {"allOf": [*parts, prop]}
            else:
                properties[key] = prop
    for key, names in owners.items():
        prop = properties[key]
        if "description" not in prop:
            prop["description"] = f"Option of {', '.join(names)}."
    return properties


def build_schema(rules: Iterable[type[Rule]]) -> dict[str, Any]:
    """The whole configuration schema for this set of rules (Draft 2020-12).

    Built-in rules' options are top-level keys; a plugin's options sit under
    ``plugins: {<distribution>: {...}}``, so that two plugins cannot collide with each
    other, nor with gwlint's own keys.
    """
    rules = list(rules)
    properties: dict[str, Any] = {k: dict(v) for k, v in CORE_PROPERTIES.items()}
    properties.update(_options_properties([r for r in rules if r.plugin is None], [*CORE_PROPERTIES, PLUGINS_KEY]))
    by_plugin: dict[str, list[type[Rule]]] = {}
    for rule in rules:
        if rule.plugin is not None:
            by_plugin.setdefault(rule.plugin, []).append(rule)
    properties[PLUGINS_KEY] = {
        "description": "Options of rule plugins, by the name of the distribution that provides them.",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            name: {
                "description": f"Options of the rules of {name}.",
                "type": "object",
                "additionalProperties": False,
                "properties": dict(sorted(_options_properties(plugin_rules, ()).items())),
            }
            for name, plugin_rules in sorted(by_plugin.items())
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "gwlint configuration (.gwlint.yaml, or [tool.gwlint] in pyproject.toml)",
        "type": "object",
        "additionalProperties": False,
        "properties": dict(sorted(properties.items())),
    }


def options_schema(rule: type[Rule]) -> dict[str, Any]:
    """The schema one rule's options must satisfy, as the engine checks them before the rule runs."""
    return {"type": "object", "properties": dict(rule.options_schema)}


def schema_text(rules: Iterable[type[Rule]]) -> str:
    """The schema as the published file holds it: sorted, indented, newline-terminated."""
    import json

    return json.dumps(build_schema(rules), indent=2) + "\n"


Locator = Callable[[Path, bool], tuple[int, int]]


"""(path, at_key) → 1-based (line, column) of that key (at_key) or of its value."""


_TYPE_NAMES = {
    "array": "a list",
    "object": "a mapping",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "null": "null",
}


def _expected(types: Any) -> str:
    names = [types] if isinstance(types, str) else list(types)
    return " or ".join(_TYPE_NAMES.get(t, t) for t in names)


def validate(data: Any, schema: dict[str, Any], locate: Locator) -> list[tuple[int, int, str]]:
    """Every schema violation as (line, column, message), in file order."""
    from jsonschema import Draft202012Validator

    problems: list[tuple[int, int, str]] = []
    for error in Draft202012Validator(schema).iter_errors(data):
        path: Path = tuple(error.absolute_path)
        where = dotted(path)
        label = f"`{where}`" if path else "the configuration"
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = error.schema.get("properties", {})
            for key in error.instance:
                if key not in known:
                    line, col = locate((*path, key), True)
                    inside = f" in `{where}`" if path else ""
                    problems.append((line, col, f"unknown key {key!r}{inside}{suggest(str(key), known)}"))
            continue
        if "propertyNames" in error.relative_schema_path:
            line, col = locate((*path, error.instance), True)
            problems.append((line, col, f"invalid key {error.instance!r} in {label}: {error.message}"))
            continue
        line, col = locate(path, False)
        if error.validator == "type":
            message = f"{label} must be {_expected(error.validator_value)}, not {type_name(error.instance)}"
            if error.validator_value == "string" and isinstance(error.instance, (int, float)):
                message += f" (quote it: YAML reads it unquoted as {error.instance!r})"
        elif error.validator == "pattern" and path == ("kube-version",):
            message = f'{label} must be a Kubernetes version such as "1.30", not {error.instance!r}'
        elif error.validator == "enum":
            choices = ", ".join(str(c) for c in error.validator_value)
            hint = suggest(str(error.instance), [str(c) for c in error.validator_value])
            message = f"{label} must be one of {choices}, not {error.instance!r}{hint}"
        else:
            message = f"{label}: {error.message}"
        problems.append((line, col, message))
    problems.sort()
    return problems


def rule_token_problems(
    tokens: Sequence[tuple[Path, str]], rules: Sequence[type[Rule]], locate: Locator, as_key: bool
) -> list[tuple[int, int, str]]:
    """Rule ids/names/prefixes in ``select``, ``ignore`` and ``severity`` that match no rule."""
    from gwlint.engine.registry import matches

    vocabulary = [r.id for r in rules] + [r.name for r in rules]
    problems = []
    for path, token in tokens:
        if token.upper() == "ALL" and not as_key:
            continue
        ok = any(token in (r.id, r.name) if as_key else matches(r, token) for r in rules)
        if not ok:
            line, col = locate(path, as_key)
            where = dotted(path[:-1] if as_key else path)
            problems.append((line, col, f"`{where}`: unknown rule {token!r}{suggest(token, vocabulary)}"))
    return problems
