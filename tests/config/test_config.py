"""Configuration: discovery, precedence over the command line, validation with positions, schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

import pytest
from gwlint.config.load import Config, ConfigError, discover, find_config, load_config
from gwlint.config.schema import SchemaConflict, build_schema, schema_text
from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Rule
from gwlint.engine.registry import all_rules, builtin_rules
from gwlint.engine.run import lint
from gwlint.sources.files import Source

from ..clirun import Gwlint, gwlint_fixture  # noqa: F401  (the gwlint fixture)
from ..conftest import ROOT
from ..manifests import DEPLOYMENT, SERVICE


def repo(tmp_path: Path) -> Path:
    """A fake repository root (discovery stops at the directory holding ``.git``)."""
    (tmp_path / ".git").mkdir(parents=True)
    return tmp_path


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake repository that is also the working directory (messages name files relative to it)."""
    monkeypatch.chdir(tmp_path)
    return repo(tmp_path)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- discovery -------------------------------------------------------------------------


def test_discovery_walks_up_from_the_working_directory(tmp_path: Path) -> None:
    root = repo(tmp_path)
    cfg = write(root / ".gwlint.yaml", "namespace: shop\n")
    deep = root / "a" / "b"
    deep.mkdir(parents=True)
    assert discover(deep) == cfg


def test_nearest_config_wins_and_yaml_beats_yml_and_pyproject(tmp_path: Path) -> None:
    root = repo(tmp_path)
    write(root / ".gwlint.yaml", "namespace: outer\n")
    sub = root / "sub"
    write(sub / "pyproject.toml", '[tool.gwlint]\nnamespace = "toml"\n')
    assert discover(sub) == sub / "pyproject.toml"
    write(sub / ".gwlint.yml", "namespace: yml\n")
    assert discover(sub) == sub / ".gwlint.yml"
    write(sub / ".gwlint.yaml", "namespace: yaml\n")
    assert discover(sub) == sub / ".gwlint.yaml"


def test_pyproject_without_a_gwlint_table_is_passed_over(tmp_path: Path) -> None:
    root = repo(tmp_path)
    cfg = write(root / ".gwlint.yaml", "namespace: shop\n")
    write(root / "sub" / "pyproject.toml", "[tool.ruff]\nline-length = 100\n[tool.gwlintish]\nx = 1\n")
    assert discover(root / "sub") == cfg


def test_discovery_stops_at_the_repository_root(tmp_path: Path) -> None:
    write(tmp_path / ".gwlint.yaml", "namespace: outside\n")
    inner = repo(tmp_path / "project")
    assert discover(inner) is None
    assert find_config(None, inner, builtin_rules()) == Config()


def test_pyproject_table_is_read(tmp_path: Path) -> None:
    root = repo(tmp_path)
    write(
        root / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.gwlint]\nnamespace = "shop"\nfail-on = "error"\n'
        '\n[tool.gwlint.severity]\nGW201 = "note"\n\n[[tool.gwlint.pod-owners]]\n'
        'apiVersion = "apps.kruise.io/v1alpha1"\nkind = "CloneSet"\n',
    )
    cfg = find_config(None, root, builtin_rules())
    assert (cfg.namespace, cfg.fail_on, cfg.severity) == ("shop", "error", {"GW201": "note"})
    settings = cfg.settings(builtin_rules(), None, suppressions=True)
    assert settings.pod_owners["CloneSet"].template == ("spec", "template")
    assert settings.severity == {"GW201": Severity.NOTE}


# --- validation ------------------------------------------------------------------------


def test_typo_exits_2_naming_key_line_and_suggestion(tmp_path: Path, gwlint: Gwlint) -> None:
    root = repo(tmp_path)
    write(root / ".gwlint.yaml", "# team config\nnamespace: shop\nselct: [GW2]\n")
    write(root / "svc.yaml", SERVICE)
    run = gwlint("svc.yaml", cwd=root)
    assert run.code == 2
    assert "gwlint: error: .gwlint.yaml:3:1: unknown key 'selct' (did you mean 'select'?)" in run.err
    assert run.out == ""


