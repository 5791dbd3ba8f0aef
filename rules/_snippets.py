"""Whether an Ingress answers every request itself, through an nginx snippet annotation.

A ``return`` directive at the top level of a server snippet runs in the server's rewrite
phase, before any location is chosen, so nginx answers every request of the host itself;
at the top level of a location snippet it answers every request of the Ingress's paths.
Either way the controller never proxies to the Ingress's backends, and a placeholder
backend Service is not a missing one. A ``return`` inside an ``if`` or a nested
``location`` block is conditional and does not count.
"""

from __future__ import annotations

from collections.abc import Mapping

SNIPPET_ANNOTATIONS = (
    "nginx.ingress.kubernetes.io/server-snippet",
    "nginx.ingress.kubernetes.io/configuration-snippet",
    "nginx.org/server-snippets",
    "nginx.org/location-snippets",
)
"""ingress-nginx's and the NGINX Inc. controller's server and location snippets."""


def answering_snippet(annotations: Mapping[str, str]) -> str | None:
    """The snippet annotation whose top-level ``return`` answers every request, or None."""
    for key in SNIPPET_ANNOTATIONS:
        text = annotations.get(key)
        if isinstance(text, str) and any(s.split()[0] == "return" for s in _top_level_statements(text) if s.split()):
            return key
    return None


def _top_level_statements(text: str) -> list[str]:
    """The simple directives outside any block, comments dropped and quoted text kept whole."""
    statements: list[str] = []
    current: list[str] = []
    depth = 0
    quote: str | None = None
    comment = False
    for ch in text:
        if comment:
            comment = ch != "\n"
            continue
        if quote is not None:
            if depth == 0:
                current.append(ch)
            quote = None if ch == quote else quote
            continue
        if ch == "#":
            comment = True
        elif ch in "'\"":
            quote = ch
            if depth == 0:
                current.append(ch)
        elif ch == "{":
            depth += 1
            current = []
        elif ch == "}":
            depth = max(0, depth - 1)
            current = []
        elif ch == ";":
            if depth == 0:
                statements.append("".join(current).strip())
            current = []
        elif depth == 0:
            current.append(ch)
    return statements
