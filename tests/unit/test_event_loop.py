"""The loop servers run on: uvloop by default, asyncio's on request, anything else refused."""

from __future__ import annotations

import asyncio

import pytest
import uvloop

from mockapi.server import EVENT_LOOP_ENV, event_loop_name, new_event_loop, run
from mockapi.testing import ServerThread
from mockapi.testing.client import ApiClient


@pytest.mark.parametrize(("env", "expected"), [(None, "uvloop"), ("uvloop", "uvloop"), ("asyncio", "asyncio")])
def test_the_loop_is_uvloop_unless_asyncio_is_asked_for(
    monkeypatch: pytest.MonkeyPatch, env: str | None, expected: str
) -> None:
    if env is None:
        monkeypatch.delenv(EVENT_LOOP_ENV, raising=False)
    else:
        monkeypatch.setenv(EVENT_LOOP_ENV, env)
    assert event_loop_name() == expected
    loop = new_event_loop()
    try:
        assert isinstance(loop, uvloop.Loop) is (expected == "uvloop")
    finally:
        loop.close()


def test_run_runs_on_the_chosen_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(EVENT_LOOP_ENV, raising=False)

    async def loop_type() -> type:
        return type(asyncio.get_running_loop())

    assert run(loop_type()) is uvloop.Loop


def test_an_unknown_loop_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(EVENT_LOOP_ENV, "trio")
    with pytest.raises(ValueError, match="MOCKAPI_EVENT_LOOP must be uvloop or asyncio, not 'trio'"):
        event_loop_name()


def test_a_server_on_asyncios_loop_serves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(EVENT_LOOP_ENV, "asyncio")
    with ServerThread() as server:
        reply = ApiClient(server).get("/api/v1/namespaces/default")
        assert reply.status == 200
        assert reply.json()["metadata"]["name"] == "default"
