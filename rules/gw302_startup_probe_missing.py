"""GW302 startup-probe-missing: liveness may kill a container that is still starting.

Without a startupProbe the liveness probe judges the container from its first second.
When its kill budget is shorter than the time the application needs to start, every
cold start (new node, cold cache, slow migration) ends in a restart loop.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from gwlint.core.datapath import Path
from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Related, Rule
from gwlint.index.index import Index
from gwlint.model.workloads import Workload
from gwlint.rules._probes import budget_text

ANNOTATION = "gwlint.io/startup-seconds"
_SECONDS_RE = re.compile(r"\s*([0-9]+)\s*")


def _annotation_path(workload: Workload) -> Path:
    """Where the annotation that :meth:`Workload.annotation` returned is written."""
    if ANNOTATION in workload.template_annotations:
        return (*workload.template_path, "metadata", "annotations", ANNOTATION)
    return ("metadata", "annotations", ANNOTATION)


class StartupProbeMissing(Rule):
    id = "GW302"
    name = "startup-probe-missing"
    severity = Severity.WARNING
    summary = "A liveness probe may restart a serving container before it has started"
    tags = ("probes",)
    options_schema = {"min-startup-seconds": {"type": "integer", "minimum": 0}}
    default_options = {"min-startup-seconds": 30}

    def subjects(self, index: Index) -> Iterable[Workload]:
        return index.serving_workloads()

    def check(self, workload: Workload, ctx: Context) -> Iterator[Finding]:
        default = int(ctx.options.get("min-startup-seconds", 30))
        expected = default
        source = f"option min-startup-seconds {default}"
        related: list[Related] = []
        raw = workload.annotation(ANNOTATION)
        if raw is not None:
            where = _annotation_path(workload)
            m = _SECONDS_RE.fullmatch(raw)
            if m is None:
                yield ctx.finding(
                    workload.resource,
                    where,
                    f"annotation {ANNOTATION} of {workload.display()} must be a whole number of "
                    f"seconds, not {raw!r}: it is ignored and min-startup-seconds ({default}) applies",
                )
            else:
                expected = int(m.group(1))
                source = f"annotation {ANNOTATION}"
                related.append(Related(workload.resource, where, "expected start-up time set here"))
        for c in ctx.index.serving_containers(workload):
            live = c.liveness
            if live is None or c.startup is not None or live.kill_budget >= expected:
                continue
            # the startupProbe is what is missing: point at the container that should have it
            yield ctx.finding(
                workload.resource,
                c.name_path,
                f"container {c.name!r} of {workload.display()} has no startupProbe, and its livenessProbe "
                f"restarts it after {budget_text(live)}, less than the expected start-up time of "
                f"{expected}s ({source}): a slow start is killed and restarted; add a startupProbe",
                [Related(workload.resource, live.path, f"livenessProbe: restarts after {live.kill_budget}s"), *related],
            )
