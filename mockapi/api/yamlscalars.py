"""YAML scalars as goyaml.v2 resolves them when decoding into interface{} (resolve.go), and the text
sigs.k8s.io/yaml makes of a float mapping key.

Plain scalars follow YAML 1.1 as goyaml.v2 reads it: `y`/`yes`/`on` are true, `~`/`null` and "" are null,
integers parse with strconv.ParseInt's base prefixes (`0x1F`, `0b101`, `010` octal), a number beyond 64 bits
is a float, one ParseFloat refuses (`1e400`) stays a string, timestamps stay their text.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import struct
from typing import Any

from mockapi.api.decoding import DecodeError

_TAG = "tag:yaml.org,2002:"
_STR, _BOOL, _INT, _FLOAT, _TIMESTAMP, _BINARY, MERGE_TAG = (
    _TAG + t for t in ("str", "bool", "int", "float", "timestamp", "binary", "merge")
)
_RESOLVABLE = {"", _STR, _BOOL, _INT, _FLOAT, _TIMESTAMP}

_RESOLVE_MAP: dict[str, tuple[str, Any]] = {}
for _value, _tag, _words in (
    (True, _BOOL, "y Y yes Yes YES true True TRUE on On ON"),
    (False, _BOOL, "n N no No NO false False FALSE off Off OFF"),
    (None, "null", "~ null Null NULL"),
    (math.nan, _FLOAT, ".nan .NaN .NAN"),
    (math.inf, _FLOAT, ".inf .Inf .INF +.inf +.Inf +.INF"),
    (-math.inf, _FLOAT, "-.inf -.Inf -.INF"),
):
    for _word in _words.split():
        _RESOLVE_MAP[_word] = (_tag, _value)
_RESOLVE_MAP[""] = ("null", None)
_MAP_HINTS = set("yYnNtTfFoO~")
# the layouts goyaml.v2 tries: 2006-1-2T15:4:5.999999999Z07:00 (or t, or a space and no zone), 2006-1-2
_TIMESTAMP_RE = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?)?"
)
_FLOAT_RE = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_GO_INT_RE = re.compile(r"[+-]?(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[1-9][0-9]*|0)")
INT64_RANGE = (-(2**63), 2**63 - 1)
STR_TAG = _STR


def resolve_scalar(tag: str, text: str) -> Any:
    """goyaml.v2's resolve() of a scalar decoded into interface{} (timestamps stay strings); `tag` is ""
    for a plain scalar without one. DecodeError with goyaml's words for a value its tag refuses."""
    if tag == _BINARY:
        try:
            return base64.b64decode(text.encode(), validate=False).decode("utf-8", errors="replace")
        except (binascii.Error, ValueError):
            raise DecodeError(
                "error converting YAML to JSON: yaml: !!binary value contains invalid base64 data"
            ) from None
    if tag not in _RESOLVABLE:
        return text  # an unknown tag: the text, as goyaml.v2 leaves it
    resolved_tag, value = _resolve(text) if tag != _STR else (_STR, text)
    if tag in ("", _STR, resolved_tag):
        return value
    if tag == _FLOAT and resolved_tag == _INT:
        return float(value)
    if tag == _TIMESTAMP and _TIMESTAMP_RE.fullmatch(text):
        return text  # goyaml.v2 keeps a timestamp's text when decoding into interface{}
    short = {"null": "!!null"}.get(resolved_tag, "!!" + resolved_tag.removeprefix(_TAG))
    raise DecodeError(
        f"error converting YAML to JSON: yaml: cannot decode {short} `{text}` as a !!{tag.removeprefix(_TAG)}"
    )


def _resolve(text: str) -> tuple[str, Any]:
    hint = text[:1]
    if text in _RESOLVE_MAP and (not hint or hint in _MAP_HINTS or hint in "+-."):
        return _RESOLVE_MAP[text]
    if hint == ".":
        number = _go_float(text)
        return (_FLOAT, number) if number is not None else (_STR, text)
    if hint and (hint.isdigit() or hint in "+-"):
        plain = text.replace("_", "")
        integer = _go_int(plain)
        if integer is not None and (
            INT64_RANGE[0] <= integer <= INT64_RANGE[1] or (0 <= integer < 2**64 and plain[0] != "+")
        ):
            return _INT, integer
        if _FLOAT_RE.fullmatch(plain):
            number = _go_float(plain)
            if number is not None:
                return _FLOAT, number
    return _STR, text


def _go_int(text: str) -> int | None:
    """strconv.ParseInt(s, 0, 64)'s syntax: sign, then 0x/0b/0o prefixes or a leading 0 for octal."""
    if not _GO_INT_RE.fullmatch(text):
        return None
    sign = -1 if text[0] == "-" else 1
    body = text.lstrip("+-").lower()
    if body.startswith("0x"):
        return sign * int(body[2:], 16)
    if body.startswith("0b"):
        return sign * int(body[2:], 2)
    if body.startswith("0o"):
        return sign * int(body[2:], 8)
    if len(body) > 1 and body[0] == "0":
        return sign * int(body[1:], 8)
    return sign * int(body)


def _go_float(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None  # ParseFloat reports a range error


def float32_key(value: float) -> str:
    """strconv.FormatFloat(f, 'g', -1, 32) with goyaml's names for infinities and NaN."""
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    f32 = struct.unpack("f", struct.pack("f", value))[0]
    if f32 == 0:
        return "0"
    for precision in range(1, 10):
        text = f"{f32:.{precision - 1}e}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == f32:
            break
    mantissa, _, exp_text = text.partition("e")
    sign = "-" if mantissa.startswith("-") else ""
    digits = mantissa.lstrip("-").replace(".", "").rstrip("0") or "0"
    exp = int(exp_text)
    if exp < -4 or exp >= 6:  # shortest formatting decides with precision 6
        mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mant}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    dp = exp + 1
    if dp <= 0:
        return f"{sign}0.{'0' * -dp}{digits}"
    if dp >= len(digits):
        return f"{sign}{digits}{'0' * (dp - len(digits))}"
    return f"{sign}{digits[:dp]}.{digits[dp:]}"
