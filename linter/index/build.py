"""Building the index from loaded files: objects, their views, and the problems found on the way.

A document that is not an object, a List with bad items and an object without a name
become GW002 problems here; everything else becomes a resource and the view of its kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from gwlint.core.datapath import Path, type_name
from gwlint.index.index import DocProblem, Index, PodOwnerKind
from gwlint.loader.document import Document, LoadedFile, Problem
from gwlint.model.resource import FieldProblem, is_kubernetes_like, make_resource

if TYPE_CHECKING:
    pass


def _doc_problem(lf: LoadedFile, p: Problem, context_only: bool, doc: Document | None = None) -> DocProblem:
    return DocProblem(p.rule_id, p.message, lf.name, p.line, p.column, doc, p.path, context_only)


def _objects(data: Any, path: Path) -> Iterable[tuple[Path, Any]]:
    """The object itself, or the items of a ``kind: List`` / ``*List`` (a bad ``items`` itself)."""
    kind = data.get("kind") if isinstance(data, dict) else None
    if isinstance(kind, str) and kind.endswith("List") and ("items" in data or kind == "List"):
        items = data.get("items")
        if isinstance(items, list):
            for i, item in enumerate(items):
                yield (*path, "items", i), item
        elif items is not None:
            yield (*path, "items"), items
    else:
        yield path, data


def _not_an_object(path: Path, data: Any) -> str | None:
    """Why the place of an object holds none (a GW002 message), or None when it holds a mapping."""
    if path[-1:] == ("items",):
        return f"`items` of a List must be a list of objects, not {type_name(data)}"
    if isinstance(data, dict):
        return None
    what = type_name(data)
    if isinstance(data, (str, int, float)) and not isinstance(data, bool):
        what += f" ({data!r:.40})"
    where = f"`items[{path[-1]}]` of the List" if path else "the document"
    return f"not a Kubernetes object: {where} is {what}"


def build_index(
    files: Iterable[tuple[LoadedFile, bool]],
    default_namespace: str = "default",
    owners: Mapping[str, PodOwnerKind] | None = None,
) -> Index:
    """Turn loaded files (each flagged context-only or not) into one index."""
    index = Index()
    owner_kinds = owners or {}
    for lf, context_only in files:
        index.files.append(lf)
        for p in lf.problems:
            index.problems.append(_doc_problem(lf, p, context_only))
        kube_file = any(is_kubernetes_like(d.data) for d in lf.documents)
        for doc in lf.documents:
            for p in doc.problems:
                index.problems.append(_doc_problem(lf, p, context_only, doc))
            if doc.data is None or not kube_file:
                continue
            for path, data in _objects(doc.data, ()):
                bad = _not_an_object(path, data)
                if bad is not None:
                    index.problems.append(
                        DocProblem("GW002", bad, lf.name, doc=doc, path=path, context_only=context_only)
                    )
                    continue
                res, problems = make_resource(doc, path, data, default_namespace)
                for fp in problems:
                    index.problems.append(_field_doc_problem(lf.name, doc, fp, context_only))
                if res is not None:
                    res.context_only = context_only
                    index.add(res, owner_kinds)
    index.finish()
    return index


def _field_doc_problem(file: str, doc: Document, fp: FieldProblem, context_only: bool) -> DocProblem:
    return DocProblem("GW002", fp.message, file, doc=doc, path=fp.path, context_only=context_only)
