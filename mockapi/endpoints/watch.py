"""Watch streaming (apiserver endpoints/handlers/watch.go): chunked JSON lines, Table-shaped events when a
Table was asked for, periodic bookmarks, and the request's timeout."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime

from aiohttp import web

from mockapi.api import errors
from mockapi.api.types import Obj
from mockapi.endpoints.context import RequestContext
from mockapi.endpoints.negotiation import DEFAULT, JSON, PROTOBUF, MetaVersion, Representation, encode
from mockapi.endpoints.render import include_object
from mockapi.endpoints.responses import CACHE_CONTROL
from mockapi.registry.listing import WatchEvent, WatchStream, bookmark
from mockapi.registry.options import list_options
from mockapi.registry.store import ResourceStore
from mockapi.resources.tables import convert_to_table
from mockapi.resources.types import ResourceType

MIN_REQUEST_TIMEOUT = 1800  # kube-apiserver --min-request-timeout; watches last 1-2x this
BOOKMARK_INTERVAL = 60.0
DISCONNECT_POLL = 1.0  # aiohttp does not cancel a handler whose client went away; look every second
BATCH_BYTES = 256 * 1024  # events at hand are sent in one write of up to this much
EOF_GRACE = 1.0  # how long the end of a stream may wait for a client that reads slowly


async def serve_watch(
    ctx: RequestContext, store: ResourceStore, rt: ResourceType, namespace: str, rep: Representation
) -> web.StreamResponse:
    opts = list_options(ctx.request.query)
    if rep.format != "json":
        raise errors.not_acceptable([JSON, PROTOBUF])  # YAML has no streaming serializer
    stream = await store.open_watch(rt, namespace, opts)  # errors here are plain Status responses
    timeout = opts.timeout_seconds if opts.timeout_seconds else MIN_REQUEST_TIMEOUT * (1 + random.random())
    response = web.StreamResponse(status=200)
    response.content_type = rep.content_type
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["Audit-Id"] = ctx.audit.audit_id
    response.enable_chunked_encoding()
    await response.prepare(ctx.request)
    out = _Writer(ctx.request, response, stream)
    headers_sent = False

    def frame(event: WatchEvent) -> bytes:
        nonlocal headers_sent
        obj = event.object
        if event.type not in _SHARED_TYPES:
            return encode({"type": event.type, "object": obj}, rep)  # a bookmark or an error: this watch's own
        if rep.shape == "table":
            obj = _table(rt, obj, include_headers=not headers_sent, query=ctx.request.query, version=rep.table_version)
            headers_sent = True
            return encode({"type": event.type, "object": obj}, rep)
        return FRAMES.frame(event.type, obj)  # the same bytes every watcher of the resource sends

    def batch() -> bytes:
        # Every event at hand in one write: the handler wakes once per burst, not once per event, so
        # it keeps up with many concurrent writers (and its storage queue stays short).
        frames: list[bytes] = []
        size = 0
        while size < BATCH_BYTES and (event := stream.poll()) is not None:
            frames.append(frame(event))
            size += len(frames[-1])
        return b"".join(frames)

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    next_bookmark = loop.time() + BOOKMARK_INTERVAL
    try:
        while loop.time() < deadline:
            if data := batch():
                await out.write(data)
                await asyncio.sleep(0)  # a long initial list must not keep the other requests waiting
                continue
            wake = min(deadline, loop.time() + DISCONNECT_POLL, next_bookmark if opts.allow_bookmarks else deadline)
            try:
                async with asyncio.timeout_at(wake):
                    if not await stream.wait():
                        break  # ended: stopped, closed for overflow, or an error stream sent its event
            except TimeoutError:
                if out.disconnected:
                    break
                if opts.allow_bookmarks and loop.time() >= next_bookmark:
                    await out.write(frame(WatchEvent("BOOKMARK", bookmark(rt, await store.current_revision()))))
                    next_bookmark = loop.time() + BOOKMARK_INTERVAL
    except ConnectionError:  # the client went away, or was cut off (`_Writer`)
        pass
    finally:
        stream.stop()
        await out.finish()
    return response


_SHARED_TYPES = frozenset({"ADDED", "MODIFIED", "DELETED"})


class SharedFrames:
    """The JSON frames of the latest watch events, encoded once for every watcher that sends them.

    Every watcher of a resource gets the same stored object with an event (stored objects are never
    changed in place: a write stores a new one), so a frame is known by the event's type and the
    object's identity; the entry holds the object, so its id cannot pass to another while it is kept.
    Watchers send an event within moments of each other, so the last `size` frames (and `max_bytes` of
    them at most: large objects are not kept long) are enough.
    """

    def __init__(self, size: int = 256, max_bytes: int = 4 * 1024 * 1024) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self._frames: dict[tuple[str, int], tuple[Obj, bytes]] = {}
        self._bytes = 0

    def frame(self, type_: str, obj: Obj) -> bytes:
        key = (type_, id(obj))
        found = self._frames.get(key)
        if found is not None and found[0] is obj:
            return found[1]
        data = encode({"type": type_, "object": obj}, DEFAULT)
        if len(data) > self.max_bytes:
            return data
        self._frames[key] = (obj, data)
        self._bytes += len(data)
        while len(self._frames) > self.size or self._bytes > self.max_bytes:
            oldest = next(iter(self._frames))
            self._bytes -= len(self._frames.pop(oldest)[1])
        return data


FRAMES = SharedFrames()


class _Writer:
    """Writes a watch stream, and cuts the client off when the watch closes while a write is blocked.

    A client that stops reading leaves `response.write` waiting for the transport to drain, forever.
    Meanwhile the store closes its watcher once that falls `WATCHER_QUEUE` events behind (as the
    cacher terminates a watcher whose buffer stays full, cache_watcher.go `add`); this then aborts the
    connection, so the blocked write returns, the handler ends and the connection's buffers are freed.
    The client sees its stream end and re-watches or relists, as client-go does.
    """

    def __init__(self, request: web.BaseRequest, response: web.StreamResponse, stream: WatchStream) -> None:
        self._request = request
        self._transport = request.transport  # kept: aiohttp forgets it once the connection is lost
        self._response = response
        self._writing = False
        self._guard = asyncio.ensure_future(self._cut_off_when_closed(stream))

    @property
    def disconnected(self) -> bool:
        return self._transport is None or self._transport.is_closing()

    async def write(self, data: bytes) -> None:
        # A write that need not wait completes without yielding, so the guard only ever sees
        # `_writing` set while a write is really blocked on the client.
        self._writing = True
        try:
            await self._response.write(data)
        finally:
            self._writing = False

    async def _cut_off_when_closed(self, stream: WatchStream) -> None:
        await stream.closed()
        if self._writing:
            self._abort()

    def _abort(self) -> None:
        if self._transport is not None:
            self._transport.abort()

    async def finish(self) -> None:
        """End the chunked stream; a client that does not read it is cut off instead of waited for."""
        self._guard.cancel()
        if self.disconnected:
            return
        if self._request.protocol.writing_paused:
            self._abort()
            return
        try:
            await asyncio.wait_for(self._response.write_eof(), EOF_GRACE)
        except (ConnectionError, TimeoutError):
            self._abort()


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
