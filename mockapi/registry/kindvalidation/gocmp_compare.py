"""The comparison half of go-cmp (cmp/compare.go, report_value.go): Go values built from JSON by the
schema in `gocmp_types`, and the valueNode tree of a comparison with its same/diff/depth statistics."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mockapi.registry.defaulting.quantity import compare as quantity_compare
from mockapi.registry.defaulting.quantity import parse as parse_quantity
from mockapi.registry.kindvalidation.gocmp_types import (
    BOOL,
    INT,
    MAP,
    PTR,
    QUANTITY,
    RAW,
    RAW_T,
    SLICE,
    STRING,
    STRINGER,
    Field,
    GoType,
    go_name,
)


class _Invalid:
    """The missing side of an inserted or removed element (an invalid reflect.Value)."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()


@dataclass
class Node:
    """go-cmp's valueNode: one compared value and the statistics of its subtree."""

    type: GoType
    x: Any
    y: Any
    same: int = 0
    diff: int = 0
    compared: int = 0
    children: int = 0
    depth: int = 0
    records: list[tuple[Any, Node]] = field(default_factory=list)
    value: Node | None = None

    def add(self, child: Node) -> Node:
        self.same += child.same
        self.diff += child.diff
        self.compared += child.compared
        self.children += child.children + 1
        self.depth = max(self.depth, child.depth + 1)
        return child


@dataclass(frozen=True)
class Struct:
    """A struct value: its fields in order (declared ones, then JSON members the schema lacks)."""

    fields: tuple[tuple[Field, Any], ...]


INT_OR_STRING_FIELDS = (
    Field("Type", "type", GoType(INT, "intstr.Type")),
    Field("IntVal", "intVal", GoType(INT, "int32")),
    Field("StrVal", "strVal", GoType(STRING, "string")),
)


def _known_members(t: GoType) -> set[str]:
    known: set[str] = set()
    for f in t.fields:
        known |= _known_members(f.type) if f.json == "" else {f.json}
    return known


def build(t: GoType, raw: Any, *, embedded: bool = False) -> Any:
    """The Go value of type `t` that the JSON `raw` decodes to (Go zero values for absent members)."""
    if t.kind in (STRING, STRINGER):
        return raw if isinstance(raw, str) else ""
    if t.kind == INT:
        return raw if isinstance(raw, int) and not isinstance(raw, bool) else 0
    if t.kind == BOOL:
        return raw is True
    if t.kind == QUANTITY:
        return raw
    if t.kind == RAW:
        return raw
    if t.kind == PTR:
        assert t.elem is not None
        return None if raw is None else build(t.elem, raw)
    if t.kind == SLICE:
        assert t.elem is not None
        elem = t.elem
        return [build(elem, v) for v in raw] if isinstance(raw, list) and raw else None
    if t.kind == MAP:
        assert t.elem is not None
        elem = t.elem
        return {k: build(elem, v) for k, v in raw.items()} if isinstance(raw, dict) and raw else None
    if t.name == "intstr.IntOrString":
        is_str = isinstance(raw, str)
        values = (1 if is_str else 0, 0 if is_str else build(INT_OR_STRING_FIELDS[1].type, raw), raw if is_str else "")
        return Struct(tuple(zip(INT_OR_STRING_FIELDS, values, strict=True)))
    source = raw if isinstance(raw, dict) else {}
    fields = [
        (f, build(f.type, source, embedded=True) if f.json == "" else build(f.type, source.get(f.json)))
        for f in t.fields
    ]
    if not embedded:  # the embedding struct keeps the members neither type declares
        known = _known_members(t)
        fields += [(Field(go_name(k), k, RAW_T), v) for k, v in source.items() if k not in known and v is not None]
    return Struct(tuple(fields))


def is_zero(t: GoType, v: Any) -> bool:
    """value.IsZero."""
    if v is INVALID:
        return False
    if t.kind in (PTR, SLICE, MAP):
        return v is None
    if isinstance(v, Struct):
        return all(is_zero(f.type, fv) for f, fv in v.fields)
    return v is None or v == "" or v is False or (v == 0 and not isinstance(v, bool)) or v in ([], {})


def _leaf(node: Node, equal: bool) -> Node:
    node.same, node.diff = (1, 0) if equal else (0, 1)
    return node


def _quantities_equal(x: Any, y: Any) -> bool:
    qx, qy = parse_quantity(x if x is not None else 0), parse_quantity(y if y is not None else 0)
    if qx is None or qy is None:
        return bool(x == y)
    return quantity_compare(qx, qy) == 0


