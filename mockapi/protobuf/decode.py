"""Protobuf envelope -> the object's JSON form, as Go's JSON serializer would write the decoded Go value.

The rule, field by field (the Go facts come from `schema`, i.e. from the Go types in kubectl):

* JSON names are the Go json tags (not always the proto names: `Webhooks` -> `webhooks`), in Go field
  order; embedded `,inline` structs have their fields promoted (Volume.volumeSource, Probe.handler, ...).
* A Go **pointer** field (`*int32 replicas`, `*bool immutable`, `*LabelSelector selector`) is emitted iff
  it is on the wire, even with a zero value (`replicas: 0`); when absent it is omitted if `omitempty`,
  else `null`.
* A Go **value** scalar (string/bool/int) takes the wire value or the zero value; it is omitted when
  zero and `omitempty` (gogo writes `generateName: ""` on the wire; Go's JSON drops it), else emitted.
* A Go **value struct** is always emitted (omitempty does not apply to structs): an absent one is the
  zero struct, e.g. `status: {}`; zero `Time` is `null` (`creationTimestamp: null`).
* **Slices and maps** (repeated fields, proto maps, `bytes`): absent -> nil -> omitted if `omitempty`,
  else `null`; map keys sorted as Go sorts them; `bytes` are base64 (Secret.data).
* **Custom JSON types**: Time/MicroTime (RFC3339 / RFC3339 with microseconds, UTC), Duration (Go's
  `1h0m0s`), Quantity (its string), IntOrString (int or string), FieldsV1 and RawExtension (their raw
  bytes, which must be JSON, or for RawExtension a nested `k8s\\0` protobuf object), GroupVersion.
* Named string slices (`ExtraValue`, `Verbs`; a message with `repeated string items`) are JSON arrays.

Limits: what cannot be told from the wire is decided as gogo would have encoded a Go value — a value
struct absent from the wire (a non-gogo encoder) becomes its zero value, and a pointer to an empty
struct cannot be told from a value struct (both are `{}`). Every field number not in the descriptor,
a wire type that does not match the field, or malformed bytes fail with 400 naming the field path.
"""

from __future__ import annotations

import base64
from typing import Any

import orjson

from mockapi.api import errors
from mockapi.api.decoding import MAX_DEPTH, check_depth
from mockapi.api.decoding import DecodeError as BodyDecodeError
from mockapi.api.types import Obj
from mockapi.protobuf import gojson, wire
from mockapi.protobuf import schema as schema_mod
from mockapi.protobuf.schema import (
    TYPE_BOOL,
    TYPE_BYTES,
    TYPE_DOUBLE,
    TYPE_FIXED32,
    TYPE_FIXED64,
    TYPE_FLOAT,
    TYPE_INT32,
    TYPE_INT64,
    TYPE_MESSAGE,
    TYPE_SFIXED32,
    TYPE_SFIXED64,
    TYPE_SINT32,
    TYPE_SINT64,
    TYPE_STRING,
    TYPE_UINT32,
    UNKNOWN,
    FieldSpec,
    MessageSpec,
    Schema,
)

MAGIC = b"k8s\x00"

_WIRE_TYPE = {
    TYPE_DOUBLE: wire.FIXED64,
    TYPE_FIXED64: wire.FIXED64,
    TYPE_SFIXED64: wire.FIXED64,
    TYPE_FLOAT: wire.FIXED32,
    TYPE_FIXED32: wire.FIXED32,
    TYPE_SFIXED32: wire.FIXED32,
    TYPE_STRING: wire.LEN,
    TYPE_BYTES: wire.LEN,
    TYPE_MESSAGE: wire.LEN,
}  # everything else is a varint


class DecodeError(ValueError):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path or '<object>'}: {message}")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def expected_wire_type(proto_type: int) -> int:
    return _WIRE_TYPE.get(proto_type, wire.VARINT)


