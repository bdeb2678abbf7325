"""Label and field selectors, parsed, validated and matched as kube-apiserver 1.33 does.

Sources (apimachinery): `pkg/labels/selector.go` (lexer, parser, `NewRequirement` validation),
`pkg/util/validation/validation.go` (`IsQualifiedName`, `IsValidLabelValue`), `pkg/fields/selector.go`
(comma-AND of `=`, `==`, `!=` with backslash escaping) and `apis/meta/v1/helpers.go`
(`LabelSelectorAsSelector`).  A bad `labelSelector`/`fieldSelector` query parameter becomes a 400 BadRequest
whose message is the parse error unchanged (`handlers/get.go`: `errors.NewBadRequest(err.Error())`).

    SelectorError (ValueError)   the Go error text; `parse_*` and `label_selector_from_json` raise it
    ApiError 400 BadRequest      what `LabelSelector.parse` / `FieldSelector.parse` raise for query parameters
"""

from __future__ import annotations

from mockapi.api.selectors.errors import SelectorError
from mockapi.api.selectors.fields import FieldRequirement, FieldSelector, parse_field_selector
from mockapi.api.selectors.labels import (
    LabelSelector,
    Operator,
    Requirement,
    label_selector_from_json,
    new_requirement,
    parse_label_selector,
)
from mockapi.api.selectors.names import label_value_errors, qualified_name_errors

__all__ = [
    "FieldRequirement",
    "FieldSelector",
    "LabelSelector",
    "Operator",
    "Requirement",
    "SelectorError",
    "label_selector_from_json",
    "label_value_errors",
    "new_requirement",
    "parse_field_selector",
    "parse_label_selector",
    "parse_list_selectors",
    "qualified_name_errors",
]


def parse_list_selectors(label: str | None, field: str | None) -> tuple[LabelSelector, FieldSelector]:
    """Both list/watch selectors in kube-apiserver's order (labelSelector is decoded first); 400 on error."""
    labels = LabelSelector.parse(label) if label else LabelSelector()
    fields = FieldSelector.parse(field) if field else FieldSelector()
    return labels, fields
