"""Checks shared by the workload validators (apps, batch, ReplicationController): non-negative
fields, label selectors (metav1 validation), pod template metadata, int-or-percent values and
immutability, with kube-apiserver 1.33's paths and messages."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from mockapi.api.errors import FieldError, forbidden_field, invalid, required
from mockapi.api.selectors import (
    LabelSelector,
    SelectorError,
    label_selector_from_json,
    label_value_errors,
    qualified_name_errors,
)
from mockapi.api.types import Obj
from mockapi.registry.kindvalidation import gorepr
from mockapi.registry.kindvalidation.podspec import annotations_errors, labels_errors, validate_pod_template_spec
from mockapi.registry.validation import regex_error

NONNEGATIVE = "must be greater than or equal to 0"
IMMUTABLE = "field is immutable"
SELECTOR_MISMATCH = "`selector` does not match template `labels`"


def as_dict(value: object) -> Obj:
    return value if isinstance(value, dict) else {}


def as_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def nonnegative(value: object, path: str) -> list[FieldError]:
    """ValidateNonnegativeField; an absent (nil) field is not checked."""
    n = as_int(value)
    return [invalid(path, n, NONNEGATIVE)] if n is not None and n < 0 else []


# --- label selectors (apimachinery meta/v1/validation) ----------------------------------------------------


def label_selector_errors(selector: object, path: str) -> list[FieldError]:
    """ValidateLabelSelector with AllowInvalidLabelValueInSelector off."""
    sel = as_dict(selector)
    errs = labels_errors(sel.get("matchLabels"), f"{path}.matchLabels")
    exprs = sel.get("matchExpressions")
    expr_list: list[Any] = exprs if isinstance(exprs, list) else []
    for i, raw in enumerate(expr_list):
        expr = as_dict(raw)
        here = f"{path}.matchExpressions[{i}]"
        raw_values = expr.get("values")
        values: list[Any] = raw_values if isinstance(raw_values, list) else []
        op = expr.get("operator", "")
        if op in ("In", "NotIn"):
            if not values:
                errs.append(required(f"{here}.values", "must be specified when `operator` is 'In' or 'NotIn'"))
        elif op in ("Exists", "DoesNotExist"):
            if values:
                errs.append(
                    forbidden_field(
                        f"{here}.values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
                    )
                )
        else:
            errs.append(invalid(f"{here}.operator", op if isinstance(op, str) else "", "not a valid selector operator"))
        key = expr.get("key", "")
        key = key if isinstance(key, str) else ""
        errs.extend(invalid(f"{here}.key", key, m) for m in qualified_name_errors(key))
        for j, value in enumerate(values):
            if isinstance(value, str):
                errs.extend(invalid(f"{here}.values[{j}]", value, m) for m in label_value_errors(value))
    return errs


def selector_is_empty(selector: Mapping[str, Any]) -> bool:
    """len(MatchLabels)+len(MatchExpressions) == 0."""
    return not selector.get("matchLabels") and not selector.get("matchExpressions")


def as_selector(selector: object) -> LabelSelector | None:
    """metav1.LabelSelectorAsSelector: nil selects nothing, {} everything; None on a conversion error."""
    try:
        return label_selector_from_json(selector if isinstance(selector, dict) else None)
    except SelectorError:
        return None


def template_labels(template: Obj) -> object:
    return as_dict(template.get("metadata")).get("labels")


def selector_matches_template(selector: LabelSelector, template: Obj, path: str) -> list[FieldError]:
    labels = template_labels(template)
    labels_map = {k: v for k, v in labels.items() if isinstance(v, str)} if isinstance(labels, dict) else {}
    if selector.matches(labels_map):
        return []
    return [invalid(f"{path}.metadata.labels", gorepr.string_map(labels), SELECTOR_MISMATCH)]


# --- pod templates ----------------------------------------------------------------------------------------


def template_meta_errors(template: Obj, path: str) -> list[FieldError]:
    """The template's labels (at `<path>.labels`) and annotations (`<path>.annotations`)."""
    meta = as_dict(template.get("metadata"))
    return labels_errors(meta.get("labels"), f"{path}.labels") + annotations_errors(
        meta.get("annotations"), f"{path}.annotations"
    )


def pod_template_errors(template: Obj, path: str) -> list[FieldError]:
    """ValidatePodTemplateSpec: template metadata, then the pod spec at `<path>.spec`."""
    return validate_pod_template_spec(template, path)


def restart_policy(template: Obj) -> str:
    """The template's restartPolicy; SetDefaults_PodSpec makes an absent one `Always`."""
    value = as_dict(template.get("spec")).get("restartPolicy")
    return value if isinstance(value, str) and value else "Always"


# --- int-or-percent (apps validation) ---------------------------------------------------------------------

_PERCENT = re.compile(r"[0-9]+%")
PERCENT_MESSAGE = regex_error(
    "a valid percent string must be a numeric string followed by an ending '%'", "[0-9]+%", "1%", "93%"
)
_ATOI = re.compile(r"[+-]?[0-9]+")


def percent_value(value: object) -> int | None:
    """getPercentValue: the number of a valid percent string, else None."""
    if isinstance(value, str) and _PERCENT.fullmatch(value):
        return int(value[:-1])
    return None


def int_or_percent_value(value: object) -> int:
    """getIntOrPercentValue: the percentage, else IntValue() (strconv.Atoi of a string, 0 on error)."""
    pct = percent_value(value)
    if pct is not None:
        return pct
    if isinstance(value, str):
        return int(value) if _ATOI.fullmatch(value) and abs(int(value)) < 2**63 else 0
    return as_int(value) or 0


def positive_int_or_percent(value: object, path: str) -> list[FieldError]:
    """ValidatePositiveIntOrPercent."""
    if isinstance(value, str):
        return [] if _PERCENT.fullmatch(value) else [invalid(path, gorepr.int_or_string(value), PERCENT_MESSAGE)]
    return nonnegative(value, path)


def not_more_than_100_percent(value: object, path: str) -> list[FieldError]:
    """IsNotMoreThan100Percent."""
    pct = percent_value(value)
    if pct is None or pct <= 100:
        return []
    return [invalid(path, gorepr.int_or_string(value), "must not be greater than 100%")]


# --- updates ----------------------------------------------------------------------------------------------


def _normalized(value: Any) -> Any:
    """Drop nulls, empty strings and empty lists/maps from objects: in the Go structs an absent field and
    its zero value are the same, and apiequality.Semantic.DeepEqual holds nil and empty equal."""
    if isinstance(value, dict):
        out = {k: _normalized(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not None and v != "" and v != [] and v != {}}
    if isinstance(value, list):
        return [_normalized(v) for v in value]
    return value


def semantic_equal(a: Any, b: Any) -> bool:
    dump = json.dumps
    return dump(_normalized(a), sort_keys=True) == dump(_normalized(b), sort_keys=True)


def immutable_selector(new: Obj, old: Obj, path: str = "spec.selector") -> list[FieldError]:
    """ValidateImmutableField on spec.selector, the value printed with %#v."""
    if semantic_equal(new.get("selector"), old.get("selector")):
        return []
    return [invalid(path, gorepr.label_selector(new.get("selector")), IMMUTABLE)]
