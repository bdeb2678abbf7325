"""Request-body decoding budgets shared by every decoder, and JSON bodies within them.

kube-apiserver refuses a body over 3 MiB (`--max-request-bytes`) and JSON nested deeper than 10,000
levels. mockapi's limit on nesting is lower, `MAX_DEPTH`: its walkers (field validation, patches,
managed fields) recurse per level and its JSON encoder stops at 254 levels, while no built-in kind
comes near it (a CustomResourceDefinition schema rarely passes 60). YAML alias expansion has its own
budget in `yamljson`.
"""

from __future__ import annotations

from typing import Any

import orjson

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
    except orjson.JSONDecodeError as exc:
        raise DecodeError(str(exc)) from None
    check_depth(value)
    return value


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
