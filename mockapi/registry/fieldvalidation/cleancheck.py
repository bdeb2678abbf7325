"""Does a decoded body decode cleanly? The common case of field validation, answered without bookkeeping.

`Decoder` keeps the field path, the Go struct and the field stack at every step, because its messages
need them; nearly every body meets none of them (no unknown field, no mistyped value). `decodes_cleanly`
walks the same tree by the same rules and says only whether the decoder would find nothing at all: no
error, no strict error, no unknown field. Anything it does not decide cheaply (a float, base64 bytes,
a mistyped value) answers False, and the caller runs the decoder, whose answer is then the result; so
a True here is always the decoder's answer, never a guess.
"""

from __future__ import annotations

from typing import Any

from mockapi.registry.fieldvalidation import gotypes as t
from mockapi.registry.fieldvalidation.decoder import Num, parse_int
from mockapi.registry.fieldvalidation.goscalars import RFC3339, RFC3339_MICRO, quantity_error, time_error


def decodes_cleanly(go_type: t.GoType, value: Any) -> bool:
    """`value` is a tree of dicts, lists, str, int, bool and None, as orjson decodes a body (no repeated
    key, no `Num`, no `Pairs`)."""
    kind = go_type.kind
    cls = type(value)
    if value is None or kind == t.RAW:
        return True
    if kind in t.CUSTOM:
        return _custom(kind, value, cls)
    if cls is dict:
        if kind == t.STRUCT:
            fields = go_type.fields
            for key, member in value.items():
                found = fields.get(key)
                if found is None:
                    if not go_type.preserve_unknown:
                        return False
                elif not decodes_cleanly(found.type, member):
                    return False
            return True
        if kind == t.MAP:
            elem = go_type.elem
            assert elem is not None
            return all(decodes_cleanly(elem, member) for member in value.values())
        if kind == t.INTERFACE:
            return all(decodes_cleanly(t.INTERFACE_TYPE, member) for member in value.values())
        return False
    if cls is list:
        if kind == t.SLICE:
            elem = go_type.elem
            assert elem is not None
            return all(decodes_cleanly(elem, item) for item in value)
        if kind == t.INTERFACE:
            return all(decodes_cleanly(t.INTERFACE_TYPE, item) for item in value)
        return False  # bytes from an array, or a type error
    if cls is str:
        return kind == t.STRING or kind == t.INTERFACE
    if cls is bool:
        return kind == t.BOOL or kind == t.INTERFACE
    if cls is int:
        if kind == t.INT:
            return parse_int(Num(value), go_type.bits) is not None
        return kind == t.INTERFACE and parse_int(Num(value), 64) is not None
    return False  # a float (its literal is lost) or anything unforeseen


def _custom(kind: str, value: Any, cls: type) -> bool:
    if kind == t.QUANTITY:
        return cls is str and quantity_error(value) is None
    if kind == t.INT_OR_STRING:
        return cls is str or (cls is int and parse_int(Num(value), 32) is not None)
    if kind in (t.TIME, t.MICRO_TIME):
        return cls is str and time_error(RFC3339 if kind == t.TIME else RFC3339_MICRO, value) is None
    return False
