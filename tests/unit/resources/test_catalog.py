"""Unit tests for mockapi.resources.catalog: the 1.33 data and --runtime-config semantics."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pytest

from mockapi.resources.catalog import Catalog, parse_runtime_config, supported_versions
from mockapi.resources.types import Subresource

GA = re.compile(r"^v\d+$")


def test_supported_versions() -> None:
    assert "1.33" in supported_versions()


def test_unsupported_version_names_supported_ones() -> None:
    with pytest.raises(ValueError, match=r"1\.99.*1\.33"):
        Catalog.load("1.99")


def test_load_is_cached_per_version_and_runtime_config() -> None:
    assert Catalog.load() is Catalog.load("1.33", {})
    assert Catalog.load(runtime_config={"api/all": True}) is Catalog.load(runtime_config={"api/all": True})
    assert Catalog.load(runtime_config={"api/all": True}) is not Catalog.load()


def test_pods() -> None:
    pods = Catalog.load().get("", "v1", "pods")
    assert pods is not None
    assert (pods.kind, pods.singular, pods.namespaced) == ("Pod", "pod", True)
    assert pods.short_names == ("po",)
    assert pods.categories == ("all",)
    assert "deletecollection" in pods.verbs
    assert pods.storage_version_hash == "xPOwRZ+Yhw8="
    assert pods.enabled_by_default
    assert pods.api_version == "v1"
    assert pods.subresource("log") == Subresource("log", "Pod", "", "v1", ("get",))
    assert pods.subresource("eviction") == Subresource("eviction", "Eviction", "policy", "v1", ("create",))
    assert pods.subresource("resize") is not None


@pytest.mark.parametrize(
    ("group", "version", "plural", "sub", "kind", "sub_group", "sub_version"),
    [
        ("apps", "v1", "deployments", "scale", "Scale", "autoscaling", "v1"),
        ("apps", "v1", "deployments", "status", "Deployment", "apps", "v1"),
        ("", "v1", "replicationcontrollers", "scale", "Scale", "autoscaling", "v1"),
        ("", "v1", "serviceaccounts", "token", "TokenRequest", "authentication.k8s.io", "v1"),
        ("", "v1", "namespaces", "finalize", "Namespace", "", "v1"),
        (
            "certificates.k8s.io",
            "v1",
            "certificatesigningrequests",
            "approval",
            "CertificateSigningRequest",
            "certificates.k8s.io",
            "v1",
        ),
    ],
)
def test_subresource_kinds(
    group: str, version: str, plural: str, sub: str, kind: str, sub_group: str, sub_version: str
) -> None:
    rt = Catalog.load().get(group, version, plural)
    assert rt is not None
    found = rt.subresource(sub)
    assert found is not None
    assert (found.kind, found.group, found.version) == (kind, sub_group, sub_version)


@pytest.mark.parametrize(
    ("group", "version", "kind", "plural"),
    [
        ("apps", "v1", "Deployment", "deployments"),
        ("", "v1", "Endpoints", "endpoints"),
        ("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers"),
        ("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles"),
    ],
)
def test_by_kind(group: str, version: str, kind: str, plural: str) -> None:
    rt = Catalog.load().by_kind(group, version, kind)
    assert rt is not None and rt.plural == plural


def test_lookups_miss() -> None:
    catalog = Catalog.load()
    assert catalog.get("apps", "v1", "pods") is None
    assert catalog.by_kind("apps", "v1", "Scale") is None  # subresource kinds are not top-level kinds
    assert catalog.get("storage.k8s.io", "v1beta1", "volumeattributesclasses") is None  # beta: off
    assert catalog.resources("nope", "v1") == []
    assert catalog.versions("nope") == []
    with pytest.raises(KeyError):
        catalog.preferred_version("nope")


def test_default_serves_only_ga_versions() -> None:
    catalog = Catalog.load()
    gvs = catalog.group_versions()
    assert gvs[0] == ("", "v1")
    assert gvs[1] == ("apiregistration.k8s.io", "v1")
    assert all(GA.match(v) for _, v in gvs)
    assert ("autoscaling", "v2") in gvs and ("autoscaling", "v1") in gvs
    assert "resource.k8s.io" not in catalog.groups()
    assert "storagemigration.k8s.io" not in catalog.groups()
    assert all(rt.enabled_by_default for rt in catalog.all())


def test_api_all_enables_alpha_and_beta() -> None:
    catalog = Catalog.load(runtime_config={"api/all": True})
    assert catalog.versions("resource.k8s.io") == ["v1beta2", "v1beta1", "v1alpha3"]
    assert catalog.versions("certificates.k8s.io") == ["v1", "v1beta1", "v1alpha1"]
    assert catalog.preferred_version("storagemigration.k8s.io") == "v1alpha1"
    rt = catalog.get("resource.k8s.io", "v1beta1", "resourceclaims")
    assert rt is not None and not rt.enabled_by_default
    assert len(catalog.all()) > len(Catalog.load().all())


@pytest.mark.parametrize(
    "runtime_config",
    [
        {},
        {"api/all": True},
        {"api/beta": True},
        {"api/alpha": "true"},
        {"api/all": "true", "api/ga": "false"},
    ],
)
def test_every_groups_preferred_version_is_served(runtime_config: Mapping[str, bool | str]) -> None:
    catalog = Catalog.load(runtime_config=runtime_config)
    for group in catalog.groups():
        preferred = catalog.preferred_version(group)
        assert (group, preferred) in catalog.group_versions()
        assert catalog.versions(group)[0] == preferred
        assert catalog.resources(group, preferred)


def test_group_versions_are_grouped_and_ordered() -> None:
    catalog = Catalog.load(runtime_config={"api/all": True})
    assert [g for g, _ in catalog.group_versions()] == [g for g in catalog.groups() for _ in catalog.versions(g)]
    assert catalog.all() == [rt for g, v in catalog.group_versions() for rt in catalog.resources(g, v)]
    for group, version in catalog.group_versions():
        plurals = [rt.plural for rt in catalog.resources(group, version)]
        assert plurals == sorted(plurals), (group, version)  # kube-apiserver sorts by name


def _served(catalog: Catalog) -> set[str]:
    return {f"{g}/{v}" if g else v for g, v in catalog.group_versions()}


@pytest.mark.parametrize(
    ("runtime_config", "present", "absent"),
    [
        ({}, {"v1", "batch/v1"}, {"storage.k8s.io/v1beta1", "storage.k8s.io/v1alpha1"}),
        ({"batch/v1": False}, {"v1"}, {"batch/v1"}),
        (
            {"api/beta": True},
            {"networking.k8s.io/v1beta1", "resource.k8s.io/v1beta2"},
            {"storage.k8s.io/v1alpha1"},
        ),
        ({"api/alpha": "true"}, {"storage.k8s.io/v1alpha1"}, {"storage.k8s.io/v1beta1"}),
        ({"storage.k8s.io/v1beta1": ""}, {"storage.k8s.io/v1beta1"}, {"storage.k8s.io/v1alpha1"}),
        (
            {"api/all": True, "resource.k8s.io/v1alpha3": "false"},
            {"resource.k8s.io/v1beta1"},
            {"resource.k8s.io/v1alpha3"},
        ),
        ({"api/all": "true", "api/ga": "false"}, {"storage.k8s.io/v1beta1"}, {"v1", "apps/v1"}),
        ({"api/all": False, "apps/v1": True}, {"apps/v1"}, {"v1", "batch/v1", "apiextensions.k8s.io/v1"}),
        # The core group is keyed v1 / api/v1; kube-apiserver maps even v1/<resource> to the whole version.
        ({"v1": False}, {"apps/v1"}, {"v1"}),
        ({"api/v1": "false"}, {"apps/v1"}, {"v1"}),
        ({"api/v1/pods": "false"}, {"apps/v1"}, {"v1"}),
        ({"api/legacy": "false"}, {"v1"}, set()),
    ],
)
def test_runtime_config(runtime_config: Mapping[str, bool | str], present: set[str], absent: set[str]) -> None:
    served = _served(Catalog.load(runtime_config=runtime_config))
    assert present <= served
    assert not (absent & served)


def test_resource_level_runtime_config() -> None:
    catalog = Catalog.load(runtime_config={"batch/v1/cronjobs": False, "storage.k8s.io/v1beta1/foos": True})
    assert catalog.get("batch", "v1", "jobs") is not None
    assert catalog.get("batch", "v1", "cronjobs") is None
    only = Catalog.load(runtime_config={"api/beta": True, "networking.k8s.io/v1beta1/servicecidrs": False})
    assert [rt.plural for rt in only.resources("networking.k8s.io", "v1beta1")] == ["ipaddresses"]
    on = Catalog.load(runtime_config={"networking.k8s.io/v1beta1/ipaddresses": True})
    assert [rt.plural for rt in on.resources("networking.k8s.io", "v1beta1")] == ["ipaddresses"]


@pytest.mark.parametrize(
    ("runtime_config", "message"),
    [
        ({"api/all": False}, "invalid key with only api/all=false"),
        ({"foo.example.com/v1": True}, "unknown api groups foo.example.com"),
        ({"apps/v9": True}, "group version apps/v9 that has not been registered"),
        ({"apps": True}, "runtime-config invalid key apps"),
        ({"apps/v1/deployments/scale": True}, "runtime-config invalid key"),
        ({"api/all": "yes"}, "invalid value api/all=yes"),
        ({"api/beta": ""}, "invalid value api/beta="),
        ({"batch/v1": "maybe"}, "invalid value of batch/v1: maybe"),
        ({"apps/v1/Deployments": False}, "resource is always lowercase plural"),
    ],
)
def test_runtime_config_errors(runtime_config: Mapping[str, bool | str], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        Catalog.load(runtime_config=runtime_config)


def test_parse_runtime_config() -> None:
    assert parse_runtime_config("api/all=true, batch/v1=false,,storage.k8s.io/v1beta1") == {
        "api/all": "true",
        "batch/v1": "false",
        "storage.k8s.io/v1beta1": "",
    }


def test_version_info() -> None:
    info = Catalog.load().version_info()
    assert list(info) == [
        "major",
        "minor",
        "emulationMajor",
        "emulationMinor",
        "minCompatibilityMajor",
        "minCompatibilityMinor",
        "gitVersion",
        "gitCommit",
        "gitTreeState",
        "buildDate",
        "goVersion",
        "compiler",
        "platform",
    ]
    assert (info["major"], info["minor"]) == ("1", "33")
    assert info["gitVersion"].startswith("v1.33.")
    assert (info["gitTreeState"], info["compiler"], info["platform"]) == ("clean", "gc", "linux/amd64")
    assert re.fullmatch(r"[0-9a-f]{40}", info["gitCommit"])
    info["major"] = "2"
    assert Catalog.load().version_info()["major"] == "1"  # callers get a copy
