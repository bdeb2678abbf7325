"""`kr8s` (asyncio API) against a real mockapi server, through the generated admin kubeconfig.

kr8s patches with merge or JSON patches only; strategic merge and apply patches go through its raw
`Api.call_api`, as kr8s users do.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from clients_support import deployment, service

from mockapi.testing.ci import require_module

require_module("kr8s")

import kr8s  # noqa: E402
import kr8s.asyncio  # noqa: E402
from kr8s.asyncio.objects import ConfigMap, Deployment, Service  # noqa: E402

from mockapi.testing.server import ServerThread  # noqa: E402

NS = "default"


@pytest.fixture
async def api(mockapi: ServerThread, tmp_path: Path) -> kr8s.asyncio.Api:
    # kr8s.asyncio.api() caches clients by their arguments: a kubeconfig path of this test's own keeps a
    # client bound to an earlier test's event loop from being handed back
    kubeconfig = mockapi.kubeconfig("admin", ("system:masters",), path=tmp_path / "kubeconfig")
    return await kr8s.asyncio.api(kubeconfig=str(kubeconfig), namespace=NS)


async def names(api: kr8s.asyncio.Api, kind: str, **selectors: Any) -> list[str]:
    return sorted([obj.name async for obj in api.get(kind, namespace=NS, **selectors)])  # type: ignore[union-attr]


async def patch_deployment(api: kr8s.asyncio.Api, name: str, body: Any, content_type: str, **params: str) -> Any:
    headers = {"Content-Type": content_type}
    request: dict[str, Any] = {"params": params, "headers": headers, "content": json.dumps(body)}
    async with api.call_api("PATCH", version="apps/v1", namespace=NS, url=f"deployments/{name}", **request) as resp:
        return resp.json()


async def test_configmaps_crud_and_selectors(api: kr8s.asyncio.Api) -> None:
    assert (await api.version())["gitVersion"].startswith("v1.33.")
    for name, tier in (("web", "front"), ("db", "back")):
        cm = await ConfigMap({"metadata": {"name": name, "labels": {"tier": tier}}, "data": {"k": name}}, api=api)
        await cm.create()
        assert cm.metadata.uid
    assert await names(api, "configmaps", label_selector={"tier": "back"}) == ["db"]
    assert await names(api, "cm", field_selector="metadata.name=web") == ["web"]
    assert await names(api, "configmaps", label_selector="tier", field_selector={"metadata.name": "db"}) == ["db"]

    web = await ConfigMap.get("web", namespace=NS, api=api)
    await web.patch({"data": {"k": "merged"}})
    await web.patch([{"op": "add", "path": "/data/extra", "value": "json"}], type="json")
    await web.label(tier="middle")
    await web.refresh()
    assert (web.raw["data"], web.labels["tier"]) == ({"k": "merged", "extra": "json"}, "middle")
    await web.delete()
    assert not await web.exists()


async def test_deployments_and_services(api: kr8s.asyncio.Api) -> None:
    deploy = await Deployment(deployment("web"), api=api)
    await deploy.create()
    await deploy.scale(3)
    assert deploy.replicas == 3

    # strategic merge patch: containers merge by name
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "b", "image": "busybox:2"}]}}}}
    patched = await patch_deployment(api, "web", patch, "application/strategic-merge-patch+json")
    images = [(c["name"], c["image"]) for c in patched["spec"]["template"]["spec"]["containers"]]
    assert images == [("a", "nginx:1"), ("b", "busybox:2")]

    applied_body = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "labels": {"o": "k"}}}
    applied = await patch_deployment(api, "web", applied_body, "application/apply-patch+yaml", fieldManager="kr8s")
    assert applied["metadata"]["labels"] == {"o": "k"}
    assert any(m["manager"] == "kr8s" and m["operation"] == "Apply" for m in applied["metadata"]["managedFields"])

    svc = await Service(service("web"), api=api)
    await svc.create()
    assert svc.spec.clusterIP
    await svc.delete()
    assert await names(api, "services") == ["kubernetes"]


async def test_watch_sees_added_modified_deleted(api: kr8s.asyncio.Api) -> None:
    seen: list[tuple[str, str]] = []
    before = await ConfigMap({"metadata": {"name": "before"}}, api=api)
    await before.create()
    since = before.metadata.resourceVersion  # the watch replays every change after this one

    async def collect() -> None:
        events = api.watch("configmaps", namespace=NS, field_selector="metadata.name=w", since=since)
        async with contextlib.aclosing(events):
            async for kind, obj in events:
                seen.append((kind, obj.name))
                if len(seen) == 3:
                    return

    watcher = asyncio.create_task(collect())
    w = await ConfigMap({"metadata": {"name": "w"}}, api=api)
    await w.create()
    await w.patch({"data": {"k": "v"}})
    await w.delete()
    await asyncio.wait_for(watcher, timeout=10)
    assert seen == [("ADDED", "w"), ("MODIFIED", "w"), ("DELETED", "w")]


async def test_errors(api: kr8s.asyncio.Api) -> None:
    missing = await ConfigMap({"metadata": {"name": "nope", "namespace": NS}}, api=api)
    with pytest.raises(kr8s.NotFoundError) as not_found:
        await missing.refresh()
    cause = not_found.value.__cause__
    assert isinstance(cause, kr8s.ServerError) and cause.response is not None
    assert (cause.response.status_code, cause.status["reason"]) == (404, "NotFound")  # type: ignore[index]

    there = await ConfigMap({"metadata": {"name": "there"}}, api=api)
    await there.create()
    again = await ConfigMap({"metadata": {"name": "there"}}, api=api)
    with pytest.raises(kr8s.ServerError) as exists:
        await again.create()
    assert exists.value.status["reason"] == "AlreadyExists"  # type: ignore[index]
    assert exists.value.response is not None and exists.value.response.status_code == 409

    stale = there.metadata.resourceVersion
    await there.patch({"data": {"k": "v"}})
    with pytest.raises(kr8s.ServerError) as conflict:
        await there.patch({"metadata": {"resourceVersion": stale}, "data": {"k": "w"}})
    assert conflict.value.status["reason"] == "Conflict"  # type: ignore[index]

    bad = await ConfigMap({"metadata": {"name": "Not_Valid"}}, api=api)
    with pytest.raises(kr8s.ServerError) as invalid:
        await bad.create()
    assert invalid.value.response is not None and invalid.value.response.status_code == 422
    assert invalid.value.status["details"]["causes"][0]["field"] == "metadata.name"  # type: ignore[index]
