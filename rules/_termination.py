"""Kubernetes termination facts shared by the preStop rules (GW401, GW402).

Kept in one place so that both rules agree on the default grace period and on which
release has the native ``sleep`` action, and never both report one hook.
"""

from __future__ import annotations

DEFAULT_GRACE = 30
"""``terminationGracePeriodSeconds`` when the pod spec does not set it."""

MINIMUM_GRACE = 2
"""Seconds the kubelet always leaves between SIGTERM and SIGKILL after the hook (``minimumGracePeriodInSeconds``)."""

SLEEP_ACTION_SINCE = (1, 30)
"""The first Kubernetes release with the native ``sleep`` preStop action on by default (alpha, off, in 1.29)."""
