"""The HTTP client stages call webhooks with (`api.webhooks.WebhookClient`), on aiohttp: one session per
server, opened on first use and closed when the server stops; a response is read up to a bound, so a
webhook cannot make the server hold an unbounded body."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Mapping

import aiohttp

from mockapi.api.webhooks import WebhookError

MAX_RESPONSE = 3 * 1024 * 1024


class AiohttpWebhookClient:
    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    async def post(
        self, url: str, body: bytes, *, ssl_context: ssl.SSLContext, headers: Mapping[str, str], timeout: float
    ) -> tuple[int, bytes]:
        session = self._session_open()
        sent = {"Content-Type": "application/json", "Accept": "application/json, */*", **headers}
        try:
            async with session.post(
                url, data=body, ssl=ssl_context, headers=sent, timeout=aiohttp.ClientTimeout(total=timeout)
            ) as resp:
                data = await resp.content.read(MAX_RESPONSE + 1)
                if len(data) > MAX_RESPONSE:
                    raise WebhookError(f'Post "{url}": response body larger than {MAX_RESPONSE} bytes')
                return resp.status, data
        except TimeoutError:
            raise WebhookError(f'Post "{url}": context deadline exceeded') from None
        except (aiohttp.ClientError, ssl.SSLError, OSError) as exc:
            raise WebhookError(f'Post "{url}": {exc}') from None

    async def get(
        self, url: str, *, ssl_context: ssl.SSLContext, timeout: float
    ) -> tuple[int, bytes, Mapping[str, str]]:
        session = self._session_open()
        try:
            async with session.get(url, ssl=ssl_context, timeout=aiohttp.ClientTimeout(total=timeout)) as resp:
                data = await resp.content.read(MAX_RESPONSE + 1)
                if len(data) > MAX_RESPONSE:
                    raise WebhookError(f'Get "{url}": response body larger than {MAX_RESPONSE} bytes')
                return resp.status, data, dict(resp.headers)
        except TimeoutError:
            raise WebhookError(f'Get "{url}": context deadline exceeded') from None
        except (aiohttp.ClientError, ssl.SSLError, OSError) as exc:
            raise WebhookError(f'Get "{url}": {exc}') from None

    def _session_open(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64))
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
            await asyncio.sleep(0)  # let the connector's transports close
