"""Applying patches to an object's JSON form: RFC 6902 JSON patch (via the `jsonpatch` library) and
RFC 7386 JSON merge patch. Strategic merge and server-side apply come with issue 3.
"""

from __future__ import annotations

from typing import Any

import jsonpatch
import jsonpointer

from mockapi.api import errors
from mockapi.api.types import Obj

JSON_PATCH = "application/json-patch+json"
MERGE_PATCH = "application/merge-patch+json"
SUPPORTED = [JSON_PATCH, MERGE_PATCH]


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


def check_patch_type(patch_type: str) -> None:
    """415 for a patch type mockapi cannot apply (checked before the object is even read, as upstream)."""
    if patch_type not in SUPPORTED:
        raise errors.unsupported_media_type(patch_type, SUPPORTED)


def apply_patch(current: Obj, patch_type: str, patch: Any) -> Obj:
    if patch_type == MERGE_PATCH:
        if not isinstance(patch, dict):
            raise errors.bad_request("json: cannot unmarshal array into Go value of type map[string]interface {}")
        result = merge_patch(current, patch)
        assert isinstance(result, dict)
        return result
    if patch_type == JSON_PATCH:
        if not isinstance(patch, list):
            raise errors.bad_request("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
        try:
            compiled = jsonpatch.JsonPatch(patch)
        except (jsonpatch.InvalidJsonPatch, TypeError) as exc:
            raise errors.bad_request(str(exc)) from None
        try:
            result = compiled.apply(current)
        except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException, TypeError, KeyError) as exc:
            raise _unprocessable(str(exc)) from None
        if not isinstance(result, dict):
            raise _unprocessable("the patched document is not an object")
        return result
    raise errors.unsupported_media_type(patch_type, SUPPORTED)
