"""Shared fixtures: where the project's test data and the shared corpus live."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TESTDATA = ROOT / "testdata"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


def require_corpus() -> Path:
    """The shared corpus, or a skip with the reason when this clone has none beside it."""
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not beside this clone ({CORPUS} is missing); CI always has it")
    return CORPUS


@pytest.fixture(autouse=True, scope="session")
def _private_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Runs (in-process and child processes) keep their cache out of the user's home."""
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    tools = ROOT / ".tools" / "bin"
    if tools.is_dir():  # helm and kubectl of .ci/install-tools, for the rendering tests
        mp.setenv("PATH", f"{tools}{os.pathsep}{os.environ.get('PATH', '')}")
    yield
    mp.undo()
