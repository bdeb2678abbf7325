"""Server-side field validation: `fieldValidation=Strict|Warn|Ignore` on create, update and patch.

kube-apiserver checks a body while decoding it into the kind's Go struct (k8s.io/apiserver
pkg/endpoints/handlers/create.go, update.go, patch.go; k8s.io/apimachinery pkg/runtime/serializer/json;
sigs.k8s.io/json). This package repeats that decode against the published definitions:

    check_body(...)                 create/update (POST/PUT): 400 or warnings
    drop_unknown_fields(...)        then: what the typed decode drops (nothing unknown is ever stored)
    patch_document_errors(...)      patch, step 1: strict errors of the patch document itself
    check_patched(...)              patch, step 2: decode of the patched object: 422 or warnings

Create and update (`transformDecodeError`):
* a type error (`json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type
  int32`), a bad quantity, time or base64 value fails with 400 BadRequest
  `<Kind> in version "<v>" cannot be handled as a <Kind>: <error>` under every directive;
* Strict: unknown and duplicate fields fail with 400 BadRequest `<Kind> in version "<v>" cannot be
  handled as a <Kind>: strict decoding error: unknown field "spec.foo", duplicate field "spec.paused"`;
* Warn: each becomes a `Warning: 299` text (`unknown field "spec.foo"`); Ignore: nothing.
* YAML bodies first convert to JSON (keys sorted, so errors come in sorted-key order) and add the
  goyaml.v2 duplicate report in front: `yaml: unmarshal errors:\\n  line 5: key "name" already set in
  map` (one warning per line under Warn).

JSON and merge patches (jsonPatcher) and strategic merge patches (smpPatcher) fail with 422 Invalid
` "" is invalid: patch: Invalid value: "<patched object JSON | %v of the patch>": strict decoding error: ...`
and so do type errors in the patched object, under every directive. A patch handler calls, in order:

    mode = opts.field_validation                                         # Warn when the query has none
    doc_errors = patch_document_errors(patch_type, raw_patch, mode)      # before applying (may raise 400)
    ... apply the patch to the current object -> patched ...
    warnings = check_patched(rt, patched, mode, patch_type=patch_type, patch=raw_patch,
                             document_errors=doc_errors, emulated_version=...)   # may raise 422
    drop_unknown_fields(rt, patched, emulated_version=...)

Server-side apply (`application/apply-patch+yaml`) is not covered by these; its strict check is
`apply_yaml_error` (upstream `yaml.UnmarshalStrict` of the patch, after the apply itself succeeded).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from mockapi.api import errors
from mockapi.api.errors import ApiError, FieldError
from mockapi.api.goformat import go_sprint
from mockapi.api.golang import go_quote
from mockapi.api.types import Obj, StageRecord
from mockapi.registry.fieldvalidation import gotypes
from mockapi.registry.fieldvalidation.converter import ConversionError, Converter
from mockapi.registry.fieldvalidation.decoder import (
    Pairs,
    decode,
    from_python,
    go_decoded,
    parse_json,
    to_python,
)
from mockapi.registry.fieldvalidation.jsonbody import decode_json
from mockapi.registry.fieldvalidation.yamlstrict import PREFIX as YAML_PREFIX
from mockapi.registry.fieldvalidation.yamlstrict import strict_error as yaml_strict_error
from mockapi.registry.options import FieldValidation
from mockapi.registry.patch import JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH
from mockapi.resources.types import ResourceType

Directive = FieldValidation


_LONG_YAML_PREFIX = "error converting YAML to JSON: " + YAML_PREFIX

__all__ = [
    "Directive",
    "apply_yaml_error",
    "check_body",
    "check_patched",
    "drop_unknown_fields",
    "patch_document_errors",
    "warning_texts",
]


def warning_texts(strict_errors: list[str]) -> list[str]:
    """addStrictDecodingWarnings: one warning per error, a goyaml report split into its lines."""
    out: list[str] = []
    for text in strict_errors:
        for prefix in (YAML_PREFIX, _LONG_YAML_PREFIX):
            if text.startswith(prefix):
                out.extend(line.strip() for line in text[len(prefix) :].split("\n"))
                break
        else:
            out.append(text)
    return out


def _strict_message(strict_errors: list[str]) -> str:
    return "strict decoding error: " + ", ".join(strict_errors)


def _kind_type(rt: ResourceType, version: str) -> gotypes.GoType:
    found = gotypes.index(version).for_kind(rt.group, rt.version, rt.kind)
    return found if found is not None else gotypes.INTERFACE_TYPE


def check_body(
    rt: ResourceType,
    raw: bytes,
    body: Obj,
    mode: Directive,
    *,
    yaml: bool,
    emulated_version: str = "1.33",
    record: Callable[[StageRecord], None] | None = None,
    drop_unknown: bool = False,
) -> list[str]:
    """Decode-time checks of a create or update body; returns the warnings to send, or raises 400.
    With `drop_unknown`, an accepted body then loses what `drop_unknown_fields` drops (the walk is skipped
    when decoding met no unknown field).

    `raw` is the request body exactly as received (duplicates are only visible there), `body` the
    object decode_body made of it; `yaml` says the body was `application/yaml`. A body whose kind or
    apiVersion is not the endpoint's is left to the checks that refuse it. A Strict rejection is
    recorded as stage `decoding` denied by `fieldValidation`. When a JSON body repeats an object
    field, `body` is rewritten in place to what Go's decoder keeps (the objects merge).
    """
    kind = body.get("kind") or rt.kind
    if kind != rt.kind or (body.get("apiVersion") or rt.api_version) != rt.api_version:
        return []  # refused later (wrong kind), so nothing to drop
    strict = mode != "Ignore"
    strict_errors: list[str] = []
    go_type = _kind_type(rt, emulated_version)
    tree: Any = None  # a JSON body parsed again (to see repeated keys), if it had to be
    if yaml:
        if strict:
            duplicates = yaml_strict_error(raw)
            if duplicates is not None:
                strict_errors.append(duplicates)
        result = decode(go_type, from_python(body), strict)
    else:
        try:
            result, tree = decode_json(go_type, raw, body, strict)
        except ValueError:
            if drop_unknown:
                _prune(go_type, body)
            return []
    prefix = f'{kind} in version "{rt.version}" cannot be handled as a {rt.kind}: '
    if result.error is not None:
        raise errors.bad_request(prefix + result.error)
    strict_errors.extend(result.strict)
    if tree is not None and _has_repeats(tree):
        merged = go_decoded(go_type, tree)
        body.clear()
        body.update(merged)
    if drop_unknown and result.unknown and not (strict_errors and mode == "Strict"):
        _prune(go_type, body)
    if not strict_errors or mode == "Ignore":
        return []
    if mode == "Strict":
        err = errors.bad_request(prefix + _strict_message(strict_errors))
        if record is not None:
            record(StageRecord("decoding", "deny", "fieldValidation", err.message))
        raise err
    return warning_texts(strict_errors)


def decode_error(group: str, version: str, kind: str, body: Obj, *, emulated_version: str = "1.33") -> str | None:
    """What json.Unmarshal says of `body` decoded into the kind's Go type (None when it decodes)."""
    found = gotypes.index(emulated_version).for_kind(group, version, kind)
    return None if found is None else decode(found, from_python(body), False).error


def _has_repeats(tree: Any) -> bool:
    if isinstance(tree, Pairs):
        return len({k for k, _ in tree}) != len(tree) or any(_has_repeats(v) for _, v in tree)
    if isinstance(tree, list):
        return any(_has_repeats(v) for v in tree)
    return False


def drop_unknown_fields(rt: ResourceType, body: Obj, *, emulated_version: str = "1.33") -> None:
    """Remove, in place, what decoding into the typed object drops: fields the kind's structs lack.

    kube-apiserver never stores an unknown field of a built-in kind (Warn and Ignore decode, then
    drop them); call after `check_body` has accepted the body.
    """
    kind = body.get("kind") or rt.kind
    if kind == rt.kind and (body.get("apiVersion") or rt.api_version) == rt.api_version:
        _prune(_kind_type(rt, emulated_version), body)


def _prune(go_type: gotypes.GoType, value: Any) -> None:
    if go_type.kind == gotypes.STRUCT and isinstance(value, dict):
        if not go_type.preserve_unknown:
            for key in [k for k in value if k not in go_type.fields]:
                del value[key]
        for key, found in go_type.fields.items():
            if key in value:
                _prune(found.type, value[key])
    elif go_type.kind == gotypes.MAP and isinstance(value, dict) and go_type.elem is not None:
        for member in value.values():
            _prune(go_type.elem, member)
    elif go_type.kind == gotypes.SLICE and isinstance(value, list) and go_type.elem is not None:
        for item in value:
            _prune(go_type.elem, item)


# ---------------------------------------------------------------------------------------------------
# patch


_JSON_PATCH_OP = gotypes.GoType(gotypes.STRUCT, "handlers.jsonPatchOp", struct="jsonPatchOp")
for _name, _type in (
    ("op", gotypes.GoType(gotypes.STRING, "string")),
    ("path", gotypes.GoType(gotypes.STRING, "string")),
    ("from", gotypes.GoType(gotypes.STRING, "string")),
    ("value", gotypes.INTERFACE_TYPE),
):
    _JSON_PATCH_OP.fields[_name] = gotypes.Field(_type)
