"""The JUnit XML report: well-formed whatever the messages hold, consistent counts, one case per finding."""

from __future__ import annotations

import io
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from gwlint.core.findings import Finding, Location, RunError, Severity, Span
from gwlint.core.result import RunResult
from gwlint.engine.registry import builtin_rules
from gwlint.engine.run import lint
from gwlint.reporters import ReportOptions, get_reporter
from gwlint.sources.files import Source

from ..conftest import ROOT, TESTDATA


def junit(result: RunResult) -> ET.Element:
    out = io.StringIO()
    get_reporter("junit")(result, out, ReportOptions(root=str(ROOT)))
    text = out.getvalue()
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')
    return ET.fromstring(text)


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_one_failed_case_per_finding_in_a_suite_per_file() -> None:
    folder = TESTDATA / "reports/shop"
    sources = [Source(p.relative_to(ROOT).as_posix(), p.read_bytes()) for p in sorted(folder.glob("*.yaml"))]
    result = lint(sources, [cls() for cls in builtin_rules()])
    suites = junit(result)
    cases = suites.findall("testsuite/testcase")
    assert len(cases) == len(result.findings) == int(suites.get("tests", "")) == int(suites.get("failures", ""))
    assert suites.get("errors") == "0"
    for suite in suites.findall("testsuite"):
        assert int(suite.get("tests", "")) == len(suite.findall("testcase")) == int(suite.get("failures", ""))
        assert (ROOT / str(suite.get("name"))).is_file()
    by_name = {c.get("name"): c for c in cases}
    gw102 = by_name["GW102 ingress-service-port-missing"]
    assert gw102.get("file") == "testdata/reports/shop/ingress.yaml" and gw102.get("line") == "27"
    failure = gw102.find("failure")
    assert failure is not None and failure.get("type") == "error"
    assert str(failure.get("message")).startswith("Ingress shop/storefront sends to port 443")


def test_a_clean_run_is_one_passing_case() -> None:
    suites = junit(RunResult([], [], [], files=3))
    (case,) = suites.findall("testsuite/testcase")
    assert case.get("name") == "no findings in 3 files" and list(case) == []
    assert (suites.get("tests"), suites.get("failures"), suites.get("errors")) == ("1", "0", "0")


def test_run_errors_are_error_cases() -> None:
    suites = junit(RunResult([], [RunError("cannot read x.yaml", "x.yaml")], []))
    (case,) = suites.findall("testsuite/testcase")
    error = case.find("error")
    assert error is not None and error.get("message") == "cannot read x.yaml"
    assert (suites.get("tests"), suites.get("failures"), suites.get("errors")) == ("1", "0", "1")


def test_any_message_gives_well_formed_xml(tmp_path: Path) -> None:
    message = 'bad \x01\x1b[31m <tag> & "quotes" \ud800 ]]> end'
    finding = Finding(
        "GW001", "yaml-syntax-error", Severity.ERROR, message, Location("a<&>.yaml", span=Span(1, 1, 1, 2))
    )
    suites = junit(RunResult([finding], [], []))
    failure = suites.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == 'bad \ufffd\ufffd[31m <tag> & "quotes" \ufffd ]]> end'
