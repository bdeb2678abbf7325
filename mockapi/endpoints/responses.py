"""Building aiohttp responses the way kube-apiserver's responsewriters do."""

from __future__ import annotations

import re

from aiohttp import web

from mockapi.api.errors import ApiError
from mockapi.api.types import Obj
from mockapi.endpoints.negotiation import DEFAULT, Representation, encode

CACHE_CONTROL = "no-cache, private"
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def warning_header(text: str) -> str:
    """net.NewWarningHeader(299, "-", text): a quoted string with `"` and `\\` escaped. Control characters
    (an unknown field's name may hold them) are written as `\\xNN`: Go's net/http sends them raw, but no
    HTTP library here will, and a header that cannot be written would cost the client its whole answer."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", escaped)
    return f'299 - "{escaped}"'


def object_response(
    obj: Obj, status: int = 200, rep: Representation = DEFAULT, warnings: list[str] | None = None
) -> web.Response:
    resp = web.Response(body=encode(obj, rep), status=status, content_type=rep.content_type)
    resp.headers["Cache-Control"] = CACHE_CONTROL
    for w in dict.fromkeys(warnings or ()):
        resp.headers.add("Warning", warning_header(w))
    return resp


def status_response(err: ApiError, warnings: list[str] | None = None) -> web.Response:
    """The Status of a failure; warnings recorded before it still go out, as kube-apiserver writes them early."""
    resp = object_response(err.status(), err.code, warnings=warnings)
    for key, value in err.headers.items():
        resp.headers[key] = value
    if err.code == 403:
        resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp
