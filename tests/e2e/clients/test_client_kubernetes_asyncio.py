"""`kubernetes_asyncio` against a real mockapi server, through the generated admin kubeconfig."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from clients_support import deployment, service

from mockapi.testing.ci import require_module

require_module("kubernetes_asyncio")

from kubernetes_asyncio import client, config, watch  # noqa: E402
from kubernetes_asyncio.client.exceptions import ApiException  # noqa: E402

NS = "default"


@pytest.fixture
async def api(mockapi_kubeconfig: Callable[..., Path]) -> AsyncIterator[client.ApiClient]:
    api_client = await config.new_client_from_config(config_file=str(mockapi_kubeconfig()))
    async with api_client:
        yield api_client


def configmap(name: str, labels: dict[str, str] | None = None) -> client.V1ConfigMap:
    return client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name, labels=labels))


def manifest(obj: dict[str, Any]) -> Any:
    """A plain manifest as a request body: the client sends dicts as they are, its stubs name only models."""
    return obj


def status_of(err: ApiException) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(err.body or b"{}")
    return body


async def test_crud_selectors_and_json_patch(api: client.ApiClient) -> None:
    core = client.CoreV1Api(api)
    for name, tier in (("web", "front"), ("db", "back")):
        await core.create_namespaced_config_map(NS, configmap(name, {"tier": tier}))
    labelled = await core.list_namespaced_config_map(NS, label_selector="tier=back")
    assert [cm.metadata.name for cm in labelled.items] == ["db"]
    named = await core.list_namespaced_config_map(NS, field_selector="metadata.name=web")
    assert [cm.metadata.name for cm in named.items] == ["web"]

    # a list body is sent as a JSON patch
    ops = [
        {"op": "add", "path": "/data", "value": {"k": "v"}},
        {"op": "test", "path": "/metadata/name", "value": "web"},
    ]
    patched = await core.patch_namespaced_config_map("web", NS, ops)
    assert patched.data == {"k": "v"}

    svc = await core.create_namespaced_service(NS, manifest(service("web")))
    gone = await core.delete_namespaced_service("web", NS)
    assert isinstance(gone, client.V1Service) and gone.metadata.uid == svc.metadata.uid
    status = await core.delete_namespaced_config_map("web", NS)
    assert (status.status, status.details.kind) == ("Success", "configmaps")


async def test_deployment_strategic_merge_patch_and_apply(api: client.ApiClient) -> None:
    apps = client.AppsV1Api(api)
    await apps.create_namespaced_deployment(NS, manifest(deployment("web")))
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "a", "image": "nginx:2"}]}}}}
    patched = await apps.patch_namespaced_deployment("web", NS, patch)
    assert [(c.name, c.image) for c in patched.spec.template.spec.containers] == [("a", "nginx:2"), ("b", "busybox:1")]

    applied = await apps.patch_namespaced_deployment(
        "web",
        NS,
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": {"replicas": 4}},
        field_manager="scaler",
        force=True,  # .spec.replicas belongs to the creating manager until taken over
        _content_type="application/apply-patch+yaml",  # type: ignore[call-arg]  # missing from the stubs
    )
    assert applied.spec.replicas == 4
    owners = {m.manager: (m.operation, m.fields_v1) for m in applied.metadata.managed_fields}
    assert owners["scaler"] == ("Apply", {"f:spec": {"f:replicas": {}}})
    listed = await apps.list_namespaced_deployment(NS, label_selector="app!=x", field_selector="metadata.name=web")
    assert [d.spec.replicas for d in listed.items] == [4]


async def test_watch_sees_added_modified_deleted(api: client.ApiClient) -> None:
    core = client.CoreV1Api(api)
    start = (await core.list_namespaced_config_map(NS)).metadata.resource_version
    seen: list[tuple[str, str]] = []

    async def collect() -> None:
        async with watch.Watch().stream(
            core.list_namespaced_config_map, NS, resource_version=start, field_selector="metadata.name=w"
        ) as stream:
            async for event in stream:
                seen.append((event["type"], event["object"].metadata.name))
                if len(seen) == 3:
                    return

    watcher = asyncio.create_task(collect())
    await core.create_namespaced_config_map(NS, configmap("w"))
    await core.create_namespaced_config_map(NS, configmap("unwatched"))
    await core.patch_namespaced_config_map("w", NS, {"data": {"k": "v"}})
    await core.delete_namespaced_config_map("w", NS)
    await asyncio.wait_for(watcher, timeout=10)
    assert seen == [("ADDED", "w"), ("MODIFIED", "w"), ("DELETED", "w")]


@pytest.mark.parametrize(
    ("case", "code", "reason"),
    [
        pytest.param("missing", 404, "NotFound", id="404-NotFound"),
        pytest.param("duplicate", 409, "AlreadyExists", id="409-AlreadyExists"),
        pytest.param("stale", 409, "Conflict", id="409-Conflict"),
        pytest.param("invalid", 422, "Invalid", id="422-Invalid"),
    ],
)
async def test_errors(api: client.ApiClient, case: str, code: int, reason: str) -> None:
    core = client.CoreV1Api(api)
    cm = await core.create_namespaced_config_map(NS, configmap("there"))
    with pytest.raises(ApiException) as err:
        if case == "missing":
            await core.read_namespaced_config_map("nope", NS)
        elif case == "duplicate":
            await core.create_namespaced_config_map(NS, configmap("there"))
        elif case == "stale":
            await core.patch_namespaced_config_map("there", NS, {"data": {"k": "v"}})
            await core.replace_namespaced_config_map("there", NS, cm)
        else:
            await core.create_namespaced_config_map(NS, configmap("there", {"bad key": "v"}))
    status = status_of(err.value)
    assert (err.value.status, status["code"], status["reason"]) == (code, code, reason)
