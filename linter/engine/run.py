"""The run: config → sources → loader → index → rules → positions → suppression → baseline → exit status.

:func:`run` is the whole pipeline for a :class:`RunRequest` (what the command line
asks, as data); :func:`lint` is its middle, for callers that already hold the inputs'
bytes, the rules and the settings (the golden-test harness). It isolates failures: a
file that cannot be read, a document that does not parse and a rule that raises each
cost only themselves; everything else is still linted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from typing import TYPE_CHECKING, Any

from gwlint.core.datapath import Path
from gwlint.core.findings import DEFAULT_FAIL_ON, Finding, Location, RunError, Severity, Span, number_occurrences
from gwlint.core.fixes import FileChange
from gwlint.core.gcpause import gc_paused
from gwlint.core.records import Value
from gwlint.core.result import RunResult
from gwlint.engine.api import Context, Rule, Suppression
from gwlint.engine.settings import Settings
from gwlint.index.build import build_index
from gwlint.index.index import MODELLED_KINDS, Index
from gwlint.loader.document import LoadedFile, ProblemKind
from gwlint.loader.locate import span_of
from gwlint.loader.parallel import WantsFull, load_parallel
from gwlint.model.resource import Resource
from gwlint.sources.files import Source
from gwlint.suppression.apply import apply_suppressions

if TYPE_CHECKING:
    from gwlint.fix.apply import FixOutcome, Relint
    from gwlint.fix.resolve import Resolver


def load_sources(sources: Iterable[Source], extra_kinds: Iterable[str] = ()) -> list[LoadedFile]:
    """Parse every source (on every core when the input is large; see ``gwlint.parallel``).

    Kinds no rule reads are kept shallow (apiVersion, kind, metadata). Documents of
    ``helm template`` output learn the template they came from.
    """
    loaded = load_parallel(list(sources), WantsFull(MODELLED_KINDS | frozenset(extra_kinds)))
    for lf in loaded:
        if "# Source:" not in lf.text:  # no helm template output: its reader is not even imported
            continue
        from gwlint.sources.helm import template_origins

        spans = [(d.start_line, d.end_line) for d in lf.documents]
        for doc, origin in zip(lf.documents, template_origins(lf.text, spans), strict=True):
            doc.origin = origin
    return loaded


class OptionsError(Exception):
    """Configured options that do not satisfy a rule's ``options_schema``: the rule does not run."""


def rule_options(rule: type[Rule], settings: Settings) -> dict[str, Any]:
    """A rule's options as its ``check`` sees them: defaults, then the configured values, checked.

    The configuration file was validated with positions already; this check is for every
    other way settings are made (a library caller, the golden-test harness), so that a
    rule never sees a value of the wrong shape. Only configured values are checked, and
    a value set that passed before is remembered (``gwlint.config.cache``): a run without
    options never loads jsonschema.
    """
    given = settings.options_for(rule)
    if given:
        from gwlint.config.cache import validate_cached
        from gwlint.config.schema import options_schema, validate

        problems = validate_cached(given, options_schema(rule), lambda data, schema: validate(data, schema, _nowhere))
        if problems:
            raise OptionsError("; ".join(message for _, _, message in problems))
    return {**rule.default_options, **given}


def _nowhere(_path: Path, _at_key: bool) -> tuple[int, int]:
    return 0, 0


def _resolve_location(loc: Location, mapped: Set[str] = frozenset()) -> None:
    """The location's span in its file; for a file in ``mapped``, its document's first line only."""
    if loc.span is None and loc.doc is not None:
        if loc.file in mapped:
            line = loc.doc.start_line + 1
            loc.span = Span(line, 1, line, 1)
        else:
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
            options = rule_options(type(rule), settings)
        except OptionsError as exc:
            errors.append(RunError(f"invalid options for rule {rule.id} ({rule.name}): {exc}", rule_id=rule.id))
            continue
        try:
            ctx = Context(rule, index, options, settings.kube_version)
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
    data = {s.name: s.data for s in sources}
    return lint_index(index, rules, settings, context_files, len(sources), data), index


def lint_loaded(
    files: Sequence[tuple[LoadedFile, bool]],
    rules: Sequence[Rule],
    settings: Settings,
    data: Mapping[str, bytes] | None = None,
    namespaces: Mapping[str, str] | None = None,
    mapped: Set[str] = frozenset(),
) -> tuple[RunResult, Index]:
    """Lint files already loaded (each flagged context-only or not): one apply of a repository run.

    A repository run loads every file once and lints each Helm release and kustomize
    build as its own apply, with the plain manifests as context (see
    :mod:`gwlint.engine.repository`). ``data``: the bytes of the files gwlint may fix;
    ``namespaces``: the default namespace of a file whose objects are applied elsewhere
    than the run's (a release's namespace); ``mapped``: files whose findings the caller
    places elsewhere by their document and path (a kustomize build, whose output keeps no
    comment a suppression could sit on), so their spans are only their document's first
    line. The index is returned too, for the request paths the run draws once its
    findings are final.
    """
    with gc_paused():
        index = build_index(files, settings.namespace, settings.pod_owners, namespaces=namespaces)
        context_files = {lf.name for lf, ctx in files if ctx} - {lf.name for lf, ctx in files if not ctx}
        reported = sum(1 for _, ctx in files if not ctx)
        result = lint_index(index, rules, settings, context_files, reported, data, mapped)
        return result, index


