"""Helpers shared by the kubectl end-to-end tests: table parsing, streaming output, audit polling.

Not a test module (no `test_` prefix); the test files import it as a top-level module, which works
because pytest puts this directory on sys.path (rootdir-relative "prepend" import mode, no __init__.py).
"""

from __future__ import annotations

import contextlib
import queue
import re
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import TracebackType

from mockapi.api.types import Obj
from mockapi.testing.server import ServerThread

MANIFESTS = Path(__file__).parent / "manifests"
APP_MANIFEST = MANIFESTS / "app.yaml"

AGE = re.compile(r"^(\d+s|\d+m(\d+s)?)$")
"""A freshly created object's AGE cell, as kube-apiserver humanises it (`0s`, `12s`, `2m3s`)."""
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
ANSI = re.compile(r"\x1b\[[0-9;]*m")

Rows = list[list[str]]


def strip_ansi(text: str) -> str:
    return ANSI.sub("", text)


def table(output: str) -> Rows:
    """A kubectl table, header included, one list of cells per line.

    Columns are separated by at least two spaces (kubectl's tabwriter pads with three); headers like
    `NOMINATED NODE` keep their single space. Empty cells disappear, so only use it for tables whose
    interesting cells are never empty.
    """
    return [re.split(r"\s{2,}", line.strip()) for line in output.splitlines() if line.strip()]


def without_age(rows: Rows) -> Rows:
    """The table with its AGE column checked against `AGE` and removed."""
    header, *body = rows
    column = header.index("AGE")
    for row in body:
        assert AGE.match(row[column]), f"AGE cell {row[column]!r} in {row}"
    return [row[:column] + row[column + 1 :] for row in rows]


def fields(output: str) -> dict[str, str]:
    """`Key:   value` lines of `kubectl describe` at the outermost indentation level."""
    result: dict[str, str] = {}
    for line in output.splitlines():
        if not line or line[0].isspace() or ":" not in line:
            continue
        key, _, value = line.partition(":")
        result.setdefault(key, value.strip())
    return result


class LineStream:
    """Reads a running process's stdout line by line on a thread, so the test can wait with a timeout."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._pump, daemon=True)
        self._thread.start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def next_line(self, timeout: float = 20) -> str:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no output line within {timeout}s") from None
        if line is None:
            raise AssertionError(
                f"process exited with {self.proc.wait()} before printing another line: {self.stderr()}"
            )
        return line

    def lines(self, count: int, timeout: float = 20) -> list[str]:
        return [self.next_line(timeout) for _ in range(count)]

    def stderr(self) -> str:
        if self.proc.poll() is None or self.proc.stderr is None:
            return ""
        return self.proc.stderr.read()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()

    def __enter__(self) -> LineStream:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()


@contextlib.contextmanager
def terminating(proc: subprocess.Popen[str]) -> Iterator[subprocess.Popen[str]]:
    """Make sure a background kubectl does not outlive a failed test."""
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def finish(proc: subprocess.Popen[str], timeout: float = 30) -> tuple[int, str, str]:
    """Wait for a process started with `Kubectl.popen`; returns (exit status, stdout, stderr)."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError(f"process did not finish within {timeout}s\nstdout:\n{out}\nstderr:\n{err}") from None
    return proc.returncode, out, err


def audit_ids(server: ServerThread) -> set[str]:
    return {str(e["auditID"]) for e in server.audit_events()}


def wait_for_request(
    server: ServerThread, seen: Iterable[str], matches: Callable[[Obj], bool], timeout: float = 20
) -> Obj:
    """Poll the audit trail until a request not among `seen` audit IDs matches; returns its event.

    Used to learn that a concurrently running kubectl has reached a given request (for example the
    list before its watch), so the test can make the change it waits for without guessing a delay.
    """
    known = set(seen)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for event in server.audit_events():
            if str(event["auditID"]) not in known and matches(event):
                return event
        time.sleep(0.02)
    raise AssertionError(f"no matching request within {timeout}s")


def informer_list(resource: str, name: str) -> Callable[[Obj], bool]:
    """Matches the `list ?fieldSelector=metadata.name=<name>` a kubectl informer sends before watching."""

    def matches(event: Obj) -> bool:
        ref = event.get("objectRef") or {}
        uri = str(event.get("requestURI", ""))
        return (
            event.get("verb") == "list"
            and ref.get("resource") == resource
            and ("metadata.name%3D" + name in uri or "metadata.name=" + name in uri)
        )

    return matches
