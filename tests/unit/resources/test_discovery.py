"""Unit tests for mockapi.resources.discovery: document shapes, negotiation, ETag."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from mockapi.api.jsonio import go_json
from mockapi.resources import discovery as d
from mockapi.resources.catalog import Catalog

AGG_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
AGG_V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"
PROTO_V2 = "application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
KUBECTL_127 = f"{AGG_V2BETA1},application/json"  # kubectl 1.27-1.29, GET /api and /apis
KUBECTL_133 = f"{AGG_V2},{AGG_V2BETA1},application/json"  # kubectl 1.30-1.33
KUBECTL_LEGACY = "application/json, */*"  # per-group-version requests
REFERENCE = Path(__file__).resolve().parents[2] / "fixtures" / "upstream-discovery"
"""kube-apiserver's discovery golden files for 1.33 (provenance: PROVENANCE.md there)."""


def test_api_versions() -> None:
    doc = d.api_versions("127.0.0.1:6443")
    assert json.dumps(doc, separators=(",", ":")) == (
        '{"kind":"APIVersions","versions":["v1"],'
        '"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1:6443"}]}'
    )


def test_api_group_list() -> None:
    doc = d.api_group_list(Catalog.load())
    assert list(doc) == ["kind", "apiVersion", "groups"]
    names = [g["name"] for g in doc["groups"]]
    assert names[:3] == ["apiregistration.k8s.io", "apps", "events.k8s.io"]
    assert "" not in names and "resource.k8s.io" not in names
    autoscaling = doc["groups"][names.index("autoscaling")]
    assert autoscaling == {
        "name": "autoscaling",
        "versions": [
            {"groupVersion": "autoscaling/v2", "version": "v2"},
            {"groupVersion": "autoscaling/v1", "version": "v1"},
        ],
        "preferredVersion": {"groupVersion": "autoscaling/v2", "version": "v2"},
    }
    assert list(autoscaling) == ["name", "versions", "preferredVersion"]
    for group in doc["groups"]:
        assert all(re.fullmatch(r"v\d+", v["version"]) for v in group["versions"])
        assert group["preferredVersion"] == group["versions"][0]


def test_api_group() -> None:
    catalog = Catalog.load()
    assert d.api_group(catalog, "") is None
    assert d.api_group(catalog, "resource.k8s.io") is None  # beta only: not served by default
    assert d.api_group(catalog, "example.com") is None
    doc = d.api_group(catalog, "apps")
    assert doc is not None
    assert list(doc) == ["kind", "apiVersion", "name", "versions", "preferredVersion"]
    assert (doc["kind"], doc["apiVersion"], doc["name"]) == ("APIGroup", "v1", "apps")


def test_api_resource_list_core_and_named() -> None:
    catalog = Catalog.load()
    core = d.api_resource_list(catalog, "", "v1")
    assert core is not None
    assert list(core) == ["kind", "groupVersion", "resources"]  # no apiVersion on /api/v1
    apps = d.api_resource_list(catalog, "apps", "v1")
    assert apps is not None
    assert list(apps) == ["kind", "apiVersion", "groupVersion", "resources"]
    assert (apps["apiVersion"], apps["groupVersion"]) == ("v1", "apps/v1")
    assert d.api_resource_list(catalog, "storage.k8s.io", "v1beta1") is None
    assert d.api_resource_list(catalog, "apps", "v2") is None


def _entry(doc: dict[str, Any] | None, name: str) -> dict[str, Any]:
    assert doc is not None
    return next(r for r in doc["resources"] if r["name"] == name)


