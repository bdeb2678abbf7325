"""Lists: merging by key or by value, `$patch` items, `$setElementOrder`, and the resulting order.

Ports `mergeSlice`, `mergeSliceWithSpecialElements`, `mergeSliceWithoutSpecialElements`,
`mergePatchIntoOriginal` and `normalizeElementOrder`/`mergeSortedSlice`. The order rules are the
package's: `$setElementOrder` first, then the patch's order, then the live order — and an item new to
the live list is placed before the server-only items it is compared with, so without
`$setElementOrder` a new list item comes first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mockapi.registry.strategic.format import (
    DELETE,
    DIRECTIVE,
    MAP,
    MERGE,
    NO_LIST_OF_LISTS,
    PANIC,
    REPLACE,
    SET_ELEMENT_ORDER,
    SLICE,
    StrategicPatchError,
    bad_arg_type,
    bad_patch_type,
    extract_key,
    is_directive,
    no_merge_key,
    retain_keys_strategy,
)
from mockapi.registry.strategic.golang import fmt_v, go_eq, go_type, hash_key, same_type, slice_stable
from mockapi.registry.strategic.meta import SchemaWalker

MergeMap = Callable[[dict[str, Any], dict[str, Any], SchemaWalker], dict[str, Any]]
"""`mergeMap`, passed in by the map half (which calls back into this module)."""


def remove_directives(value: Any) -> tuple[Any, bool]:
    """`removeDirectives`: maps carrying `$patch` vanish from a value taken whole from the patch;
    returns (value, whether to keep it)."""
    if isinstance(value, dict):
        if DIRECTIVE in value:
            return None, False
        for key in list(value):
            cleaned, keep = remove_directives(value[key])
            if keep:
                value[key] = cleaned
            else:
                del value[key]
        return value, True
    if isinstance(value, list):
        return [cleaned for cleaned, keep in map(remove_directives, value) if keep], True
    return value, True


# -- $setElementOrder ------------------------------------------------------------------------------


def merge_ordered_lists(
    original: dict[str, Any], patch: dict[str, Any], schema: SchemaWalker, merge_map: MergeMap
) -> None:
    """`mergePatchIntoOriginal`: merge each list that has a `$setElementOrder/<field>` and order it;
    the directive and the list are removed from `patch`."""
    for key in [k for k in patch if k.startswith(SET_ELEMENT_ORDER)]:
        order = patch.pop(key)
        if not isinstance(order, list):
            raise bad_arg_type(SLICE, order)
        field = extract_key(key, SET_ELEMENT_ORDER)
        found_original, found_patch = field in original, field in patch
        original_list: list[Any] = []
        patch_list: list[Any] = []
        if found_original:
            if not isinstance(original[field], list):
                raise bad_arg_type(SLICE, original[field])
            original_list = original[field]
        if found_patch:
            if not isinstance(patch[field], list):
                raise bad_arg_type(SLICE, patch[field])
            patch_list = patch[field]
        items, meta = schema.lookup_slice(field, strict=True)
        strategy = retain_keys_strategy(meta.strategies)
        merge_key = meta.merge_key
        _validate_order(patch_list, order, merge_key)

        if found_original and not found_patch:
            merged = original_list
        elif found_patch and not found_original:
            merged = remove_directives(patch_list)[0]
        elif found_original and found_patch:
            if strategy == MERGE:
                merged = merge_slice(list(original_list), patch_list, items, merge_key, False, merge_map)
            else:
                merged = patch_list
        else:
            continue

        if merge_key:
            in_order, server_only = _partition_maps(merged, order, merge_key)
        else:
            in_order, server_only = _partition_scalars(merged, order)
        is_map = _element_type(original_list, patch_list) == MAP
        original[field] = _normalize_order(in_order, server_only, order, original_list, merge_key, is_map)
        patch.pop(field, None)


def _validate_order(patch_list: list[Any], order: list[Any], merge_key: str) -> None:
    """`validatePatchWithSetOrderList`: the patch's items appear in `$setElementOrder`, in its order."""
    if not order or not patch_list:
        return
    non_delete = _split_deletions(patch_list)[0] if merge_key else patch_list
    p = o = 0
    while p < len(non_delete) and o < len(order):
        item = non_delete[p]
        if isinstance(item, dict) and DIRECTIVE in item:
            p += 1
            continue
        if _merge_key_equal(item, order[o], merge_key):
            p += 1
        o += 1
    if p < len(non_delete) and o >= len(order):
        raise StrategicPatchError(
            f"The order in patch list:\n{fmt_v(patch_list)}\n doesn't match {SET_ELEMENT_ORDER} list:\n{fmt_v(order)}\n"
        )


