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

import base64
import binascii
import math
import re
import struct
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import events as ev

from mockapi.api.decoding import MAX_DECODED_BYTES, MAX_DEPTH, DecodeError
from mockapi.api.golang import go_quote

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TAG = "tag:yaml.org,2002:"
_STR, _BOOL, _INT, _FLOAT, _TIMESTAMP, _BINARY, _MERGE = (
    _TAG + t for t in ("str", "bool", "int", "float", "timestamp", "binary", "merge")
)
_RESOLVABLE = {"", _STR, _BOOL, _INT, _FLOAT, _TIMESTAMP}

_RESOLVE_MAP: dict[str, tuple[str, Any]] = {}
for _value, _tag, _words in (
    (True, _BOOL, "y Y yes Yes YES true True TRUE on On ON"),
    (False, _BOOL, "n N no No NO false False FALSE off Off OFF"),
    (None, "null", "~ null Null NULL"),
    (math.nan, _FLOAT, ".nan .NaN .NAN"),
    (math.inf, _FLOAT, ".inf .Inf .INF +.inf +.Inf +.INF"),
    (-math.inf, _FLOAT, "-.inf -.Inf -.INF"),
):
    for _word in _words.split():
        _RESOLVE_MAP[_word] = (_tag, _value)
_RESOLVE_MAP[""] = ("null", None)
_MAP_HINTS = set("yYnNtTfFoO~")
_FLOAT_RE = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_GO_INT_RE = re.compile(r"[+-]?(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[1-9][0-9]*|0)")
_INT64 = (-(2**63), 2**63 - 1)

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
                    tag = _STR  # a quoted scalar is a string
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
    """goyaml.v2's decode and alias counts, checked as it checks them, without expanding any alias.

    Within one alias expansion every step is an alias step, so the ratio only rises while the allowed
    ratio only falls: checking at the end of each expansion decides exactly as checking at every step.
    """

    decodes: int = 0
    aliases: int = 0
    expanded_bytes: int = 0
    uses_aliases: bool = False
    _sizes: dict[int, tuple[int, int]] = field(default_factory=dict)  # node id -> (decode steps, JSON bytes)
    _open: set[int] = field(default_factory=set)

    def walk(self, node: _Node) -> None:
        self.decodes += 1  # the document node
        self._plain(node)
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

    def _plain(self, node: _Node) -> None:
        """Decode steps of a node outside any alias expansion."""
        if isinstance(node, _Alias):
            self.uses_aliases = True
            self.decodes += 1
            self._check()
            steps, size = self._size(node.target, node.anchor or "")
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
            self._plain(child)
            self.expanded_bytes += 1
        self._open.discard(id(node))

    def _size(self, node: _Node, name: str) -> tuple[int, int]:
        """(decode steps, JSON bytes) of one expansion of `node`; refuses an anchor that contains itself."""
        if id(node) in self._open:
            raise DecodeError(f"error converting YAML to JSON: yaml: anchor '{name}' value contains itself")
        known = self._sizes.get(id(node))
        if known is not None:
            return known
        if isinstance(node, _Alias):
            inner = self._size(node.target, node.anchor or "")
            result = (inner[0] + 1, inner[1])
        elif isinstance(node, _Scalar):
            result = (1, len(node.text) + 2)
        else:
            assert isinstance(node, _Sequence | _Mapping)
            self._open.add(id(node))
            steps, size = 1, 2
            for index, child in enumerate(node.items):
                if isinstance(node, _Mapping) and index % 2 == 0 and _is_merge(child):
                    continue
                child_steps, child_size = self._size(child, child.anchor or "")
                steps, size = steps + child_steps, size + child_size + 1
            self._open.discard(id(node))
            result = (steps, size)
        self._sizes[id(node)] = result
        return result


