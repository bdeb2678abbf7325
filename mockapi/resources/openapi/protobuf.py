"""The `/openapi/v2` document in gnostic's protobuf form (`openapi.v2.Document`), encoded by hand.

kube-openapi serves `proto.Marshal(openapi_v2.ParseDocument(json))`; this walks the same JSON document
and writes the same messages. Field numbers are those of google/gnostic `openapiv2/OpenAPIv2.proto`
(package `openapi.v2`, vendored by Kubernetes as github.com/google/gnostic-models; Apache-2.0), e.g.
Document: swagger=1 info=2 paths=8 definitions=9 parameters=10 security=12 security_definitions=13;
Schema: _ref=1 format=2 title=3 description=4 default=5 ... required=19 enum=20 additional_properties=21
type=22 items=23 all_of=24 properties=25 discriminator=26 read_only=27 example=30 vendor_extension=31.

As in Go's marshalling: fields in field-number order, proto3 zero values (empty strings, false)
omitted, maps as repeated Named* pairs in the JSON document's key order (sorted, as Go writes maps).
Vendor extensions and other free-form values are `Any{yaml}` with the value written as YAML the way
gnostic does (yaml.v3 block style, four-space indent); clients parse that YAML, not its bytes.
"""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Callable, Iterable
from typing import Any

Doc = dict[str, Any]


class UnsupportedField(ValueError):
    """The document has a field this encoder does not know; better to fail than to drop it."""


# --- wire format ----------------------------------------------------------------------------------


def _varint(value: int) -> bytes:
    if value < 0:
        value &= (1 << 64) - 1
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _len(field: int, payload: bytes) -> bytes:
    return _varint(field << 3 | 2) + _varint(len(payload)) + payload


def _str(field: int, value: object) -> bytes:
    if not value:
        return b""
    if not isinstance(value, str):
        raise UnsupportedField(f"field {field}: expected a string, got {value!r}")
    return _len(field, value.encode())


def _strs(field: int, values: object) -> bytes:
    if not isinstance(values, list):
        values = [values]
    return b"".join(_len(field, str(v).encode()) for v in values)


def _bool(field: int, value: object) -> bytes:
    return _varint(field << 3) + b"\x01" if value else b""


def _int(field: int, value: object) -> bytes:
    return _varint(field << 3) + _varint(int(value)) if value else b""  # type: ignore[call-overload]


def _double(field: int, value: object) -> bytes:
    return _varint(field << 3 | 1) + struct.pack("<d", float(value)) if value else b""  # type: ignore[arg-type]


def _msg(field: int, payload: bytes) -> bytes:
    """A present sub-message, even when empty (Go writes non-nil message pointers)."""
    return _len(field, payload)


# --- Any: YAML text of a free-form value ----------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z_./][A-Za-z0-9_./,-]*")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}


