"""Human-readable durations, as k8s.io/apimachinery/pkg/util/duration prints them.

`human_duration` is what every built-in printer uses for AGE-like cells ("5m", "3d4h", "2y30d"),
`short_human_duration` the one-unit variant ("5m", "3d"). Both tolerate a clock skew of just under two
seconds ("0s") and print "<invalid>" for anything more negative.

Go works in integer nanoseconds and truncates towards zero; a `timedelta` has microsecond resolution,
which loses nothing here since no branch looks below whole seconds.
"""

from __future__ import annotations

from datetime import timedelta

_SECOND = 1_000_000  # microseconds
_MINUTE = 60 * _SECOND
_HOUR = 60 * _MINUTE


def _micros(delta: timedelta) -> int:
    return delta // timedelta(microseconds=1)


def _trunc(value: int, unit: int) -> int:
    """Go's integer division: truncates towards zero."""
    quotient = abs(value) // unit
    return quotient if value >= 0 else -quotient


def human_duration(delta: timedelta) -> str:
    """duration.HumanDuration: ~2-3 significant figures ("90s", "5m30s", "3h20m", "3d4h", "2y30d")."""
    micros = _micros(delta)
    seconds = _trunc(micros, _SECOND)
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 60 * 2:
        return f"{seconds}s"
    minutes = micros // _MINUTE
    if minutes < 10:
        rest = (micros // _SECOND) % 60
        return f"{minutes}m" if rest == 0 else f"{minutes}m{rest}s"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = micros // _HOUR
    if hours < 8:
        rest = (micros // _MINUTE) % 60
        return f"{hours}h" if rest == 0 else f"{hours}h{rest}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        rest = hours % 24
        return f"{hours // 24}d" if rest == 0 else f"{hours // 24}d{rest}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        rest = (hours // 24) % 365
        return f"{hours // 24 // 365}y" if rest == 0 else f"{hours // 24 // 365}y{rest}d"
    return f"{hours // 24 // 365}y"


def short_human_duration(delta: timedelta) -> str:
    """duration.ShortHumanDuration: a single unit ("45s", "5m", "7h", "12d", "3y")."""
    micros = _micros(delta)
    seconds = _trunc(micros, _SECOND)
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 60:
        return f"{seconds}s"
    minutes = micros // _MINUTE
    if minutes < 60:
        return f"{minutes}m"
    hours = micros // _HOUR
    if hours < 24:
        return f"{hours}h"
    if hours < 24 * 365:
        return f"{hours // 24}d"
    return f"{hours // 24 // 365}y"