def lint_index(
    index: Index,
    rules: Sequence[Rule],
    settings: Settings,
    context_files: set[str],
    files: int,
    data: Mapping[str, bytes] | None = None,
    mapped: Set[str] = frozenset(),
) -> RunResult:
    """Rules, positions, suppressions and unused suppressions over one finished index.

    ``data`` holds the bytes of the files as read, for the findings' fixes; without them
    (the applies of a repository run, which lint renders) fixes are only shown.
    """
    findings, errors = run_rules(index, [r for r in rules if not r.after_suppressions], settings)
    defaults = {r.id: r.severity for r in rules}
    fixes = _Fixes(data or {})
    kept = _finish(findings, context_files, settings, defaults, fixes, mapped)
    suppressed: list[Finding] = []
    unused: list[Suppression] = []
    if settings.suppressions:
        outcome = apply_suppressions(kept, index, rules, context_files)
        kept, suppressed, unused = outcome.kept, outcome.suppressed, outcome.unused
    late, late_errors = run_rules(index, [r for r in rules if r.after_suppressions], settings, unused)
    kept += _finish(late, context_files, settings, defaults, fixes, mapped)
    errors += late_errors
    kept.sort(key=Finding.sort_key)
    number_occurrences(kept)
    return RunResult(
        findings=kept,
        errors=errors,
        rules=list(rules),
        files=files,
        objects=sum(1 for r in index.resources if not r.context_only),
        suppressed=suppressed,
        incomplete=[
            f"{p.file}:{(p.line or 0) + 1}: {p.message}"
            for p in index.problems
            if p.kind is ProblemKind.SYNTAX and p.file not in context_files
        ],
    )


class _Fixes:
    """Resolves findings' fixes while their documents are at hand; the fix stage loads only for the first."""

    def __init__(self, data: Mapping[str, bytes]) -> None:
        self._data = data
        self._resolver: Resolver | None = None

    def resolve(self, f: Finding) -> None:
        if f.fix is None or f.location.doc is None:
            return
        if self._resolver is None:
            from gwlint.fix.resolve import Resolver

            self._resolver = Resolver(self._data)
        self._resolver.resolve(f.fix, f.location.doc)


def _finish(
    findings: Iterable[Finding],
    context_files: set[str],
    settings: Settings,
    defaults: dict[str, Severity],
    fixes: _Fixes,
    mapped: Set[str] = frozenset(),
) -> list[Finding]:
    """Positions, fixes and configured severities for the findings outside context-only files.

    A finding that its rule lowered below the rule's severity (``defaults``) keeps it.
    """
    kept: list[Finding] = []
    for f in findings:
        if f.location.file in context_files:
            continue
        fixes.resolve(f)
        _resolve_location(f.location, mapped)
        for rel in f.related:
            _resolve_location(rel, mapped)
        if f.rule_id in settings.severity and f.severity == defaults.get(f.rule_id, f.severity):
            f.severity = settings.severity[f.rule_id]
        kept.append(f)
    return kept


class RequestError(Exception):
    """A run that cannot start or finish as asked: an invalid config, no input, a bad baseline (exit 2)."""


Renderer = Callable[
    [Sequence[str], Sequence[Rule], Settings, Any, Sequence[str], str, bool, Callable[[RunResult], None], "RunRequest"],
    RunResult,
]
"""A repository run: inputs, rules, settings, the config, context inputs, stdin name, request paths, finish,
and the request (for what it says about rendering: ``values``, ``release``)."""


