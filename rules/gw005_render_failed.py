"""GW005 render-failed: a Helm chart or a kustomization that its own tool cannot render."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Rule, problem_location
from gwlint.index.index import Index
from gwlint.loader.document import InputProblem, ProblemKind


class RenderFailed(Rule):
    id = "GW005"
    name = "render-failed"
    severity = Severity.ERROR
    summary = "A Helm chart or kustomization does not render, so none of its objects can be checked"
    tags = ("input", "render")

    def subjects(self, index: Index) -> Iterable[InputProblem]:
        return [p for p in index.problems if p.kind is ProblemKind.RENDER]

    def check(self, subject: InputProblem, ctx: Context) -> Iterator[Finding]:
        yield Finding(self.id, self.name, self.severity, subject.message, problem_location(subject))
