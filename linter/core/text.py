"""Wording helpers shared by every stage that names something the user wrote.

A misspelt rule or config key is answered with the closest known name, so the user
fixes it in one step instead of looking the list up.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass


def suggest(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'select'?)`` for a near miss, else an empty string."""
    import difflib

    pool = list(candidates)
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in pool}
        close = [lowered[word.lower()]] if word.lower() in lowered else []
    return f" (did you mean {close[0]!r}?)" if close else ""
