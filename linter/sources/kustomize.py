"""From a built kustomize object's field back to the base or patch line that sets it.

The build runs through a wrapper kustomization with ``buildMetadata: [originAnnotations,
transformerAnnotations]`` (see :mod:`gwlint.sources.render`), so every object says where
it came from: ``config.kubernetes.io/origin`` names the base file (or, for a generated
object, the kustomization holding the generator), and
``alpha.config.kubernetes.io/transformations`` names each kustomization whose
transformers ran on it, in order. Both annotations are removed before anything is linted.

A field is placed, in this order:

1. the last patch that touches it, among the patches of the kustomizations named in the
   transformations (strategic-merge patches, files or inline, and JSON 6902 operations,
   whose ``path`` is the field or one of its parents; a ``remove`` counts, since it is why
   a field is missing); kustomize records no patch file, so targets are matched by kind
   and name (or the entry's ``target``), as kustomize matches them;
2. the field in the base file, with list items matched by ``name`` (a missing field at its
   nearest parent, as in a plain manifest);
3. the generator entry of the kustomization that made the object (ConfigMapGenerator,
   SecretGenerator): the ``options`` (or ``generatorOptions``) line that writes an
   annotation or a label, else the entry's ``name``;
4. the object's first line in its base, or the root kustomization for a remote base.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path as FsPath
from typing import Any

from gwlint.core.datapath import Path
from gwlint.core.records import Value
from gwlint.sources.files import kustomization_file
from gwlint.sources.places import BEST_EFFORT, EXACT, FALLBACK, Place, translate, walk
from gwlint.sources.yamldata import YamlFiles, parse, parse_all, read_yaml_all

ORIGIN = "config.kubernetes.io/origin"
TRANSFORMATIONS = "alpha.config.kubernetes.io/transformations"
_PATCH_KINDS = ("PatchTransformer", "PatchStrategicMergeTransformer", "PatchJson6902Transformer")


class KustomizeDoc(Value):
    """One built object: its data (annotations removed) and where kustomize says it came from."""

    __slots__ = ("data", "generator", "origin", "remote", "start", "transformers")

    data: Any
    start: int
    """0-based line of the object's first line in the build output."""
    origin: FsPath | None
    """The file that defined the object (None for generated or remote objects)."""
    generator: tuple[FsPath, str] | None
    """The kustomization and generator kind that made a generated object."""
    remote: bool
    transformers: list[tuple[FsPath, str]]
    """Kustomizations whose transformers ran on the object, in order, with the transformer kind."""

    def __init__(
        self,
        data: Any,
        start: int,
        origin: FsPath | None,
        generator: tuple[FsPath, str] | None,
        remote: bool,
        transformers: list[tuple[FsPath, str]],
    ) -> None:
        self.data = data
        self.start = start
        self.origin = origin
        self.generator = generator
        self.remote = remote
        self.transformers = transformers


def strip_origins(documents: Sequence[tuple[int, Any]], base: str) -> list[KustomizeDoc]:
    """Each built object's origins, read from its build-metadata annotations, which are removed from its data.

    ``documents`` are (first line, data) of the build output as loaded; the data is
    changed in place, so that no rule sees the annotations the wrapper added. The
    annotations' own text is small YAML that repeats across objects (one transformer
    list per kustomization), so each distinct text is parsed once.
    """
    docs: list[KustomizeDoc] = []
    for start, data in documents:
        origin: FsPath | None = None
        generator: tuple[FsPath, str] | None = None
        remote = False
        transformers: list[tuple[FsPath, str]] = []
        meta = data.get("metadata") if isinstance(data, dict) else None
        notes = meta.get("annotations") if isinstance(meta, dict) else None
        if isinstance(notes, dict):
            raw_origin = notes.pop(ORIGIN, None)
            raw_trans = notes.pop(TRANSFORMATIONS, None)
            if not notes and isinstance(meta, dict):
                del meta["annotations"]
            o = _parsed(raw_origin) if isinstance(raw_origin, str) else None
            if isinstance(o, dict):
                if o.get("repo"):
                    remote = True
                elif isinstance(o.get("path"), str):
                    origin = _resolve(base, o["path"])
                elif isinstance(o.get("configuredIn"), str):
                    by = o.get("configuredBy")
                    kind = by.get("kind") if isinstance(by, dict) else None
                    generator = (_resolve(base, o["configuredIn"]), str(kind or ""))
            t = _parsed(raw_trans) if isinstance(raw_trans, str) else None
            for item in t if isinstance(t, list) else []:
                if isinstance(item, dict) and isinstance(item.get("configuredIn"), str):
                    by = item.get("configuredBy")
                    kind = by.get("kind") if isinstance(by, dict) else ""
                    transformers.append((_resolve(base, item["configuredIn"]), str(kind)))
        docs.append(KustomizeDoc(data, start, origin, generator, remote, transformers))
    return docs


