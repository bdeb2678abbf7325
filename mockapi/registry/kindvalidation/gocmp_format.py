"""The formatting half of go-cmp's report (cmp/report_compare.go, report_reflect.go, report_slices.go):
a valueNode tree becomes text, with go-cmp's diff modes, type elision and verbosity limits.

Not modelled: go-cmp's chunked diff of long single-line strings (`strings.Join({...}, "")`) and of
long slices of numbers; those print as a removed and an inserted value.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from mockapi.registry.kindvalidation.gocmp_compare import INVALID, Node, Struct, is_zero
from mockapi.registry.kindvalidation.gocmp_lines import go_string, lined_text_diff
from mockapi.registry.kindvalidation.gocmp_text import (
    ELLIPSIS,
    IDENTICAL,
    INSERTED,
    NIL,
    REMOVED,
    Line,
    Lst,
    Record,
    Stats,
    Text,
    Wrap,
    append_ellipsis,
)
from mockapi.registry.kindvalidation.gocmp_types import (
    BOOL,
    INT,
    MAP,
    PTR,
    QUANTITY,
    RAW,
    SLICE,
    STRING,
    STRINGER,
    STRUCT,
    GoType,
    go_name,
    quantity_parts,
    quantity_struct_type,
)

EMIT, ELIDE, AUTO = "emit", "elide", "auto"
CONTEXT_RECORDS = 2
MAX_VERBOSITY_PRESET = 6


@dataclass(frozen=True)
class Opts:
    mode: str = ""  # "" (diffing), IDENTICAL, REMOVED or INSERTED
    types: str = EMIT
    level: int = 0
    limit: bool = False
    avoid_stringer: bool = False

    def verbosity(self) -> int:
        return min(max(self.level, 0), 16)

    def with_verbosity(self, level: int) -> Opts:
        return replace(self, level=level, limit=True)


def _preset(opts: Opts, i: int) -> Opts:
    """verbosityPreset: more verbose, and no String methods, when both sides print the same."""
    return replace(opts, level=opts.verbosity() + 2 * i, avoid_stringer=opts.avoid_stringer or i > 0)


def format_string(prefix: str, s: str, opts: Opts) -> Text:
    """formatOptions.formatString: triple-quoted lines for long removed/inserted text, else one quoted line."""
    data = s.encode()
    max_len, max_lines = len(data), s.count("\n") + 1
    if opts.limit:
        max_len, max_lines = (1 << opts.verbosity()) << 5, (1 << opts.verbosity()) << 2
    lines = s.removesuffix("\n").split("\n")
    triple = len(lines) >= 4 and opts.mode in (REMOVED, INSERTED)
    for i, line in enumerate(lines):
        if not triple:
            break
        line = lines[i] = line.removesuffix("\r").removeprefix("\r")
        triple = (
            not line.removeprefix(prefix).startswith('"""')
            and not line.startswith("...")
            and all(c.isprintable() or c == "\t" for c in line)
            and len(line.encode()) <= max_len
        )
    if triple:
        records = [Record(Line(prefix + '"""'), diff=opts.mode, elide_comma=True)]
        for i, line in enumerate(lines):
            elided = len(lines) - i
            if i == max_lines - 1 and elided > 1:
                records.append(Record(ELLIPSIS, diff=opts.mode, elide_comma=True, comment=f"{elided} elided lines"))
                break
            records.append(Record(Line(line), diff=opts.mode, elide_comma=True))
        records.append(Record(Line(prefix + '"""'), diff=opts.mode, elide_comma=True))
        return Wrap("(", Lst(tuple(records)), ")")
    if len(data) > max_len + 3:
        return Line(prefix + go_string(data[:max_len].decode(errors="ignore")) + "...")
    return Line(prefix + go_string(s))


def _quantity_struct(raw: Any) -> tuple[GoType, Struct]:
    q_type = quantity_struct_type()
    value, scale, cached, fmt = quantity_parts(raw)
    amount_t, fields = q_type.fields[0].type, q_type.fields
    amount = Struct(((amount_t.fields[0], value), (amount_t.fields[1], scale)))
    return q_type, Struct(((fields[0], amount), (fields[1], Struct(())), (fields[2], cached), (fields[3], fmt)))


def format_type(t: GoType, s: Text, opts: Opts) -> Text:
    """FormatType: prefix the type name where the type mode asks for it."""
    composite = t.kind in (STRUCT, SLICE, MAP, QUANTITY)
    if opts.types == AUTO and (not composite or s.equal(NIL) or opts.mode == IDENTICAL):
        return s
    if opts.types == ELIDE:
        return s
    name = t.name if t.kind != PTR else f"({t.name})"
    if isinstance(s, Wrap) and (
        (s.prefix.startswith("(") and s.suffix.endswith(")")) or (s.prefix.startswith("{") and s.suffix.endswith("}"))
    ):
        return Wrap(name, s)
    return Wrap(name + "(", s, ")")


