"""How Go prints things that reach clients in kube-apiserver's messages: `%q` strings, encoding/json's
names for JSON value kinds, and reflect's names for decoded JSON values."""

from __future__ import annotations

from typing import Any

_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def go_quote(s: str) -> str:
    """Go's `%q` of a string (strconv.Quote)."""
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch.isprintable():
            out.append(ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\x{o:02x}")
        elif o < 0x10000:
            out.append(f"\\u{0xFFFD if 0xD800 <= o <= 0xDFFF else o:04x}")
        else:
            out.append(f"\\U{o:08x}")
    out.append('"')
    return "".join(out)


def json_kind(value: Any) -> str:
    """encoding/json's name for a JSON value in an UnmarshalTypeError (`array`, `string`, ...)."""
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, dict):
        return "object"
    if value is None:
        return "null"
    return "number"


def reflect_type(value: Any) -> str:
    """`reflect.TypeOf(v).String()` of a value decoded into interface{} (numbers as int64/float64)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "map[string]interface {}"
    return "[]interface {}"
