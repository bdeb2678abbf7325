"""How Go prints things that reach clients in kube-apiserver's messages: `%q` strings, encoding/json's
names for JSON value kinds, and reflect's names for decoded JSON values."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote_to_bytes

_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def header_text(value: str) -> str:
    """A header value as Go code handles it once it is written out: aiohttp keeps bytes that are not UTF-8 as
    lone surrogates, which cannot be encoded again; Go's writers put U+FFFD in their place."""
    if value.isascii():
        return value
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


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


def parse_int(text: str, bits: int = 64) -> int:
    """strconv.ParseInt(text, 10, bits); ValueError with strconv's message."""
    body = text[1:] if text[:1] in "+-" else text
    if not body or not body.isascii() or not body.isdigit():
        raise ValueError(f"strconv.ParseInt: parsing {go_quote(text)}: invalid syntax")
    value = int(text)
    if not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
        raise ValueError(f"strconv.ParseInt: parsing {go_quote(text)}: value out of range")
    return value


def parse_uint(text: str, bits: int = 64) -> int:
    """strconv.ParseUint(text, 10, bits); ValueError with strconv's message."""
    if not text or not text.isascii() or not text.isdigit():
        raise ValueError(f"strconv.ParseUint: parsing {go_quote(text)}: invalid syntax")
    value = int(text)
    if value >= 2**bits:
        raise ValueError(f"strconv.ParseUint: parsing {go_quote(text)}: value out of range")
    return value


_DURATION_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str) -> float:
    """time.ParseDuration, in seconds; ValueError with Go's message."""
    invalid = ValueError(f"time: invalid duration {go_quote(text)}")
    rest = text
    sign = -1.0 if rest.startswith("-") else 1.0
    rest = rest[1:] if rest[:1] in "+-" else rest
    if rest == "0":
        return 0.0
    if not rest:
        raise invalid
    total = 0.0
    while rest:
        number = ""
        while rest and ((rest[0].isascii() and rest[0].isdigit()) or rest[0] == "."):
            number, rest = number + rest[0], rest[1:]
        if number in ("", ".") or number.count(".") > 1:
            raise invalid
        unit = ""
        while rest and not (rest[0].isascii() and rest[0].isdigit()) and rest[0] != ".":
            unit, rest = unit + rest[0], rest[1:]
        if not unit:
            raise ValueError(f"time: missing unit in duration {go_quote(text)}")
        if unit not in _DURATION_UNITS:
            raise ValueError(f"time: unknown unit {go_quote(unit)} in duration {go_quote(text)}")
        total += float(number) * _DURATION_UNITS[unit]
    if total * 1e9 >= 2**63:
        raise invalid
    return sign * total


_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def extra_key(lowered: str) -> str:
    """unescapeExtraKey (impersonation and request-header extras): url.PathUnescape of the lower-cased key,
    or the key as it is when that fails (a `%` not followed by two hex digits)."""
    if _BAD_ESCAPE.search(lowered):
        return lowered
    return unquote_to_bytes(lowered).decode("utf-8", errors="replace")
