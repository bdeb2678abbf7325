"""Atomic, mode-exact file writes and the state-directory lock."""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
from collections.abc import Iterator
from pathlib import Path


def atomic_write(path: Path, data: bytes, mode: int, *, sync: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file created with ``mode`` and renamed into place.

    The temporary file is created with ``mode`` from the start (``O_EXCL``), so a private key is
    never world-readable, and a crash leaves either the old file or the new one, never half of one.
    """
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
    try:
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), mode)  # exact mode whatever the umask
            f.write(data)
            if sync:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if sync:
        dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def remove_stale_temp_files(directory: Path) -> None:
    """Delete temporary files an interrupted :func:`atomic_write` left behind (call under the lock)."""
    for stale in directory.glob(".*.tmp"):
        stale.unlink(missing_ok=True)


@contextlib.contextmanager
def locked(directory: Path) -> Iterator[None]:
    """Exclusive ``flock`` on ``directory/.lock``: processes sharing a state directory take turns."""
    fd = os.open(directory / ".lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock
