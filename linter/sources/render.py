"""Rendering charts and overlays with the real tools: offline, in parallel, cached on disk.

gwlint renders with the user's own ``helm`` and ``kustomize`` (or ``kubectl kustomize``)
as subprocesses, so what it lints is what those tools would apply. Each render:

- runs with an empty ``KUBECONFIG`` and private ``HELM_*`` homes in a temporary folder, so
  no cluster, repository index or plugin of the user's is ever consulted, and nothing is
  downloaded (a ``file://`` dependency missing from ``charts/`` is copied into a scratch
  copy of the chart; any other missing dependency fails the render with helm's message);
- never writes into the user's tree (kustomize builds go through a wrapper kustomization
  in the temporary folder, which adds the origin annotations the mapping needs);
- always names the release and the namespace, and has a timeout.

Renders run on every core the process may use, and their output is cached under
``$XDG_CACHE_HOME/gwlint/renders`` keyed by the content of everything the render reads
(the chart's or the kustomizations' files, the values, the options, the tool), so an
unchanged chart is not rendered again by the next pre-commit run.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from gwlint import __version__
from gwlint.core.records import Value
from gwlint.sources.discover import Chart, Kustomization, Layout

TIMEOUT = 120.0
"""Seconds one render may take before it counts as failed."""


class Tools(Value):
    """The rendering commands found on PATH (None: not installed)."""

    __slots__ = ("helm", "kustomize")

    helm: str | None
    kustomize: list[str] | None
    """``kustomize build`` when a standalone kustomize is installed, else ``kubectl kustomize``."""

    def __init__(self, helm: str | None, kustomize: list[str] | None) -> None:
        self.helm = helm
        self.kustomize = kustomize


def find_tools() -> Tools:
    """The tools on PATH."""
    helm = shutil.which("helm")
    kustomize = shutil.which("kustomize")
    kubectl = shutil.which("kubectl")
    if kustomize:
        build: list[str] | None = [kustomize, "build"]
    elif kubectl:
        build = [kubectl, "kustomize"]
    else:
        build = None
    return Tools(helm, build)


class Release(Value):
    """One helm render of a chart: a value set, a release name and a namespace."""

    __slots__ = ("chart", "kube_version", "label", "namespace", "release", "set_values", "values")

    chart: Chart
    label: str
    """How findings name it: ``chart/dir (values.yaml)`` or ``chart/dir (ci/x-values.yaml)``."""
    values: list[Path]
    release: str
    namespace: str
    set_values: list[str]
    kube_version: str | None

    def __init__(
        self,
        chart: Chart,
        label: str,
        values: list[Path],
        release: str,
        namespace: str,
        set_values: list[str] | None = None,
        kube_version: str | None = None,
    ) -> None:
        self.chart = chart
        self.label = label
        self.values = values
        self.release = release
        self.namespace = namespace
        self.set_values = [] if set_values is None else set_values
        self.kube_version = kube_version


class Overlay(Value):
    """One build of a root kustomization."""

    __slots__ = ("files", "label", "namespace", "root")

    root: Kustomization
    label: str
    files: list[Path]
    """Every file under the folders of the kustomizations it builds on: its cache key."""
    namespace: str
    """Where built objects that name no namespace are applied (``kubectl apply -k -n``); not a build input."""

    def __init__(self, root: Kustomization, label: str, files: list[Path], namespace: str = "default") -> None:
        self.root = root
        self.label = label
        self.files = files
        self.namespace = namespace


Job = Release | Overlay


class Output(Value):
    """What one render produced: the tool's output, or why it failed."""

    __slots__ = ("base", "cached", "error", "job", "stream", "sub_charts")

    job: Job
    stream: str
    error: str | None
    """The tool's message when the render failed (then ``stream`` is empty)."""
    base: str
    """The folder kustomize's origin paths are relative to (the wrapper's)."""
    sub_charts: dict[str, str]
    """Sub-charts copied from ``file://`` dependencies: chart name → their folder in the repository."""
    cached: bool

    def __init__(
        self,
        job: Job,
        stream: str,
        error: str | None,
        base: str = "",
        sub_charts: dict[str, str] | None = None,
        cached: bool = False,
    ) -> None:
        self.job = job
        self.stream = stream
        self.error = error
        self.base = base
        self.sub_charts = {} if sub_charts is None else sub_charts
        self.cached = cached


