"""GitHub Actions workflow commands (annotations), escaped the way ``@actions/core`` does."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from gwlint.findings import Severity

if TYPE_CHECKING:
    from gwlint.engine import RunResult
    from gwlint.reporters import ReportOptions

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message (``%``, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property value (also ``:`` and ``,``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: RunResult, out: TextIO, options: ReportOptions) -> None:
    """One ``::error``/``::warning``/``::notice`` line per finding, one ``::error`` per run error."""
    for f in result.findings:
        props = {"file": f.location.file}
        span = f.location.span
        if span:
            props.update(
                line=str(span.line), col=str(span.column), endLine=str(span.end_line), endColumn=str(span.end_column)
            )
        props["title"] = f"{f.rule_id} {f.rule_name}"
        message = f.message
        if f.location.helm_source:
            message += f" (template: {f.location.helm_source})"
        joined = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
        out.write(f"::{_COMMAND[f.severity]} {joined}::{escape_data(message)}\n")
    for e in result.errors:
        file = f" file={escape_property(e.file)}," if e.file else " "
        out.write(f"::error{file}title=gwlint run error::{escape_data(e.message)}\n")
