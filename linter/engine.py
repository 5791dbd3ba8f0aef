"""The run: sources → loader → index → rules → findings with positions.

It isolates failures: a file that cannot be read, a document that does not parse and a
rule that raises each cost only themselves; everything else is still linted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from gwlint.findings import Finding, Location, RunError, Severity, number_occurrences
from gwlint.gcpause import gc_paused
from gwlint.index import MODELLED_KINDS, DocProblem, Index, PodOwnerKind, build_index
from gwlint.loader import LoadedFile
from gwlint.model import Resource
from gwlint.parallel import WantsFull, load_parallel
from gwlint.positions import point, resolve
from gwlint.records import Value
from gwlint.rule import Context, Rule
from gwlint.sources import Source
from gwlint.suppress import apply_suppressions


class Settings(Value):
    """Everything that shapes a run besides its inputs and rules."""

    __slots__ = ("namespace", "options", "pod_owners", "severity", "suppressions")

    namespace: str
    severity: dict[str, Severity]
    options: dict[str, Any]
    """Rule options by key; each rule sees the keys its ``options_schema`` declares."""
    pod_owners: dict[str, PodOwnerKind]
    suppressions: bool
    """Honour ``gwlint.io/ignore`` annotations and ``# gwlint: ignore=`` comments."""

    def __init__(
        self,
        namespace: str = "default",
        severity: dict[str, Severity] | None = None,
        options: dict[str, Any] | None = None,
        pod_owners: dict[str, PodOwnerKind] | None = None,
        suppressions: bool = True,
    ) -> None:
        self.namespace = namespace
        self.severity = {} if severity is None else severity
        self.options = {} if options is None else options
        self.pod_owners = {} if pod_owners is None else pod_owners
        self.suppressions = suppressions


class RunResult(Value):
    """What reporters render and what decides the exit status."""

    __slots__ = ("baselined", "errors", "files", "findings", "index", "objects", "rules", "suppressed")

    findings: list[Finding]
    errors: list[RunError]
    rules: list[Rule]
    files: int
    objects: int
    index: Index | None
    suppressed: list[Finding]
    """Findings silenced by annotations or comments (not rendered; counted in the summary)."""
    baselined: int
    """Findings left out because the baseline already records them."""

    def __init__(
        self,
        findings: list[Finding],
        errors: list[RunError],
        rules: list[Rule],
        files: int = 0,
        objects: int = 0,
        index: Index | None = None,
        suppressed: list[Finding] | None = None,
        baselined: int = 0,
    ) -> None:
        self.findings = findings
        self.errors = errors
        self.rules = rules
        self.files = files
        self.objects = objects
        self.index = index
        self.suppressed = [] if suppressed is None else suppressed
        self.baselined = baselined


def load_sources(sources: Iterable[Source], extra_kinds: Iterable[str] = ()) -> list[LoadedFile]:
    """Parse every source (on every core when the input is large; see ``gwlint.parallel``).

    Kinds no rule reads are kept shallow (apiVersion, kind, metadata).
    """
    return load_parallel(list(sources), WantsFull(MODELLED_KINDS | frozenset(extra_kinds)))


def _rule_options(rule: type[Rule], settings: Settings) -> dict[str, Any]:
    options = dict(rule.default_options)
    options.update((k, v) for k, v in settings.options.items() if k in rule.options_schema)
    return options


def _resolve_location(loc: Location) -> None:
    if loc.span is None and loc.doc is not None:
        loc.span = resolve(loc.doc, loc.path)
    loc.doc = None


def problem_location(p: DocProblem) -> Location:
    """Where a loader problem is: its explicit position, else its path in its document."""
    loc = Location(file=p.file, path=p.path, doc=p.doc)
    if p.line is not None:
        loc.span = point(p.line, p.column or 0)
    elif p.doc is None:
        loc.span = point(0, 0)
    else:
        loc.helm_source = p.doc.helm_source
    return loc


