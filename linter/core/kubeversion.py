"""The Kubernetes version the manifests are applied to (config ``kube-version``, ``--kube-version``).

Some advice depends on it: the native ``sleep`` preStop action exists from 1.30, a
StatefulSet's ``maxUnavailable`` takes effect from 1.35. Rules compare it as a
``(major, minor)`` pair; patch releases never change what the rules check, so they are
accepted and dropped.
"""

from __future__ import annotations

import re
from typing import NamedTuple

KUBE_VERSION_PATTERN = r"^v?[0-9]+\.[0-9]+(\.[0-9]+)?$"
"""What ``kube-version`` accepts: ``1.30``, ``v1.30``, ``1.30.2`` (as ``helm template --kube-version`` does)."""

_PATTERN = re.compile(KUBE_VERSION_PATTERN)


class KubeVersion(NamedTuple):
    """A Kubernetes minor release, ordered so that ``version >= (1, 30)`` reads as it should."""

    major: int
    minor: int

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"

    @classmethod
    def parse(cls, text: str) -> KubeVersion:
        """``1.30``, ``v1.30`` or ``1.30.2`` as a version; ValueError for anything else."""
        if not _PATTERN.match(text):
            raise ValueError(f"{text!r} is not a Kubernetes version such as 1.30")
        major, minor = text.lstrip("v").split(".")[:2]
        return cls(int(major), int(minor))


NEWEST_KUBE_VERSION = KubeVersion(1, 35)
"""The newest release whose behaviour the rules know: what an unset ``kube-version`` means.

Raise it when a rule learns about a newer release (1.35: StatefulSet ``maxUnavailable`` on by default).
"""
