"""Where loading files in worker processes starts to pay: whole runs, serial against parallel.

Run ``python bench/cutover.py``. It writes folders of one rendered chart per file
(see generate.py) of growing size and times whole ``gwlint`` processes on each, once
with worker processes forced on (on every core) and once forced off (through
``gwlint.parallel``), the best of ``--repeat`` runs each. The size where the gain
turns positive is what ``PARALLEL_MIN_BYTES`` is set from (docs/performance.md).
Workers only help when a second core is idle (gwlint starts none on cores other
processes keep busy), so run it on a quiet machine: each row shows the running-task
count of ``/proc/loadavg`` (1 when idle: the reader itself).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import write_files  # noqa: E402

HARNESS = """
import os
import sys
from gwlint.loader import parallel
parallel.PARALLEL_MIN_BYTES = int(sys.argv[1])
parallel.workers_available = lambda: len(os.sched_getaffinity(0))
from gwlint.cli import main
main(["--fail-on", "never", *sys.argv[2:]])
"""


def best(cmd: list[str], repeat: int) -> tuple[float, float]:
    """Best wall time of ``repeat`` runs and that run's CPU time (user + sys, children included)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out = (float("inf"), 0.0)
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        _, _, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if wall < out[0]:
            out = (wall, usage.ru_utime + usage.ru_stime)
    return out


def running() -> str:
    """Tasks running now, as ``/proc/loadavg`` counts them."""
    try:
        with open("/proc/loadavg", encoding="ascii") as fh:
            return fh.read().split()[3].partition("/")[0]
    except (OSError, IndexError):
        return "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--objects", default="140,700,1400,2800,5600,10000,20000", help="objects per folder")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (best counts)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gwlint-cutover-"))
    print(
        "| objects | files | MB | serial wall s | parallel wall s | gain s | serial CPU s | parallel CPU s | running |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    try:
        for n in (int(x) for x in args.objects.split(",") if x):
            folder = work / f"files-{n}"
            objects, files = write_files(str(folder), n)
            mb = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
            base = [sys.executable, "-c", HARNESS]
            best([*base, "0", str(folder)], 1)  # bytecode and page cache; not counted
            serial = best([*base, str(10**15), str(folder)], args.repeat)
            parallel = best([*base, "0", str(folder)], args.repeat)
            print(
                f"| {objects:,} | {files:,} | {mb:.1f} | {serial[0]:.3f} | {parallel[0]:.3f} | "
                f"{serial[0] - parallel[0]:+.3f} | {serial[1]:.2f} | {parallel[1]:.2f} | {running()} |",
                flush=True,
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
