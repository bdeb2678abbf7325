"""`lightkube` (sync Client, typed models) against a real mockapi server, through the generated admin kubeconfig."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from clients_support import deployment, service

from mockapi.testing.ci import require_module

require_module("lightkube")

from lightkube import ApiError, Client, KubeConfig  # noqa: E402
from lightkube.codecs import from_dict  # noqa: E402
from lightkube.models.meta_v1 import ObjectMeta  # noqa: E402
from lightkube.operators import in_, not_equal  # noqa: E402
from lightkube.resources.apps_v1 import Deployment  # noqa: E402
from lightkube.resources.core_v1 import ConfigMap, Service  # noqa: E402
from lightkube.types import PatchType  # noqa: E402

NS = "default"


@pytest.fixture
def kube(mockapi_kubeconfig: Callable[..., Path]) -> Iterator[Client]:
    config = KubeConfig.from_file(mockapi_kubeconfig())
    kube = Client(config=config, namespace=NS, field_manager="lightkube-test")
    yield kube
    kube.close()


def configmap(name: str, labels: dict[str, str] | None = None, data: dict[str, str] | None = None) -> ConfigMap:
    return ConfigMap(metadata=ObjectMeta(name=name, labels=labels), data=data)


def names(objs: Iterable[ConfigMap] | Iterable[Service]) -> list[str]:
    return sorted(obj.metadata.name for obj in objs if obj.metadata and obj.metadata.name)


def test_configmap_crud_selectors_and_pages(kube: Client) -> None:
    for name, tier in (("web", "front"), ("db", "back"), ("cache", "back")):
        created = kube.create(configmap(name, {"tier": tier}, {"k": name}))
        assert created.metadata is not None and created.metadata.uid
    assert names(kube.list(ConfigMap, labels={"tier": "back"})) == ["cache", "db"]
    assert names(kube.list(ConfigMap, labels={"tier": in_(["front"])})) == ["web"]
    assert names(kube.list(ConfigMap, labels={"tier": "back"}, fields={"metadata.name": not_equal("db")})) == ["cache"]
    # chunk_size pages through limit/continue: every item exactly once
    paged = names(kube.list(ConfigMap, chunk_size=1, labels={"tier": in_(["front", "back"])}))
    assert paged == ["cache", "db", "web"]

    web = kube.get(ConfigMap, "web")
    web.data = {"k": "replaced"}
    assert kube.replace(web).data == {"k": "replaced"}
    merged = kube.patch(ConfigMap, "web", {"data": {"x": "y"}}, patch_type=PatchType.MERGE)
    assert merged.data == {"k": "replaced", "x": "y"}
    kube.delete(ConfigMap, "web")
    assert names(kube.list(ConfigMap, labels={"tier": "front"})) == []


def test_deployment_strategic_patch_and_apply(kube: Client) -> None:
    created = kube.create(from_dict(deployment("web")))
    assert isinstance(created, Deployment)
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "b", "image": "busybox:2"}]}}}}
    patched = kube.patch(Deployment, "web", patch)  # PatchType.STRATEGIC is lightkube's default
    assert patched.spec is not None and patched.spec.template.spec is not None
    assert [(c.name, c.image) for c in patched.spec.template.spec.containers] == [("a", "nginx:1"), ("b", "busybox:2")]

    intent = Deployment.from_dict(deployment("web", labels={"owner": "lightkube"}))
    assert intent.spec is not None
    intent.spec.replicas = 2
    applied = kube.apply(intent, force=True)
    assert applied.metadata is not None and applied.metadata.labels == {"owner": "lightkube"}
    assert applied.spec is not None and applied.spec.replicas == 2
    managers = {(m.manager, m.operation) for m in applied.metadata.managedFields or []}
    assert ("lightkube-test", "Apply") in managers


def test_server_side_apply_creates_and_conflicts(kube: Client) -> None:
    applied = kube.apply(configmap("cfg", data={"owner": "one"}), field_manager="one")
    assert applied.data == {"owner": "one"}
    with pytest.raises(ApiError) as conflict:
        kube.apply(configmap("cfg", data={"owner": "two"}), field_manager="two")
    assert (conflict.value.status.code, conflict.value.status.reason) == (409, "Conflict")
    forced = kube.apply(configmap("cfg", data={"owner": "two"}), field_manager="two", force=True)
    assert forced.data == {"owner": "two"}


def test_service_delete_and_list(kube: Client) -> None:
    svc = kube.create(from_dict(service("web")))
    assert isinstance(svc, Service) and svc.spec is not None and svc.spec.clusterIP
    kube.delete(Service, "web")
    assert names(kube.list(Service)) == ["kubernetes"]


def test_watch_sees_added_modified_deleted(kube: Client) -> None:
    before = kube.create(configmap("before"))
    assert before.metadata is not None
    kube.create(configmap("w"))
    kube.patch(ConfigMap, "w", {"data": {"k": "v"}})
    kube.delete(ConfigMap, "w")
    seen: list[tuple[str, str | None]] = []
    # from `before`'s resourceVersion the server replays every later change
    watch = kube.watch(
        ConfigMap, fields={"metadata.name": "w"}, resource_version=before.metadata.resourceVersion, server_timeout=10
    )
    for kind, obj in watch:
        seen.append((kind, obj.metadata.name if obj.metadata else None))
        if len(seen) == 3:
            break
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
def test_errors(kube: Client, case: str, code: int, reason: str) -> None:
    there = kube.create(configmap("there"))
    with pytest.raises(ApiError) as err:
        if case == "missing":
            kube.get(ConfigMap, "nope")
        elif case == "duplicate":
            kube.create(configmap("there"))
        elif case == "stale":
            kube.patch(ConfigMap, "there", {"data": {"k": "v"}})
            kube.replace(there)
        else:
            kube.create(configmap("Not_Valid"))
    assert (err.value.response.status_code, err.value.status.code, err.value.status.reason) == (code, code, reason)
