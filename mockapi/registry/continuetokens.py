"""Continue tokens, shaped as k8s.io/apiserver/pkg/storage/continue.go shapes them: unpadded URL-safe
base64 of `{"v":"meta.k8s.io/v1","rv":<revision>,"start":"<namespace>/<name>\\u0000"}`.

Decoding is total: every token a client can send either decodes or is a 400 in the etcd3 store's words
(`invalid continue token: continue key is not valid...`).
"""

from __future__ import annotations

import base64
import posixpath
import re
from typing import Any

import orjson

from mockapi.api import errors
from mockapi.api.golang import json_kind
from mockapi.api.jsonsyntax import syntax_error

_VERSION = "meta.k8s.io/v1"
_INVALID = "continue key is not valid"
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
_FIELDS: dict[str, tuple[str, type]] = {"v": ("string", str), "rv": ("int64", int), "start": ("string", str)}


def encode_continue(rv: int, namespace: str, name: str) -> str:
    start = f"{namespace}/{name}\x00" if namespace else f"{name}\x00"
    raw = orjson.dumps({"v": _VERSION, "rv": rv, "start": start})
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_continue(token: str, namespaced_keys: bool) -> tuple[int | None, tuple[str, str]]:
    """(revision to list at, or None for the latest; the (namespace, name) to start after)."""
    data = _decode_base64(token)
    fields = _unmarshal(data)
    version, rv, start = fields.get("v", ""), fields.get("rv", 0), fields.get("start", "")
    if version != _VERSION:
        raise _bad(f"{_INVALID}: server does not recognize this encoded version {version}")
    if rv == 0:
        raise _bad(f"{_INVALID}: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
    if not start:
        raise _bad(f"{_INVALID}: encoded start key empty (version meta.k8s.io/v1)")
    key = start if start.startswith("/") else "/" + start
    if posixpath.normpath(key) != key or key.startswith("//"):  # path.Clean: no way out of the prefix
        raise _bad(f"{_INVALID}: {start}")
    start = key[1:].rstrip("\x00")
    at_rv = rv if rv > 0 else None  # a negative revision continues at the latest one
    if namespaced_keys and "/" in start:
        ns, _, name = start.partition("/")
        return at_rv, (ns, name)
    return at_rv, ("", start)


def _bad(message: str) -> errors.ApiError:
    return errors.bad_request(f"invalid continue token: {message}")


def _decode_base64(token: str) -> bytes:
    """base64.RawURLEncoding.DecodeString: no padding, URL alphabet, errors at the first bad byte."""
    match = _BASE64URL.match(token)
    end = match.end() if match else 0
    if end < len(token) or len(token) % 4 == 1:
        position = end if end < len(token) else len(token) - 1
        raise _bad(f"{_INVALID}: illegal base64 data at input byte {position}")
    return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))


def _unmarshal(data: bytes) -> dict[str, Any]:
    """json.Unmarshal into the token struct, with encoding/json's type errors."""
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        error, _ = syntax_error(data)
        raise _bad(f"{_INVALID}: {error or 'invalid character looking for beginning of value'}") from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        kind = json_kind(value)
        raise _bad(f"{_INVALID}: json: cannot unmarshal {kind} into Go value of type storage.continueToken")
    fields: dict[str, Any] = {}
    for name, (go_type, py_type) in _FIELDS.items():
        if name not in value or value[name] is None:
            continue
        item = value[name]
        fits = isinstance(item, py_type) and not isinstance(item, bool)
        if fits and isinstance(item, int):
            fits = -(2**63) <= item < 2**63
        if not fits:
            kind = _json_kind(item, number_literal=py_type is int)
            raise _bad(
                f"{_INVALID}: json: cannot unmarshal {kind} into Go struct field continueToken.{name} of type {go_type}"
            )
        fields[name] = item
    return fields


def _json_kind(value: Any, *, number_literal: bool = False) -> str:
    """UnmarshalTypeError's value: a number decoded into an integer field is quoted with its literal."""
    kind = json_kind(value)
    return f"number {value}" if kind == "number" and number_literal else kind
