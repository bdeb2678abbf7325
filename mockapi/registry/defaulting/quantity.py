"""resource.Quantity in JSON form: parse, compare and print the way apimachinery does.

A client may send `cpu: 0.5`, `memory: 1024Mi` or `cpu: 2`; kube-apiserver answers `500m`, `1Gi`, `"2"`,
because every Quantity is re-serialized in canonical form, and `SetDefaults_ResourceList` first rounds
resource lists up to milli precision. The canonical form keeps the suffix family the client used:

    DecimalSI   ("", m, k, M, G, ...)  -> mantissa * 10^(3n), smallest integral mantissa: 1500m, 2k, 100M
    BinarySI    (Ki, Mi, Gi, ...)      -> mantissa * 1024^n when integral and |v| >= 1024, else DecimalSI
    DecimalExponent (1e3, 2E-3)        -> mantissa * 10^(3n) printed as `e<exp>`

Values outside int64 precision (infDecAmount in Go) are not modelled.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from mockapi.registry.defaulting._fields import Obj

Format = Literal["DecimalSI", "BinarySI", "DecimalExponent"]

_DECIMAL_SUFFIXES: dict[str, int] = {
    "n": -9,
    "u": -6,
    "m": -3,
    "": 0,
    "k": 3,
    "M": 6,
    "G": 9,
    "T": 12,
    "P": 15,
    "E": 18,
}
_DECIMAL_BY_EXP = {exp: suffix for suffix, exp in _DECIMAL_SUFFIXES.items()}
_BINARY_SUFFIXES: dict[str, int] = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_BINARY_BY_EXP = {exp: suffix for suffix, exp in _BINARY_SUFFIXES.items()}

_QUANTITY = re.compile(r"^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))([eE][+-]?[0-9]+|[A-Za-z]*)$")


@dataclass(frozen=True, slots=True)
class Quantity:
    value: Fraction
    """The exact amount."""
    format: Format
    """The suffix family the client wrote, which the canonical form keeps."""


def parse(raw: Any) -> Quantity | None:
    """A Quantity from its JSON form (a string, or a bare number), None when it is not one."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return Quantity(Fraction(raw), "DecimalSI")
    if isinstance(raw, float):
        if not math.isfinite(raw):
            return None
        raw = repr(raw)
    if not isinstance(raw, str):
        return None
    match = _QUANTITY.match(raw.strip())
    if match is None:
        return None
    number, suffix = match.groups()
    try:
        mantissa = Fraction(number)
    except ValueError:
        return None
    if suffix in _BINARY_SUFFIXES:
        return _nano(mantissa * 2 ** _BINARY_SUFFIXES[suffix], "BinarySI")
    if suffix in _DECIMAL_SUFFIXES:
        return _nano(mantissa * Fraction(10) ** _DECIMAL_SUFFIXES[suffix], "DecimalSI")
    if suffix[:1] in ("e", "E") and suffix[1:].lstrip("+-").isdigit():
        return _nano(mantissa * Fraction(10) ** int(suffix[1:]), "DecimalExponent")
    return None


def _nano(value: Fraction, fmt: Format) -> Quantity:
    """ParseQuantity keeps at most nano precision, rounding away from zero."""
    scaled = value * 10**9
    if scaled.denominator != 1:
        step = math.ceil(abs(scaled))
        value = Fraction(step if scaled > 0 else -step, 10**9)
    return Quantity(value, fmt)


def round_up_milli(q: Quantity) -> Quantity:
    """Quantity.RoundUp(-3): anything finer than 1m becomes the next milli step."""
    scaled = q.value * 1000
    if scaled.denominator == 1:
        return q
    return Quantity(Fraction(math.ceil(scaled), 1000), q.format)


def canonical(q: Quantity) -> str:
    """Quantity.String()."""
    value = q.value
    if value == 0:
        return "0"
    fmt = q.format
    if fmt == "BinarySI" and (-1024 < value < 1024 or value.denominator != 1):
        fmt = "DecimalSI"
    if fmt == "BinarySI":
        amount, exp = int(value), 0
        while amount % 1024 == 0 and exp < 60:
            amount //= 1024
            exp += 10
        return f"{amount}{_BINARY_BY_EXP.get(exp, '')}"
    mantissa, exp = _base10(value)
    if fmt == "DecimalExponent":
        return f"{mantissa}e{exp}" if exp else str(mantissa)
    suffix = _DECIMAL_BY_EXP.get(exp)
    return f"{mantissa}{suffix}" if suffix is not None else f"{mantissa}e{exp}"


def _base10(value: Fraction) -> tuple[int, int]:
    """value = mantissa * 10**exp with exp a multiple of 3 and the mantissa as small as that allows."""
    exp = 0
    while value.denominator != 1 and exp > -40:  # decimal input: denominators are 2^a * 5^b
        value *= 10
        exp -= 1
    mantissa = int(value)
    while mantissa % 10 == 0:
        mantissa //= 10
        exp += 1
    shift = exp % 3
    return mantissa * 10**shift, exp - shift


def normalize(raw: Any, *, round_milli: bool) -> Any:
    """The canonical string for a Quantity; anything unparseable comes back unchanged."""
    q = parse(raw)
    if q is None:
        return raw
    return canonical(round_up_milli(q) if round_milli else q)


def normalize_resource_list(obj: Obj, key: str) -> None:
    """SetDefaults_ResourceList plus serialization: round to milli, canonical strings, omit if empty."""
    value = obj.get(key)
    if value is None or value == {}:
        obj.pop(key, None)
        return
    if isinstance(value, dict):
        for name, amount in value.items():
            value[name] = normalize(amount, round_milli=True)


def compare(a: Quantity, b: Quantity) -> int:
    """Quantity.Cmp: -1, 0 or 1."""
    return (a.value > b.value) - (a.value < b.value)
