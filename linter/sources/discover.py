"""What a repository holds: Helm charts, root kustomizations, and plain manifests.

A repository is linted as it will be applied, so the files of a chart or of a
kustomization are not manifests on their own: a template is not YAML, a patch is half an
object, and a base would be counted once per overlay. Discovery sorts every input file
into one of three owners before anything is read as a manifest:

- a folder holding ``Chart.yaml`` is a chart; its sub-charts (``charts/*``) render only
  through it, and nothing under it is plain YAML;
- a folder holding ``kustomization.yaml``, ``kustomization.yml`` or ``Kustomization`` is a
  kustomization; the *roots* (those no other kustomization of the repository uses, and
  not ``kind: Component``) are built, and the files a root build reads are not plain;
- every other manifest file is plain YAML, as before.

Discovery only reads ``Chart.yaml`` and kustomization files; it never runs a tool.
Whether a run needs it at all (an input may be or belong to a chart or a kustomization)
is :func:`gwlint.sources.files.needs_render`, which a plain run on manifest files asks
without importing this module.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from gwlint.core.records import Value
from gwlint.sources.files import CHART_FILE, KUSTOMIZATION_NAMES, MANIFEST_SUFFIXES, kustomization_file
from gwlint.sources.yamldata import read_yaml


class HelmIgnore:
    """The patterns of a chart's ``.helmignore``, matched as Helm matches them.

    Helm's rules: one glob per line, ``#`` comments, a trailing ``/`` matches folders only,
    a pattern with a ``/`` matches the path from the chart root, one without matches any
    name, and ``!`` negates.
    """

    def __init__(self, text: str) -> None:
        self.rules: list[tuple[str, bool, bool]] = []  # (pattern, negated, folders only)
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            negated = line.startswith("!")
            line = line.lstrip("!")
            folders = line.endswith("/")
            self.rules.append((line.rstrip("/"), negated, folders))

    def ignored(self, rel: str, is_dir: bool) -> bool:
        """Whether the chart-relative POSIX path ``rel`` is left out of the chart."""
        result = False
        name = rel.rsplit("/", 1)[-1]
        for pattern, negated, folders in self.rules:
            if folders and not is_dir:
                continue
            target = rel if "/" in pattern else name
            if fnmatch(target, pattern.lstrip("/")):
                result = not negated
        return result


class Chart(Value):
    """A Helm chart folder: what rendering it needs and every file it owns."""

    __slots__ = ("ci_values", "dependencies", "dir", "files", "name")

    dir: Path
    name: str
    """The chart's ``name:``, which prefixes helm's ``# Source:`` paths (it may differ from the folder)."""
    ci_values: list[Path]
    """chart-testing's ``ci/*-values.yaml``: each one is a release of its own."""
    dependencies: list[dict[str, Any]]
    files: list[Path]
    """Every file the chart loads (``.helmignore`` honoured), sub-charts included: its cache key."""

    def __init__(
        self, dir: Path, name: str, ci_values: list[Path], dependencies: list[dict[str, Any]], files: list[Path]
    ) -> None:
        self.dir = dir
        self.name = name
        self.ci_values = ci_values
        self.dependencies = dependencies
        self.files = files


def _chart_files(root: Path) -> list[Path]:
    """The files Helm loads from a chart folder, in a stable order."""
    ignore_file = root / ".helmignore"
    ignore = HelmIgnore(ignore_file.read_text(encoding="utf-8", errors="replace")) if ignore_file.is_file() else None
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        rel_dir = here.relative_to(root).as_posix()
        prefix = "" if rel_dir == "." else rel_dir + "/"
        dirnames[:] = sorted(d for d in dirnames if not (ignore and ignore.ignored(prefix + d, True)))
        for f in sorted(filenames):
            if ignore is None or not ignore.ignored(prefix + f, False):
                out.append(here / f)
    return out


