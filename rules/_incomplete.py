"""Incomplete input: what the rules that report a missing other side say when part of a namespace was lost.

A document that does not parse (or a chart that does not render) may hold the Service,
pods or workload a reference names. GW101, GW103, GW201, GW407 and GW502 then still
report the missing side, but as a note that names what was lost, never as an error or
warning: fixing the input shows whether anything is really missing (rules.md, Terms,
"Incomplete input").
"""

from __future__ import annotations

from gwlint.core.findings import Severity
from gwlint.index.index import Index

SHOWN = 3
"""Lost inputs named in one message; more are counted."""


def lowered(index: Index, namespace: str) -> tuple[Severity | None, str]:
    """The severity and the message suffix for a missing other side in ``namespace``.

    ``(None, "")`` when nothing of the namespace was lost: the rule's own severity.
    """
    lost = index.lost_in(namespace)
    if not lost:
        return None, ""
    shown = ", ".join(x.describe() for x in lost[:SHOWN])
    if len(lost) > SHOWN:
        shown += f" and {len(lost) - SHOWN} more"
    return Severity.NOTE, (
        f" (only a note: the input of namespace {namespace!r} is incomplete, it may be in {shown}; fix that first)"
    )
