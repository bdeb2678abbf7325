"""Small helpers over objects in their JSON form."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

import orjson

from mockapi.api.types import Obj

# names.SimpleNameGenerator's alphabet (no vowels, no confusable characters)
_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
_RANDOM_LENGTH = 5
_MAX_GENERATED_PREFIX = 63 - _RANDOM_LENGTH


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


def generate_name(prefix: str) -> str:
    """names.SimpleNameGenerator: the prefix (cut to leave room) and five random characters."""
    if len(prefix) > _MAX_GENERATED_PREFIX:
        prefix = prefix[:_MAX_GENERATED_PREFIX]
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(_RANDOM_LENGTH))
