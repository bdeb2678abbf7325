"""Operation IDs and tags of the OpenAPI routes (k8s.io/apiserver `pkg/endpoints/openapi/openapi.go`,
`GetOperationIDAndTags`)."""

from __future__ import annotations


def operation_id_and_tags(operation: str, path: str) -> tuple[str, tuple[str, ...]]:
    """GetOperationIDAndTags: insert the group and version after the verb, tag with `<group>_<version>`."""
    prefix = _verb_prefix(operation)
    rest = operation[len(prefix) :]
    parts = path.strip("/").split("/")
    if parts and parts[0] == "api":
        parts = ["apis", "core", *parts[1:]]
    tags: tuple[str, ...] = ()
    if len(parts) >= 2 and parts[0] == "apis":
        trimmed = parts[1].removesuffix(".k8s.io")
        prefix += _valid_operation_id(trimmed, bool(prefix))
        tag = _valid_operation_id(trimmed, False)
        if len(parts) > 2:
            prefix += _valid_operation_id(parts[2], bool(prefix))
            tag += "_" + _valid_operation_id(parts[2], False)
        tags = (tag,)
    elif parts:
        tags = (_valid_operation_id(parts[0], False),)
    return prefix + _valid_operation_id(rest, bool(prefix)), tags


_VERBS = (
    "get",
    "log",
    "read",
    "replace",
    "patch",
    "delete",
    "deletecollection",
    "watch",
    "connect",
    "proxy",
    "list",
    "create",
)


def _verb_prefix(operation: str) -> str:
    # util.Trie.GetPrefix returns the shortest verb the name starts with ("deletecollection..." -> "delete").
    matches = [v for v in _VERBS if operation.startswith(v)]
    if not matches:
        raise ValueError(f"operation names should start with a verb: {operation}")
    return min(matches, key=len)


def _valid_operation_id(s: str, capitalize_first: bool) -> str:
    out: list[str] = []
    capitalize = capitalize_first
    for i, ch in enumerate(s):
        if ch.isalpha() or ch == "_" or (i != 0 and ch.isdigit()):
            out.append(ch.upper() if capitalize else ch)
            capitalize = False
        else:
            capitalize = True
    return "".join(out)
