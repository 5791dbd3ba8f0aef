"""Which rules exist (built-in and plugins) and which of them a run selects."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from gwlint.engine.api import Rule

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

ENTRY_POINT_GROUP = "gwlint.rules"


class RuleSelectionError(ValueError):
    """An unknown rule id, name or prefix in ``--select``/``--ignore`` or config."""


class PluginError(RuntimeError):
    """A plugin's entry point could not be loaded."""


def builtin_rules() -> list[type[Rule]]:
    """The rules shipped with gwlint, in catalogue order."""
    from gwlint.rules import BUILTIN_RULES

    return list(BUILTIN_RULES)


def _may_declare(group: str) -> bool:
    """Whether an installed distribution may declare entry points of ``group`` (never a false no).

    ``importlib.metadata`` costs a fifth of a small run's time just to be imported (it
    pulls in email, zipfile and csv), and almost no installation has a gwlint plugin.
    So the ``entry_points.txt`` files it would read are scanned for the group's name
    first; anything this scan cannot see (an egg, a zip on ``sys.path``, a third-party
    distribution finder) answers yes, and ``importlib.metadata`` decides.
    """
    from importlib.machinery import PathFinder

    if any(hasattr(f, "find_distributions") and f is not PathFinder for f in sys.meta_path):
        return True
    for entry in sys.path:
        try:
            children = list(os.scandir(entry or "."))
        except NotADirectoryError:
            return True
        except OSError:
            continue
        for child in children:
            low = child.name.lower()
            if low.endswith(".egg"):
                return True
            if not low.endswith((".dist-info", ".egg-info")):
                continue
            try:
                with open(os.path.join(child.path, "entry_points.txt"), encoding="utf-8", errors="replace") as fh:
                    if group in fh.read():
                        return True
            except OSError:
                continue
    return False


def entry_points(group: str) -> Iterable[EntryPoint]:
    """``importlib.metadata.entry_points(group=group)``, imported only when some distribution may declare it."""
    if not _may_declare(group):
        return []
    from importlib.metadata import entry_points as declared

    return declared(group=group)


def plugin_rules() -> list[type[Rule]]:
    """Rules from the ``gwlint.rules`` entry point group (a module with ``RULES`` or a callable).

    Each rule learns the distribution that provides it (``Rule.plugin``), which names
    its options' namespace in the configuration.
    """
    found: list[type[Rule]] = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            obj = ep.load()
            items = obj() if callable(obj) and not isinstance(obj, type) else getattr(obj, "RULES", obj)
            dist = getattr(ep, "dist", None)
            provider = str(dist.name) if dist is not None and dist.name else ep.name
            for cls in items:
                if not (isinstance(cls, type) and issubclass(cls, Rule)):
                    raise PluginError(f"plugin {ep.name!r} provides {cls!r}, which is not a gwlint Rule")
                cls.plugin = provider
                found.append(cls)
        except PluginError:
            raise
        except Exception as exc:
            raise PluginError(f"cannot load rule plugin {ep.name!r} ({ep.value}): {exc}") from exc
    return found


def all_rules(include_plugins: bool = True) -> list[type[Rule]]:
    """Built-in rules, then plugin rules; ids and names must be unique."""
    rules = builtin_rules() + (plugin_rules() if include_plugins else [])
    ids: dict[str, type[Rule]] = {}
    names: dict[str, type[Rule]] = {}
    for cls in rules:
        for table, key in ((ids, cls.id), (names, cls.name)):
            if key in table and table[key] is not cls:
                raise PluginError(f"rule {key!r} is defined twice ({table[key].__module__}, {cls.__module__})")
            table[key] = cls
    return rules


def matches(cls: type[Rule], token: str) -> bool:
    """A selector token names a rule by id, name, or id prefix (``GW3``)."""
    token = token.strip()
    return token in (cls.id, cls.name) or (len(token) >= 2 and cls.id.upper().startswith(token.upper()))


def select_rules(
    rules: Sequence[type[Rule]], select: Iterable[str] | None, ignore: Iterable[str] | None
) -> list[type[Rule]]:
    """Rules named by ``select`` (all when empty) minus those named by ``ignore``."""
    select_tokens = [t for t in (select or []) if t.strip()]
    ignore_tokens = [t for t in (ignore or []) if t.strip()]
    for token in [*select_tokens, *ignore_tokens]:
        if token.upper() not in ("ALL",) and not any(matches(c, token) for c in rules):
            raise RuleSelectionError(f"unknown rule {token!r} (see `gwlint --list-rules`)")
    chosen = [c for c in rules if not select_tokens or any(t.upper() == "ALL" or matches(c, t) for t in select_tokens)]
    return [c for c in chosen if not any(t.upper() == "ALL" or matches(c, t) for t in ignore_tokens)]


def find_rule(rules: Sequence[type[Rule]], token: str) -> type[Rule] | None:
    """The rule a token names exactly (id, case-insensitive, or name)."""
    for c in rules:
        if token.upper() == c.id.upper() or token == c.name:
            return c
    return None
