"""SARIF 2.1.0 for GitHub code scanning, built with sarif-om.

What GitHub needs is encoded here: one run, every rule with help markdown and a
``helpUri``, ``problem.severity`` and ``precision`` (these are reliability findings, so
no ``security-severity``), one-line regions, repository-relative URIs under
``%SRCROOT%``, partial fingerprints that ignore line moves, related locations with
messages for the other side of a reference, and ``results: []`` for a clean run. Run
errors become ``toolExecutionNotifications`` with ``executionSuccessful: false``. A
finding whose fix resolved to edits of a file carries it as ``fixes`` (one
``artifactChange`` with its ``replacements``; the applicability in ``properties``).

The output is the same on every machine: ``%SRCROOT%`` is described but not given an
absolute ``uri`` (GitHub resolves it to the checkout; an absolute path would only leak
the build machine's layout). Files outside the repository get absolute ``file:`` URIs,
and only then does the run record its ``workingDirectory``. Unnamed standard input has
the relative URI ``stdin`` without a base: it is no file of the repository; pass
``--stdin-filename`` to report it under a real path.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

import attrs
import sarif_om as om
from gwlint import HOMEPAGE, __version__
from gwlint.core.findings import Location, RunError, Severity
from gwlint.core.fixes import Fix
from gwlint.reporters.origins import origin_note, origin_object
from gwlint.reporters.paths import is_unnamed_stdin, relative_to_root

if TYPE_CHECKING:
    from gwlint.core.findings import Finding
    from gwlint.core.result import RuleInfo, RunResult
    from gwlint.reporters import ReportOptions

INFORMATION_URI = HOMEPAGE
SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
STDIN_URI = "stdin"
FINGERPRINT_KEY = "gwlintFindingHash/v1"

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}
# Every rule is a deterministic check of the manifests as written, not a heuristic.
PRECISION = "high"
PROBLEM_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "recommendation"}
# ``level`` means something even when it equals sarif-om's default ("warning"): a
# result's level otherwise falls back to its rule's level, which may differ.
_ALWAYS_EMIT = frozenset({"level"})


def to_json(obj: Any) -> Any:
    """Serialise sarif-om objects: camelCase names, no unset fields, no sarif-om defaults.

    sarif-om fills many fields with defaults (``rank = -1``, ``contents = [...]``,
    ``enabled = True``); emitting them would add bogus or noisy properties, so a field
    equal to its default is dropped, except ``level``.
    """
    if attrs.has(type(obj)):
        out: dict[str, Any] = {}
        for f in attrs.fields(type(obj)):
            value = getattr(obj, f.name)
            if value is None:
                continue
            if f.name not in _ALWAYS_EMIT and f.default is not attrs.NOTHING:
                default = f.default.factory() if isinstance(f.default, attrs.Factory) else f.default  # type: ignore[arg-type]
                if value == default:
                    continue
            out[f.metadata.get("schema_property_name", f.name)] = to_json(value)
        return out
    if isinstance(obj, dict):
        return {k: to_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_json(v) for v in obj]
    return obj


def artifact_location(file: str, root: str) -> om.ArtifactLocation:
    """A percent-encoded URI relative to ``%SRCROOT%``; absolute ``file:`` outside it."""
    if is_unnamed_stdin(file):
        return om.ArtifactLocation(uri=STDIN_URI)
    rel = relative_to_root(file, root)
    if rel is None:
        return om.ArtifactLocation(uri=Path(os.path.abspath(file)).as_uri())
    return om.ArtifactLocation(uri=quote(rel), uri_base_id=SRCROOT)


def _location(loc: Location, root: str, message: str | None = None, ident: int | None = None) -> om.Location:
    span = loc.span
    region = (
        om.Region(start_line=span.line, start_column=span.column, end_line=span.end_line, end_column=span.end_column)
        if span
        else None
    )
    logical = (
        [om.LogicalLocation(name=loc.resource.name, fully_qualified_name=loc.resource.logical_name(), kind="object")]
        if loc.resource
        else None
    )
    return om.Location(
        id=ident,
        physical_location=om.PhysicalLocation(artifact_location=artifact_location(loc.file, root), region=region),
        logical_locations=logical,
        message=om.Message(text=message) if message else None,
    )


def _related_message(loc: Location) -> str:
    text = loc.message or (loc.resource.display() if loc.resource else "related location")
    return text + origin_note(loc)


def _descriptor(rule: RuleInfo) -> om.ReportingDescriptor:
    doc = rule.doc().strip()
    what = rule.doc_sections().get("What it does", "").split("\n\n")[0].replace("\n", " ").strip()
    full = what or rule.summary
    help_uri = rule.help_uri()
    help_text = f"{rule.summary}. See {help_uri}" if help_uri else f"{rule.summary}."
    tags = list(dict.fromkeys(["reliability", *rule.tags]))
    return om.ReportingDescriptor(
        id=rule.id,
        name=rule.name,
        short_description=om.MultiformatMessageString(text=rule.summary),
        full_description=om.MultiformatMessageString(text=full, markdown=full),
        help=om.MultiformatMessageString(text=help_text, markdown=doc or f"**{rule.id} {rule.name}**: {rule.summary}."),
        help_uri=help_uri,
        default_configuration=om.ReportingConfiguration(level=LEVEL[rule.severity]),
        properties={
            "tags": tags,
            "problem.severity": PROBLEM_SEVERITY[rule.severity],
            "precision": PRECISION,
        },
    )


def _fix(fix: Fix, root: str) -> om.Fix:
    """A fix as one artifact change; a replacement with an empty region inserts, one without content deletes."""
    assert fix.file is not None
    return om.Fix(
        description=om.Message(text=fix.message),
        artifact_changes=[
            om.ArtifactChange(
                artifact_location=artifact_location(fix.file, root),
                replacements=[
                    om.Replacement(
                        deleted_region=om.Region(
                            start_line=r.line, start_column=r.column, end_line=r.end_line, end_column=r.end_column
                        ),
                        inserted_content=om.ArtifactContent(text=r.text) if r.text else None,
                    )
                    for r in fix.replacements
                ],
            )
        ],
        properties={"applicability": fix.applicability},
    )


def _result(f: Finding, rule_index: dict[str, int], root: str) -> om.Result:
    message = f.message + origin_note(f.location)
    origin = origin_object(f.location)
    related = [_location(r, root, _related_message(r), ident=i) for i, r in enumerate(f.related, start=1)]
    return om.Result(
        rule_id=f.rule_id,
        rule_index=rule_index.get(f.rule_id, -1),
        level=LEVEL[f.severity],
        message=om.Message(text=message),
        locations=[_location(f.location, root)],
        related_locations=related or None,
        partial_fingerprints={FINGERPRINT_KEY: f.fingerprint},
        properties={"origin": origin} if origin is not None else None,
        fixes=[_fix(f.fix, root)] if f.fix is not None and f.fix.applicable else None,
    )


def _notification(e: RunError, rule_index: dict[str, int], root: str) -> om.Notification:
    rule_ref = (
        om.ReportingDescriptorReference(id=e.rule_id, index=rule_index[e.rule_id]) if e.rule_id in rule_index else None
    )
    where = (
        [om.Location(physical_location=om.PhysicalLocation(artifact_location=artifact_location(e.file, root)))]
        if e.file
        else None
    )
    return om.Notification(
        message=om.Message(text=e.message),
        level="error",
        locations=where,
        associated_rule=rule_ref,
    )


def _outside_root(result: RunResult, root: str) -> bool:
    files = [f.location.file for f in result.findings]
    files += [r.file for f in result.findings for r in f.related]
    files += [e.file for e in result.errors if e.file]
    return any(not is_unnamed_stdin(f) and relative_to_root(f, root) is None for f in files)


def build(result: RunResult, options: ReportOptions) -> dict[str, Any]:
    """The SARIF log as JSON-ready data."""
    root = options.resolved_root()
    rules = sorted({r.id: r for r in result.rules}.values(), key=lambda r: r.id)
    rule_index = {r.id: i for i, r in enumerate(rules)}
    notifications = [_notification(e, rule_index, root) for e in result.errors]
    run = om.Run(
        tool=om.Tool(
            driver=om.ToolComponent(
                name="gwlint",
                semantic_version=__version__,
                version=__version__,
                information_uri=INFORMATION_URI,
                rules=[_descriptor(r) for r in rules],
            )
        ),
        results=[_result(f, rule_index, root) for f in result.findings],
        invocations=[
            om.Invocation(execution_successful=not result.errors, tool_execution_notifications=notifications or None)
        ],
        column_kind="unicodeCodePoints",
        original_uri_base_ids={
            SRCROOT: om.ArtifactLocation(
                description=om.Message(text="The root of the repository (the checkout path): URIs are relative to it.")
            )
        },
    )
    if _outside_root(result, root):
        # GitHub maps absolute URIs into the repository only through the checkout path
        run.invocations[0].working_directory = om.ArtifactLocation(uri=Path(root).as_uri().rstrip("/") + "/")
    log = to_json(om.SarifLog(version="2.1.0", schema_uri=SCHEMA_URI, runs=[run]))
    return {"$schema": log["$schema"], "version": log["version"], "runs": log["runs"]}


def render(result: RunResult, out: TextIO, options: ReportOptions) -> None:
    """Write the SARIF log (an empty ``results`` list stays ``results: []``)."""
    json.dump(build(result, options), out, indent=2)
    out.write("\n")
