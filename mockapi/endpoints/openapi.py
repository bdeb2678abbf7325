"""`/openapi/v2`, `/openapi/v3` and `/openapi/v3/<service>`, with kube-apiserver 1.33's HTTP behaviour.

* `/openapi/v2` (kube-openapi `handler.go` behind kube-aggregator): goautoneg over the Accept header
  (empty means `*/*`), first clause matching `application/json`,
  `application/com.github.proto-openapi.spec.v2@v1.0+protobuf` or `...spec.v2.v1.0+protobuf` wins; the
  protobuf answer is typed `application/com.github.proto-openapi.spec.v2.v1.0+protobuf` (dot, never @).
  ETag = quoted SHA-512 of the JSON form for both forms; `http.ServeContent` semantics (Last-Modified,
  If-None-Match / If-Modified-Since -> 304); gzip when the client accepts it and the body is at least
  1400 bytes (gziphandler, which also adds `Vary: Accept-Encoding`); nothing acceptable -> empty 406.
* `/openapi/v3` (kube-aggregator's merged root): `{"paths": {...}}` with no ETag, served by
  `http.ServeContent` under a name without extension, so Content-Type is sniffed:
  `text/plain; charset=utf-8`, Last-Modified = now.
* `/openapi/v3/<service>` (aggregator + kube-openapi `handler3`): unknown service -> empty 404; JSON only
  (the protobuf v3 form is not implemented: a request that accepts nothing but it gets a 406, and a
  clause preferring it falls through to JSON); ETag = quoted hash; `?hash=` equal to it adds
  `Cache-Control: public, immutable` and `Expires` one year ahead, a different hash -> 301 to the
  current URL (no body, as the Content-Type is already set when Go's http.Redirect runs).

Not emulated: byte ranges (Go would answer `Range` with 206), methods other than GET and HEAD (the
non-resource handler answers 405 first), and the `/swagger-2.0.0.pb-v1` fallback kubectl 1.27/1.28 try
after a failed v2 download: kube-apiserver removed it in 1.14, so it is a plain 404 as upstream.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import formatdate, parsedate_to_datetime
from typing import TYPE_CHECKING, TypeVar

from aiohttp import web
from multidict import CIMultiDict

from mockapi.endpoints.responses import CACHE_CONTROL
from mockapi.resources.catalog import Catalog
from mockapi.resources.discovery import parse_accept

if TYPE_CHECKING:
    from mockapi.resources.openapi import Encoded, OpenAPIDocuments

T = TypeVar("T")

V2_PATH = "/openapi/v2"
V3_PATH = "/openapi/v3"
PROTOBUF_V2 = "com.github.proto-openapi.spec.v2.v1.0+protobuf"
PROTOBUF_V2_DEPRECATED = "com.github.proto-openapi.spec.v2@v1.0+protobuf"
GZIP_MIN_SIZE = 1400
"""gziphandler.DefaultMinSize."""


def handles(path: str) -> bool:
    return path in (V2_PATH, V3_PATH) or path.startswith(V3_PATH + "/")


class OpenAPIHandlers:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._documents: OpenAPIDocuments | None = None

    @property
    def documents(self) -> OpenAPIDocuments:
        """The catalog's documents; the OpenAPI package is imported on first use, not at server start."""
        if self._documents is None:
            from mockapi.resources.openapi import documents_for  # deferred: not loaded at server start

            self._documents = documents_for(self.catalog)
        return self._documents

    async def __call__(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if path == V2_PATH:
            return await self.v2(request)
        if path == V3_PATH:
            return await self.v3_root(request)
        return await self.v3_service(request, path[len(V3_PATH) + 1 :])

    async def _built(self, key: str, build: Callable[[], T]) -> T:
        """A cached artifact inline; a cold one is built in the default executor (it takes ~0.1-1 s)."""
        if self.documents.ready(key):
            return build()
        return await asyncio.get_running_loop().run_in_executor(None, build)

    async def v2(self, request: web.Request) -> web.StreamResponse:
        headers = CIMultiDict({"Cache-Control": CACHE_CONTROL})
        headers.add("Vary", "Accept-Encoding")
        headers.add("Vary", "Accept")
        form = _v2_form(request.headers.get("Accept") or "*/*")
        if form is None:
            return web.Response(status=406, headers=headers)
        docs = self.documents
        getter = docs.v2_json if form == "json" else docs.v2_protobuf
        encoded: Encoded = await self._built("v2", getter)
        headers["Content-Type"] = "application/json" if form == "json" else "application/" + PROTOBUF_V2
        headers["ETag"] = f'"{encoded.etag}"'
        body = encoded.body
        if len(body) >= GZIP_MIN_SIZE and _accepts_gzip(request.headers.get("Accept-Encoding", "")):
            key = "v2.json" if form == "json" else "v2.pb"
            body = await self._built(key + ".gz", lambda: docs.gzipped(key, getter))
            headers["Content-Encoding"] = "gzip"
        return serve_content(request, body, headers, encoded.last_modified)

    async def v3_root(self, request: web.Request) -> web.StreamResponse:
        body = await self._built("v3.root", self.documents.v3_root)
        headers = CIMultiDict({"Cache-Control": CACHE_CONTROL, "Content-Type": "text/plain; charset=utf-8"})
        return serve_content(request, body, headers, datetime.now(UTC).timestamp())

    async def v3_service(self, request: web.Request, service: str) -> web.StreamResponse:
        documents = await self._built("v3.docs", self.documents.v3_documents)
        encoded = documents.get(service)
        headers = CIMultiDict({"Cache-Control": CACHE_CONTROL})
        if encoded is None:
            return web.Response(status=404, headers=headers)
        headers["Vary"] = "Accept"
        for clause in parse_accept(request.headers.get("Accept") or "*/*"):
            if clause.type not in ("application", "*") or clause.subtype not in ("json", "*"):
                continue  # a protobuf-only clause: that form is not served
            headers["Content-Type"] = "application/json"
            headers["ETag"] = f'"{encoded.etag}"'
            wanted = request.query.get("hash", "")
            if wanted:
                if wanted != encoded.etag:
                    headers["Location"] = f"{V3_PATH}/{service}?hash={encoded.etag}"
                    return web.Response(status=301, headers=headers)
                headers["Cache-Control"] = "public, immutable"
                headers["Expires"] = _rfc1123(_one_year_later(datetime.now(UTC)))
            return serve_content(request, encoded.body, headers, encoded.last_modified)
        return web.Response(status=406, headers=headers)


def _v2_form(accept: str) -> str | None:
    """`json` or `protobuf` for the first clause kube-openapi's v2 handler accepts, else None."""
    for clause in parse_accept(accept):
        for subtype in ("json", PROTOBUF_V2_DEPRECATED, PROTOBUF_V2):
            if clause.type in ("application", "*") and clause.subtype in (subtype, "*"):
                return "json" if subtype == "json" else "protobuf"
    return None


def serve_content(request: web.Request, body: bytes, headers: CIMultiDict[str], last_modified: float) -> web.Response:
    """Go's http.ServeContent for a complete body: Last-Modified, conditional GET, Accept-Ranges."""
    headers["Last-Modified"] = formatdate(int(last_modified), usegmt=True)
    if_none_match = request.headers.get("If-None-Match")
    etag = headers.get("ETag")
    if if_none_match:
        if etag is not None and _etag_listed(if_none_match, etag):
            return _not_modified(headers)
    elif request.method in ("GET", "HEAD"):
        since = _parse_http_date(request.headers.get("If-Modified-Since", ""))
        if since is not None and int(last_modified) <= since:
            return _not_modified(headers)
    headers["Accept-Ranges"] = "bytes"
    return web.Response(body=body, headers=headers)


def _not_modified(headers: CIMultiDict[str]) -> web.Response:
    # writeNotModified: no representation metadata; Last-Modified only when there is no ETag.
    for name in ("Content-Type", "Content-Length", "Content-Encoding"):
        headers.popall(name, None)
    if "ETag" in headers:
        headers.popall("Last-Modified", None)
    return web.Response(status=304, headers=headers)


def _etag_listed(header: str, etag: str) -> bool:
    """checkIfNoneMatch: `*`, or any listed entity tag equal to ours under weak comparison."""
    ours = etag.removeprefix("W/")
    for raw in header.split(","):
        candidate = raw.strip()
        if candidate == "*":
            return True
        if candidate.removeprefix("W/") == ours:
            return True
    return False


def _parse_http_date(value: str) -> int | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp())


def _accepts_gzip(header: str) -> bool:
    """gziphandler's acceptsGzipEncoding: a `gzip` coding with q > 0."""
    for part in header.split(","):
        coding, *params = (p.strip() for p in part.split(";"))
        if coding.lower() != "gzip":
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        return q > 0
    return False


def _one_year_later(now: datetime) -> datetime:
    try:
        return now.replace(year=now.year + 1)
    except ValueError:  # 29 February: Go's AddDate normalises to 1 March
        return now.replace(month=2, day=28, year=now.year + 1) + timedelta(days=1)


def _rfc1123(moment: datetime) -> str:
    """time.RFC1123 of a UTC time: `Mon, 02 Jan 2006 15:04:05 UTC`."""
    return formatdate(moment.timestamp(), usegmt=True).removesuffix("GMT") + "UTC"
