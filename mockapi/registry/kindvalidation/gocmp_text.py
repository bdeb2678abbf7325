"""The text layer of go-cmp's report (cmp/report_text.go): a tree of lines, wrappers and lists that is
laid out on one line when it fits, and otherwise one record per line with `- ` / `+ ` markers, tab
indentation, aligned keys and `... // N identical fields` comments.

go-cmp randomly swaps the two leading spaces for non-breaking spaces to discourage byte comparisons;
this always uses plain spaces (its deterministic mode).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

IDENTICAL, REMOVED, INSERTED = " ", "-", "+"
MAX_COLUMN_LENGTH = 80


def _combine(parent: str, record: str) -> str:
    """`d|r.Diff` of report_text.go for the modes that occur: a marked record, or the parent's mark."""
    return record if record in (REMOVED, INSERTED) else parent


def _indent(n: int, mode: str) -> str:
    prefix = {REMOVED: "- ", INSERTED: "+ "}.get(mode, "  ")
    return prefix + "\t" * n


class Text:
    """textNode."""

    def length(self) -> int:
        raise NotImplementedError

    def equal(self, other: Text) -> bool:
        raise NotImplementedError

    def compact(self, mode: str) -> tuple[str, Text]:
        """formatCompactTo: the one-line form, and the node with collapsible children collapsed."""
        raise NotImplementedError

    def expanded(self, mode: str, n: int) -> str:
        """formatExpandedTo."""
        raise NotImplementedError

    def render(self) -> str:
        """String(): the multi-line report, each line starting with its two-character mark."""
        _, node = self.compact("")
        return _indent(0, "") + node.expanded("", 0) + "\n"


@dataclass(frozen=True)
class Line(Text):
    text: str

    def length(self) -> int:
        return len(self.text.encode())

    def equal(self, other: Text) -> bool:
        return isinstance(other, Line) and other.text == self.text

    def compact(self, mode: str) -> tuple[str, Text]:
        return self.text, self

    def expanded(self, mode: str, n: int) -> str:
        return self.text


NIL = Line("nil")
ELLIPSIS = Line("...")


@dataclass(frozen=True)
class Wrap(Text):
    prefix: str
    value: Text
    suffix: str = ""

    def length(self) -> int:
        return len(self.prefix.encode()) + self.value.length() + len(self.suffix.encode())

    def equal(self, other: Text) -> bool:
        return (
            isinstance(other, Wrap)
            and (other.prefix, other.suffix) == (self.prefix, self.suffix)
            and self.value.equal(other.value)
        )

    def compact(self, mode: str) -> tuple[str, Text]:
        inner, value = self.value.compact(mode)
        out = self.prefix + inner + self.suffix
        if isinstance(value, Line):
            return out, Line(out)
        return out, replace(self, value=value)

    def expanded(self, mode: str, n: int) -> str:
        return self.prefix + self.value.expanded(mode, n) + self.suffix


@dataclass(frozen=True)
class Stats:
    """diffStats: counts of coalesced records, printed as a comment."""

    name: str
    ignored: int = 0
    identical: int = 0
    removed: int = 0
    inserted: int = 0
    modified: int = 0

    def num_diff(self) -> int:
        return self.removed + self.inserted + self.modified

    def append(self, other: Stats) -> Stats:
        return Stats(
            self.name,
            self.ignored + other.ignored,
            self.identical + other.identical,
            self.removed + other.removed,
            self.inserted + other.inserted,
            self.modified + other.modified,
        )

    def is_zero(self) -> bool:
        return not (self.ignored or self.identical or self.removed or self.inserted or self.modified)

    def __str__(self) -> str:
        counts = [self.ignored, self.identical, self.removed, self.inserted, self.modified]
        labels = ["ignored", "identical", "removed", "inserted", "modified"]
        parts = [f"{n} {label}" for n, label in zip(counts, labels, strict=True) if n > 0]
        name = self.name
        if sum(counts) > 1:
            name += "s"
            if name.endswith("ys"):
                name = name[:-2] + "ies"
        if not parts:
            return ""
        if len(parts) <= 2:
            return " and ".join(parts) + " " + name
        return ", ".join(parts[:-1]) + ", and " + parts[-1] + " " + name


@dataclass(frozen=True)
class Record:
    value: Text
    key: str = ""
    diff: str = ""
    elide_comma: bool = False
    comment: str | Stats = ""


