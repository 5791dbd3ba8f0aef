"""Locating the real third-party tools that integration tests drive.

They are installed by ``.ci/install-tools`` into ``.tools/``. A test that needs one
installs it on first use; where that is impossible (no npm, no network) the test is
skipped with the reason, except in CI (``CI`` set), where a missing tool is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".tools"
PATHS = {
    "sarif-multitool": TOOLS / "node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool",
    "helm": TOOLS / "bin/helm",
    "mermaid": TOOLS / "node_modules/mermaid/package.json",
    "jsdom": TOOLS / "node_modules/jsdom/package.json",
    "kubectl": TOOLS / "bin/kubectl",
}


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must have every tool: see .ci/install-tools)")
    pytest.skip(reason)


def tool(name: str) -> str:
    """Absolute path of an installed tool, installing the set once if needed."""
    path = PATHS[name]
    if not path.exists():
        if shutil.which("npm") is None:
            _unavailable(f"{name} is not installed and npm is missing")
        proc = subprocess.run(["bash", str(ROOT / ".ci/install-tools")], capture_output=True, text=True)
        if proc.returncode != 0 or not path.exists():
            _unavailable(f"could not install {name}: {proc.stderr.strip()[-500:]}")
    return str(path)


def python_tool(name: str) -> str:
    """A console script of the test extras, from the interpreter's own environment."""
    import sys

    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        _unavailable(f"{name} is not installed (pip install -e '.[test]')")
        raise AssertionError("unreachable")
    return found


def mermaid_parse(diagrams: list[str]) -> list[dict[str, object]]:
    """Each diagram through the real mermaid parser (``mermaid.parse`` in Node, with jsdom).

    One result per diagram: ``{"ok": True, "type": ...}`` or ``{"ok": False, "error": ...}``.
    """
    import json

    tool("mermaid")
    tool("jsdom")
    node = shutil.which("node")
    if node is None:
        _unavailable("node is not installed")
        raise AssertionError("unreachable")
    proc = subprocess.run(
        [node, str(ROOT / "tests/mermaid_parse.mjs"), str(TOOLS)],
        input=json.dumps(diagrams),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    results: list[dict[str, object]] = json.loads(proc.stdout)
    return results


def render_tools() -> None:
    """Make sure helm and kubectl are installed and first on PATH, for tests that render."""
    for name in ("helm", "kubectl"):
        tool(name)
    bin_dir = str(TOOLS / "bin")
    if not os.environ.get("PATH", "").startswith(bin_dir):
        os.environ["PATH"] = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
