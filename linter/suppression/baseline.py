"""The baseline: findings a team has accepted for now, so that only new ones are reported.

This is how gwlint is adopted on a repository that already has hundreds of findings:
``--write-baseline FILE`` records them, ``--baseline FILE`` reports only what is not
recorded. Entries are keyed by rule, object identity and field path (what
:meth:`Finding.identity` uses), never by line, so edits elsewhere in a file do not
invalidate them. Findings that belong to no object (a YAML syntax error) are keyed by
file instead. Matching counts occurrences: one recorded finding hides one current
finding, so a second copy of a known problem is still reported.

File format (JSON, ``"version": 1``; a newer version is refused, not misread)::

    {
      "tool": "gwlint",
      "version": 1,
      "findings": [
        {"rule": "GW301", "object": "apps/Deployment/shop/web",
         "path": "spec.template.spec.containers[0].name", "count": 1,
         "message": "container 'web' of ... has no readinessProbe ..."}
      ]
    }

``object`` is ``group/Kind/namespace/name``; entries without an object have ``file``
instead. ``message`` is there for reviewers and is not matched.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from gwlint.core.datapath import dotted
from gwlint.core.findings import Finding

VERSION = 1
Key = tuple[str, str, str, str]


class BaselineError(Exception):
    """A baseline file that cannot be read or is not a gwlint baseline: exit status 2."""


def key_of(f: Finding) -> Key:
    """(rule, object, path, file): the same parts as :meth:`Finding.identity`."""
    res = f.location.resource
    obj = f"{res.api_group}/{res.kind}/{res.namespace}/{res.name}" if res else ""
    return f.rule_id, obj, dotted(f.location.path), "" if res else f.location.file


def dump(findings: Iterable[Finding]) -> str:
    """The baseline file text for these findings: sorted, one entry per key with a count."""
    counts: Counter[Key] = Counter()
    messages: dict[Key, str] = {}
    for f in findings:
        k = key_of(f)
        counts[k] += 1
        messages.setdefault(k, f.message)
    entries = []
    for k in sorted(counts):
        rule, obj, path, file = k
        entry: dict[str, object] = {"rule": rule}
        if obj:
            entry["object"] = obj
        else:
            entry["file"] = file
        entry.update(path=path, count=counts[k], message=messages[k])
        entries.append(entry)
    return json.dumps({"tool": "gwlint", "version": VERSION, "findings": entries}, indent=2, ensure_ascii=False) + "\n"


def write(path: Path, findings: Iterable[Finding]) -> None:
    """Record ``findings`` in ``path`` (replacing it)."""
    try:
        path.write_text(dump(findings), encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write baseline: {exc.strerror or exc}") from None


def load(path: Path) -> Counter[Key]:
    """How many findings of each key the baseline at ``path`` accepts."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: not a gwlint baseline (invalid JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("tool") != "gwlint" or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a gwlint baseline (write one with --write-baseline)")
    if data.get("version") != VERSION:
        raise BaselineError(
            f"{path}: baseline version {data.get('version')!r} is not supported by this gwlint (expects {VERSION})"
        )
    accepted: Counter[Key] = Counter()
    for i, e in enumerate(data["findings"]):
        try:
            k = (str(e["rule"]), str(e.get("object", "")), str(e.get("path", "")), str(e.get("file", "")))
            accepted[k] += int(e.get("count", 1))
        except (TypeError, KeyError, ValueError, AttributeError):
            raise BaselineError(f"{path}: entry {i} of the baseline is malformed") from None
    return accepted


def new_findings(findings: Iterable[Finding], accepted: Counter[Key]) -> tuple[list[Finding], int]:
    """The findings the baseline does not account for, and how many it hid."""
    remaining = Counter(accepted)
    kept: list[Finding] = []
    hidden = 0
    for f in findings:
        k = key_of(f)
        if remaining[k] > 0:
            remaining[k] -= 1
            hidden += 1
        else:
            kept.append(f)
    return kept, hidden