def _is_merge(node: _Node) -> bool:
    return isinstance(node, _Scalar) and node.text == "<<" and (node.plain or node.tag == _MERGE)


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
            result = _scalar(node)
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
        key = _scalar(target)
        if isinstance(key, str):
            return key
        if isinstance(key, bool):
            return "true" if key else "false"
        if isinstance(key, int) and _INT64[0] <= key <= _INT64[1]:
            return str(key)
        if isinstance(key, float):
            return _float32_g(key)
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
        value = _scalar(target)
        if value is None:
            return "<nil>"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str):
            return go_quote(value)
        return str(value)


_MISSING = object()


def _scalar(node: _Scalar) -> Any:
    """goyaml.v2's resolve() of a scalar decoded into interface{} (timestamps stay strings)."""
    tag, text = node.tag, node.text
    if tag == _BINARY:
        try:
            return base64.b64decode(text.encode(), validate=False).decode("utf-8", errors="replace")
        except (binascii.Error, ValueError):
            raise DecodeError(
                "error converting YAML to JSON: yaml: !!binary value contains invalid base64 data"
            ) from None
    if tag not in _RESOLVABLE:
        return text  # an unknown tag: the text, as goyaml.v2 leaves it
    resolved_tag, value = _resolve(text) if tag != _STR else (_STR, text)
    if tag in ("", _STR, resolved_tag):
        return value
    if tag == _FLOAT and resolved_tag == _INT:
        return float(value)
    if tag == _TIMESTAMP and resolved_tag == _STR:
        return value
    short = {"null": "!!null"}.get(resolved_tag, "!!" + resolved_tag.removeprefix(_TAG))
    raise DecodeError(
        f"error converting YAML to JSON: yaml: cannot decode {short} `{text}` as a !!{tag.removeprefix(_TAG)}"
    )


def _resolve(text: str) -> tuple[str, Any]:
    hint = text[:1]
    if text in _RESOLVE_MAP and (not hint or hint in _MAP_HINTS or hint in "+-."):
        return _RESOLVE_MAP[text]
    if hint == ".":
        number = _go_float(text)
        return (_FLOAT, number) if number is not None else (_STR, text)
    if hint and (hint.isdigit() or hint in "+-"):
        plain = text.replace("_", "")
        integer = _go_int(plain)
        if integer is not None and (_INT64[0] <= integer <= _INT64[1] or (0 <= integer < 2**64 and plain[0] != "+")):
            return _INT, integer
        if _FLOAT_RE.fullmatch(plain):
            number = _go_float(plain)
            if number is not None:
                return _FLOAT, number
    return _STR, text


def _go_int(text: str) -> int | None:
    """strconv.ParseInt(s, 0, 64)'s syntax: sign, then 0x/0b/0o prefixes or a leading 0 for octal."""
    if not _GO_INT_RE.fullmatch(text):
        return None
    sign = -1 if text[0] == "-" else 1
    body = text.lstrip("+-").lower()
    if body.startswith("0x"):
        return sign * int(body[2:], 16)
    if body.startswith("0b"):
        return sign * int(body[2:], 2)
    if body.startswith("0o"):
        return sign * int(body[2:], 8)
    if len(body) > 1 and body[0] == "0":
        return sign * int(body[1:], 8)
    return sign * int(body)


def _go_float(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None  # ParseFloat reports a range error


def _float32_g(value: float) -> str:
    """strconv.FormatFloat(f, 'g', -1, 32) with goyaml's names for infinities and NaN."""
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    f32 = struct.unpack("f", struct.pack("f", value))[0]
    if f32 == 0:
        return "0"
    for precision in range(1, 10):
        text = f"{f32:.{precision - 1}e}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == f32:
            break
    mantissa, _, exp_text = text.partition("e")
    sign = "-" if mantissa.startswith("-") else ""
    digits = mantissa.lstrip("-").replace(".", "").rstrip("0") or "0"
    exp = int(exp_text)
    if exp < -4 or exp >= 6:  # shortest formatting decides with precision 6
        mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mant}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    dp = exp + 1
    if dp <= 0:
        return f"{sign}0.{'0' * -dp}{digits}"
    if dp >= len(digits):
        return f"{sign}{digits}{'0' * (dp - len(digits))}"
    return f"{sign}{digits[:dp]}.{digits[dp:]}"
