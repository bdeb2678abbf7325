"""A JSON request body decoded into its kind's Go type from the object it was already decoded to.

`decode_json` walks the object orjson made of the body wherever it is exactly the tree `parse_json` would
make of the text, so the body is parsed once; otherwise (a key repeats, a float's literal is lost, escapes
or text the two parsers might read apart, a body too large to be worth scanning) it parses the text.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

from mockapi.registry.fieldvalidation import gotypes as t
from mockapi.registry.fieldvalidation.cleancheck import decodes_cleanly
from mockapi.registry.fieldvalidation.decoder import Decoder, FloatMet, Result, decode, parse_json

_OBJECT = re.compile(rb"[ \t\r\n]*\{")
_SPACED_KEY = re.compile(rb'"\s+:')
_DICT_MODE_LIMIT = 32 * 1024
"""Past this, scanning the text costs more than parsing it again for the (string-heavy) bodies that big."""


def decode_json(go_type: t.GoType, raw: bytes, body: Any, strict: bool) -> tuple[Result, Any]:
    """`decode(go_type, parse_json(raw), strict)`, walking `body` (what `raw` already decoded to with
    orjson) instead of parsing `raw` again wherever that gives the same result; also the tree, when `raw`
    was parsed (only then may a key repeat), else None. ValueError when `raw` is no JSON to parse.

    `body` is the tree when `raw` is a JSON object in UTF-8 without `\\u` escapes (orjson and the standard
    library then read every string alike) in which no key repeats, and has no float (whose literal is
    lost; integers are spelt as written, `-0` aside, which decodes wherever `0` does). No key repeats when
    `raw` holds as many `":` as `body` written compactly: with no space before a colon, each key ends in
    one, and elsewhere `":` only occurs within a string (a `"` in one is always escaped), written alike
    in both; a repeated key that orjson dropped, with its value, would leave `body` short of some.
    """
    if (
        len(raw) <= _DICT_MODE_LIMIT
        and isinstance(body, dict)
        and _OBJECT.match(raw) is not None
        and plain_text(raw)
        and _SPACED_KEY.search(raw) is None
        and raw.count(b'":') == orjson.dumps(body).count(b'":')
    ):
        if decodes_cleanly(go_type, body):
            return Result(None, []), None  # what the decoder would say, sooner
        try:
            return Decoder(strict).decode(go_type, body), None
        except FloatMet:
            pass
    tree = parse_json(raw)
    return decode(go_type, tree, strict), tree


def plain_text(raw: bytes) -> bool:
    """UTF-8 without `\\u` escapes: text orjson always reads, and reads as the standard library does."""
    if b"\\" in raw and b"\\u" in raw:
        return False
    if raw.isascii():
        return True
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
