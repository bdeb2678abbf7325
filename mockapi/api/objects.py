"""Small helpers over objects in their JSON form."""

from __future__ import annotations

import base64
import os
import secrets
import time
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


_VARIANT = "89ab" * 4


def new_uid() -> str:
    """str(uuid.uuid4()) in less than half the time (no UUID object): 122 random bits, version 4, RFC 4122
    variant (the top two bits of the 17th hex digit are 10). For object uids, audit ids, admission uids."""
    h = os.urandom(16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[int(h[16], 16)]}{h[17:20]}-{h[20:]}"


_last_second: list[tuple[int, str]] = [(0, "")]


def now_rfc3339() -> str:
    """The current time in metav1.Time's form, formatted once per second (it is on every write's path)."""
    now = time.time()
    second = int(now)
    cached = _last_second[0]
    if cached[0] != second:
        cached = (second, datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        _last_second[0] = cached
    return cached[1]


def parse_rfc3339(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def generate_name(prefix: str) -> str:
    """names.SimpleNameGenerator: the prefix (cut to leave room) and five random characters."""
    if len(prefix) > _MAX_GENERATED_PREFIX:
        prefix = prefix[:_MAX_GENERATED_PREFIX]
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(_RANDOM_LENGTH))


def secret_data(secret: Obj, key: str) -> bytes:
    """A Secret's `data[key]`, decoded (stored Secrets hold valid base64); b"" when absent or unreadable."""
    data = secret.get("data")
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, str):
        return b""
    try:
        return base64.b64decode(value, validate=True)
    except ValueError:
        return b""
