"""Kubernetes objects as the rules see them: identity, namespace defaulting, typed reads.

Every field a rule reads goes through :func:`get`, which checks its type. A wrong type
is recorded as a shape problem on the object (GW002 reports it) and read as absent, so rules never see
malformed data and never need to guard against it themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from gwlint.core.datapath import Path, dotted, type_name
from gwlint.core.findings import ResourceId
from gwlint.core.records import Record
from gwlint.loader.document import Document, InputProblem, ProblemKind

CLUSTER_SCOPED = frozenset(
    {
        "Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding",
        "CustomResourceDefinition", "StorageClass", "PriorityClass", "IngressClass",
        "GatewayClass", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
        "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "APIService",
        "CSIDriver", "CSINode", "RuntimeClass", "VolumeAttachment", "ClusterIssuer",
        "PodSecurityPolicy", "ComponentStatus", "CertificateSigningRequest",
        "FlowSchema", "PriorityLevelConfiguration", "ClusterTriggerAuthentication",
    }
)  # fmt: skip


class Resource(Record):
    """One Kubernetes object: a document, or an item of a ``kind: List``."""

    __slots__ = (
        "annotations",
        "api_version",
        "context_only",
        "data",
        "doc",
        "kind",
        "labels",
        "name",
        "namespace",
        "path",
        "problems",
    )

    doc: Document
    path: Path
    data: dict[str, Any]
    api_version: str
    kind: str
    namespace: str
    name: str
    labels: dict[str, str]
    annotations: dict[str, str]
    problems: list[InputProblem]
    context_only: bool

    def __init__(
        self,
        doc: Document,
        path: Path,
        data: dict[str, Any],
        api_version: str,
        kind: str,
        namespace: str,
        name: str,
        labels: dict[str, str],
        annotations: dict[str, str],
        problems: list[InputProblem] | None = None,
        context_only: bool = False,
    ) -> None:
        self.doc = doc
        self.path = path
        self.data = data
        self.api_version = api_version
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.labels = labels
        self.annotations = annotations
        self.problems = [] if problems is None else problems
        self.context_only = context_only

    @property
    def group(self) -> str:
        """The API group: ``apps`` for ``apps/v1``, empty for the core group."""
        return self.api_version.rpartition("/")[0] if "/" in self.api_version else ""

    @property
    def id(self) -> ResourceId:
        return ResourceId(self.group, self.kind, self.namespace, self.name)

    @property
    def resource(self) -> Resource:
        """Itself: lets the engine name the object behind any rule subject."""
        return self

    @property
    def is_helm_test(self) -> bool:
        """Helm test hooks (``helm.sh/hook: test*``) are skipped by every rule."""
        hook = self.annotations.get("helm.sh/hook", "")
        return any(h.strip().startswith("test") for h in hook.split(","))

    def display(self) -> str:
        return self.id.display()


_EXPECT: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "mapping": ("a mapping", lambda v: isinstance(v, dict)),
    "list": ("a list", lambda v: isinstance(v, list)),
    "string": ("a string", lambda v: isinstance(v, str)),
    "integer": ("an integer", lambda v: isinstance(v, int) and not isinstance(v, bool)),
    "int-or-string": (
        "an integer or a string",
        lambda v: isinstance(v, str) or (isinstance(v, int) and not isinstance(v, bool)),
    ),
    "boolean": ("a boolean", lambda v: isinstance(v, bool)),
    "number": (
        "a number",
        lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    ),
}


def field_problem(res: Resource, path: Path, message: str) -> None:
    """Record a field of the wrong type on the object (``path`` relative to it): a shape problem."""
    res.problems.append(InputProblem(ProblemKind.SHAPE, message, res.doc.file, res.doc, (*res.path, *path)))


def get(res: Resource, parent: Any, ppath: Path, key: str | int, expect: str) -> Any:
    """The value of ``parent[key]`` if it has the expected type; else record a shape problem, return None.

    ``None``/absent values read as None without a problem (Kubernetes treats null as unset).
    """
    if isinstance(key, int):
        if not isinstance(parent, list) or not 0 <= key < len(parent):
            return None
        value = parent[key]
    else:
        if not isinstance(parent, dict):
            return None
        value = parent.get(key)
    if value is None:
        return None
    what, ok = _EXPECT[expect]
    if ok(value):
        return value
    shown = repr(value) if isinstance(value, (str, int, float)) else type_name(value)
    field_problem(
        res,
        (*ppath, key),
        f"`{dotted((*ppath, key))}` must be {what}, not {type_name(value)} ({shown})"
        if shown != type_name(value)
        else f"`{dotted((*ppath, key))}` must be {what}, not {type_name(value)}",
    )
    return None


def get_in(res: Resource, path: Path, expect: str) -> Any:
    """:func:`get` along a whole path from the object root; intermediate levels must be mappings."""
    parent: Any = res.data
    for i, key in enumerate(path[:-1]):
        parent = get(res, parent, path[:i], key, "list" if isinstance(path[i + 1], int) else "mapping")
        if parent is None:
            return None
    return get(res, parent, path[:-1], path[-1], expect)


def string_map(res: Resource, parent: Any, ppath: Path, key: str) -> dict[str, str]:
    """A ``map[string]string`` field (labels, selectors); non-string values are shape problems and dropped."""
    raw = get(res, parent, ppath, key, "mapping")
    if not raw:
        return {}
    out: dict[str, str] = {}
    for k, v in raw.items():
        if isinstance(v, str) and isinstance(k, str):
            out[k] = v
        elif (isinstance(k, str) and isinstance(v, (int, float, bool))) or v is None:
            field_problem(
                res, (*ppath, key, k), f"`{dotted((*ppath, key, k))}` must be a string, not {type_name(v)}: quote it"
            )
        else:
            field_problem(res, (*ppath, key, k), f"`{dotted((*ppath, key, k))}` must be a string")
    return out


def is_operator_object(res: Resource) -> bool:
    """An object of a third-party API group (``ray.io``, ``monitoring.coreos.com``).

    Operators create Services and pods named or labelled after such objects, so a
    reference to something missing from the input may be satisfied by an operator.
    """
    return "." in res.group and not res.group.endswith(".k8s.io")


def is_kubernetes_like(data: Any) -> bool:
    """A mapping that claims to be a Kubernetes object (has ``apiVersion`` or ``kind``).

    Tool configuration files shaped like objects are not: a pre-commit hook on
    ``types: [yaml]`` meets them in every cluster repository, and none is ever applied.
    """
    return isinstance(data, dict) and ("apiVersion" in data or "kind" in data) and not _is_tool_config(data)


# API groups of configuration files read by tools, never sent to a cluster: kustomize's
# Kustomization and Component, kind's Cluster, kubeadm's configurations. Every
# `*.config.k8s.io` group (kubelet, kube-proxy, kube-scheduler, apiserver) is one too.
_TOOL_CONFIG_GROUPS = frozenset({"kind.x-k8s.io", "kubeadm.k8s.io"})


def _is_tool_config(data: Mapping[str, Any]) -> bool:
    api = data.get("apiVersion")
    if not isinstance(api, str):
        return False
    if "kind" not in data and api in ("v1", "v2") and "name" in data and "version" in data:
        return True  # a Helm Chart.yaml
    group = api.rpartition("/")[0]
    return group.endswith(".config.k8s.io") or group in _TOOL_CONFIG_GROUPS


def make_resource(
    doc: Document, path: Path, data: Mapping[str, Any], default_namespace: str
) -> tuple[Resource | None, list[InputProblem]]:
    """A :class:`Resource` for an object, or the shape problems that make it not one."""
    problems: list[InputProblem] = []

    def bad(where: Path, message: str) -> None:
        problems.append(InputProblem(ProblemKind.SHAPE, message, doc.file, doc, (*path, *where)))

    api_version = data.get("apiVersion")
    kind = data.get("kind")
    meta = data.get("metadata")
    for key, value in (("apiVersion", api_version), ("kind", kind)):
        if value is None:
            bad((key,), f"not a Kubernetes object: `{key}` is missing")
        elif not isinstance(value, str) or not value:
            bad((key,), f"`{key}` must be a non-empty string, not {type_name(value)}")
    name: Any = None
    if meta is None:
        bad(("kind",), "`metadata` is missing")
    elif not isinstance(meta, dict):
        bad(("metadata",), f"`metadata` must be a mapping, not {type_name(meta)}")
    else:
        name = meta.get("name") or meta.get("generateName")
        if name is None:
            bad(("metadata",), "`metadata.name` is missing")
        elif not isinstance(name, str):
            bad(("metadata", "name"), f"`metadata.name` must be a string, not {type_name(name)}")
    if problems:
        return None, problems
    assert isinstance(meta, dict) and isinstance(kind, str) and isinstance(api_version, str)
    res = Resource(
        doc=doc,
        path=path,
        data=dict(data),
        api_version=api_version,
        kind=kind,
        namespace="",
        name=str(name),
        labels={},
        annotations={},
    )
    ns = get(res, meta, ("metadata",), "namespace", "string")
    res.namespace = "" if kind in CLUSTER_SCOPED else (ns or default_namespace)
    res.labels = string_map(res, meta, ("metadata",), "labels")
    res.annotations = string_map(res, meta, ("metadata",), "annotations")
    return res, []
