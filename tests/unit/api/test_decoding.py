"""JSON bodies, media types and Go-syntax parameters: every input decodes or fails with Go's words."""

from __future__ import annotations

import pytest

from mockapi.api.decoding import MAX_DEPTH, DecodeError, json_value
from mockapi.api.golang import parse_duration, parse_int, parse_uint
from mockapi.api.mediatype import parse_media_type


def test_json_within_the_depth_limit() -> None:
    assert json_value(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH) is not None


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 300, 1000, 1025, 10_000])
def test_json_nested_too_deep_is_refused(depth: int) -> None:
    with pytest.raises(DecodeError):
        json_value(b'{"a":' * depth + b"1" + b"}" * depth)


@pytest.mark.parametrize("raw", [b"", b"{", b"NaN", b"1e400", b'{"a":1}x'])
def test_json_that_does_not_parse(raw: bytes) -> None:
    with pytest.raises(DecodeError):
        json_value(raw)


MEDIA_TYPES = [
    ("application/json", ("application/json", {})),
    ("Application/JSON; Charset=utf-8", ("application/json", {"charset": "utf-8"})),
    ("application/json;", ("application/json", {})),
    ('a/b; q="x y"', ("a/b", {"q": "x y"})),
]


@pytest.mark.parametrize(("header", "expected"), MEDIA_TYPES)
def test_media_types_that_parse(header: str, expected: tuple[str, dict[str, str]]) -> None:
    assert parse_media_type(header) == expected


MEDIA_TYPE_ERRORS = [
    ("", "mime: no media type"),
    ("@@@", "mime: no media type"),
    ("application/", "mime: expected token after slash"),
    ("application/json x", "mime: unexpected content after media subtype"),
    ("application/json; charset", "mime: invalid media parameter"),
    ("a/b; x=1; X=2", "mime: duplicate parameter name"),
]


@pytest.mark.parametrize(("header", "message"), MEDIA_TYPE_ERRORS)
def test_media_types_that_do_not_parse(header: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_media_type(header)


INTS = [
    ("5", 5),
    ("-5", -5),
    ("+5", 5),
    ("0009", 9),
    ("9223372036854775807", 2**63 - 1),
]


@pytest.mark.parametrize(("text", "value"), INTS)
def test_parse_int(text: str, value: int) -> None:
    assert parse_int(text) == value


INT_ERRORS = [
    ("abc", 'strconv.ParseInt: parsing "abc": invalid syntax'),
    ("", 'strconv.ParseInt: parsing "": invalid syntax'),
    ("1_000", 'strconv.ParseInt: parsing "1_000": invalid syntax'),
    ("\u0661", 'strconv.ParseInt: parsing "\u0661": invalid syntax'),  # a digit, but not an ASCII one
    ("9223372036854775808", 'strconv.ParseInt: parsing "9223372036854775808": value out of range'),
]


@pytest.mark.parametrize(("text", "message"), INT_ERRORS)
def test_parse_int_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_int(text)
    assert str(info.value) == message


def test_parse_uint() -> None:
    assert parse_uint("18446744073709551615") == 2**64 - 1
    for text in ("-1", "abc", "18446744073709551616"):
        with pytest.raises(ValueError, match=r"strconv\.ParseUint"):
            parse_uint(text)


DURATIONS = [("10s", 10.0), ("1m30s", 90.0), ("0", 0.0), ("1.5h", 5400.0), ("-5s", -5.0), ("250ms", 0.25)]


@pytest.mark.parametrize(("text", "seconds"), DURATIONS)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


DURATION_ERRORS = [
    ("forever", 'time: invalid duration "forever"'),
    ("", 'time: invalid duration ""'),
    ("10", 'time: missing unit in duration "10"'),
    ("10x", 'time: unknown unit "x" in duration "10x"'),
]


@pytest.mark.parametrize(("text", "message"), DURATION_ERRORS)
def test_parse_duration_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_duration(text)
    assert str(info.value) == message
