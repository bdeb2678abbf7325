"""Kind-specific validation beyond object metadata (pkg/apis/<group>/validation), the commonest rules.

Only rules a user commonly trips over are here yet; the schema-driven checks arrive with field
validation (issue 3).
"""

from __future__ import annotations

from collections.abc import Callable

from mockapi.api.errors import FieldError, required
from mockapi.api.types import Obj
from mockapi.resources.priority_classes import priority_class_errors
from mockapi.resources.types import ResourceType

Validator = Callable[[Obj, Obj | None], list[FieldError]]
"""(new object, stored object on update or None on create) -> field errors."""


def _containers(spec: Obj, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    containers = spec.get("containers")
    if not containers:
        errs.append(required(f"{path}.containers"))
        return errs
    for i, c in enumerate(containers):
        if not isinstance(c, dict):
            continue
        if not c.get("name"):
            errs.append(required(f"{path}.containers[{i}].name"))
        if not c.get("image"):
            errs.append(required(f"{path}.containers[{i}].image"))
    return errs


def _pod(obj: Obj, old: Obj | None) -> list[FieldError]:
    return _containers(obj.get("spec") or {}, "spec")


def _workload(obj: Obj, old: Obj | None) -> list[FieldError]:
    spec = obj.get("spec") or {}
    errs: list[FieldError] = []
    if not spec.get("selector"):
        errs.append(required("spec.selector"))
    template = spec.get("template") or {}
    errs.extend(_containers(template.get("spec") or {}, "spec.template.spec"))
    return errs


_VALIDATORS: dict[tuple[str, str], Validator] = {
    ("", "pods"): _pod,
    ("apps", "deployments"): _workload,
    ("apps", "replicasets"): _workload,
    ("apps", "statefulsets"): _workload,
    ("apps", "daemonsets"): _workload,
    ("scheduling.k8s.io", "priorityclasses"): priority_class_errors,
}


def validate_kind(rt: ResourceType, obj: Obj, old: Obj | None = None) -> list[FieldError]:
    validator = _VALIDATORS.get((rt.group, rt.plural))
    return validator(obj, old) if validator else []
