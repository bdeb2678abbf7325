"""Request-body decoding budgets shared by every decoder, and JSON bodies within them.

kube-apiserver refuses a body over 3 MiB (`--max-request-bytes`) and JSON nested deeper than 10,000
levels. mockapi's limit on nesting is lower, `MAX_DEPTH`: its walkers (field validation, patches,
managed fields) recurse per level and its JSON encoder stops at 254 levels, while no built-in kind
comes near it (a CustomResourceDefinition schema rarely passes 60). YAML alias expansion has its own
budget in `yamljson`.
"""

from __future__ import annotations

import json
import math
from typing import Any

import orjson

from mockapi.api.jsonsyntax import syntax_error

MAX_REQUEST_BYTES = 3 * 1024 * 1024
"""kube-apiserver's limit for a request body (--max-request-bytes default)."""
MAX_DECODED_BYTES = MAX_REQUEST_BYTES
"""A YAML body that uses aliases may not expand to more JSON than a request may carry."""
MAX_DEPTH = 200
"""Deepest nesting of objects and arrays accepted in a body."""


class DecodeError(ValueError):
    """A body that does not decode; the message is the text kube-apiserver's decoder reports."""


def json_value(raw: bytes | str) -> Any:
    """The JSON value of a body; DecodeError with encoding/json's words when it is not JSON or nests
    deeper than MAX_DEPTH."""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        value = _as_go_reads_it(raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass"))
    data = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass")
    if data.count(b"{") + data.count(b"[") > MAX_DEPTH:  # fewer brackets than that cannot nest deeper
        check_depth(value)
    return value


def _as_go_reads_it(raw: bytes) -> Any:
    """A body orjson refuses: Go's scanner error, or (for text Go takes as JSON: invalid UTF-8, lone
    surrogate escapes) the value with U+FFFD where Go puts it."""
    error, deepest = syntax_error(raw)
    if error is not None:
        raise DecodeError(error)
    if deepest > MAX_DEPTH:
        raise DecodeError(f"exceeded max depth of {MAX_DEPTH}")
    try:
        value = json.loads(raw.decode("utf-8", "replace"), parse_float=_finite, parse_int=int)
    except (ValueError, RecursionError) as exc:
        raise DecodeError(str(exc)) from None
    return _replace_surrogates(value)


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise DecodeError(f"json: cannot unmarshal number {text} into Go value of type float64")
    return number


def _replace_surrogates(value: Any) -> Any:
    """Go decodes a lone surrogate escape (`\\ud800`) as U+FFFD."""
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace") if _has_surrogate(value) else value
    if isinstance(value, list):
        return [_replace_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_replace_surrogates(k): _replace_surrogates(v) for k, v in value.items()}
    return value


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def check_depth(value: Any, limit: int = MAX_DEPTH) -> None:
    """DecodeError when objects and arrays nest deeper than `limit` (iterative: safe at any depth)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if isinstance(current, dict):
            children: Any = current.values()
        elif isinstance(current, list):
            children = current
        else:
            continue
        if depth > limit:
            raise DecodeError(f"exceeded max depth of {limit}")
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
