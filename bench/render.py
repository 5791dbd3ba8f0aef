"""What rendering costs: a repository run over ``../shared/corpus/sources`` against the tools it runs.

Run ``python bench/render.py`` (helm and kubectl on PATH, e.g. ``.tools/bin`` after
``.ci/install-tools``). The trees are configured as ``SOURCES.md`` renders them (release
names, namespaces, podinfo's and linkerd's extra values files, linkerd's required
values): 82 renders (23 Helm releases, 59 kustomize builds, three of which fail by
design). Four measurements, each the best of ``--repeat`` whole processes, with wall
and CPU time (user + sys of the process and its children, from ``wait4``):

- **tools**: every ``helm template`` and ``kubectl kustomize`` command gwlint runs, with
  the same release, namespace, values and ``--set``, the kustomizations built where they
  are (no wrapper), run one after another in fresh processes. linkerd's scratch copies
  (its ``file://`` dependency unpacked into ``charts/``) are made before the clock
  starts. This is what a user pays to render the trees themselves on one core.
- **cold**: ``gwlint --config <the trees' config> sources/`` with an empty render cache
  (a fresh ``XDG_CACHE_HOME`` each time): discovery, the renders on every idle core,
  each release and overlay linted as its own apply, every finding mapped to its line.
  gwlint renders each chart and overlay once: the mapping reads the templates and the
  build's origin annotations, so there is no second render for positions.
- **warm**: the same command again with the cache filled (nothing changed): the cache
  keys are the files' contents, so every file is read and hashed, nothing is rendered.
- **plain**: the same objects as plain files, what linting costs without rendering or
  mapping: each render's output saved by the tools run as one file, plus the plain
  manifests the repository run lints beside them (the files no successful build uses),
  linted by one ``gwlint --no-render`` over them all.

The targets (issue 12): cold within 1.0x of tools, warm within 2x of plain. It also
prints, per tree, how the rendered findings of an in-process run landed: on an exact
line (the field itself, its values or patch line), a best-effort one (a template line
found by key matching, a nearest parent) or a fallback (the object's first line).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from gwlint.engine.repository import RenderOptions, plan  # noqa: E402
from gwlint.engine.settings import Settings  # noqa: E402
from gwlint.sources.discover import Layout  # noqa: E402
from gwlint.sources.render import Job, Overlay, find_tools  # noqa: E402
from run import child_env, gwlint_command, ratio  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
SOURCES = CORPUS / "sources"

LINKERD_VALUES = {
    "identityTrustAnchorsPEM": "placeholder-ca",
    "identity.issuer.tls.crtPEM": "placeholder-crt",
    "identity.issuer.tls.keyPEM": "placeholder-key",
}
CHARTS: dict[str, dict[str, object]] = {
    "aks-store-demo/charts/aks-store-demo": {"release": "aks-store-demo", "namespace": "pets"},
    "ingress-nginx/charts/ingress-nginx": {"release": "ingress-nginx", "namespace": "ingress-nginx"},
    "linkerd2/charts/linkerd-control-plane": {
        "release": "linkerd",
        "namespace": "linkerd",
        "value-sets": [[], ["values-ha.yaml"]],
        "set": LINKERD_VALUES,
    },
    "linkerd2/charts/linkerd2-cni": {"release": "linkerd-cni", "namespace": "linkerd-cni"},
    "microservices-demo/helm-chart": {"release": "onlineboutique", "namespace": "onlineboutique"},
    "podinfo/charts/podinfo": {"release": "podinfo", "namespace": "podinfo", "value-sets": [[], ["values-prod.yaml"]]},
}
"""Per-chart settings (relative to ``sources/``), as SOURCES.md renders the charts."""


@dataclass
class Timed:
    """One measurement: the best wall time of several runs, and that run's CPU time."""

    wall: float
    cpu: float


def run_timed(cmd: list[str], env: dict[str, str], cwd: Path, stdout: int | Path = subprocess.DEVNULL) -> Timed:
    """One fresh process: wall and CPU time (its children included)."""
    out = open(stdout, "wb") if isinstance(stdout, Path) else stdout  # noqa: SIM115
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
        _, _, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    finally:
        if isinstance(stdout, Path):
            out.close()  # type: ignore[union-attr]
    return Timed(wall, usage.ru_utime + usage.ru_stime)


def best(runs: list[Timed]) -> Timed:
    return min(runs, key=lambda t: t.wall)


def write_config(folder: Path) -> Path:
    """The trees' settings as a gwlint config (chart folders absolute, so it may live anywhere)."""
    config = folder / "gwlint.yaml"
    charts = {str(SOURCES / k): v for k, v in CHARTS.items()}
    config.write_text(json.dumps({"charts": charts}), encoding="utf-8")
    return config


def tool_commands(work: Path) -> tuple[list[list[str]], list[Job], Layout]:
    """The plain command of every render gwlint makes of the trees, with gwlint's plan of them.

    Uses gwlint's own planning (the same releases, value sets and roots) and the tools'
    own command lines; linkerd's dependency copies are made here, outside the timing.
    """
    tools = find_tools()
    assert tools.helm and tools.kustomize, "helm and kubectl (or kustomize) must be on PATH"
    options = RenderOptions(charts={str(SOURCES / k): dict(v) for k, v in CHARTS.items()})
    the_plan = plan([str(SOURCES)], [], options, Settings())
    commands: list[list[str]] = []
    for i, job in enumerate(the_plan.jobs):
        if isinstance(job, Overlay):
            commands.append([*tools.kustomize, str(job.root.dir)])
            continue
        chart = job.chart.dir
        deps = [d for d in job.chart.dependencies if str(d.get("repository", "")).startswith("file://")]
        if deps:  # as gwlint does, in a scratch copy
            chart = work / f"chart-{i}" / job.chart.dir.name
            shutil.copytree(job.chart.dir, chart)
            for d in deps:
                source = (job.chart.dir / str(d["repository"])[len("file://") :]).resolve()
                shutil.copytree(source, chart / "charts" / str(d["name"]))
        cmd = [tools.helm, "template", job.release, str(chart), "--namespace", job.namespace, "--skip-tests"]
        cmd += [a for v in job.values for a in ("--values", str(v))]
        cmd += [a for s in job.set_values for a in ("--set", s)]
        cmd += ["--kube-version", str(job.kube_version)] if job.kube_version else []
        commands.append(cmd)
    return commands, the_plan.jobs, the_plan.layout


