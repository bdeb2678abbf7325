"""JSON object -> protobuf envelope, byte for byte as client-go's gogo-generated marshallers write it.

The reverse of `decode`: fields in ascending number order; Go value scalars and value structs always
written (zero values too: `generateName` as `12 00`), pointers, slices and maps only when set; map
entries sorted by key; the envelope's `contentEncoding`/`contentType` written empty. For responses to
clients that accept only protobuf.

A kind without a protobuf schema (custom resources, aggregated APIs) is 406 NotAcceptable, as in
kube-apiserver; a JSON field the schema cannot hold is a 500 (it would otherwise be dropped silently).
"""

from __future__ import annotations

import base64
import binascii
import struct
from typing import Any

import orjson

from mockapi.api import errors
from mockapi.api.types import Obj
from mockapi.protobuf import gojson, wire
from mockapi.protobuf import schema as schema_mod
from mockapi.protobuf.decode import MAGIC, expected_wire_type
from mockapi.protobuf.schema import (
    TYPE_BOOL,
    TYPE_BYTES,
    TYPE_DOUBLE,
    TYPE_FIXED32,
    TYPE_FIXED64,
    TYPE_FLOAT,
    TYPE_MESSAGE,
    TYPE_SFIXED32,
    TYPE_SFIXED64,
    TYPE_SINT32,
    TYPE_SINT64,
    TYPE_STRING,
    FieldSpec,
    MessageSpec,
    Schema,
)

TYPE_META_KEYS = frozenset({"kind", "apiVersion"})


class EncodeError(ValueError):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path or '<object>'}: {message}")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _int(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise EncodeError(path, f"expected an integer, got {value!r}")
    return int(value)


def _scalar_payload(f: FieldSpec, value: Any, path: str) -> bytes:
    """The value bytes (no key) of one scalar in its wire encoding."""
    t = f.proto_type
    if t == TYPE_STRING:
        if not isinstance(value, str):
            raise EncodeError(path, f"expected a string, got {value!r}")
        payload = value.encode()
        return wire.varint(len(payload)) + payload
    if t == TYPE_BYTES:
        if not isinstance(value, str):
            raise EncodeError(path, f"expected a base64 string, got {value!r}")
        try:
            payload = base64.b64decode(value, validate=True)
        except binascii.Error as exc:
            raise EncodeError(path, f"illegal base64 data: {exc}") from None
        return wire.varint(len(payload)) + payload
    if t == TYPE_BOOL:
        if not isinstance(value, bool):
            raise EncodeError(path, f"expected a boolean, got {value!r}")
        return wire.varint(int(value))
    if t in (TYPE_DOUBLE, TYPE_FLOAT):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise EncodeError(path, f"expected a number, got {value!r}")
        return struct.pack("<d" if t == TYPE_DOUBLE else "<f", float(value))
    number = _int(value, path)
    if t in (TYPE_FIXED64, TYPE_SFIXED64):
        return (number & 0xFFFFFFFFFFFFFFFF).to_bytes(8, "little")
    if t in (TYPE_FIXED32, TYPE_SFIXED32):
        return (number & 0xFFFFFFFF).to_bytes(4, "little")
    if t in (TYPE_SINT32, TYPE_SINT64):
        return wire.varint(wire.zigzag_encode(number, 32 if t == TYPE_SINT32 else 64))
    return wire.varint(number)


def _zero_json(f: FieldSpec) -> Any:
    if f.proto_type == TYPE_STRING:
        return ""
    if f.proto_type == TYPE_BOOL:
        return False
    return 0