def test_wrong_types_and_values_are_each_reported_at_their_value(root: Path) -> None:
    cfg = write(
        root / ".gwlint.yaml",
        "select: GW2\n"
        "fail-on: sometimes\n"
        "severity:\n  GW201: warn\n  readiness-probe-mising: note\n"
        "min-startup-seconds: '60'\n"
        "pod-owners:\n  - kind: CloneSet\n    templat: spec.template\n"
        "ignore: [GW3, GW99x]\n",
    )
    with pytest.raises(ConfigError) as exc:
        load_config(cfg, builtin_rules())
    assert exc.value.messages == [
        ".gwlint.yaml:1:9: `select` must be a list, not a string",
        ".gwlint.yaml:2:10: `fail-on` must be one of error, warning, note, never, not 'sometimes'",
        ".gwlint.yaml:4:10: `severity.GW201` must be one of error, warning, note, not 'warn' (did you mean 'warning'?)",
        ".gwlint.yaml:5:3: `severity`: unknown rule 'readiness-probe-mising' (did you mean 'readiness-probe-missing'?)",
        ".gwlint.yaml:6:22: `min-startup-seconds` must be an integer, not a string",
        ".gwlint.yaml:9:5: unknown key 'templat' in `pod-owners[0]` (did you mean 'template'?)",
        ".gwlint.yaml:10:15: `ignore[1]`: unknown rule 'GW99x'",
    ]


def test_pyproject_errors_name_the_line_of_the_key(root: Path) -> None:
    cfg = write(
        root / "pyproject.toml",
        '[tool.gwlint]\nnamespace = "shop"\nselct = ["GW2"]\n\n[tool.gwlint.severity]\nGW201 = "warn"\n',
    )
    with pytest.raises(ConfigError) as exc:
        load_config(cfg, builtin_rules())
    assert exc.value.messages == [
        "pyproject.toml:3:1: unknown key 'selct' (did you mean 'select'?)",
        "pyproject.toml:6:1: `severity.GW201` must be one of error, warning, note, not 'warn'"
        " (did you mean 'warning'?)",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- select\n", ".gwlint.yaml:1:1: the configuration must be a mapping, not a list"),
        ("select: [GW2\n", ".gwlint.yaml:1:13:"),  # the end of the unclosed line
        ("a: 1\n---\nb: 2\n", ".gwlint.yaml: a config file holds one YAML document, not 2"),
        ("select: [GW2]\nselect: [GW3]\n", ".gwlint.yaml:2:1: duplicate key 'select': only the last one would count"),
    ],
)
def test_unusable_files_are_config_errors(root: Path, text: str, message: str) -> None:
    cfg = write(root / ".gwlint.yaml", text)
    with pytest.raises(ConfigError) as exc:
        load_config(cfg, builtin_rules())
    assert exc.value.messages[0].startswith(message)


def test_empty_config_is_fine(tmp_path: Path) -> None:
    cfg = write(repo(tmp_path) / ".gwlint.yaml", "# nothing configured yet\n")
    assert load_config(cfg, builtin_rules()).select == []


def test_missing_explicit_config_exits_2(tmp_path: Path, gwlint: Gwlint) -> None:
    root = repo(tmp_path)
    write(root / "svc.yaml", SERVICE)
    run = gwlint("--config", "nope.yaml", "svc.yaml", cwd=root)
    assert run.code == 2
    assert "nope.yaml: config file not found" in run.err


# --- plugin options ----------------------------------------------------------------------


class _SlowStart(Rule):
    """A plugin rule with its own option, as the registry loads it from the distribution acme-gwlint."""

    id = "ACME001"
    name = "acme-slow-start"
    severity = Severity.WARNING
    summary = "test rule"
    options_schema: ClassVar[dict[str, Any]] = {"limit": {"type": "integer", "minimum": 1}}
    default_options: ClassVar[dict[str, Any]] = {"limit": 3}
    plugin = "acme-gwlint"

    def check(self, subject: Any, ctx: Context) -> Any:
        yield ctx.finding(subject, ("metadata", "name"), f"limit {ctx.option('limit')}")


class _OtherPlugin(_SlowStart):
    """Another distribution's rule with an option of the same name and another type."""

    id = "OTHER001"
    name = "other-rule"
    options_schema: ClassVar[dict[str, Any]] = {"limit": {"type": "string"}}
    default_options: ClassVar[dict[str, Any]] = {}
    plugin = "other-gwlint"