_JSON_PATCH_OPS = gotypes.GoType(gotypes.SLICE, "[]handlers.jsonPatchOp", elem=_JSON_PATCH_OP)
_PATCH_MAP = gotypes.GoType(gotypes.MAP, "map[string]interface {}", elem=gotypes.INTERFACE_TYPE)


def patch_document_errors(patch_type: str, patch: bytes, mode: Directive) -> list[str]:
    """Strict errors of the patch document itself (upstream's appliedStrictErrs / strictErrs).

    JSON patch: each operation is decoded into `jsonPatchOp{op,path,from,value}`:
    `json patch unknown field "[0].foo"`, `json patch duplicate field "[1].path"`. Merge and
    strategic merge patches are decoded into `map[string]interface{}`: `duplicate field "spec.paused"`.
    Only under Strict and Warn (Ignore: []). A patch that does not decode into those types is a 400:
    `error decoding patch: <error>` (JSON and merge patch) or the bare error (strategic).
    """
    if mode == "Ignore" or patch_type not in (JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH):
        return []
    try:
        tree = parse_json(patch)
    except ValueError:
        return []  # the patch machinery reports malformed JSON
    target = _JSON_PATCH_OPS if patch_type == JSON_PATCH else _PATCH_MAP
    result = decode(target, tree, strict=True)
    if result.error is not None:
        message = result.error if patch_type == STRATEGIC_PATCH else f"error decoding patch: {result.error}"
        raise errors.bad_request(message)
    if patch_type == JSON_PATCH:
        return [f"json patch {text}" for text in result.strict]
    return result.strict


def _invalid_patch(value: str, detail: str) -> ApiError:
    """NewInvalid(schema.GroupKind{}, "", {field.Invalid(field.NewPath("patch"), value, detail)})."""
    cause = FieldError("FieldValueInvalid", "patch", f"Invalid value: {go_quote(value)}: {detail}")
    return ApiError(422, "Invalid", f' "" is invalid: {cause}', {"causes": [cause.cause()]})


def patched_json(obj: Obj) -> str:
    """The patched object as the JSON patch library hands it to the decoder (json.Marshal: keys sorted)."""
    data = orjson.dumps(obj, option=orjson.OPT_SORT_KEYS)
    for raw_char, escaped in ((b"<", b"\\u003c"), (b">", b"\\u003e"), (b"&", b"\\u0026")):
        data = data.replace(raw_char, escaped)
    return data.decode()


def check_patched(
    rt: ResourceType,
    patched: Obj,
    mode: Directive,
    *,
    patch_type: str,
    patch: bytes,
    document_errors: list[str],
    emulated_version: str = "1.33",
) -> list[str]:
    """Decode the patched object as upstream does after a JSON, merge or strategic merge patch.

    Returns the warnings to send (Warn) or raises 422 Invalid; `document_errors` are what
    `patch_document_errors` returned for the same patch (they come first, as upstream appends them).
    """
    if patch_type not in (JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH):
        return []
    strict = mode != "Ignore"
    go_type = _kind_type(rt, emulated_version)
    if patch_type == STRATEGIC_PATCH:
        try:
            patch_map = to_python(parse_json(patch))
        except ValueError:
            patch_map = {}
        value = go_sprint(patch_map)
        try:
            found = Converter(track_unknown=strict).convert(go_type, patched)
        except ConversionError as exc:
            raise _invalid_patch(value, str(exc)) from None
    else:
        value = patched_json(patched)
        result = decode(go_type, from_python(patched), strict)
        if result.error is not None:
            raise _invalid_patch(value, result.error)
        found = result.strict
    all_errors = (list(document_errors) if strict else []) + found
    if not all_errors:
        return []
    if mode == "Strict":
        raise _invalid_patch(value, _strict_message(all_errors))
    return warning_texts(all_errors)


def apply_yaml_error(patch: bytes, mode: Directive) -> list[str]:
    """Server-side apply's strict check: `yaml.UnmarshalStrict` of the applied configuration.

    Strict raises 400 `error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal
    errors:\\n  line 10: key "paused" already set in map`; Warn returns one warning per line.
    """
    if mode == "Ignore":
        return []
    text = yaml_strict_error(patch)
    if text is None:
        return []
    text = "error converting YAML to JSON: " + text
    if mode == "Strict":
        raise errors.bad_request(f"error strict decoding YAML: {text}")
    return warning_texts([text])
