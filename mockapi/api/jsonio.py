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
_LEAD = b"\xe2"  # the first byte of U+2028 and U+2029 in UTF-8


def _escaped(data: bytes) -> bytes:
    # most bodies need no escape: four single-byte scans (memchr) say so faster than the five searches
    if b"<" not in data and b">" not in data and b"&" not in data and _LEAD not in data:
        return data
    for raw, escaped in _ESCAPES:
        if raw in data:
            data = data.replace(raw, escaped)
    return data


def go_json(value: Any, *, sort_keys: bool = False) -> bytes:
    """Compact JSON bytes with Go's escaping, without a trailing newline (`sort_keys`: as json.Marshal of
    a map, which sorts them)."""
    return _escaped(orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else None))


def response_json(value: Any) -> bytes:
    """A response body as kube-apiserver sends it (json.Encoder: trailing newline, written by orjson
    rather than by copying the body once more)."""
    return _escaped(orjson.dumps(value, option=orjson.OPT_APPEND_NEWLINE))
