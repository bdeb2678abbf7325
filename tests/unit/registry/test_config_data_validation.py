"""ConfigMap and Secret validation (core ValidateConfigMap(Update), ValidateSecret(Update)), table-driven."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from mockapi.registry.kindvalidation.configdata import validate_config_map, validate_secret
from mockapi.registry.validation import config_map_key_errors

KEY_MSG = (
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or "
    "'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
)

KEYS: list[tuple[str, list[str]]] = [
    ("a", []),
    ("app.properties", []),
    ("A_b-c.1", []),
    (".hidden", []),
    ("", [KEY_MSG]),
    ("b/c", [KEY_MSG]),
    ("a b", [KEY_MSG]),
    (".", ["must not be '.'"]),
    ("..", ["must not be '..'"]),
    ("..a", ["must not start with '..'"]),
    ("a" * 253, []),
    ("a" * 254, ["must be no more than 253 characters"]),
    ("a\n", [KEY_MSG]),
]


@pytest.mark.parametrize(("key", "messages"), KEYS)
def test_config_keys(key: str, messages: list[str]) -> None:
    assert config_map_key_errors(key) == messages


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


CONFIG_MAPS: list[tuple[dict[str, Any], dict[str, Any] | None, list[str]]] = [
    ({"data": {"a": "1"}, "binaryData": {"b": _b64("x")}}, None, []),
    ({"data": {"b/c": "1"}}, None, [f'data[b/c]: Invalid value: "b/c": {KEY_MSG}']),
    ({"binaryData": {"..x": _b64("x")}}, None, ["binaryData[..x]: Invalid value: \"..x\": must not start with '..'"]),
    (
        {"data": {"k": "1"}, "binaryData": {"k": _b64("x")}},
        None,
        ['data[k]: Invalid value: "k": duplicate of key present in binaryData'],
    ),
    (
        {"data": {"a": "x" * (1024 * 1024 + 1)}},
        None,
        ["[]: Too long: may not be more than 1048576 bytes"],
    ),  # field.NewPath("") prints as []
    ({"immutable": True, "data": {"a": "1"}}, {"immutable": True, "data": {"a": "1"}}, []),
    (
        {"immutable": True, "data": {"a": "2"}},
        {"immutable": True, "data": {"a": "1"}},
        ["data: Forbidden: field is immutable when `immutable` is set"],
    ),
    (
        {"data": {"a": "1"}},
        {"immutable": True, "data": {"a": "1"}},
        ["immutable: Forbidden: field is immutable when `immutable` is set"],
    ),
    ({"immutable": True, "data": {"a": "2"}}, {"data": {"a": "1"}}, []),
]


@pytest.mark.parametrize(("obj", "old", "messages"), CONFIG_MAPS)
def test_config_maps(obj: dict[str, Any], old: dict[str, Any] | None, messages: list[str]) -> None:
    assert [str(e) for e in validate_config_map(obj, old)] == messages


SECRETS: list[tuple[dict[str, Any], dict[str, Any] | None, list[str]]] = [
    ({"type": "Opaque", "data": {"a": _b64("1")}}, None, []),
    ({"data": {"a/b": _b64("1")}}, None, [f'data[a/b]: Invalid value: "a/b": {KEY_MSG}']),
    ({"type": "kubernetes.io/tls", "data": {"tls.crt": _b64("c")}}, None, ["data[tls.key]: Required value"]),
    (
        {"type": "kubernetes.io/basic-auth", "data": {}},
        None,
        ["data[username]: Required value", "data[password]: Required value"],
    ),
    ({"type": "kubernetes.io/basic-auth", "data": {"password": ""}}, None, []),
    ({"type": "kubernetes.io/ssh-auth", "data": {}}, None, ["data[ssh-privatekey]: Required value"]),
    (
        {"type": "kubernetes.io/service-account-token", "metadata": {}},
        None,
        ["metadata.annotations[kubernetes.io/service-account.name]: Required value"],
    ),
    (
        {"type": "kubernetes.io/dockerconfigjson", "data": {".dockerconfigjson": _b64("[1]")}},
        None,
        [
            'data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": json: cannot unmarshal array '
            "into Go value of type map[string]interface {}"
        ],
    ),
    ({"type": "kubernetes.io/dockerconfigjson", "data": {".dockerconfigjson": _b64('{"auths":{}}')}}, None, []),
    ({"type": "Opaque"}, {"type": "kubernetes.io/tls"}, ['type: Invalid value: "Opaque": field is immutable']),
    (
        {"immutable": True, "data": {"a": _b64("2")}},
        {"immutable": True, "data": {"a": _b64("1")}},
        ["data: Forbidden: field is immutable when `immutable` is set"],
    ),
]


@pytest.mark.parametrize(("obj", "old", "messages"), SECRETS)
def test_secrets(obj: dict[str, Any], old: dict[str, Any] | None, messages: list[str]) -> None:
    assert [str(e) for e in validate_secret(obj, old)] == messages
