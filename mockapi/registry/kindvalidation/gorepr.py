"""Go's `%#v` for the values kube-apiserver 1.33 prints in workload field errors.

field.Error.ErrorBody (apimachinery, up to 1.33) prints int32/int64/bool with `%v`, a plain `string`
with `%q`, and everything else with `%#v` once a pointer is dereferenced: named string types
(`core.RestartPolicy`) come out quoted like strings, structs as `pkg.Type{Field:value, ...}`, maps with
sorted keys, nil maps/slices/pointers as `map[string]string(nil)`, `[]T(nil)`, `(*T)(nil)`. Validation
runs on internal types, so apps/batch/core structs carry the internal package names (`apps.`, `batch.`,
`core.`) while metav1 and intstr types keep theirs (`v1.LabelSelector`, `intstr.IntOrString`).

A non-nil pointer inside a struct prints as an address, which no emulator can reproduce; those render
as `(*T)(0xc000000000)`. 1.34 switched to JSON for these values; this module is for 1.33.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mockapi.api.errors import GoRepr
from mockapi.api.golang import go_quote

FAKE_ADDRESS = "0xc000000000"
"""What a non-nil pointer field renders as (Go prints the real heap address)."""


def go_struct(type_name: str, fields: Sequence[tuple[str, str]]) -> str:
    """`%#v` of a struct given its fields in declaration order, each already rendered."""
    return type_name + "{" + ", ".join(f"{name}:{value}" for name, value in fields) + "}"


def go_pointer(type_name: str, value: object) -> str:
    """A pointer field inside a struct: `(*T)(nil)` or an (unreproducible) address."""
    return f"(*{type_name})(nil)" if value is None else f"(*{type_name})({FAKE_ADDRESS})"


def go_str(value: object) -> str:
    """A string (or named string type) field: `%#v` quotes it like `%q`."""
    return go_quote(value if isinstance(value, str) else "")


def go_int(value: object) -> str:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else "0"


def go_string_map(value: Mapping[str, Any] | None) -> str:
    """`map[string]string{"a":"b", "c":"d"}` (keys sorted, as fmt prints maps); nil when absent."""
    if value is None:
        return "map[string]string(nil)"
    items = ", ".join(f"{go_quote(k)}:{go_str(value[k])}" for k in sorted(value))
    return "map[string]string{" + items + "}"


def go_string_slice(value: Sequence[Any] | None) -> str:
    if value is None:
        return "[]string(nil)"
    return "[]string{" + ", ".join(go_str(v) for v in value) + "}"


def _mapping(value: object) -> Mapping[str, Any] | None:
    return value if isinstance(value, Mapping) else None


def _sequence(value: object) -> Sequence[Any] | None:
    return value if isinstance(value, list) else None


def _requirement(expr: object) -> str:
    e = _mapping(expr) or {}
    return go_struct(
        "v1.LabelSelectorRequirement",
        [
            ("Key", go_str(e.get("key"))),
            ("Operator", go_str(e.get("operator"))),
            ("Values", go_string_slice(_sequence(e.get("values")))),
        ],
    )


def label_selector_body(selector: Mapping[str, Any]) -> str:
    exprs = _sequence(selector.get("matchExpressions"))
    rendered = (
        "[]v1.LabelSelectorRequirement(nil)"
        if exprs is None
        else "[]v1.LabelSelectorRequirement{" + ", ".join(_requirement(e) for e in exprs) + "}"
    )
    return go_struct(
        "v1.LabelSelector",
        [("MatchLabels", go_string_map(_mapping(selector.get("matchLabels")))), ("MatchExpressions", rendered)],
    )


def label_selector(selector: object) -> GoRepr | None:
    """A `*metav1.LabelSelector` bad value: dereferenced `%#v`, or None (prints `null`) when nil."""
    sel = _mapping(selector)
    return None if sel is None else GoRepr(label_selector_body(sel))


def string_map(value: object) -> GoRepr:
    """A `map[string]string` bad value (template labels)."""
    return GoRepr(go_string_map(_mapping(value)))


def int_or_string_body(value: object) -> str:
    if isinstance(value, str):
        return f"intstr.IntOrString{{Type:1, IntVal:0, StrVal:{go_quote(value)}}}"
    return f'intstr.IntOrString{{Type:0, IntVal:{go_int(value)}, StrVal:""}}'


def int_or_string(value: object) -> GoRepr:
    """An `intstr.IntOrString` bad value (passed by value, so never a Stringer)."""
    return GoRepr(int_or_string_body(value))


def strategy(type_name: str, rolling_type: str, value: object) -> GoRepr:
    """A Deployment/DaemonSet/StatefulSet update strategy struct: `{Type:"...", RollingUpdate:(*T)(...)}`."""
    s = _mapping(value) or {}
    return GoRepr(
        go_struct(
            type_name,
            [("Type", go_str(s.get("type"))), ("RollingUpdate", go_pointer(rolling_type, s.get("rollingUpdate")))],
        )
    )


def rolling_update_stateful_set(value: object) -> GoRepr:
    r = _mapping(value) or {}
    return GoRepr(
        go_struct(
            "apps.RollingUpdateStatefulSetStrategy",
            [
                ("Partition", go_int(r.get("partition"))),
                ("MaxUnavailable", go_pointer("intstr.IntOrString", r.get("maxUnavailable"))),
            ],
        )
    )


_ZERO_TIME = "time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)"


def _object_meta(meta: Mapping[str, Any]) -> str:
    """`%#v` of a (pod template's) metav1.ObjectMeta; timestamps other than the zero time are not kept."""
    return go_struct(
        "v1.ObjectMeta",
        [
            ("Name", go_str(meta.get("name"))),
            ("GenerateName", go_str(meta.get("generateName"))),
            ("Namespace", go_str(meta.get("namespace"))),
            ("SelfLink", go_str(meta.get("selfLink"))),
            ("UID", go_str(meta.get("uid"))),
            ("ResourceVersion", go_str(meta.get("resourceVersion"))),
            ("Generation", go_int(meta.get("generation"))),
            ("CreationTimestamp", _ZERO_TIME),
            ("DeletionTimestamp", "<nil>"),
            ("DeletionGracePeriodSeconds", go_pointer("int64", meta.get("deletionGracePeriodSeconds"))),
            ("Labels", go_string_map(_mapping(meta.get("labels")))),
            ("Annotations", go_string_map(_mapping(meta.get("annotations")))),
            ("OwnerReferences", "[]v1.OwnerReference(nil)"),
            ("Finalizers", go_string_slice(_sequence(meta.get("finalizers")))),
            ("ManagedFields", "[]v1.ManagedFieldsEntry(nil)"),
        ],
    )


def pod_template_spec(template: object) -> GoRepr:
    """A `core.PodTemplateSpec` bad value, as Job template immutability prints it.

    Approximate: the metadata is rendered field by field, the PodSpec (dozens of fields, pointers
    printed as heap addresses upstream) is elided as `core.PodSpec{...}`."""
    t = _mapping(template) or {}
    meta = _object_meta(_mapping(t.get("metadata")) or {})
    return GoRepr(go_struct("core.PodTemplateSpec", [("ObjectMeta", meta), ("Spec", "core.PodSpec{...}")]))


def opaque_struct(type_name: str) -> GoRepr:
    """A struct value too large (or pointer-laden) to reproduce: `pkg.Type{...}`."""
    return GoRepr(type_name + "{...}")
