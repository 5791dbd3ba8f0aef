"""Human-readable output: ``path:line:col: GWnnn [severity] name: message``, then a summary.

As ruff does, ``[*]`` after the rule id marks a finding ``--fix`` would fix, and a closing
line counts them (and the unsafe fixes ``--unsafe-fixes`` would add).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from gwlint.core.findings import Finding, Location, Severity

if TYPE_CHECKING:
    from gwlint.core.result import RunResult
    from gwlint.reporters import ReportOptions

_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.NOTE: "\033[36m"}
_BOLD = "\033[1m"
_DIM = "\033[2m"
_RESET = "\033[0m"


def _plural(n: int, word: str) -> str:
    suffix = "" if n == 1 else "es" if word.endswith("x") else "s"
    return f"{n} {word}{suffix}"


def _origin_note(loc: Location) -> str:
    """The origin note every format shows (``gwlint.reporters.origins``), loaded only for a place that has one."""
    if loc.origin is None:
        return ""
    from gwlint.reporters.origins import origin_note

    return origin_note(loc)


def render(result: RunResult, out: TextIO, options: ReportOptions) -> None:
    """Write one line per finding (plus its origin and related places) and a summary."""

    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if options.color else text

    for f in result.findings:
        span = f.location.span
        where = f"{f.location.file}:{span.line}:{span.column}" if span else f.location.file
        sev = paint(_COLORS[f.severity], f"[{f.severity.label}]")
        mark = " [*]" if f.fix is not None and f.fix.enabled(options.unsafe_fixes) else ""
        line = f"{paint(_BOLD, where)}: {f.rule_id}{mark} {sev} {f.rule_name}: {f.message}"
        if f.location.origin is not None:
            line += paint(_DIM, _origin_note(f.location))
        out.write(line + "\n")
        for rel in f.related:
            rspan = rel.span
            rwhere = f"{rel.file}:{rspan.line}:{rspan.column}" if rspan else rel.file
            out.write(paint(_DIM, f"    {rwhere}: {rel.message}{_origin_note(rel)}") + "\n")
    counts = {s: 0 for s in Severity}
    for f in result.findings:
        counts[f.severity] += 1
    total = len(result.findings)
    if total == 0:
        summary = f"No findings in {_plural(result.files, 'file')} ({_plural(result.objects, 'object')})."
    else:
        parts = ", ".join(_plural(counts[s], s.label) for s in (Severity.ERROR, Severity.WARNING, Severity.NOTE))
        summary = f"Found {_plural(total, 'finding')} ({parts}) in {_plural(result.files, 'file')}."
    hidden = [f"{len(result.suppressed)} suppressed"] if result.suppressed else []
    if result.baselined:
        hidden.append(f"{result.baselined} in the baseline")
    if hidden:
        summary += f" Not shown: {', '.join(hidden)}."
    if result.fixed:
        summary += f" Fixed: {_plural(result.fixed, 'finding')}."
    if result.errors:
        summary += f" The run was incomplete: {_plural(len(result.errors), 'error')}."
    out.write(paint(_BOLD, summary) + "\n")
    hint = fix_hint(result.findings, options.unsafe_fixes)
    if hint:
        out.write(hint + "\n")


def fix_counts(findings: list[Finding], unsafe: bool) -> tuple[int, int]:
    """How many findings ``--fix`` would fix, and how many more ``--unsafe-fixes`` would add."""
    fixable = sum(1 for f in findings if f.fix is not None and f.fix.enabled(unsafe))
    hidden = sum(1 for f in findings if f.fix is not None and f.fix.applicable and not f.fix.enabled(unsafe))
    return fixable, hidden


def fix_hint(findings: list[Finding], unsafe: bool) -> str:
    """``[*] 2 fixable with `--fix` (1 unsafe fix available with `--fix --unsafe-fixes`).``, or empty."""
    fixable, hidden = fix_counts(findings, unsafe)
    option = "`--fix --unsafe-fixes`" if unsafe else "`--fix`"
    more = f" ({_plural(hidden, 'unsafe fix')} available with `--fix --unsafe-fixes`)" if hidden else ""
    if fixable:
        return f"[*] {fixable} fixable with {option}{more}."
    return f"No fixes available{more}." if hidden else ""
