"""The protobuf wire format: varints, tags and the four wire types, reading and writing.

Only what Kubernetes' generated.proto files use is interpreted (varint, 64-bit, length-delimited and
32-bit values); groups (wire types 3/4) are rejected. Errors are `WireError`; the decoder turns them
into 400 BadRequest with the path of the field being read.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

VARINT, FIXED64, LEN, FIXED32 = 0, 1, 2, 5
WIRE_TYPE_NAMES = {0: "varint", 1: "64-bit", 2: "length-delimited", 3: "start-group", 4: "end-group", 5: "32-bit"}

WireValue = int | bytes
"""A varint or fixed value as an unsigned int, or the payload of a length-delimited field."""


class WireError(ValueError):
    """Malformed protobuf bytes."""


def read_varint(data: bytes, pos: int) -> tuple[int, int]:
    """(value, next position); at most 10 bytes, as in every protobuf implementation."""
    value = shift = 0
    for i in range(pos, min(pos + 10, len(data))):
        b = data[i]
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value & 0xFFFFFFFFFFFFFFFF, i + 1
        shift += 7
    if pos + 10 <= len(data):
        raise WireError(f"varint at offset {pos} is longer than 10 bytes")
    raise WireError(f"truncated varint at offset {pos}")


def iter_fields(data: bytes) -> Iterator[tuple[int, int, WireValue]]:
    """(field number, wire type, value) for every field of one message, in wire order."""
    pos, end = 0, len(data)
    while pos < end:
        key, pos = read_varint(data, pos)
        number, wire_type = key >> 3, key & 7
        if number == 0 or number > 0x1FFFFFFF:
            raise WireError(f"invalid field number {number}")
        value: WireValue
        if wire_type == VARINT:
            value, pos = read_varint(data, pos)
        elif wire_type == FIXED64:
            if pos + 8 > end:
                raise WireError(f"truncated 64-bit value of field {number}")
            value, pos = int.from_bytes(data[pos : pos + 8], "little"), pos + 8
        elif wire_type == FIXED32:
            if pos + 4 > end:
                raise WireError(f"truncated 32-bit value of field {number}")
            value, pos = int.from_bytes(data[pos : pos + 4], "little"), pos + 4
        elif wire_type == LEN:
            length, pos = read_varint(data, pos)
            if pos + length > end:
                raise WireError(f"field {number}: length {length} runs past the end of the message")
            value, pos = data[pos : pos + length], pos + length
        else:
            raise WireError(f"field {number}: unsupported wire type {WIRE_TYPE_NAMES.get(wire_type, wire_type)}")
        yield number, wire_type, value


def iter_packed(data: bytes, wire_type: int) -> Iterator[int]:
    """The elements of a packed repeated scalar field, as unsigned ints."""
    pos = 0
    while pos < len(data):
        if wire_type == VARINT:
            value, pos = read_varint(data, pos)
        else:
            size = 8 if wire_type == FIXED64 else 4
            if pos + size > len(data):
                raise WireError("truncated packed value")
            value, pos = int.from_bytes(data[pos : pos + size], "little"), pos + size
        yield value


def signed(value: int, bits: int) -> int:
    """Two's-complement reinterpretation of the low `bits` bits."""
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def zigzag_decode(value: int) -> int:
    return (value >> 1) ^ -(value & 1)


def zigzag_encode(value: int, bits: int) -> int:
    return ((value << 1) ^ (value >> (bits - 1))) & ((1 << bits) - 1)


def float64(value: int) -> float:
    return float(struct.unpack("<d", value.to_bytes(8, "little"))[0])


def float32(value: int) -> float:
    return float(struct.unpack("<f", value.to_bytes(4, "little"))[0])


# -- writing --------------------------------------------------------------------------------------------


def varint(value: int) -> bytes:
    """Unsigned varint; negative ints are written as their 64-bit two's complement (10 bytes)."""
    value &= 0xFFFFFFFFFFFFFFFF
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def key(number: int, wire_type: int) -> bytes:
    return varint(number << 3 | wire_type)


def length_delimited(number: int, payload: bytes) -> bytes:
    return key(number, LEN) + varint(len(payload)) + payload
