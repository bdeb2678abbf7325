"""`runtime.DefaultUnstructuredConverter.FromUnstructuredWithValidation`, reduced to its errors.

A strategic merge patch is applied to maps and the result is converted to the typed object directly
(k8s.io/apimachinery pkg/runtime/converter.go), not JSON-decoded, so its errors differ from decoding:

* type mismatches: `cannot convert int64 to string`, `unrecognized type: int32`, `cannot restore struct
  from: string`, `cannot restore slice from map`, `cannot restore map from string` (the first one met
  ends the conversion);
* unknown fields: `unknown field "spec.foo"` (path printed with %s), collected for every struct and
  sorted by text at the end.

Go walks struct fields in declaration order; the published definitions list them alphabetically, so
when several fields are wrong the first error reported here may name another field than Go would.
"""

from __future__ import annotations

import json
from typing import Any

from mockapi.api.golang import reflect_type
from mockapi.registry.fieldvalidation import gotypes as t
from mockapi.registry.fieldvalidation.goscalars import (
    RFC3339,
    RFC3339_MICRO,
    base64_error,
    quantity_error,
    time_error,
)


class ConversionError(Exception):
    """A non-strict conversion error: the patch is invalid whatever the validation directive."""


def _go_kind(value: Any) -> str:
    """reflect.Kind.String() of such a value."""
    if isinstance(value, dict):
        return "map"
    if isinstance(value, list):
        return "slice"
    return reflect_type(value)


_KIND_OF = {t.STRING: "string", t.BOOL: "bool", t.FLOAT: "float64"}


def _dest_kind(go_type: t.GoType) -> str:
    if go_type.kind == t.INT:
        return {8: "uint8", 32: "int32"}.get(go_type.bits, "int64")
    if go_type.kind == t.FLOAT:
        return "float32" if go_type.bits == 32 else "float64"
    return _KIND_OF.get(go_type.kind, go_type.kind)


class Converter:
    def __init__(self, track_unknown: bool) -> None:
        self.track_unknown = track_unknown
        self.unknown: list[str] = []
        self._path: list[str] = []

    def convert(self, go_type: t.GoType, value: Any) -> list[str]:
        """Unknown-field errors (sorted); raises ConversionError for a type mismatch."""
        self._value(go_type, value)
        return sorted(self.unknown)

    def _value(self, go_type: t.GoType, value: Any) -> None:
        if value is None:
            return
        kind = go_type.kind
        if kind in (t.STRING, t.INT, t.FLOAT, t.BOOL):
            self._simple(go_type, value)
        elif kind in t.CUSTOM:
            self._custom(go_type, value)
        elif kind == t.MAP:
            if not isinstance(value, dict):
                raise ConversionError(f"cannot restore map from {_go_kind(value)}")
            assert go_type.elem is not None
            for key in sorted(value):
                self._value(go_type.elem, value[key])
        elif kind in (t.SLICE, t.BYTES):
            self._slice(go_type, value)
        elif kind == t.STRUCT:
            self._struct(go_type, value)

    def _simple(self, go_type: t.GoType, value: Any) -> None:
        dest = _dest_kind(go_type)
        source = reflect_type(value)
        if isinstance(value, str) and go_type.kind == t.STRING:
            return
        if isinstance(value, bool):
            if go_type.kind == t.BOOL:
                return
            raise ConversionError(f"unrecognized type: {dest}")
        if isinstance(value, int):
            if go_type.kind in (t.INT, t.FLOAT):
                return
            if go_type.kind == t.STRING:  # int -> string is a Go conversion, just not one JSON allows
                raise ConversionError(f"cannot convert {source} to {go_type.name}")
            raise ConversionError(f"unrecognized type: {dest}")
        if isinstance(value, float):
            if go_type.kind == t.FLOAT or (go_type.kind == t.INT and value == int(value)):
                return
            if go_type.kind == t.INT:
                raise ConversionError(f"cannot convert {source} to {go_type.name}")
        raise ConversionError(f"unrecognized type: {dest}")

    def _custom(self, go_type: t.GoType, value: Any) -> None:
        """Custom types convert through their UnmarshalJSON, given json.Marshal of the value."""
        kind = go_type.kind
        if kind == t.RAW:
            return
        if kind == t.QUANTITY:
            text = value if isinstance(value, str) else json.dumps(value)
            problem = quantity_error(text)
        elif kind == t.INT_OR_STRING:
            problem = None
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                word = "bool" if isinstance(value, bool) else ("object" if isinstance(value, dict) else "array")
                problem = f"json: cannot unmarshal {word} into Go value of type int32"
            elif isinstance(value, float) and value != int(value):
                problem = f"json: cannot unmarshal number {json.dumps(value)} into Go value of type int32"
        elif isinstance(value, str):
            problem = time_error(RFC3339 if kind == t.TIME else RFC3339_MICRO, value)
        else:
            word = {"map": "object", "slice": "array", "int64": "number", "float64": "number"}.get(
                _go_kind(value), _go_kind(value)
            )
            problem = f"json: cannot unmarshal {word} into Go value of type string"
        if problem is not None:
            raise ConversionError(problem)

    def _slice(self, go_type: t.GoType, value: Any) -> None:
        if isinstance(value, str) and go_type.kind == t.BYTES:
            if value:
                problem = base64_error(value)
                if problem is not None:
                    raise ConversionError(f"error decoding from json: {problem}")
            return
        if not isinstance(value, list):
            raise ConversionError(f"cannot restore slice from {_go_kind(value)}")
        elem = go_type.elem if go_type.kind == t.SLICE else t.UINT8
        assert elem is not None
        for index, item in enumerate(value):
            mark = len(self._path)
            self._path.append(f"[{index}]")
            self._value(elem, item)
            del self._path[mark:]

    def _struct(self, go_type: t.GoType, value: Any) -> None:
        if not isinstance(value, dict):
            raise ConversionError(f"cannot restore struct from: {_go_kind(value)}")
        for name, found in go_type.fields.items():
            if name in value:
                mark = len(self._path)
                self._path.append("." + name if self._path else name)
                self._value(found.type, value[name])
                del self._path[mark:]
        if self.track_unknown and not go_type.preserve_unknown:
            for key in value:
                if key not in go_type.fields:
                    path = "".join(self._path) + "." + key if self._path else key
                    self.unknown.append(f'unknown field "{path}"')
