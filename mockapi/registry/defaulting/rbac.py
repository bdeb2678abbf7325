"""Defaulters for rbac.authorization.k8s.io/v1 (pkg/apis/rbac/v1/defaults.go).

A binding's `roleRef.apiGroup` defaults to the RBAC group; a subject's `apiGroup` to the RBAC group
for User and Group subjects and to "" (omitted in JSON) for ServiceAccount subjects.
"""

from __future__ import annotations

from collections.abc import Callable

from mockapi.registry.defaulting._fields import Obj, each, set_if_empty, sub

RBAC_GROUP = "rbac.authorization.k8s.io"

_SUBJECT_GROUPS = {"ServiceAccount": "", "User": RBAC_GROUP, "Group": RBAC_GROUP}


def binding(obj: Obj) -> None:
    role_ref = sub(obj, "roleRef")
    if role_ref is not None:
        set_if_empty(role_ref, "apiGroup", RBAC_GROUP)
    for subject in each(obj, "subjects"):
        kind = subject.get("kind")
        if not subject.get("apiGroup") and isinstance(kind, str) and kind in _SUBJECT_GROUPS:
            subject["apiGroup"] = _SUBJECT_GROUPS[kind]
        if subject.get("apiGroup") == "":
            del subject["apiGroup"]  # `apiGroup,omitempty`: an empty group is not written


DEFAULTERS: dict[str, Callable[[Obj], None]] = {"RoleBinding": binding, "ClusterRoleBinding": binding}
"""Kind -> defaulter for rbac.authorization.k8s.io/v1. Roles have no defaults."""