def run_rules(index: Index, rules: Sequence[Rule], settings: Settings) -> tuple[list[Finding], list[RunError]]:
    """Call every rule on every subject it asks for; a raising rule becomes a run error."""
    findings: list[Finding] = []
    errors: list[RunError] = []
    for rule in sorted(rules, key=lambda r: r.order):
        try:
            ctx = Context(rule, index, _rule_options(type(rule), settings))
            subjects = list(rule.subjects(index))
        except Exception as exc:  # a broken plugin must not stop the run
            import traceback  # only when something crashed: it costs start-up time

            message = f"internal error in rule {rule.id} ({rule.name}): {exc!r}"
            errors.append(RunError(message, rule_id=rule.id, detail=traceback.format_exc()))
            continue
        for subject in subjects:
            try:
                for finding in rule.check(subject, ctx):
                    if not isinstance(finding, Finding):  # it would crash the reporters instead
                        raise TypeError(f"check() yielded {type(finding).__name__}, not a Finding")
                    findings.append(finding)
            except Exception as exc:
                import traceback

                where, file = _subject_place(subject)
                message = f"internal error in rule {rule.id} ({rule.name}){where}: {exc!r}"
                errors.append(RunError(message, file, rule.id, traceback.format_exc()))
    return findings, errors


def _subject_place(subject: Any) -> tuple[str, str | None]:
    """How an internal error names the object a rule was checking (`` on Kind ns/name``), and its file."""
    res = getattr(subject, "resource", None)
    if isinstance(res, Resource):
        return f" on {res.display()}", res.doc.file
    file = getattr(subject, "file", None)
    return "", file if isinstance(file, str) else None


def lint(
    sources: Sequence[Source],
    rules: Sequence[Rule],
    settings: Settings | None = None,
    context: Sequence[Source] = (),
) -> RunResult:
    """Lint ``sources`` (reported on) with ``context`` (cross-references only)."""
    with gc_paused():
        return _lint(sources, rules, settings or Settings(), context)


def _lint(sources: Sequence[Source], rules: Sequence[Rule], settings: Settings, context: Sequence[Source]) -> RunResult:
    reported = {s.name for s in sources}
    context = [c for c in context if c.name not in reported]  # passed and in context: reported on
    loaded = load_sources([*sources, *context], settings.pod_owners)
    flagged = [(lf, i >= len(sources)) for i, lf in enumerate(loaded)]
    index = build_index(flagged, settings.namespace, settings.pod_owners)
    context_files = {lf.name for lf, ctx_only in flagged if ctx_only}
    findings, errors = run_rules(index, [r for r in rules if not r.after_suppressions], settings)
    kept = _finish(findings, context_files, settings)
    suppressed: list[Finding] = []
    if settings.suppressions:
        kept, suppressed = apply_suppressions(kept, index, rules, context_files)
    late, late_errors = run_rules(index, [r for r in rules if r.after_suppressions], settings)
    kept += _finish(late, context_files, settings)
    errors += late_errors
    kept.sort(key=Finding.sort_key)
    number_occurrences(kept)
    return RunResult(
        findings=kept,
        errors=errors,
        rules=list(rules),
        files=len(sources),
        objects=sum(1 for r in index.resources if not r.context_only),
        index=index,
        suppressed=suppressed,
    )


def _finish(findings: Iterable[Finding], context_files: set[str], settings: Settings) -> list[Finding]:
    """Positions and configured severities for the findings outside context-only files."""
    kept: list[Finding] = []
    for f in findings:
        if f.location.file in context_files:
            continue
        _resolve_location(f.location)
        for rel in f.related:
            _resolve_location(rel)
        if f.rule_id in settings.severity:
            f.severity = settings.severity[f.rule_id]
        kept.append(f)
    return kept


def severity_overrides(raw: Mapping[str, str], rules: Sequence[type[Rule]]) -> dict[str, Severity]:
    """Per-rule severities keyed by id, from a mapping keyed by id or name."""
    out: dict[str, Severity] = {}
    for key, value in raw.items():
        for cls in rules:
            if key in (cls.id, cls.name):
                out[cls.id] = Severity.parse(value)
    return out
