"""JSON out as Go's encoding/json writes it: compact, HTML-safe escapes, U+2028/U+2029 escaped.

kube-apiserver's JSON serializer encodes with json.Encoder, so every body ends with a newline.
"""

from __future__ import annotations

from typing import Any

import orjson

_ESCAPES = (
    (b"<", b"\\u003c"),
    (b">", b"\\u003e"),
    (b"&", b"\\u0026"),
    ("\u2028".encode(), b"\\u2028"),
    ("\u2029".encode(), b"\\u2029"),
)


def go_json(value: Any, *, sort_keys: bool = False) -> bytes:
    """Compact JSON bytes with Go's escaping, without a trailing newline (`sort_keys`: as json.Marshal of
    a map, which sorts them)."""
    data = orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else None)
    for raw, escaped in _ESCAPES:
        if raw in data:
            data = data.replace(raw, escaped)
    return data


def response_json(value: Any) -> bytes:
    """A response body as kube-apiserver sends it (json.Encoder: trailing newline)."""
    return go_json(value) + b"\n"
