"""The patch format's directives, and the errors the strategicpatch package raises about a patch.

Error messages are Go's, byte for byte (`mergepatch.ErrBadArgType`, `ErrNoMergeKey`,
`ErrBadPatchType`, the sentinel errors); `interpret` turns one into the Status kube-apiserver answers,
as `endpoints/handlers/patch.go` `interpretStrategicMergePatchError` and then `ErrorToAPIStatus` do:

    StrategicPatchError
      ├── a mergepatch format sentinel (bad primitive list, retainKeys, setElementOrder)  -> 400 BadRequest
      ├── "lists of lists are not supported"                 -> 422 Invalid, generic message, details {}
      └── anything else (a plain Go error)                   -> 500, no reason, Go's message
"""

from __future__ import annotations

from typing import Any

from mockapi.api import errors
from mockapi.registry.strategic.golang import fmt_s, fmt_v, go_type

DIRECTIVE = "$patch"
DELETE, REPLACE, MERGE = "delete", "replace", "merge"
RETAIN_KEYS_STRATEGY = "retainKeys"
RETAIN_KEYS = "$retainKeys"
DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList"
SET_ELEMENT_ORDER = "$setElementOrder"

BAD_JSON_DOC = "invalid JSON document"
BAD_PRIMITIVE_LIST = "invalid patch format of primitive list"
BAD_RETAIN_KEYS = "invalid patch format of retainKeys"
BAD_SET_ELEMENT_ORDER = "invalid patch format of setElementOrder list"
NO_LIST_OF_LISTS = "lists of lists are not supported"
PANIC = "This request caused apiserver to panic. Look in the logs for details."
"""What kube-apiserver's panic recovery answers where the Go code dereferences a nil type."""
_BAD_REQUEST = {BAD_JSON_DOC, BAD_PRIMITIVE_LIST, BAD_RETAIN_KEYS, BAD_SET_ELEMENT_ORDER}

MAP = "map[string]interface {}"
SLICE = "[]interface {}"


class StrategicPatchError(Exception):
    """An error of the strategicpatch package; `str()` is Go's `err.Error()`."""


def bad_arg_type(expected: str, actual: Any) -> StrategicPatchError:
    return StrategicPatchError(f"expected a {expected}, but received a {go_type(actual)}")


def no_merge_key(item: dict[str, Any], key: str) -> StrategicPatchError:
    return StrategicPatchError(f"map: {fmt_v(item)} does not contain declared merge key: {key}")


def bad_patch_type(directive: Any, item: dict[str, Any]) -> StrategicPatchError:
    return StrategicPatchError(f"unknown patch type: {fmt_s(directive)} in map: {fmt_v(item)}")


def is_directive(value: Any, directive: str) -> bool:
    """Go's `value == "<directive>"` on an `interface{}`: only a string of that value."""
    return isinstance(value, str) and value == directive


def retain_keys_strategy(strategies: tuple[str, ...]) -> str:
    """`extractRetainKeysPatchStrategy`: the strategy left once `retainKeys` is set aside."""
    if len(strategies) == 0:
        return ""
    if len(strategies) == 1:
        return "" if strategies[0] == RETAIN_KEYS_STRATEGY else strategies[0]
    if len(strategies) == 2 and RETAIN_KEYS_STRATEGY in strategies:
        return strategies[1] if strategies[0] == RETAIN_KEYS_STRATEGY else strategies[0]
    raise StrategicPatchError(f"unexpected patch strategy: {fmt_v(list(strategies))}")


def extract_key(key: str, prefix: str) -> str:
    """`$deleteFromPrimitiveList/<field>` or `$setElementOrder/<field>` -> `<field>`."""
    head, sep, tail = key.partition("/")
    if not sep or head != prefix:
        raise StrategicPatchError(BAD_PRIMITIVE_LIST if prefix == DELETE_FROM_PRIMITIVE_LIST else BAD_SET_ELEMENT_ORDER)
    return tail


def interpret(err: StrategicPatchError) -> errors.ApiError:
    """`interpretStrategicMergePatchError`, then `ErrorToAPIStatus` for plain errors."""
    message = str(err)
    if message in _BAD_REQUEST:
        return errors.bad_request(message)
    if message == NO_LIST_OF_LISTS:  # NewGenericServerResponse(422, ...): the detail is not shown
        return errors.ApiError(422, "Invalid", "the server rejected our request due to an error in our request", {})
    return errors.plain_internal(message)
