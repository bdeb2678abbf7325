"""Decoders of the types that bring their own UnmarshalJSON, with the errors kube-apiserver returns.

* `quantity_error`: `resource.ParseQuantity` (k8s.io/apimachinery pkg/api/resource/quantity.go):
  `parseQuantityString`, then the suffix lookup; the three error texts are upstream's.
* `time_error`: `time.Parse(layout, value)` for metav1.Time (RFC3339) and metav1.MicroTime
  (RFC3339Micro), with Go's `ParseError` texts (`parsing time "x" as "2006-...": cannot parse "x" as "2006"`).
* `base64_error`: `base64.StdEncoding.Decode`, which encoding/json uses for `[]byte` fields
  (`illegal base64 data at input byte 4`).
"""

from __future__ import annotations

_SPLIT_RE = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
ERR_FORMAT_WRONG = f"quantities must match the regular expression '{_SPLIT_RE}'"
ERR_NUMERIC = "unable to parse numeric part of quantity"
ERR_SUFFIX = "unable to parse quantity's suffix"

_DIGITS = "0123456789"
_SUFFIX_CHARS = "eEinumkKMGTP"
_DECIMAL_SUFFIXES = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BINARY_SUFFIXES = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_MAX_INT64_FACTORS = 18


def _go_parse_int(text: str) -> int | None:
    """strconv.ParseInt(text, 10, 64), None on any error."""
    body = text[1:] if text[:1] in "+-" else text
    if not body or any(c not in _DIGITS for c in body):
        return None
    value = int(text)
    return value if -(2**63) <= value < 2**63 else None


def _split_quantity(text: str) -> tuple[str, str, str, str] | None:
    """parseQuantityString: (value, num, denom, suffix), or None for ErrFormatWrong."""
    pos, end = 0, len(text)
    if pos < end and text[0] in "+-":
        pos += 1
    while True:  # leading zeros
        if pos >= end:
            return "0", "0", "", ""
        if text[pos] != "0":
            break
        pos += 1
    start = pos
    while pos < end and text[pos] in _DIGITS:
        pos += 1
    if pos >= end:
        return text, text[start:], "", ""
    num = text[start:pos] or "0"
    denom = ""
    if text[pos] == ".":
        pos += 1
        dstart = pos
        while pos < end and text[pos] in _DIGITS:
            pos += 1
        if pos >= end:
            return text, num, text[dstart:], ""
        denom = text[dstart:pos]
    value = text[:pos]
    suffix_start = pos
    while pos < end and text[pos] in _SUFFIX_CHARS:
        pos += 1
    if pos >= end:
        return value, num, denom, text[suffix_start:]
    if text[pos] in "+-":
        pos += 1
    while pos < end and text[pos] in _DIGITS:
        pos += 1
    if pos >= end:
        return value, num, denom, text[suffix_start:]
    return None


def quantity_error(text: str) -> str | None:
    """The error ParseQuantity(strings.TrimSpace(text)) returns, or None when it parses."""
    text = text.strip()
    if not text:
        return ERR_FORMAT_WRONG
    if text == "0":
        return None
    parts = _split_quantity(text)
    if parts is None:
        return ERR_FORMAT_WRONG
    _value, num, denom, suffix = parts
    if suffix in _DECIMAL_SUFFIXES:
        exponent, binary = _DECIMAL_SUFFIXES[suffix], False
    elif suffix in _BINARY_SUFFIXES:
        exponent, binary = _BINARY_SUFFIXES[suffix], True
    elif len(suffix) > 1 and suffix[0] in "eE" and _go_parse_int(suffix[1:]) is not None:
        exponent, binary = int(suffix[1:]), False
    else:
        return ERR_SUFFIX
    if binary:
        precision = 15 - len(num) - int(exponent * 3 / 10) - 1 if denom == "" else -1
        scale = 0
    else:
        precision = _MAX_INT64_FACTORS - (len(num) + len(denom))
        scale = exponent
    if precision >= 0 and scale - len(denom) >= -9 and _go_parse_int(num + denom) is None:
        return ERR_NUMERIC
    return None


# ---------------------------------------------------------------------------------------------------
# time.Parse for the two layouts metav1 uses

RFC3339 = "2006-01-02T15:04:05Z07:00"
RFC3339_MICRO = "2006-01-02T15:04:05.000000Z07:00"

_LAYOUTS: dict[str, list[tuple[str, str]]] = {
    RFC3339: [
        ("", "2006"),
        ("-", "01"),
        ("-", "02"),
        ("T", "15"),
        (":", "04"),
        (":", "05"),
        ("", "Z07:00"),
        ("", ""),
    ],
    RFC3339_MICRO: [
        ("", "2006"),
        ("-", "01"),
        ("-", "02"),
        ("T", "15"),
        (":", "04"),
        (":", "05"),
        ("", ".000000"),
        ("", "Z07:00"),
        ("", ""),
    ],
}


