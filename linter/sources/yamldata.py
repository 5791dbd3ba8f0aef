"""Plain YAML data for the small files rendering reads, below the loader.

Discovery and mapping read ``Chart.yaml``, kustomizations, values and patch files, and
the small YAML texts of kustomize's build-metadata annotations. They need the data only,
never nodes or positions (those come from the loader's locate API, in the engine), and
they run in the sources stage, below the loader, so they cannot use it. This module is
the one place of that stage that touches ruamel.yaml, through its safe C loader.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def _yaml() -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=False)


def _errors() -> tuple[type[Exception], ...]:
    from ruamel.yaml.error import YAMLError

    return (YAMLError, ValueError, UnicodeDecodeError, OSError)


def read_yaml(path: Path) -> Any:
    """The data of a small YAML file, or None when it cannot be read or parsed."""
    try:
        return _yaml().load(path.read_text(encoding="utf-8"))
    except _errors():
        return None


def read_yaml_all(path: Path) -> list[Any]:
    """Every document of a YAML file (empty when it does not parse)."""
    try:
        return list(_yaml().load_all(path.read_text(encoding="utf-8")))
    except _errors():
        return []


def parse(text: str) -> Any:
    """One document of YAML text, or None when it does not parse."""
    try:
        return _yaml().load(text)
    except _errors():
        return None


def parse_all(text: str) -> list[Any]:
    """The non-empty documents of YAML text (empty when it does not parse)."""
    try:
        return [d for d in _yaml().load_all(text) if d is not None]
    except _errors():
        return []


class YamlFiles:
    """The small files a run's mappings read (templates, values, bases, patches), each read once.

    Several renders read the same files (a base under three overlays, a chart under each
    of its values files), and one render maps many findings: each file's text and
    documents, each inline patch, and what a mapping derives from a file (a template's
    literal lines) are read, parsed or computed once per run. Callers never change what
    they get. ``read`` and ``load`` replace how a file's text and documents are read: the
    engine passes its own, which also place the findings, so a file is read and parsed
    once for both.
    """

    def __init__(
        self,
        read: Callable[[Path], str | None] | None = None,
        load: Callable[[Path], list[Any]] | None = None,
    ) -> None:
        self._read = read or _read_text
        self._load = load or read_yaml_all
        self._texts: dict[Path, str | None] = {}
        self._documents: dict[Path, list[Any]] = {}
        self._parsed: dict[str, list[Any]] = {}
        self._derived: dict[tuple[str, Path], Any] = {}

    def text(self, path: Path) -> str | None:
        """The file's text (None when it cannot be read as UTF-8)."""
        if path not in self._texts:
            self._texts[path] = self._read(path)
        return self._texts[path]

    def documents(self, path: Path) -> list[Any]:
        """Every document of a file (empty when it cannot be read or parsed)."""
        if path not in self._documents:
            self._documents[path] = self._load(path)
        return self._documents[path]

    def data(self, path: Path) -> Any:
        """The data of a one-document file (None when it holds none, or several)."""
        docs = self.documents(path)
        return docs[0] if len(docs) == 1 else None

    def parsed(self, text: str) -> list[Any]:
        """The documents of YAML text (a patch written inline), as :func:`parse_all`."""
        if text not in self._parsed:
            self._parsed[text] = parse_all(text)
        return self._parsed[text]

    def derived(self, what: str, path: Path, make: Callable[[], T]) -> T:
        """``make()``, once per run for ``what`` of the file ``path``."""
        key = (what, path)
        if key not in self._derived:
            self._derived[key] = make()
        result: T = self._derived[key]
        return result


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
