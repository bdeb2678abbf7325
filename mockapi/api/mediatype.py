"""Media types as Go's mime.ParseMediaType reads them (kube-apiserver parses Content-Type with it)."""

from __future__ import annotations

_TSPECIALS = set('()<>@,;:\\"/[]?=')


def _is_token_char(ch: str) -> bool:
    return " " < ch < "\x7f" and ch not in _TSPECIALS


def _token(s: str) -> tuple[str, str]:
    end = 0
    while end < len(s) and _is_token_char(s[end]):
        end += 1
    return s[:end], s[end:]


def _value(s: str) -> tuple[str, str]:
    """A token or a quoted string (backslash escapes), and the rest."""
    if not s.startswith('"'):
        return _token(s)
    out: list[str] = []
    i = 1
    while i < len(s):
        ch = s[i]
        if ch == '"':
            return "".join(out), s[i + 1 :]
        if ch == "\\" and i + 1 < len(s):
            i += 1
            ch = s[i]
        elif ch in "\r\n":
            return "", s
        out.append(ch)
        i += 1
    return "", s


def parse_media_type(value: str) -> tuple[str, dict[str, str]]:
    """(lower-cased media type, parameters); ValueError with Go's message when it does not parse."""
    base, _, _ = value.partition(";")
    media = base.strip().lower()
    kind, rest = _token(media)
    if not kind:
        raise ValueError("mime: no media type")
    if rest:
        if not rest.startswith("/"):
            raise ValueError("mime: expected slash after first token")
        subtype, rest = _token(rest[1:])
        if not subtype:
            raise ValueError("mime: expected token after slash")
        if rest:
            raise ValueError("mime: unexpected content after media subtype")
    params: dict[str, str] = {}
    remaining = value[len(base) :]
    while remaining:
        remaining = remaining.lstrip()
        if not remaining:
            break
        parsed = _param(remaining)
        if parsed is None:
            if remaining.strip() == ";":
                break  # a trailing semicolon is not an error
            raise ValueError("mime: invalid media parameter")
        key, val, remaining = parsed
        if key in params:
            raise ValueError("mime: duplicate parameter name")
        params[key] = val
    return media, params


def _param(s: str) -> tuple[str, str, str] | None:
    rest = s.lstrip()
    if not rest.startswith(";"):
        return None
    key, rest = _token(rest[1:].lstrip())
    if not key:
        return None
    rest = rest.lstrip()
    if not rest.startswith("="):
        return None
    rest = rest[1:].lstrip()
    val, after = _value(rest)
    if not val and after == rest:
        return None
    return key.lower(), val, after
