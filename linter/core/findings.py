"""Findings and severities: the one record every stage after the rules speaks.

Rules create findings with a data path; the engine fills in positions, so reporters,
suppressions and the baseline all work from the same resolved record.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final

from gwlint.core.datapath import Path
from gwlint.core.records import Frozen, Value

if TYPE_CHECKING:
    from gwlint.core.fixes import Fix


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


FAIL_ON = ("error", "warning", "note", "never")
"""The ``--fail-on`` levels (``fail-on`` in the config): a severity, or never."""
DEFAULT_FAIL_ON = "warning"


def fails(findings: Iterable[Finding], fail_on: str) -> bool:
    """Whether a finding reaches the ``--fail-on`` level (never: none does)."""
    if fail_on == "never":
        return False
    level = Severity.parse(fail_on)
    return any(f.severity >= level for f in findings)


class Span(Frozen):
    """A 1-based region, restricted to one line so that GitHub shows it on a PR."""

    __slots__ = ("column", "end_column", "end_line", "line")

    line: Final[int]
    column: Final[int]
    end_line: Final[int]
    end_column: Final[int]

    def __init__(self, line: int, column: int, end_line: int, end_column: int) -> None:
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column


class TextRange(Frozen):
    """Character offsets ``[start, end)`` into a file's text as ``bytes.decode("utf-8")`` gives it.

    Unlike :class:`Span`, it may cross lines: it is what an edit replaces, not what a
    report shows (see ``gwlint.loader.locate`` for how offsets are counted).
    """

    __slots__ = ("end", "start")

    start: Final[int]
    end: Final[int]

    def __init__(self, start: int, end: int) -> None:
        self.start = start
        self.end = end


HELM_TEMPLATE = "helm-template"
"""A chart template (``templates/x.yaml``) that writes the field."""
HELM_VALUES = "helm-values"
"""A values file line the field's value comes from."""
KUSTOMIZE_RESOURCE = "kustomize-resource"
"""A base resource file of a kustomization."""
KUSTOMIZE_PATCH = "kustomize-patch"
"""A patch (strategic merge or JSON 6902) that sets the field."""

_LABELS = {
    HELM_TEMPLATE: ("template", "release"),
    HELM_VALUES: ("values", "release"),
    KUSTOMIZE_RESOURCE: ("resource", "overlay"),
    KUSTOMIZE_PATCH: ("patch", "overlay"),
}


class Origin(Frozen):
    """The repository place a rendered document, or one field of it, came from.

    ``helm template`` output, a ``kustomize build`` or standard input is not a file of
    the repository; what a reviewer fixes is the template, values file, base or patch
    that produced it. For ``helm template | gwlint -`` the ``# Source:`` comment gives
    the template but no line; a renderer that maps fields back to the repository gives
    the line, says whether it is exact, names the renders it came from, and may make
    the origin's place the finding's primary location (keeping the origin, which then
    says what kind of place it is).

    ``kind`` is one of the constants above (renderers may add kinds; reporters show an
    unknown kind as it is); ``file`` is the repository path (for a ``# Source:``
    comment, the path as Helm prints it); ``span`` the line, when known; ``exact``
    whether that line is the one that writes the field (False: the best guess, or the
    document's first line); ``renders`` the releases or overlays that produced it.
    """

    __slots__ = ("exact", "file", "kind", "renders", "span")

    kind: Final[str]
    file: Final[str]
    span: Final[Span | None]
    exact: Final[bool]
    renders: Final[tuple[str, ...]]

    def __init__(
        self, kind: str, file: str, span: Span | None = None, exact: bool = False, renders: tuple[str, ...] = ()
    ) -> None:
        self.kind = kind
        self.file = file
        self.span = span
        self.exact = exact
        self.renders = renders

    def describe(self, shown_file: str | None = None) -> str:
        """The note a reporter adds to a place: ``template: shop/templates/web.yaml:12 (release shop)``.

        When the place shown is already the origin's file (a renderer made it the
        primary location), the file is not repeated: ``template (release shop)``.
        """
        label, family = _LABELS.get(self.kind, (self.kind, "render"))
        text = label
        if shown_file != self.file:
            text += f": {self.file}"
            if self.span is not None:
                text += f":{self.span.line}"
        if self.span is not None and not self.exact:
            text += ", line approximate"
        if self.renders:
            plural = "s" if len(self.renders) > 1 else ""
            text += f" ({family}{plural} {', '.join(self.renders)})"
        return text