def load_chart(folder: Path) -> Chart:
    """A chart folder as discovery sees it (a broken ``Chart.yaml`` is left for helm to report)."""
    meta = read_yaml(folder / CHART_FILE)
    meta = meta if isinstance(meta, dict) else {}
    deps = meta.get("dependencies")
    if not isinstance(deps, list):  # Helm 2 charts list them in requirements.yaml
        req = read_yaml(folder / "requirements.yaml")
        deps = req.get("dependencies") if isinstance(req, dict) else None
    ci = folder / "ci"
    ci_values = sorted(p for p in ci.glob("*-values.yaml") if p.is_file()) if ci.is_dir() else []
    name = meta.get("name")
    return Chart(
        dir=folder,
        name=name if isinstance(name, str) and name else folder.name,
        ci_values=ci_values,
        dependencies=[d for d in deps if isinstance(d, dict)] if isinstance(deps, list) else [],
        files=_chart_files(folder),
    )


class Kustomization(Value):
    """One kustomization file and what it references."""

    __slots__ = ("data", "dir", "dirs", "file", "files", "is_component", "patches")

    dir: Path
    file: Path
    data: dict[str, Any]
    is_component: bool
    dirs: list[Path]
    """Other kustomizations it builds on: ``resources``/``bases`` folders and ``components``."""
    files: set[Path]
    """Local files its build reads (resources, generator inputs, transformer configs)."""
    patches: set[Path]
    """Its patch files: never linted as objects on their own."""

    def __init__(self, dir: Path, file: Path, data: dict[str, Any]) -> None:
        self.dir = dir
        self.file = file
        self.data = data
        self.is_component = data.get("kind") == "Component"
        self.dirs = []
        self.files = set()
        self.patches = set()
        self._references()

    def _local(self, ref: Any) -> Path | None:
        if not isinstance(ref, str) or not ref or "\n" in ref or "://" in ref or ref.startswith(("github.com", "git@")):
            return None
        return Path(os.path.normpath(self.dir / ref))

    def _references(self) -> None:
        d = self.data
        for key in ("resources", "bases", "components"):
            for ref in _strings(d.get(key)):
                path = self._local(ref)
                if path is None:
                    continue
                if path.is_dir():
                    self.dirs.append(path)
                else:
                    self.files.add(path)
        for ref in _strings(d.get("patchesStrategicMerge")):
            path = self._local(ref)
            if path is not None:
                self.patches.add(path)
        for key in ("patches", "patchesJson6902", "replacements"):
            for item in d.get(key) or []:
                path = self._local(item.get("path")) if isinstance(item, dict) else None
                if path is not None:
                    (self.patches if key != "replacements" else self.files).add(path)
        for key in ("configMapGenerator", "secretGenerator"):
            for gen in d.get(key) or []:
                if not isinstance(gen, dict):
                    continue
                refs = [*_strings(gen.get("files")), *_strings(gen.get("envs")), *_strings([gen.get("env")])]
                for ref in refs:
                    path = self._local(ref.split("=", 1)[-1])
                    if path is not None:
                        self.files.add(path)
        for key in ("transformers", "generators", "validators", "crds", "configurations"):
            for ref in _strings(d.get(key)):
                path = self._local(ref)
                if path is not None and path.is_dir():
                    self.dirs.append(path)
                elif path is not None:
                    self.files.add(path)
        openapi = d.get("openapi")
        if isinstance(openapi, dict):
            path = self._local(openapi.get("path"))
            if path is not None:
                self.files.add(path)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, list):
        yield from (v for v in value if isinstance(v, str))


