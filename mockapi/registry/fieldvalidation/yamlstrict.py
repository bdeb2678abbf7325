"""Duplicate keys in a YAML body, as `sigs.k8s.io/yaml.YAMLToJSONStrict` (goyaml.v2 `UnmarshalStrict`) reports them.

goyaml.v2 decodes a mapping pair by pair: the value first (so duplicates nested in it come first), then
`setMapIndex`, which in strict mode refuses a key the map already holds with
`line <value's line + 1>: key <%#v of the key> already set in map`. All such lines are collected in
one error, `yaml: unmarshal errors:\\n  <line>\\n  <line>`.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from mockapi.api.goformat import go_sharp_v

PREFIX = "yaml: unmarshal errors:\n  "
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE = "tag:yaml.org,2002:merge"


def _key(constructor: SafeConstructor, node: ScalarNode) -> tuple[type, Any] | None:
    try:
        value = constructor.construct_object(node, deep=True)
    except yaml.YAMLError:
        return None
    try:
        hash(value)
    except TypeError:
        return None
    return (type(value), value)


def duplicate_lines(raw: bytes | str) -> list[str]:
    """`line N: key "x" already set in map` for every repeated key, in goyaml.v2's order."""
    try:
        root = yaml.compose(raw, Loader=_Loader)
    except yaml.YAMLError:
        return []
    if root is None:
        return []
    constructor = SafeConstructor()
    errors: list[str] = []
    active: set[int] = set()

    def walk(node: Node) -> None:
        if id(node) in active:  # an alias of an ancestor; goyaml.v2 refuses those anyway
            return
        active.add(id(node))
        try:
            if isinstance(node, MappingNode):
                seen: set[tuple[type, Any]] = set()
                for key_node, value_node in node.value:
                    walk(value_node)
                    if not isinstance(key_node, ScalarNode) or key_node.tag == _MERGE:
                        continue
                    key = _key(constructor, key_node)
                    if key is None:
                        continue
                    if key in seen:
                        errors.append(
                            f"line {value_node.start_mark.line + 1}: key {go_sharp_v(key[1])} already set in map"
                        )
                    seen.add(key)
            elif isinstance(node, SequenceNode):
                for item in node.value:
                    walk(item)
        finally:
            active.discard(id(node))

    walk(root)
    return errors


def strict_error(raw: bytes | str) -> str | None:
    """The YAMLToJSONStrict error text for a body, or None when no key repeats."""
    lines = duplicate_lines(raw)
    return PREFIX + "\n  ".join(lines) if lines else None
