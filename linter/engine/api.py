"""The rule API: declarative metadata plus a ``check`` generator over one subject at a time.

A rule names what is wrong as a data path on an object; the engine turns paths into
positions. Rules never read files, print, or import reporters or the CLI.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

from gwlint import RULE_DOCS
from gwlint.core.datapath import Path
from gwlint.core.findings import Finding, Location, Severity
from gwlint.core.fixes import Applicability, Edit, Fix, FixAvailability
from gwlint.core.kubeversion import NEWEST_KUBE_VERSION, KubeVersion
from gwlint.core.records import Record, Value
from gwlint.loader.document import InputProblem
from gwlint.loader.locate import point

if TYPE_CHECKING:
    from gwlint.index.index import Index
    from gwlint.model.resource import Resource


__all__ = [
    "IGNORE_ANNOTATION",
    "Applicability",
    "Context",
    "Edit",
    "Fix",
    "FixAvailability",
    "Related",
    "Rule",
    "Suppression",
    "problem_location",
]

IGNORE_ANNOTATION = "gwlint.io/ignore"
"""The annotation that silences rules on an object or its pod template."""


class Related(Value):
    """The other side of a reference, shown as a SARIF related location."""

    __slots__ = ("message", "path", "resource")

    resource: Resource
    path: Path
    message: str

    def __init__(self, resource: Resource, path: Path, message: str) -> None:
        self.resource = resource
        self.path = path
        self.message = message


class Suppression(Record):
    """One suppression entry: a rule named in a ``gwlint.io/ignore`` annotation or a ``# gwlint:`` comment.

    Found by the suppression stage; the entries that silenced nothing are handed to the
    rules that run after it (GW004), so they are part of the rule API.
    """

    __slots__ = (
        "column",
        "covers",
        "file",
        "form",
        "line",
        "path",
        "problem",
        "reason",
        "resource",
        "rule",
        "token",
        "used",
        "width",
    )

    file: str
    token: str
    """The rule as written (id or name); empty for a comment that could not be read."""
    reason: str | None
    form: str
    """``annotation`` or ``comment``."""
    resource: Resource | None
    path: Path
    """Relative to ``resource``: the annotation, or the field on the line a comment covers."""
    line: int | None
    """A comment's 1-based line, column and length (annotations are positioned by path)."""
    column: int
    width: int
    covers: int | None
    """The 1-based line whose findings a comment silences."""
    rule: type[Rule] | None
    problem: str | None
    """Why the entry can never silence anything (an unknown rule, an unreadable comment)."""
    used: bool

    def __init__(
        self,
        file: str,
        token: str,
        reason: str | None,
        form: str,
        resource: Resource | None,
        path: Path,
        line: int | None = None,
        column: int = 0,
        width: int = 1,
        covers: int | None = None,
        rule: type[Rule] | None = None,
        problem: str | None = None,
        used: bool = False,
    ) -> None:
        self.file = file
        self.token = token
        self.reason = reason
        self.form = form
        self.resource = resource
        self.path = path
        self.line = line
        self.column = column
        self.width = width
        self.covers = covers
        self.rule = rule
        self.problem = problem
        self.used = used


class Context:
    """What a rule may use while checking: the index, its options, the Kubernetes version, and finding builders."""

    def __init__(
        self,
        rule: Rule,
        index: Index,
        options: dict[str, Any],
        kube_version: KubeVersion = NEWEST_KUBE_VERSION,
    ) -> None:
        self.rule = rule
        self.index = index
        self.options: Mapping[str, Any] = MappingProxyType(options)
        """The rule's options, validated against its ``options_schema``, defaults applied (read-only)."""
        self.kube_version = kube_version
        """The version the manifests are applied to: advice that depends on it compares ``>= (1, 30)``."""

    def option(self, key: str) -> Any:
        """One of the rule's options: the configured value (it satisfies the rule's schema), else its default.

        None when neither is set. Asking for an option the rule does not declare is a
        programming error (``KeyError``), not a silent None.
        """
        if key not in self.rule.options_schema:
            raise KeyError(f"rule {self.rule.id} declares no option {key!r} (see its options_schema)")
        return self.options.get(key)

    def finding(
        self,
        res: Resource,
        path: Path,
        message: str,
        related: Iterable[Related] = (),
        severity: Severity | None = None,
        fix: Fix | None = None,
    ) -> Finding:
        """A finding on ``res`` at ``path`` (relative to the object); positions come later.

        ``severity`` lowers one finding below the rule's (a missing other side in a
        namespace whose input is incomplete is a note); the configured severity of the
        rule applies only to findings at the rule's own severity. ``fix`` edits ``res``
        (its paths are relative to the object, like ``path``); the engine resolves it to
        text, or says why it can only be shown.
        """
        if fix is not None:
            fix = Fix(fix.message, fix.applicability, [e.rebased(res.path) for e in fix.edits])
        return Finding(
            rule_id=self.rule.id,
            rule_name=self.rule.name,
            severity=self.rule.severity if severity is None else severity,
            message=message,
            location=Location(
                file=res.doc.file,
                path=(*res.path, *path),
                origin=res.doc.origin,
                resource=res.id,
                doc=res.doc,
            ),
            related=[
                Location(
                    file=r.resource.doc.file,
                    path=(*r.resource.path, *r.path),
                    origin=r.resource.doc.origin,
                    message=r.message,
                    resource=r.resource.id,
                    doc=r.resource.doc,
                )
                for r in related
            ],
            fix=fix,
        )


