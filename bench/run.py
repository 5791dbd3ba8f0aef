"""gwlint's benchmark: whole-process time and memory against the bars product.md sets.

Run ``python bench/run.py`` after the README's set-up. It generates rendered-chart
streams (see generate.py), then times, side by side in one run:

- ``python -c "import ruamel.yaml"`` and gwlint on one small file (start-up);
- the parse floor: ruamel.yaml's C composer building nodes with positions for the same
  stream, nothing else; and gwlint on that stream, at 1k, 10k and 100k objects;
- checkov's Kubernetes scan of the same input, when a checkov is installed in its own
  virtualenv (``--checkov PATH``, or ``bench/.checkov-venv/bin/checkov``).

Each command runs in a fresh process; the best of ``--repeat`` runs counts (wall time),
CPU time (user + sys) and peak RSS come from ``wait4``. It prints the ratios and writes
the table to ``bench/out/results.md`` (``--update-docs`` puts it into docs/performance.md).

Every command runs once untimed first, and the children run without
``PYTHONDONTWRITEBYTECODE``: an installed gwlint has its bytecode compiled (pip does it),
so start-up is measured as users have it, not with every module recompiled. gwlint
runs as its console script (what pre-commit and CI call) from the interpreter's
``bin`` directory, else as ``python -m gwlint``. The parse floor runs with the garbage
collector paused, as gwlint does: with it running, collections over the kept nodes
would triple the floor and flatter every ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import write, write_files  # noqa: E402

PARSE_FLOOR = """
import gc
import sys
from ruamel.yaml.cyaml import CSafeLoader
gc.disable()
with open(sys.argv[1], encoding="utf-8") as fh:
    text = fh.read()
loader = CSafeLoader(text)
nodes = []
while loader.check_node():
    nodes.append(loader.get_node())
loader.dispose()
print(len(nodes))
"""

SMALL = """\
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  minReadySeconds: 5
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: "nginx:1.27"
          ports: [{name: http, containerPort: 8080}]
          readinessProbe: {httpGet: {path: /ready, port: http}}
          lifecycle: {preStop: {sleep: {seconds: 5}}}
"""

MARK_BEGIN = "<!-- bench:begin -->"
MARK_END = "<!-- bench:end -->"


@dataclass
class Measure:
    """Best wall time of several runs, with that run's CPU time and the peak RSS seen."""

    wall: float
    cpu: float
    rss_mib: float
    code: int


