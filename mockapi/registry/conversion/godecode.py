"""Reading JSON the way Go's encoding/json fills a struct, for the annotations conversion decodes.

The autoscaling/v1 round-trip annotations are JSON that `json.Unmarshal` reads into Go structs, so:

    field names   match case-insensitively (an exact match is not required), the last matching key wins
    null          leaves a value field at its zero value and a pointer field nil
    wrong types   are an error for the whole document: upstream then ignores the annotation

`Mismatch` is that error; the conversion catches it per annotation.
"""

from __future__ import annotations

from typing import Any

from mockapi.api.objects import parse_rfc3339, rfc3339
from mockapi.api.types import Obj
from mockapi.registry.defaulting import quantity

_INT32 = (-(2**31), 2**31 - 1)


class Mismatch(ValueError):
    """The JSON does not decode into the Go type (json.UnmarshalTypeError and friends)."""


def field(obj: Obj, name: str) -> Any:
    """The value Go would assign to the struct field `name` (its JSON name), None when absent."""
    folded = name.casefold()
    found: Any = None
    for key, value in obj.items():
        if key == name or key.casefold() == folded:
            found = value
    return found


def struct(value: Any) -> Obj | None:
    """A JSON object for a struct (None for null or absent)."""
    if value is None or isinstance(value, dict):
        return value
    raise Mismatch(f"expected an object, got {type(value).__name__}")


def array(value: Any) -> list[Any]:
    """A JSON array for a slice (empty for null or absent)."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    raise Mismatch(f"expected an array, got {type(value).__name__}")


def string(value: Any) -> str:
    """A string field ("" for null or absent)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    raise Mismatch(f"expected a string, got {type(value).__name__}")


def optional_string(value: Any) -> str | None:
    """A *string field."""
    return None if value is None else string(value)


def int32(value: Any) -> int | None:
    """An int32 or *int32 field (None for null or absent); a fraction or out-of-range number is an error."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not _INT32[0] <= value <= _INT32[1]:
        raise Mismatch(f"expected an int32, got {value!r}")
    return value


def quantity_or_none(value: Any) -> str | None:
    """A *resource.Quantity field, in canonical form (Quantity.UnmarshalJSON takes a string or a number)."""
    if value is None:
        return None
    parsed = quantity.parse(value)
    if parsed is None:
        raise Mismatch(f"quantities must match the regular expression: {value!r}")
    return quantity.canonical(parsed)


def quantity_value(value: Any) -> str:
    """A resource.Quantity value field: the zero Quantity marshals as "0"."""
    return quantity_or_none(value) or "0"


def time_or_none(value: Any) -> str | None:
    """A metav1.Time field: RFC 3339 in, UTC seconds out; the zero time (null) stays None."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise Mismatch(f"expected a time string, got {type(value).__name__}")
    try:
        return rfc3339(parse_rfc3339(value))
    except ValueError:
        raise Mismatch(f"invalid time {value!r}") from None


def label_selector(value: Any) -> Obj | None:
    """A *metav1.LabelSelector: its two fields, each omitted when empty."""
    selector = struct(value)
    if selector is None:
        return None
    out: Obj = {}
    match_labels = struct(field(selector, "matchLabels"))
    if match_labels:
        out["matchLabels"] = {key: string(v) for key, v in match_labels.items()}
    expressions = array(field(selector, "matchExpressions"))
    if expressions:
        out["matchExpressions"] = [_requirement(e) for e in expressions]
    return out


def _requirement(value: Any) -> Obj:
    requirement = struct(value) or {}
    out: Obj = {"key": string(field(requirement, "key")), "operator": string(field(requirement, "operator"))}
    values = [string(v) for v in array(field(requirement, "values"))]
    if values:
        out["values"] = values
    return out
