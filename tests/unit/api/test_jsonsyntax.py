"""encoding/json's syntax errors (scanner.go) for the bodies orjson refuses, and Go's leniencies."""

from __future__ import annotations

import pytest

from mockapi.api.decoding import DecodeError, json_value
from mockapi.api.jsonsyntax import syntax_error

ERRORS = [
    (b"", "unexpected end of JSON input"),
    (b"{", "unexpected end of JSON input"),
    (b"tru", "unexpected end of JSON input"),
    (b'{"a":1}x', "invalid character 'x' after top-level value"),
    (b"01", "invalid character '1' after top-level value"),
    (b"nope", "invalid character 'o' in literal null (expecting 'u')"),
    (b"fals3", "invalid character '3' in literal false (expecting 'e')"),
    (b'{"a" 1}', "invalid character '1' after object key"),
    (b'{"a":1 "b":2}', "invalid character '\"' after object key:value pair"),
    (b"[1 2]", "invalid character '2' after array element"),
    (b"[1,]", "invalid character ']' looking for beginning of value"),
    (b"{a:1}", "invalid character 'a' looking for beginning of object key string"),
    (b"'x'", "invalid character '\\'' looking for beginning of value"),
    (b'"x\x01"', "invalid character '\\x01' in string literal"),
    (b'"\\q"', "invalid character 'q' in string escape code"),
    (b'"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"),
    (b"-x", "invalid character 'x' in numeric literal"),
    (b"1.x", "invalid character 'x' after decimal point in numeric literal"),
    (b"1ex", "invalid character 'x' in exponent of numeric literal"),
    (b"[" * 10_001 + b"]" * 10_001, "invalid character '[' exceeded max depth"),
]


@pytest.mark.parametrize(("raw", "message"), ERRORS)
def test_go_scanner_errors(raw: bytes, message: str) -> None:
    assert syntax_error(raw)[0] == message
    with pytest.raises(DecodeError) as info:
        json_value(raw)
    assert str(info.value) == message


@pytest.mark.parametrize("raw", [b"{}", b"[]", b' {"a":[1,-2.5e3,{"b":null}],"c":true} ', b'"\xff"'])
def test_valid_to_go(raw: bytes) -> None:
    assert syntax_error(raw)[0] is None


def test_what_go_accepts_and_orjson_refuses() -> None:
    assert json_value(b'{"a":"\xff"}') == {"a": "\ufffd"}  # invalid UTF-8 becomes U+FFFD
    assert json_value(b'{"a":"\\ud800x"}') == {"a": "\ufffdx"}  # so does a lone surrogate escape
    with pytest.raises(DecodeError, match="exceeded max depth of 200"):
        json_value(b"[" * 5000 + b"]" * 5000)