class Layout(Value):
    """What discovery found under the inputs: charts, kustomizations (all, and the roots) and plain files."""

    __slots__ = ("charts", "kustomizations", "plain", "roots")

    charts: list[Chart]
    kustomizations: dict[Path, Kustomization]
    """Every kustomization seen, keyed by folder, including those reached outside the inputs."""
    roots: list[Kustomization]
    plain: list[Path]
    """Manifest files that no chart or kustomization owns, in walk order."""

    def __init__(self) -> None:
        self.charts = []
        self.kustomizations = {}
        self.roots = []
        self.plain = []

    def kustomization(self, folder: Path) -> Kustomization | None:
        """The kustomization of ``folder`` (read on first use; None when it has none)."""
        if folder in self.kustomizations:
            return self.kustomizations[folder]
        file = kustomization_file(folder)
        if file is None:
            return None
        data = read_yaml(file)
        k = Kustomization(folder, file, data if isinstance(data, dict) else {})
        self.kustomizations[folder] = k
        for sub in k.dirs:
            self.kustomization(sub)
        return k

    def closure(self, root: Kustomization) -> list[Kustomization]:
        """``root`` and every kustomization it builds on, each once, root first."""
        out: list[Kustomization] = []
        seen: set[Path] = set()
        stack = [root]
        while stack:
            k = stack.pop()
            if k.dir in seen:
                continue
            seen.add(k.dir)
            out.append(k)
            stack.extend(sub for d in reversed(k.dirs) if (sub := self.kustomization(d)) is not None)
        return out

    def consumed(self, root: Kustomization) -> set[Path]:
        """The files a successful build of ``root`` reads: not linted again as plain manifests."""
        out: set[Path] = set()
        for k in self.closure(root):
            out |= k.files | k.patches | {k.file}
            for d in k.dirs:
                if self.kustomization(d) is None:  # a folder without kustomization: every manifest in it
                    out.update(_manifests(d))
        return out

    def patch_files(self) -> set[Path]:
        """Every patch file any kustomization names."""
        return {p for k in self.kustomizations.values() for p in k.patches}

    def unused_components(self) -> set[Path]:
        """The files of components no root builds on: applied by nothing, so not linted on their own.

        A component (``kind: Component``) only makes sense on top of the kustomization
        that includes it (most of them patch objects they do not hold), so its files are
        fragments like patches. A component some root uses is linted through that root.
        """
        used = {k.dir for r in self.roots for k in self.closure(r)}
        out: set[Path] = set()
        for k in list(self.kustomizations.values()):
            if k.is_component and k.dir not in used:
                out |= k.files | k.patches | {k.file}
                for d in k.dirs:
                    if self.kustomization(d) is None:
                        out.update(_manifests(d))
        return out


def _manifests(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        for p in sorted(folder.iterdir()):
            if p.is_file() and p.name.endswith(MANIFEST_SUFFIXES):
                yield p


def _walk(root: Path, layout: Layout, exclude: Iterable[str]) -> None:
    from gwlint.sources.files import _excluded, display_name

    patterns = list(exclude)
    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        here = Path(dirpath)
        try:
            st = os.stat(here)
        except OSError:
            dirnames[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen:
            dirnames[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        if patterns and here != root and _excluded(display_name(here), patterns):
            dirnames[:] = []
            continue
        if CHART_FILE in filenames:
            layout.charts.append(load_chart(here))
            dirnames[:] = []  # sub-charts render through their parent
            continue
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        if any(n in filenames for n in KUSTOMIZATION_NAMES):
            layout.kustomization(here)
        for f in sorted(filenames):
            if f.endswith(MANIFEST_SUFFIXES) and f not in KUSTOMIZATION_NAMES:
                layout.plain.append(here / f)


def discover(directories: Iterable[Path], exclude: Iterable[str] = ()) -> Layout:
    """Charts, kustomizations and plain files under ``directories`` (paths as given, normalised)."""
    layout = Layout()
    walked = [Path(os.path.normpath(d)) for d in directories]
    for d in walked:
        _walk(d, layout, exclude)
    used = {sub for k in list(layout.kustomizations.values()) for sub in k.dirs}
    layout.roots = [
        k
        for k in layout.kustomizations.values()
        if k.dir not in used and not k.is_component and any(_under(k.dir, w) for w in walked)
    ]
    layout.roots.sort(key=lambda k: k.dir.as_posix())
    return layout


def _under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents
