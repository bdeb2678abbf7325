"""Structured-merge-diff types of the built-in kinds, built from the published definitions.

kube-apiserver converts its OpenAPI definitions to a structured-merge-diff schema
(k8s.io/kube-openapi `schemaconv.ToSchemaFromOpenAPI`). The same rules, applied to the definitions in
`mockapi.resources.schemas`:

* an object with properties is a struct; unknown fields are allowed only through
  `additionalProperties` (a map) or when it has no properties at all (then "deduced");
  `x-kubernetes-map-type: atomic` (on the definition or on the property that refers to it) makes it
  one leaf, `granular` or nothing keeps its fields separate;
* an array is atomic unless `x-kubernetes-list-type` says `set` (items by value) or `map` (items by
  `x-kubernetes-list-map-keys`); without a list type, patch strategy `merge` makes it associative,
  keyed by `x-kubernetes-patch-merge-key` (a set when there is none);
* integers and numbers are numeric, booleans boolean, strings string (formats other than `byte` and
  none are untyped scalars); `Quantity`, `RawExtension`, int-or-string (`oneOf` in the converted
  definitions) are untyped scalars; a schema without a type takes any value ("deduced").

The converted definitions carry no `default`s; upstream reads defaults of list-map key fields from
them (`getAssociativeKeyDefault`), so the few there are in k8s.io/api 1.33 (`+default=` markers on key
fields of associative lists) are listed in `KEY_DEFAULTS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from mockapi.resources import schemas
from mockapi.resources.schemas import Schema, openapi_type, ref_name

_CORE = "io.k8s.api.core.v1."
KEY_DEFAULTS: dict[tuple[str, str], Any] = {
    (_CORE + "ContainerPort", "protocol"): "TCP",  # Container.ports, EphemeralContainer.ports keys
    (_CORE + "ServicePort", "protocol"): "TCP",  # ServiceSpec.ports keys
    (_CORE + "LocalObjectReference", "name"): "",  # PodSpec.imagePullSecrets key (1.30+)
}
"""Defaults of associative-list key fields: k8s.io/api core/v1 types.go `+default=` markers."""

_UNTYPED_SCALAR_DEFINITIONS = frozenset(
    {"io.k8s.apimachinery.pkg.api.resource.Quantity", "io.k8s.apimachinery.pkg.runtime.RawExtension"}
)


@dataclass(slots=True)
class ListType:
    element: Ref
    atomic: bool
    keys: tuple[str, ...] = ()
    """Key fields of an associative list; empty for a set (or an atomic list)."""


@dataclass(slots=True)
class MapType:
    fields: dict[str, Ref]
    """Named fields (a struct's properties); empty for a plain map."""
    element: Ref | None
    """Type of any other key; None when only the named fields are allowed."""
    atomic: bool
    defaults: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Atom:
    scalar: str | None = None
    """`numeric`, `string`, `boolean` or `untyped`."""
    list: ListType | None = None
    map: MapType | None = None


class Ref:
    """A type reference: a named definition (resolved lazily, types are recursive) or an inline atom."""

    __slots__ = ("_atom", "_index", "name", "override")

    def __init__(
        self, atom: Atom | None = None, *, index: Index | None = None, name: str = "", override: bool | None = None
    ) -> None:
        self._atom = atom
        self._index = index
        self.name = name
        self.override = override
        """`x-kubernetes-map-type` on the referring property: True atomic, False granular."""

    @property
    def atom(self) -> Atom:
        if self._atom is None:
            assert self._index is not None
            base = self._index.named(self.name)
            if self.override is not None and base.map is not None:
                m = base.map
                base = Atom(base.scalar, base.list, MapType(m.fields, m.element, self.override, m.defaults))
            self._atom = base
        return self._atom

    def __repr__(self) -> str:
        return f"Ref({self.name or 'inline'})"


def _untyped_atoms() -> tuple[Ref, Ref]:
    untyped, deduced = Ref(Atom(scalar="untyped")), Ref(Atom(scalar="untyped"))
    untyped.atom.list = ListType(untyped, atomic=True)
    untyped.atom.map = MapType({}, untyped, atomic=True)
    deduced.atom.list = ListType(untyped, atomic=True)
    deduced.atom.map = MapType({}, deduced, atomic=False)
    return untyped, deduced


UNTYPED, DEDUCED = _untyped_atoms()
"""`__untyped_atomic_` (any value, one leaf) and `__untyped_deduced_` (maps stay separable)."""


def _map_type(value: Any) -> bool | None:
    if value == "atomic":
        return True
    if value == "granular":
        return False
    return None


class Index:
    """The structured-merge-diff types of one Kubernetes version's definitions."""

    def __init__(self, version: str) -> None:
        self.defs = schemas.load(version)
        self._atoms: dict[str, Atom] = {}

    def for_kind(self, group: str, version: str, kind: str) -> Ref | None:
        name = self.defs.name_for(group, version, kind)
        return None if name is None else Ref(index=self, name=name)

    def named(self, name: str) -> Atom:
        atom = self._atoms.get(name)
        if atom is None:
            node = self.defs.definitions.get(name)
            atom = self._build(node, name) if node is not None else Atom(scalar="untyped")
            self._atoms[name] = atom
        return atom

    def _ref(self, node: Schema, preserve_unknown: bool) -> Ref:
        ref = node.get("$ref")
        all_of = node.get("allOf")
        if not isinstance(ref, str) and isinstance(all_of, list) and len(all_of) == 1 and isinstance(all_of[0], dict):
            ref = all_of[0].get("$ref")
        if isinstance(ref, str):
            return Ref(index=self, name=ref_name(ref), override=_map_type(node.get("x-kubernetes-map-type")))
        return Ref(self._build(node, "", preserve_unknown))

    def _build(self, node: Schema, name: str, preserve_unknown: bool = False) -> Atom:
        if name in _UNTYPED_SCALAR_DEFINITIONS or "oneOf" in node or "anyOf" in node:
            return Atom(scalar="untyped")
        preserve_unknown = preserve_unknown or node.get("x-kubernetes-preserve-unknown-fields") is True
        kind = openapi_type(node)
        if kind is None:
            return Atom(
                scalar="untyped",
                list=self._list(node, preserve_unknown),
                map=self._object(node, name, preserve_unknown),
            )
        if kind == "object":
            return Atom(map=self._object(node, name, preserve_unknown))
        if kind == "array":
            return Atom(list=self._list(node, preserve_unknown))
        if kind in ("integer", "number"):
            return Atom(scalar="numeric")
        if kind == "boolean":
            return Atom(scalar="boolean")
        if kind == "string":
            return Atom(scalar="string" if node.get("format", "") in ("", "byte") else "untyped")
        return Atom(scalar="untyped")

    def _object(self, node: Schema, name: str, preserve_unknown: bool) -> MapType:
        props: dict[str, Schema] = node.get("properties") or {}
        fields = {key: self._ref(prop, preserve_unknown) for key, prop in props.items()}
        extra = node.get("additionalProperties")
        element: Ref | None
        if extra is None:
            element = DEDUCED if preserve_unknown or not props else None
        elif isinstance(extra, dict):
            element = self._ref(extra, preserve_unknown)
        else:
            element = DEDUCED if extra is True else None
        defaults = {key: prop["default"] for key, prop in props.items() if "default" in prop}
        defaults.update({key: value for (owner, key), value in KEY_DEFAULTS.items() if owner == name})
        return MapType(fields, element, node.get("x-kubernetes-map-type") == "atomic", defaults)

    def _list(self, node: Schema, preserve_unknown: bool) -> ListType:
        items = node.get("items")
        element = self._ref(items, preserve_unknown) if isinstance(items, dict) else UNTYPED
        list_type = node.get("x-kubernetes-list-type")
        if list_type == "set":
            return ListType(element, atomic=False)
        if list_type == "map":
            keys = node.get("x-kubernetes-list-map-keys") or []
            return ListType(element, atomic=False, keys=tuple(str(k) for k in keys))
        if list_type is None and node.get("x-kubernetes-patch-strategy") in ("merge", "merge,retainKeys"):
            key = node.get("x-kubernetes-patch-merge-key")
            return ListType(element, atomic=False, keys=(str(key),) if isinstance(key, str) else ())
        return ListType(element, atomic=True)


@cache
def index(version: str = "1.33") -> Index:
    return Index(version)


def kind_type(version: str, group: str, api_version: str, kind: str) -> Ref | None:
    """The type of a kind (`kind_type("1.33", "apps", "v1", "Deployment")`), None for kinds without one."""
    try:
        idx = index(version)
    except ValueError:
        idx = index()
    return idx.for_kind(group, api_version, kind)
