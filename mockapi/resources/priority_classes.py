"""PriorityClass facts and strategy validation (pkg/apis/scheduling: SystemPriorityClasses,
ValidatePriorityClass, ValidatePriorityClassUpdate)."""

from __future__ import annotations

from mockapi.api import errors
from mockapi.api.types import Obj

HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000
SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY
SYSTEM_PREFIX = "system-"
DEFAULT_PREEMPTION_POLICY = "PreemptLowerPriority"

SYSTEM_PRIORITY_CLASSES: tuple[Obj, ...] = (
    {
        "metadata": {"name": "system-node-critical"},
        "value": SYSTEM_CRITICAL_PRIORITY + 1000,
        "description": "Used for system critical pods that must not be moved from their current node.",
    },
    {
        "metadata": {"name": "system-cluster-critical"},
        "value": SYSTEM_CRITICAL_PRIORITY,
        "description": (
            "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."
        ),
    },
)
"""pkg/apis/scheduling/v1 SystemPriorityClasses, in bootstrap order (globalDefault false)."""


def class_name(obj: Obj) -> str:
    return str((obj.get("metadata") or {}).get("name") or "")


def class_value(pc: Obj) -> int:
    value = pc.get("value")
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def priority_class_errors(pc: Obj, old: Obj | None) -> list[errors.FieldError]:
    """ValidatePriorityClass (create) and ValidatePriorityClassUpdate's value rule, beyond object metadata."""
    if old is not None:
        if class_value(pc) != class_value(old):
            return [errors.forbidden_field("value", "may not be changed in an update.")]
        return []
    name = class_name(pc)
    if name.startswith(SYSTEM_PREFIX):
        problem = unknown_system_class(name, class_value(pc), pc.get("globalDefault") is True)
        if problem:
            return [
                errors.forbidden_field(
                    "metadata.name",
                    f"priority class names with '{SYSTEM_PREFIX}' prefix are reserved for system use only. "
                    f"error: {problem}",
                )
            ]
    elif class_value(pc) > HIGHEST_USER_DEFINABLE_PRIORITY:
        return [
            errors.forbidden_field(
                "value", f"maximum allowed value of a user defined priority is {HIGHEST_USER_DEFINABLE_PRIORITY}"
            )
        ]
    return []


def unknown_system_class(name: str, value: int, global_default: bool) -> str:
    """IsKnownSystemPriorityClass: "" when name, value and globalDefault match a system class."""
    for spc in SYSTEM_PRIORITY_CLASSES:
        if class_name(spc) == name:
            if class_value(spc) != value:
                return f"value of {name} PriorityClass must be {class_value(spc)}"
            if global_default:
                return f"globalDefault of {name} PriorityClass must be false"
            return ""
    return f"{name} is not a known system priority class"
