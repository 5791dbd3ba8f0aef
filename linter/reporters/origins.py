"""How every format shows where rendered text came from: one note, one object.

Reporters never special-case a kind of origin: the text formats append
:meth:`~gwlint.core.findings.Origin.describe` to a place, and the machine formats
(JSON, SARIF properties) carry :func:`origin_object`.
"""

from __future__ import annotations

from typing import Any

from gwlint.core.findings import HELM_TEMPLATE, Location


def origin_note(loc: Location) -> str:
    """`` (template: shop/templates/web.yaml)`` for a place with an origin, else nothing."""
    return f" ({loc.origin.describe(loc.file)})" if loc.origin is not None else ""


def origin_object(loc: Location) -> dict[str, Any] | None:
    """The origin as JSON data: kind, file, line (or null), exact, renders; None without one."""
    o = loc.origin
    if o is None:
        return None
    return {
        "kind": o.kind,
        "file": o.file,
        "line": o.span.line if o.span else None,
        "exact": o.exact,
        "renders": list(o.renders),
    }


def helm_source(loc: Location) -> str | None:
    """The Helm template of a place (JSON's ``helmSource``, kept from schema version 1)."""
    return loc.origin.file if loc.origin is not None and loc.origin.kind == HELM_TEMPLATE else None
