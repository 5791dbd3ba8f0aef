"""Copies of one object across files are alternatives: pair each reference with the copy in its own file.

A repository often holds one render of a chart per values file (or per environment),
side by side: the same Deployment, Service and PDB, same names and namespace, once per
file. Each file is applied on its own, so an HPA or PDB of one render must not act on
the copy of another: a reference (an HPA's target, a PDB's or Service's selector, an
Ingress or route backend, a NetworkPolicy's pod selector) is paired with the copies in
its own file first, and with the copies in other files only when its own file has none
(a Service in ``service.yaml`` next to ``deployment.yaml``).

Copies are grouped by kind, namespace and name. Looking a group up by file is one
dictionary read, so N renders of one app lint in time linear in N.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from gwlint.model.service import Service
from gwlint.model.workloads import Workload

T = TypeVar("T", Workload, Service)


class Copies(Generic[T]):
    """Every copy of one object the input holds (usually one), and the copies of each file."""

    __slots__ = ("all", "by_file")

    def __init__(self) -> None:
        self.all: list[T] = []
        self.by_file: dict[str, list[T]] = {}

    def add(self, item: T) -> None:
        self.all.append(item)
        self.by_file.setdefault(item.resource.doc.file, []).append(item)

    def pick(self, file: str | None) -> list[T]:
        """The copies a reference written in ``file`` means: its own file's, else every copy.

        ``None``: a question about the object itself, not from a reference (every copy).
        """
        if file is None or len(self.by_file) == 1:
            return self.all
        return self.by_file.get(file, self.all)
