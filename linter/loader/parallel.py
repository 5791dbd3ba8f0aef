"""Loading many files on every core: parse in worker processes, cross-reference in one.

Parsing is most of a run and each file parses on its own, so with several files the
sources are cut into contiguous shares of about equal size: worker processes load all
shares but the last, which this process loads meanwhile. A loaded file crosses back
as its data and text only (documents hold no nodes once loaded; see
``gwlint.loader.Document``), which pickles in a fraction of the time parsing took.
Below ``PARALLEL_MIN_BYTES`` starting a worker costs more than it saves (measured in
docs/performance.md); where processes cannot be forked cheaply, or the pool fails in
any way, everything is loaded here, with the same result.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable, Sequence

from gwlint.core.gcpause import gc_paused
from gwlint.loader.document import LoadedFile
from gwlint.loader.load import load_bytes
from gwlint.sources.files import Source

PARALLEL_MIN_BYTES = 1_000_000
"""Total input size from which worker processes pay off (see docs/performance.md)."""


class WantsFull:
    """Which documents are built in full: modelled kinds, Lists, and documents without a kind.

    A class rather than a closure so that it can be sent to a worker process.
    """

    def __init__(self, kinds: frozenset[str]) -> None:
        self.kinds = kinds

    def __call__(self, kind: str | None) -> bool:
        return kind is None or kind in self.kinds or kind.endswith("List")


def load_files(sources: Sequence[Source], wants_full: Callable[[str | None], bool]) -> list[LoadedFile]:
    """Load sources one after another, with the garbage collector paused."""
    with gc_paused():
        return [load_bytes(s.name, s.data, wants_full) for s in sources]


def shares(sizes: Sequence[int], parts: int) -> list[int]:
    """Where to cut a list of sizes into ``parts`` non-empty contiguous runs of about equal total.

    Returns the start index of every run after the first (a file is never split):
    each cut goes where the running total comes closest to its share.
    """
    parts = max(1, min(parts, len(sizes)))
    prefix = list(itertools.accumulate(sizes, initial=0))
    total = prefix[-1]
    cuts: list[int] = []
    for j in range(1, parts):
        low, high = (cuts[-1] if cuts else 0) + 1, len(sizes) - (parts - j)
        target = total * j / parts
        cuts.append(min(range(low, high + 1), key=lambda i: abs(prefix[i] - target)))
    return cuts


def workers_available() -> int:
    """How many processes may load at once: this one plus a worker per idle core.

    Cores this process may run on, less those other processes keep busy right now
    (the running-task count of ``/proc/loadavg``, which counts this process too): a
    worker on a busy core only adds the cost of sending its results back. Only where
    processes fork (Linux); spawning re-imports gwlint in every worker.
    """
    if sys.platform != "linux":
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
        with open("/proc/loadavg", encoding="ascii") as fh:
            return processes_for(cores, fh.read())
    except (AttributeError, OSError, ValueError, IndexError):  # pragma: no cover - Linux has both
        return 1


def processes_for(cores: int, loadavg: str) -> int:
    """Processes to load with, from the core count and ``/proc/loadavg`` (``0.5 0.4 0.3 2/180 4242``)."""
    running = int(loadavg.split()[3].partition("/")[0])  # tasks running now, this process included
    return max(1, min(cores, cores - running + 1))


def load_parallel(
    sources: Sequence[Source],
    wants_full: WantsFull,
    min_bytes: int | None = None,
    cores: int | None = None,
) -> list[LoadedFile]:
    """Load sources on every available core when they are large enough to pay for it."""
    cores = workers_available() if cores is None else cores
    min_bytes = PARALLEL_MIN_BYTES if min_bytes is None else min_bytes
    sizes = [len(s.data) for s in sources]
    if cores < 2 or len(sources) < 2 or sum(sizes) < min_bytes:
        return load_files(sources, wants_full)
    cuts = shares(sizes, cores)
    bounds = [0, *cuts, len(sources)]
    groups = [list(sources[a:b]) for a, b in itertools.pairwise(bounds)]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    try:
        with ProcessPoolExecutor(len(groups) - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            pending = [pool.submit(load_files, group, wants_full) for group in groups[:-1]]
            mine = load_files(groups[-1], wants_full)
            loaded = [lf for future in pending for lf in future.result()]
    except Exception:  # a pool that cannot start or breaks: the same work, here
        return load_files(sources, wants_full)
    return loaded + mine