class ResourceId(Frozen):
    """Identity of a Kubernetes object: what baselines and fingerprints key on."""

    __slots__ = ("api_group", "kind", "name", "namespace")

    api_group: Final[str]
    kind: Final[str]
    namespace: Final[str]
    name: Final[str]

    def __init__(self, api_group: str, kind: str, namespace: str, name: str) -> None:
        self.api_group = api_group
        self.kind = kind
        self.namespace = namespace
        self.name = name

    def display(self) -> str:
        """``Kind ns/name`` (cluster-scoped objects have no namespace part)."""
        return f"{self.kind} {self.namespace}/{self.name}" if self.namespace else f"{self.kind} {self.name}"

    def logical_name(self) -> str:
        """``namespace/Kind/name`` (``Kind/name`` when cluster-scoped): the SARIF logical location."""
        return f"{self.namespace}/{self.kind}/{self.name}" if self.namespace else f"{self.kind}/{self.name}"


class Location(Value):
    """A place in an input file: a document plus a data path, resolved to a span by the engine."""

    __slots__ = ("doc", "file", "message", "origin", "path", "resource", "span")
    _unlisted = ("doc",)

    file: str
    path: Path
    span: Span | None
    origin: Origin | None
    """The repository place the text at ``file`` came from, when ``file`` is a render or standard input."""
    message: str
    resource: ResourceId | None
    # The parsed document, kept only until the engine has resolved ``span``.
    doc: Any

    def __init__(
        self,
        file: str,
        path: Path = (),
        span: Span | None = None,
        origin: Origin | None = None,
        message: str = "",
        resource: ResourceId | None = None,
        doc: Any = None,
    ) -> None:
        self.file = file
        self.path = path
        self.span = span
        self.origin = origin
        self.message = message
        self.resource = resource
        self.doc = doc


class Finding(Value):
    """One reported problem."""

    __slots__ = (
        "fix",
        "location",
        "message",
        "occurrence",
        "related",
        "rule_id",
        "rule_name",
        "severity",
        "suppressed",
    )

    rule_id: str
    rule_name: str
    severity: Severity
    message: str
    location: Location
    related: list[Location]
    occurrence: int
    """Which of the run's findings with this :meth:`identity` it is, in reading order (from 1)."""
    suppressed: bool
    fix: Fix | None
    """The one evident repair, when the rule offers one (see :mod:`gwlint.core.fixes`)."""

    def __init__(
        self,
        rule_id: str,
        rule_name: str,
        severity: Severity,
        message: str,
        location: Location,
        related: list[Location] | None = None,
        occurrence: int = 1,
        suppressed: bool = False,
        fix: Fix | None = None,
    ) -> None:
        self.rule_id = rule_id
        self.rule_name = rule_name
        self.severity = severity
        self.message = message
        self.location = location
        self.related = [] if related is None else related
        self.occurrence = occurrence
        self.suppressed = suppressed
        self.fix = fix

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

    @property
    def fingerprint(self) -> str:
        """Hash of :meth:`identity` (plus the occurrence when it repeats), for SARIF and JSON.

        Computed when read, not when the engine finishes: text and GitHub output never
        read it, and ``hashlib`` loads OpenSSL, 4 ms of a run on one small file.
        """
        import hashlib

        key = self.identity() if self.occurrence == 1 else f"{self.identity()}|{self.occurrence}"
        return hashlib.sha256(key.encode()).hexdigest()[:32]


def number_occurrences(findings: list[Finding]) -> None:
    """Number the findings of a sorted run that share an identity, so fingerprints differ.

    Two findings can share an identity (two syntax errors in one file); GitHub would
    merge their alerts, so the second and later ones are numbered in reading order,
    which unrelated line moves do not change.
    """
    seen: dict[str, int] = {}
    for f in findings:
        ident = f.identity()
        seen[ident] = seen.get(ident, 0) + 1
        f.occurrence = seen[ident]


class RunError(Value):
    """A failure of the run itself (unreadable path, crashing rule): exit status 2."""

    __slots__ = ("detail", "file", "message", "rule_id")

    message: str
    file: str | None
    rule_id: str | None
    """The rule that crashed, when a rule did: SARIF names it as the notification's rule."""
    detail: str | None
    """The Python traceback of a crash, printed only with ``--debug``."""

    def __init__(
        self,
        message: str,
        file: str | None = None,
        rule_id: str | None = None,
        detail: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.rule_id = rule_id
        self.detail = detail
