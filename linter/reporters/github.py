"""GitHub Actions workflow commands (annotations), escaped the way ``@actions/core`` does.

One ``::error``/``::warning``/``::notice`` line per finding, with ``file`` relative to
the repository root (what GitHub maps onto the diff), the one-line region, a ``title``
of rule id and name, and the message followed by the origin (the Helm template) and
the related places. Unnamed standard input has no file in the repository, so its annotations carry
the position in the message instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from gwlint.core.findings import Location, Severity, Span
from gwlint.reporters.origins import origin_note
from gwlint.reporters.paths import is_unnamed_stdin, relative_to_root

if TYPE_CHECKING:
    from gwlint.core.result import RunResult
    from gwlint.reporters import ReportOptions

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message as ``@actions/core`` ``escapeData`` does (``%``, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value as ``@actions/core`` ``escapeProperty`` does (also ``:`` and ``,``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: dict[str, str], message: str) -> str:
    """One workflow command line: ``::name k=v,k=v::message``."""
    props = ",".join(f"{k}={escape_property(v)}" for k, v in properties.items())
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def _file(file: str, root: str) -> str:
    return relative_to_root(file, root) or file


def _where(loc: Location, root: str) -> str:
    span = loc.span
    name = "stdin" if is_unnamed_stdin(loc.file) else _file(loc.file, root)
    return f"{name}:{span.line}:{span.column}" if span else name


def _span_properties(span: Span | None) -> dict[str, str]:
    if span is None:
        return {}
    return {
        "line": str(span.line),
        "endLine": str(span.end_line),
        "col": str(span.column),
        "endColumn": str(span.end_column),
    }


def render(result: RunResult, out: TextIO, options: ReportOptions) -> None:
    """Write one annotation per finding, then one ``::error`` per run error."""
    root = options.resolved_root()
    for f in result.findings:
        loc = f.location
        props: dict[str, str] = {}
        message = f.message
        if is_unnamed_stdin(loc.file):
            message = f"{_where(loc, root)}: {message}"
        else:
            props = {"file": _file(loc.file, root), **_span_properties(loc.span)}
        props["title"] = f"{f.rule_id} {f.rule_name}"
        message += origin_note(loc)
        for rel in f.related:
            message += f"\n{_where(rel, root)}: {rel.message}{origin_note(rel)}"
        out.write(command(COMMAND[f.severity], props, message) + "\n")
    for e in result.errors:
        props = {"file": _file(e.file, root)} if e.file and not is_unnamed_stdin(e.file) else {}
        props["title"] = "gwlint run error"
        out.write(command("error", props, e.message) + "\n")
