"""go-cmp's line diff of multi-line strings (FormatDiffSlice's lined-text case, cmp/report_slices.go):
two strings of at least 64 bytes with four or more newlines and lines of at most 256 bytes are compared
line by line and printed between triple quotes, or as `strings.Join({...}, "\\n")` when a line would
make the triple-quoted form ambiguous.
"""

from __future__ import annotations

from typing import Any

from mockapi.api.golang import go_quote
from mockapi.registry.kindvalidation.gocmp_text import (
    ELLIPSIS,
    IDENTICAL,
    INSERTED,
    REMOVED,
    Line,
    Lst,
    Record,
    Stats,
    Text,
    Wrap,
)

MIN_LENGTH = 64
MAX_DIFF_ELEMENTS = 32


def _is_lined_text(x: str, y: str) -> bool:
    lines = longest = 0
    last = 0
    data = x + y
    for i, c in enumerate(data):
        if not (c.isprintable() or c.isspace()) or c == "\ufffd":
            return False
        if c == "\n":
            longest = max(longest, i - last)
            last = i + 1
            lines += 1
    return lines >= 4 and longest <= 256


def _edits(xs: list[str], ys: list[str]) -> list[str]:
    """An edit script of lines: `=` kept, `-` only in x, `+` only in y (longest common subsequence)."""
    n, m = len(xs), len(ys)
    lcs = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            lcs[i][j] = lcs[i + 1][j + 1] + 1 if xs[i] == ys[j] else max(lcs[i + 1][j], lcs[i][j + 1])
    out: list[str] = []
    i = j = 0
    while i < n or j < m:
        if i < n and j < m and xs[i] == ys[j]:
            out.append("=")
            i, j = i + 1, j + 1
        elif j < m and (i == n or lcs[i][j + 1] >= lcs[i + 1][j]):
            out.append("+")
            j += 1
        else:
            out.append("-")
            i += 1
    return out


def _groups(edits: list[str]) -> list[Stats]:
    groups: list[Stats] = []
    previous = ""
    for e in edits:
        case = "=" if e == "=" else "!"
        if case != previous:
            groups.append(Stats("line"))
            previous = case
        g = groups[-1]
        groups[-1] = Stats(
            "line",
            identical=g.identical + (e == "="),
            removed=g.removed + (e == "-"),
            inserted=g.inserted + (e == "+"),
        )
    return groups


def go_string(s: str) -> str:
    """go-cmp's formatString: strconv.Quote, or a raw string literal when that reads better."""
    quoted = go_quote(s)
    if len(quoted.encode()) == len(s.encode()) + 2:
        return quoted
    if all(c != "`" and c != "\n" and (c.isprintable() or c == "\t") for c in s):
        return "`" + s + "`"
    return quoted


Row = tuple[Record, str | None]
"""A record of the line list and the line it prints (None for an ellipsis)."""


def _rows(lines: list[str], diff: str) -> list[Row]:
    return [(Record(Line(go_string(line)), diff=diff), line) for line in lines]


def _line_rows(xs: list[str], ys: list[str]) -> list[Row]:
    """formatDiffSlice with one line per chunk and two lines of context."""
    rows: list[Row] = []
    groups = _groups(_edits(xs, ys))
    overflow = Stats("line")
    for gi, g in enumerate(groups):
        if len(rows) >= MAX_DIFF_ELEMENTS:
            overflow = overflow.append(g)
            continue
        if g.num_diff() == 0:
            equal = g.identical
            lo = min(2, equal) if gi != 0 else 0
            hi = min(2, equal - lo) if gi != len(groups) - 1 else 0
            if equal - (lo + hi) <= 1:
                hi = equal - lo
            rows += _rows(xs[:lo], IDENTICAL)
            if equal > lo + hi:
                rows.append(
                    (Record(ELLIPSIS, elide_comma=True, comment=Stats("line", identical=equal - lo - hi)), None)
                )
            rows += _rows(xs[equal - hi : equal], IDENTICAL)
            xs, ys = xs[equal:], ys[equal:]
            continue
        rows += _rows(xs[: g.removed], REMOVED) + _rows(ys[: g.inserted], INSERTED)
        xs, ys = xs[g.removed :], ys[g.inserted :]
    if not overflow.is_zero():
        rows.append((Record(ELLIPSIS, elide_comma=True, comment=overflow), None))
    return rows


def _triple_quoted(rows: list[Row]) -> Text | None:
    """The triple-quote form, unless a line makes it ambiguous."""
    out = [Record(Line('"""'), elide_comma=True)]
    seen: set[str] = set()
    for record, raw in rows:
        if raw is not None:
            line = raw.removesuffix("\r").removeprefix("\r")
            normal = "".join(c for c in line if not c.isspace())
            if (
                line.startswith('"""')
                or line.startswith("...")
                or not all(c.isprintable() or c == "\t" for c in line)
                or (record.diff != "" and normal in seen)
            ):
                return None
            seen.add(normal)
            record = Record(Line(line), diff=record.diff, elide_comma=True)
        if record.diff == "":
            seen = set()
        out.append(record)
    last = out[-1]
    if last.diff == IDENTICAL and isinstance(last.value, Line) and not last.value.text:
        out.pop()
    out.append(Record(Line('"""'), elide_comma=True))
    return Wrap("(", Lst(tuple(out)), ")")


def lined_text_diff(x: Any, y: Any) -> Text | None:
    """The lined-text report of two strings, or None when go-cmp would not use it."""
    if not isinstance(x, str) or not isinstance(y, str) or x == y:
        return None
    if len(x.encode()) < MIN_LENGTH or len(y.encode()) < MIN_LENGTH or not _is_lined_text(x, y):
        return None
    rows = _line_rows(x.split("\n"), y.split("\n"))
    triple = _triple_quoted(rows)
    if triple is not None:
        return triple
    return Wrap("strings.Join(", Wrap("{", Lst(tuple(r for r, _ in rows)), "}"), ', "\\n")')
