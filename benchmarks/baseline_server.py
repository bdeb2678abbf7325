"""The baseline: a bare aiohttp handler behind the same TLS setup as mockapi (same certificates, same
client-certificate request), answering a fixed ConfigMap. `python -m benchmarks.baseline_server DIR`."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import orjson
from aiohttp import web

from mockapi.pki import ensure_state, server_ssl_context

BODY = orjson.dumps(
    {
        "kind": "ConfigMap",
        "apiVersion": "v1",
        "metadata": {
            "name": "bench",
            "namespace": "default",
            "uid": "00000000-0000-0000-0000-000000000000",
            "resourceVersion": "42",
            "creationTimestamp": "2026-01-01T00:00:00Z",
        },
        "data": {"key": "value"},
    }
)


async def main(state_dir: Path) -> None:
    pki = ensure_state(state_dir)

    async def get(request: web.Request) -> web.Response:
        return web.Response(body=BODY, content_type="application/json")

    async def create(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(body=BODY, status=201, content_type="application/json")

    app = web.Application()
    app.router.add_get("/{tail:.*}", get)
    app.router.add_post("/{tail:.*}", create)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=server_ssl_context(pki))
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    print(f"baseline serving on https://127.0.0.1:{port}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
