"""The command line as users run it: real processes, exit statuses, streams and colour.

Every case starts ``python -m gwlint`` (and some the ``gwlint`` console script) in a
temporary directory. A test-only plugin, installed for these processes through a
``gwlint.rules`` entry point on ``PYTHONPATH``, provides a rule that crashes on demand
and a rule with severity ``note``.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from gwlint.engine.registry import builtin_rules, find_rule

from ..tools import python_tool

SERVICE_WITHOUT_PODS = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""
DUPLICATE = SERVICE_WITHOUT_PODS + "---\n" + SERVICE_WITHOUT_PODS
CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n"
EXPLODING_SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
  annotations: {test/explode: "yes"}
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""

PLUGIN = '''\
"""Test-only gwlint plugin: one rule that crashes on request, one that reports notes."""

from gwlint.core.findings import Severity
from gwlint.engine.api import Rule


class ExplodingRule(Rule):
    id = "XT901"
    name = "explodes-on-request"
    severity = Severity.ERROR
    summary = "Raises on objects annotated test/explode"

    def check(self, res, ctx):
        if res.annotations.get("test/explode"):
            raise RuntimeError("deliberate failure")
        yield from ()


class NoteRule(Rule):
    id = "XT902"
    name = "configmap-note"
    severity = Severity.NOTE
    summary = "A note on every ConfigMap"
    options_schema = {"word": {"type": "string", "minLength": 1}}
    default_options = {"word": "noted"}

    def check(self, res, ctx):
        if res.kind == "ConfigMap":
            yield ctx.finding(res, ("metadata", "name"), f"ConfigMap {res.name} {ctx.option('word')}")


RULES = [ExplodingRule, NoteRule]
'''


@pytest.fixture(scope="module")
def plugin_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory that, on ``PYTHONPATH``, installs the test plugin as a distribution."""
    site = tmp_path_factory.mktemp("plugin-site")
    (site / "gwlint_test_plugin.py").write_text(PLUGIN, encoding="utf-8")
    dist = site / "gwlint_test_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: gwlint-test-plugin\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[gwlint.rules]\ntest = gwlint_test_plugin\n", encoding="utf-8")
    return site


def _env(plugin: Path | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "PYTHONPATH")}
    if plugin is not None:
        env["PYTHONPATH"] = str(plugin)
    env.update(extra)
    return env