_BUILTIN_PACKAGE = "gwlint.rules."


@functools.cache
def _section_re() -> re.Pattern[str]:
    return re.compile(r"^## (.+)$", re.MULTILINE)


@functools.cache
def _yaml_block_re() -> re.Pattern[str]:
    return re.compile(r"```ya?ml\n(.*?)```", re.DOTALL)


class Rule:
    """Base class of every rule; subclasses set the metadata and implement :meth:`check`."""

    id: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    summary: ClassVar[str]
    tags: ClassVar[tuple[str, ...]] = ()
    options_schema: ClassVar[dict[str, Any]] = {}
    """JSON schema properties of this rule's options: the engine checks the configured values against it."""
    default_options: ClassVar[dict[str, Any]] = {}
    plugin: ClassVar[str | None] = None
    """The distribution that provides the rule, set when it is loaded from an entry point; None: built in.

    A plugin's options are configured under ``plugins: {<distribution>: {...}}``.
    """
    order: ClassVar[int] = 0
    """Rules with a higher order run later."""
    after_suppressions: ClassVar[bool] = False
    """Run after the suppression stage, on what it leaves in the index (GW004's stale suppressions)."""
    fix_availability: ClassVar[str] = FixAvailability.NONE
    """Whether the rule's findings carry a fix; a rule that offers one documents it under ``## Fix safety``."""

    def subjects(self, index: Index) -> Iterable[Any]:
        """What :meth:`check` is called with, one at a time; subclasses narrow it.

        A subject should have a ``resource`` attribute, so that an internal error can name
        the object it happened on.
        """
        return index.resources

    def check(self, subject: Any, ctx: Context) -> Iterator[Finding]:
        """Yield the findings for one subject."""
        raise NotImplementedError

    @classmethod
    def help_uri(cls) -> str | None:
        """The published page of a built-in rule; plugins have none."""
        return RULE_DOCS.format(id=cls.id) if cls.__module__.startswith(_BUILTIN_PACKAGE) else None

    @classmethod
    def doc(cls) -> str:
        """The Markdown documentation beside the rule's module (``<module>.md``)."""
        return _read_doc(cls.__module__)

    @classmethod
    def doc_sections(cls) -> dict[str, str]:
        """The doc split by its ``## `` headings."""
        text = cls.doc()
        parts = _section_re().split(text)
        return {parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}

    @classmethod
    def doc_example(cls, section: str) -> str | None:
        """The first YAML block of a doc section (``Example`` or ``Use instead``)."""
        body = cls.doc_sections().get(section)
        if body is None:
            return None
        m = _yaml_block_re().search(body)
        return m.group(1) if m else None


@cache
def _read_doc(module: str) -> str:
    package, _, leaf = module.rpartition(".")
    if not package:  # a plugin rule in a top-level module: no package to hold a doc beside it
        return ""
    from importlib import resources as importlib_resources

    try:
        return importlib_resources.files(package).joinpath(f"{leaf}.md").read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError, OSError):
        return ""


def problem_location(p: InputProblem) -> Location:
    """Where an input problem is: its explicit position, else its path in its document."""
    loc = Location(file=p.file, path=p.path, doc=p.doc)
    if p.line is not None:
        loc.span = point(p.line, p.column or 0)
    elif p.doc is None:
        loc.span = point(0, 0)
    else:
        loc.origin = p.doc.origin
    return loc
