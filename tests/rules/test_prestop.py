"""The preStop sleep of rules.md, form by form: what GW402 compares with the grace period."""

from __future__ import annotations

import math

import pytest
from gwlint.engine.run import index_sources
from gwlint.engine.settings import Settings
from gwlint.model.prestop import duration_seconds, exec_sleep_seconds, script_sleep_seconds
from gwlint.sources.files import Source
from hypothesis import given
from hypothesis import strategies as st

KNOWN = [
    # plain argv
    (["sleep", "5"], 5),
    (["/bin/sleep", "5"], 5),
    (["/usr/bin/sleep", "15"], 15),
    (["sleep", "5s"], 5),
    (["sleep", "0.5"], 0.5),
    (["sleep", ".5"], 0.5),
    (["sleep", "1m"], 60),
    (["sleep", "5", "10s"], 15),
    (["busybox", "sleep", "5"], 5),
    (["/bin/busybox", "sleep", "7"], 7),
    (["env", "A=1", "sleep", "3"], 3),
    # shells
    (["sh", "-c", "sleep 5"], 5),
    (["/bin/sh", "-c", "sleep 5"], 5),
    (["bash", "-c", "sleep 5"], 5),
    (["/bin/ash", "-c", "sleep 5"], 5),
    (["dash", "-c", "sleep 5"], 5),
    (["busybox", "sh", "-c", "sleep 5"], 5),
    (["/bin/busybox", "ash", "-c", "sleep 5"], 5),
    (["/bin/sh", "-ec", "sleep 5"], 5),
    (["bash", "-xec", "sleep 5"], 5),
    (["sh", "-e", "-c", "sleep 5"], 5),
    (["bash", "-o", "pipefail", "-c", "sleep 5"], 5),
    (["bash", "--login", "-c", "sleep 5"], 5),
    (["bash", "--rcfile", "/etc/rc", "-c", "sleep 5"], 5),
    (["sh", "-c", "--", "sleep 5"], 5),
    (["/usr/bin/env", "sh", "-c", "sleep 5"], 5),
    (["sh", "-c", "sleep 5", "argv0"], 5),
    # scripts: sums, units, positions, quoting
    (["sh", "-c", "sleep 5 && nginx -s quit"], 5),
    (["sh", "-c", "sleep 5; sleep 10s"], 15),
    (["sh", "-c", "sleep 5s"], 5),
    (["sh", "-c", "sleep 2m"], 120),
    (["sh", "-c", "sleep 5 5"], 10),
    (["sh", "-c", 'sleep "5"'], 5),
    (["sh", "-c", "sleep '5'"], 5),
    (["sh", "-c", "/bin/sleep 4"], 4),
    (["sh", "-c", "/usr/local/bin/sleep 4"], 4),
    (["sh", "-c", "busybox sleep 4"], 4),
    (["sh", "-c", "exec sleep 4"], 4),
    (["sh", "-c", "kill -TERM 1 && sleep 4"], 4),
    (["sh", "-c", "if true; then sleep 3; fi"], 3),
    (["sh", "-c", "while false; do sleep 1; done"], 1),
    (["sh", "-c", "$(sleep 2)"], 2),
    (["sh", "-c", "echo draining\nsleep 20\nnginx -s quit"], 20),
    (["sh", "-c", "sleep 5 > /dev/null 2>&1"], 5),
    (["sh", "-c", "sleep 5 >/dev/null"], 5),
    (["sh", "-c", "sleep 5 || true"], 5),
    (["sh", "-c", "sleep 5 | cat"], 5),
    # comments and background sleeps do not wait
    (["sh", "-c", "# sleep 30\nsleep 5"], 5),
    (["sh", "-c", "sleep 5 # was: sleep 30"], 5),
    (["sh", "-c", "sleep 30 & sleep 5"], 5),
    (["sh", "-c", "sleep 30 2>&1 &\nsleep 5"], 5),
    # an unreadable sleep is left out; the literal ones still count (a lower bound)
    (["sh", "-c", "sleep $DELAY; sleep 5"], 5),
    (["sh", "-c", 'sleep 5 && kill -SIGTERM "$(pidof vault)"'], 5),
]