def gwlint(
    *args: str,
    cwd: Path,
    plugin: Path | None = None,
    stdin: str | None = None,
    script: bool = False,
    **env: str,
) -> subprocess.CompletedProcess[str]:
    """Run gwlint as a separate process (``python -m gwlint``, or the console script)."""
    command = [python_tool("gwlint")] if script else [sys.executable, "-m", "gwlint"]
    return subprocess.run(
        [*command, *args], cwd=cwd, input=stdin, capture_output=True, text=True, env=_env(plugin, **env), timeout=120
    )


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A directory with one manifest per kind of outcome."""
    (tmp_path / "error.yaml").write_text(SERVICE_WITHOUT_PODS, encoding="utf-8")
    (tmp_path / "warning.yaml").write_text(DUPLICATE, encoding="utf-8")
    (tmp_path / "note.yaml").write_text(CONFIGMAP, encoding="utf-8")
    (tmp_path / "clean.yaml").write_text(CONFIGMAP, encoding="utf-8")
    (tmp_path / "explode.yaml").write_text(EXPLODING_SERVICE, encoding="utf-8")
    return tmp_path


# (input file, the one rule selected for it) → exit status per --fail-on (None: the default, warning)
CASES = {
    "error": ("error.yaml", "GW201", {"error": 1, "warning": 1, "note": 1, "never": 0, None: 1}),
    "warning": ("warning.yaml", "GW003", {"error": 0, "warning": 1, "note": 1, "never": 0, None: 1}),
    "note": ("note.yaml", "XT902", {"error": 0, "warning": 0, "note": 1, "never": 0, None: 0}),
    "clean": ("clean.yaml", "GW201", {"error": 0, "warning": 0, "note": 0, "never": 0, None: 0}),
}


@pytest.mark.parametrize("fail_on", ["error", "warning", "note", "never", None])
@pytest.mark.parametrize("case", sorted(CASES))
def test_exit_status_by_fail_on(case: str, fail_on: str | None, work: Path, plugin_path: Path) -> None:
    file, rule, expected = CASES[case]
    args = ["--select", rule, file] + (["--fail-on", fail_on] if fail_on else [])
    proc = gwlint(*args, cwd=work, plugin=plugin_path)
    assert proc.returncode == expected[fail_on], proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(("file", "code"), [("error.yaml", 1), ("clean.yaml", 0), ("missing.yaml", 2)])
def test_console_script_exit_status(file: str, code: int, work: Path) -> None:
    proc = gwlint("--select", "GW201", file, cwd=work, script=True)
    assert proc.returncode == code, proc.stdout + proc.stderr


def test_missing_path_is_exit_2_and_the_other_inputs_are_still_linted(work: Path) -> None:
    proc = gwlint("--select", "GW201", "error.yaml", "missing.yaml", cwd=work)
    assert proc.returncode == 2
    assert "gwlint: error: missing.yaml: no such file or directory" in proc.stderr
    assert "error.yaml:1:1" not in proc.stdout and "GW201" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_unreadable_file_is_exit_2(work: Path) -> None:
    (work / "dangling.yaml").symlink_to(work / "nowhere.yaml")
    proc = gwlint("dangling.yaml", cwd=work)
    assert proc.returncode == 2
    assert "dangling.yaml: cannot read file" in proc.stderr


def test_yaml_syntax_error_is_a_finding_not_exit_2(work: Path) -> None:
    (work / "broken.yaml").write_text("a: [1\n", encoding="utf-8")
    proc = gwlint("--select", "GW001", "broken.yaml", cwd=work)
    assert proc.returncode == 1
    assert "GW001 [error] yaml-syntax-error" in proc.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--select", "GW999", "clean.yaml"],
        ["--ignore", "no-such-rule", "clean.yaml"],
        ["--select", "GW201,XX", "clean.yaml"],
        ["--explain", "GW999"],
    ],
    ids=["select", "ignore", "select-list", "explain"],
)
def test_unknown_rule_is_exit_2(args: list[str], work: Path) -> None:
    proc = gwlint(*args, cwd=work)
    assert proc.returncode == 2
    assert "unknown rule" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_usage_errors_are_exit_2(work: Path) -> None:
    assert gwlint(cwd=work).returncode == 2  # no input at all
    assert gwlint("--fail-on", "sometimes", "clean.yaml", cwd=work).returncode == 2
    assert gwlint("--format", "xml", "clean.yaml", cwd=work).returncode == 2
    proc = gwlint("-o", str(work / "no-such-dir" / "out.txt"), "clean.yaml", cwd=work)
    assert proc.returncode == 2
    assert "cannot write" in proc.stderr and "Traceback" not in proc.stderr


def test_crashing_rule_is_an_internal_error_naming_rule_and_object(work: Path, plugin_path: Path) -> None:
    proc = gwlint("--select", "GW201,XT901", "--fail-on", "never", "explode.yaml", cwd=work, plugin=plugin_path)
    assert proc.returncode == 2
    assert (
        "gwlint: error: explode.yaml: internal error in rule XT901 (explodes-on-request) on Service default/web: "
        "RuntimeError('deliberate failure')"
    ) in proc.stderr
    assert "Traceback" not in proc.stderr
    # the other rules still ran: GW201 reports the same Service
    assert "explode.yaml:7:3: GW201 [error] service-selects-no-pods" in proc.stdout
    assert "The run was incomplete: 1 error." in proc.stdout


def test_crashing_rule_traceback_only_with_debug(work: Path, plugin_path: Path) -> None:
    proc = gwlint("--select", "XT901", "--debug", "explode.yaml", cwd=work, plugin=plugin_path)
    assert proc.returncode == 2
    assert "Traceback (most recent call last)" in proc.stderr
    assert "gwlint_test_plugin.py" in proc.stderr and "deliberate failure" in proc.stderr


def test_crashing_rule_in_json_and_sarif(work: Path, plugin_path: Path) -> None:
    data = json.loads(gwlint("-f", "json", "explode.yaml", cwd=work, plugin=plugin_path).stdout)
    (error,) = [e for e in data["errors"] if e["rule"] == "XT901"]
    assert error["file"] == "explode.yaml" and "Service default/web" in error["message"]
    sarif = json.loads(gwlint("-f", "sarif", "explode.yaml", cwd=work, plugin=plugin_path).stdout)
    invocation = sarif["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["associatedRule"]["id"] == "XT901"


def test_list_rules_text(work: Path) -> None:
    proc = gwlint("--list-rules", cwd=work)
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert len(lines) == len(builtin_rules())
    for rule, line in zip(builtin_rules(), lines, strict=True):
        assert line.split()[:3] == [rule.id, rule.name, rule.severity.label]


def test_list_rules_json_includes_plugins(work: Path, plugin_path: Path) -> None:
    proc = gwlint("--list-rules", "--format", "json", cwd=work, plugin=plugin_path)
    assert proc.returncode == 0
    rules = json.loads(proc.stdout)
    by_id = {r["id"]: r for r in rules}
    assert set(by_id) == {r.id for r in builtin_rules()} | {"XT901", "XT902"}
    assert by_id["GW201"] == {
        "id": "GW201",
        "name": "service-selects-no-pods",
        "severity": "error",
        "summary": find_rule(builtin_rules(), "GW201").summary,  # type: ignore[union-attr]
        "tags": list(find_rule(builtin_rules(), "GW201").tags),  # type: ignore[union-attr]
        "fix": "none",
    }
    assert by_id["GW203"]["fix"] == "sometimes" and by_id["XT902"]["fix"] == "none"
    assert by_id["XT902"]["severity"] == "note"


@pytest.mark.parametrize("token", ["GW201", "gw201", "service-selects-no-pods"])
def test_explain_prints_the_doc(token: str, work: Path) -> None:
    proc = gwlint("--explain", token, cwd=work)
    assert proc.returncode == 0
    rule = find_rule(builtin_rules(), "GW201")
    assert rule is not None
    assert rule.doc().strip() in proc.stdout
    assert "## What it does" in proc.stdout


def _run_on_tty(args: list[str], cwd: Path, **env: str) -> str:
    """Run gwlint with its standard output on a pseudo-terminal; return what it printed."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gwlint", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=subprocess.DEVNULL,
        env=_env(**env),
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(master)
    return b"".join(chunks).decode()


