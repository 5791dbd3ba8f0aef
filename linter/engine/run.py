"""The run: sources → loader → index → rules → findings with positions.

It isolates failures: a file that cannot be read, a document that does not parse and a
rule that raises each cost only themselves; everything else is still linted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from gwlint.core.findings import Finding, Location, RunError, number_occurrences
from gwlint.core.gcpause import gc_paused
from gwlint.core.result import RunResult
from gwlint.engine.api import Context, Rule, Suppression
from gwlint.engine.settings import Settings
from gwlint.index.build import build_index
from gwlint.index.index import MODELLED_KINDS, Index
from gwlint.loader.document import LoadedFile
from gwlint.loader.locate import span_of
from gwlint.loader.parallel import WantsFull, load_parallel
from gwlint.model.resource import Resource
from gwlint.sources.files import Source
from gwlint.sources.helm import template_origins
from gwlint.suppression.apply import apply_suppressions


def load_sources(sources: Iterable[Source], extra_kinds: Iterable[str] = ()) -> list[LoadedFile]:
    """Parse every source (on every core when the input is large; see ``gwlint.parallel``).

    Kinds no rule reads are kept shallow (apiVersion, kind, metadata). Documents of
    ``helm template`` output learn the template they came from.
    """
    loaded = load_parallel(list(sources), WantsFull(MODELLED_KINDS | frozenset(extra_kinds)))
    for lf in loaded:
        spans = [(d.start_line, d.end_line) for d in lf.documents]
        for doc, origin in zip(lf.documents, template_origins(lf.text, spans), strict=True):
            doc.origin = origin
    return loaded


def _rule_options(rule: type[Rule], settings: Settings) -> dict[str, Any]:
    options = dict(rule.default_options)
    options.update((k, v) for k, v in settings.options.items() if k in rule.options_schema)
    return options


def _resolve_location(loc: Location) -> None:
    if loc.span is None and loc.doc is not None:
        loc.span = span_of(loc.doc, loc.path)
    loc.doc = None


def run_rules(
    index: Index, rules: Sequence[Rule], settings: Settings, unused: Sequence[Suppression] = ()
) -> tuple[list[Finding], list[RunError]]:
    """Call every rule on every subject it asks for; a raising rule becomes a run error.

    Rules that run after the suppression stage get its stale entries (``unused``) as
    their subjects instead.
    """
    findings: list[Finding] = []
    errors: list[RunError] = []
    for rule in sorted(rules, key=lambda r: r.order):
        try:
            ctx = Context(rule, index, _rule_options(type(rule), settings), settings.kube_version)
            subjects = list(unused) if rule.after_suppressions else list(rule.subjects(index))
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
    request_paths: bool = False,
    finish: Callable[[RunResult], None] | None = None,
) -> RunResult:
    """Lint ``sources`` (reported on) with ``context`` (cross-references only).

    ``finish`` completes the result before anything is drawn from it (the CLI's input
    errors and baseline); ``request_paths`` then builds :attr:`RunResult.paths` from the
    findings that remain, for a report that draws them.
    """
    with gc_paused():
        result, index = _lint(sources, rules, settings or Settings(), context)
        if finish is not None:
            finish(result)
        if request_paths:
            from gwlint.index.request_paths import request_paths as build_paths

            result.paths = build_paths(index, result.findings)
        return result


def index_sources(sources: Sequence[Source], settings: Settings, context: Sequence[Source] = ()) -> Index:
    """Load ``sources`` and ``context`` (context-only: flagged so) into one finished index."""
    reported = {s.name for s in sources}
    context = [c for c in context if c.name not in reported]  # passed and in context: reported on
    loaded = load_sources([*sources, *context], settings.pod_owners)
    flagged = [(lf, i >= len(sources)) for i, lf in enumerate(loaded)]
    return build_index(flagged, settings.namespace, settings.pod_owners)


def _lint(
    sources: Sequence[Source], rules: Sequence[Rule], settings: Settings, context: Sequence[Source]
) -> tuple[RunResult, Index]:
    index = index_sources(sources, settings, context)
    context_files = {c.name for c in context} - {s.name for s in sources}
    findings, errors = run_rules(index, [r for r in rules if not r.after_suppressions], settings)
    kept = _finish(findings, context_files, settings)
    suppressed: list[Finding] = []
    unused: list[Suppression] = []
    if settings.suppressions:
        outcome = apply_suppressions(kept, index, rules, context_files)
        kept, suppressed, unused = outcome.kept, outcome.suppressed, outcome.unused
    late, late_errors = run_rules(index, [r for r in rules if r.after_suppressions], settings, unused)
    kept += _finish(late, context_files, settings)
    errors += late_errors
    kept.sort(key=Finding.sort_key)
    number_occurrences(kept)
    result = RunResult(
        findings=kept,
        errors=errors,
        rules=list(rules),
        files=len(sources),
        objects=sum(1 for r in index.resources if not r.context_only),
        suppressed=suppressed,
        incomplete=[
            f"{p.file}:{(p.line or 0) + 1}: {p.message}"
            for p in index.problems
            if p.rule_id == "GW001" and not p.context_only
        ],
    )
    return result, index


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
