"""How kube-apiserver 1.33 prints the review objects: Go's `%#v` of the structs its field errors quote, and
encoding/json of the objects it echoes (declaration order, omitempty, map keys sorted, `creationTimestamp:
null` for a zero time)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mockapi.api.errors import GoRepr
from mockapi.api.golang import go_quote
from mockapi.api.types import Obj

WIPED = ("creationTimestamp", "uid", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink")
"""rest.WipeObjectMetaSystemFields: what the create handler clears before the review sees the object."""

_ZERO_TIME = "time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)"
_ADDRESS = "0xc000000000"
"""Go prints a non-nil pointer inside a struct as its heap address; no emulator can reproduce it."""


def as_map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_str(value: Any) -> str:
    return value if isinstance(value, str) else ""


# --- %#v (field.Error.ErrorBody prints structs that way up to 1.33) -----------------------------------------


def go_non_resource(value: Any) -> GoRepr:
    """`%#v` of an internal authorization.NonResourceAttributes."""
    v = as_map(value)
    path, verb = go_quote(as_str(v.get("path"))), go_quote(as_str(v.get("verb")))
    return GoRepr(f"authorization.NonResourceAttributes{{Path:{path}, Verb:{verb}}}")


def _map(value: Any) -> str:
    if not isinstance(value, dict):
        return "map[string]string(nil)"
    items = ", ".join(f"{go_quote(k)}:{go_quote(as_str(value[k]))}" for k in sorted(value))
    return "map[string]string{" + items + "}"


def _strings(value: Any) -> str:
    if not isinstance(value, list):
        return "[]string(nil)"
    return "[]string{" + ", ".join(go_quote(as_str(v)) for v in value) + "}"


def _time(value: Any) -> str:
    """A *metav1.Time prints through time.Time's GoString; the field manager stamps Local time (whose
    nanoseconds never reach the JSON, so 0 here)."""
    try:
        t = datetime.fromisoformat(as_str(value).replace("Z", "+00:00"))
    except ValueError:
        return "<nil>"
    return f"time.Date({t.year}, time.{t.strftime('%B')}, {t.day}, {t.hour}, {t.minute}, {t.second}, 0, time.Local)"


def _pointer(type_name: str, value: Any) -> str:
    return f"(*{type_name})(nil)" if value is None else f"(*{type_name})({_ADDRESS})"


Render = Callable[[dict[str, Any]], str]


def _quoted(key: str) -> Render:
    return lambda m: go_quote(as_str(m.get(key)))


def _structs(type_name: str, items: Any, fields: Sequence[tuple[str, Render]]) -> str:
    if not isinstance(items, list):
        return f"[]{type_name}(nil)"
    each = [type_name + "{" + ", ".join(f"{n}:{fn(as_map(i))}" for n, fn in fields) + "}" for i in items]
    return f"[]{type_name}{{" + ", ".join(each) + "}"


_OWNER_REFERENCE: list[tuple[str, Render]] = [
    ("APIVersion", _quoted("apiVersion")),
    ("Kind", _quoted("kind")),
    ("Name", _quoted("name")),
    ("UID", _quoted("uid")),
    ("Controller", lambda m: _pointer("bool", m.get("controller"))),
    ("BlockOwnerDeletion", lambda m: _pointer("bool", m.get("blockOwnerDeletion"))),
]
_MANAGED_FIELDS_ENTRY: list[tuple[str, Render]] = [
    ("Manager", _quoted("manager")),
    ("Operation", _quoted("operation")),
    ("APIVersion", _quoted("apiVersion")),
    ("Time", lambda m: _time(m.get("time"))),
    ("FieldsType", _quoted("fieldsType")),
    ("FieldsV1", lambda m: _pointer("v1.FieldsV1", m.get("fieldsV1"))),
    ("Subresource", _quoted("subresource")),
]


def go_object_meta(meta: Mapping[str, Any], namespace: str) -> GoRepr:
    """`%#v` of metav1.ObjectMeta after the create handler: system fields zero, the namespace as ensured."""
    gen = meta.get("generation")
    fields = [
        ("Name", go_quote(as_str(meta.get("name")))),
        ("GenerateName", go_quote(as_str(meta.get("generateName")))),
        ("Namespace", go_quote(namespace)),
        ("SelfLink", '""'),
        ("UID", '""'),
        ("ResourceVersion", go_quote(as_str(meta.get("resourceVersion")))),
        ("Generation", str(gen) if isinstance(gen, int) and not isinstance(gen, bool) else "0"),
        ("CreationTimestamp", _ZERO_TIME),
        ("DeletionTimestamp", "<nil>"),
        ("DeletionGracePeriodSeconds", "(*int64)(nil)"),
        ("Labels", _map(meta.get("labels"))),
        ("Annotations", _map(meta.get("annotations"))),
        ("OwnerReferences", _structs("v1.OwnerReference", meta.get("ownerReferences"), _OWNER_REFERENCE)),
        ("Finalizers", _strings(meta.get("finalizers"))),
        ("ManagedFields", _structs("v1.ManagedFieldsEntry", meta.get("managedFields"), _MANAGED_FIELDS_ENTRY)),
    ]
    return GoRepr("v1.ObjectMeta{" + ", ".join(f"{n}:{v}" for n, v in fields) + "}")


# --- encoding/json ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Field:
    """One JSON field of a Go struct: its name, whether it is omitempty, and its struct type if any."""

    name: str
    omit: bool = True
    struct: tuple[Field, ...] | None = None
    many: bool = False
    """A slice of `struct` (omitempty drops it when empty)."""


def _empty(value: Any) -> bool:
    """Go's omitempty: "", 0, false, and nil or empty slices and maps."""
    return value is None or value in ("", 0, [], {})


def go_encode(value: Any, fields: tuple[Field, ...]) -> Obj:
    """A decoded object written back as encoding/json writes the Go struct: declaration order, omitempty
    leaves dropped when empty, a non-omitempty string as "", pointers to structs kept even when empty."""
    src: dict[str, Any] = as_map(value)
    out: Obj = {}
    for f in fields:
        v = src.get(f.name)
        if f.struct is not None and f.many:
            if isinstance(v, list) and v:
                out[f.name] = [go_encode(item, f.struct) for item in v]
        elif f.struct is not None:
            if v is not None or not f.omit:
                out[f.name] = go_encode(v, f.struct)
        elif not _empty(v) or (v is not None and not f.omit):
            out[f.name] = dict(sorted(v.items())) if isinstance(v, dict) else v
        elif not f.omit:
            out[f.name] = ""
    return out


_META_ORDER = (
    "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
    "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
    "managedFields",
)  # fmt: skip


def review_metadata(meta: Any, namespace: str) -> Obj:
    """The ObjectMeta a review echoes: the request's metadata after the create handler (system fields wiped,
    the namespace the request's, "" for cluster scope), in Go's order with empty fields omitted; a zero
    creationTimestamp is `null` in 1.33."""
    m = {k: v for k, v in as_map(meta).items() if k not in WIPED}
    m["namespace"] = namespace
    out: Obj = {}
    for key in _META_ORDER:
        if key == "creationTimestamp":
            out[key] = None
        elif not _empty(m.get(key)):
            out[key] = m[key]
    return out
