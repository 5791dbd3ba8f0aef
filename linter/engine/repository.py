"""A repository run: charts and overlays rendered, each linted as its own apply, findings on repository lines.

``gwlint .`` at the root of a GitOps repository lints what will be applied, not the
files as text (see :mod:`gwlint.sources.discover`):

- every Helm release (a chart with one value set) and every root kustomization build is
  one *apply*: linted on its own, with the plain manifests of the run as context, so
  references resolve inside the apply first and then against the plain files, and the
  same object in two applies (dev and prod overlays, two value sets) is never a duplicate;
- the plain manifests are linted once, with every apply as context (a plain Ingress may
  route to a Service an overlay renders);
- a render that fails is a GW005 finding where the tool points, and the run goes on;
- each finding of an apply is moved from the rendered stream, which is not in the
  repository, to the line a human would fix (:mod:`gwlint.sources.helm_lines`,
  :mod:`gwlint.sources.kustomize`), names the releases or overlays it comes from, and is
  reported once however many applies share that line.

Every file is loaded once; each apply builds its own index from the loaded files.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

from gwlint.core.datapath import Path
from gwlint.core.findings import (
    HELM_TEMPLATE,
    HELM_VALUES,
    KUSTOMIZE_PATCH,
    KUSTOMIZE_RESOURCE,
    Finding,
    Location,
    Origin,
    RunError,
    Span,
    number_occurrences,
)
from gwlint.core.fixes import Edit, EditOp, Fix
from gwlint.core.records import Value
from gwlint.core.result import RunResult
from gwlint.engine.api import Rule
from gwlint.engine.run import RunRequest, lint_loaded, load_sources
from gwlint.engine.settings import Settings
from gwlint.fix.resolve import FileText, data_at, resolve, same_value
from gwlint.loader.document import Document, InputProblem, LoadedFile, ProblemKind
from gwlint.loader.load import load_bytes, load_text
from gwlint.loader.locate import span_of
from gwlint.sources.discover import Chart, Layout, discover, load_chart
from gwlint.sources.files import (
    KUSTOMIZATION_NAMES,
    STDIN,
    Source,
    collect,
    display_name,
    near_kustomization,
    owning_chart,
)
from gwlint.sources.helm_lines import ChartMapper, HelmDoc, split_stream, template_file
from gwlint.sources.kustomize import KustomizeDoc, OverlayMapper, strip_origins, unmatched_patch
from gwlint.sources.places import EXACT, FALLBACK, Place
from gwlint.sources.render import Job, Output, Overlay, Release, Tools, find_tools, overlay_files, render_all
from gwlint.sources.yamldata import YamlFiles

if TYPE_CHECKING:
    from gwlint.core.graph import RequestGraph
    from gwlint.index.index import Index


class RenderOptions(Value):
    """How a run renders: on or off, and the per-chart and per-kustomization settings (keyed by absolute folder)."""

    __slots__ = ("charts", "enabled", "kustomizations", "release", "use_cache", "values")

    enabled: bool
    charts: dict[str, dict[str, Any]]
    kustomizations: dict[str, dict[str, Any]]
    use_cache: bool
    values: list[FsPath]
    """The command line's ``--values``: every chart's one value set (files relative to the working directory)."""
    release: str | None
    """The command line's ``--release``: every chart's release name."""

    def __init__(
        self,
        enabled: bool = True,
        charts: dict[str, dict[str, Any]] | None = None,
        kustomizations: dict[str, dict[str, Any]] | None = None,
        use_cache: bool = True,
        values: Sequence[FsPath] = (),
        release: str | None = None,
    ) -> None:
        self.enabled = enabled
        self.charts = {} if charts is None else charts
        self.kustomizations = {} if kustomizations is None else kustomizations
        self.use_cache = use_cache
        self.values = list(values)
        self.release = release


class MissingTool(Exception):
    """A chart or overlay needs a tool that is not installed: the run cannot be what the user asked."""


class Plan(Value):
    """What a run renders and what it reads as plain files."""

    __slots__ = ("jobs", "layout", "plain")

    layout: Layout
    jobs: list[Job]
    plain: list[str]
    """Inputs read as plain manifests (files, and ``-`` for standard input)."""

    def __init__(self, layout: Layout, jobs: list[Job], plain: list[str]) -> None:
        self.layout = layout
        self.jobs = jobs
        self.plain = plain


def _repo_root(start: FsPath) -> FsPath:
    """Where to look for the overlays a changed file may belong to: its git repository.

    Outside one, the working directory when the file is under it, else the file's folder
    (never a walk of the whole file system).
    """
    for parent in [start, *start.parents]:
        if (parent / ".git").exists():
            return parent
    cwd = FsPath.cwd()
    return cwd if start == cwd or cwd in start.parents else start


def _cfg(table: dict[str, dict[str, Any]], folder: FsPath) -> dict[str, Any]:
    return table.get(os.path.normpath(folder.resolve()), {})


def _set_value(key: str, value: Any) -> str:
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return f"{key}={text}"


def releases(chart: Chart, options: RenderOptions, settings: Settings) -> list[Release]:
    """One release per value set: ``values.yaml`` alone, then each ``ci/*-values.yaml``.

    The configured sets replace those; the command line's ``--values`` replaces both.
    """
    cfg = _cfg(options.charts, chart.dir)
    if cfg.get("skip"):
        return []
    sets = cfg.get("value-sets")
    if options.values:
        value_sets = [list(options.values)]
    elif sets:
        value_sets = [[chart.dir / v for v in s] for s in sets]
    else:
        value_sets = [[], *([ci] for ci in chart.ci_values)]
    shown = display_name(chart.dir)
    out = []
    for values in value_sets:
        names = ", ".join(_value_name(v, chart.dir) for v in values) or "values.yaml"
        out.append(
            Release(
                chart,
                f"{shown} ({names})",
                values,
                release=str(options.release or cfg.get("release") or chart.dir.resolve().name),
                namespace=str(cfg.get("namespace") or settings.namespace),
                set_values=[_set_value(k, v) for k, v in (cfg.get("set") or {}).items()],
                kube_version=str(cfg.get("kube-version") or settings.kube_version),
            )
        )
    return out


def _value_name(file: FsPath, chart_dir: FsPath) -> str:
    """A values file as a release's label shows it: relative to its chart when inside it."""
    inside = file.resolve().is_relative_to(chart_dir.resolve())
    return os.path.relpath(file.resolve(), chart_dir.resolve()) if inside else display_name(file)


def plan(inputs: Sequence[str], exclude: Sequence[str], options: RenderOptions, settings: Settings) -> Plan:
    """Sort the inputs into charts, root overlays and plain files (a changed template selects its chart)."""
    dirs = [FsPath(p) for p in inputs if p != STDIN and os.path.isdir(p)]
    layout = discover(dirs, exclude)
    plain = [p for p in inputs if p == STDIN]
    charts = {c.dir.resolve(): c for c in layout.charts}
    roots = {k.dir.resolve(): k for k in layout.roots}
    repo: Layout | None = None
    for raw in inputs:
        if raw == STDIN or os.path.isdir(raw):
            continue
        file = FsPath(os.path.normpath(os.path.abspath(raw)))
        chart_dir = owning_chart(file)
        if chart_dir is not None:
            charts.setdefault(chart_dir.resolve(), load_chart(FsPath(os.path.relpath(chart_dir))))
            continue
        if file.suffix == ".tpl":
            continue  # a template helper outside any chart (the pre-commit hook passes them): no manifest
        top = _repo_root(file.parent)
        if near_kustomization(file, top):
            if repo is None:
                repo = discover([top])
            using = [r for r in repo.roots if file in {p.resolve() for p in repo.consumed(r)}]
            if using:
                for r in using:
                    roots.setdefault(r.dir.resolve(), r)
                    layout.kustomizations.update(repo.kustomizations)
                continue
            if file.name in KUSTOMIZATION_NAMES or file in {p.resolve() for p in repo.unused_components()}:
                continue
        plain.append(raw)
    jobs: list[Job] = []
    for chart in charts.values():
        jobs += releases(chart, options, settings)
    for root in sorted(roots.values(), key=lambda k: k.dir.as_posix()):
        cfg = _cfg(options.kustomizations, root.dir)
        if not cfg.get("skip"):
            namespace = str(cfg.get("namespace") or settings.namespace)
            jobs.append(Overlay(root, display_name(root.dir), overlay_files(layout, root), namespace))
    layout.roots = sorted(roots.values(), key=lambda k: k.dir.as_posix())
    return Plan(layout, jobs, plain)


def check_tools(jobs: Sequence[Job], tools: Tools) -> None:
    """Raise :class:`MissingTool` naming what needs the missing tool and how to skip it."""
    problems = []
    charts = sorted({display_name(j.chart.dir) for j in jobs if isinstance(j, Release)})
    overlays = [j.label for j in jobs if isinstance(j, Overlay)]
    if charts and tools.helm is None:
        problems.append(
            f"helm is not on PATH, and these charts need it: {', '.join(charts)}. Install helm "
            "(https://helm.sh/docs/intro/install/), or skip them: `charts: {<folder>: {skip: true}}` "
            "in .gwlint.yaml, or --no-render to lint every file as plain YAML"
        )
    if overlays and tools.kustomize is None:
        problems.append(
            f"neither kustomize nor kubectl is on PATH, and these kustomizations need one: {', '.join(overlays)}. "
            "Install kubectl or kustomize, or skip them: `kustomizations: {<folder>: {skip: true}}` in "
            ".gwlint.yaml, or --no-render to lint every file as plain YAML"
        )
    if problems:
        raise MissingTool("\n".join(problems))


class Positions:
    """Turns places in repository files into display names and one-line spans, reading each file once.

    A place given by line (a template line) needs the file's text only; one given by a
    data path is resolved in the file loaded as YAML, which templates are not.
    """

    def __init__(self) -> None:
        self._files: dict[FsPath, LoadedFile | None] = {}
        self._texts: dict[FsPath, str | None] = {}
        self._lines: dict[FsPath, list[str]] = {}
        self._spans: dict[tuple[Any, ...], Span] = {}
        self._names: dict[FsPath, str] = {}

    def _text(self, file: FsPath) -> str | None:
        if file not in self._texts:
            try:
                self._texts[file] = file.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                self._texts[file] = None
        return self._texts[file]

    def _loaded(self, file: FsPath) -> LoadedFile | None:
        if file not in self._files:
            text = self._text(file)
            self._files[file] = None if text is None else load_bytes(self.name(file), text.encode("utf-8"))
        return self._files[file]

    def name(self, file: FsPath) -> str:
        """The file as findings show it."""
        if file not in self._names:
            self._names[file] = display_name(file)
        return self._names[file]

    def files(self) -> YamlFiles:
        """The mappings' view of the files: the same text and documents as the places resolve in."""

        def load(file: FsPath) -> list[Any]:
            lf = self._loaded(file)
            return [] if lf is None else [d.data for d in lf.documents]

        return YamlFiles(self._text, load)

    def document(self, place: Place) -> tuple[Document, str] | None:
        """The loaded document a data-path place is in, with its file's text as read (None when unreadable)."""
        lf = self._loaded(place.file) if place.line is None else None
        text = self._texts.get(place.file)
        if lf is None or text is None or not 0 <= place.doc < len(lf.documents):
            return None
        return lf.documents[place.doc], text

    def span(self, place: Place) -> Span:
        """The one-line span of a place (the file's first line when it cannot be read)."""
        key = (place.file, place.line, place.doc, place.path, place.inner)
        if key not in self._spans:
            self._spans[key] = self._span(place)
        return self._spans[key]

    def _span(self, place: Place) -> Span:
        if place.line is not None:
            if place.file not in self._lines:
                self._lines[place.file] = (self._text(place.file) or "").split("\n")
            lines = self._lines[place.file]
            text = lines[place.line - 1] if place.line <= len(lines) else ""
            indent = len(text) - len(text.lstrip())
            return Span(place.line, indent + 1, place.line, max(len(text.rstrip()), indent + 1) + 1)
        lf = self._loaded(place.file)
        if lf is None or not lf.documents:
            return Span(1, 1, 1, 2)
        doc = lf.documents[min(place.doc, len(lf.documents) - 1)]
        span = span_of(doc, place.path)
        if place.inner is None:
            return span
        return self._inner(lf, doc, place, span)

    def _inner(self, lf: LoadedFile, doc: Document, place: Place, holder: Span) -> Span:
        """A path inside YAML written as a block scalar (an inline patch)."""
        lines = lf.text.split("\n")
        value: Any = doc.data
        for elem in place.path:
            if isinstance(value, dict):
                value = value.get(elem)
            elif isinstance(value, list) and isinstance(elem, int) and 0 <= elem < len(value):
                value = value[elem]
            else:
                value = None
        if not isinstance(value, str) or place.inner is None:
            return holder
        inner = load_text("inner", value)
        if not inner.documents:
            return holder
        sub = span_of(inner.documents[0], place.inner)
        first = holder.line  # the line of the ``|`` indicator; the text starts on the next one
        if first < len(lines) and lines[first - 1].rstrip().endswith(("|", "|-", "|+", ">", ">-")):
            content = lines[first] if first < len(lines) else ""
            indent = len(content) - len(content.lstrip())
            line = first + sub.line
            return Span(line, indent + sub.column, line, indent + sub.end_column)
        return holder


class Apply(Value):
    """One rendered release or overlay, ready to be linted and mapped back."""

    __slots__ = ("fallback", "helm_docs", "kustomize_docs", "label", "mapper", "name", "namespace", "output", "stream")

    output: Output
    label: str
    name: str
    """The stream's name inside the run; never shown, every location is mapped away from it."""
    namespace: str
    """Where its objects that name no namespace are applied: the release's, or the overlay's configured one."""
    stream: str
    helm_docs: list[HelmDoc]
    kustomize_docs: list[KustomizeDoc]
    mapper: Any
    fallback: Place

    def __init__(self, output: Output, index: int, files: YamlFiles) -> None:
        job = output.job
        self.output = output
        self.label = job.label
        self.name = f"<rendered {index}: {job.label}>"
        self.namespace = job.namespace
        self.helm_docs = []
        self.kustomize_docs = []
        if isinstance(job, Release):
            self.stream = output.stream
            self.helm_docs = split_stream(self.stream)
            self.mapper = ChartMapper(job.chart.dir, job.chart.name, job.values, output.sub_charts, job.label, files)
            self.fallback = Place(job.chart.dir / "Chart.yaml", line=1, precision=FALLBACK, note="chart")
        else:
            self.stream = output.stream
            self.mapper = OverlayMapper(job.root.dir, files)
            self.fallback = Place(job.root.file, line=1, precision=FALLBACK, note="kustomization")

    def loaded(self, lf: LoadedFile) -> None:
        """Its stream as loaded: a build's objects lose the origin annotations the wrapper added, kept aside."""
        if isinstance(self.output.job, Overlay):
            self.kustomize_docs = strip_origins([(d.start_line, d.data) for d in lf.documents], self.output.base)

    def places(self, loc: Location) -> list[Place]:
        """Where a location of the rendered stream is in the repository, best first."""
        line0 = loc.span.line - 1 if loc.span is not None else 0
        kind = loc.resource.kind if loc.resource is not None else None
        if self.helm_docs:
            hdoc = next((d for d in self.helm_docs if d.start <= line0 < d.end), None)
            if hdoc is not None:
                return self.mapper.places(hdoc, kind, loc.path) or [self.fallback]
        elif self.kustomize_docs:
            kdoc = None
            for d in self.kustomize_docs:
                if d.start <= line0:
                    kdoc = d
            if kdoc is not None:
                return self.mapper.places(kdoc, loc.path) or [self.fallback]
        return [self.fallback]


def _failure(output: Output, positions: Positions, layout: Layout) -> LoadedFile:
    """The GW005 problem of a failed render, placed where the tool points."""
    job = output.job
    message = (output.error or "").strip()
    place: Place
    column = 0
    if isinstance(job, Release):
        what = f"{job.label}: helm template failed: {message}"
        place = Place(job.chart.dir / "Chart.yaml", line=1)
        m = re.search(rf"\(?({re.escape(job.chart.name)}/[^\s:()]+):(\d+)(?::(\d+))?", message)
        missing = re.search(r"missing in charts/ directory: ([\w.,\s-]+)", message)
        if m:
            file = template_file(m.group(1), job.chart.dir, job.chart.name, output.sub_charts)
            if file is not None and file.is_file():
                place = Place(file, line=int(m.group(2)))
                column = int(m.group(3) or 1) - 1
        elif missing:
            names = [n.strip() for n in missing.group(1).split(",")]
            idx = next((i for i, d in enumerate(job.chart.dependencies) if d.get("name") in names), None)
            if idx is not None and (job.chart.dir / "Chart.yaml").is_file():
                place = Place(job.chart.dir / "Chart.yaml", path=("dependencies", idx, "name"))
    else:
        message = _kustomize_message(message, job.root.dir)
        what = f"{job.label}: kustomize build failed: {message}"
        chain = [(k.file, k.data) for k in layout.closure(job.root)]
        place = unmatched_patch(chain, message) or _named(chain, message) or Place(job.root.file, line=1)
    span = positions.span(place)
    name = display_name(place.file)
    problem = InputProblem(
        ProblemKind.RENDER,
        what,
        name,
        line=span.line - 1,
        column=column or span.column - 1,
        drops_document=True,
        namespace=_namespace_of(job),
    )
    return LoadedFile(name, "", [], [problem])


def _namespace_of(job: Job) -> str | None:
    """The namespace a failed render's objects would have been in, when the job says (else any)."""
    if isinstance(job, Release):
        return job.namespace
    namespace = job.root.data.get("namespace")
    return namespace if isinstance(namespace, str) and namespace else None


def _kustomize_message(message: str, root: FsPath) -> str:
    """kustomize's error without the wrapper's accumulation preamble, with repository paths."""
    marker = "recursed accumulation of path "
    if marker in message:
        message = message.rsplit(marker, 1)[1].split(": ", 1)[-1]
    absolute = str(root.resolve())
    return message.replace(absolute + "/", display_name(root) + "/").replace(absolute, display_name(root))


def _named(chain: list[tuple[FsPath, dict[str, Any]]], message: str) -> Place | None:
    """The first entry of the root or a kustomization it builds on that the tool's message quotes (a file name)."""
    for file, data in chain:
        for path, text in _strings(data, ()):
            if len(text) > 2 and text in message:
                return Place(file, path=path)
    return None


def _strings(data: Any, path: Path) -> list[tuple[Path, str]]:
    if isinstance(data, str):
        return [(path, data)]
    if isinstance(data, dict):
        return [x for k, v in data.items() for x in _strings(v, (*path, k))]
    if isinstance(data, list):
        return [x for i, v in enumerate(data) for x in _strings(v, (*path, i))]
    return []


class RepositoryRun(Value):
    """A finished repository run: the result, and how precisely its rendered findings were placed."""

    __slots__ = ("precision", "result")

    result: RunResult
    precision: Counter[str]
    """How many reported findings of renders landed on an exact, a best-effort and a fallback line
    (:data:`~gwlint.sources.places.EXACT` ...); findings of plain files are not counted. The
    corpus test and the benchmark report it."""

    def __init__(self, result: RunResult, precision: Counter[str]) -> None:
        self.result = result
        self.precision = precision


def lint_repository(
    inputs: Sequence[str],
    rules: Sequence[Rule],
    settings: Settings,
    options: RenderOptions,
    exclude: Sequence[str] = (),
    context: Sequence[str] = (),
    stdin_name: str = "<stdin>",
    tools: Tools | None = None,
    request_paths: bool = False,
    finish: Callable[[RunResult], None] | None = None,
) -> RepositoryRun:
    """Render, lint each apply with the plain manifests, and map every finding to a repository line."""
    the_plan = plan(inputs, exclude, options, settings)
    if not the_plan.jobs and not the_plan.layout.kustomizations:  # nothing to render: a plain run, as without rendering
        from gwlint.engine.run import lint

        seen: set[tuple[int, int]] = set()
        plain = [p for p in inputs if p in the_plan.plain or (p != STDIN and os.path.isdir(p))]
        srcs, errs = collect(plain, exclude=exclude, stdin_name=stdin_name, read=seen)
        ctx, ctx_errs = collect(context, exclude=exclude, read=seen) if context else ([], [])

        def complete(result: RunResult) -> None:
            result.errors[:0] = errs + ctx_errs
            if finish is not None:
                finish(result)

        return RepositoryRun(lint(srcs, rules, settings, ctx, request_paths, complete), Counter())
    tools = find_tools() if tools is None else tools
    check_tools(the_plan.jobs, tools)
    outputs = render_all(the_plan.jobs, tools, options.use_cache)
    positions = Positions()
    applies: list[Apply] = []
    files = positions.files()
    failures: list[LoadedFile] = []
    owned: set[str] = set()
    for i, out in enumerate(outputs):
        if out.error is None:
            applies.append(Apply(out, i, files))
            if isinstance(out.job, Overlay):
                owned |= {os.path.abspath(p) for p in the_plan.layout.consumed(out.job.root)}
        else:
            failures.append(_failure(out, positions, the_plan.layout))
    owned |= {os.path.abspath(p) for p in the_plan.layout.patch_files() | the_plan.layout.unused_components()}
    plain_inputs = [str(p) for p in the_plan.layout.plain if os.path.abspath(p) not in owned]
    read: set[tuple[int, int]] = set()
    sources, errors = collect([*the_plan.plain, *plain_inputs], exclude=exclude, stdin_name=stdin_name, read=read)
    context_sources, context_errors = collect(context, exclude=exclude, read=read) if context else ([], [])
    errors += context_errors
    reported = {s.name for s in sources}
    context_sources = [c for c in context_sources if c.name not in reported]
    streams = [Source(a.name, a.stream.encode("utf-8")) for a in applies]
    loaded = load_sources([*sources, *context_sources, *streams], settings.pod_owners)
    plain_lf = loaded[: len(sources)]
    context_lf = loaded[len(sources) : len(sources) + len(context_sources)]
    stream_lf = loaded[len(sources) + len(context_sources) :]
    for a, lf in zip(applies, stream_lf, strict=True):
        a.loaded(lf)
    by_name = {a.name: a for a in applies}
    namespaces = {a.name: a.namespace for a in applies}
    builds = frozenset(a.name for a in applies if a.kustomize_docs)
    plain_files = [(lf, False) for lf in plain_lf] + [(lf, False) for lf in failures]
    base = [(lf, True) for lf in plain_lf + context_lf]
    runs = [
        lint_loaded(
            [*plain_files, *((lf, True) for lf in context_lf), *((lf, True) for lf in stream_lf)],
            rules,
            settings,
            {s.name: s.data for s in sources},
            namespaces,
            builds,
        )
    ]
    runs += [lint_loaded([(lf, False), *base], rules, settings, None, namespaces, builds) for lf in stream_lf]
    results = [result for result, _ in runs]
    placed: dict[int, str] = {}
    findings: list[Finding] = []
    suppressed: list[Finding] = []
    run_errors: list[RunError] = list(errors)
    for result in results:
        for f in result.findings:
            precision = _map_finding(f, by_name, positions)
            if precision is not None:
                placed[id(f)] = precision
        for f in result.suppressed:
            _map_finding(f, by_name, positions)
        findings += result.findings
        suppressed += result.suppressed
        for e in result.errors:
            if e.file in by_name:
                e.file = display_name(by_name[e.file].fallback.file)
            run_errors.append(e)
    merged, representative = _merge(findings)
    merged.sort(key=Finding.sort_key)
    number_occurrences(merged)
    incomplete = [line for r in results for line in r.incomplete]
    for a in applies:
        incomplete = [line.replace(a.name, a.label) for line in incomplete]
    final = RunResult(
        findings=merged,
        errors=run_errors,
        rules=list(rules),
        files=len(sources) + len(applies) + len(failures),
        objects=sum(r.objects for r in results),
        suppressed=suppressed,
        incomplete=incomplete,
    )
    if finish is not None:
        finish(final)
    kept = {id(f) for f in final.findings}
    if request_paths:
        final.paths = _request_paths(runs, representative, kept)
    counts: Counter[str] = Counter(placed[id(f)] for f in final.findings if id(f) in placed)
    return RepositoryRun(final, counts)


def _request_paths(
    runs: Sequence[tuple[RunResult, Index]], representative: dict[int, Finding], kept: set[int]
) -> RequestGraph:
    """The request paths of every apply, each drawn from its own index, as one picture.

    A finding reported once for several applies (one base line, two overlays) marks its
    objects in each of them; one the baseline removed marks nothing.
    """
    from gwlint.index.request_paths import merge_graphs, request_paths  # only for a report that draws them

    graphs = []
    for result, index in runs:
        mine = sorted((f for f in result.findings if id(representative[id(f)]) in kept), key=Finding.sort_key)
        if mine:
            graphs.append(request_paths(index, mine))
    return merge_graphs(graphs)


def _origin_kind(place: Place) -> str:
    if place.note.startswith("value from"):
        return HELM_VALUES
    if place.note in ("template", "chart"):
        return HELM_TEMPLATE
    if place.note == "patch":
        return KUSTOMIZE_PATCH
    return KUSTOMIZE_RESOURCE


def _map_finding(f: Finding, applies: dict[str, Apply], positions: Positions) -> str | None:
    """Move a finding (and its related locations) from rendered streams to repository lines.

    Returns how precisely a rendered finding was placed (None for a finding of a plain file).
    """
    apply = applies.get(f.location.file)
    extra: list[Location] = []
    precision = None
    if apply is not None:
        places = apply.places(f.location)
        primary = places[0]
        precision = primary.precision
        if f.fix is not None:
            _retarget(f.fix, f.location.path, primary, positions)
        _move(f.location, primary, positions, apply.label)
        for p in places[1:]:
            rel = Location(display_name(p.file), f.location.path, message=p.note, resource=f.location.resource)
            _move(rel, p, positions, apply.label)
            extra.append(rel)
    for rel in f.related:
        other = applies.get(rel.file)
        if other is not None:
            _move(rel, other.places(rel)[0], positions, other.label)
    f.related += extra
    return precision


def _retarget(fix: Fix, path: Path, place: Place, positions: Positions) -> None:
    """Move a fix of a rendered field to the values or patch file that writes the field, when that is exact.

    Only a fix that sets the finding's own field moves, and only when the mapping names
    the field itself (a values key, a patch field) and the value written there is the
    rendered one: a value the template transforms or combines is left as shown.
    """
    if (
        place.precision != EXACT
        or place.inner is not None
        or _origin_kind(place) not in (HELM_VALUES, KUSTOMIZE_PATCH)
        or not fix.edits
        or any(e.op != EditOp.SET or e.path != path for e in fix.edits)
    ):
        return
    found = positions.document(place)
    if found is None:
        return
    doc, text = found
    if not all(same_value(data_at(doc.data, place.path), e.old) for e in fix.edits):
        fix.unavailable = f"the value comes from {display_name(place.file)}, where it is not written as rendered"
        return
    moved = Fix(fix.message, fix.applicability, [Edit.set(place.path, e.value) for e in fix.edits])
    resolve(moved, doc, FileText(text))
    fix.file, fix.replacements, fix.unavailable = moved.file, moved.replacements, moved.unavailable


def _move(loc: Location, place: Place, positions: Positions, label: str) -> None:
    span = positions.span(place)
    shown = positions.name(place.file)
    loc.span = span
    loc.file = shown
    loc.origin = Origin(_origin_kind(place), shown, span, place.precision == EXACT, (label,))


def _merge(findings: list[Finding]) -> tuple[list[Finding], dict[int, Finding]]:
    """One finding per rule and place, naming every release or overlay that produced it.

    Also returns, for each finding (by ``id``), the one that represents it.
    """
    out: dict[tuple[Any, ...], Finding] = {}
    representative: dict[int, Finding] = {}
    for f in findings:
        span = f.location.span
        key = (f.rule_id, f.location.file, span.line if span else 0, span.column if span else 0, f.location.path)
        first = out.setdefault(key, f)
        representative[id(f)] = first
        if first is f:
            continue
        a, b = first.location.origin, f.location.origin
        if a is not None and b is not None:
            renders = tuple(dict.fromkeys((*a.renders, *b.renders)))
            first.location.origin = Origin(a.kind, a.file, a.span, a.exact, renders)
    return list(out.values()), representative


def render_run(
    inputs: Sequence[str],
    rules: Sequence[Rule],
    settings: Settings,
    config: Any,
    context: Sequence[str],
    stdin_name: str,
    request_paths: bool,
    finish: Callable[[RunResult], None],
    request: RunRequest,
) -> RunResult:
    """The renderer :class:`gwlint.engine.run.RunRequest` takes: a repository run with the configured settings."""
    from gwlint.engine.run import RequestError

    options = RenderOptions(
        True, config.charts, config.kustomizations, values=[FsPath(v) for v in request.values], release=request.release
    )
    try:
        return lint_repository(
            inputs, rules, settings, options, config.exclude, context, stdin_name, None, request_paths, finish
        ).result
    except MissingTool as exc:
        raise RequestError(str(exc)) from None
