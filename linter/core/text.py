"""Wording helpers shared by every stage that names something the user wrote.

A misspelt rule or config key is answered with the closest known name, so the user
fixes it in one step instead of looking the list up; a misspelt reference in a manifest
is fixed only when exactly one known name is a single typo away.
"""

from __future__ import annotations

from collections.abc import Iterable


def suggest(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'select'?)`` for a near miss, else an empty string."""
    import difflib

    pool = list(candidates)
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in pool}
        close = [lowered[word.lower()]] if word.lower() in lowered else []
    return f" (did you mean {close[0]!r}?)" if close else ""


def one_typo_apart(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with one character changed, added or removed, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :] or (
            a[i + 1 : i + 2] == b[i : i + 1] and a[i] == b[i + 1] and a[i + 2 :] == b[i + 2 :]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return short[i:] == long[i + 1 :]


def only_typo_of(word: str, candidates: Iterable[str]) -> str | None:
    """The one candidate a single typo away from ``word``; None when there is none or more than one.

    A fix may replace a name only when the intended one is evident: two names equally
    close leave the choice to the author.
    """
    close = {c for c in candidates if one_typo_apart(word, c)}
    return close.pop() if len(close) == 1 else None
