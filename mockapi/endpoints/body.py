"""Reading request bodies within kube-apiserver's size limit."""

from __future__ import annotations

import logging

from aiohttp import ClientPayloadError, web
from aiohttp.http_exceptions import HttpProcessingError

from mockapi.api import errors
from mockapi.api.decoding import MAX_REQUEST_BYTES

log = logging.getLogger("mockapi.http")


async def read_body(request: web.Request) -> bytes:
    """The request body, refused with 413 beyond kube-apiserver's 3 MiB limit."""
    if request.content_length is not None and request.content_length > MAX_REQUEST_BYTES:
        raise errors.request_entity_too_large(f"limit is {MAX_REQUEST_BYTES}")
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.content.iter_chunked(64 * 1024):
            size += len(chunk)
            if size > MAX_REQUEST_BYTES:
                raise errors.request_entity_too_large(f"limit is {MAX_REQUEST_BYTES}")
            chunks.append(chunk)
    except (ConnectionError, ClientPayloadError, HttpProcessingError) as exc:
        # the client hung up or sent a broken body: its doing, not an internal error (nobody reads the answer)
        log.debug("request body of %s %s not read: %s", request.method, request.path, exc)
        raise errors.bad_request(f"error reading request body: {exc}") from None
    return b"".join(chunks)
