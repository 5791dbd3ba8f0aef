"""Data paths: where a value sits inside an object (``spec.template.spec.containers[0]``).

Rules name what is wrong by data path, never by line; every later stage (positions,
suppression comments, baselines, fixes) turns paths into places.
"""

from __future__ import annotations

from typing import Any

PathElem = str | int


Path = tuple[PathElem, ...]


def type_name(value: Any) -> str:
    """The YAML name of a value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def dotted(path: Path) -> str:
    """``spec.template.spec.containers[0].ports`` from a path tuple."""
    out = ""
    for elem in path:
        if isinstance(elem, int):
            out += f"[{elem}]"
        else:
            out += ("." if out else "") + str(elem)
    return out
