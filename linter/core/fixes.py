"""Fixes: the one evident repair of a finding, as edits a reviewer reads as a colleague's change.

A rule names a fix the way it names a finding, by data path: set a scalar, insert a key
into a mapping, delete a key. The engine resolves those edits, while it still has the
document, to :class:`Replacement` records on the file's real text (byte-exact ranges and
the text to put there), or records why the fix can only be shown. Everything after the
engine (the fixer, the reporters) works from the replacements and never sees YAML.
"""

from __future__ import annotations

from typing import Any, Final

from gwlint.core.datapath import Path
from gwlint.core.records import Frozen, Value


class Applicability:
    """Whether ``--fix`` applies a fix on its own (safe) or only with ``--unsafe-fixes``.

    Plain string constants, as JSON and SARIF write them (enum classes cost start-up time
    that every run would pay).
    """

    SAFE: Final = "safe"
    """Keeps what the author evidently meant: a typo corrected, a value the consumer ignores made valid."""
    UNSAFE: Final = "unsafe"
    """Changes behaviour in a way the user should review (a new hook, a longer grace period)."""


class FixAvailability:
    """What a rule declares about its fixes, for docs and the rule table (ruff's ``FIX_AVAILABILITY``)."""

    NONE: Final = "none"
    SOMETIMES: Final = "sometimes"
    ALWAYS: Final = "always"


class EditOp:
    """The three edits a rule may ask for."""

    SET: Final = "set"
    INSERT: Final = "insert"
    DELETE: Final = "delete"


class Edit(Value):
    """One change anchored on a data path of the finding's document.

    ``set``: the value at ``path`` becomes ``value`` (a scalar keeps its quoting style where
    the value allows; a mapping is written anew in its own block or flow style).
    ``insert``: the mapping at ``path`` gets ``key: value``, laid out like its
    siblings; it goes right after the first key of ``after`` that the mapping has, else
    first (``after`` None: last). ``delete``: the mapping entry at ``path`` goes, with
    its line when it has one to itself.
    """

    __slots__ = ("after", "key", "old", "op", "path", "value")

    op: str
    """One of :class:`EditOp`."""
    path: Path
    key: str | None
    value: Any
    after: tuple[str, ...] | None
    old: Any
    """What a ``set`` replaces, as the data has it; filled in when the edit is resolved.

    A renderer that maps the field to a values or patch file checks the value there is
    the same before it moves the edit to that file.
    """

    def __init__(
        self,
        op: str,
        path: Path,
        key: str | None = None,
        value: Any = None,
        after: tuple[str, ...] | None = None,
        old: Any = None,
    ) -> None:
        self.op = op
        self.path = path
        self.key = key
        self.value = value
        self.after = after
        self.old = old

    @classmethod
    def set(cls, path: Path, value: Any) -> Edit:
        """Replace the value at ``path`` (a scalar keeps its quoting; a mapping or list is written anew)."""
        return cls(EditOp.SET, path, value=value)

    @classmethod
    def insert(cls, path: Path, key: str, value: Any, after: tuple[str, ...] | None = None) -> Edit:
        """Add ``key: value`` to the mapping at ``path`` (which must not have ``key`` yet)."""
        return cls(EditOp.INSERT, path, key=key, value=value, after=after)

    @classmethod
    def delete(cls, path: Path) -> Edit:
        """Remove the mapping entry at ``path`` (its last element is the key)."""
        return cls(EditOp.DELETE, path)

    def rebased(self, prefix: Path) -> Edit:
        """The same edit with ``prefix`` put before its path (object path → document path)."""
        return Edit(self.op, (*prefix, *self.path), self.key, self.value, self.after, self.old)


class Replacement(Frozen):
    """One resolved edit: characters ``start``-``end`` of the file's real text become ``text``.

    Offsets count the characters of the file as read (a byte order mark included);
    ``line``/``column`` and ``end_line``/``end_column`` are the same range as editors
    show it (1-based, columns in code points, the end exclusive), for SARIF and JSON.
    """

    __slots__ = ("column", "end", "end_column", "end_line", "line", "start", "text")

    start: Final[int]
    end: Final[int]
    text: Final[str]
    line: Final[int]
    column: Final[int]
    end_line: Final[int]
    end_column: Final[int]

    def __init__(self, start: int, end: int, text: str, line: int, column: int, end_line: int, end_column: int) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column


class Fix(Value):
    """A finding's repair: what it does, how safe it is, and (once resolved) where it writes.

    ``replacements`` are filled in by the engine when every edit resolves to the text of
    a file gwlint may edit (``file``); otherwise ``unavailable`` says why the fix is only
    shown (a path through a YAML alias, a rendered Helm template, standard input).
    """

    __slots__ = ("applicability", "edits", "file", "message", "replacements", "unavailable")

    message: str
    """What the fix does, for people: ``set targetPort to "http"``."""
    applicability: str
    """One of :class:`Applicability`."""
    edits: list[Edit]
    file: str | None
    replacements: list[Replacement]
    unavailable: str | None

    def __init__(
        self,
        message: str,
        applicability: str,
        edits: list[Edit],
        file: str | None = None,
        replacements: list[Replacement] | None = None,
        unavailable: str | None = None,
    ) -> None:
        self.message = message
        self.applicability = applicability
        self.edits = edits
        self.file = file
        self.replacements = [] if replacements is None else replacements
        self.unavailable = unavailable

    @classmethod
    def safe(cls, message: str, *edits: Edit) -> Fix:
        """A fix ``--fix`` applies."""
        return cls(message, Applicability.SAFE, list(edits))

    @classmethod
    def unsafe(cls, message: str, *edits: Edit) -> Fix:
        """A fix applied only with ``--unsafe-fixes``."""
        return cls(message, Applicability.UNSAFE, list(edits))

    @property
    def applicable(self) -> bool:
        """Whether the fix resolved to replacements of an editable file."""
        return self.file is not None and bool(self.replacements) and self.unavailable is None

    def enabled(self, unsafe: bool) -> bool:
        """Whether ``--fix`` applies it: applicable, and safe unless ``--unsafe-fixes`` is given."""
        return self.applicable and (unsafe or self.applicability == Applicability.SAFE)


class FileChange(Value):
    """A file as read and as the fixes left it: what ``--fix`` wrote, or what ``--diff`` shows."""

    __slots__ = ("after", "before", "file")

    file: str
    before: str
    after: str

    def __init__(self, file: str, before: str, after: str) -> None:
        self.file = file
        self.before = before
        self.after = after
