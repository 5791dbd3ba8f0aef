"""Pod labels that no pod template holds: set by Kubernetes controllers or by the app at run time.

A Service may select on such a label (a per-pod Service on
``statefulset.kubernetes.io/pod-name``, a Vault Service on ``vault-active: "true"``).
Comparing those keys with the template's labels would report a Service that does get
endpoints, so the Service rules compare only the other keys with the template, and
check what can be known about the controller's labels: which kinds of owner set them,
and for the name-bearing ones, which owner the value names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from gwlint.model.workloads import TEMPLATE_PATHS, Workload

CONTROLLER_LABELS: dict[str, frozenset[str]] = {
    "statefulset.kubernetes.io/pod-name": frozenset({"StatefulSet"}),
    "apps.kubernetes.io/pod-index": frozenset({"StatefulSet"}),
    "controller-revision-hash": frozenset({"StatefulSet", "DaemonSet"}),
    "pod-template-hash": frozenset({"Deployment"}),
    "rollouts-pod-template-hash": frozenset({"Rollout"}),
    "job-name": frozenset({"Job", "CronJob"}),
    "batch.kubernetes.io/job-name": frozenset({"Job", "CronJob"}),
    "controller-uid": frozenset({"Job", "CronJob"}),
    "batch.kubernetes.io/controller-uid": frozenset({"Job", "CronJob"}),
    "batch.kubernetes.io/job-completion-index": frozenset({"Job", "CronJob"}),
}
"""Labels a controller puts on every pod it creates, and the owner kinds whose controller does."""

RUNTIME_LABELS: dict[str, frozenset[str] | None] = {
    # Vault's Kubernetes service registration labels its own pod.
    "vault-active": None,
    "vault-sealed": None,
    "vault-initialized": None,
    "vault-perf-standby": None,
    "vault-version": None,
    # Spilo (Patroni, as run by the Zalando Postgres Operator) labels the leader and replicas.
    "spilo-role": None,
    # CloudNativePG labels each instance with its current role.
    "cnpg.io/instanceRole": None,
    # The Spotahome Redis operator labels the current master.
    "redisfailovers-role": None,
    # The MinIO operator labels the elected leader.
    "operator": frozenset({"leader"}),
}
"""Labels an app (or its operator) sets on its running pods as their role changes.

``None`` accepts any value; otherwise only the listed values are run-time ones (``operator``
is a common template label, only ``operator: leader`` is set at run time).
"""


def is_template_label(key: str, value: str) -> bool:
    """Whether a selector pair must be found in a pod template's own labels."""
    if key in CONTROLLER_LABELS:
        return False
    values = RUNTIME_LABELS.get(key, frozenset())
    return values is not None and value not in values


def template_part(selector: Mapping[str, str]) -> dict[str, str]:
    """The pairs of a Service selector that a pod template must hold itself."""
    return {k: v for k, v in selector.items() if is_template_label(k, v)}


def controller_mismatch(workload: Workload, selector: Mapping[str, str]) -> str | None:
    """Why the pods of ``workload`` never carry the selector's controller labels, or None.

    A template that spells the label out is compared as written. A kind that is not a
    built-in pod owner (declared in config) may set anything, so it always fits.
    """
    if workload.kind not in TEMPLATE_PATHS:
        return None
    name = workload.resource.name
    for key, value in selector.items():
        kinds = CONTROLLER_LABELS.get(key)
        if kinds is None:
            continue
        if key in workload.labels:
            if workload.labels[key] != value:
                return f"{key}: {value} vs {key}: {workload.labels[key]}"
            continue
        if workload.kind not in kinds:
            setters = " and ".join(sorted(kinds))
            return f"{key} is set on the pods of a {setters} only, not of a {workload.kind}"
        if key == "statefulset.kubernetes.io/pod-name" and not re.fullmatch(re.escape(name) + r"-\d+", value):
            return f"{key}: {value}, but the pods of this StatefulSet are {name}-0, {name}-1, ..."
        if key == "apps.kubernetes.io/pod-index" and not value.isdigit():
            return f"{key}: {value} is not an ordinal"
        if key.endswith("job-name") and not _job_of(workload, value):
            made = f"the Job is named {name}" if workload.kind == "Job" else f"its Jobs are named {name}-<time>"
            return f"{key}: {value}, but {made}"
    return None


def _job_of(workload: Workload, job: str) -> bool:
    """Whether ``job`` is the name of a Job this owner creates (a CronJob's carry a suffix)."""
    name = workload.resource.name
    return job == name if workload.kind == "Job" else job.startswith(name + "-")
