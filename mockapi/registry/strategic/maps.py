"""The entry point and maps: `StrategicMergeMapPatch` with the server's options.

Ports `mergeMap` (with `MergeParallelList` and `IgnoreUnmatchedNulls`, as kube-apiserver calls it),
`handleDirectiveInMergeMap`, `applyRetainKeysDirective` and `discardNullValuesFromPatch`.
"""

from __future__ import annotations

import copy
from typing import Any

from mockapi.api import errors
from mockapi.api.golang import json_kind
from mockapi.api.types import Obj
from mockapi.registry.strategic.format import (
    BAD_RETAIN_KEYS,
    DELETE,
    DELETE_FROM_PRIMITIVE_LIST,
    DIRECTIVE,
    MERGE,
    REPLACE,
    RETAIN_KEYS,
    SET_ELEMENT_ORDER,
    StrategicPatchError,
    bad_patch_type,
    extract_key,
    interpret,
    is_directive,
    retain_keys_strategy,
)
from mockapi.registry.strategic.golang import hash_key, same_type
from mockapi.registry.strategic.lists import merge_ordered_lists, merge_slice, remove_directives
from mockapi.registry.strategic.meta import PatchMetaError, SchemaWalker


def apply_strategic_patch(original: Obj, patch: Any, schema: SchemaWalker) -> Obj:
    """The object `patch` makes of `original` (neither argument is modified).

    `patch` is the decoded request body; anything but a JSON object (or `null`, a no-op) is refused as
    kube-apiserver's JSON decoder refuses it. Errors are `ApiError`s with kube-apiserver's Status.
    """
    if patch is None:
        patch = {}
    if not isinstance(patch, dict):
        raise errors.bad_request(
            f"json: cannot unmarshal {json_kind(patch)} into Go value of type map[string]interface {{}}"
        )
    try:
        return merge_map(copy.deepcopy(original), copy.deepcopy(patch), schema)
    except StrategicPatchError as err:
        raise interpret(err) from None
    except PatchMetaError as err:
        raise errors.plain_internal(str(err)) from None


def merge_map(original: dict[str, Any] | None, patch: dict[str, Any], schema: SchemaWalker) -> dict[str, Any]:
    """`mergeMap`: merge `patch` into `original` (both are modified; the result is returned)."""
    if DIRECTIVE in patch:
        directive = patch[DIRECTIVE]
        if is_directive(directive, REPLACE):
            del patch[DIRECTIVE]
            return patch
        if is_directive(directive, DELETE):
            return {}
        raise bad_patch_type(directive, patch)
    if original is None:
        original = {}
    _apply_retain_keys(original, patch)
    merge_ordered_lists(original, patch, schema, merge_map)

    for key, patch_value in list(patch.items()):
        is_delete_list = key.startswith(DELETE_FROM_PRIMITIVE_LIST)
        if is_delete_list:
            key = extract_key(key, DELETE_FROM_PRIMITIVE_LIST)
        if patch_value is None:
            original.pop(key, None)
            continue
        if key not in original or not same_type(original[key], patch_value):
            if not is_delete_list:  # the patch's value is taken whole
                _discard_nulls(patch_value)
                value, keep = remove_directives(patch_value)
                if keep:
                    original[key] = value
                else:
                    original.pop(key, None)
            continue
        current = original[key]
        if isinstance(current, dict):
            field, meta = schema.lookup_struct(key, strict=False)
            strategy = retain_keys_strategy(meta.strategies)
            original[key] = merge_map(current, patch_value, field) if strategy != REPLACE else patch_value
        elif isinstance(current, list):
            items, meta = schema.lookup_slice(key, strict=False)
            strategy = retain_keys_strategy(meta.strategies)
            if strategy == MERGE or is_delete_list:
                original[key] = merge_slice(current, patch_value, items, meta.merge_key, is_delete_list, merge_map)
            else:
                original[key] = patch_value
        else:
            original[key] = patch_value
    return original


def _apply_retain_keys(original: dict[str, Any], patch: dict[str, Any]) -> None:
    """`$retainKeys`: every non-null key of the patch must be listed; unlisted original keys go."""
    if RETAIN_KEYS not in patch:
        return
    retain = patch.pop(RETAIN_KEYS)
    if not isinstance(retain, list):
        raise StrategicPatchError(BAD_RETAIN_KEYS)
    keep = {k for k in map(hash_key, retain) if k is not None}
    for key, value in patch.items():
        if value is None or key.startswith((DELETE_FROM_PRIMITIVE_LIST, SET_ELEMENT_ORDER)):
            continue
        if hash_key(key) not in keep:
            raise StrategicPatchError(BAD_RETAIN_KEYS)
    for key in list(original):
        if hash_key(key) not in keep:
            del original[key]


def _discard_nulls(value: Any) -> None:
    """`discardNullValuesFromPatch`: a value taken whole from the patch keeps none of its nulls."""
    if isinstance(value, dict):
        for key in list(value):
            if value[key] is None:
                del value[key]
            else:
                _discard_nulls(value[key])
    elif isinstance(value, list):
        for item in value:
            _discard_nulls(item)
