"""Small helpers over objects in their JSON form."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson

from mockapi.api.types import Obj


def clone(obj: Obj) -> Obj:
    """A deep copy; JSON round-trip through orjson is several times faster than copy.deepcopy."""
    result: Obj = orjson.loads(orjson.dumps(obj))
    return result


def meta(obj: Obj) -> dict[str, Any]:
    """The object's metadata dict, created if missing."""
    m = obj.get("metadata")
    if not isinstance(m, dict):
        m = {}
        obj["metadata"] = m
    return m


def rfc3339(when: datetime) -> str:
    """metav1.Time's JSON form: second precision, UTC, `Z` suffix."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_rfc3339() -> str:
    return rfc3339(datetime.now(UTC))


def parse_rfc3339(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
