"""Why a body is not JSON, in encoding/json's words (its scanner, scanner.go), for the 400s that quote it.

orjson decodes; when it refuses, this scanner finds the error Go's checkValid would report (`invalid
character 'x' looking for beginning of value`, `unexpected end of JSON input`, ...), or None when Go would
accept the text (e.g. invalid UTF-8 inside a string, which Go replaces with U+FFFD).
"""

from __future__ import annotations

from mockapi.api.golang import go_quote

_SPACE = b" \t\r\n"
_DIGITS = b"0123456789"
_HEX = b"0123456789abcdefABCDEF"
_ESCAPES = b'bfnrt\\/"'
_OBJECT_KEY, _OBJECT_VALUE, _ARRAY_VALUE = range(3)
_LITERALS = {ord("t"): b"true", ord("f"): b"false", ord("n"): b"null"}


def _quote_char(c: int) -> str:
    if c == ord("'"):
        return "'\\''"
    if c == ord('"'):
        return "'\"'"
    return "'" + go_quote(chr(c))[1:-1] + "'"


class _Error(Exception):
    pass


def _fail(c: int, context: str) -> _Error:
    return _Error(f"invalid character {_quote_char(c)} {context}")


def syntax_error(data: bytes, max_depth: int = 10_000) -> tuple[str | None, int]:
    """(encoding/json's SyntaxError text for `data` or None when Go takes it as JSON, the deepest nesting
    scanned)."""
    stack: list[int] = []
    deepest = [0]
    try:
        _scan(data, max_depth, stack, deepest)
    except _Error as exc:
        return str(exc), deepest[0]
    return None, deepest[0]


def _scan(data: bytes, max_depth: int, stack: list[int], deepest: list[int]) -> None:
    n = len(data)
    i = _skip_space(data, 0)
    i = _value(data, i, stack, max_depth)
    while True:
        deepest[0] = max(deepest[0], len(stack))
        i = _skip_space(data, i)
        if not stack:
            if i < n:
                raise _fail(data[i], "after top-level value")
            return
        if i >= n:
            raise _Error("unexpected end of JSON input")
        c, top = data[i], stack[-1]
        if top == _OBJECT_KEY:
            if c != ord(":"):
                raise _fail(c, "after object key")
            stack[-1] = _OBJECT_VALUE
            i = _value(data, _skip_space(data, i + 1), stack, max_depth)
        elif top == _OBJECT_VALUE:
            if c == ord(","):
                stack[-1] = _OBJECT_KEY
                i = _key(data, _skip_space(data, i + 1))
            elif c == ord("}"):
                stack.pop()
                i += 1
            else:
                raise _fail(c, "after object key:value pair")
        else:
            if c == ord(","):
                i = _value(data, _skip_space(data, i + 1), stack, max_depth)
            elif c == ord("]"):
                stack.pop()
                i += 1
            else:
                raise _fail(c, "after array element")


def _skip_space(data: bytes, i: int) -> int:
    while i < len(data) and data[i] in _SPACE:
        i += 1
    return i


def _key(data: bytes, i: int) -> int:
    if i >= len(data):
        raise _Error("unexpected end of JSON input")
    if data[i] != ord('"'):
        raise _fail(data[i], "looking for beginning of object key string")
    return _string(data, i + 1)


def _value(data: bytes, i: int, stack: list[int], max_depth: int) -> int:
    """Scan one value starting at `i`; an object or array only opens (its members follow in _scan).
    Iterative: `[[[[...` opens array after array without recursing."""
    while True:
        if i >= len(data):
            raise _Error("unexpected end of JSON input")
        c = data[i]
        if c not in (ord("{"), ord("[")):
            return _scalar(data, i, c)
        if len(stack) >= max_depth:
            raise _fail(c, "exceeded max depth")
        empty_end = ord("}") if c == ord("{") else ord("]")
        j = _skip_space(data, i + 1)
        if j < len(data) and data[j] == empty_end:
            return j + 1
        if c == ord("{"):
            stack.append(_OBJECT_KEY)
            return _key(data, j)
        stack.append(_ARRAY_VALUE)
        i = j


def _scalar(data: bytes, i: int, c: int) -> int:
    if c == ord('"'):
        return _string(data, i + 1)
    if c == ord("-") or c in _DIGITS:
        return _number(data, i)
    if c in _LITERALS:
        word = _LITERALS[c]
        name = word.decode()
        for k in range(1, len(word)):
            if i + k >= len(data):
                raise _Error("unexpected end of JSON input")
            if data[i + k] != word[k]:
                raise _fail(data[i + k], f"in literal {name} (expecting {_quote_char(word[k])})")
        return i + len(word)
    raise _fail(c, "looking for beginning of value")


def _string(data: bytes, i: int) -> int:
    n = len(data)
    while i < n:
        c = data[i]
        if c == ord('"'):
            return i + 1
        if c == ord("\\"):
            i += 1
            if i >= n:
                break
            if data[i] == ord("u"):
                for k in range(1, 5):
                    if i + k >= n:
                        raise _Error("unexpected end of JSON input")
                    if data[i + k] not in _HEX:
                        raise _fail(data[i + k], "in \\u hexadecimal character escape")
                i += 4
            elif data[i] not in _ESCAPES:
                raise _fail(data[i], "in string escape code")
        elif c < 0x20:
            raise _fail(c, "in string literal")
        i += 1
    raise _Error("unexpected end of JSON input")


def _number(data: bytes, i: int) -> int:
    n = len(data)

    def digits(j: int) -> int:
        while j < n and data[j] in _DIGITS:
            j += 1
        return j

    if data[i] == ord("-"):
        i += 1
        if i >= n:
            raise _Error("unexpected end of JSON input")
        if data[i] not in _DIGITS:
            raise _fail(data[i], "in numeric literal")
    i = i + 1 if data[i] == ord("0") else digits(i)
    if i < n and data[i] == ord("."):
        i += 1
        if i >= n:
            raise _Error("unexpected end of JSON input")
        if data[i] not in _DIGITS:
            raise _fail(data[i], "after decimal point in numeric literal")
        i = digits(i)
    if i < n and data[i] in b"eE":
        i += 1
        if i < n and data[i] in b"+-":
            i += 1
        if i >= n:
            raise _Error("unexpected end of JSON input")
        if data[i] not in _DIGITS:
            raise _fail(data[i], "in exponent of numeric literal")
        i = digits(i)
    return i
