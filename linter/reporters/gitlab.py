"""GitLab Code Quality report: the findings in GitLab's merge-request widget and diff.

GitLab reads a JSON array of Code Climate issues (``artifacts: reports: codequality:``),
validates each against its ``codeclimate.json`` schema and keys them by ``fingerprint``:
a repeated fingerprint would hide a finding, and a fingerprint that changed with every
line move would show every finding as new on each merge request. gwlint's fingerprints
are the SARIF ones (rule, object and field path, then the occurrence), unique in a run.
Paths are relative to the repository root, which is what GitLab places them against.
Run errors are not code-quality issues: they go to standard error and exit status 2.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from gwlint.core.findings import Severity
from gwlint.reporters.origins import origin_note
from gwlint.reporters.paths import relative_to_root

if TYPE_CHECKING:
    from gwlint.core.result import RunResult
    from gwlint.reporters import ReportOptions

SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.NOTE: "info"}
"""gwlint's severities on GitLab's scale (``info``, ``minor``, ``major``, ``critical``, ``blocker``)."""


def render(result: RunResult, out: TextIO, options: ReportOptions) -> None:
    """Write one Code Quality issue per finding, as a JSON array (``[]`` for a clean run)."""
    root = options.resolved_root()
    issues: list[dict[str, Any]] = []
    for f in result.findings:
        loc = f.location
        description = f"{f.rule_id} {f.rule_name}: {f.message}{origin_note(loc)}"
        lines = {"begin": loc.span.line, "end": loc.span.end_line} if loc.span else {"begin": 1}
        issues.append(
            {
                "type": "issue",
                "check_name": f.rule_id,
                "description": description,
                "categories": ["Bug Risk"],
                "severity": SEVERITY[f.severity],
                "fingerprint": f.fingerprint,
                "location": {"path": relative_to_root(loc.file, root) or loc.file, "lines": lines},
            }
        )
    json.dump(issues, out, indent=2, ensure_ascii=False)
    out.write("\n")
