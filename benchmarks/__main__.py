"""Run every benchmark and print ratios: `scripts/bench` (not a test; nothing here asserts timings).

Throughput: mockapi vs. a bare aiohttp handler on the same TLS setup, both in their own process, driven by
the same keep-alive HTTPS client with a client certificate, in `--rounds` rounds of both (the median
round's ratio is shown: on a small shared machine the baseline alone varies by half from run to run,
and back-to-back rounds see the same load). `python -m benchmarks.profile` shows where the server's time
goes. Bearer tokens against client certificates on one server: `benchmarks/authn.py`. Start-up:
`mockapi serve` to the first answered request, against `python -c pass` as the interpreter's own start-up
baseline. Watch memory and a stalled watcher: see `benchmarks/watch_memory.py`.
"""

from __future__ import annotations

import argparse
import asyncio
import ssl as ssl_module
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp

from benchmarks import authn, watch_memory
from mockapi.pki import client_ssl_context, ensure_state

CONFIGMAPS = "/api/v1/namespaces/default/configmaps"


def spawn(args: list[str], marker: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if marker in line:
            return proc, line.rsplit(" ", 1)[-1].strip()
    raise RuntimeError(f"{args} exited before printing {marker!r}")


async def drive(
    url: str,
    ssl: ssl_module.SSLContext,
    requests: int,
    concurrency: int,
    make: Callable[[aiohttp.ClientSession, int], Awaitable[int]],
) -> float:
    connector = aiohttp.TCPConnector(ssl=ssl, limit=concurrency)
    async with aiohttp.ClientSession(url, connector=connector) as session:
        for i in range(concurrency):  # warm up: TLS handshakes and code paths
            await make(session, -1 - i)
        counter = iter(range(requests))

        async def worker() -> None:
            for i in counter:
                status = await make(session, i)
                assert status in (200, 201), status

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return requests / (time.perf_counter() - start)


def get_cm(path: str) -> Callable[[aiohttp.ClientSession, int], Awaitable[int]]:
    async def run(session: aiohttp.ClientSession, _i: int) -> int:
        async with session.get(path, headers={"Accept": "application/json"}) as resp:
            await resp.read()
            return resp.status

    return run


def create_cm(run_id: str) -> Callable[[aiohttp.ClientSession, int], Awaitable[int]]:
    async def run(session: aiohttp.ClientSession, i: int) -> int:
        body = {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": f"cm-{run_id}-{i + 100}"},
            "data": {"key": "value"},
        }
        async with session.post(CONFIGMAPS, json=body) as resp:
            await resp.read()
            return resp.status

    return run


async def throughput(state: Path, requests: int, concurrency: int, rounds: int) -> dict[str, tuple[float, float]]:
    """(mockapi req/s, baseline req/s) per benchmark: of the round whose ratio is the median. Each round
    drives both servers back to back, so load that comes and goes on the machine hits both alike."""
    pki = ensure_state(state)
    ssl = client_ssl_context(pki, "admin", ["system:masters"])
    mock, mock_url = spawn(["-m", "mockapi", "serve", "--state-dir", str(state), "--port", "0"], "serving on")
    base, base_url = spawn(["-m", "benchmarks.baseline_server", str(state)], "serving on")
    try:
        async with aiohttp.ClientSession(mock_url, connector=aiohttp.TCPConnector(ssl=ssl)) as s:
            await s.post(CONFIGMAPS, json={"metadata": {"name": "bench"}, "data": {"key": "value"}})
        per_round = max(requests // rounds, concurrency)
        samples: dict[str, list[tuple[float, float]]] = {"GET configmap": [], "create configmap": []}
        for r in range(rounds):
            samples["GET configmap"].append(
                (
                    await drive(mock_url, ssl, per_round, concurrency, get_cm(f"{CONFIGMAPS}/bench")),
                    await drive(base_url, ssl, per_round, concurrency, get_cm(f"{CONFIGMAPS}/bench")),
                )
            )
            samples["create configmap"].append(
                (
                    await drive(mock_url, ssl, per_round, concurrency, create_cm(f"a{r}")),
                    await drive(base_url, ssl, per_round, concurrency, create_cm(f"b{r}")),
                )
            )
        return {name: sorted(pairs, key=lambda p: p[0] / p[1])[len(pairs) // 2] for name, pairs in samples.items()}
    finally:
        for proc in (mock, base):
            proc.terminate()
            proc.wait(10)


def startup(state: Path, runs: int) -> tuple[float, float]:
    import urllib.request

    pki = ensure_state(state)
    context = client_ssl_context(pki, "admin", ["system:masters"])
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc, url = spawn(["-m", "mockapi", "serve", "--state-dir", str(state), "--port", "0"], "serving on")
        try:
            with urllib.request.urlopen(f"{url}/healthz", context=context) as resp:
                assert resp.status == 200
            times.append(time.perf_counter() - start)
        finally:
            proc.terminate()
            proc.wait(10)
    baseline = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        baseline.append(time.perf_counter() - start)
    return statistics.median(times), statistics.median(baseline)


def main() -> int:
    parser = argparse.ArgumentParser(prog="scripts/bench")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of both servers; the median ratio is shown")
    parser.add_argument("--startup-runs", type=int, default=5)
    parser.add_argument("--watches", type=int, default=1000, help="open watches for the per-watch memory cost")
    parser.add_argument("--events", type=int, default=10_000, help="writes while a watcher is stalled")
    parser.add_argument("--throughput-only", action="store_true", help="skip start-up and watch memory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mockapi-bench-") as tmp:
        state = Path(tmp)
        results = asyncio.run(throughput(state, args.requests, args.concurrency, args.rounds))
        print(f"{'benchmark':<20} {'mockapi req/s':>14} {'baseline req/s':>15} {'ratio':>7}  target")
        targets = {"GET configmap": 0.7, "create configmap": 0.45}
        for name, (mock, base) in results.items():
            print(f"{name:<20} {mock:>14.0f} {base:>15.0f} {mock / base:>7.2f}  >= {targets[name]}")
        for name, ratio in asyncio.run(
            authn.token_vs_certificate(state, args.requests, args.concurrency, args.rounds)
        ).items():
            print(f"{'GET, ' + name + ' vs client certificate':<52} {ratio:>7.2f}  >= 0.9")
        if args.throughput_only:
            return 0
        up, py = startup(state, args.startup_runs)
        print(f"{'start-up (median)':<20} {up * 1000:>12.0f}ms {py * 1000:>13.0f}ms {up / py:>7.1f}x  <= 1000 ms")
        print()
        watch_memory.run(state, args.watches, args.events)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
