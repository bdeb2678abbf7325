"""Per-resource registry behaviour, loaded once from `resources/data/strategies.yaml`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources as importlib_resources
from typing import Any

from mockapi.api import yamlio
from mockapi.registry.validation import NAME_VALIDATORS, NameValidator
from mockapi.resources.types import ResourceType


@dataclass(frozen=True, slots=True)
class Strategy:
    name_validator: NameValidator
    """Validates metadata.name."""
    generation: bool
    """Tracks metadata.generation."""
    return_deleted: bool
    """Immediate delete answers with the object instead of a Success Status."""
    create_on_update: bool
    """PUT of a missing object creates it."""
    unconditional_update: bool
    """PUT without a resourceVersion is accepted."""
    spec_fields: tuple[str, ...]
    """Top-level fields whose change bumps generation."""


@cache
def _table() -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    text = importlib_resources.files("mockapi.resources").joinpath("data/strategies.yaml").read_text()
    data = yamlio.load(text)
    return data["defaults"], data["resources"]


@cache
def _strategy(group: str, plural: str) -> Strategy:
    defaults, table = _table()
    merged = {**defaults, **table.get(f"{group or 'core'}/{plural}", {})}
    return Strategy(
        name_validator=NAME_VALIDATORS[merged["name"]],
        generation=bool(merged["generation"]),
        return_deleted=bool(merged["returnDeleted"]),
        create_on_update=bool(merged["createOnUpdate"]),
        unconditional_update=bool(merged["unconditionalUpdate"]),
        spec_fields=tuple(merged.get("specFields", ["spec"])),
    )


def strategy_for(rt: ResourceType) -> Strategy:
    return _strategy(rt.group, rt.plural)