def overlay_files(layout: Layout, root: Kustomization) -> list[Path]:
    """Every file a build of ``root`` may read: the load restrictor keeps each kustomization in its folder."""
    out: set[Path] = set()
    for k in layout.closure(root):
        for dirpath, dirnames, filenames in os.walk(k.dir):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            out.update(Path(dirpath) / f for f in filenames)
        out |= k.files | k.patches
    return sorted(out)


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def _missing_local_dependencies(chart: Chart) -> dict[str, Path]:
    """``file://`` dependencies absent from ``charts/``: name → the folder to copy in."""
    out: dict[str, Path] = {}
    charts_dir = chart.dir / "charts"
    for dep in chart.dependencies:
        name, repo = dep.get("name"), dep.get("repository")
        if not isinstance(name, str) or not isinstance(repo, str) or not repo.startswith("file://"):
            continue
        present = (charts_dir / name).is_dir() or any(charts_dir.glob(f"{name}-*.tgz"))
        source = Path(os.path.normpath(chart.dir / repo[len("file://") :]))
        if not present and source.is_dir():
            out[name] = source
    return out


def cache_key(job: Job, tools: Tools, digests: dict[str, str] | None = None) -> str:
    """A digest of everything the render reads and how it is run.

    ``digests`` remembers each file's digest by absolute path, for the renders of one run
    that read the same files (a base under many overlays).
    """
    known = {} if digests is None else digests
    h = hashlib.sha256()

    def add(*parts: object) -> None:
        for p in parts:
            h.update(str(p).encode("utf-8", "surrogateescape") + b"\0")

    add(__version__, "render-3")
    files: list[Path]
    if isinstance(job, Release):
        add("helm", _tool_id(tools.helm), job.release, job.namespace, job.kube_version, *job.set_values)
        add(*(p.resolve() for p in job.values))
        files = list(job.chart.files) + list(job.values)
        for name, folder in sorted(_missing_local_dependencies(job.chart).items()):
            add(name, folder)
            files += [Path(dp) / f for dp, _, fs in os.walk(folder) for f in fs]
        add(job.chart.dir.resolve())
    else:
        add("kustomize", _tool_id(tools.kustomize[0] if tools.kustomize else None), job.root.dir.resolve())
        files = job.files
    for name in sorted({os.path.abspath(f) for f in files}):
        if name not in known:
            known[name] = _file_digest(Path(name))
        add(name, known[name])
    return h.hexdigest()


def _tool_id(path: str | None) -> str:
    if path is None:
        return "none"
    try:
        st = os.stat(path)
    except OSError:
        return path
    return f"{os.path.realpath(path)}:{st.st_size}:{st.st_mtime_ns}"


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/gwlint/renders``, else ``~/.cache/gwlint/renders``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "gwlint" / "renders"


