"""GitHub-flavoured Markdown for job summaries and pull-request comments.

What a reviewer of a failed check needs first is the request path and where it breaks,
so the report opens with the counts, then draws the run's request paths
(:attr:`RunResult.paths`, built by the index) as mermaid flowcharts with every broken
edge and object labelled by its rule, then lists the findings grouped by rule, each
linked to its line on GitHub when the runner's variables give a commit to link to.

It is rendered from the finished run only; every limit it applies (nodes per diagram,
diagrams, findings shown before folding, GitHub's 1 MiB per job summary) is stated in
the report where it left something out.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TextIO
from urllib.parse import quote

from gwlint.core.findings import Finding, Location, Severity
from gwlint.core.graph import BUDGET, POLICY, PROXY, WORKLOAD, Edge, Mark, Node, RequestGraph
from gwlint.reporters.paths import is_unnamed_stdin, relative_to_root

if TYPE_CHECKING:
    from gwlint.core.result import RuleInfo, RunResult
    from gwlint.reporters import ReportOptions

SUMMARY_LIMIT = 1024 * 1024
"""GitHub's limit on one step's job summary, in bytes; a larger one is not shown at all."""
NODE_CAP = 40
"""Objects per diagram: beyond this a flowchart is no longer readable in a job summary."""
DIAGRAM_CAP = 12
"""Diagrams per report; the findings of what is left out are still listed."""
SHOWN_PER_RULE = 10
"""Findings of one rule listed before the rest are folded into ``<details>``."""
MARKS_PER_LABEL = 3
_RESERVE = 1024
"""Bytes kept free for closing a cut report and saying so."""

_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.NOTE)
_ICON = {Severity.ERROR: "🔴", Severity.WARNING: "🟠", Severity.NOTE: "🔵"}
_COLOR = {Severity.ERROR: "#cf222e", Severity.WARNING: "#bc4c00", Severity.NOTE: "#0969da"}
_FILL = {Severity.ERROR: "#ffebe9", Severity.WARNING: "#fff1e5", Severity.NOTE: "#ddf4ff"}
_SHORT_KIND = {"PodDisruptionBudget": "PDB"}
_SUBJECT_WORDS = {
    "Ingress": "ingress",
    "Service": "service",
    "PodDisruptionBudget": "pdb",
    "NetworkPolicy": "networkpolicy",
    "HTTPRoute": "route",
    "GRPCRoute": "route",
    "TLSRoute": "route",
    "TCPRoute": "route",
    "UDPRoute": "route",
}
_SHAPES = {
    PROXY: ('(["', '"])'),
    WORKLOAD: ('[["', '"]]'),
    BUDGET: ('{{"', '"}}'),
    POLICY: ('[/"', '"/]'),
}
_LABEL_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ./:_-,=+@")
_MD_SPECIAL = re.compile(r"([\\*_\[\]|~#!])")


def render(result: RunResult, out: TextIO, options: ReportOptions) -> None:
    """Write the report (see the module docstring)."""
    out.write(report(result, options))


def report(result: RunResult, options: ReportOptions, limit: int = SUMMARY_LIMIT) -> str:
    """The whole report as text, at most ``limit`` UTF-8 bytes."""
    writer = _Writer(limit)
    counts = {s: sum(1 for f in result.findings if f.severity is s) for s in _SEVERITIES}
    if not result.findings and not result.errors and not result.incomplete:
        writer.add(f"✅ **gwlint**: no findings in {_scope(result)}.{_hidden(result)}\n")
        return writer.text()
    shown = ", ".join(_plural(counts[s], s.label) for s in _SEVERITIES)
    writer.add(f"### gwlint: {shown}\n\n{_scope(result).capitalize()}.{_hidden(result)}\n")
    if result.errors:
        writer.add(f"\n**The run failed** ({_plural(len(result.errors), 'error')}; exit status 2):\n\n")
        for e in result.errors:
            where = f"{_md(e.file)}: " if e.file else ""
            writer.add(f"- {where}{_md(e.message)}\n")
    if result.incomplete:
        writer.add("\n**Not read:**\n\n" + "".join(f"- {_md(line)}\n" for line in result.incomplete))
    if result.paths is not None and result.paths.nodes:
        writer.add(
            "\n#### Request paths\n\nEach broken reference or object is labelled with the rule that breaks it "
            "and coloured by its severity (red: error, orange: warning, blue: note); "
            "the rest of each path is drawn plainly.\n"
        )
        for block in _diagram_blocks(result.paths):
            if not writer.add(block):
                break
    if result.findings:
        writer.add("\n#### Findings\n")
        _findings(writer, result, _Links(options))
    return writer.text()


# --- the headline ------------------------------------------------------------------


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _scope(result: RunResult) -> str:
    return f"{_plural(result.files, 'file')}, {_plural(result.objects, 'object')}"


def _hidden(result: RunResult) -> str:
    hidden = [f"{len(result.suppressed)} suppressed"] if result.suppressed else []
    if result.baselined:
        hidden.append(f"{result.baselined} in the baseline")
    return f" Not shown: {', '.join(hidden)}." if hidden else ""


# --- the findings ------------------------------------------------------------------


class _Links:
    """Where a location links to: its line on GitHub when the runner names a commit, else nowhere."""

    def __init__(self, options: ReportOptions) -> None:
        self.base = options.blob_base
        self.root = options.resolved_root() if self.base else ""

    def place(self, loc: Location) -> str:
        line = loc.span.line if loc.span else None
        name = "stdin" if is_unnamed_stdin(loc.file) else loc.file
        text = _md(f"{name}:{line}" if line else name)
        rel = relative_to_root(loc.file, self.root) if self.base and not is_unnamed_stdin(loc.file) else None
        if rel is None or not os.path.isfile(loc.file):
            return text
        anchor = f"#L{line}" if line else ""
        return f"[{text}]({self.base}/{quote(rel)}{anchor})"


def _findings(writer: _Writer, result: RunResult, links: _Links) -> None:
    rules: dict[str, RuleInfo] = {r.id: r for r in result.rules}
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        by_rule[f.rule_id].append(f)
    order = sorted(by_rule, key=lambda rid: (-max(f.severity for f in by_rule[rid]), rid))
    for rid in order:
        group = by_rule[rid]
        worst = max(f.severity for f in group)
        info = rules.get(rid)
        uri = info.help_uri() if info is not None else None
        title = f"{rid} {group[0].rule_name}"
        title = f"[{title}]({uri})" if uri else title
        heading = f"\n{_ICON[worst]} **{title}** · {worst.label} · {_plural(len(group), 'finding')}"
        summary = f"\n\n{_md(info.summary)}.\n\n" if info is not None and info.summary else "\n\n"
        if not writer.add(heading + summary):
            return
        for i, f in enumerate(group):
            if i == SHOWN_PER_RULE and not writer.open_details(f"{len(group) - SHOWN_PER_RULE} more {rid} findings"):
                return
            if not writer.add(_item(f, worst, links)):
                return
        writer.close_details()


def _item(f: Finding, worst: Severity, links: _Links) -> str:
    """One finding and its related places; its severity said when it is below the rule's worst here."""
    severity = f"({f.severity.label}) " if f.severity < worst else ""
    text = f"- {links.place(f.location)}: {severity}{_md(f.message)}{_origin(f.location)}\n"
    for rel in f.related:
        text += f"  - {links.place(rel)}: {_md(rel.message)}{_origin(rel)}\n"
    return text


