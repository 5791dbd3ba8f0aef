"""Machine-readable output, schema ``gwlint-findings`` version 1 (docs/json-format.md)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from gwlint import __version__
from gwlint.findings import Finding, Location, ResourceId, Severity

if TYPE_CHECKING:
    from gwlint.engine import RunResult
    from gwlint.reporters import ReportOptions

SCHEMA_VERSION = 1


def _resource(res: ResourceId | None) -> dict[str, str] | None:
    if res is None:
        return None
    return {"apiGroup": res.api_group, "kind": res.kind, "namespace": res.namespace, "name": res.name}


def _location(loc: Location) -> dict[str, Any]:
    span = loc.span
    return {
        "file": loc.file,
        "line": span.line if span else None,
        "column": span.column if span else None,
        "endLine": span.end_line if span else None,
        "endColumn": span.end_column if span else None,
    }


def finding_to_dict(f: Finding) -> dict[str, Any]:
    """One finding as the JSON format shows it."""
    return {
        "rule": f.rule_id,
        "name": f.rule_name,
        "severity": f.severity.label,
        "message": f.message,
        **_location(f.location),
        "path": ".".join(str(p) for p in f.location.path),
        "resource": _resource(f.location.resource),
        "helmSource": f.location.helm_source,
        "related": [
            {**_location(r), "message": r.message, "resource": _resource(r.resource), "helmSource": r.helm_source}
            for r in f.related
        ],
        "fingerprint": f.fingerprint,
    }


def render(result: RunResult, out: TextIO, options: ReportOptions) -> None:
    """Write the whole run as one JSON document."""
    counts = {s.label: 0 for s in Severity}
    for f in result.findings:
        counts[f.severity.label] += 1
    doc = {
        "schema": "gwlint-findings",
        "version": SCHEMA_VERSION,
        "tool": {"name": "gwlint", "version": __version__},
        "summary": {**counts, "files": result.files, "objects": result.objects},
        "findings": [finding_to_dict(f) for f in result.findings],
        "errors": [{"message": e.message, "file": e.file} for e in result.errors],
    }
    json.dump(doc, out, indent=2)
    out.write("\n")
