"""The ``gwlint`` command: options → run request → engine run → reports → exit status.

The CLI only turns options into a :class:`~gwlint.engine.run.RunRequest` and renders
the result; the run itself (config, inputs, baseline, the exit decision) is the engine's.

Exit status: 0 when nothing reaches ``--fail-on``, 1 when something does, 2 when the run
itself failed (usage, unreadable path, unknown rule, crashing rule). Click's own
exceptions and any unexpected error are mapped to 2 here, never to a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

import click
from gwlint import __version__
from gwlint.core.findings import FAIL_ON
from gwlint.core.gcpause import gc_paused

if TYPE_CHECKING:
    from gwlint.core.result import RunResult


class UsageFailure(Exception):
    """A problem with how gwlint was called or configured: exit status 2."""


def _render_run(*args: Any) -> RunResult:
    """The repository renderer, imported only when the inputs hold a chart or a kustomization."""
    from gwlint.engine.repository import render_run

    return render_run(*args)


def _split_tokens(values: Sequence[str]) -> list[str]:
    return [t.strip() for v in values for t in v.split(",") if t.strip()]


def _use_color(out: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(out, "isatty") and out.isatty()


def _kube_version(value: str | None) -> str | None:
    """``--kube-version`` checked as the config key is: a usage error (exit 2) when it is not a version."""
    if value is None:
        return None
    from gwlint.core.kubeversion import KubeVersion

    try:
        KubeVersion.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


def _list_rules(fmt: str) -> None:
    from gwlint.engine.registry import all_rules

    rules = all_rules()
    if fmt == "json":
        import json

        click.echo(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "name": r.name,
                        "severity": r.severity.label,
                        "summary": r.summary,
                        "tags": list(r.tags),
                        "fix": r.fix_availability,
                    }
                    for r in rules
                ],
                indent=2,
            )
        )
        return
    width = max(len(r.name) for r in rules)
    for r in rules:
        click.echo(f"{r.id}  {r.name:<{width}}  {r.severity.label:<7}  {r.summary}")


def _explain(token: str) -> None:
    from gwlint.engine.registry import all_rules, find_rule

    rule = find_rule(all_rules(), token)
    if rule is None:
        raise UsageFailure(f"unknown rule {token!r} (see `gwlint --list-rules`)")
    click.echo(f"{rule.id} {rule.name} (default severity: {rule.severity.label})\n")
    click.echo(rule.doc().strip() or rule.summary)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    metavar="FORMAT[=FILE]",
    callback=lambda _ctx, _param, values: _parse_formats(values),
    help="Output format: text (default), json, sarif, github, markdown, gitlab or junit. Repeat it for several "
    "reports of one run: FORMAT=FILE writes that report to FILE; the format without a file goes to -o or stdout.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write the report (the -f without =FILE) to FILE."
)
@click.option("--select", multiple=True, help="Rules to run: ids, names or prefixes (GW3), comma-separated.")
@click.option("--ignore", multiple=True, help="Rules not to run: ids, names or prefixes, comma-separated.")
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default=None,
    help="Lowest severity that makes the exit status 1 (default: warning).",
)
@click.option("--namespace", default=None, help="Namespace of objects that name none (default: default).")
@click.option(
    "--kube-version",
    callback=lambda _ctx, _param, value: _kube_version(value),
    default=None,
    help="Kubernetes version the manifests are applied to, e.g. 1.30 (default: the newest gwlint knows).",
)
@click.option(
    "--context",
    "context_paths",
    multiple=True,
    type=click.Path(),
    help="More manifests loaded for cross-references only; nothing is reported on them.",
)
@click.option("--stdin-filename", default=None, help="Name to show for standard input (default: <stdin>).")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    help="Config file (default: .gwlint.yaml, .gwlint.yml or [tool.gwlint] in pyproject.toml, "
    "searched from here up to the repository root).",
)
@click.option("--no-suppressions", is_flag=True, help="Ignore gwlint.io/ignore annotations and gwlint comments.")
@click.option(
    "--no-render",
    is_flag=True,
    help="Do not render Helm charts and kustomizations: lint every file as plain YAML.",
)
@click.option(
    "--values",
    "values_files",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Render every chart among the inputs with these values files (as helm --values, repeatable), "
    "instead of values.yaml and each ci/*-values.yaml.",
)
@click.option("--release", default=None, help="Release name of every chart among the inputs (default: its folder's).")
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False),
    help="Report only findings that this baseline file does not record.",
)
@click.option(
    "--write-baseline",
    "write_baseline",
    type=click.Path(dir_okay=False),
    help="Record the current findings in FILE as the baseline (then report only new ones: none).",
)
@click.option("--fix", "fix", is_flag=True, help="Apply the safe fixes to the files, then report what remains.")
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="Also apply (with --fix or --diff) the fixes that change behaviour, and mark them [*].",
)
@click.option("--diff", "diff", is_flag=True, help="Print what --fix would change as a unified diff; write nothing.")
@click.option("--print-config-schema", is_flag=True, help="Print the config file's JSON schema and exit.")
@click.option("--list-rules", is_flag=True, help="List every rule and exit.")
@click.option("--explain", "explain", metavar="RULE", help="Show a rule's documentation and exit.")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for internal errors.")
@click.version_option(__version__, "--version", prog_name="gwlint")
def cli(
    paths: tuple[str, ...],
    formats: list[tuple[str, str | None]],
    output: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    namespace: str | None,
    kube_version: str | None,
    context_paths: tuple[str, ...],
    stdin_filename: str | None,
    config_file: str | None,
    no_suppressions: bool,
    no_render: bool,
    values_files: tuple[str, ...],
    release: str | None,
    baseline_file: str | None,
    write_baseline: str | None,
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    print_config_schema: bool,
    list_rules: bool,
    explain: str | None,
    debug: bool,
) -> int:
    """Lint Kubernetes manifests for the mistakes behind gateway 502/503/504 errors.

    PATHS are files or directories (searched for *.yaml, *.yml, *.json); `-` reads
    standard input, e.g. `helm template ./chart | gwlint -`.
    """
    reports = _outputs(formats, output)
    if list_rules:
        _list_rules(next((fmt for fmt, file in reports if file is None), "text"))
        return 0
    if explain:
        _explain(explain)
        return 0
    if print_config_schema:
        from gwlint.config.schema import schema_text
        from gwlint.engine.registry import all_rules

        click.echo(schema_text(all_rules()), nl=False)
        return 0

    from gwlint.engine.run import RequestError, RunRequest, run
    from gwlint.reporters import DRAWS_PATHS

    request = RunRequest(
        paths=paths,
        context=context_paths,
        stdin_name=stdin_filename or "<stdin>",
        config=config_file,
        select=_split_tokens(select),
        ignore=_split_tokens(ignore),
        fail_on=fail_on,
        namespace=namespace,
        kube_version=kube_version,
        suppressions=not no_suppressions,
        baseline=baseline_file,
        write_baseline=write_baseline,
        request_paths=any(fmt in DRAWS_PATHS for fmt, _ in reports),
        renderer=None if no_render else _render_run,
        fix=fix,
        diff=diff,
        unsafe_fixes=unsafe_fixes,
        values=values_files,
        release=release,
    )
    try:
        result = run(request)
    except RequestError as exc:
        raise UsageFailure(str(exc)) from None
    if result.recorded is not None:
        click.echo(f"gwlint: recorded {result.recorded} findings in {write_baseline}", err=True)
    if diff:
        _show_diff(result, output, unsafe_fixes)
    else:
        _report(result, reports, unsafe_fixes)
    for err in result.errors:
        where = f"{err.file}: " if err.file else ""
        click.echo(f"gwlint: error: {where}{err.message}", err=True)
        if debug and err.detail:
            click.echo(err.detail.rstrip(), err=True)
    return result.exit_status()


def _show_diff(result: RunResult, output: str | None, unsafe: bool) -> None:
    """``--diff``: the unified diff of every file a fix would change (the report is not printed)."""
    from gwlint.fix.diff import unified_diff
    from gwlint.reporters.text import fix_counts

    text = "".join(unified_diff(c.file, c.before, c.after) for c in result.changes)
    if output:
        try:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        except OSError as exc:
            raise UsageFailure(f"cannot write {output}: {exc.strerror or exc}") from exc
    else:
        click.echo(text, nl=False)
    files = len(result.changes)
    summary = f"gwlint: would fix {result.fixed} finding{'' if result.fixed == 1 else 's'}"
    summary += f" in {files} file{'' if files == 1 else 's'}" if files else ""
    click.echo(summary, err=True)
    _, hidden = fix_counts(result.findings, unsafe)
    if hidden:
        click.echo(f"gwlint: {hidden} more with --unsafe-fixes", err=True)


def _parse_formats(values: Sequence[str]) -> list[tuple[str, str | None]]:
    """``-f`` values as (format, file or None); click reports an unknown format as a usage error."""
    from gwlint.reporters import FORMATS

    parsed: list[tuple[str, str | None]] = []
    for value in values:
        fmt, eq, file = value.partition("=")
        if fmt not in FORMATS:
            raise click.BadParameter(f"{fmt!r} is not one of {', '.join(map(repr, FORMATS))}.")
        if eq and not file:
            raise click.BadParameter(f"{value!r} names no file after '='.")
        parsed.append((fmt, file or None))
    return parsed


def _outputs(formats: list[tuple[str, str | None]], output: str | None) -> list[tuple[str, str | None]]:
    """Every report to write, as (format, file); None is stdout. One run, one report per file."""
    bare = [fmt for fmt, file in formats if file is None]
    if len(bare) > 1:
        raise UsageFailure(f"only one -f can go to {output or 'stdout'}; give the others a file: -f FORMAT=FILE")
    if formats and not bare and output:
        raise UsageFailure("-o is for the -f without =FILE, and every -f names its own file")
    reports: list[tuple[str, str | None]] = [(fmt, file) for fmt, file in formats if file is not None]
    if bare or not formats:
        reports.append((bare[0] if bare else "text", output))
    files = [file for _, file in reports if file is not None]
    for file in files:
        if files.count(file) > 1:
            raise UsageFailure(f"{file} is named for two reports")
    return reports


def _report(result: RunResult, reports: list[tuple[str, str | None]], unsafe_fixes: bool) -> None:
    from gwlint.reporters import ReportOptions, get_reporter, github_blob_base

    blob_base = github_blob_base(os.environ)
    for fmt, file in reports:
        render = get_reporter(fmt)
        if file:
            try:
                with open(file, "w", encoding="utf-8") as fh:
                    render(result, fh, ReportOptions(blob_base=blob_base, unsafe_fixes=unsafe_fixes))
            except OSError as exc:
                raise UsageFailure(f"cannot write {file}: {exc.strerror or exc}") from exc
        else:
            color = fmt == "text" and _use_color(sys.stdout)
            options = ReportOptions(color=color, blob_base=blob_base, unsafe_fixes=unsafe_fixes)
            render(result, sys.stdout, options)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the CLI and exit with 0, 1 or 2; tracebacks only with ``--debug``."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        # paused until the report is written: re-enabling it while the run's objects
        # are alive would traverse them all once more (0.8 s at 10,000 objects)
        with gc_paused():
            code = cli.main(args=args, prog_name="gwlint", standalone_mode=False)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.UsageError as exc:
        exc.show()
        code = 2
    except click.ClickException as exc:
        exc.show()
        code = 2
    except click.Abort:
        click.echo("gwlint: aborted", err=True)
        code = 130
    except UsageFailure as exc:
        for line in str(exc).splitlines():
            click.echo(f"gwlint: error: {line}", err=True)
        code = 2
    except Exception as exc:
        from gwlint.engine.registry import PluginError, RuleSelectionError

        if isinstance(exc, (RuleSelectionError, PluginError)):
            click.echo(f"gwlint: error: {exc}", err=True)
            code = 2
        else:
            if debug:
                raise
            click.echo(f"gwlint: internal error: {exc!r} (run with --debug for a traceback)", err=True)
            code = 2
    sys.exit(code if isinstance(code, int) else 0)
