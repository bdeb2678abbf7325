"""Definitions of the published schemas turned back into kube-apiserver's OpenAPI v2 and v3 forms.

The source is `schemas.load(version)` (kubernetes-validate's JSON Schema conversion of the upstream
definitions). The conversion is undone here:

* nullable types `["string", "null"]` become plain `type: string`;
* the `enum` kubernetes-validate added to every `apiVersion` and `kind` property is dropped;
* `$ref: "#/$defs/<name>"` becomes `#/definitions/<name>` (v2) or `#/components/schemas/<name>` (v3);
  in v3 a `$ref` with siblings (description, patch extensions) is wrapped as `allOf: [{$ref}]` with
  the siblings next to it, as kube-openapi's builder3 emits it (a `$ref` alone stays bare);
* IntOrString (`oneOf: [string, integer]`) becomes `type: string, format: int-or-string` (v2) and
  `format: int-or-string, oneOf: [{type: integer}, {type: string}]` (v3); Quantity (`oneOf: [string,
  number]`) becomes `type: string` (v2) and `oneOf: [{type: string}, {type: number}]` (v3).

Everything else (descriptions, `required`, `format`, `x-kubernetes-*` extensions, `default` where the
source has one) is kept as is.

Known differences from kube-apiserver 1.33 (facts the source does not carry):

* no `enum` and no "Possible enum values" text on Go enum fields (kubernetes-validate drops them);
* no descriptions on IntOrString and Quantity themselves (the source has none);
* v3 lacks the `default: {}` / `default: ""` / `default: 0` markers builder3 adds for non-pointer
  fields (the source is the v2 form, which prunes defaults, so v2 is unaffected).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from mockapi.resources.schemas import Schema, Schemas, ref_name

Form = Literal["v2", "v3"]

V2_REF = "#/definitions/"
V3_REF = "#/components/schemas/"

_CHILDREN = ("items", "additionalProperties", "not")
_CHILD_LISTS = ("allOf", "oneOf", "anyOf")
_ADDED_ENUM = ("apiVersion", "kind")


def ref_prefix(form: Form) -> str:
    return V2_REF if form == "v2" else V3_REF


def convert(schema: Schema, form: Form) -> Schema:
    """One schema (a definition or a nested property) in the v2 or v3 form."""
    return _convert(schema, form, None)


def _plain_type(value: object) -> object:
    if isinstance(value, list):
        kinds = [k for k in value if k != "null"]
        return kinds[0] if len(kinds) == 1 else kinds
    return value


def _one_of_types(schema: Schema) -> set[object] | None:
    one_of = schema.get("oneOf")
    if not isinstance(one_of, list) or not all(isinstance(s, dict) and set(s) == {"type"} for s in one_of):
        return None
    return {_plain_type(s["type"]) for s in one_of}


def _convert(schema: Schema, form: Form, prop: str | None) -> Schema:
    kinds = _one_of_types(schema)
    if kinds == {"string", "integer"}:  # IntOrString
        rest = {k: v for k, v in schema.items() if k != "oneOf"}
        if form == "v2":
            return {**rest, "format": "int-or-string", "type": "string"}
        return {**rest, "format": "int-or-string", "oneOf": [{"type": "integer"}, {"type": "string"}]}
    if kinds == {"string", "number"}:  # Quantity
        rest = {k: v for k, v in schema.items() if k != "oneOf"}
        if form == "v2":
            return {**rest, "type": "string"}
        return {**rest, "oneOf": [{"type": "string"}, {"type": "number"}]}

    out: Schema = {}
    for key, value in schema.items():
        if key == "type":
            out[key] = _plain_type(value)
        elif key == "$ref":
            out[key] = ref_prefix(form) + ref_name(value)
        elif key == "properties":
            out[key] = {name: _convert(sub, form, name) for name, sub in value.items()}
        elif key in _CHILDREN and isinstance(value, dict):
            out[key] = _convert(value, form, None)
        elif key in _CHILD_LISTS:
            out[key] = [_convert(sub, form, None) for sub in value]
        elif key == "enum" and prop in _ADDED_ENUM:
            continue
        else:  # description, format, required, default, x-kubernetes-* (values are plain data)
            out[key] = value
    if form == "v3" and "$ref" in out and len(out) > 1:
        ref = out.pop("$ref")
        out = {"allOf": [{"$ref": ref}], **out}
    return out


def refs_in(value: Any, prefix: str) -> Iterable[str]:
    """Definition names referenced anywhere in a (converted) document fragment."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(prefix):
                yield ref[len(prefix) :]
            for key, child in node.items():
                if key == "properties" and isinstance(child, dict):
                    stack.extend(child.values())  # property names may start with x- (JSONSchemaProps)
                elif not key.startswith("x-"):
                    stack.append(child)
        elif isinstance(node, list):
            stack.extend(node)


def closure(schemas: Schemas, roots: Iterable[str]) -> list[str]:
    """`roots` and every definition they reference, transitively; sorted. Unknown names are skipped."""
    seen: set[str] = set()
    pending = [name for name in roots if name in schemas.definitions]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        for ref in refs_in(schemas.definitions[name], "#/$defs/"):
            if ref not in seen and ref in schemas.definitions:
                pending.append(ref)
    return sorted(seen)


def definitions(schemas: Schemas, names: Iterable[str], form: Form) -> dict[str, Schema]:
    """The named definitions in the given form (v2 `definitions`, v3 `components.schemas`)."""
    return {name: convert(schemas.definitions[name], form) for name in names}
