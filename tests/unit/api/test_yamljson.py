"""YAML bodies to JSON values as sigs.k8s.io/yaml's YAMLToJSON (goyaml.v2) converts them, within budgets."""

from __future__ import annotations

import time
import tracemalloc
from typing import Any

import pytest

from mockapi.api.decoding import MAX_DEPTH, DecodeError
from mockapi.api.yamljson import yaml_to_json_value

PREFIX = "error converting YAML to JSON: "

BILLION_LAUGHS = """a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""

DECODES: list[tuple[str, Any]] = [
    ("a: 1", {"a": 1}),
    ("", None),
    ("[1, 2]", [1, 2]),
    # YAML 1.1 scalars as goyaml.v2 resolves them
    ("a: yes\nb: off\nc: y\nd: ~\ne: null", {"a": True, "b": False, "c": True, "d": None, "e": None}),
    ("a: 0x1F\nb: 010\nc: 0b101\nd: 1_000\ne: -7", {"a": 31, "b": 8, "c": 5, "d": 1000, "e": -7}),
    ("a: .5\nb: 1e3\nc: 1.5", {"a": 0.5, "b": 1000.0, "c": 1.5}),
    ("a: 99999999999999999999", {"a": 1e20}),  # past 64 bits: a float, as ParseFloat reads it
    ("a: 18446744073709551615", {"a": 18446744073709551615}),  # fits uint64
    ("a: -9223372036854775809", {"a": -9.223372036854776e18}),
    ("a: 1e400", {"a": "1e400"}),  # ParseFloat's range error: the text stays a string
    ("a: 2001-12-14", {"a": "2001-12-14"}),  # timestamps decode into interface{} as strings
    ("a: !!timestamp 2001-12-14T21:59:43.10-05:00", {"a": "2001-12-14T21:59:43.10-05:00"}),
    ("a: '3'\nb: !!str 3\nc: \"yes\"", {"a": "3", "b": "3", "c": "yes"}),
    ("a: !!binary aGVsbG8=", {"a": "hello"}),
    ("a: !custom text", {"a": "text"}),
    ("a: !!float 3", {"a": 3.0}),
    # mapping keys become strings
    ("{1: a, true: b, 1.5: c}", {"1": "a", "true": "b", "1.5": "c"}),
    # merge keys, and only the first document
    ("base: &b {x: 1, z: 2}\nd:\n  <<: *b\n  z: 3", {"base": {"x": 1, "z": 2}, "d": {"x": 1, "z": 3}}),
    ("d:\n  z: 3\n  <<: {z: 4}", {"d": {"z": 4}}),  # goyaml.v2: a later merge overwrites
    ("a: 1\n---\nb: 2", {"a": 1}),
    ("x: &s hello\nw: *s\ny: 1", {"x": "hello", "w": "hello", "true": 1}),  # `y` is true in YAML 1.1
]


@pytest.mark.parametrize(("text", "expected"), DECODES)
def test_decodes_as_goyaml_v2(text: str, expected: Any) -> None:
    assert yaml_to_json_value(text) == expected


REFUSALS: list[tuple[str, str]] = [
    (BILLION_LAUGHS, "yaml: document contains excessive aliasing"),
    ("a: &a [*a]", "yaml: anchor 'a' value contains itself"),
    ("a: &a {b: [1, *a]}", "yaml: anchor 'a' value contains itself"),
    ("a: *nope", "yaml: unknown anchor 'nope' referenced"),
    ("{~: a}", 'unsupported map key of type: %!s(<nil>), key: <nil>, value: "a"'),
    ("{18446744073709551615: a}", 'unsupported map key of type: uint64, key: 0xffffffffffffffff, value: "a"'),
    ("{[1]: a}", "yaml: invalid map key: []interface {}{...}"),
    ("a: .nan", "json: unsupported value: NaN"),
    ("a: -.inf", "json: unsupported value: -Inf"),
    ("a: !!int abc", "yaml: cannot decode !!str `abc` as a !!int"),
    ("a: !!timestamp abc", "yaml: cannot decode !!str `abc` as a !!timestamp"),
    ("a: <<: 1\n", "yaml: line 1: mapping values are not allowed in this context"),
    ("d:\n  <<: [1]", "yaml: map merge requires map or sequence of maps as the value"),
    ("a: 'open\n", "yaml: line 2: found unexpected end of stream"),
    ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), f"yaml: exceeded max depth of {MAX_DEPTH}"),
    ("- " * (MAX_DEPTH + 1) + "x", f"yaml: exceeded max depth of {MAX_DEPTH}"),
]


@pytest.mark.parametrize(("text", "message"), REFUSALS)
def test_refuses_with_kube_apiservers_words(text: str, message: str) -> None:
    with pytest.raises(DecodeError) as info:
        yaml_to_json_value(text)
    assert str(info.value) == PREFIX + message


def test_nesting_up_to_the_limit_decodes() -> None:
    value = yaml_to_json_value("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    depth = 0
    while isinstance(value, list) and value:
        value, depth = value[0], depth + 1
    assert depth == MAX_DEPTH - 1


def test_a_bomb_is_refused_before_it_expands() -> None:
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(DecodeError, match="excessive aliasing"):
        yaml_to_json_value(BILLION_LAUGHS * 1 + "j: &j [*i,*i,*i,*i,*i,*i,*i,*i,*i]\n")
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5 * 1024 * 1024, f"decoding a bomb allocated {peak} bytes"
    assert elapsed < 5, "refused without walking the expansion"


def test_an_alias_expanding_past_the_request_limit_is_refused() -> None:
    """Few aliases of one large anchor pass goyaml's ratio check, but not the decoded-size budget."""
    big = "x" * 100_000
    text = f"a: &a {big}\nb: [" + ", ".join(["*a"] * 40) + "]"
    with pytest.raises(DecodeError, match="larger than 3145728 bytes"):
        yaml_to_json_value(text)
    assert len(yaml_to_json_value(f"a: &a {big}\nb: [*a, *a]")["b"]) == 2


def test_aliased_subtrees_are_built_once_and_shared() -> None:
    value = yaml_to_json_value("a: &a {x: [1, 2]}\nb: *a\nc: *a")
    assert value["a"] is value["b"] is value["c"]