def _cache_read(key: str) -> dict[str, Any] | None:
    try:
        data = json.loads((cache_dir() / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _cache_write(key: str, data: dict[str, Any]) -> None:
    target = cache_dir() / f"{key}.json"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass  # a cache that cannot be written is no cache, never an error


def _env(home: Path) -> dict[str, str]:
    """An environment that reaches no cluster, no repository index and no user plugin."""
    kubeconfig = home / "kubeconfig"
    if not kubeconfig.exists():
        kubeconfig.write_text("apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n")
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "KUBECONFIG": str(kubeconfig),
        "HELM_CACHE_HOME": str(home / "cache"),
        "HELM_CONFIG_HOME": str(home / "config"),
        "HELM_DATA_HOME": str(home / "data"),
        "LANG": "C.UTF-8",
    }


def _run(cmd: Sequence[str], env: dict[str, str], cwd: str | None = None) -> tuple[int, str, str]:
    try:
        proc = subprocess.run(
            list(cmd), capture_output=True, env=env, cwd=cwd, timeout=TIMEOUT, check=False, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:
        return -1, "", f"timed out after {TIMEOUT:.0f} s"
    except OSError as exc:
        return -1, "", f"cannot run {cmd[0]}: {exc.strerror or exc}"
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    return proc.returncode, out, err


_NOISE = ("# Warning", "Warning:", "WARNING", "Use --debug flag to render out invalid YAML")
"""Lines of the tools' stderr that are not the error: warnings, and helm's advice for its own command line."""


def _error_text(stderr: str) -> str:
    """The tool's error without its warnings and the ``Error:`` prefix."""
    lines = [ln for ln in stderr.splitlines() if ln.strip() and not ln.startswith(_NOISE)]
    text = "\n".join(lines).strip() or "the tool failed without a message"
    return text[len("Error: ") :] if text.startswith("Error: ") else text


def _render_helm(job: Release, helm: str, home: Path, scratch: Path) -> Output:
    chart_dir = job.chart.dir
    copies = _missing_local_dependencies(job.chart)
    if copies:  # a scratch copy with the file:// dependencies unpacked into charts/
        copy = scratch / "chart" / chart_dir.name
        shutil.copytree(chart_dir, copy, symlinks=True)
        for name, folder in copies.items():
            shutil.copytree(folder, copy / "charts" / name, symlinks=True, dirs_exist_ok=True)
        chart_dir = copy
    cmd = [helm, "template", job.release, str(chart_dir), "--namespace", job.namespace, "--skip-tests"]
    for v in job.values:
        cmd += ["--values", str(v.resolve())]
    for s in job.set_values:
        cmd += ["--set", s]
    if job.kube_version:
        cmd += ["--kube-version", job.kube_version]
    code, out, err = _run(cmd, _env(home))
    sub_charts = {name: str(folder) for name, folder in copies.items()}
    if code != 0:
        return Output(job, "", _error_text(err), sub_charts=sub_charts)
    return Output(job, out, None, sub_charts=sub_charts)


def _render_kustomize(job: Overlay, build: list[str], home: Path, scratch: Path) -> Output:
    wrapper = scratch / "wrapper"
    wrapper.mkdir(parents=True, exist_ok=True)
    target = os.path.relpath(job.root.dir.resolve(), wrapper.resolve())
    (wrapper / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        f"resources:\n- {json.dumps(target)}\n"
        "buildMetadata: [originAnnotations, transformerAnnotations]\n",
        encoding="utf-8",
    )
    code, out, err = _run([*build, str(wrapper)], _env(home))
    base = str(wrapper.resolve())
    if code != 0:
        message = _error_text(err).replace(str(wrapper.resolve()), "<wrapper>")
        return Output(job, "", message, base=base)
    return Output(job, out, None, base=base)


def render_all(jobs: Iterable[Job], tools: Tools, use_cache: bool = True) -> list[Output]:
    """Render every job (cache first, then one per core); the outputs in job order."""
    jobs = list(jobs)
    outputs: list[Output | None] = [None] * len(jobs)
    digests: dict[str, str] = {}
    keys = [cache_key(j, tools, digests) for j in jobs]
    todo: list[int] = []
    for i, (job, key) in enumerate(zip(jobs, keys, strict=False)):
        hit = _cache_read(key) if use_cache else None
        if hit is not None:
            outputs[i] = Output(
                job,
                str(hit.get("stream", "")),
                hit.get("error"),
                str(hit.get("base", "")),
                dict(hit.get("sub_charts", {})),
                cached=True,
            )
        else:
            todo.append(i)
    if todo:
        with tempfile.TemporaryDirectory(prefix="gwlint-render-") as tmp:
            home = Path(tmp) / "home"
            home.mkdir()

            def one(i: int) -> Output:
                job = jobs[i]
                scratch = Path(tmp) / f"job-{i}"
                scratch.mkdir()
                if isinstance(job, Release):
                    assert tools.helm is not None
                    return _render_helm(job, tools.helm, home, scratch)
                assert tools.kustomize is not None
                return _render_kustomize(job, tools.kustomize, home, scratch)

            workers = max(1, min(len(todo), _cores()))
            with ThreadPoolExecutor(max_workers=workers) as pool:
                for i, out in zip(todo, pool.map(one, todo), strict=False):
                    outputs[i] = out
                    if "timed out" not in (out.error or ""):
                        _cache_write(
                            keys[i],
                            {"stream": out.stream, "error": out.error, "base": out.base, "sub_charts": out.sub_charts},
                        )
    return [o for o in outputs if o is not None]


def _cores() -> int:
    """The cores this process may run on: one render per core at a time.

    Not fewer when the machine looks busy: the load average counts the run's own renders
    of the last minute (a second run right after the first would render on one core),
    and an extra render waiting for a core costs little.
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
