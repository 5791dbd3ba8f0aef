"""Base classes for gwlint's plain records: what ``@dataclass`` gave them, without its start-up cost.

Python 3.11 builds every dataclass's ``__init__``, ``__repr__`` and ``__eq__`` by
compiling source text when the module is imported: for gwlint's fifty-odd records that
was a fifth of a pre-commit run on one small file. The records are therefore plain
slotted classes with a hand-written ``__init__`` (mypy checks every call), and these
bases add what the dataclass options used to add, from ``__slots__`` alone:

- :class:`Record` (was ``@dataclass(eq=False)``): a field-listing ``repr``; identity
  equality, because two objects with equal fields are still two objects in the input;
- :class:`Value` (was ``@dataclass``): equal when the class and the fields are equal,
  and unhashable, as mutable values should be;
- :class:`Frozen` (was ``@dataclass(frozen=True)``): equal and hashable by the fields,
  to serve as dictionary keys. Nothing assigns to them after ``__init__``; they are not
  locked against it at run time.

A record's fields are the attributes its class body annotates, in that order (as a
dataclass's were), except names starting with ``_`` and the names in ``_unlisted``:
internal handles and caches that are not part of its value.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, ClassVar


class Record:
    """A slotted record: ``repr`` lists its fields; equality is identity."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _unlisted: ClassVar[tuple[str, ...]] = ()
    _values: ClassVar[Any] = staticmethod(lambda _record: ())

    def __init_subclass__(cls) -> None:
        """Derive the field list (and the getter of the field values) from the annotations."""
        super().__init_subclass__()
        names = dict.fromkeys(n for klass in reversed(cls.__mro__) for n in getattr(klass, "__annotations__", {}))
        cls._fields = tuple(n for n in names if not n.startswith("_") and n not in cls._unlisted)
        if len(cls._fields) == 1:
            single = attrgetter(cls._fields[0])
            cls._values = staticmethod(lambda record: (single(record),))
        elif cls._fields:
            cls._values = staticmethod(attrgetter(*cls._fields))

    def __repr__(self) -> str:
        values = self._values(self)
        args = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, values, strict=True))
        return f"{type(self).__qualname__}({args})"


class Value(Record):
    """A record equal to another of its class with equal fields (and so unhashable)."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return bool(self._values(self) == self._values(other))


class Frozen(Value):
    """A value record that also hashes by its fields: never assigned to after ``__init__``."""

    __slots__ = ()

    def __hash__(self) -> int:
        return hash(self._values(self))
