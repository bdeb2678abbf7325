"""kube-apiserver's JSON decoding of a body into a typed object, reduced to the errors it produces.

This is `sigs.k8s.io/json` `UnmarshalStrict` / `UnmarshalCaseSensitivePreserveInts` (a fork of Go's
encoding/json, vendored by k8s.io/apimachinery's JSON serializer) walking a value against a `GoType`:

* A JSON object decoded into a struct: a key that is no field is `unknown field "<path>"` and its value
  is skipped; a field given twice is `duplicate field "<path>"`. Into a map every key is a value, and a
  repeated key is a duplicate. Paths join keys with `.` and indexes as `[i]` (`spec.containers[0].x`).
  Errors are deduplicated by text and capped at 100, in document order.
* A JSON value of the wrong type is an `UnmarshalTypeError`, printed with the innermost struct and the
  path of struct fields, without indexes or map keys (`json: cannot unmarshal string into Go struct
  field ContainerPort.spec.containers.ports.containerPort of type int32`). Decoding goes on, and the
  first such error is the result, ahead of any strict error.
* Types with their own UnmarshalJSON (`Quantity`, `IntOrString`, `Time`) fail at once with their own
  error; `RawExtension` and friends take anything.

Input is a tree of `Pairs` (objects, members in order, duplicates kept), lists, `str`, `Num` (a number
literal as written), `bool` and `None`; `parse_json` makes one from raw JSON bytes and `from_python`
from a decoded object (keys sorted, as Go's YAML-to-JSON conversion and json.Marshal of maps emit them).
A decoded value also decodes as it is (integers as `Num`s; a float raises `FloatMet`): see `jsonbody`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mockapi.api.goformat import go_json_float
from mockapi.api.golang import go_quote
from mockapi.registry.fieldvalidation import gotypes as t
from mockapi.registry.fieldvalidation.goscalars import (
    RFC3339,
    RFC3339_MICRO,
    base64_error,
    quantity_error,
    time_error,
)

MAX_STRICT_ERRORS = 100


class Num(str):
    """A JSON number literal exactly as written (`3`, `3.0`, `1e3`)."""

    __slots__ = ()


class Pairs(list[tuple[str, Any]]):
    """A JSON object: its members in document order, duplicate keys kept."""

    __slots__ = ()


def _reject_constant(name: str) -> Any:
    raise ValueError(f"invalid JSON constant {name}")


def parse_json(raw: bytes | str) -> Any:
    """A tree of raw JSON (objects as `Pairs`, numbers as `Num`); ValueError if it is not JSON."""
    return json.loads(raw, object_pairs_hook=Pairs, parse_int=Num, parse_float=Num, parse_constant=_reject_constant)


def from_python(value: Any) -> Any:
    """A tree of a decoded value, objects with their keys sorted."""
    if isinstance(value, dict):
        return Pairs((str(k), from_python(value[k])) for k in sorted(value, key=str))
    if isinstance(value, list):
        return [from_python(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return Num(str(value))
    if isinstance(value, float):
        return Num(go_json_float(value))
    return str(value)


def to_python(tree: Any) -> Any:
    """The value a tree decodes to when duplicates overwrite (json.Unmarshal into interface{})."""
    if isinstance(tree, Pairs):
        return {k: to_python(v) for k, v in tree}
    if isinstance(tree, list):
        return [to_python(v) for v in tree]
    if isinstance(tree, Num):
        if "." not in tree and parse_int(tree, 64) is not None:
            return int(tree)
        return float(tree)
    return tree


def go_decoded(go_type: t.GoType, tree: Any, existing: Any = None) -> Any:
    """What encoding/json leaves in the typed object when keys repeat, as a plain value.

    A repeated struct field decodes again into the same struct or map (objects merge, key by key);
    a repeated map key gets a fresh value (the last one wins); anything else is replaced.
    """
    if isinstance(tree, Pairs) and go_type.kind == t.STRUCT:
        out: dict[str, Any] = existing if isinstance(existing, dict) else {}
        for key, member in tree:
            found = go_type.fields.get(key)
            out[key] = to_python(member) if found is None else go_decoded(found.type, member, out.get(key))
        return out
    if isinstance(tree, Pairs) and go_type.kind == t.MAP and go_type.elem is not None:
        merged: dict[str, Any] = existing if isinstance(existing, dict) else {}
        for key, member in tree:
            merged[key] = go_decoded(go_type.elem, member)
        return merged
    if isinstance(tree, list) and go_type.kind == t.SLICE and go_type.elem is not None:
        return [go_decoded(go_type.elem, item) for item in tree]
    return to_python(tree)


def parse_int(literal: str, bits: int) -> int | None:
    """strconv.ParseInt(literal, 10, 64) then the field's range; None when either fails."""
    body = literal[1:] if literal[:1] in "+-" else literal
    if not body.isdigit() or not body.isascii():
        return None
    value = int(literal)
    if bits == 8:
        return value if 0 <= value <= 255 else None
    limit = 2 ** (bits - 1)
    return value if -limit <= value < limit else None


