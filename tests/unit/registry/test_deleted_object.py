"""Which resources answer an immediate DELETE with the object (`returnDeleted` in strategies.yaml, from each
resource's storage.go `ReturnDeletedObject`), and what the OpenAPI declares for it."""

from __future__ import annotations

import pytest

from mockapi.registry.strategy import strategy_for
from mockapi.resources.catalog import Catalog
from mockapi.resources.openapi.routes import _deletes_return_object
from mockapi.resources.types import ResourceType

RETURN_DELETED_1_33 = {
    "core/namespaces", "core/persistentvolumeclaims", "core/persistentvolumes", "core/pods", "core/podtemplates",
    "core/resourcequotas", "core/serviceaccounts", "core/services",
    "resource.k8s.io/deviceclasses", "resource.k8s.io/devicetaintrules", "resource.k8s.io/resourceclaims",
    "resource.k8s.io/resourceclaimtemplates", "resource.k8s.io/resourceslices",
    "storage.k8s.io/csidrivers", "storage.k8s.io/csinodes", "storage.k8s.io/storageclasses",
    "storage.k8s.io/volumeattachments", "storage.k8s.io/volumeattributesclasses",
}  # fmt: skip
"""pkg/registry/<group>/<resource>/storage/storage.go files of 1.33 that set `ReturnDeletedObject: true`."""


def _every_resource_type() -> list[ResourceType]:
    return Catalog.load("1.33", {"api/all": "true"}).all()


def _key(rt: ResourceType) -> str:
    return f"{rt.group or 'core'}/{rt.plural}"


def test_every_listed_resource_is_served() -> None:
    assert {_key(rt) for rt in _every_resource_type()} >= RETURN_DELETED_1_33


def test_the_strategy_follows_upstream_for_every_resource() -> None:
    for rt in _every_resource_type():
        assert strategy_for(rt).return_deleted is (_key(rt) in RETURN_DELETED_1_33), rt.plural


@pytest.mark.parametrize(
    ("group", "plural", "in_openapi"),
    [
        ("", "services", True),
        ("", "pods", True),
        ("storage.k8s.io", "storageclasses", True),
        # the namespace REST wraps its store: the wire answer is the Namespace, the OpenAPI says Status
        ("", "namespaces", False),
        ("", "nodes", False),
        ("", "configmaps", False),
        ("apps", "deployments", False),
    ],
)
def test_openapi_declares_what_the_route_installer_sees(group: str, plural: str, in_openapi: bool) -> None:
    rt = next(rt for rt in _every_resource_type() if (rt.group, rt.plural) == (group, plural))
    assert _deletes_return_object(rt) is in_openapi