@dataclass(frozen=True)
class Lst(Text):
    """textList: comma-separated records."""

    records: tuple[Record, ...] = field(default_factory=tuple)

    def length(self) -> int:
        n = 0
        for i, r in enumerate(self.records):
            n += len(r.key.encode()) + (2 if r.key else 0) + r.value.length()
            if i < len(self.records) - 1:
                n += 2
        return n

    def equal(self, other: Text) -> bool:
        if not isinstance(other, Lst) or len(other.records) != len(self.records):
            return False
        return all(
            (a.diff, a.key, a.comment) == (b.diff, b.key, b.comment) and a.value.equal(b.value)
            for a, b in zip(self.records, other.records, strict=True)
        )

    def compact(self, mode: str) -> tuple[str, Text]:
        out: list[str] = []
        records: list[Record] = []
        multi = False
        for i, r in enumerate(self.records):
            if r.diff in (REMOVED, INSERTED):
                multi = True
            if r.key:
                out.append(r.key + ": ")
            text, value = r.value.compact(_combine(mode, r.diff))
            out.append(text)
            records.append(replace(r, value=value))
            if not isinstance(value, Line) or r.comment:
                multi = True
            if i < len(self.records) - 1:
                out.append(", ")
        joined = "".join(out)
        if mode in (REMOVED, INSERTED) and len(joined.encode()) > MAX_COLUMN_LENGTH:
            multi = True
        if not multi:
            return joined, Line(joined)
        return joined, Lst(tuple(records))

    def _align(self, skip: list[bool], lengths: list[int]) -> list[int]:
        """alignLens: pad runs of records that are not skipped to the longest of the run."""
        pads = [0] * len(self.records)
        start = 0
        longest = 0
        for i, skipped in enumerate([*skip, True]):
            if skipped:
                for j in range(start, i):
                    pads[j] = longest - lengths[j]
                start, longest = i + 1, 0
            else:
                longest = max(longest, lengths[i])
        return pads

    def expanded(self, mode: str, n: int) -> str:
        recs = self.records
        key_pads = self._align(
            [not r.key or not isinstance(r.value, Line) for r in recs], [len(r.key.encode()) for r in recs]
        )
        value_pads = self._align(
            [not isinstance(r.value, Line) or r.value.equal(ELLIPSIS) or not r.comment for r in recs],
            [r.value.length() if isinstance(r.value, Line) else 0 for r in recs],
        )
        if recs and all(not r.diff and not r.key and isinstance(r.value, Line) and not r.comment for r in recs):
            return self._batched(mode, n)
        out = []
        for i, r in enumerate(recs):
            out.append("\n" + _indent(n + 1, _combine(mode, r.diff)))
            if r.key:
                out.append(r.key + ": ")
            out.append(" " * key_pads[i])
            out.append(r.value.expanded(_combine(mode, r.diff), n + 1))
            if not r.elide_comma:
                out.append(",")
            out.append(" " * value_pads[i])
            if r.comment:
                out.append(" // " + str(r.comment))
        return "".join(out) + "\n" + _indent(n, mode)

    def _batched(self, mode: str, n: int) -> str:
        """Lists of plain values are packed several to a line, up to 80 columns."""
        out: list[str] = []
        batch = ""
        for r in self.records:
            assert isinstance(r.value, Line)
            line = r.value.text
            if len(batch) + len(line) + 2 > MAX_COLUMN_LENGTH and batch:
                out.append("\n" + _indent(n + 1, mode) + batch.rstrip(" "))
                batch = ""
            batch += line + ", "
        if batch:
            out.append("\n" + _indent(n + 1, mode) + batch.rstrip(" "))
        return "".join(out) + "\n" + _indent(n, mode)


def append_ellipsis(records: list[Record], stats: Stats | None = None) -> None:
    """textList.AppendEllipsis: one `...` per run, its statistics merged into the comment."""
    counted = stats is not None and not stats.is_zero()
    if not records or not records[-1].value.equal(ELLIPSIS):
        records.append(Record(ELLIPSIS, elide_comma=True, comment=stats if counted and stats else ""))
        return
    previous = records[-1].comment
    if counted and stats is not None and isinstance(previous, Stats):
        records[-1] = replace(records[-1], comment=previous.append(stats))
