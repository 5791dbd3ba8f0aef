"""The Kubernetes version the manifests are applied to (config ``kube-version``, ``--kube-version``).

Some advice depends on it: the native ``sleep`` preStop action exists from 1.30, a
StatefulSet's ``maxUnavailable`` takes effect from 1.35. Rules compare it as a
``(major, minor)`` pair; patch releases never change what the rules check, so they are
accepted and dropped.

Every run imports this module (the default version is part of the settings), so it is
kept cheap: :class:`KubeVersion` is a plain ``tuple`` subclass (a ``NamedTuple`` builds
its class from generated source at every start) and the pattern is compiled only when a
version is parsed.
"""

from __future__ import annotations

import re

KUBE_VERSION_PATTERN = r"^v?[0-9]+\.[0-9]+(\.[0-9]+)?$"
"""What ``kube-version`` accepts: ``1.30``, ``v1.30``, ``1.30.2`` (as ``helm template --kube-version`` does)."""


class KubeVersion(tuple[int, int]):
    """A Kubernetes minor release, ordered so that ``version >= (1, 30)`` reads as it should."""

    __slots__ = ()

    def __new__(cls, major: int, minor: int) -> KubeVersion:
        return super().__new__(cls, (major, minor))

    @property
    def major(self) -> int:
        return self[0]

    @property
    def minor(self) -> int:
        return self[1]

    def __repr__(self) -> str:
        return f"KubeVersion(major={self[0]}, minor={self[1]})"

    def __str__(self) -> str:
        return f"{self[0]}.{self[1]}"

    def __getnewargs__(self) -> tuple[int, int]:  # pickled as its two fields, as __new__ takes them
        return (self[0], self[1])

    @classmethod
    def parse(cls, text: str) -> KubeVersion:
        """``1.30``, ``v1.30`` or ``1.30.2`` as a version; ValueError for anything else."""
        if not re.match(KUBE_VERSION_PATTERN, text):
            raise ValueError(f"{text!r} is not a Kubernetes version such as 1.30")
        major, minor = text.lstrip("v").split(".")[:2]
        return cls(int(major), int(minor))


NEWEST_KUBE_VERSION = KubeVersion(1, 35)
"""The newest release whose behaviour the rules know: what an unset ``kube-version`` means.

Raise it when a rule learns about a newer release (1.35: StatefulSet ``maxUnavailable`` on by default).
"""
