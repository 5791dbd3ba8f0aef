"""Plain YAML data for the small files rendering reads and writes, below the loader.

Discovery and mapping read ``Chart.yaml``, kustomizations, values and patch files, and
rewrite kustomize's output without its build-metadata annotations. They need the data
only, never nodes or positions (those come from the loader's locate API, in the engine),
and they run in the sources stage, below the loader, so they cannot use it. This module
is the one place of that stage that touches ruamel.yaml, through its safe C loader and
dumper.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any


def _yaml() -> Any:
    from ruamel.yaml import YAML

    y = YAML(typ="safe", pure=False)
    y.default_flow_style = False
    y.width = 4096
    return y


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


def dump(data: Any) -> str:
    """One document as block-style YAML text."""
    buf = io.StringIO()
    _yaml().dump(data, buf)
    return buf.getvalue()
