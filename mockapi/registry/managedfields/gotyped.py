"""An object as its Go type holds it: what field management compares and what an apply stores.

kube-apiserver tracks fields on typed objects (`ObjectToTyped` of the versioned Go struct), so what it
compares is what encoding/json would write for the decoded object: fields without `omitempty` are
always there (a zero struct as `{}`, a nil slice, map or pointer as `null`, `""`, `0`, `false`), empty
`omitempty` values are gone, map keys are sorted, and types with their own JSON form write it for
their zero value (`metav1.Time` null, `Quantity` "0", `IntOrString` 0, `Duration` "0s"). The Go facts
(field order, `omitempty`, reflect kinds) come from the protobuf schema data (`mockapi.protobuf.schema`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from mockapi.api.types import Obj
from mockapi.protobuf.schema import FieldSpec, MessageSpec, Schema, schema

_ZERO_SPECIAL: dict[str, Any] = {
    "time": None,
    "microtime": None,
    "quantity": "0",
    "intorstring": 0,
    "duration": "0s",
    "fieldsv1": None,
    "rawextension": None,
}
_SCALAR_ZERO: dict[str, Any] = {"string": "", "bool": False}


@cache
def _schema() -> Schema | None:
    try:
        return schema()
    except (OSError, ValueError):
        return None


def message_for(api_version: str, kind: str) -> MessageSpec | None:
    found = _schema()
    return None if found is None else found.message_for_kind(api_version, kind)


def typed_view(obj: Obj, api_version: str, kind: str) -> Obj:
    """The object as its Go type encodes it; objects of kinds without Go types come back unchanged."""
    spec = message_for(api_version, kind)
    if spec is None:
        return obj
    out: Obj = {}
    _struct(obj, spec, out)
    return out


def empty_object(api_version: str, kind: str) -> Obj:
    """The zero value of a kind, as `scope.Creater.New(kind)` converted to its version gives it."""
    return typed_view({"apiVersion": api_version, "kind": kind}, api_version, kind)


@cache
def _message(name: str) -> MessageSpec | None:
    found = _schema()
    return None if found is None else found.messages.get(name)


_Plan = list[tuple[str, FieldSpec, "MessageSpec | None", bool]]


@cache
def _plan(name: str) -> _Plan:
    """A message's JSON fields in Go order: (name, field, inlined message, is TypeMeta)."""
    spec = _message(name)
    assert spec is not None
    plan: _Plan = []
    for f in spec.fields:
        if f.hidden:
            continue
        if f.inline:
            inner = _message(f.message) if f.message else None
            plan.append((f.json_name, f, inner, inner is None))
        else:
            plan.append((f.json_name, f, None, False))
    return plan


def _struct(src: Any, spec: MessageSpec, out: dict[str, Any]) -> None:
    source: dict[str, Any] = src if isinstance(src, dict) else {}
    for name, f, inner, type_meta in _plan(spec.name):
        if type_meta:
            for key in ("kind", "apiVersion"):
                if source.get(key):
                    out[key] = source[key]
        elif inner is not None:
            _struct(source, inner, out)
        elif name in source:
            value = _field(f, source[name], True)
            if value is not _OMIT:
                out[name] = value
        elif not f.omitempty or f.go_kind == "struct":
            out[name] = _field(f, None, False)


class _Omit:
    __slots__ = ()


_OMIT: Any = _Omit()


def _special_or_struct(message: str, value: Any, present: bool) -> Any:
    inner = _message(message)
    if inner is None:
        return value if present else None
    if inner.special is not None:
        if present and value is not None:
            return value
        return _ZERO_SPECIAL.get(inner.special)
    out: dict[str, Any] = {}
    _struct(value, inner, out)
    return out


def _element(f: FieldSpec, message: str, value: Any) -> Any:
    if not message or value is None:
        return value
    inner = _message(message)
    if inner is None or inner.special is not None:
        return value
    out: dict[str, Any] = {}
    _struct(value, inner, out)
    return out


def _field(f: FieldSpec, value: Any, present: bool) -> Any:
    kind = f.go_kind
    if kind == "struct":
        return _special_or_struct(f.message, value, present) if f.message else (value if present else {})
    if kind == "ptr":
        if not present or value is None:
            return _OMIT if f.omitempty else None
        if f.message:
            inner = _message(f.message)
            if inner is not None and inner.special is None:
                out: dict[str, Any] = {}
                _struct(value, inner, out)
                return out
        return value
    if kind == "slice":
        empty = isinstance(value, (list, str)) and len(value) == 0
        if not present or value is None or (f.omitempty and empty):
            return _OMIT if f.omitempty else None
        if isinstance(value, list):
            return [_element(f, f.message, item) for item in value]
        return value
    if kind == "map":
        if not present or value is None or (f.omitempty and isinstance(value, dict) and not value):
            return _OMIT if f.omitempty else None
        if not isinstance(value, dict):
            return value
        message = f.map_value.message if f.map_value is not None else ""
        return {key: _element(f, message, value[key]) for key in sorted(value)}
    if kind == "interface":
        if not present or value is None:
            return _OMIT if f.omitempty else None
        return value
    zero = _SCALAR_ZERO.get(kind, 0)
    if not present or value is None:
        return _OMIT if f.omitempty else zero
    if f.omitempty and _is_zero(kind, value):
        return _OMIT
    return value


def _is_zero(kind: str, value: Any) -> bool:
    if kind == "string":
        return bool(value == "")
    if kind == "bool":
        return value is False
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0
