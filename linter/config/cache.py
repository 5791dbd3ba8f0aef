"""Remember configurations that passed schema validation, so jsonschema loads only on change.

Importing jsonschema and building a validator costs a quarter of a second, many times
what a pre-commit run on a few files needs for everything else, while the
configuration rarely changes between runs. A configuration that validated without a
problem leaves an empty marker file named after a hash of (gwlint version, schema,
configuration data) in the user cache directory (``$XDG_CACHE_HOME/gwlint``, else
``~/.cache/gwlint``); with the marker present, validation is skipped. Only success is
remembered: an invalid configuration is validated, and reported, on every run. A cache
that cannot be read or written is no cache, never an error.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from gwlint import __version__

Problems = list[tuple[int, int, str]]


def cache_dir() -> str:
    """Where the markers live: ``$XDG_CACHE_HOME/gwlint/valid-config``, else under ``~/.cache``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "gwlint", "valid-config")


def _key(data: Any, schema: dict[str, Any]) -> str:
    """A digest of everything the outcome depends on (``repr`` tells str, int, bool and None apart)."""
    import hashlib

    text = f"{__version__}\0{schema!r}\0{data!r}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def validate_cached(data: Any, schema: dict[str, Any], validate: Callable[[Any, dict[str, Any]], Problems]) -> Problems:
    """``validate(data, schema)``, skipped when this very data already passed this very schema."""
    marker = os.path.join(cache_dir(), _key(data, schema))
    if os.path.exists(marker):
        return []
    problems = validate(data, schema)
    if not problems:
        try:
            os.makedirs(os.path.dirname(marker), exist_ok=True)
            with open(marker, "wb"):
                pass
        except OSError:
            pass
    return problems
