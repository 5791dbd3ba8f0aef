"""How long a preStop exec hook waits, read from its argv (the "preStop sleep" of rules.md).

GW402 compares this with ``terminationGracePeriodSeconds``, so the reading is deliberately
narrow: it recognises ``sleep N`` run directly (``sleep``, ``/bin/sleep``, ``busybox sleep``)
or from a shell ``-c`` script (``sh``, ``bash``, ``/bin/sh``, ``busybox sh``, ...), and
anything else is "unknown" (None), never a guess. Inside a script the sleeps run in the
foreground are summed; a sleep whose argument is not a literal (``sleep $DELAY``) is
left out, so a script that also has literal sleeps yields a lower bound of its wait.

Every run imports this module with the workload model, while most manifests have no exec
hook to read: the patterns are compiled on first use, not at import.
"""

from __future__ import annotations

import functools
import math
import re

SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "yash"})
"""Shells whose ``-c`` script is searched for sleeps (by base name, so ``/bin/sh`` counts)."""

_UNITS = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_SHELL_OPTIONS_WITH_VALUE = frozenset({"-o", "+o", "-O", "+O", "--rcfile", "--init-file"})


@functools.cache
def _duration_re() -> re.Pattern[str]:
    return re.compile(r"([0-9]+(?:\.[0-9]*)?|\.[0-9]+)([smhd]?)")


@functools.cache
def _script_res() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """A sleep command in a script, a comment, and a redirection.

    A sleep command: at the start of a command (script start, after ; & | ( ` { or a
    newline, or after then/do/else/exec/time/nohup), optionally with a path or as a
    busybox applet; then its arguments up to the end of the simple command, and whether a
    lone "&" sends it to the background. A redirection: ``(?<![0-9])`` keeps a match from
    starting inside a run of digits, which keeps the scan linear.
    """
    return (
        re.compile(
            r"(?:^|[;&|(`{\n]|\b(?:then|do|else|if|while|until|exec|time|nohup)[ \t])[ \t]*"
            r"(?:(?:[\w.\-]*/)*busybox[ \t]+)?(?:[\w.\-]*/)*sleep(?=[\s;&|)`]|$)"
            r"(?P<args>[^;&|)`\n]*)(?P<background>(?=[ \t]*&(?!&)))?"
        ),
        re.compile(r"(^|[ \t;])#[^\n]*", re.MULTILINE),
        re.compile(r"(?<![0-9])&?[0-9]*(?:<<?|>>?)(?:&[0-9]+-?|[ \t]*[^\s;&|)`]+)"),
    )


def duration_seconds(arg: str) -> float | None:
    """Seconds of one ``sleep`` argument (``5``, ``5s``, ``1.5m``, ``infinity``); None if not one."""
    arg = arg.strip().strip("'\"")
    if arg in ("infinity", "inf"):
        return math.inf
    m = _duration_re().fullmatch(arg)
    if not m:
        return None
    return float(m.group(1)) * _UNITS[m.group(2)]


def _sleep_args_seconds(args: list[str]) -> float | None:
    """What ``sleep ARGS...`` waits: the sum of its arguments (GNU and busybox both add them)."""
    if not args:
        return None
    total = 0.0
    for arg in args:
        value = duration_seconds(arg)
        if value is None:
            return None
        total += value
    return total


def script_sleep_seconds(script: str) -> float | None:
    """Seconds a shell script spends in foreground ``sleep`` commands; None when it has none we can read."""
    sleep_re, comment_re, redirect_re = _script_res()
    script = redirect_re.sub("", comment_re.sub(r"\1", script))
    known: list[float] = []
    for m in sleep_re.finditer(script):
        if m.group("background") is not None:
            continue
        value = _sleep_args_seconds(m.group("args").split())
        if value is not None:
            known.append(value)
    return sum(known) if known else None


def _shell_script(args: list[str]) -> str | None:
    """The ``-c`` script of a shell's arguments (options may precede it: ``-ec``, ``-o pipefail``)."""
    has_c = False
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            i += 1
            break
        if arg in _SHELL_OPTIONS_WITH_VALUE:
            i += 2
            continue
        if arg.startswith("--"):
            i += 1
            continue
        if len(arg) > 1 and arg[0] in "-+":
            has_c = has_c or (arg[0] == "-" and "c" in arg[1:])
            i += 1
            continue
        break
    if has_c and i < len(args):
        return args[i]
    return None


def _base(arg: str) -> str:
    return arg.rsplit("/", 1)[-1]


def exec_sleep_seconds(argv: list[str]) -> float | None:
    """Seconds a preStop exec argv sleeps: None when unknown, ``math.inf`` when unbounded."""
    rest = list(argv)
    if rest and _base(rest[0]) == "env":
        rest = rest[1:]
        while rest and ("=" in rest[0] or rest[0].startswith("-")):
            rest = rest[1:]
    if rest and _base(rest[0]) == "busybox":
        rest = rest[1:]
    if not rest:
        return None
    base = _base(rest[0])
    if base == "sleep":
        return _sleep_args_seconds(rest[1:])
    if base in SHELLS:
        script = _shell_script(rest[1:])
        return None if script is None else script_sleep_seconds(script)
    return None