def _yaml_scalar(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


def _yaml_lines(value: object, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return [pad + "{}"]
        lines: list[str] = []
        for key in sorted(value):
            child = value[key]
            if isinstance(child, dict | list) and child:
                lines.append(f"{pad}{_yaml_scalar(key)}:")
                lines.extend(_yaml_lines(child, indent + 4))
            else:
                lines.append(f"{pad}{_yaml_scalar(key)}: {_yaml_inline(child)}")
        return lines
    if isinstance(value, list):
        if not value:
            return [pad + "[]"]
        lines = []
        for item in value:
            if isinstance(item, dict | list) and item:
                nested = _yaml_lines(item, indent + 2)
                lines.append(pad + "- " + nested[0][indent + 2 :])
                lines.extend(nested[1:])
            else:
                lines.append(f"{pad}- {_yaml_inline(item)}")
        return lines
    return [pad + _yaml_scalar(value)]


def _yaml_inline(value: object) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return _yaml_scalar(value)


def yaml_text(value: object) -> str:
    """gnostic's `compiler.Marshal` of a JSON value (yaml.v3 block style)."""
    return "\n".join(_yaml_lines(value, 0)) + "\n"


def _any(value: object) -> bytes:
    return _str(2, yaml_text(value))


def _named_any(field: int, name: str, value: object) -> bytes:
    return _msg(field, _str(1, name) + _msg(2, _any(value)))


def _extensions(field: int, node: Doc) -> bytes:
    return b"".join(_named_any(field, k, node[k]) for k in sorted(node) if k.startswith("x-"))


def _check(node: Doc, known: Iterable[str], what: str) -> None:
    unknown = [k for k in node if k not in known and not k.startswith("x-")]
    if unknown:
        raise UnsupportedField(f"{what}: cannot encode {', '.join(sorted(unknown))}")


# --- messages -------------------------------------------------------------------------------------

_SCHEMA_KEYS = {
    "$ref",
    "format",
    "title",
    "description",
    "default",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "additionalProperties",
    "type",
    "items",
    "allOf",
    "properties",
    "discriminator",
    "readOnly",
    "example",
}


def schema(node: Doc) -> bytes:
    _check(node, _SCHEMA_KEYS, "schema")
    out = [
        _str(1, node.get("$ref")),
        _str(2, node.get("format")),
        _str(3, node.get("title")),
        _str(4, node.get("description")),
        _msg(5, _any(node["default"])) if "default" in node else b"",
        _double(6, node.get("multipleOf")),
        _double(7, node.get("maximum")),
        _bool(8, node.get("exclusiveMaximum")),
        _double(9, node.get("minimum")),
        _bool(10, node.get("exclusiveMinimum")),
        _int(11, node.get("maxLength")),
        _int(12, node.get("minLength")),
        _str(13, node.get("pattern")),
        _int(14, node.get("maxItems")),
        _int(15, node.get("minItems")),
        _bool(16, node.get("uniqueItems")),
        _int(17, node.get("maxProperties")),
        _int(18, node.get("minProperties")),
        _strs(19, node.get("required", [])),
        b"".join(_msg(20, _any(v)) for v in node.get("enum", [])),
    ]
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        out.append(_msg(21, _msg(1, schema(extra))))
    elif isinstance(extra, bool):
        out.append(_msg(21, _varint(2 << 3) + (b"\x01" if extra else b"\x00")))
    if "type" in node:
        out.append(_msg(22, _strs(1, node["type"])))
    items = node.get("items")
    if isinstance(items, dict):
        out.append(_msg(23, _msg(1, schema(items))))
    elif isinstance(items, list):
        out.append(_msg(23, b"".join(_msg(1, schema(s)) for s in items)))
    out.extend(_msg(24, schema(s)) for s in node.get("allOf", []))
    props = node.get("properties")
    if props is not None:
        out.append(_msg(25, b"".join(_msg(1, _str(1, k) + _msg(2, schema(props[k]))) for k in sorted(props))))
    out.append(_str(26, node.get("discriminator")))
    out.append(_bool(27, node.get("readOnly")))
    if "example" in node:
        out.append(_msg(30, _any(node["example"])))
    out.append(_extensions(31, node))
    return b"".join(out)


# Non-body parameter sub-schemas: (message field in NonBodyParameter, {JSON key: (field, encoder)}).
_Enc = Callable[[int, object], bytes]
_SIMPLE: dict[str, _Enc] = {
    "required": _bool,
    "in": _str,
    "description": _str,
    "name": _str,
    "type": _str,
    "format": _str,
    "collectionFormat": _str,
    "uniqueItems": _bool,
    "pattern": _str,
}
_QUERY_FIELDS = {
    "required": 1,
    "in": 2,
    "description": 3,
    "name": 4,
    "type": 6,
    "format": 7,
    "collectionFormat": 9,
    "pattern": 17,
    "uniqueItems": 20,
}
_PATH_FIELDS = {
    "required": 1,
    "in": 2,
    "description": 3,
    "name": 4,
    "type": 5,
    "format": 6,
    "collectionFormat": 8,
    "pattern": 16,
    "uniqueItems": 19,
}
_HEADER_FIELDS = _PATH_FIELDS
_SUB_SCHEMAS = {"header": (1, _HEADER_FIELDS), "query": (3, _QUERY_FIELDS), "path": (4, _PATH_FIELDS)}


def parameter(node: Doc) -> bytes:
    """A `Parameter` message (body or non-body)."""
    if node.get("in") == "body":
        _check(node, {"description", "name", "in", "required", "schema"}, "body parameter")
        body = b"".join(
            (
                _str(1, node.get("description")),
                _str(2, node.get("name")),
                _str(3, node.get("in")),
                _bool(4, node.get("required")),
                _msg(5, schema(node["schema"])) if "schema" in node else b"",
                _extensions(6, node),
            )
        )
        return _msg(1, body)
    location = node.get("in")
    if location not in _SUB_SCHEMAS:
        raise UnsupportedField(f"parameter in {location!r}")
    field, numbers = _SUB_SCHEMAS[str(location)]
    _check(node, numbers, f"{location} parameter")
    ext_field = 23 if location == "query" else 22 if location == "path" else 19
    parts = sorted((numbers[k], _SIMPLE[k](numbers[k], v)) for k, v in node.items() if k in numbers)
    sub = b"".join(p for _, p in parts) + _extensions(ext_field, node)
    return _msg(2, _msg(field, sub))


def _parameters_item(node: Doc) -> bytes:
    if "$ref" in node:
        return _msg(2, _str(1, node["$ref"]) + _str(2, node.get("description")))
    return _msg(1, parameter(node))


def _responses(node: Doc) -> bytes:
    out = []
    for code in sorted(node):
        if code.startswith("x-"):
            continue
        response = node[code]
        _check(response, {"description", "schema"}, "response")
        body = _str(1, response.get("description"))
        if "schema" in response:
            body += _msg(2, _msg(1, schema(response["schema"])))
        out.append(_msg(1, _str(1, code) + _msg(2, _msg(1, body))))
    return b"".join(out) + _extensions(2, node)


_OPERATION_KEYS = {
    "tags",
    "summary",
    "description",
    "operationId",
    "produces",
    "consumes",
    "parameters",
    "responses",
    "schemes",
    "deprecated",
}


def operation(node: Doc) -> bytes:
    _check(node, _OPERATION_KEYS, "operation")
    return b"".join(
        (
            _strs(1, node.get("tags", [])),
            _str(2, node.get("summary")),
            _str(3, node.get("description")),
            _str(5, node.get("operationId")),
            _strs(6, node.get("produces", [])),
            _strs(7, node.get("consumes", [])),
            b"".join(_msg(8, _parameters_item(p)) for p in node.get("parameters", [])),
            _msg(9, _responses(node["responses"])) if "responses" in node else b"",
            _strs(10, node.get("schemes", [])),
            _bool(11, node.get("deprecated")),
            _extensions(13, node),
        )
    )


_PATH_ITEM_FIELDS = {"get": 2, "put": 3, "post": 4, "delete": 5, "options": 6, "head": 7, "patch": 8}


def path_item(node: Doc) -> bytes:
    _check(node, {*_PATH_ITEM_FIELDS, "parameters", "$ref"}, "path item")
    out = [_str(1, node.get("$ref"))]
    for method, field in _PATH_ITEM_FIELDS.items():
        if method in node:
            out.append(_msg(field, operation(node[method])))
    out.extend(_msg(9, _parameters_item(p)) for p in node.get("parameters", []))
    out.append(_extensions(10, node))
    return b"".join(out)


def _security_requirement(node: Doc) -> bytes:
    return b"".join(_msg(1, _str(1, k) + _msg(2, _strs(1, node[k]))) for k in sorted(node))


def _security_definition(node: Doc) -> bytes:
    if node.get("type") != "apiKey":
        raise UnsupportedField(f"security definition of type {node.get('type')!r}")
    _check(node, {"type", "name", "in", "description"}, "apiKey security")
    body = _str(1, node["type"]) + _str(2, node.get("name")) + _str(3, node.get("in"))
    return _msg(2, body + _str(4, node.get("description")) + _extensions(5, node))


def _named(field: int, mapping: Doc, encode: Callable[[Doc], bytes]) -> bytes:
    return b"".join(_msg(field, _str(1, k) + _msg(2, encode(mapping[k]))) for k in sorted(mapping))


def document(doc: Doc) -> bytes:
    """`openapi.v2.Document` for a Swagger 2.0 JSON document."""
    _check(
        doc,
        {
            "swagger",
            "info",
            "host",
            "basePath",
            "schemes",
            "consumes",
            "produces",
            "paths",
            "definitions",
            "parameters",
            "responses",
            "security",
            "securityDefinitions",
            "tags",
        },
        "document",
    )
    info = doc.get("info", {})
    _check(info, {"title", "version", "description", "termsOfService"}, "info")
    out = [
        _str(1, doc.get("swagger")),
        _msg(
            2,
            _str(1, info.get("title"))
            + _str(2, info.get("version"))
            + _str(3, info.get("description"))
            + _str(4, info.get("termsOfService"))
            + _extensions(7, info),
        )
        if "info" in doc
        else b"",
        _str(3, doc.get("host")),
        _str(4, doc.get("basePath")),
        _strs(5, doc.get("schemes", [])),
        _strs(6, doc.get("consumes", [])),
        _strs(7, doc.get("produces", [])),
    ]
    if "paths" in doc:
        paths = doc["paths"]
        out.append(
            _msg(
                8,
                _extensions(1, paths)
                + _named(2, {k: v for k, v in paths.items() if not k.startswith("x-")}, path_item),
            )
        )
    if "definitions" in doc:
        out.append(_msg(9, _named(1, doc["definitions"], schema)))
    if "parameters" in doc:
        out.append(_msg(10, _named(1, doc["parameters"], parameter)))
    if doc.get("responses"):
        raise UnsupportedField("document responses")
    out.extend(_msg(12, _security_requirement(r)) for r in doc.get("security", []))
    if "securityDefinitions" in doc:
        out.append(_msg(13, _named(1, doc["securityDefinitions"], _security_definition)))
    if doc.get("tags"):
        raise UnsupportedField("document tags")
    out.append(_extensions(16, doc))
    return b"".join(out)
