"""Deprecated: the rule API moved to :mod:`gwlint.engine.api`; import it from there.

Kept so that plugins written against gwlint 0.1 (``from gwlint.rule import Rule,
Context``) still load; importing it warns. It will be removed in gwlint 0.3.
"""

from __future__ import annotations

import warnings

from gwlint.core.datapath import Path
from gwlint.core.findings import Finding, Location, Severity
from gwlint.engine.api import Context, Related, Rule

warnings.warn(
    "gwlint.rule is deprecated: import Rule, Context and Related from gwlint.engine.api",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["Context", "Finding", "Location", "Path", "Related", "Rule", "Severity"]
