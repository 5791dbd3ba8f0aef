"""GW002 invalid-manifest: not a Kubernetes object, or a field a rule reads has the wrong type.

Every modelled field is read, and its type checked, while the index is built, so this
rule only projects the problems found then: its findings are the same whatever other
rules run (``--select``, ``--ignore``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gwlint.core.findings import Finding, Severity
from gwlint.engine.api import Context, Rule, problem_location
from gwlint.index.index import Index
from gwlint.loader.document import InputProblem, ProblemKind
from gwlint.model.resource import Resource


class InvalidManifest(Rule):
    id = "GW002"
    name = "invalid-manifest"
    severity = Severity.ERROR
    summary = "The document is not a Kubernetes object, or a field has the wrong type"
    tags = ("input",)

    def subjects(self, index: Index) -> Iterable[InputProblem | Resource]:
        return [
            *(p for p in index.problems if p.kind is ProblemKind.SHAPE),
            *(r for r in index.resources if r.problems),
        ]

    def check(self, subject: InputProblem | Resource, ctx: Context) -> Iterator[Finding]:
        if isinstance(subject, InputProblem):
            yield Finding(self.id, self.name, self.severity, subject.message, problem_location(subject))
            return
        seen: set[tuple[object, ...]] = set()
        for problem in subject.problems:
            if problem.path in seen:
                continue
            seen.add(problem.path)
            yield ctx.finding(subject, problem.path[len(subject.path) :], problem.message)
