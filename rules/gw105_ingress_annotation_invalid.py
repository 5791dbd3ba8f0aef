"""GW105 ingress-annotation-invalid: an ingress-nginx upstream annotation the controller ignores."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Rule
from gwlint.index.index import Index
from gwlint.model.ingress import Ingress

PREFIX = "nginx.ingress.kubernetes.io/"
"""API groups of the Kubernetes Ingress (an ``Ingress`` kind of another group is a CRD)."""
TIMEOUTS = {
    "proxy-connect-timeout": "its default of 5 s: a backend slower to accept gets 504",
    "proxy-send-timeout": "its default of 60 s: a slow upload gets 504",
    "proxy-read-timeout": "its default of 60 s: an answer slower than that gets 504",
    "proxy-next-upstream-timeout": "no time limit on retries to the next upstream",
}
"""The timeout annotations and what applies instead when ingress-nginx ignores a value."""
PROTOCOLS = ("HTTP", "HTTPS", "AUTO_HTTP", "GRPC", "GRPCS", "AJP", "FCGI")
_SECONDS_RE = re.compile(r"[0-9]+")
_UNIT_RE = re.compile(r"\s*([0-9]+)\s*(s|secs?|seconds?|m|mins?|minutes?|h|hours?)\s*", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600}


class IngressAnnotationInvalid(Rule):
    id = "GW105"
    name = "ingress-annotation-invalid"
    severity = Severity.WARNING
    summary = "An ingress-nginx timeout, retry or backend-protocol annotation has a value the controller ignores"
    tags = ("ingress", "ingress-nginx", "annotations")

    def subjects(self, index: Index) -> Iterable[Ingress]:
        return [
            i for i in index.ingresses if i.is_standard and any(k.startswith(PREFIX) for k in i.resource.annotations)
        ]

    def check(self, ingress: Ingress, ctx: Context) -> Iterator[Finding]:
        annotations = ingress.resource.annotations
        for short in (*TIMEOUTS, "proxy-next-upstream-tries", "backend-protocol"):
            key = PREFIX + short
            value = annotations.get(key)
            if value is None:
                continue
            problem = _problem(short, value)
            if problem:
                yield ctx.finding(
                    ingress.resource,
                    ("metadata", "annotations", key),
                    f"{key}: {value!r} {problem}",
                )


def _problem(short: str, value: str) -> str | None:
    """Why ingress-nginx ignores the value, or None when it accepts it."""
    if short in TIMEOUTS:
        if _SECONDS_RE.fullmatch(value):
            return None
        m = _UNIT_RE.fullmatch(value)
        hint = f' (write "{int(m.group(1)) * _UNIT_SECONDS[m.group(2)[0].lower()]}")' if m else ""
        return f"is not a plain integer number of seconds{hint}: ingress-nginx ignores it and keeps {TIMEOUTS[short]}"
    if short == "proxy-next-upstream-tries":
        if _SECONDS_RE.fullmatch(value):
            return None
        return "is not an integer: ingress-nginx ignores it and keeps the default number of tries (3)"
    if value.strip().upper() in PROTOCOLS:
        return None
    return (
        f"is not one of {', '.join(PROTOCOLS)}: ingress-nginx falls back to HTTP, so a TLS or gRPC "
        "backend answers with errors (502)"
    )
