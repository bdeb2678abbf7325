"""YAML request bodies to JSON values, as kube-apiserver converts them, within decoding budgets.

kube-apiserver turns a YAML body into JSON with sigs.k8s.io/yaml's `YAMLToJSON` (goyaml.v2 underneath):
plain scalars resolve by YAML 1.1 rules (`yes` is true, `0x1F` is 31, an integer beyond 64 bits is a
float, `1e400` stays a string), quoted scalars are strings, int/float/bool mapping keys become strings,
a null key is refused, the first document is the body, and merge keys (`<<`) are honoured. goyaml.v2
refuses a document whose decoding is mostly alias expansion (`document contains excessive aliasing`)
and an alias inside its own anchor (`anchor 'a' value contains itself`).

This module composes the document from libyaml's events (no alias is ever expanded), applies those
budgets before any value is built, and builds values that share aliased subtrees. On top of goyaml's
rules it refuses nesting deeper than `decoding.MAX_DEPTH` and, for documents that use aliases, an
expansion larger than the request-size limit (a small body must not become gigabytes of JSON).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import events as ev

from mockapi.api.decoding import MAX_DECODED_BYTES, MAX_DEPTH, DecodeError
from mockapi.api.goformat import go_sharp_v
from mockapi.api.yamlscalars import INT64_RANGE, MERGE_TAG, STR_TAG, float32_key, resolve_scalar

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# goyaml.v2 decode.go: the share of decode steps that may come from alias expansion shrinks from 99%
# to 10% as a document grows from 400,000 to 4,000,000 steps
_RATIO_LOW, _RATIO_HIGH = 400_000, 4_000_000


def _allowed_alias_ratio(decodes: int) -> float:
    if decodes <= _RATIO_LOW:
        return 0.99
    if decodes >= _RATIO_HIGH:
        return 0.10
    return 0.99 - 0.89 * (decodes - _RATIO_LOW) / (_RATIO_HIGH - _RATIO_LOW)


class _Node:
    __slots__ = ("anchor",)

    def __init__(self, anchor: str | None) -> None:
        self.anchor = anchor


class _Scalar(_Node):
    __slots__ = ("plain", "tag", "text")

    def __init__(self, anchor: str | None, tag: str, text: str, plain: bool) -> None:
        super().__init__(anchor)
        self.tag, self.text, self.plain = tag, text, plain


class _Sequence(_Node):
    __slots__ = ("items",)

    def __init__(self, anchor: str | None) -> None:
        super().__init__(anchor)
        self.items: list[_Node] = []


class _Mapping(_Node):
    __slots__ = ("items",)

    def __init__(self, anchor: str | None) -> None:
        super().__init__(anchor)
        self.items: list[_Node] = []  # key, value, key, value...


class _Alias(_Node):
    __slots__ = ("target",)

    def __init__(self, name: str, target: _Node) -> None:
        super().__init__(name)
        self.target = target


def yaml_to_json_value(raw: bytes | str) -> Any:
    """The JSON value of a YAML body (None for an empty one); DecodeError with kube-apiserver's text."""
    root = _compose(raw)
    if root is None:
        return None
    budget = _Budget()
    budget.walk(root)
    return _Builder().value(root)


def _yaml_error(exc: yaml.YAMLError) -> DecodeError:
    return DecodeError(f"error converting YAML to JSON: yaml: {_describe(exc)}")