def _origin(loc: Location) -> str:
    return f" ({_md(loc.origin.describe(loc.file))})" if loc.origin is not None else ""


def _md(text: str) -> str:
    """Markdown text that shows as written: code spans kept, HTML and Markdown syntax escaped."""
    parts = text.replace("\r", " ").replace("\n", " ").split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: nothing is a code span
        parts = ["`".join(parts)]
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(f"`{part}`")
        else:
            part = part.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            out.append(_MD_SPECIAL.sub(r"\\\1", part))
    return "".join(out)


# --- the diagrams ------------------------------------------------------------------


def _worst(marks: Iterable[Mark]) -> Severity | None:
    return max((m.severity for m in marks), default=None)


def _words(mark: Mark, kind: str) -> str:
    """``GW201 selects no pods``: the rule's name without the kind it is about (a Service's rule on a Service)."""
    words = mark.rule_name.split("-")
    if len(words) > 1 and words[0] == _SUBJECT_WORDS.get(kind, kind.lower()):
        words = words[1:]
    return f"{mark.rule_id} {' '.join(words)}"


def _label(lines: Sequence[str]) -> str:
    """A quoted mermaid label: every character outside a safe set as an entity code, so any name renders."""
    return "<br/>".join("".join(c if c in _LABEL_SAFE else f"#{ord(c)};" for c in line) for line in lines)


