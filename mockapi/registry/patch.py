"""Applying patches to an object's JSON form: RFC 6902 JSON patch (via the `jsonpatch` library),
RFC 7386 JSON merge patch and strategic merge patch (`strategic`). Server-side apply
(`application/apply-patch+yaml`) is not a patch of the object's JSON: the resource handler serves it
with `managedfields.apply`; on subresources (status, scale) it is answered with a 415 that says mockapi
does not implement it there yet.
"""

from __future__ import annotations

from typing import Any

import jsonpatch
import jsonpointer
import orjson

from mockapi.api import errors
from mockapi.api.decoding import DecodeError, check_depth
from mockapi.api.types import Obj
from mockapi.registry.strategic import SchemaWalker, apply_strategic_patch

JSON_PATCH = "application/json-patch+json"
MERGE_PATCH = "application/merge-patch+json"
STRATEGIC_PATCH = "application/strategic-merge-patch+json"
APPLY_PATCH = "application/apply-patch+yaml"
SUPPORTED = [JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH, APPLY_PATCH]
"""The patch types kube-apiserver accepts for built-in kinds, in the order its 415 lists them."""
SUPPORTED_WITHOUT_SCHEMA = [JSON_PATCH, MERGE_PATCH, APPLY_PATCH]
"""For kinds without Go types (custom resources) there is no strategic merge patch."""


MAX_JSON_PATCH_OPERATIONS = 10_000
"""handlers/patch.go maxJSONPatchOperations: a longer JSON patch is 413."""
JSON_PATCH_MAX_COPY_BYTES = 3 * 1024 * 1024
"""jsonpatch.AccumulatedCopySizeLimit as kube-apiserver sets it: `copy` operations may add at most this much
JSON, so a small patch cannot double the object again and again."""


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: objects merge recursively, null deletes, everything else replaces."""
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


def _unprocessable(message: str) -> errors.ApiError:
    """NewGenericServerResponse(422, ...): the message is generic; the cause carries the detail."""
    return errors.ApiError(
        422,
        "Invalid",
        "the server rejected our request due to an error in our request",
        {"causes": [{"reason": "UnexpectedServerResponse", "message": message}]},
    )


def accepted_patch_types(schema: SchemaWalker | None) -> list[str]:
    return SUPPORTED if schema is not None else SUPPORTED_WITHOUT_SCHEMA


def check_patch_type(patch_type: str, *, schema: SchemaWalker | None = None) -> None:
    """415 for a patch type the kind does not take (checked before the object is even read, as upstream).

    `schema` is the kind's schema (`strategic.walker_for_kind`); None for kinds without one, which
    take no strategic merge patch.
    """
    accepted = accepted_patch_types(schema)
    if patch_type not in accepted:
        raise errors.unsupported_media_type(patch_type, accepted)


def apply_patch(current: Obj, patch_type: str, patch: Any, *, schema: SchemaWalker | None = None) -> Obj:
    """The patched object; 400 when patching nests it deeper than any body may (a JSON patch can graft a
    deep value onto a deep path)."""
    patched = _patched(current, patch_type, patch, schema)
    try:
        check_depth(patched)
    except DecodeError as exc:
        raise errors.bad_request(f"the patched object is too deep: {exc}") from None
    return patched


def _patched(current: Obj, patch_type: str, patch: Any, schema: SchemaWalker | None) -> Obj:
    if patch_type == APPLY_PATCH:
        raise ValueError("server-side apply is served by managedfields.apply, never as a patch of the JSON form")
    if patch_type == STRATEGIC_PATCH:
        if schema is None:
            raise errors.unsupported_media_type(patch_type, SUPPORTED_WITHOUT_SCHEMA)
        return apply_strategic_patch(current, patch, schema)
    if patch_type == MERGE_PATCH:
        if not isinstance(patch, dict):
            raise errors.bad_request("json: cannot unmarshal array into Go value of type map[string]interface {}")
        result = merge_patch(current, patch)
        assert isinstance(result, dict)
        return result
    if patch_type == JSON_PATCH:
        return _json_patch(current, patch)
    raise errors.unsupported_media_type(patch_type, accepted_patch_types(schema))


def _json_patch(current: Obj, patch: Any) -> Obj:
    if not isinstance(patch, list):
        raise errors.bad_request("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
    try:
        jsonpatch.JsonPatch(patch)  # the whole patch decodes before any operation applies
    except (jsonpatch.InvalidJsonPatch, TypeError) as exc:
        raise errors.bad_request(str(exc)) from None
    except jsonpointer.JsonPointerException as exc:  # upstream decodes paths lazily: an apply error
        raise _unprocessable(str(exc)) from None
    if len(patch) > MAX_JSON_PATCH_OPERATIONS:
        raise errors.request_entity_too_large(
            f"The allowed maximum operations in a JSON patch is {MAX_JSON_PATCH_OPERATIONS}, got {len(patch)}"
        )
    doc: Any = current
    copied = 0
    try:
        for operation in patch:
            if operation.get("op") == "copy":
                copied += len(orjson.dumps(jsonpointer.resolve_pointer(doc, operation.get("from", ""))))
                if copied > JSON_PATCH_MAX_COPY_BYTES:
                    raise _unprocessable(
                        "Unable to complete the copy, the accumulated size increase of copy is "
                        f"{copied}, exceeding the limit {JSON_PATCH_MAX_COPY_BYTES}"
                    )
            doc = jsonpatch.JsonPatch([operation]).apply(doc, in_place=True)
    except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException, TypeError, KeyError, ValueError) as exc:
        raise _unprocessable(str(exc)) from None
    if not isinstance(doc, dict):
        raise _unprocessable("the patched document is not an object")
    return doc
