"""Go semantics the strategic merge patch port needs to reproduce kube-apiserver to the byte.

Strategic merge patch works on Go's `map[string]interface{}` form of JSON. Where the Python port must
behave exactly like Go, the rules live here:

* equality of `interface{}` values (`==`): a JSON integer (Go `int64`) never equals a JSON float
  (`float64`), and `true` never equals `1` — unlike Python;
* `fmt` printing (`%v`, `%s`) and `reflect.TypeOf` names, which appear verbatim in error messages;
* `sort.SliceStable`, whose result the patch package exposes because some of its comparators are not
  strict weak orders (items missing from the ordering list compare "less" both ways).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from mockapi.api.golang import reflect_type

NIL = "<nil>"


def same_type(a: Any, b: Any) -> bool:
    """`reflect.TypeOf(a) == reflect.TypeOf(b)`."""
    return type(a) is type(b)


def hash_key(value: Any) -> tuple[str, Any] | None:
    """A dictionary key with Go `==` semantics for a comparable value; None for maps and slices."""
    if isinstance(value, dict | list):
        return None
    return (type(value).__name__, value)


def go_eq(a: Any, b: Any) -> bool:
    """Go's `==` on two `interface{}` values holding JSON data (maps and slices never compare equal here;
    Go would panic on them, which no well-formed patch reaches)."""
    ka, kb = hash_key(a), hash_key(b)
    return ka is not None and ka == kb


def _go_float(value: float) -> str:
    """`%v` of a float64: strconv 'g' with the shortest digits, in exponent form when the exponent is
    below -4 or at least 6 (`1e+06`, `123456`, `1.5`, `1e-05`)."""
    if value == 0:
        return "-0" if str(value).startswith("-") else "0"
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    assert isinstance(exponent, int)
    text = "".join(str(d) for d in digits)
    point = len(text) + exponent  # digits before the decimal point
    exp = point - 1
    prefix = "-" if sign else ""
    if exp < -4 or exp >= 6:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{prefix}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if point <= 0:
        return f"{prefix}0.{'0' * -point}{text}"
    if point >= len(text):
        return f"{prefix}{text}{'0' * (point - len(text))}"
    return f"{prefix}{text[:point]}.{text[point:]}"


def fmt_v(value: Any) -> str:
    """`fmt.Sprintf("%v", value)` (maps print with sorted keys, as fmt does since Go 1.12)."""
    if value is None:
        return NIL
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _go_float(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + " ".join(fmt_v(v) for v in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{fmt_v(value[k])}" for k in sorted(value)) + "]"
    return str(value)


def fmt_s(value: Any) -> str:
    """`fmt.Sprintf("%s", value)`: strings verbatim, other scalars as `%!s(<type>=<value>)`."""
    if isinstance(value, str):
        return value
    if value is None:
        return "%!s(<nil>)"
    if isinstance(value, list):
        return "[" + " ".join(fmt_s(v) for v in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{fmt_s(value[k])}" for k in sorted(value)) + "]"
    return f"%!s({go_type(value)}={fmt_v(value)})"


# -- sort.SliceStable (Go's insertion sort + SymMerge, reproduced step by step) -------------------


def slice_stable(items: list[Any], less: Callable[[Any, Any], bool]) -> list[Any]:
    """The order Go's `sort.SliceStable(items, less)` leaves; `less` receives the elements."""
    data = list(items)
    n = len(data)

    def lt(i: int, j: int) -> bool:
        return less(data[i], data[j])

    def swap(i: int, j: int) -> None:
        data[i], data[j] = data[j], data[i]

    def insertion_sort(a: int, b: int) -> None:
        for i in range(a + 1, b):
            j = i
            while j > a and lt(j, j - 1):
                swap(j, j - 1)
                j -= 1

    def swap_range(a: int, b: int, count: int) -> None:
        for i in range(count):
            swap(a + i, b + i)

    def rotate(a: int, m: int, b: int) -> None:
        i, j = m - a, b - m
        while i != j:
            if i > j:
                swap_range(m - i, m, j)
                i -= j
            else:
                swap_range(m - i, m + j - i, i)
                j -= i
        swap_range(m - i, m, i)

    def sym_merge(a: int, m: int, b: int) -> None:
        if m - a == 1:
            i, j = m, b
            while i < j:
                h = (i + j) >> 1
                if lt(h, a):
                    i = h + 1
                else:
                    j = h
            for k in range(a, i - 1):
                swap(k, k + 1)
            return
        if b - m == 1:
            i, j = a, m
            while i < j:
                h = (i + j) >> 1
                if not lt(m, h):
                    i = h + 1
                else:
                    j = h
            for k in range(m, i, -1):
                swap(k, k - 1)
            return
        mid = (a + b) >> 1
        n2 = mid + m
        if m > mid:
            start, r = n2 - b, mid
        else:
            start, r = a, m
        p = n2 - 1
        while start < r:
            c = (start + r) >> 1
            if not lt(p - c, c):
                start = c + 1
            else:
                r = c
        end = n2 - start
        if start < m < end:
            rotate(start, m, end)
        if a < start < mid:
            sym_merge(a, start, mid)
        if mid < end < b:
            sym_merge(mid, end, b)

    block = 20
    a, b = 0, block
    while b <= n:
        insertion_sort(a, b)
        a, b = b, b + block
    insertion_sort(a, n)
    while block < n:
        a, b = 0, 2 * block
        while b <= n:
            sym_merge(a, a + block, b)
            a, b = b, b + 2 * block
        m = a + block
        if m < n:
            sym_merge(a, m, n)
        block *= 2
    return data


def go_type(value: Any) -> str:
    """`reflect.TypeOf(v).String()`; `%s` of the nil Type prints `%!s(<nil>)`."""
    return "%!s(<nil>)" if value is None else reflect_type(value)
