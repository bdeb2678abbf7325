"""Index functions the stages share (client-go `IndexFunc`s), each with the name it is registered under.

A lookup by name needs no index: `Lister.get(namespace, name)` (service accounts by name, bootstrap token
secrets by `bootstrap-token-<id>`).
"""

from __future__ import annotations

from mockapi.api.types import Obj

NAMESPACE_INDEX = "namespace"
"""client-go's `cache.NamespaceIndex`; every informer has it."""

BINDING_SUBJECT_INDEX = "subject"
"""RoleBindings and ClusterRoleBindings by the subjects they bind (`subject_keys` gives a user's keys)."""

POD_NODE_INDEX = "spec.nodeName"
"""Pods by the node they are bound to (the Node authorizer, kubelets); unscheduled pods are not filed."""

SECRET_TYPE_INDEX = "type"
"""Secrets by type (`bootstrap.kubernetes.io/token`, `kubernetes.io/service-account-token`, ...)."""

SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:"


def namespace_index(obj: Obj) -> list[str]:
    """client-go `MetaNamespaceIndexFunc`: the namespace, "" for cluster-scoped objects."""
    return [(obj.get("metadata") or {}).get("namespace") or ""]


def binding_subject_index(binding: Obj) -> list[str]:
    """`User:<name>`, `Group:<name>` and `ServiceAccount:<namespace>/<name>` for each subject.

    As RBAC's `appliesToUser`: the apiGroup is not compared, a ServiceAccount without a namespace is
    the binding's own (so one in a ClusterRoleBinding matches nobody and is not filed), and other kinds
    match nobody.
    """
    binding_namespace = (binding.get("metadata") or {}).get("namespace") or ""
    keys: list[str] = []
    for subject in binding.get("subjects") or []:
        kind, name = subject.get("kind"), subject.get("name") or ""
        if kind in ("User", "Group"):
            keys.append(f"{kind}:{name}")
        elif kind == "ServiceAccount":
            namespace = subject.get("namespace") or binding_namespace
            if namespace:
                keys.append(f"ServiceAccount:{namespace}/{name}")
    return keys


def subject_keys(user: str, groups: tuple[str, ...] | list[str]) -> list[str]:
    """The `BINDING_SUBJECT_INDEX` values whose bindings apply to this user: the user, each group, and
    the service account a `system:serviceaccount:<namespace>:<name>` user is."""
    keys = [f"User:{user}", *(f"Group:{group}" for group in groups)]
    if user.startswith(SERVICE_ACCOUNT_PREFIX):
        namespace, sep, name = user.removeprefix(SERVICE_ACCOUNT_PREFIX).partition(":")
        if sep and namespace and name and ":" not in name:
            keys.append(f"ServiceAccount:{namespace}/{name}")
    return keys


def pod_node_index(pod: Obj) -> list[str]:
    """`spec.nodeName`, or nothing for a pod not bound to a node."""
    node = (pod.get("spec") or {}).get("nodeName")
    return [node] if node else []


def secret_type_index(secret: Obj) -> list[str]:
    """The secret's type; an unset type is `Opaque`, as defaulting stores it."""
    return [secret.get("type") or "Opaque"]
