"""A mockapi server running in a daemon thread with its own event loop (in-process mode)."""

from __future__ import annotations

import asyncio
import dataclasses
import tempfile
import threading
from collections.abc import Coroutine, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from mockapi.api.types import Obj
from mockapi.config import ServerConfig
from mockapi.server import MockApiServer, new_event_loop

T = TypeVar("T")


class ServerThread:
    """Start with `start()` (or a `with` block); `reset()` brings it back to a fresh cluster."""

    def __init__(self, config: ServerConfig | None = None, **overrides: Any) -> None:
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if config is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="mockapi-")
            config = ServerConfig(state_dir=Path(self._tmp.name), port=0, audit_in_memory=True)
        self.config = dataclasses.replace(config, **overrides) if overrides else config
        self._loop = new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="mockapi-server", daemon=True)
        self.server: MockApiServer | None = None
        self.url = ""

    def _run(self, coro: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def start(self) -> ServerThread:
        self._thread.start()

        async def start() -> str:
            self.server = MockApiServer(self.config)
            return await self.server.start()

        self.url = self._run(start())
        return self

    def reset(self) -> None:
        assert self.server is not None
        self._run(self.server.reset())

    def stop(self) -> None:
        if self.server is not None:
            self._run(self.server.stop())
            self.server = None
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()

    @property
    def state_dir(self) -> Path:
        return self.config.state_dir

    @property
    def admin_kubeconfig(self) -> Path:
        return self.state_dir / "admin.kubeconfig"

    def kubeconfig(
        self,
        user: str,
        groups: Sequence[str] = (),
        path: Path | None = None,
        *,
        token: str | None = None,
        service_account: str | None = None,
    ) -> Path:
        """Write a kubeconfig and return its path: with a fresh client certificate for `user` in `groups`; given
        `token`, presenting that bearer token; given `service_account` ("namespace/name"), presenting a token
        minted for it through the TokenRequest API. With a token, `user` only names the kubeconfig's entry."""
        assert self.server is not None
        if service_account is not None:
            token = self.service_account_token(service_account)
        pki = self.server.components.pki
        text = pki.kubeconfig(self.url, user, groups) if token is None else pki.token_kubeconfig(self.url, token, user)
        if path is None:
            safe = "".join(c if c.isalnum() else "_" for c in user)
            path = self.state_dir / f"{safe}-{abs(hash((tuple(groups), token)))}.kubeconfig"
        path.write_text(text)
        path.chmod(0o600)
        return path

    def service_account_token(
        self, service_account: str, *, audiences: Sequence[str] = (), expiration_seconds: int | None = None
    ) -> str:
        """A bound token for "namespace/name", minted by the admin through TokenRequest (`kubectl create token`)."""
        from mockapi.testing.client import ApiClient  # the client module names this class: imported late

        namespace, _, name = service_account.partition("/")
        if not namespace or not name:
            raise ValueError(f"service_account is namespace/name, not {service_account!r}")
        spec: dict[str, Any] = {}
        if audiences:
            spec["audiences"] = list(audiences)
        if expiration_seconds is not None:
            spec["expirationSeconds"] = expiration_seconds
        body = {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": spec}
        reply = ApiClient(self).post(f"/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token", body)
        if reply.status != 201:
            raise RuntimeError(f"TokenRequest for {service_account} failed: {reply.status} {reply.body.decode()}")
        token: str = reply.json()["status"]["token"]
        return token

    def audit_events(self) -> list[Obj]:
        assert self.server is not None
        return list(self.server.components.memory_audit.events)