def _float_ok(literal: str, bits: int) -> bool:
    try:
        value = float(literal)
    except ValueError:
        return False
    limit = 3.4028234663852886e38 if bits == 32 else 1.7976931348623157e308
    return abs(value) <= limit


class _Fatal(Exception):
    """An error returned (not saved) by a decoder: it ends decoding at once."""


class FloatMet(Exception):
    """A decoded value (not a tree) holds a float: the literal it was written as is lost."""


def _json_word(value: Any) -> str:
    """What UnmarshalTypeError.Value calls a JSON value (numbers without their literal)."""
    if isinstance(value, (Pairs, dict)):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, Num):
        return "number"
    if isinstance(value, bool):
        return "bool"
    if value is None:
        return "null"
    return "string"


@dataclass(frozen=True, slots=True)
class Result:
    error: str | None
    """The decoding error (type errors, Quantity/Time errors): the request fails with it."""
    strict: list[str]
    """Strict errors (unknown and duplicate fields) in upstream's order; empty when `error` is set."""
    unknown: bool = False
    """Some object holds a key its struct lacks (noted in every mode: those keys are dropped before storing)."""


class Decoder:
    """One decode of one tree; `strict` turns on unknown- and duplicate-field detection."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.strict_errors: list[str] = []
        self.unknown = False
        self._seen: set[str] = set()
        self._saved: str | None = None
        self._path: list[str] = []  # strict field stack: "spec", ".template", "[0]"
        self._struct = ""  # errorContext.Struct
        self._fields: list[str] = []  # errorContext.FieldStack

    def decode(self, go_type: t.GoType, tree: Any) -> Result:
        try:
            self._value(go_type, tree)
        except _Fatal as fatal:
            return Result(str(fatal), [])
        if self._saved is not None:
            return Result(self._saved, [])
        return Result(None, list(self.strict_errors), self.unknown)

    # -- errors ---------------------------------------------------------------------------------

    def _strict_error(self, kind: str, name: str) -> None:
        if not self.strict or len(self.strict_errors) >= MAX_STRICT_ERRORS:
            return
        path = "".join(self._path) + "." + name if self._path else name
        message = f"{kind} {go_quote(path)}"
        if message not in self._seen:
            self._seen.add(message)
            self.strict_errors.append(message)

    def type_error(self, what: str, go_type: str) -> str:
        if self._struct or self._fields:
            field_path = ".".join(self._fields)
            return f"json: cannot unmarshal {what} into Go struct field {self._struct}.{field_path} of type {go_type}"
        return f"json: cannot unmarshal {what} into Go value of type {go_type}"

    def _save(self, message: str) -> None:
        if self._saved is None:
            self._saved = message

    # -- strict field stack ---------------------------------------------------------------------

    def _push_key(self, key: str) -> int:
        mark = len(self._path)
        self._path.append("." + key if self._path else key)
        return mark

    def _push_index(self, index: int) -> int:
        mark = len(self._path)
        self._path.append(f"[{index}]")
        return mark

    # -- walking --------------------------------------------------------------------------------

    def _value(self, go_type: t.GoType, value: Any) -> None:
        cls = type(value)
        if cls is int:  # a decoded value rather than a tree: JSON spells an integer as Python does
            value = Num(value)
        elif cls is float:
            raise FloatMet
        if go_type.kind in t.CUSTOM:
            self._custom(go_type, value)
        elif isinstance(value, Pairs):
            self._object(go_type, value)
        elif cls is dict:
            self._object(go_type, value.items())
        elif isinstance(value, list):
            self._array(go_type, value)
        else:
            self._literal(go_type, value)

    def _object(self, go_type: t.GoType, pairs: Iterable[tuple[str, Any]]) -> None:
        kind = go_type.kind
        if kind == t.INTERFACE:
            self._object_interface(pairs)
        elif kind == t.MAP:
            assert go_type.elem is not None
            seen: set[str] = set()
            for key, member in pairs:
                if key in seen:
                    self._strict_error("duplicate field", key)
                seen.add(key)
                mark = self._push_key(key)
                self._value(go_type.elem, member)
                del self._path[mark:]
        elif kind == t.STRUCT:
            seen = set()
            for key, member in pairs:
                found = go_type.fields.get(key)
                if found is None:
                    if not go_type.preserve_unknown:
                        self.unknown = True
                        self._strict_error("unknown field", key)
                    continue
                if key in seen:
                    self._strict_error("duplicate field", key)
                seen.add(key)
                saved_struct, depth = self._struct, len(self._fields)
                self._struct = go_type.struct
                if found.embedded:
                    self._fields.append(found.embedded)
                self._fields.append(key)
                mark = self._push_key(key)
                self._value(found.type, member)
                del self._path[mark:]
                del self._fields[depth:]
                self._struct = saved_struct
        else:
            self._save(self.type_error("object", go_type.name))

    def _array(self, go_type: t.GoType, items: list[Any]) -> None:
        if go_type.kind == t.INTERFACE:
            self._array_interface(items)
            return
        if go_type.kind == t.SLICE:
            elem = go_type.elem
        elif go_type.kind == t.BYTES:
            elem = t.UINT8
        else:
            self._save(self.type_error("array", go_type.name))
            return
        assert elem is not None
        for index, item in enumerate(items):
            mark = self._push_index(index)
            self._value(elem, item)
            del self._path[mark:]

    def _literal(self, go_type: t.GoType, value: Any) -> None:
        kind = go_type.kind
        if value is None or (kind == t.INTERFACE and not isinstance(value, Num)):
            return
        if isinstance(value, Num):
            if kind == t.INT:
                if parse_int(value, go_type.bits) is None:
                    self._save(self.type_error(f"number {value}", go_type.name))
            elif kind == t.FLOAT:
                if not _float_ok(value, go_type.bits):
                    self._save(self.type_error(f"number {value}", go_type.name))
            elif kind == t.INTERFACE:
                if parse_int(value, 64) is None and not _float_ok(value, 64):
                    self._save(self.type_error(f"number {value}", "float64"))
            else:
                self._save(self.type_error("number", go_type.name))
        elif isinstance(value, bool):
            if kind != t.BOOL:
                self._save(self.type_error("bool", go_type.name))
        elif kind == t.BYTES:
            problem = base64_error(value)
            if problem is not None:
                self._save(problem)
        elif kind != t.STRING:
            self._save(self.type_error("string", go_type.name))

    def _custom(self, go_type: t.GoType, value: Any) -> None:
        kind = go_type.kind
        if kind == t.RAW or value is None:
            return
        if kind == t.QUANTITY:
            if isinstance(value, bool):
                text = "true" if value else "false"
            elif isinstance(value, str):
                text = value
            else:
                text = "{"
            problem = quantity_error(text)
            if problem is not None:
                raise _Fatal(problem)
        elif kind == t.INT_OR_STRING:
            if isinstance(value, Num):
                if parse_int(value, 32) is None:
                    raise _Fatal(self.type_error(f"number {value}", "int32"))
            elif not isinstance(value, str):
                raise _Fatal(self.type_error(_json_word(value), "int32"))
        elif kind in (t.TIME, t.MICRO_TIME):
            if isinstance(value, str) and not isinstance(value, Num):
                problem = time_error(RFC3339 if kind == t.TIME else RFC3339_MICRO, value)
                if problem is not None:
                    raise _Fatal(problem)
            else:
                raise _Fatal(self.type_error(_json_word(value), "string"))

    def _object_interface(self, pairs: Iterable[tuple[str, Any]]) -> None:
        seen: set[str] = set()
        for key, member in pairs:
            if key in seen:
                self._strict_error("duplicate field", key)
            seen.add(key)
            mark = self._push_key(key)
            self._value(t.INTERFACE_TYPE, member)
            del self._path[mark:]

    def _array_interface(self, items: list[Any]) -> None:
        for index, item in enumerate(items):
            mark = self._push_index(index)
            self._value(t.INTERFACE_TYPE, item)
            del self._path[mark:]


def decode(go_type: t.GoType, tree: Any, strict: bool) -> Result:
    return Decoder(strict).decode(go_type, tree)
