"""Patch metadata for strategic merge patch, read from the published definitions.

kube-apiserver looks up `patchStrategy`/`patchMergeKey` in the Go struct tags of the kind's versioned
type (`strategicpatch.PatchMetaFromStruct`); the published OpenAPI definitions carry the same facts as
`x-kubernetes-patch-strategy` and `x-kubernetes-patch-merge-key`. `SchemaWalker` is one node of a
kind's schema and answers the two questions the merge asks, `LookupPatchMetadataForStruct(key)` and
`LookupPatchMetadataForSlice(key)`, with the same failures (a JSON field the struct does not have, a
field that is not a slice) when the caller asks strictly.

A walker whose node is None stands for JSON the schema says nothing about (fields unknown to the
schema, `RawExtension` payloads): there every map merges and every list is replaced, as plain JSON
merge patch would.
"""

from __future__ import annotations

from dataclasses import dataclass

from mockapi.api.golang import go_quote
from mockapi.resources import schemas
from mockapi.resources.schemas import Schema, Schemas, openapi_type, ref_name

STRATEGY = "x-kubernetes-patch-strategy"
MERGE_KEY = "x-kubernetes-patch-merge-key"


class PatchMetaError(Exception):
    """A metadata lookup failed the way forkedjson/PatchMetaFromStruct fails (a plain Go error: 500)."""


@dataclass(frozen=True, slots=True)
class PatchMeta:
    strategies: tuple[str, ...] = ()
    """`patchStrategy` split at commas, as `strings.Split` does (so an absent tag is `("",)`)."""
    merge_key: str = ""
    """`patchMergeKey`: the field that identifies an item of a merging list of objects."""


NO_META = PatchMeta(("",), "")


class SchemaWalker:
    """One node of a kind's schema; `node` is resolved (no `$ref`), `type_name` its Go type name."""

    __slots__ = ("node", "schemas", "type_name")

    def __init__(self, schemas: Schemas, node: Schema | None, type_name: str = "") -> None:
        self.schemas = schemas
        self.node = node
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"SchemaWalker({self.type_name or ('opaque' if self.node is None else 'inline')})"

    # -- construction ---------------------------------------------------------------------------

    def _resolve(self, schema: Schema) -> SchemaWalker:
        """Follow `$ref`s (and one-element `allOf` wrappers), remembering the last definition's name."""
        name = ""
        while True:
            ref = schema.get("$ref")
            if isinstance(ref, str):
                name = ref_name(ref)
                schema = self.schemas.definitions[name]
                continue
            all_of = schema.get("allOf")
            if isinstance(all_of, list) and len(all_of) == 1 and isinstance(all_of[0], dict):
                schema = all_of[0]
                continue
            return SchemaWalker(self.schemas, schema, name.rsplit(".", 1)[-1])

    def _opaque(self) -> SchemaWalker:
        return SchemaWalker(self.schemas, None)

    # -- shape ----------------------------------------------------------------------------------

    @property
    def _is_struct(self) -> bool:
        """A Go struct: an object with named fields, or a named definition (RawExtension, Quantity)."""
        node = self.node
        if node is None:
            return False
        if "properties" in node:
            return True
        return bool(self.type_name) and not isinstance(node.get("additionalProperties"), dict)

    @property
    def _is_map(self) -> bool:
        return self.node is not None and isinstance(self.node.get("additionalProperties"), dict)

    def go_kind(self) -> str:
        """`reflect.Kind` name of the node's Go type (what `PatchMetaFromStruct.Name()` prints)."""
        node = self.node
        if node is None:
            return "interface"
        if self._is_map:
            return "map"
        if self._is_struct:
            return "struct"
        kind = openapi_type(node)
        if kind == "array":
            return "slice"
        if kind == "integer":
            return "int32" if node.get("format") == "int32" else "int64"
        if kind == "number":
            return "float64"
        if kind == "boolean":
            return "bool"
        if kind == "string":
            return "string"
        return "interface"

    # -- LookupPatchMeta ------------------------------------------------------------------------

    def _field(self, key: str) -> Schema | None:
        assert self.node is not None
        props: dict[str, Schema] = self.node.get("properties") or {}
        if key in props:
            return props[key]
        folded = key.casefold()  # forkedjson falls back to a case-insensitive match, like encoding/json
        for name, prop in props.items():
            if name.casefold() == folded:
                return prop
        return None

    def lookup_struct(self, key: str, *, strict: bool) -> tuple[SchemaWalker, PatchMeta]:
        """`LookupPatchMetadataForStruct(key)`: the field's schema and patch metadata.

        A field the struct lacks is a `PatchMetaError` when `strict`, else opaque (plain merge).
        """
        if self.node is None:
            return self._opaque(), NO_META
        if self._is_map:
            return self._resolve(self.node["additionalProperties"]), NO_META
        if self._is_struct:
            prop = self._field(key)
            if prop is None:
                if strict:
                    raise PatchMetaError(
                        f"unable to find api field in struct {self.type_name} for the json field {go_quote(key)}"
                    )
                return self._opaque(), NO_META
            strategy = prop.get(STRATEGY)
            meta = PatchMeta(
                tuple(strategy.split(",")) if isinstance(strategy, str) else ("",),
                str(prop.get(MERGE_KEY) or ""),
            )
            return self._resolve(prop), meta
        if strict:
            raise PatchMetaError(
                f"merging an object in json but data type is not map or struct, instead is: {self.go_kind()}"
            )
        return self._opaque(), NO_META

    def lookup_slice(self, key: str, *, strict: bool) -> tuple[SchemaWalker, PatchMeta]:
        """`LookupPatchMetadataForSlice(key)`: the schema of the list's items and the list's metadata."""
        field, meta = self.lookup_struct(key, strict=strict)
        if field.node is None:
            return field, meta
        if openapi_type(field.node) == "array":
            items = field.node.get("items")
            return (self._resolve(items) if isinstance(items, dict) else self._opaque()), meta
        if strict:
            raise PatchMetaError(f"expected slice or array type, but got: {self.go_kind()}")
        return self._opaque(), meta


def walker_for_kind(emulated_version: str, group: str, version: str, kind: str) -> SchemaWalker | None:
    """The schema of a kind for strategic merge patch; None for kinds without a published definition
    (custom resources), which kube-apiserver does not accept strategic merge patches for."""
    defs = schemas.load(emulated_version)
    name = defs.name_for(group, version, kind)
    if name is None:
        return None
    return SchemaWalker(defs, defs.definitions[name], name.rsplit(".", 1)[-1])
