"""The official `kubernetes` client against a real mockapi server, through the generated admin kubeconfig."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from clients_support import deployment, service

from mockapi.testing.ci import require_module

require_module("kubernetes")

from kubernetes import client, config, watch  # noqa: E402
from kubernetes.client.exceptions import (  # noqa: E402
    ApiException,
    ConflictException,
    NotFoundException,
    UnprocessableEntityException,
)

NS = "default"


@pytest.fixture
def api(mockapi_kubeconfig: Callable[..., Path]) -> Iterator[client.ApiClient]:
    path = str(mockapi_kubeconfig())
    with config.new_client_from_config(config_file=path) as api_client:  # type: ignore[no-untyped-call]
        yield api_client


def configmap(
    name: str, labels: dict[str, str] | None = None, data: dict[str, str] | None = None
) -> client.V1ConfigMap:
    return client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name, labels=labels), data=data)


def status_of(err: ApiException) -> dict[str, Any]:
    """The metav1.Status the client keeps as the raw body."""
    body: dict[str, Any] = json.loads(err.body or "{}")
    return body


def test_configmap_crud_and_selectors(api: client.ApiClient) -> None:
    core = client.CoreV1Api(api)
    for name, tier in (("web", "front"), ("db", "back")):
        core.create_namespaced_config_map(NS, configmap(name, {"tier": tier}, {"k": name}))
    got = core.read_namespaced_config_map("web", NS)
    assert got.data == {"k": "web"} and got.metadata is not None
    got.data = {"k": "changed"}
    replaced = core.replace_namespaced_config_map("web", NS, got)
    assert replaced.data == {"k": "changed"}
    assert replaced.metadata is not None and got.metadata is not None
    assert int(replaced.metadata.resource_version or 0) > int(got.metadata.resource_version or 0)

    by_label = core.list_namespaced_config_map(NS, label_selector="tier in (back)")
    assert [cm.metadata.name for cm in by_label.items if cm.metadata] == ["db"]
    by_field = core.list_namespaced_config_map(NS, field_selector="metadata.name=web")
    assert [cm.metadata.name for cm in by_field.items if cm.metadata] == ["web"]
    both = core.list_namespaced_config_map(NS, label_selector="tier", field_selector="metadata.name!=web")
    assert [cm.metadata.name for cm in both.items if cm.metadata] == ["db"]

    # a Status answer: this client's generated signature gives it back as a plain dict
    gone = core.delete_namespaced_config_map("web", NS)
    assert isinstance(gone, dict) and gone["status"] == "Success"
    assert (gone["details"]["name"], gone["details"]["kind"]) == ("web", "configmaps")
    with pytest.raises(NotFoundException):
        core.read_namespaced_config_map("web", NS)


def test_service_delete_returns_the_service(api: client.ApiClient) -> None:
    core = client.CoreV1Api(api)
    created = core.create_namespaced_service(NS, client.V1Service.model_validate(service("web")))
    assert created.spec is not None and created.spec.cluster_ip
    # kube-apiserver's Service storage sets ReturnDeletedObject: the client parses a V1Service, not a Status
    gone = core.delete_namespaced_service("web", NS)
    assert isinstance(gone, client.V1Service)
    assert gone.metadata is not None and created.metadata is not None
    assert (gone.metadata.name, gone.metadata.uid) == ("web", created.metadata.uid)
    assert [s.metadata.name for s in core.list_namespaced_service(NS).items if s.metadata] == ["kubernetes"]


def test_deployment_strategic_and_merge_patch(api: client.ApiClient) -> None:
    apps = client.AppsV1Api(api)
    apps.create_namespaced_deployment(NS, client.V1Deployment.model_validate(deployment("web")))
    # a dict body is sent as a strategic merge patch: containers merge by name
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "b", "image": "busybox:2"}]}}}}
    merged = apps.patch_namespaced_deployment("web", NS, patch)
    assert merged.spec is not None and merged.spec.template.spec is not None
    containers = [(c.name, c.image) for c in merged.spec.template.spec.containers]
    assert containers == [("a", "nginx:1"), ("b", "busybox:2")]
    assert merged.metadata is not None and merged.metadata.generation == 2

    # a JSON merge patch replaces the whole list
    replaced = apps.patch_namespaced_deployment("web", NS, patch, _content_type="application/merge-patch+json")
    assert replaced.spec is not None and replaced.spec.template.spec is not None
    assert [c.name for c in replaced.spec.template.spec.containers] == ["b"]

    scaled = apps.patch_namespaced_deployment_scale("web", NS, {"spec": {"replicas": 3}})
    assert scaled.spec is not None and scaled.spec.replicas == 3
    gone = apps.delete_namespaced_deployment("web", NS)
    assert isinstance(gone, dict) and (gone["status"], gone["details"]["group"]) == ("Success", "apps")


def test_server_side_apply_conflict_and_force(api: client.ApiClient) -> None:
    core = client.CoreV1Api(api)
    apply = "application/apply-patch+yaml"
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"owner": "alice"}}
    created = core.patch_namespaced_config_map("cfg", NS, body, field_manager="alice", _content_type=apply)
    assert created.data == {"owner": "alice"}

    bob = {**body, "data": {"owner": "bob"}}
    with pytest.raises(ConflictException) as conflict:
        core.patch_namespaced_config_map("cfg", NS, bob, field_manager="bob", _content_type=apply)
    status = status_of(conflict.value)
    assert (conflict.value.status, status["reason"]) == (409, "Conflict")
    assert status["details"]["causes"][0]["field"] == ".data.owner"

    forced = core.patch_namespaced_config_map("cfg", NS, bob, field_manager="bob", force=True, _content_type=apply)
    assert forced.data == {"owner": "bob"} and forced.metadata is not None
    managers = {(m.manager, m.operation) for m in forced.metadata.managed_fields or []}
    assert ("bob", "Apply") in managers


def test_watch_sees_added_modified_deleted(api: client.ApiClient) -> None:
    core = client.CoreV1Api(api)
    start = core.list_namespaced_config_map(NS).metadata
    assert start is not None
    core.create_namespaced_config_map(NS, configmap("w", {"app": "w"}))
    core.create_namespaced_config_map(NS, configmap("other"))
    core.patch_namespaced_config_map("w", NS, {"data": {"k": "v"}})
    core.delete_namespaced_config_map("w", NS)

    # the watch resumes from the list's resourceVersion, so it replays exactly the changes made since
    w = watch.Watch()  # type: ignore[no-untyped-call]
    seen: list[tuple[str, str, dict[str, str] | None]] = []
    for event in w.stream(  # type: ignore[no-untyped-call]
        core.list_namespaced_config_map,
        NS,
        label_selector="app=w",
        resource_version=start.resource_version,
        timeout_seconds=10,
    ):
        obj = event["object"]
        assert isinstance(obj, client.V1ConfigMap) and obj.metadata is not None
        seen.append((event["type"], obj.metadata.name or "", obj.data))
        if len(seen) == 3:
            w.stop()  # type: ignore[no-untyped-call]
    assert seen == [("ADDED", "w", None), ("MODIFIED", "w", {"k": "v"}), ("DELETED", "w", {"k": "v"})]


def test_errors_carry_the_status(api: client.ApiClient) -> None:
    core = client.CoreV1Api(api)
    with pytest.raises(NotFoundException) as missing:
        core.read_namespaced_config_map("nope", NS)
    assert (missing.value.status, missing.value.reason) == (404, "Not Found")
    assert status_of(missing.value)["message"] == 'configmaps "nope" not found'

    core.create_namespaced_config_map(NS, configmap("dup"))
    with pytest.raises(ConflictException) as exists:
        core.create_namespaced_config_map(NS, configmap("dup"))
    assert status_of(exists.value)["reason"] == "AlreadyExists"

    stale = core.read_namespaced_config_map("dup", NS)
    core.patch_namespaced_config_map("dup", NS, {"data": {"k": "v"}})
    with pytest.raises(ConflictException) as conflict:
        core.replace_namespaced_config_map("dup", NS, stale)
    assert status_of(conflict.value)["reason"] == "Conflict"

    with pytest.raises(UnprocessableEntityException) as invalid:
        core.create_namespaced_config_map(NS, configmap("Not_Valid"))
    status = status_of(invalid.value)
    assert (invalid.value.status, status["reason"]) == (422, "Invalid")
    assert status["details"]["causes"][0]["field"] == "metadata.name"
