"""Selectors as authorizers see them (AuthorizeWithSelectors, filters.GetAuthorizerAttributes): parsed
requirements, or the parse error, never a failed request — the handler answers a bad selector later."""

from __future__ import annotations

from dataclasses import replace

from mockapi.api.selectors.errors import SelectorError
from mockapi.api.selectors.fields import parse_field_selector
from mockapi.api.selectors.labels import parse_label_selector
from mockapi.api.types import Attributes, FieldSelectorRequirement, LabelSelectorRequirement


def with_selectors(attrs: Attributes, field_selector: str, label_selector: str) -> Attributes:
    """`attrs` with the request's selectors; an empty or requirement-less selector stays None."""
    changes: dict[str, object] = {}
    if field_selector:
        try:
            fields = parse_field_selector(field_selector).requirements
        except SelectorError as exc:
            changes["field_selector_error"] = str(exc)
        else:
            if fields:
                changes["field_selector"] = tuple(FieldSelectorRequirement(r.field, r.op, (r.value,)) for r in fields)
    if label_selector:
        try:
            labels = parse_label_selector(label_selector).requirements
        except SelectorError as exc:
            changes["label_selector_error"] = str(exc)
        else:
            if labels:
                changes["label_selector"] = tuple(
                    LabelSelectorRequirement(r.key, r.operator.value, r.values) for r in labels
                )
    return replace(attrs, **changes) if changes else attrs  # type: ignore[arg-type]