class RunRequest(Value):
    """What one run is asked to do, before the configuration is merged in: the command line, as data.

    Every field left empty or None takes the configured value (``paths``, ``context``,
    ``fail_on``, ``namespace``, ``kube_version``), or the default. ``select`` replaces
    the configured rule choice; ``ignore`` adds to it. ``config`` names the config file;
    without it one is searched from ``cwd`` upward unless ``discover_config`` is off.
    ``request_paths`` asks for :attr:`RunResult.paths` (a report that draws them).

    New kinds of input or output are new fields with defaults, so callers built
    against an older request keep working.
    """

    __slots__ = (
        "baseline",
        "config",
        "context",
        "cwd",
        "diff",
        "discover_config",
        "fail_on",
        "fix",
        "ignore",
        "kube_version",
        "namespace",
        "paths",
        "release",
        "renderer",
        "request_paths",
        "select",
        "stdin_name",
        "suppressions",
        "unsafe_fixes",
        "values",
        "write_baseline",
    )

    paths: list[str]
    context: list[str]
    stdin_name: str
    config: str | None
    discover_config: bool
    cwd: str | None
    select: list[str]
    ignore: list[str]
    fail_on: str | None
    namespace: str | None
    kube_version: str | None
    suppressions: bool
    baseline: str | None
    write_baseline: str | None
    request_paths: bool
    renderer: Renderer | None
    """Renders the charts and kustomizations among the inputs (``gwlint.engine.repository.render_run``,
    handed in from above this layer); None lints every file as plain YAML (``--no-render``)."""
    values: list[str]
    """Values files (``--values``): the one value set of every chart among the inputs, replacing the
    configured sets and ``values.yaml`` plus each ``ci/*-values.yaml``."""
    release: str | None
    """Release name of every chart among the inputs (``--release``; default: configured, else the folder's name)."""
    fix: bool
    """Apply the enabled fixes to the files (``--fix``); the result is the files linted again."""
    diff: bool
    """Apply them in memory only (``--diff``): the result carries the changes, nothing is written."""
    unsafe_fixes: bool

    def __init__(
        self,
        paths: Sequence[str] = (),
        context: Sequence[str] = (),
        stdin_name: str = "<stdin>",
        config: str | None = None,
        discover_config: bool = True,
        cwd: str | None = None,
        select: Sequence[str] = (),
        ignore: Sequence[str] = (),
        fail_on: str | None = None,
        namespace: str | None = None,
        kube_version: str | None = None,
        suppressions: bool = True,
        baseline: str | None = None,
        write_baseline: str | None = None,
        request_paths: bool = False,
        renderer: Renderer | None = None,
        fix: bool = False,
        diff: bool = False,
        unsafe_fixes: bool = False,
        values: Sequence[str] = (),
        release: str | None = None,
    ) -> None:
        self.renderer = renderer
        self.values = list(values)
        self.release = release
        self.paths = list(paths)
        self.context = list(context)
        self.stdin_name = stdin_name
        self.config = config
        self.discover_config = discover_config
        self.cwd = cwd
        self.select = list(select)
        self.ignore = list(ignore)
        self.fail_on = fail_on
        self.namespace = namespace
        self.kube_version = kube_version
        self.suppressions = suppressions
        self.baseline = baseline
        self.write_baseline = write_baseline
        self.request_paths = request_paths
        self.fix = fix
        self.diff = diff
        self.unsafe_fixes = unsafe_fixes


def run(request: RunRequest) -> RunResult:
    """The whole pipeline a library caller or the CLI gets: config, sources, lint, baseline, exit decision.

    Problems with the request itself (config, no input, baseline file) raise
    :class:`RequestError`; unknown rules raise ``RuleSelectionError`` and broken plugins
    ``PluginError`` (both from ``gwlint.engine.registry``). Everything that goes wrong
    with one input or one rule is a run error in the result instead.
    """
    from pathlib import Path

    from gwlint.config.load import Config, ConfigError, find_config
    from gwlint.engine.registry import all_rules
    from gwlint.sources.files import STDIN, collect, needs_render

    available = all_rules()
    cwd = Path(request.cwd) if request.cwd is not None else Path.cwd()
    try:
        if request.config is None and not request.discover_config:
            config = Config()
        else:
            config = find_config(request.config, cwd, available)
    except ConfigError as exc:
        raise RequestError(str(exc)) from None
    inputs = request.paths or config.paths
    if not inputs:
        raise RequestError("no input: give files, directories, or - for standard input (or `paths` in the config)")
    rules = config.rules(available, request.select, request.ignore)
    settings = config.settings(
        available, request.namespace, suppressions=request.suppressions, kube_version=request.kube_version
    )
    context_inputs = request.context or config.context
    if (request.fix or request.diff) and request.write_baseline:
        raise RequestError("--write-baseline records findings; it cannot be combined with --fix or --diff")
    stdin = {request.stdin_name} if STDIN in inputs else set()
    if (request.values or request.release) and (request.renderer is None or not config.render):
        raise RequestError("--values and --release set how charts render; they cannot be used with --no-render")
    if request.renderer is not None and config.render and needs_render(inputs):
        renderer = request.renderer

        def finish_rendered(result: RunResult) -> None:
            result.fail_on = request.fail_on or config.fail_on or DEFAULT_FAIL_ON
            _apply_baseline(result, request.baseline, request.write_baseline)
            _not_editable(result, stdin)

        def rendered() -> RunResult:
            return renderer(
                inputs,
                [cls() for cls in rules],
                settings,
                config,
                context_inputs,
                request.stdin_name,
                request.request_paths,
                finish_rendered,
                request,
            )

        first = rendered()
        return _fixed_rendered(first, rendered, request) if request.fix or request.diff else first
    read: set[tuple[int, int]] = set()
    sources, errors = collect(inputs, exclude=config.exclude, stdin_name=request.stdin_name, read=read)
    context, context_errors = collect(context_inputs, exclude=config.exclude, read=read) if context_inputs else ([], [])

    def finish(result: RunResult) -> None:
        result.errors[:0] = errors + context_errors
        result.fail_on = request.fail_on or config.fail_on or DEFAULT_FAIL_ON
        _apply_baseline(result, request.baseline, request.write_baseline)
        _not_editable(result, stdin)

    checks = [cls() for cls in rules]
    result = lint(sources, checks, settings, context, request.request_paths, finish)
    if not (request.fix or request.diff):
        return result

    def relint(texts: Mapping[str, str]) -> RunResult:
        changed = [Source(s.name, texts[s.name].encode("utf-8")) if s.name in texts else s for s in sources]
        return lint(changed, checks, settings, context, request.request_paths, finish)

    return _fixed(result, relint, [s for s in sources if s.name not in stdin], request)


