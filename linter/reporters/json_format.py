"""Machine-readable output: schema ``gwlint-findings`` version 2.

The format is documented in ``docs/json-format.md`` and described by the JSON Schema
``gwlint/schemas/findings.schema.json``; a test validates real output against it. Add
fields freely; renaming or removing one, or changing a meaning, needs a new version.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, TextIO

from gwlint import __version__
from gwlint.core.datapath import Path
from gwlint.core.findings import Finding, Location, ResourceId, RunError, Severity
from gwlint.core.fixes import Fix
from gwlint.reporters.origins import helm_source, origin_object

if TYPE_CHECKING:
    from gwlint.core.result import RunResult
    from gwlint.reporters import ReportOptions

SCHEMA_NAME = "gwlint-findings"
SCHEMA_VERSION = 2
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def format_path(path: Path) -> str:
    """A data path as ``spec.containers[0].ports``; keys with dots or slashes are quoted.

    ``metadata.annotations["gwlint.io/ignore"]`` stays unambiguous, unlike a plain
    dotted join.
    """
    out = ""
    for elem in path:
        if isinstance(elem, int):
            out += f"[{elem}]"
        elif _PLAIN_KEY.match(elem):
            out += f".{elem}" if out else elem
        else:
            out += f"[{json.dumps(elem)}]"
    return out


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
        "path": format_path(loc.path),
        "resource": _resource(loc.resource),
        "helmSource": helm_source(loc),
        "origin": origin_object(loc),
    }


def finding_to_dict(f: Finding) -> dict[str, Any]:
    """One finding as the JSON format shows it."""
    return {
        "rule": f.rule_id,
        "name": f.rule_name,
        "severity": f.severity.label,
        "message": f.message,
        **_location(f.location),
        "related": [{**_location(r), "message": r.message} for r in f.related],
        "fingerprint": f.fingerprint,
        "fix": None if f.fix is None else fix_to_dict(f.fix),
    }


def fix_to_dict(fix: Fix) -> dict[str, Any]:
    """A finding's fix: what it does, how safe, and its edits (empty, with the reason, when only shown)."""
    return {
        "message": fix.message,
        "applicability": fix.applicability,
        "file": fix.file if fix.applicable else None,
        "edits": [
            {
                "line": r.line,
                "column": r.column,
                "endLine": r.end_line,
                "endColumn": r.end_column,
                "content": r.text,
            }
            for r in (fix.replacements if fix.applicable else [])
        ],
        "unavailable": fix.unavailable,
    }


def _error(e: RunError) -> dict[str, Any]:
    return {"message": e.message, "file": e.file, "rule": e.rule_id}


def build(result: RunResult) -> dict[str, Any]:
    """The whole run as JSON-ready data."""
    counts = {s.label: 0 for s in sorted(Severity, reverse=True)}
    for f in result.findings:
        counts[f.severity.label] += 1
    return {
        "schema": SCHEMA_NAME,
        "version": SCHEMA_VERSION,
        "tool": {"name": "gwlint", "version": __version__},
        "summary": {
            "findings": len(result.findings),
            **counts,
            "files": result.files,
            "objects": result.objects,
            "errors": len(result.errors),
            "suppressed": len(result.suppressed),
            "baselined": result.baselined,
            "fixed": result.fixed,
        },
        "findings": [finding_to_dict(f) for f in result.findings],
        "errors": [_error(e) for e in result.errors],
    }


def render(result: RunResult, out: TextIO, options: ReportOptions) -> None:
    """Write the whole run as one JSON document."""
    json.dump(build(result), out, indent=2)
    out.write("\n")