def _list_len(opts: Opts) -> int:
    return ((1 << opts.verbosity()) >> 1) << 2  # 0, 4, 8, 16, ...


def format_value(t: GoType, v: Any, opts: Opts) -> Text | None:
    """FormatValue: a value printed on its own, within the verbosity limits."""
    if v is INVALID:
        return None
    if t.kind == STRINGER and not opts.avoid_stringer:
        return format_string("s", v, opts)
    if t.kind == QUANTITY:
        q_type, q_value = _quantity_struct(v)
        return format_value(q_type, q_value, opts)
    out: Text
    if t.kind == BOOL:
        out = Line("true" if v else "false")
    elif t.kind == INT:
        out = Line(str(v))
    elif t.kind == RAW:
        out = Line(_raw(v))
    elif t.kind == STRUCT:
        records: list[Record] = []
        limit = _list_len(opts) if opts.limit else -1
        inner = replace(opts, level=opts.level - 1, types=AUTO) if opts.limit else replace(opts, types=AUTO)
        for f, fv in v.fields:
            if is_zero(f.type, fv):
                continue
            if len(records) == limit:
                append_ellipsis(records)
                break
            text = format_value(f.type, fv, inner)
            if text is not None:
                records.append(Record(text, key=f.go))
        out = Wrap("{", Lst(tuple(records)), "}")
    elif t.kind in (SLICE, MAP):
        if v is None:
            out = NIL
        else:
            assert t.elem is not None
            records = []
            limit = _list_len(opts) if opts.limit else -1
            inner = replace(opts, level=opts.level - 1, types=ELIDE) if opts.limit else replace(opts, types=ELIDE)
            keys = sorted(v) if t.kind == MAP else list(range(len(v)))
            for k in keys:
                if len(records) == limit:
                    append_ellipsis(records)
                    break
                text = format_value(t.elem, v[k], inner)
                if text is not None:
                    records.append(Record(text, key=map_key(t, str(k)) if t.kind == MAP else ""))
            out = Wrap("{", Lst(tuple(records)), "}")
    elif t.kind == PTR:
        if v is None:
            return NIL
        assert t.elem is not None
        inner_text = format_value(t.elem, v, opts)
        return Wrap("&", inner_text if inner_text is not None else NIL)
    else:
        out = format_string("", v, opts)
    return format_type(t, out, opts)


def map_key(t: GoType, key: str) -> str:
    """formatMapKey."""
    assert t.key is not None
    opts = Opts(mode=IDENTICAL, types=ELIDE, level=MAX_VERBOSITY_PRESET, limit=True)
    text = format_value(t.key, key, opts)
    return text.render().strip() if text is not None else ""


def _raw(v: Any) -> str:
    """A JSON value the schema does not describe, printed Go-style."""
    if isinstance(v, dict):
        return "{" + ", ".join(f"{go_name(k)}: {_raw(x)}" for k, x in v.items() if x is not None) + "}"
    if isinstance(v, list):
        return "{" + ", ".join(_raw(x) for x in v) + "}"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return go_string(v)
    return "nil" if v is None else str(v)


def format_diff(node: Node, opts: Opts) -> Text | None:
    """FormatDiff."""
    if opts.mode == IDENTICAL:
        opts = opts.with_verbosity(1)
    elif opts.verbosity() < 3:
        opts = opts.with_verbosity(3)
    if opts.mode == "" and node.diff and node.type.kind == STRING:
        lined = lined_text_diff(node.x, node.y)
        if lined is not None:
            return lined
    if node.depth == 0:
        if opts.mode in ("", IDENTICAL):
            if node.diff == 0:
                outx, outy = format_value(node.type, node.x, opts), format_value(node.type, node.y, opts)
                assert outx is not None and outy is not None
                return outx if outx.length() < outy.length() else outy
            elided = replace(opts, types=ELIDE)
            pair = [
                Record(text, diff=mark)
                for mark, text in (
                    (REMOVED, format_value(node.type, node.x, elided)),
                    (INSERTED, format_value(node.type, node.y, elided)),
                )
                if text is not None
            ]
            return format_type(node.type, Lst(tuple(pair)), replace(opts, types=EMIT))
        return format_value(node.type, node.x if opts.mode == REMOVED else node.y, opts)
    if node.type.kind == PTR:
        assert node.value is not None
        inner = format_diff(node.value, opts)
        return Wrap("&", inner if inner is not None else NIL)
    return format_type(node.type, format_diff_list(node, opts), opts)


