"""One registered handler: its own queue and task (client-go `processorListener`), so handlers see
changes in order, one call at a time, without holding up the cache or one another."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable

from mockapi.api.informers import OnAdd, OnDelete, OnUpdate
from mockapi.api.types import Obj

log = logging.getLogger("mockapi.informers")

_Call = tuple[Callable[..., Awaitable[None]], tuple[Obj, ...]]


class HandlerListener:
    """Queues calls to one handler and runs them in a task that exists only while calls are queued."""

    def __init__(
        self,
        resource: str,
        on_add: OnAdd | None,
        on_update: OnUpdate | None,
        on_delete: OnDelete | None,
        detach: Callable[[HandlerListener], None],
    ) -> None:
        self._resource = resource
        self._on_add, self._on_update, self._on_delete = on_add, on_update, on_delete
        self._detach = detach
        self._queue: deque[_Call] = deque()
        self._task: asyncio.Task[None] | None = None
        self._removed = False
        self.active = False
        """Receives changes; False until it was given the synced cache's objects as adds."""

    def added(self, obj: Obj) -> None:
        if self._on_add is not None:
            self._push((self._on_add, (obj,)))

    def updated(self, old: Obj, new: Obj) -> None:
        if self._on_update is not None:
            self._push((self._on_update, (old, new)))

    def deleted(self, obj: Obj) -> None:
        if self._on_delete is not None:
            self._push((self._on_delete, (obj,)))

    def idle(self) -> bool:
        """Nothing queued and no call in progress."""
        return not self._queue and (self._task is None or self._task.done())

    def _push(self, call: _Call) -> None:
        if self._removed:
            return
        self._queue.append(call)
        # A running drain picks the call up (it checks the queue after every call, with no await between
        # the last check and its end); otherwise start one.
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._drain())

    async def _drain(self) -> None:
        while self._queue:
            fn, args = self._queue.popleft()
            try:
                await fn(*args)
            except asyncio.CancelledError:
                raise
            except Exception:  # one failing call must not stop the handler; the operator sees it logged
                log.exception("%s handler %s failed", self._resource, getattr(fn, "__qualname__", fn))

    async def remove(self) -> None:
        if self._removed:
            return
        self._removed = True
        self._queue.clear()
        self._detach(self)
        task, self._task = self._task, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
