"""The metadata rules beyond name, namespace, labels and annotations (apimachinery's objectmeta.go):
owner references and finalizers on every write, and what an update may not change.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from mockapi.api.errors import FieldError, GoRepr, forbidden_field, invalid
from mockapi.api.golang import go_quote
from mockapi.api.objects import parse_rfc3339
from mockapi.api.selectors import qualified_name_errors

_ORPHAN = "orphan"
_FOREGROUND = "foregroundDeletion"
_IMMUTABLE = "field is immutable"


def _go_strings(values: list[str]) -> GoRepr:
    """`%#v` of a []string."""
    return GoRepr("[]string{" + ", ".join(go_quote(v) for v in values) + "}")


def owner_reference_errors(refs: Any) -> list[FieldError]:
    path = "metadata.ownerReferences"
    errs: list[FieldError] = []
    if not isinstance(refs, list):
        return errs
    first_controller = ""
    for ref in refs:
        if not isinstance(ref, dict):
            continue
        api_version = str(ref.get("apiVersion") or "")
        # schema.FromAPIVersionAndKind: `v`, `g/v`; any other form parses to no version at all
        parts = api_version.split("/")
        if len(parts) > 2 or not parts[-1]:
            errs.append(invalid(f"{path}.apiVersion", api_version, "version must not be empty"))
        for key in ("kind", "name", "uid"):
            if not ref.get(key):
                errs.append(invalid(f"{path}.{key}", str(ref.get(key) or ""), "must not be empty"))
        if ref.get("controller") is True:
            current = f"{ref.get('kind', '')}/{ref.get('name', '')}"
            if first_controller:
                errs.append(
                    FieldError(
                        "FieldValueInvalid",
                        path,
                        "Invalid value: "
                        + _owner_refs_repr(refs)
                        + ': Only one reference can have Controller set to true. Found "true" in references for '
                        + f"{first_controller} and {current}",
                    )
                )
            else:
                first_controller = current
    return errs


def _owner_refs_repr(refs: list[Any]) -> str:
    """A readable `%#v`-like form of the references; Go prints pointer fields as addresses, which carry no
    meaning, so the pointed-to values are shown instead."""
    parts = []
    for ref in refs:
        if not isinstance(ref, dict):
            continue
        fields = [
            f"APIVersion:{go_quote(str(ref.get('apiVersion', '')))}",
            f"Kind:{go_quote(str(ref.get('kind', '')))}",
            f"Name:{go_quote(str(ref.get('name', '')))}",
            f"UID:{go_quote(str(ref.get('uid', '')))}",
            f"Controller:{_bool_ptr(ref.get('controller'))}",
            f"BlockOwnerDeletion:{_bool_ptr(ref.get('blockOwnerDeletion'))}",
        ]
        parts.append("v1.OwnerReference{" + ", ".join(fields) + "}")
    return "[]v1.OwnerReference{" + ", ".join(parts) + "}"


def _bool_ptr(value: Any) -> str:
    return "(*bool)(nil)" if value is None else f"&{'true' if value else 'false'}"


def finalizer_errors(finalizers: Any) -> list[FieldError]:
    path = "metadata.finalizers"
    errs: list[FieldError] = []
    if not isinstance(finalizers, list):
        return errs
    names = [f for f in finalizers if isinstance(f, str)]
    for name in names:
        errs.extend(invalid(path, name, m) for m in qualified_name_errors(name))
    if _ORPHAN in names and _FOREGROUND in names:
        errs.append(
            FieldError(
                "FieldValueInvalid",
                path,
                f"Invalid value: {_go_strings(names)}: finalizer {_ORPHAN} and {_FOREGROUND} cannot be both set",
            )
        )
    return errs


_STANDARD_FINALIZERS = frozenset({"kubernetes", _ORPHAN, _FOREGROUND})


def namespace_finalizer_errors(finalizers: list[str]) -> list[FieldError]:
    """ValidateNamespaceFinalizeUpdate: each `spec.finalizers` entry is a qualified name, and one without a
    `/` prefix must be a standard finalizer (validateKubeFinalizerName)."""
    errs: list[FieldError] = []
    for index, name in enumerate(finalizers):
        path = f"spec.finalizers[{index}]"
        errs.extend(invalid(path, name, m) for m in qualified_name_errors(name))
        if "/" not in name and name not in _STANDARD_FINALIZERS:
            errs.append(invalid(path, name, "name is neither a standard finalizer name nor is it fully qualified"))
    return errs


def _go_time(value: Any) -> str:
    """metav1.Time's String(): Go's time format, in the server's (UTC) zone."""
    try:
        parsed = parse_rfc3339(str(value))
    except ValueError:
        return str(value)
    return parsed.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S +0000 UTC")


def object_meta_update_errors(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """ValidateObjectMetaAccessorUpdate's rules that a client can break (name, namespace, creation and
    deletion timestamps are restored from the stored object before validation, as rest.BeforeUpdate does)."""
    errs: list[FieldError] = []
    if old.get("deletionTimestamp"):
        old_set = set(old.get("finalizers") or [])
        extra = sorted({f for f in new.get("finalizers") or [] if isinstance(f, str)} - old_set)
        if extra:
            errs.append(
                forbidden_field(
                    "metadata.finalizers",
                    "no new finalizers can be added if the object is being deleted, found new finalizers "
                    + _go_strings(extra),
                )
            )
    if new.get("deletionTimestamp") and not old.get("deletionTimestamp"):
        errs.append(invalid("metadata.deletionTimestamp", GoRepr(_go_time(new["deletionTimestamp"])), _IMMUTABLE))
    if new.get("uid", "") != old.get("uid", ""):
        errs.append(invalid("metadata.uid", str(new.get("uid", "")), _IMMUTABLE))
    if "deletionGracePeriodSeconds" in new and new.get("deletionGracePeriodSeconds") != old.get(
        "deletionGracePeriodSeconds"
    ):
        errs.append(invalid("metadata.deletionGracePeriodSeconds", new["deletionGracePeriodSeconds"], _IMMUTABLE))
    return errs
