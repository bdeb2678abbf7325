"""Go's JSON forms of the apimachinery types with their own MarshalJSON, both ways.

metav1.Time (RFC3339, seconds, UTC, zero -> null), metav1.MicroTime (RFC3339 with 6 fraction digits),
metav1.Duration (time.Duration.String(), parsed like time.ParseDuration).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
GO_ZERO_UNIX = -62135596800
"""time.Time{}.Unix(): the zero Go time, which Time/MicroTime render as null."""
NS = 1_000_000_000


def _utc(seconds: int, nanos: int) -> tuple[datetime, int]:
    total = seconds * NS + nanos
    sec, ns = divmod(total, NS)
    try:
        return EPOCH + timedelta(seconds=sec), ns
    except OverflowError:
        raise ValueError(f"time {seconds}s is outside the years 1-9999") from None


def format_time(seconds: int, nanos: int, *, micro: bool) -> str | None:
    """metav1.Time / MicroTime MarshalJSON of time.Unix(seconds, nanos); None for the zero time."""
    if seconds * NS + nanos == GO_ZERO_UNIX * NS:
        return None
    dt, ns = _utc(seconds, nanos)
    text = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if len(text) != 19:  # strftime pads years below 1000 inconsistently across platforms
        text = f"{dt.year:04d}" + text[text.index("-") :]
    if micro:
        return f"{text}.{ns // 1000:06d}Z"
    return text + "Z"


_RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def parse_time(text: str) -> tuple[int, int]:
    """RFC3339 (as Go's time.Parse(time.RFC3339) accepts it) -> (unix seconds, nanos)."""
    m = _RFC3339.match(text)
    if not m:
        raise ValueError(f'parsing time "{text}" as RFC3339 failed')
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    frac, zone = m.group(7), m.group(8)
    nanos = int((frac[1:] + "000000000")[:9]) if frac else 0
    offset = 0
    if zone not in ("Z", "z"):
        sign = -1 if zone[0] == "-" else 1
        offset = sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    try:
        dt = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError as exc:
        raise ValueError(f'parsing time "{text}": {exc}') from None
    return int((dt - EPOCH).total_seconds()) - offset, nanos


def _frac(value: int, prec: int) -> tuple[str, int]:
    """Go's fmtFrac: the fraction digits of value/10^prec without trailing zeros, and the integer part."""
    if prec == 0:
        return "", value
    whole, part = divmod(value, 10**prec)
    digits = f"{part:0{prec}d}".rstrip("0")
    return ("." + digits if digits else ""), whole


def format_duration(ns: int) -> str:
    """time.Duration(ns).String(): `1h2m3.5s`, `1.5ms`, `0s`."""
    if ns == 0:
        return "0s"
    sign = "-" if ns < 0 else ""
    u = abs(ns)
    if u < NS:
        if u < 1_000:
            prec, unit = 0, "ns"
        elif u < 1_000_000:
            prec, unit = 3, "µs"
        else:
            prec, unit = 6, "ms"
        frac, whole = _frac(u, prec)
        return f"{sign}{whole}{frac}{unit}"
    frac, secs = _frac(u, 9)
    out = f"{secs % 60}{frac}s"
    minutes = secs // 60
    if minutes:
        out = f"{minutes % 60}m{out}"
        hours = minutes // 60
        if hours:
            out = f"{hours}h{out}"
    return sign + out


_UNITS = {"ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000, "s": NS, "m": 60 * NS, "h": 3600 * NS}
_DURATION_PART = re.compile(r"(\d*)(?:\.(\d*))?([a-zµμ]+)")


def parse_duration(text: str) -> int:
    """time.ParseDuration -> nanoseconds."""
    s = text
    sign = 1
    if s[:1] in ("-", "+"):
        sign, s = (-1 if s[0] == "-" else 1), s[1:]
    if s == "0":
        return 0
    if not s:
        raise ValueError(f'time: invalid duration "{text}"')
    total, pos = 0, 0
    while pos < len(s):
        m = _DURATION_PART.match(s, pos)
        if not m or (not m.group(1) and not m.group(2)):
            raise ValueError(f'time: invalid duration "{text}"')
        unit = _UNITS.get(m.group(3))
        if unit is None:
            raise ValueError(f'time: unknown unit "{m.group(3)}" in duration "{text}"')
        whole = int(m.group(1) or "0")
        frac_digits = m.group(2) or ""
        total += whole * unit
        if frac_digits:
            total += int(frac_digits) * unit // 10 ** len(frac_digits)
        pos = m.end()
    return sign * total
