"""Watch memory and a stalled watcher, against a `mockapi serve` subprocess on loopback.

* Per-watch cost: the server's RSS (VmRSS in /proc/PID/status) with 0 and N open watches, on uvloop (the
  loop mockapi serves on) and on asyncio's, there with mockapi's TLS read buffer
  (`mockapi.server.TLS_READ_BUFFER`, 64 KiB) against asyncio's own 256 KiB
  (`asyncio.sslproto.SSLProtocol.max_size`, allocated per connection); `--tls-buffers-kib` compares
  other sizes, 16 KiB being the most one TLS record carries.
* A stalled watcher: a client opens a watch and never reads while M ConfigMaps are written. Reported:
  the RSS growth, the write throughput against as many writes without it (half before, half after; a
  ratio, 1.0 means writers were not delayed; the server's CPU time per write too, which other load on
  the machine moves less), and whether the server closed the stalled watch.

`python -m benchmarks.watch_memory` runs it alone; `scripts/bench` runs it after the others.
Not a test: it prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from dataclasses import astuple, dataclass
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp

from mockapi.pki import Pki, client_ssl_context, ensure_state
from mockapi.server import EVENT_LOOP_ENV, TLS_READ_BUFFER

ASYNCIO_TLS_BUFFER = 256 * 1024  # asyncio.sslproto.SSLProtocol.max_size in CPython 3.11-3.13
# `mockapi serve` with asyncio's per-connection TLS read buffer set to {size} bytes.
SERVE_WITH_TLS_BUFFER = (
    "import sys, mockapi.server; mockapi.server.TLS_READ_BUFFER = {size}; "
    "from mockapi.cli import main; sys.exit(main(sys.argv[1:]))"
)
IDLE = "/api/v1/namespaces/kube-public/configmaps"  # no writes land here: the open watches stay quiet
CMS = "/api/v1/namespaces/default/configmaps"


@dataclass
class Server:
    proc: subprocess.Popen[str]
    host: str
    port: int

    def rss_kib(self) -> int:
        time.sleep(0.25)  # let the server finish what the last requests started
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def cpu_seconds(self) -> float:
        """User plus system CPU time: unlike throughput, barely moved by other load on the machine."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def start_server(state: Path, tls_buffer: int | None = None) -> Server:
    """`mockapi serve` on its own loop (uvloop), or with a TLS buffer size on asyncio's loop."""
    env = dict(os.environ)
    code = ["-m", "mockapi"]
    if tls_buffer is not None:
        env[EVENT_LOOP_ENV] = "asyncio"
        if tls_buffer != TLS_READ_BUFFER:
            code = ["-c", SERVE_WITH_TLS_BUFFER.format(size=tls_buffer)]
    args = [sys.executable, *code, "serve", "--state-dir", str(state), "--port", "0"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "serving on" in line:
            url = urlsplit(line.rsplit(" ", 1)[-1].strip())
            return Server(proc, url.hostname or "127.0.0.1", url.port or 443)
    raise RuntimeError("mockapi serve exited before serving")


def open_watch(server: Server, context: ssl.SSLContext, path: str, rcvbuf: int = 0) -> ssl.SSLSocket:
    """A watch over a raw TLS socket; returns once the response headers arrived, and never reads again.

    `rcvbuf` shrinks the socket's receive buffer (set before connecting, so the kernel takes it), so the
    kernel soaks up little of a stream nobody reads.
    """
    raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    raw.settimeout(10)
    raw.connect((server.host, server.port))
    conn = context.wrap_socket(raw, server_hostname=server.host)
    conn.sendall(f"GET {path} HTTP/1.1\r\nHost: {server.host}\r\nAccept: application/json\r\n\r\n".encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = conn.recv(4096)
        if not chunk:
            raise RuntimeError("the server closed the watch")
        head += chunk
    assert head.startswith(b"HTTP/1.1 200"), head[:80]
    return conn


def closed_by_server(conn: ssl.SSLSocket, within: float) -> bool:
    """Read what is left: True if the server ended or aborted the connection, False if it stays open."""
    conn.settimeout(within)
    try:
        while conn.recv(1 << 20):
            pass
    except TimeoutError:
        return False
    except (ConnectionError, ssl.SSLError, OSError):
        pass  # an aborted connection resets instead of ending
    return True


async def write_configmaps(server: Server, context: ssl.SSLContext, prefix: str, count: int) -> None:
    """Create `count` ConfigMaps over 8 keep-alive connections."""
    connector = aiohttp.TCPConnector(ssl=context, limit=8)
    async with aiohttp.ClientSession(f"https://{server.host}:{server.port}", connector=connector) as session:
        names = iter(range(count))

        async def worker() -> None:
            for i in names:
                body = {"metadata": {"name": f"{prefix}-{i}"}, "data": {"key": "value"}}
                async with session.post(CMS, json=body) as resp:
                    await resp.read()
                    assert resp.status == 201, resp.status

        await asyncio.gather(*(worker() for _ in range(8)))


def current_rv(server: Server, context: ssl.SSLContext) -> str:
    conn = http.client.HTTPSConnection(server.host, server.port, context=context, timeout=10)
    try:
        conn.request("GET", f"{CMS}?limit=1", headers={"Accept": "application/json"})
        return str(json.loads(conn.getresponse().read())["metadata"]["resourceVersion"])
    finally:
        conn.close()


def per_watch_cost(state: Path, pki: Pki, watches: int, tls_buffer: int | None) -> tuple[int, int]:
    """(RSS KiB with no watch, RSS KiB with `watches` open watches)."""
    context = client_ssl_context(pki, "admin", ["system:masters"])
    server = start_server(state, tls_buffer)
    conns: list[ssl.SSLSocket] = []
    try:
        rv = current_rv(server, context)
        idle = server.rss_kib()
        conns = [open_watch(server, context, f"{IDLE}?watch=true&resourceVersion={rv}") for _ in range(watches)]
        return idle, server.rss_kib()
    finally:
        for conn in conns:
            conn.close()
        server.stop()


@dataclass
class Phase:
    seconds: float
    cpu_seconds: float
    """The server's."""
    rss_growth_kib: int

    def __add__(self, other: Phase) -> Phase:
        return Phase(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


def stalled_watcher(state: Path, pki: Pki, events: int) -> tuple[Phase, Phase, bool]:
    """`events` creates with a stalled watcher open, and as many without one: half before, half after,
    so a drift in the machine's load shows in neither figure alone. Returns (without, with, closed)."""
    context = client_ssl_context(pki, "admin", ["system:masters"])
    server = start_server(state)

    def phase(name: str, count: int) -> Phase:
        rss, cpu, start = server.rss_kib(), server.cpu_seconds(), time.perf_counter()
        asyncio.run(write_configmaps(server, context, name, count))
        elapsed = time.perf_counter() - start
        return Phase(elapsed, server.cpu_seconds() - cpu, server.rss_kib() - rss)

    try:
        asyncio.run(write_configmaps(server, context, "warmup", 200))
        before = phase("before", events // 2)
        query = f"watch=true&resourceVersion={current_rv(server, context)}&timeoutSeconds=3599"
        stalled = open_watch(server, context, f"{CMS}?{query}", rcvbuf=4096)
        with_stalled = phase("stalled", events)
        closed = closed_by_server(stalled, within=5)
        stalled.close()
        return before + phase("after", events - events // 2), with_stalled, closed
    finally:
        server.stop()


def run(
    state: Path,
    watches: int = 1000,
    events: int = 10_000,
    tls_buffers: tuple[int, ...] = (ASYNCIO_TLS_BUFFER, TLS_READ_BUFFER),
) -> None:
    pki = ensure_state(state)
    print(f"{'server RSS, loop and buffer':<40} {'0 watches':>10} {f'{watches} watches':>14} {'per watch':>10}")
    for size in (None, *tls_buffers):
        idle, loaded = per_watch_cost(state, pki, watches, size)
        label = "uvloop (mockapi's)" if size is None else f"asyncio, {size // 1024} KiB TLS buffer"
        label += {ASYNCIO_TLS_BUFFER: " (default)", TLS_READ_BUFFER: " (mockapi's)"}.get(size or 0, "")
        print(f"{label:<40} {idle / 1024:>7.1f}MiB {loaded / 1024:>11.1f}MiB {(loaded - idle) / watches:>6.1f}KiB")
    without, stalled, closed = stalled_watcher(state, pki, events)
    print(f"{events} creates without / with a stalled watcher (one that never reads), on uvloop:")
    rate, rate_stalled = events / without.seconds, events / stalled.seconds
    print(f"  throughput {rate:.0f} / {rate_stalled:.0f} req/s, ratio {rate_stalled / rate:.2f}")
    cpu, cpu_stalled = without.cpu_seconds / events * 1e6, stalled.cpu_seconds / events * 1e6
    print(f"  server CPU {cpu:.0f} / {cpu_stalled:.0f} us per create, ratio {cpu_stalled / cpu:.2f}")
    print(f"  RSS growth {without.rss_growth_kib / 1024:.1f} / {stalled.rss_growth_kib / 1024:.1f} MiB")
    print(f"  stalled watch closed by the server: {'yes' if closed else 'NO'}")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.watch_memory")
    parser.add_argument("--watches", type=int, default=1000)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--tls-buffers-kib", default="256,64", help="TLS read buffer sizes to compare, e.g. 256,64,16")
    args = parser.parse_args()
    sizes = tuple(int(kib) * 1024 for kib in args.tls_buffers_kib.split(","))
    with tempfile.TemporaryDirectory(prefix="mockapi-bench-") as tmp:
        run(Path(tmp), args.watches, args.events, sizes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