def _mark_lines(marks: Sequence[Mark], kind: str) -> list[str]:
    lines = [_words(m, kind) for m in marks[:MARKS_PER_LABEL]]
    if len(marks) > MARKS_PER_LABEL:
        lines.append(f"and {len(marks) - MARKS_PER_LABEL} more")
    return lines


def _node_line(node: Node, ident: str, namespace: str | None) -> str:
    """A node; its namespace left out when the diagram's caption names it."""
    opening, closing = _SHAPES.get(node.role, ('["', '"]'))
    kind = _SHORT_KIND.get(node.kind, node.kind)
    shown = node.namespace and node.namespace != namespace
    title = f"{kind} {node.namespace}/{node.name}" if shown else f"{kind} {node.name}"
    lines = [title, *(["not in the input"] if node.missing else []), *_mark_lines(node.marks, node.kind)]
    return f"    {ident}{opening}{_label(lines)}{closing}"


def _flowchart(nodes: Sequence[Node], edges: Sequence[Edge], namespace: str | None = None) -> str:
    """One mermaid flowchart of these nodes and the edges between them."""
    ids = {node.key: f"n{i}" for i, node in enumerate(nodes)}
    kinds = {node.key: node.kind for node in nodes}
    roles = {node.key: node.role for node in nodes}
    lines = ["```mermaid", "flowchart LR"]
    lines += [_node_line(node, ids[node.key], namespace) for node in nodes]
    styles: list[str] = []
    drawn = [e for e in edges if e.source in ids and e.target in ids]
    for i, edge in enumerate(drawn):
        guard = roles[edge.source] in (BUDGET, POLICY)
        worst = _worst(edge.marks)
        if worst is None:
            arrow = "---" if guard else "-->"
        else:
            arrow = "-.-" if guard else "-.->"
            styles.append(f"    linkStyle {i} stroke:{_COLOR[worst]},stroke-width:3px,color:{_COLOR[worst]}")
        text = [*([edge.label] if edge.label else []), *_mark_lines(edge.marks, kinds[edge.source])]
        label = f'|"{_label(text)}"|' if text else ""
        # a budget or policy is drawn after the pods it acts on, not before them
        ends = (edge.target, edge.source) if guard else (edge.source, edge.target)
        lines.append(f"    {ids[ends[0]]} {arrow}{label} {ids[ends[1]]}")
    lines += styles
    for severity in _SEVERITIES:
        members = [ids[n.key] for n in nodes if _worst(n.marks) is severity]
        if members:
            style = f"fill:{_FILL[severity]},stroke:{_COLOR[severity]},stroke-width:3px"
            lines.append(f"    classDef {severity.label} {style}")
            lines.append(f"    class {','.join(members)} {severity.label}")
    missing = [ids[n.key] for n in nodes if n.missing]
    if missing:
        lines.append("    classDef missing stroke-dasharray:6 4")
        lines.append(f"    class {','.join(missing)} missing")
    lines.append("```")
    return "\n".join(lines) + "\n"