def equal(t: GoType, x: Any, y: Any) -> bool:
    """Whether compare() would find no difference, without building its tree (slices index by index)."""
    if x is INVALID or y is INVALID:
        return x is y
    if t.kind == QUANTITY:
        return _quantities_equal(x, y)
    if t.kind in (STRING, STRINGER, INT, BOOL, RAW):
        return bool(x == y)
    if x is None or y is None:
        return x is None and y is None
    if t.kind == PTR:
        assert t.elem is not None
        return equal(t.elem, x, y)
    if t.kind == SLICE:
        assert t.elem is not None
        elem = t.elem
        return len(x) == len(y) and all(equal(elem, a, b) for a, b in zip(x, y, strict=True))
    if t.kind == MAP:
        assert t.elem is not None
        elem = t.elem
        return x.keys() == y.keys() and all(equal(elem, x[k], y[k]) for k in x)
    xs, ys = {f.json: (f, v) for f, v in x.fields}, {f.json: (f, v) for f, v in y.fields}
    for key in xs.keys() | ys.keys():
        f = (xs.get(key) or ys[key])[0]
        if not equal(f.type, xs[key][1] if key in xs else None, ys[key][1] if key in ys else None):
            return False
    return True


def compare(t: GoType, x: Any, y: Any) -> Node:
    """go-cmp's compareAny for the kinds a pod spec has."""
    node = Node(t, x, y)
    if x is INVALID or y is INVALID:
        return _leaf(node, x is y)
    if t.kind == QUANTITY:
        node.compared = 1
        return _leaf(node, _quantities_equal(x, y))
    if t.kind in (STRING, STRINGER, INT, BOOL, RAW):
        return _leaf(node, x == y)
    if t.kind in (PTR, SLICE, MAP) and (x is None or y is None):
        return _leaf(node, x is None and y is None)
    if t.kind == PTR:
        assert t.elem is not None
        node.value = node.add(compare(t.elem, x, y))
    elif t.kind == SLICE:
        assert t.elem is not None
        for i, j in edit_script(t.elem, x, y):
            node.records.append(
                (
                    None,
                    node.add(compare(t.elem, x[i] if i is not None else INVALID, y[j] if j is not None else INVALID)),
                )
            )
    elif t.kind == MAP:
        assert t.elem is not None
        for k in sorted(set(x) | set(y)):
            node.records.append((k, node.add(compare(t.elem, x.get(k, INVALID), y.get(k, INVALID)))))
    else:
        xs, ys = {f.json: (f, v) for f, v in x.fields}, {f.json: (f, v) for f, v in y.fields}
        for key in [*xs, *(k for k in ys if k not in xs)]:
            f = (xs.get(key) or ys[key])[0]
            xv = xs[key][1] if key in xs else None
            yv = ys[key][1] if key in ys else None
            node.records.append((f.go, node.add(compare(f.type, xv, yv))))
    return node


def edit_script(elem: GoType, xs: list[Any], ys: list[Any]) -> list[tuple[int | None, int | None]]:
    """The element alignment of two slices: equal elements matched by a longest common subsequence, the
    elements in between paired as modified when similar (go-cmp's Result.Similar), else removed and
    then inserted."""
    n, m = len(xs), len(ys)
    if n == m and all(equal(elem, a, b) for a, b in zip(xs, ys, strict=True)):
        return [(i, i) for i in range(n)]
    same = [[equal(elem, xs[i], ys[j]) for j in range(m)] for i in range(n)]
    lcs = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            lcs[i][j] = lcs[i + 1][j + 1] + 1 if same[i][j] else max(lcs[i + 1][j], lcs[i][j + 1])
    script: list[tuple[int | None, int | None]] = []
    gap_x: list[int] = []
    gap_y: list[int] = []

    def flush() -> None:
        pairs = min(len(gap_x), len(gap_y))
        removed, inserted = gap_x[pairs:], gap_y[pairs:]
        for i, j in zip(gap_x[:pairs], gap_y[:pairs], strict=True):
            result = compare(elem, xs[i], ys[j])
            if result.same + 1 >= result.diff:
                script.append((i, j))
            else:
                removed.append(i)
                inserted.append(j)
        script.extend((i, None) for i in sorted(removed))
        script.extend((None, j) for j in sorted(inserted))
        gap_x.clear()
        gap_y.clear()

    i = j = 0
    while i < n or j < m:
        if i < n and j < m and same[i][j] and lcs[i][j] == lcs[i + 1][j + 1] + 1:
            flush()
            script.append((i, j))
            i, j = i + 1, j + 1
        elif j < m and (i == n or lcs[i][j + 1] >= lcs[i + 1][j]):
            gap_y.append(j)
            j += 1
        else:
            gap_x.append(i)
            i += 1
    flush()
    return script
