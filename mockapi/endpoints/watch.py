"""Watch streaming (apiserver endpoints/handlers/watch.go): chunked JSON lines, Table-shaped events when a
Table was asked for, periodic bookmarks, and the request's timeout."""

from __future__ import annotations

import asyncio
import contextlib
import random
from datetime import UTC, datetime

from aiohttp import web

from mockapi.api import errors
from mockapi.api.types import Obj
from mockapi.endpoints.context import RequestContext
from mockapi.endpoints.negotiation import JSON, PROTOBUF, MetaVersion, Representation, encode
from mockapi.endpoints.render import include_object
from mockapi.endpoints.responses import CACHE_CONTROL
from mockapi.registry.listing import WatchEvent, bookmark, open_watch
from mockapi.registry.options import list_options
from mockapi.resources.tables import convert_to_table
from mockapi.resources.types import ResourceType
from mockapi.storage.interface import Storage

MIN_REQUEST_TIMEOUT = 1800  # kube-apiserver --min-request-timeout; watches last 1-2x this
BOOKMARK_INTERVAL = 60.0
DISCONNECT_POLL = 1.0  # aiohttp does not cancel a handler whose client went away; look every second


async def serve_watch(
    ctx: RequestContext, storage: Storage, rt: ResourceType, namespace: str, rep: Representation
) -> web.StreamResponse:
    opts = list_options(ctx.request.query)
    if rep.format != "json":
        raise errors.not_acceptable([JSON, PROTOBUF])  # YAML has no streaming serializer
    stream = await open_watch(storage, rt, namespace, opts)  # errors here are plain Status responses
    timeout = opts.timeout_seconds if opts.timeout_seconds else MIN_REQUEST_TIMEOUT * (1 + random.random())
    response = web.StreamResponse(status=200)
    response.content_type = rep.content_type
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["Audit-Id"] = ctx.audit.audit_id
    response.enable_chunked_encoding()
    await response.prepare(ctx.request)
    headers_sent = False

    def frame(event: WatchEvent) -> bytes:
        nonlocal headers_sent
        obj = event.object
        if rep.shape == "table" and event.type in ("ADDED", "MODIFIED", "DELETED"):
            obj = _table(rt, obj, include_headers=not headers_sent, query=ctx.request.query, version=rep.table_version)
            headers_sent = True
        return encode({"type": event.type, "object": obj}, rep)

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    next_bookmark = loop.time() + BOOKMARK_INTERVAL
    pending: asyncio.Task[WatchEvent] | None = None
    try:
        iterator = stream.__aiter__()
        while True:
            now = loop.time()
            if now >= deadline:
                break
            if pending is None:
                pending = asyncio.ensure_future(iterator.__anext__())
            wake = min(deadline, now + DISCONNECT_POLL, next_bookmark if opts.allow_bookmarks else deadline)
            done, _ = await asyncio.wait({pending}, timeout=max(wake - now, 0))
            if not done:
                transport = ctx.request.transport
                if transport is None or transport.is_closing():
                    break
                if opts.allow_bookmarks and loop.time() >= next_bookmark:
                    await response.write(frame(WatchEvent("BOOKMARK", bookmark(rt, storage.current_rv))))
                    next_bookmark = loop.time() + BOOKMARK_INTERVAL
                continue
            try:
                event = pending.result()
            except StopAsyncIteration:
                break
            pending = None
            await response.write(frame(event))
    except ConnectionResetError:
        pass
    finally:
        if pending is not None:
            pending.cancel()
        stream.stop()
    with contextlib.suppress(ConnectionResetError):
        await response.write_eof()
    return response


def _table(rt: ResourceType, obj: Obj, *, include_headers: bool, query: object, version: MetaVersion) -> Obj:
    return convert_to_table(
        rt,
        [obj],
        list_metadata={"resourceVersion": obj.get("metadata", {}).get("resourceVersion", "")},
        include_object=include_object(query),
        now=datetime.now(UTC),
        include_headers=include_headers,
        table_version=version,
    )
