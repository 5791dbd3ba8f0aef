"""What a finished run hands to reporters and to the exit decision.

It holds only resolved records (findings with positions, run errors, counts) and the
rules' public metadata, so a reporter renders it without knowing YAML, objects or how
any rule decides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from gwlint.core.findings import DEFAULT_FAIL_ON, Finding, RunError, Severity, fails
from gwlint.core.fixes import FileChange
from gwlint.core.records import Value

if TYPE_CHECKING:
    from gwlint.core.graph import RequestGraph


class RuleInfo(Protocol):
    """What reporters may read of a rule: its metadata and its documentation."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def summary(self) -> str: ...
    @property
    def tags(self) -> tuple[str, ...]: ...
    def doc(self) -> str: ...
    def doc_sections(self) -> dict[str, str]: ...
    def help_uri(self) -> str | None: ...


class RunResult(Value):
    """What reporters render and what decides the exit status."""

    __slots__ = (
        "baselined",
        "changes",
        "diff",
        "errors",
        "fail_on",
        "files",
        "findings",
        "fixed",
        "incomplete",
        "objects",
        "paths",
        "recorded",
        "rules",
        "suppressed",
    )

    findings: list[Finding]
    errors: list[RunError]
    rules: list[RuleInfo]
    files: int
    objects: int
    suppressed: list[Finding]
    """Findings silenced by annotations or comments (not rendered; counted in the summary)."""
    baselined: int
    """Findings left out because the baseline already records them."""
    incomplete: list[str]
    """What the run could not read (``file: N documents do not parse``), whatever rules ran."""
    paths: RequestGraph | None
    """The request paths through what the findings touch; built only for a report that draws them."""
    fail_on: str
    """The ``--fail-on`` level the exit status is decided by (one of ``FAIL_ON``)."""
    recorded: int | None
    """How many findings ``--write-baseline`` recorded; None when it did not run."""
    fixed: int
    """Findings whose fixes ``--fix`` applied (they are no longer among ``findings``)."""
    changes: list[FileChange]
    """The files the fixes changed, with their text before and after."""
    diff: bool
    """The fixes were only shown (``--diff``): nothing was written, and ``changes`` decide the exit status."""

    def __init__(
        self,
        findings: list[Finding],
        errors: list[RunError],
        rules: list[RuleInfo],
        files: int = 0,
        objects: int = 0,
        suppressed: list[Finding] | None = None,
        baselined: int = 0,
        incomplete: list[str] | None = None,
        paths: RequestGraph | None = None,
        fail_on: str = DEFAULT_FAIL_ON,
        recorded: int | None = None,
        fixed: int = 0,
        changes: list[FileChange] | None = None,
        diff: bool = False,
    ) -> None:
        self.findings = findings
        self.errors = errors
        self.rules = rules
        self.files = files
        self.objects = objects
        self.suppressed = [] if suppressed is None else suppressed
        self.baselined = baselined
        self.incomplete = [] if incomplete is None else incomplete
        self.paths = paths
        self.fail_on = fail_on
        self.recorded = recorded
        self.fixed = fixed
        self.changes = [] if changes is None else changes
        self.diff = diff

    def exit_status(self) -> int:
        """0 when nothing reaches ``fail_on``, 1 when a finding does, 2 when the run itself failed.

        As ruff does with ``--diff``: 1 when a fix would change a file, else 0.
        """
        if self.errors:
            return 2
        if self.diff:
            return 1 if self.changes else 0
        return 1 if fails(self.findings, self.fail_on) else 0