@lru_cache(maxsize=4096)
def _parsed(text: str) -> Any:
    """An annotation's YAML, parsed once per distinct text (never changed by its callers)."""
    return parse(text)


def _resolve(base: str, rel: str) -> FsPath:
    return FsPath(os.path.normpath(os.path.join(base, rel)))


def _object_doc(docs: list[Any], kind: str | None, name: str | None) -> int:
    """Which document of a base file holds the object (its name may have gained a prefix or suffix)."""
    best = None
    for i, d in enumerate(docs):
        if not isinstance(d, dict) or d.get("kind") != kind:
            continue
        base_name = d.get("metadata", {}).get("name") if isinstance(d.get("metadata"), dict) else None
        if base_name == name:
            return i
        if isinstance(base_name, str) and isinstance(name, str) and base_name in name and best is None:
            best = i
    return best if best is not None else 0


def _matches(target: dict[str, Any], data: dict[str, Any], base_name: str | None) -> bool:
    meta: dict[str, Any] = data["metadata"] if isinstance(data.get("metadata"), dict) else {}
    names = {meta.get("name"), base_name} - {None}
    for key in ("kind", "name", "namespace", "group", "version"):
        want = target.get(key)
        if want is None:
            continue
        if key == "kind":
            have = {data.get("kind")}
        elif key == "name":
            have = names
        elif key == "namespace":
            have = {meta.get("namespace")}
        elif key == "group":
            api = str(data.get("apiVersion", ""))
            have = {api.split("/")[0] if "/" in api else ""}
        else:
            have = {str(data.get("apiVersion", "")).split("/")[-1]}
        try:
            if not any(isinstance(h, str) and re.fullmatch(str(want), h) for h in have):
                return False
        except re.error:
            if want not in have:
                return False
    return True


def _generated(kfile: FsPath, k: dict[str, Any], entry: Path, data: dict[str, Any], path: Path) -> Place:
    """The generator entry's line for a field of the object it made.

    Its name is the entry's ``name``; an annotation or label is the entry's ``options``
    key, else the kustomization's ``generatorOptions`` key that writes it; anything else
    (the data) is placed on the entry's name.
    """
    if path[:1] == ("metadata",) and len(path) >= 3 and path[1] in ("annotations", "labels"):
        field, key = path[1], path[2]
        holders = ((data.get("options"), (*entry, "options")), (k.get("generatorOptions"), ("generatorOptions",)))
        for holder, where in holders:
            written = holder.get(field) if isinstance(holder, dict) else None
            if isinstance(written, dict) and key in written:
                return Place(kfile, path=(*where, field, key), precision=EXACT, note="generator")
    exact = path[:2] == ("metadata", "name")
    return Place(kfile, path=(*entry, "name"), precision=EXACT if exact else BEST_EFFORT, note="generator")


class PatchEntry(Value):
    """One entry of a kustomization's patch lists: a patch file, or a patch written inline."""

    __slots__ = ("file", "inline", "path", "target")

    path: Path
    """Where the entry is in its kustomization (``("patches", 0)``); an inline patch's text is at it."""
    file: FsPath | None
    inline: str | None
    target: dict[str, Any] | None

    def __init__(self, path: Path, file: FsPath | None, inline: str | None, target: dict[str, Any] | None) -> None:
        self.path = path
        self.file = file
        self.inline = inline
        self.target = target


