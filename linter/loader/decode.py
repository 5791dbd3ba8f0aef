"""From bytes to the text libyaml reads: UTF-8 only, and line breaks as editors count them.

A file that is not UTF-8 text (UTF-16, binary, bad bytes) is one syntax problem naming
the place, never an exception. Every change made to the text keeps its length, so a
character offset in the text libyaml reads is the same offset in the decoded file
(after the BOM, which is dropped).
"""

from __future__ import annotations

import functools
import re

from gwlint.loader.document import InputProblem, ProblemKind

BOM_BYTES = b"\xef\xbb\xbf"
# Line breaks for libyaml (YAML 1.1) but not for editors or diffs; hidden from libyaml
# behind private-use placeholders so that line numbers match what people see.
_HIDE_BREAKS = str.maketrans({"\x85": "\ue085", "\u2028": "\ue028", "\u2029": "\ue029"})
RESTORE_BREAKS = str.maketrans({"\ue085": "\x85", "\ue028": "\u2028", "\ue029": "\u2029"})
"""Translates the placeholders back; applied to the data built from the text."""


@functools.cache
def _lone_cr_re() -> re.Pattern[str]:
    return re.compile(r"\r(?!\n)")


def decode(data: bytes, name: str) -> tuple[str | None, InputProblem | None]:
    """UTF-8 text (a BOM is dropped), or a syntax problem saying why the bytes of file ``name`` are not.

    A file that cannot be read loses every document it holds, in no namespace known.
    """

    def unreadable(message: str, line: int = 0, column: int = 0) -> InputProblem:
        return InputProblem(ProblemKind.SYNTAX, message, name, line=line, column=column, drops_document=True)

    if data.startswith(BOM_BYTES):
        data = data[len(BOM_BYTES) :]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, unreadable("file is UTF-16 encoded; gwlint reads UTF-8 only")
    if b"\x00" in data[:8192]:
        return None, unreadable("file is binary (it contains NUL bytes), not YAML")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n")
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace"))
        byte = data[exc.start]
        return None, unreadable(f"file is not valid UTF-8 (byte 0x{byte:02x}); re-encode it as UTF-8", line, col)


def lone_crs_as_lf(text: str) -> str:
    """A lone CR (old Mac line ends) becomes LF, which libyaml and editors both count as a break."""
    return _lone_cr_re().sub("\n", text) if "\r" in text else text


def hide_breaks(text: str) -> tuple[str, dict[int, str] | None]:
    """NEL, LS and PS hidden behind placeholders, and the table that restores them (None: none found)."""
    if "\x85" in text or "\u2028" in text or "\u2029" in text:
        return text.translate(_HIDE_BREAKS), RESTORE_BREAKS
    return text, None