def _components(graph: RequestGraph) -> list[list[Node]]:
    """The connected request paths, each in the graph's node order."""
    parent = {n.key: n.key for n in graph.nodes}

    def find(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for e in graph.edges:
        if e.source in parent and e.target in parent:
            parent[find(e.source)] = find(e.target)
    groups: dict[str, list[Node]] = defaultdict(list)
    for n in graph.nodes:
        groups[find(n.key)].append(n)
    return list(groups.values())


def _severity_rank(nodes: Sequence[Node], edges: Sequence[Edge]) -> int:
    keys = {n.key for n in nodes}
    marks = [m for n in nodes for m in n.marks] + [m for e in edges if e.source in keys for m in e.marks]
    worst = _worst(marks)
    return -int(worst) if worst is not None else 0


def _trim(nodes: list[Node], edges: Sequence[Edge]) -> list[Node]:
    """At most :data:`NODE_CAP` nodes: the broken objects and both ends of broken edges first."""
    keys = {n.key for n in nodes}
    wanted = {n.key for n in nodes if n.marks or n.missing}
    for e in edges:
        if e.marks and e.source in keys:
            wanted.update((e.source, e.target))
    ordered = [n for n in nodes if n.key in wanted] + [n for n in nodes if n.key not in wanted]
    kept = {n.key for n in ordered[:NODE_CAP]}
    return [n for n in nodes if n.key in kept]


def _diagram_blocks(graph: RequestGraph) -> list[str]:
    """The flowcharts: one for a small run, else one per namespace, split into diagrams of at
    most :data:`NODE_CAP` objects (whole request paths each, a larger path trimmed alone)."""
    if len(graph.nodes) <= NODE_CAP:
        return ["\n" + _flowchart(graph.nodes, graph.edges)]
    by_namespace: dict[str, list[list[Node]]] = defaultdict(list)
    for component in _components(graph):
        by_namespace[component[0].namespace].append(component)
    planned: list[tuple[int, str, list[Node], str]] = []
    for namespace, components in by_namespace.items():
        where = f"namespace `{namespace}`" if namespace else "cluster-scoped objects"
        components.sort(key=lambda c: _severity_rank(c, graph.edges))
        parts: list[list[Node]] = []
        for component in components:
            if len(component) > NODE_CAP:
                head = component[0]
                caption = f"Request paths through {head.kind} `{head.name}` in {where}"
                planned.append((_severity_rank(component, graph.edges), caption, component, namespace))
            elif parts and len(parts[-1]) + len(component) <= NODE_CAP:
                parts[-1] += component
            else:
                parts.append(list(component))
        for i, nodes in enumerate(parts, 1):
            caption = f"Request paths in {where}" + (f" ({i} of {len(parts)})" if len(parts) > 1 else "")
            planned.append((_severity_rank(nodes, graph.edges), caption, nodes, namespace))
    planned.sort(key=lambda p: p[0])
    blocks: list[str] = []
    for _, caption, nodes, namespace in planned[:DIAGRAM_CAP]:
        drawn = _trim(nodes, graph.edges) if len(nodes) > NODE_CAP else nodes
        note = ""
        if len(drawn) < len(nodes):
            note = (
                f"\n{len(nodes) - len(drawn)} of its {len(nodes)} objects are not drawn (at most {NODE_CAP} per "
                "diagram, broken ones first); their findings are listed below.\n"
            )
        blocks.append(f"\n{caption}:\n\n{_flowchart(drawn, graph.edges, namespace)}{note}")
    left = planned[DIAGRAM_CAP:]
    if left:
        objects = sum(len(nodes) for _, _, nodes, _ in left)
        blocks.append(
            f"\n{_plural(len(left), 'more diagram')} ({_plural(objects, 'object')}) not drawn: at most "
            f"{DIAGRAM_CAP} per report, the most severe first; their findings are listed below.\n"
        )
    return blocks


# --- the size limit ----------------------------------------------------------------


class _Writer:
    """The report's text, kept under a byte limit: once a part does not fit, it stops and says so."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[str] = []
        self.size = 0
        self.cut = False
        self.in_details = False

    def add(self, text: str) -> bool:
        """Append ``text`` if it fits (with room kept for the closing note); False once the report is cut."""
        size = len(text.encode("utf-8"))
        if self.cut or self.size + size > self.limit - _RESERVE:
            self.cut = True
            return False
        self.parts.append(text)
        self.size += size
        return True

    def open_details(self, summary: str) -> bool:
        if not self.add(f"\n<details><summary>{summary}</summary>\n\n"):
            return False
        self.in_details = True
        return True

    def close_details(self) -> None:
        if self.in_details:
            self.parts.append("\n</details>\n")
            self.in_details = False

    def text(self) -> str:
        if self.cut:
            self.close_details()
            self.parts.append(
                "\n**This report was cut** to stay under GitHub's 1 MiB job-summary limit; "
                "the annotations, SARIF and JSON outputs hold every finding.\n"
            )
        return "".join(self.parts)
