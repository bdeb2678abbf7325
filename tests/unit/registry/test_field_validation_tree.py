"""Field validation reads a JSON body once: `decode_json` walks the object the body already decoded to, and
gives what decoding the parsed text gives (`parse_json`: duplicates, number literals, escapes), parsing
the text again only where the object cannot tell."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockapi.api.decoding import DecodeError, json_value
from mockapi.registry.fieldvalidation import gotypes
from mockapi.registry.fieldvalidation.cleancheck import decodes_cleanly
from mockapi.registry.fieldvalidation.decoder import Pairs, decode, parse_json
from mockapi.registry.fieldvalidation.jsonbody import decode_json


def _kind(group: str, kind: str) -> gotypes.GoType:
    found = gotypes.index("1.33").for_kind(group, "v1", kind)
    assert found is not None
    return found


POD, CONFIGMAP, DEPLOYMENT = _kind("", "Pod"), _kind("", "ConfigMap"), _kind("apps", "Deployment")


def assert_same(raw: bytes, go_type: gotypes.GoType = POD) -> bool:
    """decode_json gives decode(parse_json(raw)), or fails as parse_json does; returns whether it parsed."""
    body = json_value(raw)
    try:
        tree = parse_json(raw)
    except ValueError:
        with pytest.raises(ValueError):
            decode_json(go_type, raw, body, True)
        return True
    for strict in (True, False):
        result, parsed = decode_json(go_type, raw, body, strict)
        assert result == decode(go_type, tree, strict)
    return parsed is not None


@pytest.mark.parametrize(
    "raw",
    [
        b'{"kind":"Pod","metadata":{"name":"web-0","labels":{"a":"b"}},"spec":{"containers":[{"name":"c"}]}}',
        b' \n{ "metadata": {"name": "a"}, "spec": {"priority": 0, "containers": [], "x": [1, -2, true, null]} }',
        b'{"metadata":{"annotations":{"q":"quote \\" backslash \\\\ brace { slash \\/ tab \\t"}}}',
        b'{"spec":{"activeDeadlineSeconds":18446744073709551615,"priority":-9223372036854775808}}',
        '{"metadata":{"annotations":{"caf\u00e9":"\u2028 \U0001f600"}}}'.encode(),
        b'{"spec":{"priority":"high","containers":{"a":1},"unknown":{"deep":[{"x":1}]}}}',  # type errors
        b'{"metadata":{"creationTimestamp":"yesterday"}}',  # a fatal error
        b'{"metadata":{"annotations":{"a":"\\":","\\":b":":x"}}}',  # strings holding `":`, written alike
        b"{}",
    ],
)
def test_ordinary_bodies_are_not_parsed_again(raw: bytes) -> None:
    assert assert_same(raw) is False


@pytest.mark.parametrize(
    "raw",
    [
        b'{"metadata":{"name":"a"},"metadata":{"labels":{"x":"y"}}}',  # a repeated key
        b'{"metadata":{"annotations":{"a":"\\":","a":"b"}}}',  # ... whose dropped value held `":`
        b'{"spec":{"containers":[{"name":"a","name":"b"}]}}',
        b'{"metadata":{"name":"x","\\u006eame":"y"}}',  # the same key, escaped
        b'{"spec":{"priority":1.0,"activeDeadlineSeconds":1e3}}',  # literals a float does not spell back
        b'{"spec":{"priority":1.5}}',
        b'{"metadata" :{"name":"a"}}',  # a space before the colon: keys are not counted
        b'{"metadata":{"annotations":{"a":"\\u00e9"}}}',
        b'{"metadata":{"annotations":{"a":"\\ud800"}}}',  # a lone surrogate (Go writes U+FFFD)
        b'{"spec":{"priority":123456789012345678901234567890}}',
        b'{"metadata":{"annotations":{"a":"\xff"}}}',  # not UTF-8: the standard library refuses it
        b'{"metadata":{"annotations":{"a":"' + b"x" * 40_000 + b'"}}}',  # past the limit
    ],
)
def test_bodies_the_object_cannot_describe_are_parsed_again(raw: bytes) -> None:
    assert assert_same(raw) is True


def test_minus_zero_decodes_as_zero_does() -> None:
    for go_type in (POD, DEPLOYMENT):
        assert assert_same(b'{"spec":{"replicas":-0,"priority":-0,"overhead":{"cpu":-0}}}', go_type) is False


def test_a_body_that_is_no_json_object_is_parsed_again() -> None:
    with pytest.raises(ValueError):
        decode_json(POD, b"k8s\x00protobuf: bytes", {"kind": "Pod"}, True)  # a protobuf body is never JSON


_NUMBERS = st.sampled_from(["0", "-0", "7", "-12", "1.5", "2.0", "1e3", "300", "18446744073709551616", "-0.0"])
_STRINGS = st.text(max_size=6) | st.sampled_from(['a\\"b', 'x\\":', "a\\\\", "\\u0041", "x:y", "\\n", ":", "2Gi"])
_KEYS = st.sampled_from(
    ["metadata", "name", "labels", "spec", "containers", "ports", "containerPort", "replicas", "priority", "x:y",
     'q\\"', "\\u006eame", "resources", "limits", "cpu", "selector", "template", "data"]
)  # fmt: skip
_SPACES = st.sampled_from(["", "", " ", "\n  "])


def _text(value: Any, space: str) -> str:
    if isinstance(value, tuple):  # an object: its members, keys possibly repeated
        return "{" + ",".join(f'{space}"{k}"{space}:{space}{_text(v, space)}' for k, v in value) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_text(v, space) for v in value) + "]"
    if isinstance(value, dict):
        return json.dumps(value["string"])
    return str(value)


_VALUES = st.recursive(
    _NUMBERS | st.sampled_from(["true", "false", "null"]) | _STRINGS.map(lambda s: {"string": s}),
    lambda inner: st.lists(inner, max_size=3) | st.lists(st.tuples(_KEYS, inner), max_size=4).map(tuple),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(members=st.lists(st.tuples(_KEYS, _VALUES), max_size=4), space=_SPACES)
def test_generated_bodies(members: list[tuple[str, Any]], space: str) -> None:
    raw = _text(tuple(members), space).encode("utf-8", "surrogatepass")
    try:
        json_value(raw)
    except DecodeError:
        return  # refused before field validation
    for go_type in (POD, CONFIGMAP, DEPLOYMENT):
        assert_same(raw, go_type)


SECRET = _kind("", "Secret")


@pytest.mark.parametrize(
    ("go_type", "raw", "clean"),
    [
        (DEPLOYMENT, b'{"spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"c","ports":[]}]}}}}', True),
        (DEPLOYMENT, b'{"spec":{"replicas":2147483648}}', False),  # past int32
        (POD, b'{"spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":"100m"}}}]}}', True),
        (POD, b'{"spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":"lots"}}}]}}', False),
        (POD, b'{"spec":{"containers":[{"name":"c","ports":[{"containerPort":80}]}]}}', True),
        (POD, b'{"spec":{"containers":[{"livenessProbe":{"httpGet":{"port":"http"}}}]}}', True),  # IntOrString
        (POD, b'{"spec":{"containers":[{"livenessProbe":{"httpGet":{"port":true}}}]}}', False),
        (POD, b'{"metadata":{"creationTimestamp":"2026-01-01T00:00:00Z"}}', True),
        (POD, b'{"metadata":{"creationTimestamp":"yesterday"}}', False),
        (POD, b'{"metadata":{"name":1}}', False),
        (POD, b'{"metadata":{"labels":{"a":null}},"spec":null}', True),
        (POD, b'{"spec":{"unknown":1}}', False),
        (SECRET, b'{"data":{"k":"dmFsdWU="}}', False),  # bytes: left to the decoder, which accepts them
    ],
)
def test_the_clean_check_answers_true_only_when_the_decoder_finds_nothing(
    go_type: gotypes.GoType, raw: bytes, clean: bool
) -> None:
    body = json.loads(raw)
    assert decodes_cleanly(go_type, body) is clean
    if clean:
        assert decode(go_type, parse_json(raw), True) == decode(go_type, parse_json(raw), False)
        assert decode(go_type, parse_json(raw), True).error is None
        assert not decode(go_type, parse_json(raw), True).strict
        assert not decode(go_type, parse_json(raw), True).unknown


@settings(max_examples=300, deadline=None)
@given(members=st.lists(st.tuples(_KEYS, _VALUES), max_size=4))
def test_the_clean_check_never_says_clean_when_the_decoder_finds_something(members: list[tuple[str, Any]]) -> None:
    raw = _text(tuple(members), "").encode("utf-8", "surrogatepass")
    try:
        body = json_value(raw)
        tree = parse_json(raw)
    except (DecodeError, ValueError):
        return
    if _repeats(tree):
        return  # the check is only asked of objects no repeated key was lost from (decode_json sees to it)
    for go_type in (POD, CONFIGMAP, DEPLOYMENT):
        if decodes_cleanly(go_type, body):
            result = decode(go_type, tree, True)
            assert result.error is None and not result.strict and not result.unknown


def _repeats(tree: Any) -> bool:
    if isinstance(tree, Pairs):
        return len({k for k, _ in tree}) != len(tree) or any(_repeats(v) for _, v in tree)
    return isinstance(tree, list) and any(_repeats(v) for v in tree)