def plain_manifests(jobs: list[Job], built: list[bool], layout: Layout) -> list[str]:
    """The files the repository run lints as plain manifests: none that a successful build uses."""
    owned = layout.patch_files() | layout.unused_components()
    for job, ok in zip(jobs, built, strict=True):
        if ok and isinstance(job, Overlay):
            owned |= layout.consumed(job.root)
    return [str(p) for p in layout.plain if p not in owned]


def tool_env(home: Path) -> dict[str, str]:
    """No cluster, repository index or plugin of the user's, as gwlint runs the tools."""
    home.mkdir(exist_ok=True)
    kubeconfig = home / "kubeconfig"
    kubeconfig.write_text("apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n")
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "KUBECONFIG": str(kubeconfig),
        "HELM_CACHE_HOME": str(home / "cache"),
        "HELM_CONFIG_HOME": str(home / "config"),
        "HELM_DATA_HOME": str(home / "data"),
    }


def precision(config: Path) -> dict[str, Counter[str]]:
    """How each tree's rendered findings landed, from in-process runs (the corpus test's settings)."""
    from gwlint.engine.registry import builtin_rules
    from gwlint.engine.repository import lint_repository

    charts = json.loads(config.read_text(encoding="utf-8"))["charts"]
    out: dict[str, Counter[str]] = {}
    for tree in sorted(p.name for p in SOURCES.iterdir() if p.is_dir()):
        rules = [cls() for cls in builtin_rules()]
        run = lint_repository([str(SOURCES / tree)], rules, Settings(), RenderOptions(charts=charts))
        out[tree] = run.precision
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (best counts)")
    args = parser.parse_args()
    if not SOURCES.is_dir():
        print(f"no corpus at {SOURCES}", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="gwlint-bench-render-"))
    try:
        config = write_config(work)
        commands, jobs, layout = tool_commands(work)
        env = tool_env(work / "home")
        outputs = work / "rendered"
        outputs.mkdir()
        files = [outputs / f"{i:03d}.yaml" for i in range(len(commands))]
        tools_runs = []
        for _ in range(args.repeat):
            runs = [run_timed(cmd, env, work, out) for cmd, out in zip(commands, files, strict=True)]
            tools_runs.append(Timed(sum(r.wall for r in runs), sum(r.cpu for r in runs)))
        tools = best(tools_runs)
        built = [f.stat().st_size > 0 for f in files]  # aks-store-demo's azd overlays fail by design
        for f, ok in zip(files, built, strict=True):
            if not ok:
                f.unlink()
        plain = plain_manifests(jobs, built, layout)

        gwlint = [*gwlint_command(sys.executable), "--fail-on", "never", "--config", str(config)]
        base_env = child_env()
        run_timed([*gwlint, str(SOURCES / "podinfo" / "kustomize")], base_env, work)  # bytecode, page cache
        colds = []
        for i in range(args.repeat):
            cold_env = {**base_env, "XDG_CACHE_HOME": str(work / f"cache-cold-{i}")}
            colds.append(run_timed([*gwlint, str(SOURCES)], cold_env, work))
        cold = best(colds)
        warm_env = {**base_env, "XDG_CACHE_HOME": str(work / "cache-warm")}
        run_timed([*gwlint, str(SOURCES)], warm_env, work)  # fills the cache
        warm = best([run_timed([*gwlint, str(SOURCES)], warm_env, work) for _ in range(args.repeat)])
        plain_cmd = [*gwlint_command(sys.executable), "--fail-on", "never", "--no-render", str(outputs), *plain]
        plain_run = best([run_timed(plain_cmd, base_env, work) for _ in range(args.repeat)])

        renders = len(commands)
        print(f"{renders} renders, {len(list(outputs.iterdir()))} outputs, {len(plain)} plain manifests")
        print("| run | wall s (best) | CPU s |")
        print("|---|---:|---:|")
        for name, t in (
            (f"tools: {renders} helm template / kubectl kustomize, one after another", tools),
            ("gwlint, cold (empty render cache)", cold),
            ("gwlint, warm (cache hit, nothing changed)", warm),
            ("gwlint --no-render on the rendered outputs and plain manifests", plain_run),
        ):
            print(f"| {name} | {t.wall:.2f} | {t.cpu:.2f} |")
        print(
            f"- cold / tools = {ratio(cold.wall, tools.wall)} wall, {ratio(cold.cpu, tools.cpu)} CPU (target <= 1.0x)"
        )
        print(
            f"- warm / plain = {ratio(warm.wall, plain_run.wall)} wall, "
            f"{ratio(warm.cpu, plain_run.cpu)} CPU (target <= 2x)"
        )
        print("| tree | exact | best-effort | fallback |")
        print("|---|---:|---:|---:|")
        os.environ["XDG_CACHE_HOME"] = str(work / "cache-warm")  # never the user's cache
        for tree, counts in precision(config).items():
            print(f"| {tree} | {counts['exact']} | {counts['best-effort']} | {counts['fallback']} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
