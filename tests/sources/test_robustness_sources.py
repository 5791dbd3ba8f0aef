"""Paths gwlint cannot read are reported with their path; the rest of the run goes on.

Tests run as root, for whom permission bits mean nothing, so denied access is simulated
(an ``OSError`` from the file system call) and, where ``setpriv`` is available, also
checked for real by running gwlint as an unprivileged user.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gwlint.core.findings import RunError
from gwlint.sources import files as sources
from gwlint.sources.files import collect

from ..clirun import Gwlint, gwlint_fixture

__all__ = ["gwlint_fixture"]

SERVICE = (
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  selector:\n    app: nothing-has-this-label\n"
)


def tree(root: Path, *names: str) -> None:
    """Create manifests (each a Service that selects nothing, so GW201 names it)."""
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(SERVICE.format(name=path.stem))


def fifo(path: Path) -> None:
    """Make a FIFO; if anything opens it for reading, a helper thread ends that read.

    Without the handling under test, reading the FIFO would block the test run forever;
    with it, this turns into an empty read and a failing assertion.
    """
    os.mkfifo(path)

    def rescue() -> None:
        for _ in range(300):
            try:
                fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)  # ENXIO until a reader opens it
            except OSError:
                time.sleep(0.1)
                continue
            os.close(fd)
            return

    threading.Thread(target=rescue, daemon=True).start()


def test_fifo_in_a_directory_is_reported_not_read(tmp_path: Path) -> None:
    tree(tmp_path, "ok.yaml")
    fifo(tmp_path / "pipe.yaml")
    found, errors = collect([str(tmp_path)])
    assert [Path(s.name).name for s in found] == ["ok.yaml"]
    assert [(Path(e.file or "").name, e.message) for e in errors] == [
        ("pipe.yaml", "not a regular file (a pipe, socket or device); not read")
    ]


def test_a_pipe_named_on_the_command_line_is_read(tmp_path: Path) -> None:
    # ``gwlint <(helm template ./chart)`` passes /dev/fd/N, a pipe
    read_end, write_end = os.pipe()
    os.write(write_end, SERVICE.format(name="piped").encode())
    os.close(write_end)
    try:
        found, errors = collect([f"/dev/fd/{read_end}"])
    finally:
        os.close(read_end)
    assert errors == []
    assert b"name: piped" in found[0].data


def test_directory_loop_through_a_symlink_is_reported_once(tmp_path: Path) -> None:
    tree(tmp_path, "a/one.yaml")
    (tmp_path / "a" / "back").symlink_to("..")
    found, errors = collect([str(tmp_path)])
    assert [Path(s.name).name for s in found] == ["one.yaml"]
    assert [(Path(e.file or "").name, e.message) for e in errors] == [
        ("back", "directory loop through a symbolic link; not read twice")
    ]


def test_second_link_to_a_directory_is_skipped_quietly(tmp_path: Path) -> None:
    tree(tmp_path, "real/one.yaml")
    (tmp_path / "alias").symlink_to("real")
    found, errors = collect([str(tmp_path)])
    assert errors == []
    assert len(found) == 1 and Path(found[0].name).name == "one.yaml"


@pytest.mark.parametrize(
    "link",
    [
        lambda d: (d / "alias.yaml").symlink_to("real.yaml"),
        lambda d: os.link(d / "real.yaml", d / "alias.yaml"),
    ],
    ids=["symbolic", "hard"],
)
def test_a_file_reached_under_two_names_is_read_once(tmp_path: Path, link: Any) -> None:
    tree(tmp_path, "real.yaml")
    link(tmp_path)
    found, errors = collect([str(tmp_path)])
    assert errors == []
    assert [Path(s.name).name for s in found] == ["alias.yaml"]  # the first name in walking order
    found, errors = collect([str(tmp_path / "real.yaml"), str(tmp_path / "alias.yaml")])
    assert [Path(s.name).name for s in found] == ["real.yaml"]


def test_two_links_to_one_file_are_not_duplicates(gwlint: Gwlint, tmp_path: Path) -> None:
    tree(tmp_path, "deploy/real.yaml")
    (tmp_path / "deploy" / "alias.yaml").symlink_to("real.yaml")
    (tmp_path / "shared").symlink_to("deploy")  # a context folder reaching the same file again
    run = gwlint("--select", "GW003,GW201", "deploy", cwd=tmp_path)
    assert run.code == 1 and "GW003" not in run.out and run.out.count("GW201") == 1
    run = gwlint("--select", "GW003,GW201", "--context", "shared", "deploy/real.yaml", cwd=tmp_path)
    assert run.code == 1 and "GW003" not in run.out and run.out.count("GW201") == 1
    read: set[tuple[int, int]] = set()
    collect(["deploy/real.yaml"], read=read)
    assert collect(["shared"], read=read) == ([], [])


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda d: (d / "dangling.yaml").symlink_to("nowhere.yaml"), "cannot read file: No such file or directory"),
        (
            lambda d: ((d / "loop.yaml").symlink_to("loop2.yaml"), (d / "loop2.yaml").symlink_to("loop.yaml")),
            "cannot read file: Too many levels of symbolic links",
        ),
    ],
    ids=["dangling", "file-loop"],
)
def test_broken_links_are_reported(tmp_path: Path, make: object, reason: str) -> None:
    tree(tmp_path, "ok.yaml")
    make(tmp_path)  # type: ignore[operator]
    found, errors = collect([str(tmp_path)])
    assert [Path(s.name).name for s in found] == ["ok.yaml"]
    assert errors and all(e.message == reason for e in errors)


def test_missing_path_is_reported_and_others_are_read(tmp_path: Path) -> None:
    tree(tmp_path, "ok.yaml")
    found, errors = collect([str(tmp_path / "missing.yaml"), str(tmp_path / "ok.yaml")])
    assert len(found) == 1
    assert [e.message for e in errors] == ["no such file or directory"]


def test_file_that_vanishes_between_listing_and_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree(tmp_path, "a.yaml", "b.yaml", "c.yaml")
    walk = sources._walk

    def vanishing(root: Path, errors: list[RunError]) -> Iterator[Path]:
        for path in walk(root, errors):
            if path.name == "b.yaml":
                path.unlink()  # listed by the walk, gone before it is read
            yield path

    monkeypatch.setattr(sources, "_walk", vanishing)
    found, errors = collect([str(tmp_path)])
    assert [Path(s.name).name for s in found] == ["a.yaml", "c.yaml"]
    assert [(Path(e.file or "").name, e.message) for e in errors] == [
        ("b.yaml", "cannot read file: No such file or directory")
    ]


def test_permission_denied_on_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree(tmp_path, "a.yaml", "secret.yaml")
    read_bytes = Path.read_bytes

    def deny(self: Path) -> bytes:
        if self.name == "secret.yaml":
            raise PermissionError(13, "Permission denied", str(self))
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    found, errors = collect([str(tmp_path)])
    assert [Path(s.name).name for s in found] == ["a.yaml"]
    assert [(Path(e.file or "").name, e.message) for e in errors] == [
        ("secret.yaml", "cannot read file: Permission denied")
    ]


def test_permission_denied_on_a_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree(tmp_path, "a.yaml", "locked/b.yaml")
    scandir = os.scandir

    def deny(path: str = ".") -> Any:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", path)
        return scandir(path)

    monkeypatch.setattr(os, "scandir", deny)
    found, errors = collect([str(tmp_path)])
    assert [Path(s.name).name for s in found] == ["a.yaml"]
    assert [(Path(e.file or "").name, e.message) for e in errors] == [
        ("locked", "cannot read directory: Permission denied")
    ]


def test_permission_denied_on_a_named_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree(tmp_path, "a.yaml")
    stat = os.stat

    def deny(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if "forbidden" in str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", deny)
    found, errors = collect([str(tmp_path / "forbidden" / "x.yaml"), str(tmp_path / "a.yaml")])
    assert len(found) == 1
    assert [e.message for e in errors] == ["Permission denied"]


def test_config_discovery_passes_over_folders_it_may_not_search(
    gwlint: Gwlint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree(tmp_path, "ok.yaml")
    is_file = Path.is_file

    def deny(self: Path) -> bool:
        if self.name == ".gwlint.yaml" and self.parent != tmp_path:
            raise PermissionError(13, "Permission denied", str(self))
        return is_file(self)

    monkeypatch.setattr(Path, "is_file", deny)
    res = gwlint("ok.yaml", cwd=tmp_path)
    assert (res.code, res.err) == (1, "")
    assert "Service default/ok" in res.out


def test_closed_standard_input_is_a_run_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", None)
    found, errors = collect(["-"])
    assert found == []
    assert errors[0].message.startswith("cannot read standard input")


def test_file_name_that_is_not_utf8_can_be_reported(gwlint: Gwlint, tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.yaml")
    (tmp_path / name).write_text(SERVICE.format(name="cafe"))
    for fmt in ("text", "json", "sarif", "github"):
        res = gwlint("--format", fmt, ".", cwd=tmp_path)
        assert res.code == 1, (fmt, res.err)
        # as is, escaped by JSON, or percent-encoded in a SARIF URI
        assert any(form in res.out for form in ("caf\ufffd.yaml", "caf\\ufffd.yaml", "caf%EF%BF%BD.yaml")), res.out


def test_unreadable_paths_through_the_cli(gwlint: Gwlint, tmp_path: Path) -> None:
    tree(tmp_path, "ok.yaml")
    fifo(tmp_path / "pipe.yaml")
    (tmp_path / "back").symlink_to(".")
    res = gwlint(".", "missing.yaml", cwd=tmp_path)
    assert res.code == 2
    assert "GW201" in res.out and "Service default/ok" in res.out
    for path in ("pipe.yaml", "back", "missing.yaml"):
        assert f"gwlint: error: {path}: " in res.err
    assert "Traceback" not in res.err


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions only")
def test_permission_denied_for_real_as_an_unprivileged_user() -> None:
    setpriv = shutil.which("setpriv")
    if os.geteuid() == 0 and setpriv is None:
        pytest.skip("running as root without setpriv: cannot drop privileges to test real permissions")
    # not under pytest's tmp_path: its root is private to the user running pytest
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "outer" / "work"
        tree(work, "ok.yaml", "locked/inner.yaml", "secret.yaml")
        (work / "locked").chmod(0)
        (work / "secret.yaml").chmod(0)
        for p in (Path(tmp), work):
            p.chmod(0o755)
        # an enclosing folder the user may not search: config discovery walks up through it
        (Path(tmp) / "outer").chmod(0)
        try:
            _run_unprivileged(setpriv, work)
        finally:
            (Path(tmp) / "outer").chmod(0o755)


def _run_unprivileged(setpriv: str | None, work: Path) -> None:
    prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"] if os.geteuid() == 0 else []
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"NO_COLOR": "1"}
    proc = subprocess.run(
        [*prefix, sys.executable, "-c", "from gwlint.cli import main; main()", "."],  # type: ignore[list-item]
        cwd=work,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    if "ModuleNotFoundError" in proc.stderr or "Permission denied: '/" in proc.stderr:
        pytest.skip(f"gwlint is not importable as an unprivileged user here: {proc.stderr[-300:]}")
    assert proc.returncode == 2, proc.stderr
    assert "Service default/ok" in proc.stdout
    assert "gwlint: error: locked: cannot read directory: Permission denied" in proc.stderr
    assert "gwlint: error: secret.yaml: cannot read file: Permission denied" in proc.stderr
