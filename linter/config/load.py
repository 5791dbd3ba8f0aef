"""Project configuration: ``.gwlint.yaml``/``.gwlint.yml`` or ``[tool.gwlint]`` in pyproject.toml.

Found by walking up from the working directory to the repository root (the directory
holding ``.git``), or named with ``--config``. A bad key or value is an error that names
the file, line and column, because a silently ignored typo in CI config means checks
silently not run. Command-line options replace the configured value of the same key.
Relative paths in a config file are relative to the directory that holds it.

Most runs (a pre-commit hook in a repository without a config file) only look for a
file and find none, so this module imports nothing of validation at import time: the
schema, the validity cache and the TOML key patterns load when a file is read.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from gwlint.core.datapath import Path as DataPath
from gwlint.core.records import Value
from gwlint.sources.files import display_name

if TYPE_CHECKING:
    from gwlint.engine.api import Rule
    from gwlint.engine.settings import Settings
    from gwlint.loader.document import Document, InputProblem

YAML_NAMES = (".gwlint.yaml", ".gwlint.yml")
PYPROJECT = "pyproject.toml"


class ConfigError(Exception):
    """An unreadable or invalid configuration: exit status 2. One message per problem."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = list(messages)


def _has_tool_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*(\[\[?\s*)?tool\s*\.\s*gwlint\s*[.\]=]", text, re.MULTILINE) is not None


def discover(start: Path) -> Path | None:
    """The config file that applies in ``start``: nearest first, up to the repository root.

    In one directory ``.gwlint.yaml`` wins over ``.gwlint.yml``, which wins over a
    ``pyproject.toml`` with a ``[tool.gwlint]`` table (one without it is passed over).
    """
    for folder in (start, *start.parents):
        for name in YAML_NAMES:
            if _is_file(folder / name):
                return folder / name
        if _is_file(folder / PYPROJECT) and _has_tool_table(folder / PYPROJECT):
            return folder / PYPROJECT
        if _exists(folder / ".git"):
            return None
    return None


def _is_file(path: Path) -> bool:
    """``path.is_file()``, but False for a folder this user may not search (not a crash)."""
    try:
        return path.is_file()
    except OSError:
        return False


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False


# --- positions -------------------------------------------------------------------------


def _yaml_locator(doc: Document) -> Any:
    """Positions in a YAML config file, from the loader's locate API."""
    from gwlint.loader.locate import start_of

    def locate(path: DataPath, at_key: bool) -> tuple[int, int]:
        return start_of(doc, path, at_key)

    return locate


_TOML_HEADER = r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$"
_TOML_KEY = r"^(\s*)((?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+))*)\s*="
_TOML_PART = r"\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_-]+)"


def _toml_parts(part: re.Pattern[str], text: str) -> tuple[str, ...]:
    return tuple(m.group(1) or m.group(2) or m.group(3) or "" for m in part.finditer(text))


def _toml_locator(text: str, root: tuple[str, ...]) -> Any:
    """Line-level positions in a TOML file (tomllib keeps none): the line of the key path."""
    header_re, key_re, part_re = re.compile(_TOML_HEADER), re.compile(_TOML_KEY), re.compile(_TOML_PART)
    entries: list[tuple[tuple[Any, ...], int, int]] = []
    table: tuple[Any, ...] = ()
    counts: dict[tuple[Any, ...], int] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        header = header_re.match(line)
        if header:
            table = _toml_parts(part_re, header.group(2))
            if header.group(1) == "[[":
                counts[table] = counts.get(table, -1) + 1
                table = (*table, counts[table])
            entries.append((table, lineno, line.index("[") + 1))
            continue
        key = key_re.match(line)
        if key:
            entries.append(((*table, *_toml_parts(part_re, key.group(2))), lineno, len(key.group(1)) + 1))

    def locate(path: DataPath, at_key: bool) -> tuple[int, int]:
        want = (*root, *path)
        best = (0, 1, 1)
        for parts, line, col in entries:
            n = len(parts)
            if n <= len(want) and want[:n] == parts and n >= best[0]:
                best = (n, line, col)
        return best[1], best[2]

    return locate


# --- loading ---------------------------------------------------------------------------


def _config_message(p: InputProblem) -> str:
    """A loader problem reworded for a config file (a duplicate key is not about the API server)."""
    if p.path and p.message.startswith("duplicate key"):
        return f"duplicate key {p.path[-1]!r}: only the last one would count"
    return p.message


def _read_yaml(path: Path, shown: str) -> tuple[Any, Any]:
    from gwlint.loader.load import load_bytes

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError([f"{shown}: cannot read config file: {exc.strerror or exc}"]) from None
    lf = load_bytes(shown, raw)
    problems = [*lf.problems, *(p for d in lf.documents for p in d.problems)]
    if problems:
        raise ConfigError(
            [f"{shown}:{(p.line or 0) + 1}:{(p.column or 0) + 1}: {_config_message(p)}" for p in problems]
        )
    if len(lf.documents) > 1:
        raise ConfigError([f"{shown}: a config file holds one YAML document, not {len(lf.documents)}"])
    if not lf.documents or lf.documents[0].data is None:
        return {}, lambda p, k: (1, 1)
    doc = lf.documents[0]
    return doc.data, _yaml_locator(doc)


def _read_pyproject(path: Path, shown: str) -> tuple[Any, Any]:
    toml: Any = importlib.import_module("tomllib" if sys.version_info >= (3, 11) else "tomli")
    try:
        text = path.read_text(encoding="utf-8")
        data = toml.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{shown}: cannot read config file: {exc}"]) from None
    except toml.TOMLDecodeError as exc:
        raise ConfigError([f"{shown}: invalid TOML: {exc}"]) from None
    section = data.get("tool", {}).get("gwlint")
    if section is None:
        raise ConfigError([f"{shown}: no [tool.gwlint] table"])
    return section, _toml_locator(text, ("tool", "gwlint"))


def _rebase_glob(pattern: str, base: Path) -> str:
    """A config-relative glob as the working-directory-relative names it is matched with.

    A pattern without a slash matches a file or folder name at any depth and stays as is.
    """
    if "/" not in pattern.rstrip("/") or pattern.startswith(("/", "*")):
        return pattern
    prefix = display_name(base)
    return pattern if prefix == "." else str(PurePosixPath(prefix) / pattern)


class Config(Value):
    """A validated configuration with paths already made relative to its file."""

    __slots__ = (
        "charts",
        "context",
        "exclude",
        "fail_on",
        "file",
        "ignore",
        "kube_version",
        "kustomizations",
        "namespace",
        "options",
        "paths",
        "plugin_options",
        "pod_owners",
        "render",
        "select",
        "severity",
    )

    file: Path | None
    select: list[str]
    ignore: list[str]
    severity: dict[str, str]
    fail_on: str | None
    namespace: str | None
    kube_version: str | None
    paths: list[str]
    context: list[str]
    exclude: list[str]
    pod_owners: list[dict[str, str]]
    options: dict[str, Any]
    render: bool
    charts: dict[str, dict[str, Any]]
    """Per-chart settings keyed by the chart folder, made absolute."""
    kustomizations: dict[str, dict[str, Any]]
    plugin_options: dict[str, dict[str, Any]]

    def __init__(
        self,
        file: Path | None = None,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
        severity: dict[str, str] | None = None,
        fail_on: str | None = None,
        namespace: str | None = None,
        paths: list[str] | None = None,
        context: list[str] | None = None,
        exclude: list[str] | None = None,
        pod_owners: list[dict[str, str]] | None = None,
        options: dict[str, Any] | None = None,
        plugin_options: dict[str, dict[str, Any]] | None = None,
        kube_version: str | None = None,
        render: bool = True,
        charts: dict[str, dict[str, Any]] | None = None,
        kustomizations: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.file = file
        self.render = render
        self.charts = {} if charts is None else charts
        self.kustomizations = {} if kustomizations is None else kustomizations
        self.select = [] if select is None else select
        self.ignore = [] if ignore is None else ignore
        self.severity = {} if severity is None else severity
        self.fail_on = fail_on
        self.namespace = namespace
        self.paths = [] if paths is None else paths
        self.context = [] if context is None else context
        self.exclude = [] if exclude is None else exclude
        self.pod_owners = [] if pod_owners is None else pod_owners
        self.options = {} if options is None else options
        self.plugin_options = {} if plugin_options is None else plugin_options
        self.kube_version = kube_version

    def rules(
        self, available: Sequence[type[Rule]], cli_select: Sequence[str], cli_ignore: Sequence[str]
    ) -> list[type[Rule]]:
        """The rules of this run: ``--select`` replaces the configured choice, ``--ignore`` adds to it."""
        from gwlint.engine.registry import select_rules

        if cli_select:
            return select_rules(available, cli_select, cli_ignore)
        return select_rules(available, self.select, [*self.ignore, *cli_ignore])

    def settings(
        self,
        available: Sequence[type[Rule]],
        namespace: str | None,
        suppressions: bool,
        kube_version: str | None = None,
    ) -> Settings:
        """Engine settings, with the command line's namespace and version winning over the configured ones."""
        from gwlint.core.kubeversion import NEWEST_KUBE_VERSION, KubeVersion
        from gwlint.engine.settings import Settings, severity_overrides
        from gwlint.index.index import PodOwnerKind

        owners = {
            o["kind"]: PodOwnerKind(
                o["kind"], o.get("apiVersion"), tuple(o.get("template", "spec.template").split("."))
            )
            for o in self.pod_owners
        }
        version = kube_version or self.kube_version
        return Settings(
            namespace=namespace or self.namespace or "default",
            severity=severity_overrides(self.severity, available),
            options=dict(self.options),
            plugin_options={name: dict(values) for name, values in self.plugin_options.items()},
            pod_owners=owners,
            suppressions=suppressions,
            kube_version=KubeVersion.parse(version) if version else NEWEST_KUBE_VERSION,
        )


def load_config(path: Path, rules: Sequence[type[Rule]]) -> Config:
    """Read and validate one config file: YAML, or the ``[tool.gwlint]`` table of a ``.toml`` file."""
    from gwlint.config.cache import validate_cached
    from gwlint.config.schema import PLUGINS_KEY, build_schema, rule_token_problems, validate

    shown = display_name(path)
    if path.suffix == ".toml":
        data, locate = _read_pyproject(path, shown)
    else:
        data, locate = _read_yaml(path, shown)
    # jsonschema only when this configuration has not passed this schema before
    problems = validate_cached(data, build_schema(rules), lambda d, schema: validate(d, schema, locate))
    if isinstance(data, dict):
        tokens = [
            ((key, i), t)
            for key in ("select", "ignore")
            if isinstance(data.get(key), list)
            for i, t in enumerate(data[key])
            if isinstance(t, str)
        ]
        problems += rule_token_problems(tokens, rules, locate, as_key=False)
        if isinstance(data.get("severity"), dict):
            keys = [(("severity", k), k) for k in data["severity"] if isinstance(k, str)]
            problems += rule_token_problems(keys, rules, locate, as_key=True)
        problems.sort()
    if problems:
        raise ConfigError([f"{shown}:{line}:{col}: {message}" for line, col, message in problems])
    base = path.resolve().parent

    def rebase(p: str) -> str:
        return os.path.normpath(base / p)

    core = {
        "select",
        "ignore",
        "severity",
        "fail-on",
        "namespace",
        "kube-version",
        "paths",
        "context",
        "exclude",
        "pod-owners",
        "render",
        "charts",
        "kustomizations",
    }
    return Config(
        file=path,
        select=list(data.get("select", [])),
        ignore=list(data.get("ignore", [])),
        severity=dict(data.get("severity", {})),
        fail_on=data.get("fail-on"),
        namespace=data.get("namespace"),
        paths=[rebase(p) for p in data.get("paths", [])],
        context=[rebase(p) for p in data.get("context", [])],
        exclude=[_rebase_glob(p, base) for p in data.get("exclude", [])],
        pod_owners=list(data.get("pod-owners", [])),
        options={k: v for k, v in data.items() if k not in core and k != PLUGINS_KEY},
        plugin_options=dict(data.get(PLUGINS_KEY, {})),
        kube_version=data.get("kube-version"),
        render=bool(data.get("render", True)),
        charts={rebase(k): dict(v) for k, v in data.get("charts", {}).items()},
        kustomizations={rebase(k): dict(v) for k, v in data.get("kustomizations", {}).items()},
    )


def find_config(explicit: str | None, cwd: Path, rules: Sequence[type[Rule]]) -> Config:
    """The ``--config`` file, else the discovered one, else an empty configuration."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError([f"{display_name(path)}: config file not found"])
        return load_config(path, rules)
    found = discover(cwd)
    return load_config(found, rules) if found is not None else Config()
