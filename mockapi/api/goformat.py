"""How Go prints values in the messages kube-apiserver quotes (field validation, managed fields, YAML).

* `go_quote`: `strconv.Quote` (and `%q`): printable runes kept, `\\a \\b \\f \\n \\r \\t \\v`, `\\xNN`, `\\uNNNN`.
* `go_json_float`: `encoding/json`'s float encoding (`'f'` shortest, `'e'` below 1e-6 or from 1e21 on).
* `go_sprint`: `fmt.Sprintf("%v")` of decoded JSON (`map[a:1 b:[x y]]`, keys sorted, as fmt sorts them).
* `go_sharp_v`: `%#v` of a YAML map key (goyaml.v2's `key %#v already set in map`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from mockapi.api.golang import go_quote


def _shortest(value: float) -> tuple[str, str, int]:
    """(sign, digits, dp): value = sign 0.digits x 10^dp with the fewest digits that round-trip."""
    sign, digits, exponent = Decimal(repr(value)).as_tuple()
    text = "".join(map(str, digits)).rstrip("0")
    assert isinstance(exponent, int)
    if not text:
        return ("-" if sign else ""), "0", 1
    dp = len(digits) + exponent  # position of the decimal point, counted from the first digit
    return ("-" if sign else ""), text, dp


def _fixed(sign: str, digits: str, dp: int) -> str:
    if dp <= 0:
        return f"{sign}0.{'0' * -dp}{digits}"
    if dp >= len(digits):
        return f"{sign}{digits}{'0' * (dp - len(digits))}"
    return f"{sign}{digits[:dp]}.{digits[dp:]}"


def _exponent(sign: str, digits: str, dp: int, min_digits: int) -> str:
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    exp = dp - 1
    return f"{sign}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):0{min_digits}d}"


def go_json_float(value: float) -> str:
    """A float64 as encoding/json writes it."""
    if value == 0:
        return "-0" if repr(value).startswith("-") else "0"
    sign, digits, dp = _shortest(value)
    if abs(value) < 1e-6 or abs(value) >= 1e21:
        return _exponent(sign, digits, dp, 1)
    return _fixed(sign, digits, dp)


def go_float_g(value: float) -> str:
    """strconv.FormatFloat(f, 'g', -1, 64): what %v and %#v print for a float64."""
    if value == 0:
        return "-0" if repr(value).startswith("-") else "0"
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    sign, digits, dp = _shortest(value)
    exp = dp - 1
    if exp < -4 or exp >= 6:  # shortest formatting decides with precision 6
        return _exponent(sign, digits, dp, 2)
    return _fixed(sign, digits, dp)


def go_sprint(value: Any) -> str:
    """fmt's %v (and %+v) of a value decoded from JSON into interface{} (ints as int64)."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_float_g(value)
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_sprint(value[k])}" for k in sorted(value)) + "]"
    if isinstance(value, list):
        return "[" + " ".join(go_sprint(v) for v in value) + "]"
    return str(value)


def go_sharp_v(value: Any) -> str:
    """%#v of a scalar decoded by goyaml.v2 into interface{}."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_float_g(value)
    if isinstance(value, str):
        return go_quote(value)
    return go_quote(str(value))