def test_plugin_options_are_validated_and_reach_the_rule(root: Path) -> None:
    rules = [*builtin_rules(), _SlowStart]
    bad = write(root / ".gwlint.yaml", "plugins:\n  acme-gwlint: {limit: 0}\n")
    with pytest.raises(ConfigError) as exc:
        load_config(bad, rules)
    assert exc.value.messages == [".gwlint.yaml:2:24: `plugins.acme-gwlint.limit`: 0 is less than the minimum of 1"]
    top = write(root / ".gwlint.yaml", "limit: 7\n")
    with pytest.raises(ConfigError, match="unknown key 'limit'"):
        load_config(top, rules)
    good = write(root / ".gwlint.yaml", "plugins:\n  acme-gwlint: {limit: 7}\nmin-startup-seconds: 90\n")
    cfg = load_config(good, rules)
    settings = cfg.settings(rules, None, suppressions=True)
    result = lint([Source("svc.yaml", SERVICE.encode())], [_SlowStart()], settings)
    assert [f.message for f in result.findings] == ["limit 7"]


def test_two_plugins_may_declare_the_same_option(root: Path) -> None:
    rules = [*builtin_rules(), _SlowStart, _OtherPlugin]
    cfg = load_config(
        write(root / ".gwlint.yaml", "plugins:\n  acme-gwlint: {limit: 2}\n  other-gwlint: {limit: x}\n"), rules
    )
    settings = cfg.settings(rules, None, suppressions=True)
    result = lint([Source("svc.yaml", SERVICE.encode())], [_SlowStart(), _OtherPlugin()], settings)
    assert sorted(f.message for f in result.findings) == ["limit 2", "limit x"]
    with pytest.raises(ConfigError, match="unknown key 'third-gwlint' in `plugins`"):
        load_config(write(root / ".gwlint.yaml", "plugins:\n  third-gwlint: {}\n"), rules)


def test_plugin_option_names_are_free_but_builtin_ones_may_not_shadow_a_core_key() -> None:
    class Namespaced(_SlowStart):
        options_schema: ClassVar[dict[str, Any]] = {"namespace": {"type": "string"}}

    assert "namespace" in build_schema([Namespaced])["properties"]["plugins"]["properties"]["acme-gwlint"]["properties"]

    class Clash(Namespaced):
        plugin = None

    with pytest.raises(SchemaConflict):
        build_schema([Clash])


def test_each_rule_sees_only_its_own_options() -> None:
    from gwlint.engine.settings import Settings

    seen: list[dict[str, Any]] = []

    class Spy(_SlowStart):
        def check(self, subject: Any, ctx: Context) -> Any:
            seen.append(dict(ctx.options))
            return iter(())

    settings = Settings(options={"min-startup-seconds": 5, "limit": 9}, plugin_options={"other-gwlint": {"limit": 8}})
    lint([Source("svc.yaml", SERVICE.encode())], [Spy()], settings)
    assert seen == [{"limit": 3}]


def test_the_engine_checks_options_however_settings_were_made() -> None:
    """A library caller's settings are checked too: the rule never sees a value of the wrong type."""
    from gwlint.engine.settings import Settings

    settings = Settings(plugin_options={"acme-gwlint": {"limit": "many"}})
    result = lint([Source("svc.yaml", SERVICE.encode())], [_SlowStart()], settings)
    assert result.findings == []
    assert [e.message for e in result.errors] == [
        "invalid options for rule ACME001 (acme-slow-start): `limit` must be an integer, not a string"
    ]


def test_asking_for_an_undeclared_option_is_a_rule_error() -> None:
    class Typo(_SlowStart):
        def check(self, subject: Any, ctx: Context) -> Any:
            yield ctx.finding(subject, (), f"limit {ctx.option('limt')}")

    result = lint([Source("svc.yaml", SERVICE.encode())], [Typo()])
    assert "declares no option 'limt'" in result.errors[0].message


# --- precedence ----------------------------------------------------------------------------


