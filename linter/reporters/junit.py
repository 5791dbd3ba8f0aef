"""JUnit XML, for CI systems that show test reports and nothing else (GitLab's ``reports: junit:``,
Jenkins, Azure Pipelines).

One test suite per file and one failed test case per finding, named by its rule and
placed by ``file`` and ``line`` attributes, as other linters' JUnit output does; a clean
run is one passing case, so the CI shows a green test rather than no report. Run errors
are ``<error>`` cases of a ``gwlint`` suite. Text that XML 1.0 cannot hold (control
characters from a broken input) is replaced, so the report always parses.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING, TextIO
from xml.etree import ElementTree as ET

from gwlint.reporters.origins import origin_note
from gwlint.reporters.paths import relative_to_root

if TYPE_CHECKING:
    from gwlint.core.findings import Finding
    from gwlint.core.result import RunResult
    from gwlint.reporters import ReportOptions

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def render(result: RunResult, out: TextIO, options: ReportOptions) -> None:
    """Write the ``<testsuites>`` document (see the module docstring)."""
    root = options.resolved_root()
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        by_file[relative_to_root(f.location.file, root) or f.location.file].append(f)
    suites = ET.Element("testsuites", name="gwlint")
    for file, findings in by_file.items():
        suite = ET.SubElement(suites, "testsuite", name=_text(file), tests=str(len(findings)))
        suite.set("failures", str(len(findings)))
        suite.set("errors", "0")
        for f in findings:
            span = f.location.span
            case = ET.SubElement(suite, "testcase", name=_text(f"{f.rule_id} {f.rule_name}"), classname=_text(file))
            case.set("file", _text(file))
            if span is not None:
                case.set("line", str(span.line))
            where = f"{file}:{span.line}:{span.column}" if span else file
            failure = ET.SubElement(case, "failure", message=_text(f.message), type=f.severity.label)
            details = [f"{where}: {f.rule_id} [{f.severity.label}] {f.message}{origin_note(f.location)}"]
            details += [f"{rel.file}:{rel.span.line if rel.span else 0}: {rel.message}" for rel in f.related]
            failure.text = _text("\n".join(details))
    if result.errors or not result.findings:
        suite = ET.SubElement(suites, "testsuite", name="gwlint", tests=str(max(1, len(result.errors))))
        suite.set("failures", "0")
        suite.set("errors", str(len(result.errors)))
        for e in result.errors:
            case = ET.SubElement(suite, "testcase", name="run error", classname="gwlint")
            ET.SubElement(case, "error", message=_text(e.message)).text = _text(e.file or "")
        if not result.errors:
            ET.SubElement(suite, "testcase", name=f"no findings in {result.files} files", classname="gwlint")
    failures = sum(len(v) for v in by_file.values())
    suites.set("tests", str(sum(int(s.get("tests", "0")) for s in suites)))
    suites.set("failures", str(failures))
    suites.set("errors", str(len(result.errors)))
    ET.indent(suites)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(suites, encoding="unicode"))
    out.write("\n")
