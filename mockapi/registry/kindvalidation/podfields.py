"""Small helpers shared by the pod validators: typed reads of a JSON object and the path checks that
several pod fields share (validateLocalDescendingPath and friends).

The objects reaching validation have been decoded and defaulted, so fields have their schema types; the
readers still tolerate anything else by returning the Go zero value.
"""

from __future__ import annotations

from typing import Any

from mockapi.api.errors import FieldError, invalid, not_supported, required
from mockapi.api.selectors import qualified_name_errors
from mockapi.api.types import Obj
from mockapi.registry.defaulting.quantity import Quantity, canonical, parse

FILE_MODE_ERROR = "must be a number between 0 and 0777 (octal), both inclusive"
IS_NEGATIVE_ERROR = "must be greater than or equal to 0"


def obj(value: Any) -> Obj:
    """A JSON object, or {} (a nil struct pointer reads as its zero value)."""
    return value if isinstance(value, dict) else {}


def items(value: Any) -> list[Obj]:
    """The objects of a JSON array (non-objects read as the zero struct)."""
    return [v if isinstance(v, dict) else {} for v in value] if isinstance(value, list) else []


def strs(value: Any) -> list[str]:
    return [v if isinstance(v, str) else "" for v in value] if isinstance(value, list) else []


def text(holder: Obj, key: str) -> str:
    value = holder.get(key)
    return value if isinstance(value, str) else ""


def number(holder: Obj, key: str) -> int | None:
    """An integer field, None when unset (a nil pointer)."""
    value = holder.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def integer(holder: Obj, key: str) -> int:
    """An integer field with Go's zero value for unset."""
    return number(holder, key) or 0


def quantity(raw: Any) -> Quantity | None:
    return parse(raw)


def quantity_string(raw: Any) -> str:
    """Quantity.String() of a JSON quantity (already canonical after defaulting)."""
    q = parse(raw)
    return canonical(q) if q is not None else str(raw)


def file_mode_errors(holder: Obj, key: str, path: str) -> list[FieldError]:
    mode = number(holder, key)
    if mode is not None and (mode > 0o777 or mode < 0):
        return [invalid(path, mode, FILE_MODE_ERROR)]
    return []


def path_no_backsteps_errors(target: str, path: str) -> list[FieldError]:
    """validatePathNoBacksteps: one error however many `..` elements there are."""
    if ".." in target.split("/"):  # filepath.ToSlash is a no-op on the (Linux) server
        return [invalid(path, target, "must not contain '..'")]
    return []


def local_descending_path_errors(target: str, path: str) -> list[FieldError]:
    """validateLocalDescendingPath: relative, without backsteps."""
    errs = [invalid(path, target, "must be a relative path")] if target.startswith("/") else []
    return errs + path_no_backsteps_errors(target, path)


def local_non_reserved_path_errors(target: str, path: str) -> list[FieldError]:
    """ValidateLocalNonReservedPath: also no leading `..` (unless the backstep check caught it)."""
    errs = local_descending_path_errors(target, path)
    if target.startswith("..") and not target.startswith("../"):
        errs.append(invalid(path, target, "must not start with '..'"))
    return errs


# ConvertDownwardAPIFieldLabel's v1 labels (spec.host is the legacy spelling of spec.nodeName).
_DOWNWARD_API_LABELS = {
    "metadata.annotations",
    "metadata.labels",
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.serviceAccountName",
    "spec.schedulerName",
    "status.phase",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
}


def split_subscripted(field_path: str) -> tuple[str, str] | None:
    """fieldpath.SplitMaybeSubscriptedPath: `metadata.labels['k']` -> (`metadata.labels`, `k`)."""
    if not field_path.endswith("']"):
        return None
    head, sep, subscript = field_path[:-2].partition("['")
    return (head, subscript) if sep and head else None


def object_field_selector_errors(ref: Obj, supported: list[str], path: str) -> list[FieldError]:
    """validateObjectFieldSelector; `supported` is the sorted list of unsubscripted paths allowed here."""
    api_version = text(ref, "apiVersion")
    if not api_version:
        return [required(f"{path}.apiVersion")]
    field_path = text(ref, "fieldPath")
    if not field_path:
        return [required(f"{path}.fieldPath")]
    split = split_subscripted(field_path)
    problem = ""
    if api_version != "v1":
        problem = f"unsupported pod version: {api_version}"
    elif split is not None and split[0] not in ("metadata.annotations", "metadata.labels"):
        problem = f"field label does not support subscript: {field_path}"
    elif split is None and field_path not in _DOWNWARD_API_LABELS and field_path != "spec.host":
        problem = f"field label not supported: {field_path}"
    if problem:
        return [invalid(f"{path}.fieldPath", field_path, f"error converting fieldPath: {problem}")]
    if split is not None:
        subscript = split[1].lower() if split[0] == "metadata.annotations" else split[1]
        return [invalid(path, subscript, m) for m in qualified_name_errors(subscript)]
    internal = "spec.nodeName" if field_path == "spec.host" else field_path
    if internal not in supported:
        return [not_supported(f"{path}.fieldPath", internal, supported)]
    return []