def test_colour_on_a_terminal_only(work: Path) -> None:
    assert "\033[" in _run_on_tty(["--select", "GW201", "error.yaml"], work)
    assert "\033[" not in gwlint("--select", "GW201", "error.yaml", cwd=work).stdout  # a pipe


def test_no_color_wins_on_a_terminal(work: Path) -> None:
    out = _run_on_tty(["--select", "GW201", "error.yaml"], work, NO_COLOR="1")
    assert "GW201" in out and "\033[" not in out


def test_no_colour_in_an_output_file_even_on_a_terminal(work: Path) -> None:
    _run_on_tty(["--select", "GW201", "-o", "report.txt", "error.yaml"], work)
    report = (work / "report.txt").read_text(encoding="utf-8")
    assert "GW201" in report and "\033[" not in report


def test_stdin_with_stdin_filename(work: Path) -> None:
    proc = gwlint("--select", "GW201", "--stdin-filename", "k8s/app.yaml", "-", cwd=work, stdin=SERVICE_WITHOUT_PODS)
    assert proc.returncode == 1
    assert proc.stdout.startswith("k8s/app.yaml:6:3: GW201 [error] service-selects-no-pods: ")
    sarif = json.loads(
        gwlint(
            "-f", "sarif", "--select", "GW201", "--stdin-filename", "k8s/app.yaml", "-", cwd=work, stdin=DUPLICATE
        ).stdout
    )
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "k8s/app.yaml", "uriBaseId": "%SRCROOT%"}


def test_stdin_without_a_name(work: Path) -> None:
    proc = gwlint("--select", "GW201", "-", cwd=work, stdin=SERVICE_WITHOUT_PODS)
    assert proc.returncode == 1
    assert proc.stdout.startswith("<stdin>:6:3: GW201")


def test_output_file(work: Path) -> None:
    proc = gwlint("--select", "GW201", "-f", "json", "-o", "report.json", "error.yaml", cwd=work)
    assert proc.returncode == 1
    assert proc.stdout == ""
    data = json.loads((work / "report.json").read_text(encoding="utf-8"))
    assert [f["rule"] for f in data["findings"]] == ["GW201"]


