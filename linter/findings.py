"""Findings and severities: the one record every stage after the rules speaks.

Rules create findings with a data path; the engine fills in positions, so reporters,
suppressions and the baseline all work from the same resolved record.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

PathElem = str | int
Path = tuple[PathElem, ...]


class Severity(enum.IntEnum):
    """Finding severity; the order is what ``--fail-on`` compares."""

    NOTE = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Turn ``error``/``warning``/``note`` into a severity (``ValueError`` otherwise)."""
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (expected error, warning or note)") from None


@dataclass(frozen=True)
class Span:
    """A 1-based region, restricted to one line so that GitHub shows it on a PR."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class ResourceId:
    """Identity of a Kubernetes object: what baselines and fingerprints key on."""

    api_group: str
    kind: str
    namespace: str
    name: str

    def display(self) -> str:
        """``Kind ns/name`` (cluster-scoped objects have no namespace part)."""
        return f"{self.kind} {self.namespace}/{self.name}" if self.namespace else f"{self.kind} {self.name}"

    def logical_name(self) -> str:
        """``namespace/Kind/name`` (``Kind/name`` when cluster-scoped): the SARIF logical location."""
        return f"{self.namespace}/{self.kind}/{self.name}" if self.namespace else f"{self.kind}/{self.name}"


@dataclass
class Location:
    """A place in an input file: a document plus a data path, resolved to a span by the engine."""

    file: str
    path: Path = ()
    span: Span | None = None
    helm_source: str | None = None
    message: str = ""
    resource: ResourceId | None = None
    # The parsed document, kept only until the engine has resolved ``span``.
    doc: Any = field(default=None, repr=False, compare=False)


@dataclass
class Finding:
    """One reported problem."""

    rule_id: str
    rule_name: str
    severity: Severity
    message: str
    location: Location
    related: list[Location] = field(default_factory=list)
    fingerprint: str = ""
    suppressed: bool = False

    @property
    def resource(self) -> ResourceId | None:
        return self.location.resource

    def sort_key(self) -> tuple[str, int, int, str, str]:
        span = self.location.span
        return (
            self.location.file,
            span.line if span else 0,
            span.column if span else 0,
            self.rule_id,
            self.message,
        )

    def identity(self) -> str:
        """Rule, object and field path: stable across unrelated line moves (baseline key)."""
        res = self.location.resource
        obj = f"{res.api_group}/{res.kind}/{res.namespace}/{res.name}" if res else ""
        path = ".".join(str(p) for p in self.location.path)
        where = self.location.file if res is None else ""
        return f"{self.rule_id}|{obj}|{path}|{where}"

    def compute_fingerprint(self, occurrence: int = 1) -> str:
        """Hash of :meth:`identity` (plus the occurrence when it repeats), for SARIF and JSON."""
        import hashlib  # on first use: loading OpenSSL costs a clean run 3 ms of start-up

        key = self.identity() if occurrence == 1 else f"{self.identity()}|{occurrence}"
        return hashlib.sha256(key.encode()).hexdigest()[:32]


def assign_fingerprints(findings: list[Finding]) -> None:
    """Give every finding of a sorted run a distinct fingerprint.

    Two findings can share an identity (two syntax errors in one file); GitHub would
    merge their alerts, so the second and later ones are numbered in reading order,
    which unrelated line moves do not change.
    """
    seen: dict[str, int] = {}
    for f in findings:
        ident = f.identity()
        seen[ident] = seen.get(ident, 0) + 1
        f.fingerprint = f.compute_fingerprint(seen[ident])


@dataclass
class RunError:
    """A failure of the run itself (unreadable path, crashing rule): exit status 2."""

    message: str
    file: str | None = None
    rule_id: str | None = None
    """The rule that crashed, when a rule did: SARIF names it as the notification's rule."""
    detail: str | None = None
    """The Python traceback of a crash, printed only with ``--debug``."""
