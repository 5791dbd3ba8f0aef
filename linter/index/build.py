"""Building the index from loaded files: objects, their views, and the problems found on the way.

A document that is not an object, a List with bad items and an object without a name
become shape problems here; everything else becomes a resource and the view of its kind.
The documents the loader could not load become :class:`~gwlint.index.index.Lost`
records, so that the rules know which namespaces may miss objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from gwlint.core.datapath import Path, type_name
from gwlint.index.index import Index, Lost, PodOwnerKind
from gwlint.loader.document import InputProblem, LoadedFile, ProblemKind
from gwlint.model.resource import is_kubernetes_like, make_resource


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
    """Why the place of an object holds none (a shape problem's message), or None when it holds a mapping."""
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
    lost: Iterable[Lost] = (),
    namespaces: Mapping[str, str] | None = None,
) -> Index:
    """Turn loaded files (each flagged context-only or not) into one index.

    ``lost``: more input the run could not read (a chart that does not render).
    ``namespaces``: a default namespace per file name, where it is not ``default_namespace``
    (a Helm release installed with ``--namespace``, a kustomization applied with ``-n``).
    """
    index = Index()
    owner_kinds = owners or {}
    for lf, context_only in files:
        file_namespace = namespaces.get(lf.name, default_namespace) if namespaces else default_namespace
        index.files.append(lf)
        index.problems.extend(lf.problems)
        kube_file = any(is_kubernetes_like(d.data) for d in lf.documents)
        dropped = [p for p in lf.problems if p.drops_document]
        first = len(index.resources)
        for doc in lf.documents:
            index.problems.extend(doc.problems)
            dropped += [p for p in doc.problems if p.drops_document]
            if doc.data is None or not kube_file:
                continue
            for path, data in _objects(doc.data, ()):
                bad = _not_an_object(path, data)
                if bad is not None:
                    index.problems.append(InputProblem(ProblemKind.SHAPE, bad, lf.name, doc, path))
                    continue
                res, problems = make_resource(doc, path, data, file_namespace)
                index.problems.extend(problems)
                if res is not None:
                    res.context_only = context_only
                    index.add(res, owner_kinds)
        if dropped and (kube_file or not lf.documents):  # a values.yaml that does not parse loses no object
            here = frozenset({file_namespace, *(r.namespace for r in index.resources[first:] if r.namespace)})
            decoded = bool(lf.text or lf.documents)
            index.lost.extend(_lost(p, here, decoded) for p in dropped)
    index.lost.extend(lost)
    index.finish()
    return index


def _lost(p: InputProblem, file_namespaces: frozenset[str], decoded: bool) -> Lost:
    """A lost document: in the namespace its text shows, else in those of its file (a file not read: any)."""
    if p.kind is ProblemKind.RENDER:
        return Lost(p.file, p.line, frozenset({p.namespace}) if p.namespace else None, "a render that failed")
    if not decoded:
        return Lost(p.file, None, None, "a file that is not UTF-8 text")
    what = "a document that does not parse" if p.kind is ProblemKind.SYNTAX else "a document gwlint refuses to load"
    namespaces = frozenset({p.namespace}) if p.namespace else file_namespaces
    return Lost(p.file, p.line, namespaces, what)
