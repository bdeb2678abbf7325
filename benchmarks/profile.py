"""Profile the server's hot paths: `python -m benchmarks.profile [get|create] [--requests N] [--top N]`.

Runs `mockapi serve` in its own process, drives one kind of request at it with the benchmark's client,
and prints where the server's time went:
* default: under cProfile (SIGTERM stops the server cleanly, so cProfile writes its stats), the functions
  with the most own and the most cumulative time;
* `--py-spy`: sampled by py-spy (if installed; not a project dependency) with far less overhead, the
  share of samples each function is on the stack for (inclusive) and on top of it (own).
Always prints the server's CPU time per request (from /proc, without profiler: a far steadier figure than
req/s on a small machine where client and server share the cores). Not a test; nothing asserts timings.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pstats
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import aiohttp

from benchmarks.__main__ import CONFIGMAPS, create_cm, drive, get_cm
from mockapi.pki import client_ssl_context, ensure_state


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _spawn(args: list[str]) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "serving on" in line:
            return proc, line.rsplit(" ", 1)[-1].strip()
    raise RuntimeError("mockapi exited before serving")


def _py_spy_report(raw: Path, top: int) -> None:
    """Inclusive and own shares per function from py-spy's collapsed stacks (`a;b;c count` lines)."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        count = int(count_text)
        frames = [re.sub(r":\d+\)$", ")", f) for f in stack.split(";")]  # per function, not per line
        total += count
        for frame in set(frames):
            inclusive[frame] += count
        own[frames[-1]] += count
    for title, counter in (("inclusive", inclusive), ("own", own)):
        print(f"\n{title} (% of {total} samples)")
        for frame, count in counter.most_common(top):
            print(f"{100 * count / total:6.1f}%  {frame}")


async def _run(
    state: Path,
    kind: str,
    requests: int,
    concurrency: int,
    profile_out: Path | None,
    spy_out: Path | None,
    baseline: bool,
) -> None:
    pki = ensure_state(state)
    ssl = client_ssl_context(pki, "admin", ["system:masters"])
    serve = ["-m", "mockapi", "serve", "--state-dir", str(state), "--port", "0"]
    if baseline:
        serve = ["-m", "benchmarks.baseline_server", str(state)]
    args = ["-m", "cProfile", "-o", str(profile_out), *serve] if profile_out is not None else serve
    proc, url = _spawn(args)
    spy = None
    try:
        async with aiohttp.ClientSession(url, connector=aiohttp.TCPConnector(ssl=ssl)) as s:
            await s.post(CONFIGMAPS, json={"metadata": {"name": "bench"}, "data": {"key": "value"}})
        warm = get_cm(f"{CONFIGMAPS}/bench") if kind == "get" else create_cm("warm")
        await drive(url, ssl, concurrency * 10, concurrency, warm)
        make = get_cm(f"{CONFIGMAPS}/bench") if kind == "get" else create_cm("p")
        if spy_out is not None:
            spy_args = ["record", "-p", str(proc.pid), "-r", "500", "-f", "raw", "-o", str(spy_out)]
            spy = subprocess.Popen([str(Path(sys.executable).with_name("py-spy")), *spy_args])
            await asyncio.sleep(1)  # py-spy attaches
        before = _cpu_seconds(proc.pid)
        rate = await drive(url, ssl, requests, concurrency, make)
        cpu = _cpu_seconds(proc.pid) - before
        note = " (under cProfile)" if profile_out is not None else " (sampled by py-spy)" if spy else ""
        print(f"{kind}: {rate:.0f} req/s, server CPU {cpu / requests * 1e6:.0f} us/request{note}")
    finally:
        if spy is not None:
            spy.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
            spy.wait(30)
        proc.terminate()
        proc.wait(30)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile")
    parser.add_argument("kind", choices=["get", "create"])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--no-profile", action="store_true", help="only the CPU time per request")
    parser.add_argument("--py-spy", action="store_true", help="sample with py-spy instead of cProfile")
    parser.add_argument("--baseline", action="store_true", help="the baseline server instead of mockapi")
    parser.add_argument("--save", type=Path, help="keep the raw profile (cProfile stats or py-spy stacks)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mockapi-profile-") as tmp:
        out = None if args.no_profile or args.py_spy else Path(tmp) / "server.prof"
        spy_out = Path(tmp) / "spy.txt" if args.py_spy else None
        asyncio.run(_run(Path(tmp), args.kind, args.requests, args.concurrency, out, spy_out, args.baseline))
        if spy_out is not None:
            if args.save is not None:
                shutil.copyfile(spy_out, args.save)
            _py_spy_report(spy_out, args.top)
        if out is not None:
            if args.save is not None:
                shutil.copyfile(out, args.save)
            stats = pstats.Stats(str(out))
            stats.sort_stats("tottime").print_stats(args.top)
            stats.sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
