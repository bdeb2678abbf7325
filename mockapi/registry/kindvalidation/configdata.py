"""ConfigMap and Secret validation (core ValidateConfigMap(Update), ValidateSecret(Update)), 1.33.

Data keys must be config keys (util/validation `IsConfigMapKey`); a ConfigMap key may not be in both
`data` and `binaryData` (reported once, on `data`); the data together stays within 1 MiB; an `immutable`
object keeps its data; each Secret type requires its keys, and a Secret's type never changes.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

import orjson

from mockapi.api.errors import FieldError, forbidden_field, invalid, required
from mockapi.api.golang import json_kind
from mockapi.api.jsonsyntax import syntax_error
from mockapi.api.types import Obj
from mockapi.registry.validation import config_map_key_errors

MAX_SECRET_SIZE = 1024 * 1024
"""core.MaxSecretSize: the limit for a ConfigMap's or a Secret's data, in bytes."""
_IMMUTABLE = "field is immutable when `immutable` is set"


def _map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _key_errors(path: str, data: dict[str, Any]) -> list[FieldError]:
    return [invalid(f"{path}[{key}]", key, msg) for key in sorted(data) for msg in config_map_key_errors(key)]


def _decoded_size(value: Any) -> int:
    try:
        return len(base64.b64decode(str(value), validate=False))
    except (binascii.Error, ValueError):
        return len(str(value))


def validate_config_map(obj: Obj, old: Obj | None) -> list[FieldError]:
    data, binary = _map(obj.get("data")), _map(obj.get("binaryData"))
    errs: list[FieldError] = []
    if old is not None and old.get("immutable") is True:
        if obj.get("immutable") is not True:
            errs.append(forbidden_field("immutable", _IMMUTABLE))
        if data != _map(old.get("data")):
            errs.append(forbidden_field("data", _IMMUTABLE))
        if binary != _map(old.get("binaryData")):
            errs.append(forbidden_field("binaryData", _IMMUTABLE))
    errs += _key_errors("data", data)
    errs += [invalid(f"data[{k}]", k, "duplicate of key present in binaryData") for k in sorted(data) if k in binary]
    errs += _key_errors("binaryData", binary)
    size = sum(len(str(v).encode()) for v in data.values()) + sum(_decoded_size(v) for v in binary.values())
    if size > MAX_SECRET_SIZE:
        errs.append(FieldError("FieldValueTooLong", "[]", f"Too long: may not be more than {MAX_SECRET_SIZE} bytes"))
    return errs


_TYPE_KEYS = {  # secret type -> keys its data must hold
    "kubernetes.io/dockercfg": (".dockercfg",),
    "kubernetes.io/dockerconfigjson": (".dockerconfigjson",),
    "kubernetes.io/tls": ("tls.crt", "tls.key"),
}


def validate_secret(obj: Obj, old: Obj | None) -> list[FieldError]:
    data = _map(obj.get("data"))
    errs: list[FieldError] = []
    if old is not None:
        if obj.get("type") != old.get("type"):
            errs.append(invalid("type", obj.get("type", ""), "field is immutable"))
        if old.get("immutable") is True:
            if obj.get("immutable") is not True:
                errs.append(forbidden_field("immutable", _IMMUTABLE))
            if data != _map(old.get("data")):
                errs.append(forbidden_field("data", _IMMUTABLE))
    errs += _key_errors("data", data)
    if sum(_decoded_size(v) for v in data.values()) > MAX_SECRET_SIZE:
        errs.append(FieldError("FieldValueTooLong", "data", f"Too long: may not be more than {MAX_SECRET_SIZE} bytes"))
    return errs + _type_errors(obj, data)


def _type_errors(obj: Obj, data: dict[str, Any]) -> list[FieldError]:
    type_ = obj.get("type") or "Opaque"
    if type_ == "kubernetes.io/service-account-token":
        annotations = _map(_map(obj.get("metadata")).get("annotations"))
        if not annotations.get("kubernetes.io/service-account.name"):
            return [required("metadata.annotations[kubernetes.io/service-account.name]")]
        return []
    if type_ == "kubernetes.io/basic-auth":
        if "username" not in data and "password" not in data:
            return [required("data[username]"), required("data[password]")]
        return []
    if type_ == "kubernetes.io/ssh-auth":
        return [] if _decoded_size(data.get("ssh-privatekey", "")) else [required("data[ssh-privatekey]")]
    errs = [required(f"data[{key}]") for key in _TYPE_KEYS.get(type_, ()) if key not in data]
    if type_ in ("kubernetes.io/dockercfg", "kubernetes.io/dockerconfigjson") and not errs:
        key = _TYPE_KEYS[type_][0]
        detail = _json_object_error(data[key])
        if detail:
            errs.append(invalid(f"data[{key}]", "<secret contents redacted>", detail))
    return errs


def _json_object_error(encoded: Any) -> str:
    """What json.Unmarshal into a map says of a docker config ("" when it is a JSON object)."""
    try:
        raw = base64.b64decode(str(encoded))
    except (ValueError, binascii.Error):
        return ""  # not base64: the data's own decoding reports it
    try:
        content = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return syntax_error(raw)[0] or ""
    if isinstance(content, dict) or content is None:
        return ""
    return f"json: cannot unmarshal {json_kind(content)} into Go value of type map[string]interface {{}}"
