"""SARIF 2.1.0 for GitHub code scanning, built with sarif-om.

What GitHub needs is encoded here: one run, every rule with help markdown, one-line
regions, repository-relative URIs under ``%SRCROOT%``, partial fingerprints that ignore
line moves, related locations for the other side of a reference, and ``results: []``
for a clean run.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

import attrs
import sarif_om as om
from gwlint import __version__
from gwlint.findings import Location, Severity

if TYPE_CHECKING:
    from gwlint.engine import RunResult
    from gwlint.reporters import ReportOptions
    from gwlint.rule import Rule

INFORMATION_URI = "https://github.com/gwlint/gwlint"
DOCS_URI = INFORMATION_URI + "/blob/main/docs/rules/{id}.md"
SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}
_PROBLEM_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "recommendation"}
# sarif-om fills these with sentinel defaults that must never reach the output
_SENTINELS = frozenset(
    {
        "rank",
        "rule_index",
        "byte_offset",
        "char_offset",
        "language",
        "newline_sequences",
        "kind",
        "index",
        "parent_index",
    }
)


def to_json(obj: Any) -> Any:
    """Serialise sarif-om objects: camelCase names, no unset fields, no sentinel defaults."""
    if attrs.has(type(obj)):
        out: dict[str, Any] = {}
        for f in attrs.fields(type(obj)):
            value = getattr(obj, f.name)
            if value is None:
                continue
            if f.name in _SENTINELS and f.default is not attrs.NOTHING:
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
    """A URI relative to the repository root, or an absolute file URI outside it."""
    path = Path(file)
    if file.startswith("<"):  # standard input
        return om.ArtifactLocation(uri=quote(file.strip("<>")), uri_base_id=SRCROOT)
    if path.is_absolute():
        try:
            rel = os.path.relpath(path, root)
        except ValueError:
            rel = ""
        if not rel or rel.startswith(".."):
            return om.ArtifactLocation(uri=path.as_uri())
        file = rel
    return om.ArtifactLocation(uri=quote(Path(file).as_posix()), uri_base_id=SRCROOT)


def _location(loc: Location, root: str, with_message: bool = False) -> om.Location:
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
    text = loc.message
    if with_message and loc.helm_source:
        text = f"{text} (template: {loc.helm_source})" if text else f"template: {loc.helm_source}"
    return om.Location(
        physical_location=om.PhysicalLocation(artifact_location=artifact_location(loc.file, root), region=region),
        logical_locations=logical,
        message=om.Message(text=text) if with_message and text else None,
    )


def _descriptor(rule: Rule) -> om.ReportingDescriptor:
    doc = rule.doc()
    sections = rule.doc_sections()
    full = sections.get("What it does", rule.summary).split("\n\n")[0].replace("\n", " ")
    help_text = f"{rule.summary}. See {DOCS_URI.format(id=rule.id)}"
    return om.ReportingDescriptor(
        id=rule.id,
        name=rule.name,
        short_description=om.MultiformatMessageString(text=rule.summary),
        full_description=om.MultiformatMessageString(text=full),
        help=om.MultiformatMessageString(text=help_text, markdown=doc or help_text),
        help_uri=DOCS_URI.format(id=rule.id),
        default_configuration=om.ReportingConfiguration(level=_LEVEL[rule.severity]),
        properties={
            "tags": ["reliability", *rule.tags],
            "problem.severity": _PROBLEM_SEVERITY[rule.severity],
            "precision": "high",
        },
    )


def build(result: RunResult, options: ReportOptions) -> dict[str, Any]:
    """The SARIF log as JSON-ready data."""
    rules = sorted({type(r).__name__: r for r in result.rules}.values(), key=lambda r: r.id)
    index = {r.id: i for i, r in enumerate(rules)}
    results = []
    for f in result.findings:
        message = f.message
        if f.location.helm_source:
            message += f" (template: {f.location.helm_source})"
        props: dict[str, Any] = {}
        if f.location.helm_source:
            props["helmSource"] = f.location.helm_source
        results.append(
            om.Result(
                rule_id=f.rule_id,
                rule_index=index.get(f.rule_id, -1),
                level=_LEVEL[f.severity],
                message=om.Message(text=message),
                locations=[_location(f.location, options.root)],
                related_locations=[
                    attrs.evolve(_location(r, options.root, with_message=True), id=i + 1)
                    for i, r in enumerate(f.related)
                ]
                or None,
                partial_fingerprints={"gwlintFindingHash/v1": f.fingerprint},
                properties=props or None,
            )
        )
    notifications = [
        om.Notification(
            message=om.Message(text=e.message),
            level="error",
            locations=[
                om.Location(
                    physical_location=om.PhysicalLocation(artifact_location=artifact_location(e.file, options.root))
                )
            ]
            if e.file
            else None,
        )
        for e in result.errors
    ]
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
        results=results,
        invocations=[
            om.Invocation(execution_successful=not result.errors, tool_execution_notifications=notifications or None)
        ],
        column_kind="unicodeCodePoints",
        original_uri_base_ids={SRCROOT: om.ArtifactLocation(uri=Path(os.path.abspath(options.root)).as_uri() + "/")},
    )
    log = om.SarifLog(version="2.1.0", schema_uri=SCHEMA_URI, runs=[run])
    data: dict[str, Any] = to_json(log)  # an empty results list stays `results: []`
    return data


def render(result: RunResult, out: TextIO, options: ReportOptions) -> None:
    """Write the SARIF log."""
    json.dump(build(result, options), out, indent=2)
    out.write("\n")