def _scalar(f: FieldSpec, value: int | bytes, path: str) -> Any:
    t = f.proto_type
    if isinstance(value, bytes):
        if t == TYPE_STRING:
            return value.decode("utf-8", "replace")  # Go's JSON encoder turns invalid UTF-8 into U+FFFD
        if t == TYPE_BYTES:
            return base64.b64encode(value).decode()
        raise DecodeError(path, "length-delimited value for a scalar field")
    if t == TYPE_BOOL:
        return value != 0
    if t in (TYPE_INT32, TYPE_SFIXED32):
        return wire.signed(value, 32)
    if t in (TYPE_INT64, TYPE_SFIXED64):
        return wire.signed(value, 64)
    if t == TYPE_UINT32:
        return value & 0xFFFFFFFF
    if t in (TYPE_SINT32, TYPE_SINT64):
        return wire.zigzag_decode(value)
    if t in (TYPE_DOUBLE, TYPE_FLOAT):
        number = wire.float64(value) if t == TYPE_DOUBLE else wire.float32(value)
        return int(number) if number.is_integer() and abs(number) < 1e21 else number  # Go writes 2, not 2.0
    return value


def _zero(f: FieldSpec) -> Any:
    if f.proto_type == TYPE_STRING:
        return ""
    if f.proto_type == TYPE_BOOL:
        return False
    return 0


