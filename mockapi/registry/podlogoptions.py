"""PodLogOptions from the query of `pods/log`, converted and validated as kube-apiserver does it.

The parameter codec converts each parameter first (400 with strconv's or time.Parse's words), then
LogREST validates the options (422 `PodLogOptions`), both before the pod is read.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass

from mockapi.api import errors
from mockapi.api.golang import go_quote
from mockapi.registry.options import query_bool, query_int

_RFC3339 = "2006-01-02T15:04:05Z07:00"
_LAYOUT = (  # (layout element, pattern of what it accepts)
    ("2006", r"[0-9]{4}"),
    ("-", "-"),
    ("01", r"[0-9]{2}"),
    ("-", "-"),
    ("02", r"[0-9]{2}"),
    ("T", "T"),
    ("15", r"[0-9]{2}"),
    (":", ":"),
    ("04", r"[0-9]{2}"),
    (":", ":"),
    ("05", r"[0-9]{2}(\.[0-9]+)?"),
    ("Z07:00", r"(Z|[+-][0-9]{2}:[0-9]{2})"),
)


_RANGES = {  # layout element -> what time.Parse accepts there
    "01": (1, 12, "month"),
    "02": (0, 31, "day"),
    "15": (0, 23, "hour"),
    "04": (0, 59, "minute"),
    "05": (0, 59, "second"),
}


@dataclass(frozen=True, slots=True)
class PodLogOptions:
    container: str = ""
    follow: bool = False
    previous: bool = False
    timestamps: bool = False
    tail_lines: int | None = None
    limit_bytes: int | None = None
    since_seconds: int | None = None
    since_time: str | None = None
    stream: str | None = None


def pod_log_options(query: Mapping[str, str], pod_name: str) -> PodLogOptions:
    opts = PodLogOptions(
        container=query.get("container", ""),
        follow=query_bool(query.get("follow", "false")),
        previous=query_bool(query.get("previous", "false")),
        timestamps=query_bool(query.get("timestamps", "false")),
        tail_lines=query_int(query.get("tailLines")),
        limit_bytes=query_int(query.get("limitBytes")),
        since_seconds=query_int(query.get("sinceSeconds")),
        since_time=_time(query.get("sinceTime")),
        stream=query.get("stream"),
    )
    _validate(opts, pod_name)
    return opts


def _time(raw: str | None) -> str | None:
    """metav1.Time.UnmarshalQueryParameter: RFC 3339 (`null` and "" are no time)."""
    if raw is None or raw in ("", "null"):
        return None
    rest = raw
    numbers: dict[str, int] = {}
    for element, pattern in _LAYOUT:
        match = re.match(pattern, rest)
        if match is None:
            raise errors.bad_request(
                f"parsing time {go_quote(raw)} as {go_quote(_RFC3339)}: cannot parse {go_quote(rest)} as "
                f"{go_quote(element)}"
            )
        if element[0].isdigit():  # 2006, 01, 02, 15, 04, 05 (seconds may carry a fraction)
            numbers[element] = int(match.group().partition(".")[0])
        if element in _RANGES:
            low, high, name = _RANGES[element]
            if not low <= numbers[element] <= high:  # time.Parse stops at the first value out of range
                raise errors.bad_request(f"parsing time {go_quote(raw)}: {name} out of range")
        rest = rest[match.end() :]
    if rest:
        raise errors.bad_request(f"parsing time {go_quote(raw)}: extra text: {go_quote(rest)}")
    year, month, day = numbers["2006"], numbers["01"], numbers["02"]
    if day < 1 or day > calendar.monthrange(year, month)[1]:
        raise errors.bad_request(f"parsing time {go_quote(raw)}: day out of range")
    return raw


def _validate(opts: PodLogOptions, pod_name: str) -> None:
    """validation.ValidatePodLogOptions."""
    errs: list[errors.FieldError] = []
    if opts.tail_lines is not None and opts.tail_lines < 0:
        errs.append(errors.invalid("tailLines", opts.tail_lines, "must be greater than or equal to 0"))
    if opts.limit_bytes is not None and opts.limit_bytes < 1:
        errs.append(errors.invalid("limitBytes", opts.limit_bytes, "must be greater than 0"))
    if opts.since_seconds is not None and opts.since_time is not None:
        errs.append(errors.forbidden_field("[]", "at most one of `sinceTime` or `sinceSeconds` may be specified"))
    elif opts.since_seconds is not None and opts.since_seconds < 1:
        errs.append(errors.invalid("sinceSeconds", opts.since_seconds, "must be greater than 0"))
    if opts.stream is not None:  # the PodLogsQuerySplitStreams gate is off in 1.33
        errs.append(errors.forbidden_field("stream", "may not be specified"))
    if errs:
        raise errors.invalid_object("PodLogOptions", "", pod_name, errs)
