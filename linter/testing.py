"""The golden-test harness, public so that plugin authors can test their rules the same way.

A case is a YAML file, or a directory of files linted as one run, under
``testdata/<rule-id>/``. Expectations are written inline:

- ``# expect: GW201`` at the end of a line: the rule reports on that line;
- ``# expect: GW201 "closest is"``: ... with that text in the message;
- a line that is only ``# expect-next: GW201 ...``: the rule reports on the next line;
- ``# case-options: {"namespace": "shop", "options": {"min-startup-seconds": 60}}``
  (JSON, anywhere): settings for the run (``options`` reach plugin rules too, as if
  configured under ``plugins: {<distribution>: ...}``); also ``"kube-version": "1.29"``,
  ``"severity"``, ``"pod-owners"``, ``"no-suppressions": true``, ``"with-rules":
  ["GW301"]`` (more rules to run beside the one under test, for rules such as GW004
  that report on other rules' results), and
  ``"incomplete-input": true`` (the case has a document that does not parse on purpose);
- in a directory case, files named ``context-*.yaml`` are loaded with ``--context``;
- a directory case that holds a Helm chart or a kustomization is linted as a repository:
  rendered with the real ``helm`` and ``kustomize``/``kubectl`` found on PATH, as
  ``gwlint DIR`` does.

A case without an expectation for the rule under test must produce none of its findings.
An expectation matches a finding of any severity; ``# expect: GW201 "only a note"`` tells
a lowered one (see "Incomplete input" in the rule docs) by its message.

Fixes are tested the same way: beside a case file ``name.yaml``, ``name.fixed.yaml`` holds
its text after ``--fix --unsafe-fixes`` with the case's rules (:func:`check_fixes`); a file
without one must come out of the fixes byte for byte as it went in.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from gwlint.core.findings import Severity
from gwlint.core.kubeversion import NEWEST_KUBE_VERSION, KubeVersion
from gwlint.core.records import Frozen, Value
from gwlint.core.result import RunResult
from gwlint.engine.api import FixAvailability, Rule
from gwlint.engine.run import lint
from gwlint.engine.settings import Settings
from gwlint.index.index import PodOwnerKind
from gwlint.sources.files import Source

if TYPE_CHECKING:
    from gwlint.fix.apply import FixOutcome

FIXED_SUFFIX = ".fixed"
"""``name.fixed.yaml`` beside ``name.yaml``: the case's text once its fixes are applied."""
_EXPECT_RE = re.compile(r"#\s*expect(-next)?:\s*(GW\d{3}|[A-Z]+\d+)(?:\s+\"([^\"]*)\")?")
_OPTIONS_RE = re.compile(r"#\s*case-options:\s*(\{.*\})\s*$", re.MULTILINE)


class Expectation(Frozen):
    """A finding a case must produce: file, 1-based line, rule, optional message text."""

    __slots__ = ("file", "line", "rule_id", "text")

    file: Final[str]
    line: Final[int]
    rule_id: Final[str]
    text: Final[str | None]

    def __init__(self, file: str, line: int, rule_id: str, text: str | None = None) -> None:
        self.file = file
        self.line = line
        self.rule_id = rule_id
        self.text = text


class Case(Value):
    """One golden case: its files, expectations and settings."""

    __slots__ = ("context", "expectations", "files", "name", "options", "root")

    name: str
    files: list[Path]
    context: list[Path]
    expectations: list[Expectation]
    options: dict[str, Any]
    root: Path | None
    """The case's folder (None for a single-file case)."""

    def __init__(
        self,
        name: str,
        files: list[Path],
        context: list[Path] | None = None,
        expectations: list[Expectation] | None = None,
        options: dict[str, Any] | None = None,
        root: Path | None = None,
    ) -> None:
        self.root = root
        self.name = name
        self.files = files
        self.context = [] if context is None else context
        self.expectations = [] if expectations is None else expectations
        self.options = {} if options is None else options


def _renders(folder: Path) -> bool:
    names = ("Chart.yaml", "kustomization.yaml", "kustomization.yml", "Kustomization")
    return any(p.name in names for p in folder.rglob("*"))


