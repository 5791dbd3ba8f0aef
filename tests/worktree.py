"""Copies of the project's working tree, for tests that install gwlint the way users do.

pre-commit installs a hook from a git repository at a commit, and the GitHub Action
installs gwlint from its checkout. Both must be tested on the working tree as it is now,
uncommitted edits included, so the copy takes every file git would see (tracked and
untracked, not ignored) rather than the last commit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Fixed identity and dates: the same tree always gives the same commit, so a cache
# keyed by commit (pre-commit's hook environments) is reused until the tree changes.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "gwlint tests",
    "GIT_AUTHOR_EMAIL": "tests@gwlint.invalid",
    "GIT_COMMITTER_NAME": "gwlint tests",
    "GIT_COMMITTER_EMAIL": "tests@gwlint.invalid",
    "GIT_AUTHOR_DATE": "2000-01-01T00:00:00+0000",
    "GIT_COMMITTER_DATE": "2000-01-01T00:00:00+0000",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(cwd: Path, *args: str) -> str:
    """Run git with a neutral configuration; its stdout, or a failure with its stderr."""
    env = {**os.environ, **GIT_ENV}
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env, check=False)
    assert proc.returncode == 0, f"git {' '.join(args)} failed: {proc.stderr}"
    return proc.stdout


def copy_worktree(dest: Path) -> Path:
    """Copy the files git sees in the project (tracked and untracked, not ignored) to ``dest``."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("the project is not a git work tree (or git is missing)")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    dest.mkdir(parents=True, exist_ok=True)
    for raw in listed.split(b"\0"):
        if not raw:
            continue
        rel = os.fsdecode(raw)
        src = ROOT / rel
        if not src.is_file():  # deleted in the work tree but still in the index
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
    return dest


def commit_worktree(dest: Path) -> str:
    """A git repository at ``dest`` whose one commit is the working tree; returns its sha."""
    if dest.exists():
        shutil.rmtree(dest)
    copy_worktree(dest)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "--all")
    git(dest, "commit", "-q", "--no-verify", "-m", "working tree snapshot")
    return git(dest, "rev-parse", "HEAD").strip()
