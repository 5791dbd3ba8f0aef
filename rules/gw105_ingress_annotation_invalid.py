"""GW105 ingress-annotation-invalid: an ingress-nginx upstream annotation the controller does not apply as meant.

Most bad values are ignored (the default applies); a negative number is not ignored but
written into nginx's configuration, which nginx cannot load; a lower-case gRPC or
FastCGI protocol is half applied. Each message says which of these happens.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Edit, Fix, FixAvailability, Rule
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
PROTOCOLS = ("HTTP", "HTTPS", "AUTO_HTTP", "GRPC", "GRPCS", "FCGI")
"""The values ingress-nginx accepts (in any case); ``AJP`` was removed in controller v1.9.0."""
_GRPC_CASE = (
    "its gRPC timeouts (grpc_read_timeout, grpc_send_timeout) and gRPC headers",
    "nginx keeps its 60 s gRPC timeouts whatever the timeout annotations say, so long calls and streams get 504",
)
CASE_SENSITIVE = {
    "GRPC": _GRPC_CASE,
    "GRPCS": _GRPC_CASE,
    "FCGI": (
        "its FastCGI parameters (include fastcgi_params)",
        "the FastCGI backend gets requests without its parameters and fails them (502)",
    ),
}
"""What ingress-nginx's template writes only for the upper-case protocol, and what goes wrong without it."""


@functools.cache
def _seconds_re() -> re.Pattern[str]:
    return re.compile(r"\+?[0-9]+")


@functools.cache
def _negative_re() -> re.Pattern[str]:
    return re.compile(r"-[0-9]+")


@functools.cache
def _unit_re() -> re.Pattern[str]:
    return re.compile(r"\s*([0-9]+)\s*(s|secs?|seconds?|m|mins?|minutes?|h|hours?)\s*", re.IGNORECASE)


_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600}


class IngressAnnotationInvalid(Rule):
    id = "GW105"
    name = "ingress-annotation-invalid"
    severity = Severity.WARNING
    summary = "An ingress-nginx timeout, retry or backend-protocol annotation has a value the controller ignores"
    tags = ("ingress", "ingress-nginx", "annotations")
    fix_availability = FixAvailability.SOMETIMES

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
                path = ("metadata", "annotations", key)
                fixed = _repaired(short, value)
                yield ctx.finding(
                    ingress.resource,
                    path,
                    f"{key}: {value!r} {problem}",
                    fix=None if fixed is None else Fix.safe(f"write {fixed!r}", Edit.set(path, fixed)),
                )


def _problem(short: str, value: str) -> str | None:
    """What ingress-nginx does with a value it does not apply as meant, or None when it accepts it."""
    if short in TIMEOUTS or short == "proxy-next-upstream-tries":
        if _seconds_re().fullmatch(value):  # Go's strconv.Atoi also reads a leading +
            return None
        if _negative_re().fullmatch(value):
            directive = "proxy_" + short.removeprefix("proxy-").replace("-", "_")
            written = f"{directive} {value}{'s' if short in TIMEOUTS else ''};"
            return (
                f"is negative: ingress-nginx does not ignore it but writes `{written}` into its nginx "
                "configuration, which nginx cannot load: with the admission webhook the Ingress is refused, "
                "without it the controller's reload fails and no Ingress change reaches nginx until it is fixed"
            )
        if short == "proxy-next-upstream-tries":
            return "is not an integer: ingress-nginx ignores it and keeps the default number of tries (3)"
        m = _unit_re().fullmatch(value)
        hint = f' (write "{int(m.group(1)) * _UNIT_SECONDS[m.group(2)[0].lower()]}")' if m else ""
        return f"is not a plain integer number of seconds{hint}: ingress-nginx ignores it and keeps {TIMEOUTS[short]}"
    proto = value.strip().upper()
    if proto == "AJP":
        return (
            "is no longer supported: ingress-nginx removed AJP in controller v1.9.0 and falls back to HTTP, "
            "so the AJP backend answers plain-HTTP requests with errors (502)"
        )
    if proto not in PROTOCOLS:
        return (
            f"is not one of {', '.join(PROTOCOLS)}: ingress-nginx falls back to HTTP, so a TLS or gRPC "
            "backend answers with errors (502)"
        )
    if proto in CASE_SENSITIVE and value.strip() != proto:
        written, effect = CASE_SENSITIVE[proto]
        return (
            f"is accepted, but ingress-nginx writes {written} only for the upper-case value: {effect}; write {proto!r}"
        )
    return None


def _repaired(short: str, value: str) -> str | None:
    """The value ingress-nginx would read as meant: seconds without a unit or spaces, a protocol in capitals."""
    if short in TIMEOUTS or short == "proxy-next-upstream-tries":
        if _seconds_re().fullmatch(value.strip()):
            return value.strip()
        m = _unit_re().fullmatch(value) if short in TIMEOUTS else None
        return str(int(m.group(1)) * _UNIT_SECONDS[m.group(2)[0].lower()]) if m else None
    protocol = value.strip().upper()
    return protocol if protocol in PROTOCOLS and protocol != value else None