def _not_editable(result: RunResult, names: set[str]) -> None:
    """Fixes of findings in standard input are only shown: gwlint edits files, never a stream."""
    for f in result.findings:
        if f.fix is not None and f.fix.file in names:
            f.fix.file = None
            f.fix.replacements = []
            f.fix.unavailable = "standard input is not a file gwlint can edit"


def _fixed_rendered(first: RunResult, rendered: Callable[[], RunResult], request: RunRequest) -> RunResult:
    """Fixes of a run that renders charts or kustomizations: values, patch and plain files, from disk.

    A render reads its files from disk, so with ``--fix`` each pass writes the files it
    changed and renders again; ``--diff`` writes nothing and so stops after one pass.
    """
    from pathlib import Path

    from gwlint.fix.apply import fix_until_stable

    editable: dict[str, str] = {}
    for f in first.findings:
        name = f.fix.file if f.fix is not None and f.fix.enabled(request.unsafe_fixes) else None
        if name is not None and name not in editable:
            try:
                editable[name] = Path(name).read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                continue

    def relint(texts: Mapping[str, str]) -> RunResult:
        for name, text in texts.items():
            if text != editable[name]:
                Path(name).write_bytes(text.encode("utf-8"))
        return rendered()

    outcome = fix_until_stable(first, relint, editable, request.unsafe_fixes, max_passes=1 if request.diff else None)
    return _with_changes(outcome, request)


def _with_changes(outcome: FixOutcome, request: RunRequest) -> RunResult:
    """The run after its fixes, with the changes and the count; the files written unless only a diff is asked for.

    A file already written by a pass (a render reads from disk) is not written again.
    """
    from pathlib import Path

    from gwlint.fix.apply import write_files

    result = outcome.result
    result.fixed = outcome.fixed
    result.changes = [FileChange(n, outcome.original[n], outcome.texts[n]) for n in outcome.changed()]
    result.errors += outcome.errors
    result.diff = request.diff
    if not request.diff:
        result.errors += write_files(outcome, {name: Path(name) for name in outcome.changed()})
    return result


def _fixed(first: RunResult, relint: Relint, files: Sequence[Source], request: RunRequest) -> RunResult:
    """Fix the files until no enabled fix is left, in memory; write them unless only a diff is asked for."""
    from gwlint.fix.apply import fix_until_stable

    editable: dict[str, str] = {}
    for s in files:
        try:
            editable[s.name] = s.data.decode("utf-8")
        except UnicodeDecodeError:
            continue  # not UTF-8: GW001, and nothing a fix could edit
    return _with_changes(fix_until_stable(first, relint, editable, request.unsafe_fixes), request)


def _apply_baseline(result: RunResult, baseline_file: str | None, write_file: str | None) -> None:
    """Record the findings (``write_file``) and/or keep only those not recorded (``baseline_file``).

    A baseline is not written from an incomplete run: that is one more run error.
    """
    if baseline_file is None and write_file is None:
        return
    from pathlib import Path

    import gwlint.suppression.baseline as baseline

    try:
        if write_file is not None:
            if result.errors:
                result.errors.append(RunError(f"baseline not written to {write_file}: the run was incomplete"))
                return
            baseline.write(Path(write_file), result.findings)
            result.recorded = len(result.findings)
        accepted = baseline.load(Path(write_file if write_file is not None else str(baseline_file)))
    except baseline.BaselineError as exc:
        raise RequestError(str(exc)) from None
    result.findings, result.baselined = baseline.new_findings(result.findings, accepted)