def patch_entries(kfile: FsPath, k: dict[str, Any]) -> list[PatchEntry]:
    """The patches of one kustomization, in the order kustomize applies them."""
    out = []
    for key in ("patchesStrategicMerge", "patchesJson6902", "patches"):
        items = k.get(key)
        for i, item in enumerate(items if isinstance(items, list) else []):
            target = item.get("target") if isinstance(item, dict) else None
            target = target if isinstance(target, dict) else None
            if isinstance(item, str):
                file_ref, inline = (None, item) if "\n" in item else (item, None)
            elif isinstance(item, dict):
                file_ref = item.get("path") if isinstance(item.get("path"), str) else None
                inline = item.get("patch") if isinstance(item.get("patch"), str) else None
            else:
                continue
            if file_ref is not None:
                out.append(
                    PatchEntry(
                        (key, i, "path") if isinstance(item, dict) else (key, i),
                        FsPath(os.path.normpath(kfile.parent / file_ref)),
                        None,
                        target,
                    )
                )
            elif inline is not None:
                out.append(PatchEntry((key, i) if isinstance(item, str) else (key, i, "patch"), None, inline, target))
    return out


_UNMATCHED = re.compile(r"(?:strategic merge patch|target for patch) \"?([A-Z][\w]*)\.[^./\s]+\.[^/\s]+/(.+?)\.\[")


def unmatched_patch(kustomizations: list[tuple[FsPath, dict[str, Any]]], message: str) -> Place | None:
    """The patch entry a failed build names by the object it found nothing to patch in.

    kustomize says ``no resource matches strategic merge patch "Service.v1.[noGrp]/api.[noNs]"``,
    naming the patch's kind and name, not its file.
    """
    m = _UNMATCHED.search(message)
    if m is None:
        return None
    kind, name = m.group(1), m.group(2)
    for kfile, k in kustomizations:
        for entry in patch_entries(kfile, k):
            docs = read_yaml_all(entry.file) if entry.file is not None else parse_all(entry.inline or "")
            for d in docs:
                meta = d.get("metadata") if isinstance(d, dict) else None
                if isinstance(meta, dict) and d.get("kind") == kind and meta.get("name") == name:
                    return Place(kfile, path=entry.path)
    return None


def _pointer(text: str) -> Path:
    out: list[str | int] = []
    for part in text.strip("/").split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        out.append(int(part) if part.isdigit() else part)
    return tuple(out)