def test_command_line_overrides_config(tmp_path: Path, gwlint: Gwlint) -> None:
    root = repo(tmp_path)
    write(root / ".gwlint.yaml", "select: [GW201]\nfail-on: never\nnamespace: shop\n")
    write(root / "svc.yaml", SERVICE)
    from_config = gwlint("-f", "json", "svc.yaml", cwd=root)
    assert from_config.code == 0  # fail-on: never
    [finding] = json.loads(from_config.out)["findings"]
    assert finding["rule"] == "GW201" and "shop/web" in finding["message"]

    overridden = gwlint("-f", "json", "--fail-on", "warning", "--namespace", "edge", "svc.yaml", cwd=root)
    assert overridden.code == 1
    assert "edge/web" in json.loads(overridden.out)["findings"][0]["message"]

    assert gwlint("--select", "GW301", "svc.yaml", cwd=root).out.startswith("No findings")
    assert gwlint("--ignore", "GW201", "svc.yaml", cwd=root).out.startswith("No findings")


def test_config_ignore_and_severity_apply(tmp_path: Path, gwlint: Gwlint) -> None:
    root = repo(tmp_path)
    write(root / ".gwlint.yaml", "select: [GW2, GW3]\nignore: [GW301]\nseverity: {service-selects-no-pods: note}\n")
    write(root / "app.yaml", SERVICE + "---\n" + DEPLOYMENT.replace("app: web}", "app: api}"))
    run = gwlint("app.yaml", cwd=root)
    assert "GW201 [note] service-selects-no-pods" in run.out
    assert "GW301" not in run.out
    assert run.code == 0  # a note does not fail the default fail-on: warning


def test_paths_in_config_are_the_default_inputs_relative_to_the_config(tmp_path: Path, gwlint: Gwlint) -> None:
    root = repo(tmp_path)
    write(root / ".gwlint.yaml", "select: [GW201]\npaths: [k8s]\nexclude: ['k8s/skip/*', '*.tmpl.yaml']\n")
    write(root / "k8s" / "svc.yaml", SERVICE)
    write(root / "k8s" / "skip" / "other.yaml", SERVICE.replace("name: web", "name: skipped"))
    write(root / "k8s" / "x.tmpl.yaml", SERVICE.replace("name: web", "name: templated"))
    (root / "docs").mkdir()
    run = gwlint(cwd=root / "docs")
    assert run.code == 1
    assert run.out.startswith(f"{root / 'k8s' / 'svc.yaml'}:6:3: GW201")
    assert "skipped" not in run.out and "templated" not in run.out
    assert "in 1 file" in run.out


def test_explicit_config_file_paths_are_relative_to_it(tmp_path: Path, gwlint: Gwlint) -> None:
    root = repo(tmp_path)
    write(root / "ci" / "gwlint.yaml", "select: [GW201]\ncontext: [../deploy]\n")
    write(root / "svc.yaml", SERVICE)
    write(root / "deploy" / "deployment.yaml", DEPLOYMENT)
    assert gwlint("--config", "ci/gwlint.yaml", "svc.yaml", cwd=root).code == 0
    assert gwlint("svc.yaml", "--select", "GW201", cwd=root).code == 1


def test_no_input_and_no_configured_paths_is_a_usage_error(tmp_path: Path, gwlint: Gwlint) -> None:
    run = gwlint(cwd=repo(tmp_path))
    assert run.code == 2
    assert "no input" in run.err


# --- the published schema ---------------------------------------------------------------


SCHEMA_FILE = ROOT / "linter" / "schemas" / "config.schema.json"


def test_published_schema_is_up_to_date() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(builtin_rules()), (
        "linter/schemas/config.schema.json is stale: run `gwlint --print-config-schema > "
        "linter/schemas/config.schema.json`"
    )


def test_print_config_schema_prints_the_schema_of_the_installed_rules(tmp_path: Path, gwlint: Gwlint) -> None:
    run = gwlint("--print-config-schema", cwd=tmp_path)
    assert run.code == 0
    assert json.loads(run.out) == build_schema(all_rules())


def test_schema_is_a_valid_draft_2020_12_schema_that_accepts_a_full_config() -> None:
    from jsonschema import Draft202012Validator

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    full = {
        "select": ["GW2", "readiness-probe-missing", "ALL"],
        "ignore": ["GW205"],
        "severity": {"GW201": "note"},
        "fail-on": "error",
        "namespace": "shop",
        "paths": ["k8s/"],
        "context": ["base/"],
        "exclude": ["charts/*/values*.yaml"],
        "pod-owners": [{"apiVersion": "apps.kruise.io/v1alpha1", "kind": "CloneSet", "template": "spec.template"}],
    }
    assert list(Draft202012Validator(schema).iter_errors(full)) == []


