"""The Markdown report: the request paths drawn and parsed by the real mermaid parser, links
to lines on GitHub, folding, the size limit, and its golden snapshot.

``testdata/reports/shop`` is the pull-request example: an Ingress whose ``/cart`` path
reaches a Service that selects no pods (GW201), whose ``/account`` path names the
port 443, which the Service does not have (GW102), and whose ``/`` path is healthy.
Regenerate the snapshot with ``GWLINT_UPDATE_GOLDEN=1``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from gwlint.core.findings import Finding, Location, Severity, Span
from gwlint.core.graph import BUDGET, PROXY, SERVICE, WORKLOAD, Edge, Mark, Node, RequestGraph
from gwlint.core.result import RunResult
from gwlint.engine.registry import builtin_rules
from gwlint.engine.run import lint
from gwlint.reporters import ReportOptions, github_blob_base
from gwlint.reporters.markdown import DIAGRAM_CAP, NODE_CAP, SHOWN_PER_RULE, SUMMARY_LIMIT, _label, _md, report
from gwlint.sources.files import Source

from ..conftest import ROOT, TESTDATA
from ..tools import mermaid_parse

SHOP = TESTDATA / "reports/shop"
BLOB = "https://github.com/acme/shop/blob/0123456789abcdef0123456789abcdef01234567"
UPDATE = os.environ.get("GWLINT_UPDATE_GOLDEN") == "1"
FENCE = re.compile(r"```mermaid\n(.*?)```", re.DOTALL)


def sources(folder: Path) -> list[Source]:
    return [Source(p.relative_to(ROOT).as_posix(), p.read_bytes()) for p in sorted(folder.glob("*.yaml"))]


def shop_run() -> RunResult:
    return lint(sources(SHOP), [cls() for cls in builtin_rules()], request_paths=True)


def markdown(result: RunResult, blob_base: str | None = None, limit: int = SUMMARY_LIMIT) -> str:
    return report(result, ReportOptions(root=str(ROOT), blob_base=blob_base), limit)


def diagrams(text: str) -> list[str]:
    return FENCE.findall(text)


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


# --- the example of the issue ------------------------------------------------------


def test_both_broken_paths_are_drawn_with_their_rules() -> None:
    text = markdown(shop_run())
    (diagram,) = diagrams(text)
    ids = dict(re.findall(r"^\s+(n\d+)\S*?\"([^\"<]+)", diagram, re.MULTILINE))
    by_name = {name: ident for ident, name in ids.items()}
    ingress, cart = by_name["Ingress shop/storefront"], by_name["Service shop/cart"]
    account = by_name["Service shop/account"]
    # Ingress -> account: the backend's port is wrong (GW102), a broken (dotted) edge
    assert re.search(rf"{ingress} -\.->\|\"[^\"]*port 443<br/>GW102 service port missing\"\| {account}\n", diagram)
    # Service cart -> the Deployment it should select (GW201)
    deployment = by_name["Deployment shop/cart"]
    assert f'{cart} -.->|"GW201 selects no pods"| {deployment}\n' in diagram
    # the healthy path and the neighbours are drawn plainly
    assert re.search(rf'{ingress} -->\|"shop.example.com/ #8594; port http"\| {by_name["Service shop/web"]}\n', diagram)
    assert f"{by_name['Service shop/web']} --> {by_name['Deployment shop/web']}\n" in diagram
    assert f"{by_name['Deployment shop/web']} --- {by_name['PDB shop/web']}\n" in diagram
    assert "NetworkPolicy shop/account-from-ingress" in by_name
    assert mermaid_parse([diagram]) == [{"ok": True, "type": "flowchart-v2"}]


def test_each_finding_links_to_its_line_when_the_runner_names_a_commit() -> None:
    result = shop_run()
    text = markdown(result, BLOB)
    for f in result.findings:
        assert f.location.span is not None
        link = f"({BLOB}/{f.location.file}#L{f.location.span.line})"
        assert f"- [{f.location.file}:{f.location.span.line}]{link}: " in text.replace("\\_", "_")
        for rel in f.related:
            assert rel.span is not None
            assert f"  - [{rel.file}:{rel.span.line}]({BLOB}/{rel.file}#L{rel.span.line}): " in text


def test_without_the_runner_variables_places_are_plain() -> None:
    text = markdown(shop_run())
    findings = text.split("#### Findings", 1)[1]
    assert "- testdata/reports/shop/cart.yaml:7: Service shop/cart selects no pods" in findings
    assert "](" not in findings.replace("](https://github.com/gwlint/gwlint/blob/main/docs/rules/", "")


def test_blob_base_comes_from_the_runner_variables() -> None:
    env = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/shop", "GITHUB_SHA": "abc"}
    assert github_blob_base(env) == "https://github.com/acme/shop/blob/abc"
    assert github_blob_base({**env, "GITHUB_SHA": ""}) is None
    assert github_blob_base({}) is None


def test_a_file_outside_the_repository_or_not_on_disk_is_not_linked() -> None:
    loc = Location("<stdin>", span=Span(3, 1, 3, 5))
    rendered = Location("charts/shop/rendered.yaml", span=Span(4, 1, 4, 5))
    findings = [
        Finding("GW201", "service-selects-no-pods", Severity.ERROR, "from stdin", loc),
        Finding("GW201", "service-selects-no-pods", Severity.ERROR, "rendered", rendered),
    ]
    text = markdown(RunResult(findings, [], []), BLOB)
    assert "- stdin:3: from stdin" in text
    assert "- charts/shop/rendered.yaml:4: rendered" in text


def test_snapshot() -> None:
    got = markdown(shop_run(), BLOB)
    expected = TESTDATA / "reports/expected.md"
    if UPDATE:
        expected.write_text(got, encoding="utf-8")
    assert got == expected.read_text(encoding="utf-8")


# --- what any report must survive --------------------------------------------------


def test_a_clean_run_is_one_line_with_the_numbers() -> None:
    result = lint(sources(SHOP), [], request_paths=True)
    assert markdown(result) == "✅ **gwlint**: no findings in 4 files, 11 objects.\n"


def test_labels_escape_every_character_outside_a_safe_set() -> None:
    escaped = "a#34;b#93;#124;#60;x#62;#35;#59;#123;#125;<br/>#233; #8594; #96;x#96;"
    assert _label(['a"b]|<x>#;{}', "é → `x`"]) == escaped


WEIRD = ['we"ird]name', "a|b", "x<script>y", "end", "click", "a;b", "#1", "%%c", "a-->b", "ü∞", "(p)", "{x}", "`t`"]


def test_any_object_name_parses() -> None:
    """Names no Kubernetes object may have still give diagrams the mermaid parser accepts."""
    nodes = [Node(f"Service/ns/{n}", "Service", "ns", n, SERVICE) for n in WEIRD]
    proxy = Node("Ingress/ns/i", "Ingress", 'n"s', "i|]", PROXY)
    edges = [Edge(proxy.key, n.key, f'{n.name} → port "{n.name}"') for n in nodes]
    edges[0].marks.append(Mark("GW102", "ingress-service-port-missing", Severity.ERROR))
    nodes[1].marks.append(Mark("GW201", "service-selects-no-pods", Severity.WARNING))
    result = RunResult([], [], [], paths=RequestGraph([proxy, *nodes], edges))
    result.findings = [
        Finding("GW201", "service-selects-no-pods", Severity.ERROR, "m", Location("f.yaml", span=Span(1, 1, 1, 2)))
    ]
    (diagram,) = diagrams(markdown(result))
    assert mermaid_parse([diagram]) == [{"ok": True, "type": "flowchart-v2"}]


def test_messages_keep_code_spans_and_escape_markdown_and_html() -> None:
    assert _md("a *b* <i>c</i> [d](e) `x*<y>` |f| & _g_") == (
        r"a \*b\* &lt;i&gt;c&lt;/i&gt; \[d\](e) `x*<y>` \|f\| &amp; \_g\_"
    )
    assert _md("an odd ` backtick *") == r"an odd ` backtick \*"
    assert _md("two\nlines") == "two lines"


def _broken_namespace(ns: str, services: int) -> str:
    """An Ingress to ``services`` Services of ``ns``, each selecting no pods of its Deployment."""
    paths = "".join(
        f"          - {{path: /s{i}, pathType: Prefix, backend: {{service: {{name: s{i}, port: {{number: 80}}}}}}}}\n"
        for i in range(services)
    )
    docs = [
        f"apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {{name: edge, namespace: {ns}}}\n"
        f"spec:\n  rules:\n    - http:\n        paths:\n{paths}"
    ]
    for i in range(services):
        docs.append(
            f"apiVersion: v1\nkind: Service\nmetadata: {{name: s{i}, namespace: {ns}}}\n"
            f"spec: {{selector: {{app: s{i}}}, ports: [{{port: 80, targetPort: 8080}}]}}\n"
        )
        docs.append(
            f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: s{i}, namespace: {ns}}}\n"
            f"spec:\n  selector: {{matchLabels: {{app: s{i}-v2}}}}\n  template:\n"
            f"    metadata: {{labels: {{app: s{i}-v2}}}}\n"
            f"    spec: {{containers: [{{name: c, image: x, ports: [{{containerPort: 8080}}]}}]}}\n"
        )
    return "---\n".join(docs)


def _run_of(texts: dict[str, str]) -> RunResult:
    rules = [cls() for cls in builtin_rules() if cls.id == "GW201"]
    return lint([Source(name, text.encode()) for name, text in texts.items()], rules, request_paths=True)


def test_a_large_run_is_drawn_per_namespace_within_the_caps() -> None:
    texts = {f"ns{i}.yaml": _broken_namespace(f"ns{i}", 4) for i in range(DIAGRAM_CAP + 2)}
    texts["big.yaml"] = _broken_namespace("big", NODE_CAP)  # one request path of 1 + 2 * NODE_CAP objects
    text = markdown(_run_of(texts))
    blocks = diagrams(text)
    assert len(blocks) == DIAGRAM_CAP
    for block in blocks:
        assert len(re.findall(r"^    n\d+\S*\"", block, re.MULTILINE)) <= NODE_CAP
    assert "Request paths through Ingress `edge` in namespace `big`:" in text
    assert f"{1 + NODE_CAP} of its {1 + 2 * NODE_CAP} objects are not drawn (at most {NODE_CAP} per diagram" in text
    assert "3 more diagrams (27 objects) not drawn: at most" in text
    assert "Request paths in namespace `ns0`:" in text
    results = mermaid_parse(blocks)
    assert all(r["ok"] for r in results), results


def test_long_lists_are_folded() -> None:
    text = markdown(_run_of({"many.yaml": _broken_namespace("shop", SHOWN_PER_RULE + 3)}))
    assert text.count("\n- ") == SHOWN_PER_RULE + 3
    head, folded = text.split("<details><summary>3 more GW201 findings</summary>\n\n", 1)
    assert head.count("\n- ") == SHOWN_PER_RULE
    assert folded.count("\n- ") == 2 and folded.startswith("- ") and folded.endswith("</details>\n")


def test_a_report_over_the_limit_is_cut_and_says_so() -> None:
    result = _run_of({"many.yaml": _broken_namespace("shop", 30)})
    full = markdown(result)
    limit = len(full.encode()) // 2
    cut = markdown(result, limit=limit)
    assert len(cut.encode()) <= limit
    assert cut.endswith("the annotations, SARIF and JSON outputs hold every finding.\n")
    assert cut.count("<details>") == cut.count("</details>")
    assert "This report was cut" not in full
    assert SUMMARY_LIMIT == 1024 * 1024


def test_the_paths_hold_only_what_the_findings_touch() -> None:
    texts = {"a.yaml": _broken_namespace("a", 1), "b.yaml": _broken_namespace("b", 1).replace("s0-v2", "s0")}
    result = _run_of(texts)
    assert result.paths is not None
    assert {n.namespace for n in result.paths.nodes} == {"a"}
    assert {n.role for n in result.paths.nodes} == {PROXY, SERVICE, WORKLOAD}
    assert BUDGET not in {n.role for n in result.paths.nodes}


def test_a_plain_run_builds_no_paths_and_imports_nothing_for_them(tmp_path: Path) -> None:
    assert lint(sources(SHOP), [cls() for cls in builtin_rules()]).paths is None
    child = (
        "import sys\nfrom gwlint.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print(','.join(m for m in sys.modules if m.startswith('gwlint.') and "
        "m.split('.')[-1] in ('graph', 'request_paths', 'markdown')))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = [sys.executable, "-c", child, "--fail-on", "never", str(SHOP)]
    plain = subprocess.run(run, env=env, capture_output=True, text=True, check=True, cwd=tmp_path)
    assert plain.stdout.splitlines()[-1] == ""
    drawn = subprocess.run([*run, "-f", "markdown"], env=env, capture_output=True, text=True, check=True, cwd=tmp_path)
    assert set(drawn.stdout.splitlines()[-1].split(",")) == {
        "gwlint.core.graph",
        "gwlint.index.request_paths",
        "gwlint.reporters.markdown",
    }


def test_every_committed_diagram_parses() -> None:
    """The snapshots' diagrams and the ones the docs show."""
    snapshots = [TESTDATA / "reports/expected.md", TESTDATA / "reporters/expected.markdown"]
    files = [*snapshots, *sorted(ROOT.glob("docs/*.md"))]
    blocks = [b for f in files for b in diagrams(f.read_text(encoding="utf-8"))]
    assert len(blocks) >= 2
    results = mermaid_parse(blocks)
    assert all(r["ok"] for r in results), results


def test_baselined_findings_are_neither_listed_nor_drawn(tmp_path: Path) -> None:
    """The paths are drawn from the findings the run reports, after the baseline."""
    shutil.copytree(SHOP, tmp_path / "shop")
    ingress = tmp_path / "shop/ingress.yaml"
    broken = ingress.read_text(encoding="utf-8")
    ingress.write_text(broken.replace("port: {number: 443}", "port: {number: 80}"), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    gwlint = [sys.executable, "-m", "gwlint", "--fail-on", "never"]
    subprocess.run([*gwlint, "--write-baseline", "b.json", "shop"], cwd=tmp_path, env=env, check=True)
    ingress.write_text(broken, encoding="utf-8")  # only GW102 is new
    proc = subprocess.run(
        [*gwlint, "--baseline", "b.json", "-f", "markdown", "shop"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("### gwlint: 1 error, 0 warnings, 0 notes\n")
    assert "Not shown: 2 in the baseline." in proc.stdout
    (diagram,) = diagrams(proc.stdout)
    assert "GW102 service port missing" in diagram
    assert "GW201" not in diagram and "GW403" not in diagram