UNBOUNDED = [
    ["sleep", "infinity"],
    ["sleep", "inf"],
    ["sh", "-c", "sleep infinity"],
    ["sh", "-c", "sleep 5; sleep infinity"],
    ["busybox", "sh", "-c", "sleep infinity"],
]

UNKNOWN = [
    [],
    ["sleep"],
    ["sleep", "$(DELAY)"],
    ["sleep", "5sec"],
    ["sleep", "-5"],
    ["sleep 5"],  # one argv element: the runtime looks for a binary called "sleep 5"
    ["/wait-shutdown"],
    ["nginx", "-s", "quit"],
    ["sh", "/scripts/prestop.sh"],
    ["sh", "-e", "/scripts/prestop.sh"],
    ["sh", "-c"],
    ["sh", "-c", "nodetool drain"],
    ["sh", "-c", "sleep"],
    ["sh", "-c", "sleep", "5"],  # "5" is $0 of the script, not an argument of sleep
    ["sh", "-c", "sleep $DELAY"],
    ["sh", "-c", "echo sleep 30"],
    ["sh", "-c", "# sleep 30"],
    ["sh", "-c", "sleep 30 &"],
    ["sh", "-c", "sleep 5sec"],
    ["python", "-c", "import time; time.sleep(5)"],
    ["busybox"],
    ["env"],
]


@pytest.mark.parametrize(("argv", "seconds"), KNOWN, ids=lambda v: repr(v))
def test_known_sleeps(argv: list[str], seconds: float) -> None:
    assert exec_sleep_seconds(argv) == pytest.approx(seconds)


@pytest.mark.parametrize("argv", UNBOUNDED, ids=repr)
def test_unbounded_sleeps(argv: list[str]) -> None:
    assert exec_sleep_seconds(argv) == math.inf


@pytest.mark.parametrize("argv", UNKNOWN, ids=repr)
def test_unknown_hooks(argv: list[str]) -> None:
    assert exec_sleep_seconds(argv) is None


def test_duration_units() -> None:
    assert duration_seconds("1h") == 3600
    assert duration_seconds("1d") == 86400
    assert duration_seconds("1.5m") == 90
    assert duration_seconds("five") is None
    assert duration_seconds("") is None


def test_script_without_sleep_is_unknown() -> None:
    assert script_sleep_seconds("nginx -s quit") is None


def _prestops(lifecycle: str) -> list[tuple[str | None, float | None]]:
    manifest = f"""
apiVersion: v1
kind: Pod
metadata: {{name: p}}
spec:
  containers:
    - name: app
      image: "app:1"
      lifecycle:
{lifecycle}
"""
    index = index_sources([Source("p.yaml", manifest.encode())], Settings())
    return [
        (c.prestop.handler, c.prestop.seconds) for w in index.workloads for c in w.containers if c.prestop is not None
    ]


def test_model_reads_sleep_action() -> None:
    assert _prestops("        preStop: {sleep: {seconds: 12}}") == [("sleep", 12)]


def test_model_reads_exec_sleep() -> None:
    assert _prestops('        preStop: {exec: {command: ["/bin/sh", "-c", "sleep 7s"]}}') == [("exec", 7)]


def test_model_http_hook_is_unknown() -> None:
    assert _prestops("        preStop: {httpGet: {path: /drain, port: 8080}}") == [("httpGet", None)]


def test_model_exec_with_non_string_argv_is_unknown() -> None:
    assert _prestops("        preStop: {exec: {command: [sleep, 5]}}") == [("exec", None)]


@given(st.lists(st.text(max_size=60), max_size=6))
def test_any_argv_reads_as_seconds_or_unknown(argv: list[str]) -> None:
    seconds = exec_sleep_seconds(argv)
    assert seconds is None or seconds >= 0


@given(st.text(alphabet=" \t\n;&|()`#$'\"<>0123456789.smhdinfyleepbusxc/-", max_size=200))
def test_any_script_reads_as_seconds_or_unknown(script: str) -> None:
    for argv in (["sh", "-c", script], ["sleep", *script.split()]):
        seconds = exec_sleep_seconds(argv)
        assert seconds is None or seconds >= 0
