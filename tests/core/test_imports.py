"""The import contract: stages import one way, and no module imports itself back through others.

Every import counts: at module level, inside functions (deferred for start-up time) and
under ``TYPE_CHECKING``. A deferred or type-only import that runs against the flow still
couples the stages, so this test reads the source instead of asking Python what loaded.
The same layers are declared for import-linter in ``pyproject.toml`` (run in ``.ci/run``);
this test also finds cycles inside one layer, which a layers contract does not.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {"gwlint": ROOT / "linter", "gwlint.rules": ROOT / "rules"}

# Lowest first. A module may import its own layer and the layers below; the members of
# a layer written "a | b" may not import each other.
LAYERS: list[tuple[str, ...]] = [
    ("gwlint.core",),
    ("gwlint.sources",),
    ("gwlint.loader",),
    ("gwlint.model",),
    ("gwlint.index",),
    ("gwlint.engine.api",),
    ("gwlint.engine.settings",),
    ("gwlint.rules",),
    ("gwlint.engine.registry",),
    ("gwlint.suppression", "gwlint.config", "gwlint.fix"),
    ("gwlint.engine.run",),
    ("gwlint.engine.repository",),
    ("gwlint.reporters",),
    ("gwlint.testing", "gwlint.docgen", "gwlint.rule"),
    ("gwlint.cli",),
    ("gwlint.__main__",),
]
UNLAYERED = {"gwlint", "gwlint.engine"}
"""Package roots that hold only a docstring or the version: importable from anywhere."""


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package, folder in PACKAGES.items():
        for path in folder.rglob("*.py"):
            rel = path.relative_to(folder).with_suffix("")
            parts = [p for p in rel.parts if p != "__init__"]
            name = ".".join([package, *parts])
            if package == "gwlint" and parts[:1] == ["rules"]:
                continue
            found[name] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> Iterator[tuple[str, int]]:
    """Every gwlint module that ``name`` imports, with the line, wherever the import statement is."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("gwlint"):
                    yield _existing(alias.name), node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            if not base.startswith("gwlint"):
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                yield (sub if sub in MODULES else _existing(base)), node.lineno


def _existing(name: str) -> str:
    while name not in MODULES and "." in name:
        name = name.rpartition(".")[0]
    return name


GRAPH: dict[str, set[tuple[str, int]]] = {
    name: {(dep, line) for dep, line in _imports(name, path) if dep != name} for name, path in MODULES.items()
}


def _layer(module: str) -> tuple[int, str] | None:
    best: tuple[int, str] | None = None
    for i, members in enumerate(LAYERS):
        for member in members:
            if (module == member or module.startswith(member + ".")) and (best is None or len(member) > len(best[1])):
                best = (i, member)
    return best


def test_every_module_has_a_layer() -> None:
    missing = [m for m in MODULES if m not in UNLAYERED and _layer(m) is None]
    assert not missing, f"modules outside every layer (add them to LAYERS and pyproject.toml): {missing}"


def test_imports_run_one_way() -> None:
    wrong = []
    for module, deps in GRAPH.items():
        here = _layer(module)
        if here is None:
            continue
        for dep, line in sorted(deps):
            there = _layer(dep)
            if there is None:
                continue
            if there[0] > here[0] or (there[0] == here[0] and there[1] != here[1]):
                wrong.append(f"{MODULES[module].relative_to(ROOT)}:{line}: {module} imports {dep}")
    assert not wrong, "imports against the flow:\n" + "\n".join(wrong)


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    edges = {m: sorted({d for d, _ in deps if d in MODULES}) for m, deps in GRAPH.items()}
    for root in edges:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            if i < len(edges[node]):
                work.append((node, i + 1))
                nxt = edges[node][i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                if len(component) > 1:
                    out.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return out


def test_no_import_cycle() -> None:
    assert _cycles() == []


def test_the_check_sees_a_backward_import(tmp_path: Path) -> None:
    """A test that cannot fail is no test: a model module importing the index is caught."""
    name = "gwlint.model.workloads"
    module = tmp_path / "workloads.py"
    module.write_text("def f() -> None:\n    from gwlint.index.index import Index\n", encoding="utf-8")
    deps = set(_imports(name, module))
    assert ("gwlint.index.index", 2) in deps
    here, there = _layer(name), _layer("gwlint.index.index")
    assert here is not None and there is not None and there[0] > here[0]


def test_layers_match_import_linter_config() -> None:
    """pyproject.toml's import-linter contract lists the same layers as this test."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        tomllib = pytest.importorskip("tomli")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c["layers"] for c in contracts if c["type"] == "layers")
    declared = [tuple(part.strip() for part in layer.split("|")) for layer in reversed(layers)]
    assert declared == LAYERS


def test_old_rule_api_path_still_loads_and_warns() -> None:
    """Plugins written for ``gwlint.rule`` keep working, told where the API went."""
    import importlib
    import sys

    sys.modules.pop("gwlint.rule", None)
    with pytest.warns(DeprecationWarning, match=r"gwlint\.engine\.api"):
        old = importlib.import_module("gwlint.rule")
    from gwlint.engine import api

    assert (old.Rule, old.Context, old.Related) == (api.Rule, api.Context, api.Related)


YAML_NODE_READERS: set[str] = {"gwlint.sources.yamldata"}
"""Modules outside the loader that import ruamel. Only ``sources.yamldata``, which loads and dumps
plain data (never nodes) for the files rendering reads, below the loader that it cannot use."""


def _ruamel_imports(path: Path) -> Iterator[int]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        else:
            continue
        if any(n.split(".")[0] == "ruamel" for n in names):
            yield node.lineno


def test_only_the_loader_imports_ruamel() -> None:
    """YAML nodes stay in the loader: every other stage asks ``gwlint.loader.locate`` for positions."""
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: {name} imports ruamel"
        for name, path in MODULES.items()
        if not name.startswith("gwlint.loader.") and name not in YAML_NODE_READERS
        for line in _ruamel_imports(path)
    ]
    assert not wrong, "\n".join(wrong)
    still = {name for name in YAML_NODE_READERS if name in MODULES and any(_ruamel_imports(MODULES[name]))}
    assert still == YAML_NODE_READERS & set(MODULES), "a module no longer reads nodes: drop it from YAML_NODE_READERS"
