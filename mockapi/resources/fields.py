"""Field selectors per kind: which labels kube-apiserver accepts and each object's selectable fields.

The facts live in `data/field-selectors.yaml` (see its header for sources).  Two layers, as in kube-apiserver:

- `convert_field_selector` is the handler's `FieldSelector.Transform(scheme.ConvertFieldLabel)`: it renames
  aliases (pods `spec.host`, events.k8s.io `regarding.*`) and refuses an unknown label with the kind's own 400
  BadRequest text.  Terms are checked in the selector's (sorted) order; the first refusal wins.
- `field_set` is the registry's `GetAttrs`: the `fields.Set` a converted selector is matched against.

Custom resources follow apiextensions-apiserver's `crConverter.ConvertFieldLabel` and `selectableFields`:
see `convert_custom_field_selector` / `custom_field_set`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from importlib import resources as importlib_resources
from typing import Any

from mockapi.api import yamlio
from mockapi.api.errors import bad_request
from mockapi.api.golang import go_quote
from mockapi.api.selectors import FieldSelector
from mockapi.api.types import Obj
from mockapi.resources.types import ResourceType

DATA_FILE = "field-selectors.yaml"

FieldSetFunc = Callable[[Obj], dict[str, str]]
_Getter = Callable[[Obj], str]


@dataclass(frozen=True, slots=True)
class KindFields:
    """What one kind (group resource) offers to field selectors."""

    accept: frozenset[str] | None
    """Labels the conversion func passes through; None: the default (metadata.name, metadata.namespace)."""
    aliases: Mapping[str, str]
    """Labels the conversion func renames to a field of the fields set."""
    error: str
    """Message template for a refused label ({label}, {label_q}, {gvk})."""
    getters: tuple[tuple[str, _Getter], ...]
    """Registry fields beyond metadata.*, each with the function reading it from an object."""


def _lookup(obj: Any, path: tuple[str, ...]) -> Any:
    for seg in path:
        if isinstance(obj, dict):
            obj = obj.get(seg)
        elif isinstance(obj, list) and seg.isdigit() and int(seg) < len(obj):
            obj = obj[int(seg)]
        else:
            return None
    return obj


def _format(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return value if isinstance(value, str) else str(value)


def _getter(spec: Mapping[str, Any]) -> _Getter:
    paths = tuple(tuple(str(p).split(".")) for p in spec["from"])
    kind = spec.get("type", "str")
    default = str(spec.get("default", {"bool": "false", "int": "0"}.get(kind, "")))

    def get(obj: Obj) -> str:
        for path in paths:
            value: Any = obj
            for seg in path:
                value = value.get(seg) if isinstance(value, dict) else _lookup(value, (seg,))
                if value is None:
                    break
            if value is not None and value != "":
                return _format(value)
        return default

    return get


def _load(name: str) -> tuple[dict[str, KindFields], dict[str, str]]:
    data = importlib_resources.files("mockapi.resources").joinpath("data", name)
    doc = yamlio.load(data.read_text(encoding="utf-8"))
    errors: dict[str, str] = {str(k): str(v) for k, v in doc["errors"].items()}
    kinds: dict[str, KindFields] = {}
    for name, spec in doc["kinds"].items():
        accept = spec.get("accept")
        kinds[str(name)] = KindFields(
            accept=None if accept is None else frozenset(str(a) for a in accept),
            aliases={str(k): str(v) for k, v in (spec.get("aliases") or {}).items()},
            error=errors[spec.get("error", "default")],
            getters=tuple((str(f), _getter(s)) for f, s in (spec.get("fields") or {}).items()),
        )
    return kinds, errors


_KINDS, _ERRORS = _load(DATA_FILE)
_DEFAULT = KindFields(None, {}, _ERRORS["default"], ())
_DEFAULT_ACCEPT = frozenset({"metadata.name", "metadata.namespace"})


def kind_fields(rt: ResourceType) -> KindFields:
    """The field-selector facts for a resource type (the default set for kinds the data does not list)."""
    return _KINDS.get(rt.gvr.group_resource, _DEFAULT)


def _refusal(rt: ResourceType, template: str, label: str) -> str:
    gvk = f"{rt.group}/{rt.version}, Kind={rt.kind}"
    return template.format(label=label, label_q=go_quote(label), gvk=gvk)


def convert_field_selector(rt: ResourceType, sel: FieldSelector) -> FieldSelector:
    """Apply the kind's field label conversion; an unknown label raises kube-apiserver's 400 BadRequest."""
    kf = kind_fields(rt)
    accept = _DEFAULT_ACCEPT if kf.accept is None else kf.accept

    def convert(label: str, value: str) -> tuple[str, str]:
        if label in accept:
            return label, value
        if label in kf.aliases:
            return kf.aliases[label], value
        raise bad_request(_refusal(rt, kf.error, label))

    return sel.transform(convert)


def validate_field_selector(rt: ResourceType, sel: FieldSelector) -> None:
    """Raise the 400 kube-apiserver gives when `sel` names a field `rt` cannot be selected by."""
    convert_field_selector(rt, sel)


def field_set_func(rt: ResourceType) -> FieldSetFunc:
    """The registry's GetAttrs for `rt`, resolved once: call it for every object on a list or watch."""
    getters = kind_fields(rt).getters
    namespaced = rt.namespaced

    def field_set(obj: Obj) -> dict[str, str]:
        meta = obj.get("metadata") or {}
        out = {"metadata.name": meta.get("name") or ""}
        if namespaced:
            out["metadata.namespace"] = meta.get("namespace") or ""
        for name, get in getters:
            out[name] = get(obj)
        return out

    return field_set


def field_set(rt: ResourceType, obj: Obj) -> dict[str, str]:
    """The selectable fields of `obj` as kube-apiserver computes them (missing keys read as "")."""
    return field_set_func(rt)(obj)


# --- custom resources (apiextensions-apiserver) ----------------------------------------------------------


def convert_custom_field_selector(rt: ResourceType, sel: FieldSelector, selectable: Collection[str]) -> FieldSelector:
    """crConverter.ConvertFieldLabel: metadata.name, metadata.namespace (namespaced kinds only) and the CRD
    version's `selectableFields` (`selectable`: their jsonPaths without the leading dot, `spec.color`)."""
    accept = {"metadata.name", "metadata.namespace"} if rt.namespaced else {"metadata.name"}

    def convert(label: str, value: str) -> tuple[str, str]:
        if label in accept or label in selectable:
            return label, value
        raise bad_request(f"field label not supported: {label}")

    return sel.transform(convert)


def custom_field_set(rt: ResourceType, obj: Obj, selectable: Collection[str]) -> dict[str, str]:
    """A custom resource's fields set: metadata.* plus each selectable field ("" when absent)."""
    out = field_set_func(rt)(obj)
    for name in selectable:
        value = _lookup(obj, tuple(name.split(".")))
        out[name] = "" if value is None else _format(value)
    return out