def _time_quote(text: str) -> str:
    """time's own quote(): non-ASCII and control bytes as \\xNN, `"` and `\\` escaped."""
    out = ['"']
    for ch in text:
        if ord(ch) >= 0x80 or ch < " ":
            out.extend(f"\\x{b:02x}" for b in ch.encode())
        else:
            out.append("\\" + ch if ch in '"\\' else ch)
    out.append('"')
    return "".join(out)


def _getnum(value: str, fixed: bool) -> tuple[int, str] | None:
    if not value[:1].isdigit() or not value[:1].isascii():
        return None
    if len(value) < 2 or not (value[1].isascii() and value[1].isdigit()):
        return None if fixed else (int(value[0]), value[1:])
    return int(value[:2]), value[2:]


def _days_in(month: int, year: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def time_error(layout: str, value: str) -> str | None:
    """The error time.Parse(layout, value) returns, or None when the value parses."""
    original = value
    head = f"parsing time {_time_quote(original)}"

    def cannot(value_elem: str, layout_elem: str) -> str:
        return f"{head} as {_time_quote(layout)}: cannot parse {_time_quote(value_elem)} as {_time_quote(layout_elem)}"

    year = month = day = 0
    for literal, std in _LAYOUTS[layout]:
        if literal:
            if not value.startswith(literal):
                return cannot(value, literal)
            value = value[len(literal) :]
        if not std:
            if value:
                return f"{head}: extra text: {_time_quote(value)}"
            break
        hold = value
        bad = False
        range_err = ""
        if std == "2006":
            if len(value) < 4 or not ("0" <= value[0] <= "9") or any(not ("0" <= c <= "9") for c in value[:4]):
                bad = True
            else:
                year, value = int(value[:4]), value[4:]
        elif std in ("01", "02", "04", "05", "15"):
            got = _getnum(value, std != "15")
            if got is None:
                bad = True
            else:
                number, value = got
                if std == "01":
                    month = number
                    range_err = "month" if not 1 <= number <= 12 else ""
                elif std == "02":
                    day = number
                elif std == "15":
                    range_err = "hour" if number >= 24 else ""
                elif std == "04":
                    range_err = "minute" if number >= 60 else ""
                else:
                    range_err = "second" if number >= 60 else ""
                    fraction = len(value) >= 2 and value[0] in ".," and "0" <= value[1] <= "9"
                    if not range_err and layout == RFC3339 and fraction:
                        n = 2
                        while n < len(value) and "0" <= value[n] <= "9":
                            n += 1
                        value = value[n:]
        elif std == ".000000":
            if len(value) < 7 or value[0] not in ".," or any(not ("0" <= c <= "9") for c in value[1:7]):
                bad = True
            else:
                value = value[7:]
        elif std == "Z07:00":
            if value[:1] == "Z":
                value = value[1:]
            elif len(value) < 6 or value[3] != ":":
                bad = True
            else:
                sign, hours, minutes, value = value[0], value[1:3], value[4:6], value[6:]
                hour_num, minute_num = _getnum(hours, True), _getnum(minutes, True)
                if hour_num is None or minute_num is None or sign not in "+-":
                    bad = True
                elif hour_num[0] > 24:
                    range_err = "time zone offset hour"
                elif minute_num[0] > 60:
                    range_err = "time zone offset minute"
        if range_err:
            return f"{head}: {range_err} out of range"
        if bad:
            return cannot(hold, std)
    if day < 1 or day > _days_in(month, year):
        return f"{head}: day out of range"
    return None


# ---------------------------------------------------------------------------------------------------
# base64.StdEncoding.Decode

_B64 = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
_NEWLINES = (0x0A, 0x0D)


def _quantum_error(src: bytes, si: int) -> tuple[int, int | None, bool]:
    """One decodeQuantum step: (next index, error offset or None, done)."""
    j = 0
    while j < 4:
        if si == len(src):
            if j == 0:
                return si, None, True
            return si, si - j, True  # a partial quantum: StdEncoding wants padding
        ch = src[si]
        si += 1
        if ch in _B64:
            j += 1
            continue
        if ch in _NEWLINES:
            continue
        if ch != 0x3D:  # "="
            return si, si - 1, True
        if j in (0, 1):
            return si, si - 1, True
        if j == 2:
            while si < len(src) and src[si] in _NEWLINES:
                si += 1
            if si == len(src):
                return si, len(src), True
            if src[si] != 0x3D:
                return si, si - 1, True
            si += 1
        while si < len(src) and src[si] in _NEWLINES:
            si += 1
        if si < len(src):
            return si, si, True  # trailing garbage after the padding
        return si, None, True
    return si, None, False


def base64_error(text: str) -> str | None:
    """`illegal base64 data at input byte N` as base64.StdEncoding.Decode reports it, or None."""
    src = text.encode("utf-8", "surrogatepass")
    si = 0
    while si < len(src):
        si, offset, done = _quantum_error(src, si)
        if offset is not None:
            return f"illegal base64 data at input byte {offset}"
        if done:
            break
    return None
