"""CSV read as Go's encoding/csv reads it (Comma ',', no comments, FieldsPerRecord -1, LazyQuotes off).

kube-apiserver reads its token and password files with that reader, so a file it refuses must stop mockapi
too, with its words (`parse error on line 2, column 7: bare " in non-quoted-field`); Python's `csv` accepts
such files silently. Written here because no library reproduces Go's rules: quotes only open a field, `""`
inside a quoted field is a quote, a quoted field may span lines, `\\r\\n` ends a line like `\\n`, and empty
lines are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


class CsvError(ValueError):
    """csv.ParseError's text; `line` is where the record starts."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True, slots=True)
class Record:
    line: int
    """The 1-based line the record starts on."""
    fields: list[str]


_BARE_QUOTE = 'bare " in non-quoted-field'
_QUOTE = 'extraneous or missing " in quoted-field'


def read_records(text: str) -> Iterator[Record]:
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line opens no new one
    index = 0
    while index < len(lines):
        start = index
        line = lines[index]
        index += 1
        if line == "":
            continue
        fields: list[str] = []
        col = 0  # 0-based position in `line`
        while True:
            if col < len(line) and line[col] == '"':
                value, line, col, index = _quoted(lines, line, col + 1, index, start)
                fields.append(value)
            else:
                end = line.find(",", col)
                raw = line[col:] if end < 0 else line[col:end]
                quote = raw.find('"')
                if quote >= 0:
                    raise CsvError(_error(start, index, col + quote + 1, _BARE_QUOTE), start + 1)
                fields.append(raw)
                col = len(line) if end < 0 else end
            if col >= len(line):
                break
            col += 1  # past the comma
            if col == len(line):
                fields.append("")  # a trailing comma ends with an empty field
                break
        yield Record(start + 1, fields)


def _quoted(lines: list[str], line: str, col: int, index: int, start: int) -> tuple[str, str, int, int]:
    """A quoted field from just after its opening quote: (value, current line, position after it, index of
    the next line to read)."""
    parts: list[str] = []
    while True:
        quote = line.find('"', col)
        if quote < 0:  # the field goes on on the next line
            parts.append(line[col:] + "\n")
            if index >= len(lines):
                raise CsvError(_error(start, index, len(line) + 1, _QUOTE), start + 1)
            line = lines[index]
            index += 1
            col = 0
            continue
        parts.append(line[col:quote])
        after = quote + 1
        if after < len(line) and line[after] == '"':
            parts.append('"')
            col = after + 1
            continue
        if after == len(line) or line[after] == ",":
            return "".join(parts), line, after, index
        raise CsvError(_error(start, index, after, _QUOTE), start + 1)


def _error(start: int, index: int, column: int, what: str) -> str:
    """ParseError.Error(): `start`/`index` are 0-based first line and 1-based line after the current one."""
    line = index
    if start + 1 != line:
        return f"record on line {start + 1}; parse error on line {line}, column {column}: {what}"
    return f"parse error on line {line}, column {column}: {what}"


def read_file_records(path: Path, what: str) -> Iterator[Record]:
    """The records of a credential file (`what`: `token`, `password`), in order, so the first problem in the
    file is the one reported; ValueError naming the file when it cannot be read or Go would refuse it."""
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        raise ValueError(f"{what} file '{path}': {exc.strerror or exc}") from None
    try:
        yield from read_records(text)
    except CsvError as exc:
        raise ValueError(f"{what} file '{path}': {exc}") from None
