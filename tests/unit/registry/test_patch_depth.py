"""A patch may not nest the object deeper than a body may (mockapi's MAX_DEPTH), whatever its type."""

from __future__ import annotations

from typing import Any

import pytest

from mockapi.api.decoding import MAX_DEPTH
from mockapi.api.errors import ApiError
from mockapi.registry.patch import JSON_PATCH, MERGE_PATCH, apply_patch


def _nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = {"a": value}
    return value


def test_a_json_patch_grafting_deep_onto_deep_is_refused() -> None:
    current = {"metadata": {"name": "c"}, "spec": _nested(100)}
    patch = [{"op": "add", "path": "/spec" + "/a" * 99 + "/b", "value": _nested(MAX_DEPTH - 50)}]
    with pytest.raises(ApiError) as info:
        apply_patch(current, JSON_PATCH, patch)
    assert info.value.code == 400
    assert info.value.message == f"the patched object is too deep: exceeded max depth of {MAX_DEPTH}"


def test_a_patch_within_the_limit_applies() -> None:
    patched = apply_patch({"metadata": {"name": "c"}}, MERGE_PATCH, {"spec": _nested(MAX_DEPTH - 2)})
    assert patched["metadata"] == {"name": "c"}
