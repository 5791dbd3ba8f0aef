"""The real-world corpus: no crash anywhere, and no unexplained cross-reference finding.

Each directory of the shared corpus is linted as one run (its own files, not those of
its subdirectories): a directory is how these projects group the objects of one app,
one example or one rendered chart. The manifests of the directory's ancestors inside its
top folder and of its subdirectories are loaded as ``--context``, the way a pre-commit
hook runs gwlint on one folder of a repository: a sample's subfolder builds on its
parent (Istio's ``helloworld/gateway-api/`` routes to the Service of
``helloworld/helloworld.yaml``) and a folder may apply its subfolders (``k8s/`` with
``k8s/base/``). Sibling folders are separate samples and are not context: the whole
top folder as context was measured to add about thirty findings of one sample meeting
another (the same labels in one namespace), and to take seven times as long.

Every folder of ``real/`` and ``linter-fixtures/`` must lint without a run error (a rule
that raised, an unreadable file).

For ``real/`` (manifests that work in production), the findings of the cross-reference
rules (GW1xx, GW2xx, GW502-GW504, GW601) are pinned in ``corpus_expected.yaml``, each
with the reason found by reading the manifests, in one of three sections:

- ``defects``: the manifest as given is wrong (applied as is, traffic fails);
- ``incomplete-input``: the finding is true of the files given, but the other side lives
  outside the linted tree (another folder of the project, or software installed
  separately): users load it with ``--context`` or suppress the finding;
- ``by-design``: a note that states a true fact the authors intended (a Service split
  across shards on purpose, alternatives side by side in one folder).

There is no place for a false positive: a rule that reports something untrue is fixed,
not pinned. A new finding fails the test (a defect that deserves a line and a reason,
or a false positive to fix); so does a pinned one that went away (update the list).
"""

from __future__ import annotations

import os
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from gwlint.engine.registry import builtin_rules
from gwlint.engine.run import lint
from gwlint.sources.files import MANIFEST_SUFFIXES, Source
from ruamel.yaml import YAML

from ..conftest import CORPUS, require_corpus

EXPECTED = Path(__file__).with_name("corpus_expected.yaml")
SECTIONS = ("defects", "incomplete-input", "by-design")
Key = tuple[str, str, str]  # file (relative to the corpus), rule id, object (``Kind ns/name``)


def pinned(rule_id: str) -> bool:
    """The rules whose findings on ``real/`` must each be explained."""
    return rule_id[:3] in ("GW1", "GW2") or rule_id in ("GW502", "GW503", "GW504", "GW601")


def projects(group: str) -> list[str]:
    """The top folders of ``real/`` or ``linter-fixtures/`` (none when the corpus is absent)."""
    root = CORPUS / group
    return sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else ["(corpus missing)"]


def directories(project: Path) -> dict[Path, list[Path]]:
    """Every directory of a project that holds manifests, with the files directly inside it."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(project):
        dirnames.sort()
        files = sorted(Path(dirpath) / f for f in filenames if f.endswith(MANIFEST_SUFFIXES))
        if files:
            out[Path(dirpath)] = files
    return out


def is_context(of: Path, folder: Path) -> bool:
    """Whether ``folder``'s manifests are context for a run of ``of``: an ancestor or a subfolder."""
    return folder != of and (of.is_relative_to(folder) or folder.is_relative_to(of))


@cache
def lint_project(group: str, name: str) -> tuple[Counter[Key], list[str]]:
    """Pinned-rule findings (by file, rule and object) and run errors of one project."""
    corpus = require_corpus()
    rules = [cls() for cls in builtin_rules()]
    found: Counter[Key] = Counter()
    errors: list[str] = []
    dirs = directories(corpus / group / name)
    sources = {f: Source(f.relative_to(corpus).as_posix(), f.read_bytes()) for files in dirs.values() for f in files}
    for folder, files in dirs.items():
        context = [src for f, src in sources.items() if is_context(folder, f.parent)]
        result = lint([sources[f] for f in files], rules, context=context)
        errors.extend(f"{e.file}: {e.message}" for e in result.errors)
        for f in result.findings:
            if pinned(f.rule_id):
                obj = f.resource.display() if f.resource else ""
                found[(f.location.file, f.rule_id, obj)] += 1
    return found, errors


@cache
def expected() -> dict[str, list[dict[str, object]]]:
    data = YAML(typ="safe").load(EXPECTED)
    unknown = sorted(set(data) - set(SECTIONS))
    assert not unknown, f"{EXPECTED.name}: unknown sections {unknown} (only {', '.join(SECTIONS)})"
    return {section: list(data.get(section) or []) for section in SECTIONS}


def expected_counts(prefix: str) -> Counter[Key]:
    counts: Counter[Key] = Counter()
    for entries in expected().values():
        for e in entries:
            if str(e["file"]).startswith(prefix):
                counts[(str(e["file"]), str(e["rule"]), str(e["object"]))] += int(e.get("count", 1))  # type: ignore[call-overload]
    return counts


@pytest.mark.parametrize("name", projects("linter-fixtures"))
def test_linter_fixtures_lint_without_a_crash(name: str) -> None:
    _, errors = lint_project("linter-fixtures", name)
    assert errors == []


@pytest.mark.parametrize("name", projects("real"))
def test_real_manifests_lint_without_a_crash_or_an_unexplained_finding(name: str) -> None:
    found, errors = lint_project("real", name)
    assert errors == []
    want = expected_counts(f"real/{name}/")
    new = found - want
    gone = want - found
    assert not new and not gone, "\n".join(
        [
            *(
                f"new: {f} {r} {o} x{n} (a false positive to fix, or a finding to pin with its reason)"
                for (f, r, o), n in new.items()
            ),
            *(f"gone: {f} {r} {o} x{n} (remove it from corpus_expected.yaml)" for (f, r, o), n in gone.items()),
        ]
    )


def test_every_pinned_finding_has_a_reason_and_exists() -> None:
    require_corpus()
    seen: set[Key] = set()
    for section, entries in expected().items():
        for e in entries:
            key = (str(e["file"]), str(e["rule"]), str(e["object"]))
            assert key not in seen, f"pinned twice: {key}"
            seen.add(key)
            assert pinned(key[1]), f"{key}: only cross-reference rules are pinned"
            assert len(str(e.get("reason", "")).strip()) > 20, f"{key}: say why ({section})"
            assert (CORPUS / key[0]).is_file(), f"{key}: no such corpus file"


def test_the_expected_file_has_no_false_positives_section() -> None:
    # A false positive is fixed in its rule, never pinned: the file knows no such section.
    data = YAML(typ="safe").load(EXPECTED)
    assert "false-positives" not in data
    assert set(data) <= set(SECTIONS), sorted(set(data) - set(SECTIONS))
