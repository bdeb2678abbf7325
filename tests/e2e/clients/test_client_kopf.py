"""A small kopf operator against a real mockapi server: its watch streams, patches and finalizers.

The operator runs `kopf.operator()` in a thread with its own event loop, logged in through the generated
admin kubeconfig, and handles ConfigMaps labelled for it: it annotates them on creation, records their
data on update, and (holding its finalizer) sees their deletion. The test observes only through the API.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from mockapi.testing.ci import require_module

require_module("kopf")

import kopf  # noqa: E402

from mockapi.testing.client import ApiClient  # noqa: E402
from mockapi.testing.server import ServerThread  # noqa: E402

NS = "default"
CMS = f"/api/v1/namespaces/{NS}/configmaps"
LABELS = {"e2e.mockapi.dev/operator": "kopf"}
HANDLED = "e2e.mockapi.dev/handled-by"
SEEN = "e2e.mockapi.dev/seen"
WAIT = 15.0  # seconds; each step normally takes well under one


class Operator:
    """One kopf operator in a daemon thread, with the handlers of this test."""

    def __init__(self, kubeconfig: Path) -> None:
        self.deleted: list[str] = []
        self.registry = kopf.OperatorRegistry()
        self.ready = threading.Event()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="kopf-operator", daemon=True)
        self.failure: BaseException | None = None

        @kopf.on.login(registry=self.registry)
        def login(**_: Any) -> kopf.ConnectionInfo:
            return connection_info(kubeconfig)

        @kopf.on.create("configmaps", labels=LABELS, registry=self.registry)
        def created(body: kopf.Body, patch: kopf.Patch, **_: Any) -> None:
            patch.metadata.annotations[HANDLED] = "kopf"
            kopf.info(body, reason="Annotated", message="handled by the e2e operator")

        @kopf.on.update("configmaps", labels=LABELS, field="data", registry=self.registry)
        def updated(new: Any, patch: kopf.Patch, **_: Any) -> None:
            patch.metadata.annotations[SEEN] = ",".join(sorted(new or {}))

        @kopf.on.delete("configmaps", labels=LABELS, registry=self.registry)
        def deleted(name: str, **_: Any) -> None:
            self.deleted.append(name)

    def _run(self) -> None:
        settings = kopf.OperatorSettings()
        try:
            asyncio.run(
                kopf.operator(
                    registry=self.registry,
                    settings=settings,
                    standalone=True,
                    namespaces=[NS],
                    ready_flag=self.ready,
                    stop_flag=self.stop,
                )
            )
        except BaseException as err:  # surfaced by the test rather than lost in the thread
            self.failure = err

    def __enter__(self) -> Operator:
        self.thread.start()
        assert self.ready.wait(WAIT), f"kopf did not start: {self.failure!r}"
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(WAIT)
        assert not self.thread.is_alive(), "kopf did not stop"
        assert self.failure is None, f"kopf failed: {self.failure!r}"


def connection_info(kubeconfig: Path) -> kopf.ConnectionInfo:
    """The kubeconfig's only cluster and user, with its inline (base64) certificates as kopf takes them."""
    config = yaml.safe_load(kubeconfig.read_text())
    cluster, user = config["clusters"][0]["cluster"], config["users"][0]["user"]
    return kopf.ConnectionInfo(
        server=cluster["server"],
        ca_data=cluster["certificate-authority-data"],
        certificate_data=user["client-certificate-data"],
        private_key_data=user["client-key-data"],
    )


def eventually(check: Callable[[], Any], what: str) -> Any:
    """The first truthy result of `check` within WAIT seconds."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"not within {WAIT}s: {what}")


@pytest.fixture
def operator(mockapi: ServerThread, mockapi_kubeconfig: Callable[..., Path]) -> Iterator[Operator]:
    with Operator(mockapi_kubeconfig()) as running:
        yield running


def annotations_of(api: ApiClient, name: str) -> dict[str, str]:
    reply = api.get(f"{CMS}/{name}")
    return dict(reply.json()["metadata"].get("annotations") or {}) if reply.status == 200 else {}


def test_operator_annotates_updates_and_finalizes(mockapi: ServerThread, operator: Operator) -> None:
    api = ApiClient(mockapi)
    assert api.post(CMS, {"metadata": {"name": "ignored"}}).status == 201
    assert api.post(CMS, {"metadata": {"name": "mine", "labels": LABELS}, "data": {"a": "1"}}).status == 201

    eventually(lambda: annotations_of(api, "mine").get(HANDLED) == "kopf", "the create handler's annotation")
    held = api.get(f"{CMS}/mine").json()["metadata"]
    assert held["finalizers"] == ["kopf.zalando.org/KopfFinalizerMarker"], "kopf holds objects it must see deleted"

    assert api.patch(f"{CMS}/mine", {"data": {"a": "2", "b": "3"}}).status == 200
    eventually(lambda: annotations_of(api, "mine").get(SEEN) == "a,b", "the update handler's annotation")

    pending = api.delete(f"{CMS}/mine")
    assert pending.status == 200 and "deletionTimestamp" in pending.json()["metadata"], "held by the finalizer"
    eventually(lambda: api.get(f"{CMS}/mine").status == 404, "kopf releasing its finalizer")
    assert operator.deleted == ["mine"]
    assert annotations_of(api, "ignored") == {}, "unlabelled objects are not the operator's"
    # kopf.info() posts a core/v1 Event about the object, in the background
    about_mine = f"/api/v1/namespaces/{NS}/events?fieldSelector=involvedObject.name%3Dmine"
    events = eventually(lambda: api.get(about_mine).json()["items"], "kopf's Event")
    assert [(e["type"], e["reason"], e["involvedObject"]["kind"]) for e in events] == [
        ("Normal", "Annotated", "ConfigMap")
    ]