@pytest.mark.parametrize(
    ("group", "version", "name", "expected"),
    [
        (
            "",
            "v1",
            "pods",
            {
                "name": "pods",
                "singularName": "pod",
                "namespaced": True,
                "kind": "Pod",
                "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
                "shortNames": ["po"],
                "categories": ["all"],
                "storageVersionHash": "xPOwRZ+Yhw8=",
            },
        ),
        (
            "",
            "v1",
            "pods/log",
            {"name": "pods/log", "singularName": "", "namespaced": True, "kind": "Pod", "verbs": ["get"]},
        ),
        (
            "",
            "v1",
            "bindings",
            {
                "name": "bindings",
                "singularName": "binding",
                "namespaced": True,
                "kind": "Binding",
                "verbs": ["create"],
            },
        ),
        (
            "apps",
            "v1",
            "deployments/scale",
            {
                "name": "deployments/scale",
                "singularName": "",
                "namespaced": True,
                "group": "autoscaling",
                "version": "v1",
                "kind": "Scale",
                "verbs": ["get", "patch", "update"],
            },
        ),
        (
            "",
            "v1",
            "serviceaccounts/token",
            {
                "name": "serviceaccounts/token",
                "singularName": "",
                "namespaced": True,
                "group": "authentication.k8s.io",
                "version": "v1",
                "kind": "TokenRequest",
                "verbs": ["create"],
            },
        ),
        (
            "",
            "v1",
            "namespaces/finalize",
            {
                "name": "namespaces/finalize",
                "singularName": "",
                "namespaced": False,
                "kind": "Namespace",
                "verbs": ["update"],
            },
        ),
    ],
)
def test_api_resource_entries(group: str, version: str, name: str, expected: dict[str, Any]) -> None:
    entry = _entry(d.api_resource_list(Catalog.load(), group, version), name)
    assert entry == expected
    assert list(entry) == list(expected)  # Go field order


def test_aggregated_legacy() -> None:
    doc = d.aggregated(Catalog.load(), legacy=True)
    assert list(doc) == ["kind", "apiVersion", "metadata", "items"]
    assert (doc["kind"], doc["apiVersion"], doc["metadata"]) == (
        "APIGroupDiscoveryList",
        "apidiscovery.k8s.io/v2",
        {},
    )
    [item] = doc["items"]
    assert item["metadata"] == {"creationTimestamp": None}  # name "" is omitted
    [version] = item["versions"]
    assert list(version) == ["version", "resources", "freshness"]
    pods = next(r for r in version["resources"] if r["resource"] == "pods")
    assert list(pods) == [
        "resource",
        "responseKind",
        "scope",
        "singularResource",
        "verbs",
        "shortNames",
        "categories",
        "subresources",
    ]
    assert pods["responseKind"] == {"group": "", "version": "", "kind": "Pod"}
    eviction = next(s for s in pods["subresources"] if s["subresource"] == "eviction")
    assert eviction == {
        "subresource": "eviction",
        "responseKind": {"group": "policy", "version": "v1", "kind": "Eviction"},
        "verbs": ["create"],
    }


def test_aggregated_apis_matches_plain_documents() -> None:
    catalog = Catalog.load(runtime_config={"api/beta": True})
    doc = d.aggregated(catalog, legacy=False, version="v2beta1")
    assert doc["apiVersion"] == "apidiscovery.k8s.io/v2beta1"
    groups = d.api_group_list(catalog)["groups"]
    assert [i["metadata"] for i in doc["items"]] == [{"name": g["name"], "creationTimestamp": None} for g in groups]
    for item, group in zip(doc["items"], groups, strict=True):
        assert [v["version"] for v in item["versions"]] == [v["version"] for v in group["versions"]]
        for version in item["versions"]:
            plain = d.api_resource_list(catalog, group["name"], version["version"])
            assert plain is not None
            expected = []
            for res in version["resources"]:
                expected.append(res["resource"])
                expected += [f"{res['resource']}/{s['subresource']}" for s in res.get("subresources", [])]
                assert _entry(plain, res["resource"])["kind"] == res["responseKind"]["kind"]
            assert expected == [r["name"] for r in plain["resources"]]
    # JSON round trip keeps the shape (no tuples or other non-JSON values inside)
    assert json.loads(json.dumps(doc)) == doc


def test_api_all_reproduces_upstream_golden_files() -> None:
    catalog = Catalog.load(runtime_config={"api/all": True})
    paths = sorted(REFERENCE.glob("*.json"))
    assert len(paths) == 60, REFERENCE
    for path in paths:
        parts = path.stem.split("__")
        got: dict[str, Any] | None
        if path.stem == "aggregated_v2":
            got = d.aggregated(catalog, legacy=False)
        elif path.stem == "apis":
            got = d.api_group_list(catalog)
        elif path.stem == "api":
            got = d.api_versions("10.10.10.10:8050")
        elif len(parts) == 2 and parts[0] == "apis":
            got = d.api_group(catalog, parts[1])
        else:
            got = d.api_resource_list(catalog, "" if parts[0] == "api" else parts[1], parts[-1])
        assert got == json.loads(path.read_text()), path.name