def _describe(exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        return f"line {mark.line + 1}: {problem}" if mark is not None else problem
    return str(exc)


def _compose(raw: bytes | str) -> _Node | None:
    """The first document's node graph, aliases as references (never copies)."""
    loader = _Loader(raw)
    anchors: dict[str, _Node] = {}
    stack: list[_Node] = []
    root: _Node | None = None
    try:
        while True:
            event = loader.get_event()  # type: ignore[no-untyped-call]
            if isinstance(event, ev.StreamEndEvent | ev.DocumentEndEvent) or event is None:
                return root
            node: _Node
            if isinstance(event, ev.AliasEvent):
                target = anchors.get(event.anchor or "")
                if target is None:
                    message = f"unknown anchor '{event.anchor}' referenced"
                    raise DecodeError(f"error converting YAML to JSON: yaml: {message}")
                node = _Alias(event.anchor or "", target)
            elif isinstance(event, ev.ScalarEvent):
                plain = bool(event.implicit[0]) and event.tag in (None, "!")
                tag = "" if event.tag in (None, "!") else str(event.tag)
                if not plain and not tag:
                    tag = STR_TAG  # a quoted scalar is a string
                node = _Scalar(event.anchor, tag, event.value, plain)
            elif isinstance(event, ev.SequenceStartEvent | ev.MappingStartEvent):
                if len(stack) >= MAX_DEPTH:
                    raise DecodeError(f"error converting YAML to JSON: yaml: exceeded max depth of {MAX_DEPTH}")
                node = _Sequence(event.anchor) if isinstance(event, ev.SequenceStartEvent) else _Mapping(event.anchor)
            elif isinstance(event, ev.SequenceEndEvent | ev.MappingEndEvent):
                done = stack.pop()
                if not stack:
                    root = done
                continue
            else:  # stream/document start
                continue
            if node.anchor is not None and not isinstance(node, _Alias):
                anchors[node.anchor] = node
            if stack:
                parent = stack[-1]
                assert isinstance(parent, _Sequence | _Mapping)
                parent.items.append(node)
            if isinstance(node, _Sequence | _Mapping):
                stack.append(node)
            elif not stack:
                root = node
    except yaml.YAMLError as exc:
        raise _yaml_error(exc) from None
    finally:
        loader.dispose()


@dataclass
class _Budget:
    """goyaml.v2's decode and alias counts, checked as it checks them, without expanding any alias; and the
    nesting of the expanded document (aliases can nest anchors deeper than the text shows).

    Within one alias expansion every step is an alias step, so the ratio only rises while the allowed
    ratio only falls: checking at the end of each expansion decides exactly as checking at every step.
    """

    decodes: int = 0
    aliases: int = 0
    expanded_bytes: int = 0
    uses_aliases: bool = False
    _sizes: dict[int, tuple[int, int, int]] = field(default_factory=dict)  # id -> (decode steps, bytes, height)
    _open: set[int] = field(default_factory=set)

    def walk(self, node: _Node) -> None:
        self.decodes += 1  # the document node
        self._plain(node, 0)
        if self.uses_aliases and self.expanded_bytes > MAX_DECODED_BYTES:
            raise DecodeError(
                f"error converting YAML to JSON: the decoded document is larger than {MAX_DECODED_BYTES} bytes"
            )

    def _check(self) -> None:
        if (
            self.aliases > 100
            and self.decodes > 1000
            and self.aliases / self.decodes > _allowed_alias_ratio(self.decodes)
        ):
            raise DecodeError("error converting YAML to JSON: yaml: document contains excessive aliasing")

    def _plain(self, node: _Node, depth: int) -> None:
        """Decode steps of a node outside any alias expansion; `depth`: the containers around it."""
        if isinstance(node, _Alias):
            self.uses_aliases = True
            self.decodes += 1
            self._check()
            steps, size, _ = self._size(node.target, node.anchor or "", depth)
            self.decodes += steps
            self.aliases += steps
            self.expanded_bytes += size
            self._check()
            return
        self.decodes += 1
        self._check()
        if isinstance(node, _Scalar):
            self.expanded_bytes += len(node.text) + 2
            return
        assert isinstance(node, _Sequence | _Mapping)
        self._open.add(id(node))
        self.expanded_bytes += 2
        for index, child in enumerate(node.items):
            if isinstance(node, _Mapping) and index % 2 == 0 and _is_merge(child):
                continue
            self._plain(child, depth + 1)
            self.expanded_bytes += 1
        self._open.discard(id(node))

    def _size(self, node: _Node, name: str, depth: int) -> tuple[int, int, int]:
        """(decode steps, JSON bytes, nesting height) of one expansion of `node` placed under `depth`
        containers; refuses an anchor that contains itself, and an expansion nesting past MAX_DEPTH (before
        recursing past it)."""
        if id(node) in self._open:
            raise DecodeError(f"error converting YAML to JSON: yaml: anchor '{name}' value contains itself")
        known = self._sizes.get(id(node))
        if known is None:
            known = self._measure(node, depth)
            self._sizes[id(node)] = known
        if depth + known[2] > MAX_DEPTH:
            raise DecodeError(f"error converting YAML to JSON: yaml: exceeded max depth of {MAX_DEPTH}")
        return known

    def _measure(self, node: _Node, depth: int) -> tuple[int, int, int]:
        if isinstance(node, _Alias):
            steps, size, height = self._size(node.target, node.anchor or "", depth)
            return steps + 1, size, height
        if isinstance(node, _Scalar):
            return 1, len(node.text) + 2, 0
        assert isinstance(node, _Sequence | _Mapping)
        if depth >= MAX_DEPTH:
            raise DecodeError(f"error converting YAML to JSON: yaml: exceeded max depth of {MAX_DEPTH}")
        self._open.add(id(node))
        steps, size, height = 1, 2, 0
        for index, child in enumerate(node.items):
            if isinstance(node, _Mapping) and index % 2 == 0 and _is_merge(child):
                continue
            child_steps, child_size, child_height = self._size(child, child.anchor or "", depth + 1)
            steps, size, height = steps + child_steps, size + child_size + 1, max(height, child_height)
        self._open.discard(id(node))
        return steps, size, height + 1


def _is_merge(node: _Node) -> bool:
    return isinstance(node, _Scalar) and node.text == "<<" and (node.plain or node.tag == MERGE_TAG)


class _Builder:
    """Values from the node graph; an anchored subtree is built once and shared by its aliases."""

    def __init__(self) -> None:
        self._built: dict[int, Any] = {}

    def value(self, node: _Node) -> Any:
        if isinstance(node, _Alias):
            return self.value(node.target)
        known = self._built.get(id(node), _MISSING)
        if known is not _MISSING:
            return known
        if isinstance(node, _Scalar):
            result = resolve_scalar(node.tag, node.text)
            if isinstance(result, float) and not math.isfinite(result):
                text = "NaN" if math.isnan(result) else ("+Inf" if result > 0 else "-Inf")
                raise DecodeError(f"error converting YAML to JSON: json: unsupported value: {text}")
        elif isinstance(node, _Sequence):
            result = [self.value(item) for item in node.items]
        else:
            assert isinstance(node, _Mapping)
            result = self._mapping(node)
        if node.anchor is not None:
            self._built[id(node)] = result
        return result

    def _mapping(self, node: _Mapping) -> dict[str, Any]:
        out: dict[str, Any] = {}
        items = node.items
        for i in range(0, len(items), 2):
            key_node, value_node = items[i], items[i + 1]
            if _is_merge(key_node):
                self._merge(value_node, out)
                continue
            key = self._key(key_node, value_node)
            out[key] = self.value(value_node)
        return out

    def _merge(self, node: _Node, out: dict[str, Any]) -> None:
        """goyaml.v2 merges into the map being built: a later merge overwrites earlier keys, and in a
        sequence of maps the earlier ones take precedence."""
        target = node.target if isinstance(node, _Alias) else node
        if isinstance(target, _Mapping):
            out.update(self.value(node))
            return
        if isinstance(node, _Sequence):
            for item in reversed(node.items):
                if not isinstance(item.target if isinstance(item, _Alias) else item, _Mapping):
                    break
                out.update(self.value(item))
            else:
                return
        raise DecodeError(
            "error converting YAML to JSON: yaml: map merge requires map or sequence of maps as the value"
        )

    def _key(self, key_node: _Node, value_node: _Node) -> str:
        target = key_node.target if isinstance(key_node, _Alias) else key_node
        if not isinstance(target, _Scalar):
            raise DecodeError(f"error converting YAML to JSON: yaml: invalid map key: {self._go_value(target)}")
        key = resolve_scalar(target.tag, target.text)
        if isinstance(key, str):
            return key
        if isinstance(key, bool):
            return "true" if key else "false"
        if isinstance(key, int) and INT64_RANGE[0] <= key <= INT64_RANGE[1]:
            return str(key)
        if isinstance(key, float):
            return float32_key(key)
        type_ = "%!s(<nil>)" if key is None else "uint64"
        shown = "<nil>" if key is None else hex(key)
        raise DecodeError(
            "error converting YAML to JSON: unsupported map key of type: "
            f"{type_}, key: {shown}, value: {self._go_value(value_node)}"
        )

    def _go_value(self, node: _Node) -> str:
        """`%#v` of what goyaml.v2 decodes a node to, for error messages (scalars and shapes)."""
        target = node.target if isinstance(node, _Alias) else node
        if isinstance(target, _Mapping):
            return "map[interface {}]interface {}{...}"
        if isinstance(target, _Sequence):
            return "[]interface {}{...}"
        assert isinstance(target, _Scalar)
        return go_sharp_v(resolve_scalar(target.tag, target.text))


_MISSING = object()