def test_findings_keep_working_without_any_config(tmp_path: Path) -> None:
    cfg = Config()
    settings = cfg.settings(builtin_rules(), None, suppressions=True)
    assert settings.namespace == "default" and settings.options == {}
    result: list[Finding] = lint(
        [Source("svc.yaml", SERVICE.encode())], [r() for r in builtin_rules()], settings
    ).findings
    assert any(f.rule_id == "GW201" for f in result)


def test_readme_configuration_example_is_valid(root: Path) -> None:
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert block is not None

    class AcmeRule(_SlowStart):  # the plugin the example configures
        options_schema: ClassVar[dict[str, Any]] = {"max-replicas": {"type": "integer"}}
        plugin = "gwlint-acme"

    rules = [*builtin_rules(), AcmeRule]
    cfg = load_config(write(root / ".gwlint.yaml", block.group(1)), rules)
    assert cfg.options["min-startup-seconds"] == 60 and cfg.kube_version == "1.30"
    assert cfg.plugin_options == {"gwlint-acme": {"max-replicas": 20}}
    assert cfg.settings(rules, None, True).pod_owners["CloneSet"].api_version == "apps.kruise.io/v1alpha1"


def test_explicit_toml_config_uses_its_tool_gwlint_table(root: Path, gwlint: Gwlint) -> None:
    write(root / "ci" / "lint.toml", '[tool.gwlint]\nselect = ["GW201"]\nfail-on = "never"\n')
    write(root / "svc.yaml", SERVICE)
    run = gwlint("--config", "ci/lint.toml", "svc.yaml", cwd=root)
    assert run.code == 0 and "GW201" in run.out
    write(root / "ci" / "other.toml", "[tool.ruff]\n")
    assert "no [tool.gwlint] table" in gwlint("--config", "ci/other.toml", "svc.yaml", cwd=root).err


# --- kube-version ------------------------------------------------------------------------


def test_kube_version_defaults_to_the_newest_known_and_the_command_line_wins(root: Path) -> None:
    from gwlint.core.kubeversion import NEWEST_KUBE_VERSION, KubeVersion

    assert Config().settings(builtin_rules(), None, True).kube_version == NEWEST_KUBE_VERSION
    cfg = load_config(write(root / ".gwlint.yaml", 'kube-version: "v1.29"\n'), builtin_rules())
    assert cfg.settings(builtin_rules(), None, True).kube_version == KubeVersion(1, 29)
    assert cfg.settings(builtin_rules(), None, True, kube_version="1.31.2").kube_version == (1, 31)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "kube-version: 1.30\n",
            "`kube-version` must be a string, not a number (quote it: YAML reads it unquoted as 1.3)",
        ),
        ("kube-version: latest\n", "`kube-version` must be a Kubernetes version such as \"1.30\", not 'latest'"),
    ],
)
def test_kube_version_that_is_not_a_version_is_reported_at_its_value(root: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as exc:
        load_config(write(root / ".gwlint.yaml", text), builtin_rules())
    assert exc.value.messages == [f".gwlint.yaml:1:15: {message}"]


class _VersionProbe(Rule):
    """Reports the Kubernetes version it was given, to show that rules can read it."""

    id = "X901"
    name = "version-probe"
    severity = Severity.NOTE
    summary = "kube-version reaches the rules."
    seen: ClassVar[list[str]] = []

    def check(self, subject: Any, ctx: Context) -> Any:
        _VersionProbe.seen.append(str(ctx.kube_version))
        return iter(())


def test_kube_version_reaches_the_rules_and_a_bad_flag_exits_2(root: Path, gwlint: Gwlint) -> None:
    from gwlint.core.kubeversion import KubeVersion
    from gwlint.engine.settings import Settings

    _VersionProbe.seen.clear()
    lint([Source("svc.yaml", SERVICE.encode())], [_VersionProbe()], Settings(kube_version=KubeVersion(1, 29)))
    assert _VersionProbe.seen == ["1.29"]
    write(root / "svc.yaml", SERVICE)
    run = gwlint("--kube-version", "one.thirty", "svc.yaml", cwd=root)
    assert run.code == 2 and "not a Kubernetes version" in run.err
    assert gwlint("--kube-version", "1.29", "--select", "GW201", "svc.yaml", cwd=root).code == 1