class Encoder:
    def __init__(self, schema: Schema) -> None:
        self.schema = schema

    def field(self, f: FieldSpec, value: Any, path: str) -> bytes:
        """Key + value bytes of one field, or b"" when gogo would not write it."""
        if f.is_map:
            if value is None:
                return b""
            if not isinstance(value, dict):
                raise EncodeError(path, f"expected an object, got {value!r}")
            assert f.map_key is not None and f.map_value is not None
            out = bytearray()
            for key in sorted(value):
                entry = self.single(f.map_key, key, path) + self.single(f.map_value, value[key], f"{path}[{key}]")
                out += wire.length_delimited(f.number, entry)
            return bytes(out)
        if f.repeated:
            if value is None:
                return b""
            if not isinstance(value, list):
                raise EncodeError(path, f"expected an array, got {value!r}")
            if f.packed and expected_wire_type(f.proto_type) != wire.LEN:
                if not value:
                    return b""
                payload = b"".join(_scalar_payload(f, v, f"{path}[{i}]") for i, v in enumerate(value))
                return wire.length_delimited(f.number, payload)
            return b"".join(self.single(f, v, f"{path}[{i}]") for i, v in enumerate(value))
        pointer_like = f.go_kind in ("ptr", "slice", "map") or f.proto_type == TYPE_BYTES
        if value is None and pointer_like:
            return b""
        if value is None and f.proto_type != TYPE_MESSAGE:
            value = _zero_json(f)
        return self.single(f, value, path)

    def single(self, f: FieldSpec, value: Any, path: str) -> bytes:
        if f.proto_type == TYPE_MESSAGE:
            return wire.length_delimited(f.number, self.message(self.schema.message(f.message), value, path))
        return wire.key(f.number, expected_wire_type(f.proto_type)) + _scalar_payload(f, value, path)

    def message(self, spec: MessageSpec, value: Any, path: str) -> bytes:
        if spec.special is not None:
            return self.special(spec, value, path)
        if spec.go_kind == "slice":
            (items,) = spec.fields
            return self.field(items, value, path)
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise EncodeError(path, f"expected an object for {spec.name}, got {value!r}")
        consumed: set[str] = set()
        out = self.struct(spec, value, path, consumed)
        allowed = TYPE_META_KEYS if any(f.number == 0 and f.inline for f in spec.fields) else frozenset()
        extra = sorted(set(value) - consumed - allowed)
        if extra:
            raise EncodeError(path, f"{spec.name} has no field {extra[0]!r}")
        return out

    def struct(self, spec: MessageSpec, value: Obj, path: str, consumed: set[str]) -> bytes:
        parts: list[tuple[int, bytes]] = []
        for f in spec.fields:
            if f.number == 0 or f.hidden:
                continue
            if f.inline:
                inner = self.struct(self.schema.message(f.message), value, path, consumed)
                parts.append((f.number, wire.length_delimited(f.number, inner)))
                continue
            consumed.add(f.json_name)
            parts.append((f.number, self.field(f, value.get(f.json_name), _join(path, f.json_name))))
        parts.sort(key=lambda p: p[0])
        return b"".join(p[1] for p in parts)

    def special(self, spec: MessageSpec, value: Any, path: str) -> bytes:
        kind = spec.special
        fields = {f.proto_name: f for f in spec.by_number.values()}

        def put(name: str, v: Any) -> bytes:
            return self.single(fields[name], v, path)

        try:
            if kind in ("time", "microtime"):
                if value is None:
                    return b""  # metav1.Time.Marshal: the zero time is no bytes at all
                seconds, nanos = gojson.parse_time(str(value))
                return put("seconds", seconds) + put("nanos", nanos if kind == "microtime" else 0)
            if kind == "duration":
                return put("duration", gojson.parse_duration(str(value)))
            if kind == "quantity":
                return put("string", "0" if value is None else str(value))
            if kind == "intorstring":
                if isinstance(value, str):
                    return put("type", 1) + put("intVal", 0) + put("strVal", value)
                return put("type", 0) + put("intVal", _int(value, path)) + put("strVal", "")
            if kind == "groupversion":
                group, _, version = str(value).rpartition("/")
                return put("group", group) + put("version", version)
            if kind in ("fieldsv1", "rawextension"):
                if value is None:
                    return b""
                raw = orjson.dumps(value)
                f = fields["Raw" if kind == "fieldsv1" else "raw"]
                return wire.length_delimited(f.number, raw)
        except ValueError as exc:
            raise EncodeError(path, str(exc)) from None
        raise EncodeError(path, f"{spec.name} cannot be encoded from JSON")

    def envelope(self, obj: Obj, api_version: str, kind: str) -> bytes:
        spec = self.schema.message_for_kind(api_version, kind)
        if spec is None:
            raise LookupError(kind)
        body = {k: v for k, v in obj.items() if k not in TYPE_META_KEYS}
        raw = self.message(spec, body, "")
        # runtime.Unknown{typeMeta{apiVersion, kind}, raw, contentEncoding, contentType}, all always written
        type_meta = wire.length_delimited(1, api_version.encode()) + wire.length_delimited(2, kind.encode())
        return (
            MAGIC
            + wire.length_delimited(1, type_meta)
            + wire.length_delimited(2, raw)
            + wire.length_delimited(3, b"")
            + wire.length_delimited(4, b"")
        )


def encode_object(obj: Obj, api_version: str, kind: str, schema: Schema | None = None) -> bytes:
    """The `k8s\\0` protobuf envelope of a JSON object; ApiError 406 if the kind has no protobuf schema."""
    s = schema or schema_mod.schema()
    try:
        return Encoder(s).envelope(obj, api_version, kind)
    except LookupError:
        raise errors.not_acceptable(["application/json", "application/yaml"]) from None
    except EncodeError as exc:
        raise errors.internal(f"unable to encode {kind} as protobuf: {exc}") from None
