"""GW001 yaml-syntax-error: a document that libyaml cannot parse, or bytes that are not UTF-8."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Rule, problem_location
from gwlint.index.index import Index
from gwlint.loader.document import InputProblem, ProblemKind


class YamlSyntaxError(Rule):
    id = "GW001"
    name = "yaml-syntax-error"
    severity = Severity.ERROR
    summary = "The document is not valid YAML (or the file is not UTF-8 text)"
    tags = ("input",)

    def subjects(self, index: Index) -> Iterable[InputProblem]:
        return [p for p in index.problems if p.kind is ProblemKind.SYNTAX]

    def check(self, subject: InputProblem, ctx: Context) -> Iterator[Finding]:
        yield Finding(self.id, self.name, self.severity, subject.message, problem_location(subject))