def test_several_reports_from_one_run(work: Path) -> None:
    """The action's call: annotations on stdout, SARIF and Markdown in files, one run."""
    args = ["--select", "GW201", "-f", "github", "-f", "sarif=gwlint.sarif", "-f", "markdown=summary.md"]
    proc = gwlint(*args, "error.yaml", cwd=work)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith("::error file=error.yaml,line=6,")
    sarif = json.loads((work / "gwlint.sarif").read_text(encoding="utf-8"))
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["GW201"]
    summary = (work / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("### gwlint: 1 error, 0 warnings, 0 notes")
    assert "- error.yaml:6: Service default/web selects no pods" in summary


def test_a_bare_format_goes_to_output_and_the_others_to_their_files(work: Path) -> None:
    proc = gwlint("--select", "GW201", "-f", "gitlab=cq.json", "-f", "json", "-o", "r.json", "error.yaml", cwd=work)
    assert proc.returncode == 1 and proc.stdout == ""
    assert json.loads((work / "r.json").read_text(encoding="utf-8"))["findings"][0]["rule"] == "GW201"
    assert json.loads((work / "cq.json").read_text(encoding="utf-8"))[0]["check_name"] == "GW201"
    # only file reports: nothing on stdout, not even text
    proc = gwlint("--select", "GW201", "-f", "gitlab=cq2.json", "error.yaml", cwd=work)
    assert proc.returncode == 1 and proc.stdout == "" and (work / "cq2.json").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "json", "-f", "sarif"], "only one -f can go to stdout; give the others a file"),
        (["-f", "json=a.json", "-o", "b.json"], "-o is for the -f without =FILE"),
        (["-f", "json=a.json", "-f", "sarif=a.json"], "a.json is named for two reports"),
        (["-f", "xml=a.xml"], "'xml' is not one of 'text', 'json', 'sarif', 'github', 'markdown', 'gitlab', 'junit'"),
        (["-f", "json="], "'json=' names no file after '='"),
    ],
)
def test_report_options_that_cannot_be_honoured_are_exit_2(args: list[str], message: str, work: Path) -> None:
    proc = gwlint(*args, "clean.yaml", cwd=work)
    assert proc.returncode == 2
    assert message in proc.stderr, proc.stderr
    assert not list(work.glob("*.json")), "nothing is written when the options are refused"


def test_explain_a_plugin_rule_without_a_doc(work: Path, plugin_path: Path) -> None:
    proc = gwlint("--explain", "XT902", cwd=work, plugin=plugin_path)
    assert proc.returncode == 0
    assert "XT902 configmap-note (default severity: note)" in proc.stdout
    assert "A note on every ConfigMap" in proc.stdout


def test_plugin_options_sit_under_the_plugins_distribution(work: Path, plugin_path: Path) -> None:
    """A plugin's options are configured under its distribution's name, and checked like gwlint's own."""
    config = work / "plugin.yaml"
    config.write_text("plugins:\n  gwlint-test-plugin:\n    word: seen\n", encoding="utf-8")
    proc = gwlint(
        "--config", "plugin.yaml", "--select", "XT902", "-f", "json", "note.yaml", cwd=work, plugin=plugin_path
    )
    assert [f["message"] for f in json.loads(proc.stdout)["findings"]] == ["ConfigMap settings seen"], proc.stderr
    schema = json.loads(gwlint("--print-config-schema", cwd=work, plugin=plugin_path).stdout)
    assert schema["properties"]["plugins"]["properties"]["gwlint-test-plugin"]["properties"]["word"] == {
        "type": "string",
        "minLength": 1,
        "default": "noted",
        "description": "Option of XT902 configmap-note.",
    }
    assert "word" not in schema["properties"]
    config.write_text("word: seen\nplugins:\n  gwlint-test-plugin:\n    word: ''\n", encoding="utf-8")
    proc = gwlint("--config", "plugin.yaml", "note.yaml", cwd=work, plugin=plugin_path)
    assert proc.returncode == 2
    assert "plugin.yaml:1:1: unknown key 'word'" in proc.stderr
    assert "plugin.yaml:4:11: `plugins.gwlint-test-plugin.word`: '' should be non-empty" in proc.stderr