def test_etag() -> None:
    catalog = Catalog.load()
    etag = d.aggregated_etag(catalog, legacy=False)
    assert re.fullmatch(r'"[0-9A-F]{128}"', etag)
    body = {"metadata": {}, "items": d.aggregated(catalog, legacy=False)["items"]}
    compact = json.dumps(body, separators=(",", ":")).encode()
    assert etag == '"' + hashlib.sha512(compact).hexdigest().upper() + '"'
    assert etag == d.aggregated_etag(catalog, legacy=False)
    assert etag != d.aggregated_etag(catalog, legacy=True)
    assert etag != d.aggregated_etag(Catalog.load(runtime_config={"api/all": True}), legacy=False)
    assert d.etag_matches(etag, etag)
    assert not d.etag_matches(etag.strip('"'), etag)
    assert not d.etag_matches(None, etag)


def test_go_json_escapes_like_go() -> None:
    assert go_json({"a": "<&>", "b": [1, None]}) == b'{"a":"\\u003c\\u0026\\u003e","b":[1,null]}'


@pytest.mark.parametrize(
    ("accept", "expected", "expected_with_v2beta1"),
    [
        (KUBECTL_127, None, "v2beta1"),  # 1.33 no longer serves v2beta1: old kubectl gets plain docs
        (KUBECTL_133, "v2", "v2"),
        (KUBECTL_LEGACY, None, None),
        ("", None, None),
        ("*/*", None, None),
        (AGG_V2, "v2", "v2"),
        (AGG_V2BETA1, None, "v2beta1"),
        (f"{AGG_V2BETA1},{AGG_V2}", "v2", "v2beta1"),  # order decides between equal q
        (f"{AGG_V2};q=0.5,{AGG_V2BETA1};q=0.9", "v2", "v2beta1"),  # q decides
        # Non-aggregated clauses never match under the discovery restrictions, whatever their q.
        (f"application/json,{AGG_V2};q=0.1", "v2", "v2"),
        ("*/*;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", "v2", "v2"),
        ("application/*;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", "v2", "v2"),
        (f"{AGG_V2};stream=watch", "v2", "v2"),
        (f"{AGG_V2};sv=v1", None, None),
        ("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscovery", None, None),
        ("application/json;g=meta.k8s.io;v=v1;as=Table", None, None),
        ("application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList", None, None),
        (PROTO_V2, None, None),  # JSON-only emulation skips protobuf clauses
        (f"{PROTO_V2},{AGG_V2}", "v2", "v2"),
    ],
)
def test_negotiate_discovery(accept: str, expected: str | None, expected_with_v2beta1: str | None) -> None:
    assert d.negotiate_discovery(accept) == expected
    assert d.negotiate_discovery(accept, serve_v2beta1=True) == expected_with_v2beta1


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (KUBECTL_133, ("application/json", "v2")),
        (f"{PROTO_V2},{AGG_V2}", ("application/vnd.kubernetes.protobuf", "v2")),
        ("*/*;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", ("application/json", "v2")),
        ("application/yaml;stream=watch;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", None),
        (KUBECTL_LEGACY, None),
    ],
)
def test_negotiate_discovery_media(accept: str, expected: tuple[str, str] | None) -> None:
    assert d.negotiate_discovery_media(accept) == expected


def test_discovery_content_type() -> None:
    assert d.discovery_content_type("v2") == AGG_V2
    assert d.discovery_content_type("v2beta1") == AGG_V2BETA1
    assert d.discovery_content_type(None) == "application/json"
    assert d.discovery_content_type("v2", "application/vnd.kubernetes.protobuf") == PROTO_V2


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("text/html;q=0.1, application/json", [("application", "json", 1.0), ("text", "html", 0.1)]),
        ("*/*, application/json;q=0.5", [("application", "json", 0.5), ("*", "*", 1.0)]),  # goautoneg quirk
        ("application/, a/b/c, text", []),
        ("*", [("*", "*", 1.0)]),
        ("a/b;q=abc, c/d;q=0.2", [("c", "d", 0.2), ("a", "b", 0.0)]),
        ("a/b;q=0", [("a", "b", 0.0)]),
    ],
)
def test_parse_accept(header: str, expected: list[tuple[str, str, float]]) -> None:
    got = [(c.type, c.subtype, round(c.q, 6)) for c in d.parse_accept(header)]
    assert got == expected


def test_parse_accept_params() -> None:
    [clause] = d.parse_accept(" application/json ; g = x ;v=v2; as=K;bad; k=a=b;e=")
    assert clause.params == {"g": "x", "v": "v2", "as": "K"}
