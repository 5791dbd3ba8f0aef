"""GW302 startup-probe-missing: a probe may kill a container that is still starting.

The kubelet restarts a container whose startupProbe fails, exactly as for liveness; a
startupProbe only holds liveness back for its own budget. So the budget that counts for
start-up is the startupProbe's when there is one, else the livenessProbe's. When it is
shorter than the time the application needs to start, every cold start (new node, cold
cache, slow migration) ends in a restart loop.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

from gwlint.core.datapath import Path
from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Related, Rule
from gwlint.index.index import Index
from gwlint.model.workloads import Workload
from gwlint.rules._probes import budget_text

ANNOTATION = "gwlint.io/startup-seconds"


@functools.cache
def _seconds_re() -> re.Pattern[str]:
    return re.compile(r"\s*([0-9]+)\s*")


FAST_START_SECONDS = 5
"""The start-up time expected of the native proxies below: they start in well under a second."""


FAST_IMAGES = frozenset({"haproxy", "envoy", "nginx", "traefik", "caddy", "pgbouncer", "varnish"})
"""The last path component of images known to start in under a second (``haproxytech/haproxy-alpine``).

Only native proxies with no start-up work of their own: not a controller built on one
(``nginx-ingress-controller`` syncs the cluster first), not a data store that may load
its data on start (Redis, PostgreSQL). One of the ``_FLAVOURS`` may follow the name.
"""
_FLAVOURS = ("-alpine", "-debian", "-distroless", "-unprivileged")


def fast_image(image: object) -> str | None:
    """The known fast-starting image a container runs, by its repository name; None for any other.

    Read without a regular expression: this runs for every container, and compiling one
    would cost every run more than all the reads together.
    """
    if not isinstance(image, str):
        return None
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1].split(":", 1)[0]
    base = next((last[: -len(f)] for f in _FLAVOURS if last.endswith(f)), last)
    return last if base in FAST_IMAGES else None


def _annotation_path(workload: Workload) -> Path:
    """Where the annotation that :meth:`Workload.annotation` returned is written."""
    if ANNOTATION in workload.template_annotations:
        return (*workload.template_path, "metadata", "annotations", ANNOTATION)
    return ("metadata", "annotations", ANNOTATION)


class StartupProbeMissing(Rule):
    id = "GW302"
    name = "startup-probe-missing"
    severity = Severity.WARNING
    summary = "A startup or liveness probe may restart a serving container before it has started"
    tags = ("probes",)
    options_schema = {"min-startup-seconds": {"type": "integer", "minimum": 0}}
    default_options = {"min-startup-seconds": 30}

    def subjects(self, index: Index) -> Iterable[Workload]:
        return index.serving_workloads()

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        default: int = ctx.option("min-startup-seconds")
        expected = default
        source = f"option min-startup-seconds {default}"
        related: list[Related] = []
        annotated = False
        raw = workload.annotation(ANNOTATION)
        if raw is not None:
            where = _annotation_path(workload)
            m = _seconds_re().fullmatch(raw)
            if m is None:
                yield ctx.finding(
                    workload.resource,
                    where,
                    f"annotation {ANNOTATION} of {workload.display()} must be a whole number of "
                    f"seconds, not {raw!r}: it is ignored and min-startup-seconds ({default}) applies",
                )
            else:
                expected = int(m.group(1))
                annotated = True
                source = f"annotation {ANNOTATION}"
                related.append(Related(workload.resource, where, "expected start-up time set here"))
        for c in ctx.index.serving_containers(workload):
            wanted, why = expected, source
            image = fast_image(c.data.get("image"))
            if image is not None and not annotated and expected > FAST_START_SECONDS:
                wanted, why = FAST_START_SECONDS, f"{image} is a native proxy that starts in under a second"
            if c.startup is not None:
                if c.startup.kill_budget < wanted:
                    yield ctx.finding(
                        workload.resource,
                        c.startup.path,
                        f"the startupProbe of container {c.name!r} of {workload.display()} gives up and "
                        f"restarts it after {budget_text(c.startup)}, less than the expected start-up time of "
                        f"{wanted}s ({why}): a slow start is killed and restarted; raise its failureThreshold",
                        related,
                    )
                continue
            live = c.liveness
            if live is None or live.kill_budget >= wanted:
                continue
            # the startupProbe is what is missing: point at the container that should have it
            yield ctx.finding(
                workload.resource,
                c.name_path,
                f"container {c.name!r} of {workload.display()} has no startupProbe, and its livenessProbe "
                f"gives up and restarts it after {budget_text(live)}, less than the expected start-up time of "
                f"{wanted}s ({why}): a slow start is killed and restarted; add a startupProbe",
                [Related(workload.resource, live.path, f"livenessProbe: restarts after {live.kill_budget}s"), *related],
            )