def _merge_key_equal(left: Any, right: Any, merge_key: str) -> bool:
    if not merge_key:
        return go_eq(left, right)
    if not isinstance(left, dict):
        raise bad_arg_type(MAP, left)
    if not isinstance(right, dict):
        raise bad_arg_type(MAP, right)
    if merge_key not in left:
        raise no_merge_key(left, merge_key)
    if merge_key not in right:
        raise no_merge_key(right, merge_key)
    return go_eq(left[merge_key], right[merge_key])


def _split_deletions(items: list[Any]) -> tuple[list[Any], list[Any]]:
    """`extractToDeleteItems`: (items to keep, items with `$patch: delete`)."""
    keep: list[Any] = []
    delete: list[Any] = []
    for item in items:
        if not isinstance(item, dict):
            raise bad_arg_type(MAP, item)
        (delete if is_directive(item.get(DIRECTIVE), DELETE) else keep).append(item)
    return keep, delete


# -- merging ---------------------------------------------------------------------------------------

_UNSET = object()


def _element_type(*lists: list[Any]) -> str:
    """`sliceElementType`: the one Go type of every element of `lists`."""
    found: Any = _UNSET
    for items in lists:
        for item in items:
            if found is _UNSET:
                found = item
                if isinstance(item, list):
                    raise StrategicPatchError(NO_LIST_OF_LISTS)
                if item is None:  # reflect.TypeOf(nil).Kind(): a nil dereference in Go
                    raise StrategicPatchError(PANIC)
            elif not same_type(found, item):
                raise StrategicPatchError(f"list element types are not identical: {fmt_v(list(lists))}")
    if found is _UNSET:
        raise StrategicPatchError("no elements in any of the given slices")
    return go_type(found)


def merge_slice(
    original: list[Any],
    patch: list[Any],
    items: SchemaWalker,
    merge_key: str,
    is_delete_list: bool,
    merge_map: MergeMap,
) -> list[Any]:
    """`mergeSlice`: a list whose field has the `merge` strategy, or a `$deleteFromPrimitiveList`."""
    if not original and not patch:
        return original
    is_map = _element_type(original, patch) == MAP
    if not is_map:
        if is_delete_list:
            doomed = {k for k in map(hash_key, patch) if k is not None}
            return [v for v in original if hash_key(v) not in doomed]
        merged = _dedupe(original + patch)
    else:
        if not merge_key:
            raise StrategicPatchError(f"cannot merge lists without merge key for {items.go_kind()}")
        original, patch = _apply_list_directives(original, patch, merge_key)
        merged = _merge_items(original, patch, merge_key, items, merge_map)
    if merge_key:
        in_patch, server_only = _partition_maps(merged, patch, merge_key)
    else:
        in_patch, server_only = _partition_scalars(merged, patch)
    return _normalize_order(in_patch, server_only, patch, original, merge_key, is_map)


def _apply_list_directives(original: list[Any], patch: list[Any], merge_key: str) -> tuple[list[Any], list[Any]]:
    """`mergeSliceWithSpecialElements`: apply the `$patch` items; returns (original, rest of the patch)."""
    rest: list[Any] = []
    replace = False
    for item in patch:
        if DIRECTIVE not in item:
            rest.append(item)
            continue
        directive = item[DIRECTIVE]
        if is_directive(directive, DELETE):
            if merge_key not in item:
                raise no_merge_key(item, merge_key)
            value = item[merge_key]
            original = [e for e in original if not (merge_key in e and go_eq(e[merge_key], value))]
        elif is_directive(directive, REPLACE):
            replace = True  # keep going: the other `$patch` items are pruned too
        elif is_directive(directive, MERGE):
            raise StrategicPatchError("merging lists cannot yet be specified in the patch")
        else:
            raise bad_patch_type(directive, item)
    if replace:
        return rest, []
    return original, rest


def _find(items: list[Any], merge_key: str, value: Any) -> int:
    """`findMapInSliceBasedOnKeyValue`: the index of the first item whose merge key equals `value`."""
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise StrategicPatchError(f"value for key {i} is not a map.")
        if merge_key in item and go_eq(item[merge_key], value):
            return i
    return -1


