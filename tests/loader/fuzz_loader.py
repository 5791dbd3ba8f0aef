"""Coverage-guided fuzzing of the loader and of whole runs, with atheris (outside CI).

pytest does not collect this file (its name does not start with ``test_``): a fuzzing
session runs for minutes or hours, which CI cannot afford. Each input is linted as one
file by every built-in rule; the harness fails on anything a user would see as a crash:
an exception, a run error (a rule that raised), or a finding whose position lies
outside the input. Hangs and segfaults are caught by libFuzzer itself (``-timeout``).

    pip install atheris
    python tests/loader/fuzz_loader.py -max_total_time=600 [-jobs=2] [CORPUS_DIR ...]

Without a corpus directory the harness seeds one from ``testdata/`` in a temporary
directory; a YAML token dictionary is passed to libFuzzer unless ``-dict=`` is given.
Crashing inputs are written as ``crash-*`` files: turn each into a regression test in
``tests/loader/test_robustness.py``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from gwlint.engine.registry import builtin_rules
    from gwlint.engine.run import lint
    from gwlint.loader.load import load_bytes
    from gwlint.sources.files import Source

ROOT = Path(__file__).resolve().parents[2]
RULES = [cls() for cls in builtin_rules()]
TOKENS = [
    "---", "...", "- ", ": ", "? ", "&a ", "*a", "<<: ", "!!str ", "!!python/object:os.system ",
    "!custom ", "%YAML 1.1", "%TAG ! tag:x,2000:", "|-", ">+", "{", "}", "[", "]", ",", "'", '"',
    "\t", "\r\n", "\ufeff", "# Source: chart/templates/x.yaml", "{{ .Release.Name }}", "null", "~",
    "=", "0x1F", "1e3", ".inf", "yes", "apiVersion: v1", "kind: Service", "kind: List", "items:",
    "metadata:", "name: web", "labels:", "selector:", "app: web", "spec:", "template:",
    "containers:", "ports:", "containerPort: 8080", "targetPort: http", "readinessProbe:",
    "livenessProbe:", "httpGet:", "port: 80", "apiVersion: apps/v1", "kind: Deployment",
    "apiVersion: networking.k8s.io/v1", "kind: Ingress", "backend:", "service:",
]  # fmt: skip


def check(data: bytes) -> None:
    """Lint ``data`` as one file; raise on a crash, a run error or an impossible position."""
    load_bytes("fuzz.yaml", data)
    lines = max(len(data.decode("utf-8", "replace").splitlines()), 1)  # an upper bound: YAML breaks fewer
    result = lint([Source("fuzz.yaml", data)], RULES)
    if result.errors:
        raise AssertionError(f"run errors: {[e.message for e in result.errors]}")
    for finding in result.findings:
        span = finding.location.span
        if span is None or not 1 <= span.line <= lines or span.column < 1:
            raise AssertionError(f"bad position {span} ({lines} lines) for {finding.rule_id}: {finding.message}")


def _dict_escape(token: str) -> str:
    """A token in libFuzzer's dictionary syntax: printable ASCII as is, other bytes as ``\\xNN``."""
    return "".join(chr(b) if 32 <= b < 127 and b not in (34, 92) else f"\\x{b:02x}" for b in token.encode("utf-8"))


def _seed_corpus(target: Path) -> None:
    for path in sorted((ROOT / "testdata").rglob("*")):
        if path.suffix in (".yaml", ".yml", ".json") and path.is_file():
            shutil.copy(path, target / path.relative_to(ROOT / "testdata").as_posix().replace("/", "__"))


def main() -> None:
    """Parse libFuzzer's arguments, add a seed corpus and a dictionary, and fuzz."""
    args = list(sys.argv)
    work = Path(tempfile.mkdtemp(prefix="gwlint-fuzz-"))
    if not any(a.startswith("-dict=") for a in args):
        dictionary = work / "yaml.dict"
        dictionary.write_text("".join(f'"{_dict_escape(t)}"\n' for t in TOKENS))
        args.append(f"-dict={dictionary}")
    if not any(not a.startswith("-") for a in args[1:]):
        corpus = work / "corpus"
        corpus.mkdir()
        _seed_corpus(corpus)
        args.append(str(corpus))
    atheris.Setup(args, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
