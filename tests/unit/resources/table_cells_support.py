"""Shared by the printer tests: a fixed clock and one-row conversions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from mockapi.resources.tables import convert_to_table
from mockapi.resources.types import ResourceType

NOW = datetime(2025, 4, 23, 12, 0, 0, tzinfo=UTC)
Obj = dict[str, Any]


def ago(**kwargs: float) -> str:
    return (NOW - timedelta(**kwargs)).strftime("%Y-%m-%dT%H:%M:%SZ")


def cells(group: str, version: str, plural: str, obj: Obj) -> list[Any]:
    rt = ResourceType(group, version, "Kind", plural, plural, True, ("list",))
    rows = convert_to_table(rt, [obj], list_metadata={}, include_object="None", now=NOW)["rows"]
    assert rows is not None
    result: list[Any] = rows[0]["cells"]
    return result


def meta(name: str = "x", **extra: Any) -> Obj:
    return {"name": name, "creationTimestamp": ago(days=3, hours=4), **extra}
