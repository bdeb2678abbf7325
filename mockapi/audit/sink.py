"""Audit sinks: where finished audit events go."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Protocol

import orjson

from mockapi.api.types import Obj


class AuditSink(Protocol):
    def write(self, event: Obj) -> None: ...

    def close(self) -> None: ...


class JsonLinesFileSink:
    """--audit-log-path: one JSON object per line, as kube-apiserver's log backend in json format."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[bytes] = path.open("ab", buffering=0)

    def write(self, event: Obj) -> None:
        self._file.write(orjson.dumps(event, option=orjson.OPT_APPEND_NEWLINE))  # no copy to add the newline

    def close(self) -> None:
        self._file.close()


class MemorySink:
    """Keeps events in a list; the pytest plugin and the live view read it."""

    def __init__(self, limit: int = 10_000) -> None:
        self.events: list[Obj] = []
        self.limit = limit

    def write(self, event: Obj) -> None:
        self.events.append(event)
        if len(self.events) > self.limit:
            del self.events[: len(self.events) - self.limit]

    def close(self) -> None:
        pass
