"""robfig/cron/v3's ParseStandard, as CronJob validation uses it: the error text only.

Standard spec: five fields (minute hour day-of-month month day-of-week) or an `@` descriptor
(@yearly/@annually, @monthly, @weekly, @daily/@midnight, @hourly, `@every <duration>`), optionally
prefixed by `TZ=<zone> ` or `CRON_TZ=<zone> `. `schedule_error` returns the Go error string for a
spec robfig rejects, or None.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass

from mockapi.api.golang import go_quote


@dataclass(frozen=True, slots=True)
class _Bounds:
    low: int
    high: int
    names: dict[str, int]


_MONTHS = {
    m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))
}
_DAYS = {d: i for i, d in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}
_FIELDS = (
    _Bounds(0, 59, {}),  # second (always "0" for a standard spec)
    _Bounds(0, 59, {}),  # minute
    _Bounds(0, 23, {}),  # hour
    _Bounds(1, 31, {}),  # day of month
    _Bounds(1, 12, _MONTHS),
    _Bounds(0, 6, _DAYS),
)
_DESCRIPTORS = frozenset({"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"})
_ATOI = re.compile(r"[+-]?[0-9]+")


class _CronError(ValueError):
    pass


def load_location(name: str) -> str | None:
    """time.LoadLocation: None when the zone loads, else Go's error text."""
    if name in ("", "UTC"):
        return None
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return f"unknown time zone {name}"
    return None


def _must_parse_int(expr: str) -> int:
    if not _ATOI.fullmatch(expr):
        raise _CronError(f"failed to parse int from {expr}: strconv.Atoi: parsing {go_quote(expr)}: invalid syntax")
    num = int(expr)
    if not -(2**63) <= num < 2**63:
        raise _CronError(f"failed to parse int from {expr}: strconv.Atoi: parsing {go_quote(expr)}: value out of range")
    if num < 0:
        raise _CronError(f"negative number ({num}) not allowed: {expr}")
    return num


def _int_or_name(expr: str, names: dict[str, int]) -> int:
    named = names.get(expr.lower())
    return named if named is not None else _must_parse_int(expr)


def _check_range(expr: str, bounds: _Bounds) -> None:
    """getRange."""
    range_and_step = expr.split("/")
    low_and_high = range_and_step[0].split("-")
    if low_and_high[0] in ("*", "?"):
        start, end = bounds.low, bounds.high
    else:
        start = _int_or_name(low_and_high[0], bounds.names)
        if len(low_and_high) == 1:
            end = start
        elif len(low_and_high) == 2:
            end = _int_or_name(low_and_high[1], bounds.names)
        else:
            raise _CronError(f"too many hyphens: {expr}")
    step = 1
    if len(range_and_step) == 2:
        step = _must_parse_int(range_and_step[1])
        if len(low_and_high) == 1:  # "N/step" means "N-max/step"
            end = bounds.high
    elif len(range_and_step) > 2:
        raise _CronError(f"too many slashes: {expr}")
    if start < bounds.low:
        raise _CronError(f"beginning of range ({start}) below minimum ({bounds.low}): {expr}")
    if end > bounds.high:
        raise _CronError(f"end of range ({end}) above maximum ({bounds.high}): {expr}")
    if start > end:
        raise _CronError(f"beginning of range ({start}) beyond end of range ({end}): {expr}")
    if step == 0:
        raise _CronError(f"step of range should be a positive number: {expr}")


_UNITS = frozenset({"ns", "us", "µs", "μs", "ms", "s", "m", "h"})
_DURATION_PART = re.compile(r"([0-9]*)(\.[0-9]*)?([^0-9.]*)")


def _duration_error(text: str) -> str | None:
    """time.ParseDuration's error text, or None when `text` parses (overflow not checked)."""
    invalid = f"time: invalid duration {go_quote(text)}"
    rest = text[1:] if text[:1] in ("-", "+") else text
    if rest == "0":
        return None
    if not rest:
        return invalid
    while rest:
        if not (rest[0] == "." or rest[0].isdigit()):
            return invalid
        match = _DURATION_PART.match(rest)
        assert match is not None  # the pattern matches any string
        whole, fraction, unit = match.group(1), match.group(2) or "", match.group(3)
        if not whole and len(fraction) <= 1:
            return invalid
        if not unit:
            return f"time: missing unit in duration {go_quote(text)}"
        if unit not in _UNITS:
            return f"time: unknown unit {go_quote(unit)} in duration {go_quote(text)}"
        rest = rest[match.end() :]
    return None


def _descriptor_error(spec: str) -> str | None:
    if spec in _DESCRIPTORS:
        return None
    every = "@every "
    if spec.startswith(every):
        err = _duration_error(spec[len(every) :])
        return f"failed to parse duration {spec}: {err}" if err else None
    return f"unrecognized descriptor: {spec}"


def schedule_error(spec: str) -> str | None:
    """cron.ParseStandard(spec)'s error text, None when it parses."""
    if not spec:
        return "empty spec string"
    if spec.startswith(("TZ=", "CRON_TZ=")):
        space = spec.find(" ")
        zone = spec[spec.index("=") + 1 : space if space >= 0 else len(spec)]
        if err := load_location(zone):
            return f"provided bad location {zone}: {err}"
        spec = spec[space:].strip() if space >= 0 else ""
    if spec.startswith("@"):
        return _descriptor_error(spec)
    fields = spec.split()
    if len(fields) != 5:
        return f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]"
    try:
        for expr_list, bounds in zip(["0", *fields], _FIELDS, strict=True):
            for expr in (e for e in expr_list.split(",") if e):
                _check_range(expr, bounds)
    except _CronError as err:
        return str(err)
    return None
