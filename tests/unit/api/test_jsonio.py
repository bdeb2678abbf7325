"""JSON as Go's encoding/json writes it: `<`, `>`, `&`, U+2028 and U+2029 escaped, a newline after a
response body; the scan that skips the escaping for most bodies changes no byte."""

from __future__ import annotations

from typing import Any

import orjson
from hypothesis import given
from hypothesis import strategies as st

from mockapi.api.jsonio import go_json, response_json


def escaped_the_long_way(value: Any, *, sort_keys: bool = False) -> bytes:
    data = orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else None)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        data = data.replace(char.encode(), escape.encode())
    return data


def test_escapes() -> None:
    value = {"b": "<a href='x'>&amp;</a>", "a": "line\u2028para\u2029 dash \u2014 euro \u20ac"}
    assert go_json(value) == (
        b'{"b":"\\u003ca href=\'x\'\\u003e\\u0026amp;\\u003c/a\\u003e",'
        b'"a":"line\\u2028para\\u2029 dash \xe2\x80\x94 euro \xe2\x82\xac"}'
    )
    assert go_json(value, sort_keys=True).startswith(b'{"a":')
    assert response_json(value) == go_json(value) + b"\n"
    assert response_json({"plain": [1, 2.5, None]}) == b'{"plain":[1,2.5,null]}\n'


@given(st.recursive(st.text() | st.integers(-10, 10) | st.none(), lambda inner: st.dictionaries(st.text(), inner)))
def test_same_bytes_as_escaping_everything(value: Any) -> None:
    assert go_json(value) == escaped_the_long_way(value)
    assert go_json(value, sort_keys=True) == escaped_the_long_way(value, sort_keys=True)
    assert response_json(value) == escaped_the_long_way(value) + b"\n"
