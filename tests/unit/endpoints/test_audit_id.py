"""Audit IDs are random version-4 UUIDs in their canonical text form, as uuid.uuid4() writes them."""

from __future__ import annotations

import uuid

from mockapi.endpoints.filters import new_audit_id


def test_audit_ids_are_canonical_random_uuids() -> None:
    ids = [new_audit_id() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    for text in ids:
        parsed = uuid.UUID(text)
        assert str(parsed) == text
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122
    assert {text[19] for text in ids} == set("89ab"), "every variant digit occurs"
    assert len({text[20] for text in ids}) == 16, "the other digits are random"
