"""Go zero-value checks over JSON objects: the building blocks every defaulter uses.

Upstream defaulters test Go fields for their zero value; on the wire that means:

    set_if_unset   pointer / struct field: missing or null
    set_if_empty   string field:           missing, null or ""
    set_if_zero    int field:              missing, null or 0

Every helper tolerates wrongly typed input (a list where an object belongs, ...) by leaving it
alone: rejecting such objects is validation's job, never a crash here.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

Obj = dict[str, Any]


def sub(obj: Obj | None, key: str) -> Obj | None:
    """`obj[key]` when it is an object, else None."""
    if obj is None:
        return None
    value = obj.get(key)
    return value if isinstance(value, dict) else None


def ensure(obj: Obj, key: str) -> Obj | None:
    """`obj[key]` as an object, created when missing or null (a Go struct is never omitted).

    None when the field holds something that is not an object.
    """
    value = obj.get(key)
    if value is None:
        value = {}
        obj[key] = value
    return value if isinstance(value, dict) else None


def each(obj: Obj | None, key: str) -> Iterator[Obj]:
    """The object items of the list at `obj[key]`."""
    if obj is None:
        return
    value = obj.get(key)
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                yield item


def set_if_unset(obj: Obj, key: str, value: Any) -> None:
    """Pointer or struct field: fill when missing or null."""
    if obj.get(key) is None:
        obj[key] = copy.deepcopy(value)


def set_if_empty(obj: Obj, key: str, value: Any) -> None:
    """String (or slice/map) field: fill when missing, null or empty."""
    current = obj.get(key)
    if current is None or current in ("", [], {}):
        obj[key] = copy.deepcopy(value)


def set_if_zero(obj: Obj, key: str, value: int) -> None:
    """Integer field: fill when missing, null or 0."""
    current = obj.get(key)
    if current is None or (current == 0 and not isinstance(current, bool)):
        obj[key] = value


def zero_template_meta(template: Obj) -> None:
    """An embedded ObjectMeta serializes `creationTimestamp: null` in 1.33 (omitted only from 1.34 on)."""
    meta = ensure(template, "metadata")
    if meta is not None and "creationTimestamp" not in meta:
        meta["creationTimestamp"] = None


def api_version_of(obj: Obj) -> str:
    """The version part of `obj.apiVersion` (`v2` for `autoscaling/v2`), "" when absent."""
    value = obj.get("apiVersion")
    if not isinstance(value, str):
        return ""
    return value.rsplit("/", 1)[-1]