class OverlayMapper:
    """Maps the fields of one overlay build to base and patch lines."""

    def __init__(self, root: FsPath, files: YamlFiles) -> None:
        self.root = root
        self.files = files

    def _file_docs(self, file: FsPath) -> list[Any]:
        return self.files.documents(file)

    def _kustomization(self, file: FsPath) -> dict[str, Any]:
        data = self.files.data(file)
        return data if isinstance(data, dict) else {}

    def places(self, doc: KustomizeDoc, path: Path) -> list[Place]:
        """The places of a field, best first."""
        data = doc.data if isinstance(doc.data, dict) else {}
        base_place, base_name = self._base(doc, data, path)
        patch = self._patch(doc, data, base_name, path)
        out = [p for p in (patch, base_place) if p is not None]
        if not out:
            root_file = kustomization_file(self.root)
            if root_file is not None:
                out.append(Place(root_file, precision=FALLBACK, note="kustomization"))
        return out

    def _base(self, doc: KustomizeDoc, data: dict[str, Any], path: Path) -> tuple[Place | None, str | None]:
        kind = data.get("kind")
        meta: dict[str, Any] = data["metadata"] if isinstance(data.get("metadata"), dict) else {}
        name = meta.get("name")
        if doc.origin is not None:
            docs = self._file_docs(doc.origin)
            i = _object_doc(docs, kind, name)
            base = docs[i] if i < len(docs) else None
            bmeta = base.get("metadata") if isinstance(base, dict) else None
            base_name = bmeta.get("name") if isinstance(bmeta, dict) else None
            if base is None:
                return Place(doc.origin, precision=FALLBACK, note="base"), base_name
            _, present = walk(data, path)
            bpath, whole = translate(data, base, path[:present])
            precision = EXACT if whole else BEST_EFFORT
            return Place(doc.origin, doc=i, path=bpath, precision=precision, note="base"), base_name
        if doc.generator is not None:
            kfile, gkind = doc.generator
            key = {"ConfigMapGenerator": "configMapGenerator", "SecretGenerator": "secretGenerator"}.get(gkind)
            k = self._kustomization(kfile)
            entries = k.get(key) if key else None
            if key and isinstance(entries, list):
                for i, e in enumerate(entries):
                    gname = e.get("name") if isinstance(e, dict) else None
                    if isinstance(gname, str) and isinstance(name, str) and gname in name:
                        return _generated(kfile, k, (key, i), e, path), gname
            return Place(kfile, path=(key,) if key else (), precision=FALLBACK, note="generator"), None
        return None, None

    def _patch(self, doc: KustomizeDoc, data: dict[str, Any], base_name: str | None, path: Path) -> Place | None:
        """The last patch of the transformation chain that touches ``path``."""
        found: Place | None = None
        seen: set[FsPath] = set()
        for kfile, tkind in doc.transformers:
            if tkind not in _PATCH_KINDS or kfile in seen:
                continue
            seen.add(kfile)
            for place in self._patches_of(kfile, data, base_name, path):
                found = place
        return found

    def _patches_of(self, kfile: FsPath, data: dict[str, Any], base_name: str | None, path: Path) -> list[Place]:
        out: list[Place] = []
        for entry in patch_entries(kfile, self._kustomization(kfile)):
            target = entry.target
            if target is not None and not _matches(target, data, base_name):
                continue
            if entry.file is not None:
                pdocs = self._file_docs(entry.file)
                where: tuple[FsPath, Path | None] = (entry.file, None)
            else:
                pdocs = self.files.parsed(entry.inline or "")
                where = (kfile, entry.path)
            place = self._touch(pdocs, where, data, base_name, path, target is not None)
            if place is not None:
                out.append(place)
        return out

    def _touch(
        self,
        pdocs: list[Any],
        where: tuple[FsPath, Path | None],
        data: dict[str, Any],
        base_name: str | None,
        path: Path,
        targeted: bool,
    ) -> Place | None:
        file, holder = where
        note = "patch"

        def make(doc_index: int, p: Path) -> Place:
            if holder is None:
                return Place(file, doc=doc_index, path=p, precision=EXACT, note=note)
            return Place(file, path=holder, inner=p, precision=EXACT, note=note)

        if len(pdocs) == 1 and isinstance(pdocs[0], list):  # JSON 6902 operations
            hit: Place | None = None
            for j, op in enumerate(pdocs[0]):
                if not isinstance(op, dict) or not isinstance(op.get("path"), str):
                    continue
                target = _pointer(op["path"])
                if path[: len(target)] == target:
                    rest = path[len(target) :]
                    if rest and op.get("op") in ("add", "replace"):
                        _, depth = walk(op.get("value"), rest)
                        hit = make(0, (j, "value", *rest[:depth]) if depth else (j, "path"))
                    else:
                        hit = make(0, (j, "value") if op.get("op") in ("add", "replace") else (j, "path"))
            return hit
        for j, pdoc in enumerate(pdocs):
            if not isinstance(pdoc, dict):
                continue
            if not targeted:
                meta: dict[str, Any] = pdoc["metadata"] if isinstance(pdoc.get("metadata"), dict) else {}
                if pdoc.get("kind") != data.get("kind"):
                    continue
                dmeta: dict[str, Any] = data["metadata"] if isinstance(data.get("metadata"), dict) else {}
                if meta.get("name") not in (base_name, dmeta.get("name")):
                    continue
            ppath, whole = translate(data, pdoc, path)
            if whole or (ppath and not isinstance(walk(pdoc, ppath)[0], (dict, list))):
                return make(j, ppath)
        return None