def _merge_items(
    original: list[Any], patch: list[Any], merge_key: str, items: SchemaWalker, merge_map: MergeMap
) -> list[Any]:
    """`mergeSliceWithoutSpecialElements`: merge items with the same key, append the others."""
    merged = list(original)
    for item in patch:
        if merge_key not in item:
            raise no_merge_key(item, merge_key)
        index = _find(merged, merge_key, item[merge_key])
        if index >= 0:
            merged[index] = merge_map(merged[index], item, items)
        else:
            merged.append(item)
    return merged


def _dedupe(values: list[Any]) -> list[Any]:
    """`deduplicateScalars`, which moves the last element into each duplicate's place."""
    s = list(values)
    length = len(s) - 1
    i = 0
    while i < length:
        j = i + 1
        while j <= length:
            if go_eq(s[i], s[j]):
                s[j] = s[length]
                s = s[:length]
                length -= 1
                j -= 1
            j += 1
        i += 1
    return s


def _partition_scalars(values: list[Any], by: list[Any]) -> tuple[list[Any], list[Any]]:
    wanted = {k for k in map(hash_key, by) if k is not None}
    inside = [v for v in values if hash_key(v) in wanted]
    outside = [v for v in values if hash_key(v) not in wanted]
    return inside, outside


def _partition_maps(values: list[Any], by: list[Any], merge_key: str) -> tuple[list[Any], list[Any]]:
    inside: list[Any] = []
    outside: list[Any] = []
    for value in values:
        if not isinstance(value, dict):
            raise bad_arg_type(MAP, value)
        if merge_key not in value:
            raise no_merge_key(value, merge_key)
        (inside if _find(by, merge_key, value[merge_key]) >= 0 else outside).append(value)
    return inside, outside


# -- ordering --------------------------------------------------------------------------------------

Positions = dict[tuple[str, Any], int]


def _order_value(item: Any, merge_key: str, is_map: bool) -> Any:
    if is_map:
        return item.get(merge_key) if isinstance(item, dict) else None
    return item


def _positions(order: list[Any], merge_key: str, is_map: bool) -> Positions:
    """`index()` precomputed: the first position of each merge key value (or scalar) in `order`."""
    found: Positions = {}
    for i, item in enumerate(order):
        key = hash_key(_order_value(item, merge_key, is_map))
        if key is not None:
            found.setdefault(key, i)
    return found


def _index(positions: Positions, item: Any, merge_key: str, is_map: bool) -> int:
    key = hash_key(_order_value(item, merge_key, is_map))
    return -1 if key is None else positions.get(key, -1)


def _sort_by(items: list[Any], order: list[Any], merge_key: str, is_map: bool) -> list[Any]:
    """`normalizeSliceOrder`: stable sort by position in `order` (`$patch: delete` items go last)."""
    deletions: list[Any] = []
    if is_map:
        for item in (*items, *order):
            if not isinstance(item, dict):
                raise bad_arg_type(MAP, item)
            if merge_key not in item:
                raise no_merge_key(item, merge_key)
        items, deletions = _split_deletions(items)
    positions = _positions(order, merge_key, is_map)
    keyed = [(_index(positions, item, merge_key, is_map), item) for item in items]

    def less(a: tuple[int, Any], b: tuple[int, Any]) -> bool:
        # Go's comparator: an item missing from `order` is "less" than anything, both ways round
        return a[0] < b[0] if a[0] >= 0 and b[0] >= 0 else True

    return [item for _, item in slice_stable(keyed, less)] + deletions


def _normalize_order(
    patch_items: list[Any],
    server_only: list[Any],
    patch_order: list[Any],
    server_order: list[Any],
    merge_key: str,
    is_map: bool,
) -> list[Any]:
    """`normalizeElementOrder`: sort both parts, then interleave them (`mergeSortedSlice`): a
    server-only item goes first only when it precedes the patch item in the live list."""
    right = _sort_by(patch_items, patch_order, merge_key, is_map)
    left = _sort_by(server_only, server_order, merge_key, is_map)
    positions = _positions(server_order, merge_key, is_map)
    out: list[Any] = []
    i = j = 0
    while i < len(left) or j < len(right):
        if i >= len(left):
            out.append(right[j])
            j += 1
        elif j >= len(right):
            out.append(left[i])
            i += 1
        else:
            li = _index(positions, left[i], merge_key, is_map)
            ri = _index(positions, right[j], merge_key, is_map)
            if li >= 0 and ri >= 0 and li < ri:
                out.append(left[i])
                i += 1
            else:
                out.append(right[j])
                j += 1
    return out