def _record_key(node: Node, key: Any) -> str:
    if node.type.kind == STRUCT:
        return str(key)
    if node.type.kind == MAP:
        return map_key(node.type, key)
    return ""


def format_diff_list(node: Node, opts: Opts) -> Text:
    """formatDiffList: records of a struct, slice or map, unified or as a diff."""
    kind = node.type.kind
    name = {STRUCT: "field", SLICE: "element", MAP: "entry"}[kind]
    opts = replace(opts, types=AUTO if kind == STRUCT else ELIDE)
    limit = -1
    if opts.limit:
        limit = _list_len(opts) if opts.mode == IDENTICAL else (1 << opts.verbosity()) << 1
        opts = replace(opts, level=opts.level - 1)
    records: list[Record] = []
    if opts.mode in (IDENTICAL, REMOVED, INSERTED):
        deferred = False
        for key, child in node.records:
            if len(records) == limit:
                deferred = True
                break
            if kind == STRUCT:
                side = {IDENTICAL: (child.x, child.y), REMOVED: (child.x,), INSERTED: (child.y,)}[opts.mode]
                if any(is_zero(child.type, v) for v in side):
                    continue
            text = format_diff(child, opts)
            if text is not None:
                records.append(Record(text, key=_record_key(node, key)))
        if deferred:
            append_ellipsis(records)
        return Wrap("{", Lst(tuple(records)), "}")
    recs = list(node.records)
    groups = _coalesce(name, [child for _, child in recs])
    diffs = 0
    overflow = Stats(name)
    for gi, group in enumerate(groups):
        if 0 <= limit <= diffs:
            overflow = overflow.append(group)
            continue
        if group.num_diff() == 0:
            equal = group.ignored + group.identical
            lo = min(CONTEXT_RECORDS, equal) if gi != 0 else 0
            hi = min(CONTEXT_RECORDS, equal - lo) if gi != len(groups) - 1 else 0
            if equal - (lo + hi) == 1:
                hi += 1
            for key, child in recs[:lo]:
                records.append(_identical(node, key, child, opts))
            if equal > lo + hi:
                append_ellipsis(records, replace(group, identical=group.identical - lo - hi))
            for key, child in recs[equal - hi : equal]:
                records.append(_identical(node, key, child, opts))
            recs = recs[equal:]
            continue
        for key, child in recs[: group.num_diff()]:
            records += _unequal(node, key, child, opts)
        recs = recs[group.num_diff() :]
        diffs += group.num_diff()
    if not overflow.is_zero():
        append_ellipsis(records, overflow)
    return Wrap("{", Lst(tuple(records)), "}")


def _identical(node: Node, key: Any, child: Node, opts: Opts) -> Record:
    text = format_diff(child, replace(opts, mode=IDENTICAL))
    return Record(text if text is not None else NIL, key=_record_key(node, key))


def _unequal(node: Node, key: Any, child: Node, opts: Opts) -> list[Record]:
    label = _record_key(node, key)
    if child.type.kind == STRING and child.x is not INVALID and child.y is not INVALID:
        lined = lined_text_diff(child.x, child.y)
        if lined is not None:
            return [Record(lined, key=label)]
    if child.children != child.depth:
        text = format_diff(child, opts)
        return [Record(text, key=label)] if text is not None else []
    outx = format_diff(child, replace(opts, mode=REMOVED))
    outy = format_diff(child, replace(opts, mode=INSERTED))
    for i in range(MAX_VERBOSITY_PRESET + 1):
        if outx is None or outy is None or not outx.equal(outy):
            break
        preset = _preset(opts, i)
        outx = format_diff(child, replace(preset, mode=REMOVED))
        outy = format_diff(child, replace(preset, mode=INSERTED))
    out = []
    if outx is not None:
        out.append(Record(outx, key=label, diff=REMOVED))
    if outy is not None:
        out.append(Record(outy, key=label, diff=INSERTED))
    return out


def _coalesce(name: str, children: list[Node]) -> list[Stats]:
    """coalesceAdjacentRecords: runs of equal and of unequal records."""
    groups: list[Stats] = []
    previous = 0
    for child in children:
        case = 1 if child.diff == 0 else 2
        if case != previous:
            groups.append(Stats(name))
            previous = case
        g = groups[-1]
        if child.diff == 0:
            groups[-1] = replace(g, identical=g.identical + 1)
        elif child.y is INVALID:
            groups[-1] = replace(g, removed=g.removed + 1)
        elif child.x is INVALID:
            groups[-1] = replace(g, inserted=g.inserted + 1)
        else:
            groups[-1] = replace(g, modified=g.modified + 1)
    return groups


def report(node: Node) -> str:
    """defaultReporter.String(): empty when nothing differs."""
    if node.diff == 0:
        return ""
    text = format_diff(node, Opts())
    return text.render() if text is not None else ""
