"""The YAML text an edit writes, in the style of what surrounds it.

A replaced scalar keeps its quoting style when the new value allows it; an inserted key
takes its siblings' indentation and their block or flow style. Strings are written
plain only when every YAML reader (YAML 1.1 ones such as the API server's included)
reads them back as the same string; otherwise they are double-quoted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# plain, and a string for YAML 1.1 and 1.2 alike: starts with a letter, no indicator
# characters, and not one of the words that resolve to booleans or null
_PLAIN_RE = re.compile(r"[A-Za-z][A-Za-z0-9_./-]*")
_RESERVED = frozenset(
    {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"}  # compared lower-cased
)


def is_plain_safe(text: str) -> bool:
    """Whether ``text`` can be written without quotes and still read back as this string."""
    return bool(_PLAIN_RE.fullmatch(text)) and text.lower() not in _RESERVED


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def double_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar; other control characters as ``\\uXXXX``."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch < " " or ch == "\x7f" or "\x80" <= ch < "\xa0" or ch in "\u2028\u2029\ufeff":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def single_quoted(text: str) -> str | None:
    """``text`` as a single-quoted scalar, or None when it holds a line break (which folds)."""
    if "\n" in text or "\r" in text:
        return None
    return "'" + text.replace("'", "''") + "'"


def scalar(value: Any, style: str | None = None) -> str:
    """A scalar value as YAML text; ``style`` is the replaced scalar's (``'``, ``"`` or None for plain).

    Numbers and booleans are always written plain, whatever the old style: quoted, they
    would be strings.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if value is None:
        return "null"
    text = str(value)
    if style == "'":
        quoted = single_quoted(text)
        if quoted is not None:
            return quoted
    if style is None and is_plain_safe(text):
        return text
    return double_quoted(text)


def key(name: str) -> str:
    """A mapping key as YAML text."""
    return name if is_plain_safe(name) else double_quoted(name)


def flow(value: Any) -> str:
    """Any value in flow style: ``{a: 1, b: [x, "2"]}``."""
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{key(str(k))}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value)


def block_entry(name: str, value: Any, indent: str, step: str, eol: str) -> str:
    """``name: value`` as block lines at ``indent``, nested mappings ``step`` deeper; lists in flow style.

    Every line ends with ``eol``.
    """
    if isinstance(value, Mapping) and value:
        lines = [f"{indent}{key(name)}:{eol}"]
        lines.extend(block_entry(str(k), v, indent + step, step, eol) for k, v in value.items())
        return "".join(lines)
    return f"{indent}{key(name)}: {flow(value)}{eol}"


def flow_entry(name: str, value: Any) -> str:
    """``name: value`` for a flow mapping."""
    return f"{key(name)}: {flow(value)}"


def json_entry(name: str, value: Any) -> str:
    """``"name": value`` for a mapping whose keys are all double-quoted (a JSON file)."""
    import json

    return f"{json.dumps(name, ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False, separators=(', ', ': '))}"