def child_env() -> dict[str, str]:
    """The environment of measured commands: bytecode may be written and read, as when installed."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def gwlint_command(py: str) -> list[str]:
    """The ``gwlint`` console script beside the interpreter, else ``python -m gwlint``."""
    script = Path(py).parent / "gwlint"
    return [str(script)] if script.exists() else [py, "-m", "gwlint"]


def measure(cmd: list[str], repeat: int, stdin: str | None = None, cwd: Path | None = None) -> Measure:
    """Run ``cmd`` ``repeat`` times in fresh processes; output is discarded."""
    best: Measure | None = None
    peak = 0.0
    for _ in range(repeat):
        stdin_fh = open(stdin, "rb") if stdin else subprocess.DEVNULL  # noqa: SIM115
        try:
            start = time.perf_counter()
            proc = subprocess.Popen(
                cmd, stdin=stdin_fh, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=child_env(), cwd=cwd
            )
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
        finally:
            if stdin:
                stdin_fh.close()  # type: ignore[union-attr]
        proc.returncode = os.waitstatus_to_exitcode(status)
        rss = usage.ru_maxrss / 1024  # KiB on Linux
        peak = max(peak, rss)
        m = Measure(wall, usage.ru_utime + usage.ru_stime, rss, proc.returncode)
        if best is None or m.wall < best.wall:
            best = m
    assert best is not None
    best.rss_mib = peak
    return best


def find_checkov(explicit: str | None) -> str | None:
    """checkov from ``--checkov``, ``bench/.checkov-venv``, or PATH; None when absent."""
    for candidate in (explicit, str(HERE / ".checkov-venv/bin/checkov"), shutil.which("checkov")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b > 0 else "n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000", help="object counts (comma-separated)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best counts)")
    parser.add_argument("--checkov", help="path to a checkov executable (its own virtualenv)")
    parser.add_argument(
        "--checkov-size", type=int, default=10_000, help="objects for the checkov comparison (product.md: 10,000)"
    )
    parser.add_argument(
        "--files-size", type=int, default=10_000, help="objects for the many-files run, one file per app (0: skip)"
    )
    parser.add_argument("--update-docs", action="store_true", help="write the table into docs/performance.md")
    args = parser.parse_args()

    py = sys.executable
    gwlint = [*gwlint_command(py), "--fail-on", "never"]
    sizes = [int(s) for s in args.sizes.split(",") if s]
    rows: list[str] = []
    ratios: list[str] = []
    work = Path(tempfile.mkdtemp(prefix="gwlint-bench-"))
    try:
        small = work / "small.yaml"
        small.write_text(SMALL, encoding="utf-8")
        for warm in ([py, "-c", "import ruamel.yaml"], [*gwlint, str(small)], [py, "-c", PARSE_FLOOR, str(small)]):
            measure(warm, 1, cwd=work)  # compiles bytecode and fills the page cache; not counted
        repeat_small = max(args.repeat, 10)  # tens of milliseconds: more runs to find the best
        imp = measure([py, "-c", "import ruamel.yaml"], repeat_small, cwd=work)
        one = measure([*gwlint, str(small)], repeat_small, cwd=work)
        rows.append(f"| import ruamel.yaml | 1 file | {imp.wall:.3f} | {imp.cpu:.3f} | {imp.rss_mib:.0f} | |")
        rows.append(f"| gwlint | 1 small file | {one.wall:.3f} | {one.cpu:.3f} | {one.rss_mib:.0f} | |")
        ratios.append(
            f"small file: gwlint / import ruamel.yaml = {ratio(one.wall, imp.wall)} wall, "
            f"{ratio(one.cpu, imp.cpu)} CPU (target <= 2.5x)"
        )
        per_object: list[tuple[int, float, float]] = []
        floors: dict[int, Measure] = {}
        for n in sizes:
            path = work / f"stream-{n}.yaml"
            objects = write(str(path), n)
            mb = path.stat().st_size / 1e6
            repeat = 1 if n >= 100_000 else args.repeat
            floor = floors[n] = measure([py, "-c", PARSE_FLOOR, str(path)], repeat, cwd=work)
            run = measure([*gwlint, str(path)], repeat, cwd=work)
            per_object.append((objects, run.wall / objects, run.cpu / objects))
            label = f"{objects:,} objects ({mb:.1f} MB)"
            rows.append(f"| parse floor | {label} | {floor.wall:.2f} | {floor.cpu:.2f} | {floor.rss_mib:.0f} | |")
            rows.append(
                f"| gwlint | {label} | {run.wall:.2f} | {run.cpu:.2f} | {run.rss_mib:.0f} | "
                f"{objects / run.wall:,.0f} obj/s |"
            )
            ratios.append(
                f"{objects:,} objects: gwlint / parse floor = {ratio(run.wall, floor.wall)} wall, "
                f"{ratio(run.cpu, floor.cpu)} CPU (target <= 2x at 10k); peak {run.rss_mib:.0f} MiB"
                + (" (target <= 1024 MiB at 100k)" if n >= 100_000 else "")
                + ("" if run.code in (0, 1) else f"; EXIT {run.code}")
            )
        if args.files_size:
            folder = work / "files"
            objects, files = write_files(str(folder), args.files_size)
            floor_one = floors.get(args.files_size)
            if floor_one is None:
                stream_path = work / "stream-for-files.yaml"
                write(str(stream_path), args.files_size)
                floor_one = measure([py, "-c", PARSE_FLOOR, str(stream_path)], args.repeat, cwd=work)
            run = measure([*gwlint, str(folder)], args.repeat, cwd=work)
            label = f"{objects:,} objects in {files:,} files"
            rows.append(
                f"| gwlint | {label} | {run.wall:.2f} | {run.cpu:.2f} | {run.rss_mib:.0f} | "
                f"{objects / run.wall:,.0f} obj/s |"
            )
            ratios.append(
                f"{label}: gwlint / parse floor of the same objects in one stream = "
                f"{ratio(run.wall, floor_one.wall)} wall, {ratio(run.cpu, floor_one.cpu)} CPU "
                "(worker processes load files on idle cores)"
            )
        if len(per_object) > 1:
            base_wall, base_cpu = per_object[0][1], per_object[0][2]
            series = ", ".join(
                f"{n:,}: {w * 1e6:.0f} us/obj wall ({w / base_wall:.2f}x), "
                f"{c * 1e6:.0f} us/obj CPU ({c / base_cpu:.2f}x)"
                for n, w, c in per_object
            )
            ratios.append(f"scaling (time per object, relative to the smallest): {series}")
        checkov = find_checkov(args.checkov)
        if checkov:
            path = work / f"checkov-{args.checkov_size}.yaml"
            objects = write(str(path), args.checkov_size)
            ck = measure([checkov, "-f", str(path), "--framework", "kubernetes", "--quiet", "-o", "json"], 1, cwd=work)
            gw = measure([*gwlint, str(path)], args.repeat, cwd=work)
            rows.append(f"| checkov | {objects:,} objects | {ck.wall:.2f} | {ck.cpu:.2f} | {ck.rss_mib:.0f} | |")
            rows.append(f"| gwlint | {objects:,} objects | {gw.wall:.2f} | {gw.cpu:.2f} | {gw.rss_mib:.0f} | |")
            ratios.append(
                f"checkov / gwlint per object at {objects:,} objects = {ratio(ck.wall, gw.wall)} wall, "
                f"{ratio(ck.cpu, gw.cpu)} CPU (target >= 20x)"
            )
        else:
            ratios.append("checkov: not installed (see docs/performance.md for how to add it)")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    table = "\n".join(
        [
            "| command | input | wall s (best) | CPU s | peak RSS MiB | throughput |",
            "|---|---|---:|---:|---:|---|",
            *rows,
        ]
    )
    report = f"{table}\n\n" + "\n".join(f"- {r}" for r in ratios) + "\n"
    print(report)
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "results.md").write_text(report, encoding="utf-8")
    if args.update_docs:
        doc = ROOT / "docs" / "performance.md"
        text = doc.read_text(encoding="utf-8")
        start, end = text.index(MARK_BEGIN) + len(MARK_BEGIN), text.index(MARK_END)
        doc.write_text(text[:start] + "\n" + report + text[end:], encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
