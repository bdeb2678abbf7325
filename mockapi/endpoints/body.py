"""Reading request bodies within kube-apiserver's size limit."""

from __future__ import annotations

from aiohttp import web

from mockapi.api import errors

MAX_REQUEST_BYTES = 3 * 1024 * 1024
"""kube-apiserver's limit for a request body (--max-request-bytes default)."""


async def read_body(request: web.Request) -> bytes:
    """The request body, refused with 413 beyond kube-apiserver's 3 MiB limit."""
    if request.content_length is not None and request.content_length > MAX_REQUEST_BYTES:
        raise errors.request_entity_too_large(f"limit is {MAX_REQUEST_BYTES}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > MAX_REQUEST_BYTES:
            raise errors.request_entity_too_large(f"limit is {MAX_REQUEST_BYTES}")
        chunks.append(chunk)
    return b"".join(chunks)