def _case_name(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def is_manifest(path: Path) -> bool:
    """A case file (not the expected text of one after its fixes)."""
    return path.suffix in (".yaml", ".yml", ".json", ".tpl") and not path.stem.endswith(FIXED_SUFFIX)


def fixed_path(path: Path) -> Path:
    """Where a case file's text after its fixes is kept: ``name.fixed.yaml`` beside ``name.yaml``."""
    return path.with_name(f"{path.stem}{FIXED_SUFFIX}{path.suffix}")


def load_case(path: Path, root: Path) -> Case:
    """Read a case (a file, or a directory of files) and its inline expectations."""
    files = sorted(p for p in path.rglob("*") if is_manifest(p)) if path.is_dir() else [path]
    case = Case(name=_case_name(path, root), files=[], context=[], root=path if path.is_dir() else None)
    for f in files:
        (case.context if f.name.startswith("context-") else case.files).append(f)
        text = f.read_text(encoding="utf-8", errors="replace")
        for m in _OPTIONS_RE.finditer(text):
            case.options.update(json.loads(m.group(1)))
        for lineno, line in enumerate(text.splitlines(), start=1):
            for m in _EXPECT_RE.finditer(line):
                target = lineno + 1 if m.group(1) else lineno
                case.expectations.append(Expectation(f.as_posix(), target, m.group(2), m.group(3)))
    return case


def discover(rule_dir: Path) -> list[Case]:
    """Every case of one rule's testdata directory."""
    items = sorted(p for p in rule_dir.iterdir() if p.is_dir() or is_manifest(p))
    return [load_case(p, rule_dir.parent) for p in items]


def settings_for(options: dict[str, Any]) -> Settings:
    """Run settings from a case's ``case-options``."""
    owners = {
        o["kind"]: PodOwnerKind(o["kind"], o.get("apiVersion"), tuple(o.get("template", "spec.template").split(".")))
        for o in options.get("pod-owners", [])
    }
    return Settings(
        namespace=options.get("namespace", "default"),
        options=dict(options.get("options", {})),
        pod_owners=owners,
        severity={k: Severity.parse(v) for k, v in options.get("severity", {}).items()},
        suppressions=not options.get("no-suppressions", False),
        kube_version=KubeVersion.parse(options["kube-version"]) if "kube-version" in options else NEWEST_KUBE_VERSION,
    )


def case_rules(case: Case, rules: list[Rule]) -> list[Rule]:
    """The given rules, plus those the case's ``with-rules`` option names."""
    extra = case.options.get("with-rules", [])
    if extra:
        from gwlint.engine.registry import all_rules, find_rule

        known = all_rules()
        for token in extra:
            cls = find_rule(known, token)
            if cls is None:
                raise ValueError(f"case {case.name}: with-rules names unknown rule {token!r}")
            if not any(type(r) is cls for r in rules):
                rules = [*rules, cls()]
    return rules


def run_case(case: Case, rules: list[Rule], texts: Mapping[str, str] | None = None) -> RunResult:
    """Lint a case with the given rules, plus those its ``with-rules`` option names.

    ``texts`` replaces the text of some case files (by name), as fixes do; a case that
    renders (a chart or a kustomization) is rendered from the files themselves.
    """
    rules = case_rules(case, rules)
    settings = settings_for(case.options)
    for rule in rules:  # a plugin's rule reads its options from its own namespace
        if rule.plugin is not None:
            settings.plugin_options[rule.plugin] = settings.options
    if case.root is not None and _renders(case.root):
        from gwlint.engine.repository import RenderOptions, lint_repository

        return lint_repository([case.root.as_posix()], rules, settings, RenderOptions()).result
    given = texts or {}
    sources = [
        Source(name, given[name].encode("utf-8") if name in given else f.read_bytes())
        for f in case.files
        for name in [f.as_posix()]
    ]
    context = [Source(f.as_posix(), f.read_bytes()) for f in case.context]
    return lint(sources, rules, settings, context)


def fix_case(case: Case, rules: list[Rule], texts: Mapping[str, str] | None = None) -> FixOutcome:
    """Apply a case's fixes, safe and unsafe, until none is left; in memory, the files stay as they are."""
    from gwlint.fix.apply import fix_until_stable

    start = dict(texts) if texts else {f.as_posix(): f.read_bytes().decode("utf-8") for f in case.files}

    def relint(changed: Mapping[str, str]) -> RunResult:
        return run_case(case, rules, changed)

    return fix_until_stable(run_case(case, rules, start), relint, start, unsafe=True)


def check_fixes(case: Case, rule: type[Rule], update: bool = False) -> list[str]:
    """Differences between the case's fixed text and its ``.fixed`` files, and broken promises of fixes.

    Every file must come out as its ``.fixed`` file says (unchanged without one); no
    finding may be left with a fix that applies; the fixed text may have no finding the
    original did not have; fixing the fixed text again must change nothing. ``update``
    writes the ``.fixed`` files instead of comparing them.
    """
    before = run_case(case, [rule()])
    outcome = fix_case(case, [rule()])
    problems = [f"fix error: {e.file}: {e.message}" for e in outcome.errors]
    for f in case.files:
        name, expected_file = f.as_posix(), fixed_path(f)
        got = outcome.texts.get(name, outcome.original.get(name))
        if update:
            if name in outcome.changed():
                expected_file.write_bytes(outcome.texts[name].encode("utf-8"))
            elif expected_file.exists():
                expected_file.unlink()
            continue
        expected = expected_file.read_bytes().decode("utf-8") if expected_file.exists() else outcome.original[name]
        if got != expected:
            problems.append(
                f"{name}: fixed text differs from {expected_file.name if expected_file.exists() else 'the original'}"
            )
    after = outcome.result
    problems.extend(
        f"still fixable after fixing: {f.rule_id} at {f.location.file}:{f.location.span.line if f.location.span else 0}"
        for f in after.findings
        if f.fix is not None and f.fix.enabled(True)
    )
    new = Counter(f.identity() for f in after.findings) - Counter(f.identity() for f in before.findings)
    problems.extend(f"new finding after fixing: {ident}" for ident in sorted(new))
    again = fix_case(case, [rule()], outcome.texts)
    problems.extend(f"{name}: a second fix changed it again" for name in again.changed())
    return problems


def check_case(case: Case, rule: type[Rule]) -> list[str]:
    """Differences between what the rule reported and what the case expects (empty: pass)."""
    result = run_case(case, [rule()])
    problems = [f"run error: {e.message}" for e in result.errors]
    if rule.id != "GW001" and not case.options.get("incomplete-input"):
        # a case that does not parse would pass every "must stay silent" check vacuously
        problems.extend(f"case does not parse: {lost}" for lost in result.incomplete)
    got = [
        (os.path.abspath(f.location.file), f.location.span.line if f.location.span else 0, f)
        for f in result.findings
        if f.rule_id == rule.id
    ]
    for _, _, f in got:
        if f.fix is not None and rule.fix_availability == FixAvailability.NONE:
            problems.append(f"{f.rule_id} declares no fix but offers one: {f.fix.message}")
        if f.fix is None and rule.fix_availability == FixAvailability.ALWAYS:
            problems.append(f"{f.rule_id} declares a fix always but offers none at line {f.location.span}")
    wanted = [e for e in case.expectations if e.rule_id == rule.id]
    unmatched = list(got)
    for exp in wanted:
        hit = next(
            (
                g
                for g in unmatched
                if g[0] == os.path.abspath(exp.file)
                and g[1] == exp.line
                and (exp.text is None or exp.text in g[2].message)
            ),
            None,
        )
        if hit is None:
            near = [f"{g[0]}:{g[1]}: {g[2].message}" for g in got]
            problems.append(
                f"missing {exp.rule_id} at {exp.file}:{exp.line}"
                + (f' with "{exp.text}"' if exp.text else "")
                + f"; got {near}"
            )
        else:
            unmatched.remove(hit)
    for file, line, f in unmatched:
        problems.append(f"unexpected {f.rule_id} at {file}:{line}: {f.message}")
    return problems