class Decoder:
    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self._depth = 0  # messages being decoded: nesting is refused past MAX_DEPTH, before Python's stack

    def collect(self, spec: MessageSpec, data: bytes, path: str) -> dict[int, list[int | bytes]]:
        """Field number -> wire values; every number must be in the descriptor, with a matching wire type."""
        out: dict[int, list[int | bytes]] = {}
        try:
            for number, wire_type, value in wire.iter_fields(data):
                f = spec.by_number.get(number)
                if f is None:
                    raise DecodeError(
                        path,
                        f"field number {number} ({wire.WIRE_TYPE_NAMES.get(wire_type, wire_type)}) is not a field "
                        f"of {spec.name}",
                    )
                expected = expected_wire_type(f.proto_type)
                packable = f.repeated and expected != wire.LEN and wire_type == wire.LEN
                if wire_type != expected and not packable:
                    raise DecodeError(
                        _join(path, f.json_name or f.proto_name),
                        f"wire type {wire.WIRE_TYPE_NAMES.get(wire_type)} does not match proto type "
                        f"{wire.WIRE_TYPE_NAMES.get(expected)} of field {number}",
                    )
                if packable:
                    assert isinstance(value, bytes)
                    out.setdefault(number, []).extend(wire.iter_packed(value, expected))
                else:
                    out.setdefault(number, []).append(value)
        except wire.WireError as exc:
            raise DecodeError(path, f"malformed {spec.name}: {exc}") from None
        return out

    # -- messages ----------------------------------------------------------------------------------

    def message(self, spec: MessageSpec, data: bytes, path: str) -> Any:
        if self._depth >= MAX_DEPTH:
            raise DecodeError(path, f"exceeded max depth of {MAX_DEPTH}")
        self._depth += 1
        try:
            return self._message(spec, data, path)
        finally:
            self._depth -= 1

    def _message(self, spec: MessageSpec, data: bytes, path: str) -> Any:
        if spec.special is not None:
            return self.special(spec, data, path)
        values = self.collect(spec, data, path)
        if spec.go_kind == "slice":  # ExtraValue/Verbs: `repeated string items = 1` is the Go slice itself
            (items_field,) = spec.fields
            items = values.get(items_field.number)
            return [_scalar(items_field, v, path) for v in items] if items else None
        out: Obj = {}
        self.fill(spec, values, path, out)
        return out

    def fill(self, spec: MessageSpec, values: dict[int, list[int | bytes]], path: str, out: Obj) -> None:
        for f in spec.fields:
            if f.number == 0 or f.hidden:
                continue  # Go-only (embedded TypeMeta: empty kind/apiVersion are omitempty) or json:"-"
            raw = values.get(f.number, [])
            if f.inline:
                inner = self.schema.message(f.message)
                data = b"".join(v for v in raw if isinstance(v, bytes))
                self.fill(inner, self.collect(inner, data, path), path, out)
                continue
            fpath = _join(path, f.json_name)
            emit, value = self.field(f, raw, fpath)
            if emit:
                out[f.json_name] = value

    def field(self, f: FieldSpec, raw: list[int | bytes], path: str) -> tuple[bool, Any]:
        """(emit?, JSON value) for one field, by the rules in the module docstring."""
        if f.is_map:
            if not raw:
                return not f.omitempty, None
            entries = {}
            for entry in raw:
                assert isinstance(entry, bytes)
                key, value = self.map_entry(f, entry, path)
                entries[key] = value
            return True, dict(sorted(entries.items()))
        if f.repeated:
            if not raw:
                return not f.omitempty, None
            return True, [self.element(f, v, f"{path}[{i}]") for i, v in enumerate(raw)]
        if f.proto_type == TYPE_MESSAGE:
            msg = self.schema.message(f.message)
            if not raw:
                if f.go_kind in ("ptr", "slice", "map"):
                    return not f.omitempty, None
                return True, self.message(msg, b"", path)  # a Go value struct is always there
            data = b"".join(v for v in raw if isinstance(v, bytes))  # repeated occurrences merge
            value = self.message(msg, data, path)
            if f.go_kind == "slice" and f.omitempty and not value:
                return False, None
            return True, value
        if f.proto_type == TYPE_BYTES:
            if not raw:
                return not f.omitempty, None
            last = raw[-1]
            assert isinstance(last, bytes)
            if f.omitempty and not last:
                return False, None
            return True, base64.b64encode(last).decode()
        if raw:
            value = _scalar(f, raw[-1], path)
        elif f.go_kind == "ptr":
            return not f.omitempty, None
        else:
            value = _zero(f)
        if f.go_kind != "ptr" and f.omitempty and not value:
            return False, None
        return True, value

    def element(self, f: FieldSpec, value: int | bytes, path: str) -> Any:
        if f.proto_type == TYPE_MESSAGE:
            assert isinstance(value, bytes)
            return self.message(self.schema.message(f.message), value, path)
        return _scalar(f, value, path)

    def map_entry(self, f: FieldSpec, data: bytes, path: str) -> tuple[str, Any]:
        key_f, value_f = f.map_key, f.map_value
        assert key_f is not None and value_f is not None
        key: Any = _zero(key_f)
        value: Any = None
        seen_value = False
        try:
            for number, wire_type, raw in wire.iter_fields(data):
                spec = key_f if number == 1 else value_f if number == 2 else None
                if spec is None:
                    raise DecodeError(path, f"map entry has field number {number}")
                if wire_type != expected_wire_type(spec.proto_type):
                    raise DecodeError(path, f"map entry field {number} has wire type {wire_type}")
                if number == 1:
                    key = _scalar(key_f, raw, path)
                else:
                    seen_value = True
                    value = self.element(value_f, raw, f"{path}[{key}]")
        except wire.WireError as exc:
            raise DecodeError(path, f"malformed map entry: {exc}") from None
        if not seen_value:
            if value_f.proto_type == TYPE_MESSAGE:
                value = self.message(self.schema.message(value_f.message), b"", path)
            elif value_f.proto_type == TYPE_BYTES:
                value = ""
            else:
                value = _zero(value_f)
        if isinstance(key, bool):
            key = "true" if key else "false"
        return str(key), value

    # -- types with their own JSON form ------------------------------------------------------------

    def _fields(self, spec: MessageSpec, data: bytes, path: str) -> dict[str, Any]:
        values = self.collect(spec, data, path)
        out: dict[str, Any] = {}
        for number, raw in values.items():
            f = spec.by_number[number]
            out[f.proto_name] = raw[-1] if f.proto_type in (TYPE_BYTES, TYPE_MESSAGE) else _scalar(f, raw[-1], path)
        return out

    def special(self, spec: MessageSpec, data: bytes, path: str) -> Any:
        kind = spec.special
        v = self._fields(spec, data, path)
        if kind in ("time", "microtime"):
            if not data:
                return None  # metav1.Time.Unmarshal: no bytes -> the zero time
            try:
                return gojson.format_time(int(v.get("seconds", 0)), int(v.get("nanos", 0)), micro=kind == "microtime")
            except ValueError as exc:
                raise DecodeError(path, str(exc)) from None
        if kind == "duration":
            return gojson.format_duration(int(v.get("duration", 0)))
        if kind == "quantity":
            return str(v.get("string", "0")) or "0"
        if kind == "intorstring":
            type_ = v.get("type", 0)
            if type_ == 0:
                return int(v.get("intVal", 0))
            if type_ == 1:
                return str(v.get("strVal", ""))
            raise DecodeError(path, f"impossible IntOrString.Type {type_}")
        if kind == "groupversion":
            group, version = str(v.get("group", "")), str(v.get("version", ""))
            return f"{group}/{version}" if group else version
        if kind == "unknown":
            content_type = str(v.get("contentType", ""))
            if content_type not in ("", "application/json"):
                raise DecodeError(path, f"runtime.Unknown with content type {content_type!r} has no JSON form")
        raw_key = {"fieldsv1": "Raw", "rawextension": "raw", "unknown": "raw"}[str(kind)]
        raw = v.get(raw_key)
        if raw is None:
            return None
        assert isinstance(raw, bytes)
        if kind == "rawextension" and raw.startswith(MAGIC):
            return self.envelope(raw, path)
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise DecodeError(path, f"{spec.name} does not hold JSON: {exc}") from None

    # -- the envelope ------------------------------------------------------------------------------

    def envelope(self, data: bytes, path: str = "") -> Obj:
        if not data.startswith(MAGIC):
            raise DecodeError(path, "protobuf body does not start with the Kubernetes magic k8s\\x00")
        unknown = self.schema.message(UNKNOWN)
        values = self.collect(unknown, data[len(MAGIC) :], path)
        fields = {unknown.by_number[n].proto_name: raw[-1] for n, raw in values.items()}
        type_meta = fields.get("typeMeta", b"")
        assert isinstance(type_meta, bytes)
        tm_spec = self.schema.message(unknown.by_number[1].message)
        tm = {
            tm_spec.by_number[n].proto_name: _scalar(tm_spec.by_number[n], raw[-1], path)
            for n, raw in self.collect(tm_spec, type_meta, path).items()
        }
        api_version, kind = str(tm.get("apiVersion", "")), str(tm.get("kind", ""))
        for name in ("contentEncoding", "contentType"):
            value = fields.get(name, b"")
            if value:
                raise DecodeError(path, f"unsupported runtime.Unknown {name} {bytes(value)!r}")
        if not kind:
            raise DecodeError(path, "Object 'Kind' is missing in the protobuf envelope")
        if not api_version:
            raise DecodeError(path, "Object 'apiVersion' is missing in the protobuf envelope")
        spec = self.schema.message_for_kind(api_version, kind)
        if spec is None:
            raise DecodeError(path, f'no protobuf schema for kind "{kind}" in version "{api_version}"')
        raw = fields.get("raw", b"")
        assert isinstance(raw, bytes)
        body = self.message(spec, raw, path)
        assert isinstance(body, dict)
        return {"kind": kind, "apiVersion": api_version, **body}


def decode_object(data: bytes, schema: Schema | None = None) -> Obj:
    """A `k8s\\0` protobuf envelope -> the object's JSON form (kind and apiVersion first); ApiError 400 if
    it cannot be decoded faithfully."""
    s = schema or schema_mod.schema()
    try:
        obj = Decoder(s).envelope(data)
        check_depth(obj)  # raw JSON inside RawExtensions nests too
        return obj
    except (DecodeError, BodyDecodeError) as exc:
        raise errors.bad_request(f"unable to decode protobuf body: {exc}") from None
