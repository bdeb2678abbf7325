"""Storage and REST semantics through the whole server: resourceVersion, generation, dry run, status and
scale subresources, deletecollection, pagination, finalizers, content negotiation."""

from __future__ import annotations

import time
from typing import Any

from mockapi.testing.client import ApiClient
from mockapi.testing.server import ServerThread

CMS = "/api/v1/namespaces/default/configmaps"
DEPLOYS = "/apis/apps/v1/namespaces/default/deployments"
TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"


def deployment(name: str, replicas: int = 1) -> dict[str, Any]:
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}},
        },
    }


def test_create_fills_system_fields_and_one_global_revision(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    first = c.post(CMS, {"metadata": {"name": "a"}}).json()
    second = c.post("/api/v1/namespaces/kube-system/configmaps", {"metadata": {"name": "b"}}).json()
    assert int(second["metadata"]["resourceVersion"]) > int(first["metadata"]["resourceVersion"])
    assert len(first["metadata"]["uid"]) == 36
    assert first["metadata"]["creationTimestamp"].endswith("Z")
    assert first["metadata"]["namespace"] == "default"
    assert "generation" not in first["metadata"], "ConfigMaps do not track generation"
    listed = c.get(CMS).json()
    assert listed["kind"] == "ConfigMapList" and listed["apiVersion"] == "v1"
    assert int(listed["metadata"]["resourceVersion"]) >= int(second["metadata"]["resourceVersion"])
    assert all("kind" not in item for item in listed["items"]), "typed list items carry no kind"


def test_generate_name(mockapi: ServerThread) -> None:
    reply = ApiClient(mockapi).post(CMS, {"metadata": {"generateName": "web-"}})
    assert reply.status == 201
    name = reply.json()["metadata"]["name"]
    assert name.startswith("web-") and len(name) == len("web-") + 5
    assert set(name[4:]) <= set("bcdfghjklmnpqrstvwxz2456789")


def test_generation_bumps_on_spec_change_only(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    created = c.post(DEPLOYS, deployment("web")).json()
    assert created["metadata"]["generation"] == 1
    assert created["status"] == {}, "client-sent status is reset on create"
    labelled = c.patch(f"{DEPLOYS}/web", {"metadata": {"labels": {"x": "y"}}}).json()
    assert labelled["metadata"]["generation"] == 1
    scaled = c.patch(f"{DEPLOYS}/web", {"spec": {"replicas": 3}}).json()
    assert scaled["metadata"]["generation"] == 2


def test_unchanged_update_keeps_resource_version(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    created = c.post(CMS, {"metadata": {"name": "same"}, "data": {"k": "v"}}).json()
    again = c.patch(f"{CMS}/same", {"data": {"k": "v"}}).json()
    assert again["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]


def test_status_subresource_changes_only_status(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    c.post(DEPLOYS, deployment("web"))
    main = c.patch(f"{DEPLOYS}/web", {"status": {"replicas": 5}}).json()
    assert main["status"] == {}, "the main resource ignores status"
    status = c.patch(f"{DEPLOYS}/web/status", {"status": {"replicas": 5}, "spec": {"replicas": 9}}).json()
    assert status["status"]["replicas"] == 5
    assert status["spec"]["replicas"] == 1, "the status subresource ignores spec"


def test_scale_subresource(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    c.post(DEPLOYS, deployment("web", 2))
    scale = c.get(f"{DEPLOYS}/web/scale").json()
    assert scale["kind"] == "Scale" and scale["apiVersion"] == "autoscaling/v1"
    assert scale["spec"] == {"replicas": 2}
    assert scale["status"] == {"replicas": 0, "selector": "app=web"}
    scale["spec"]["replicas"] = 4
    # kubectl scale --current-replicas sends the Scale with no Content-Type: that means JSON
    reply = c.request("PUT", f"{DEPLOYS}/web/scale", scale, {"Content-Type": ""})
    assert reply.status == 200 and reply.json()["spec"]["replicas"] == 4
    assert c.get(f"{DEPLOYS}/web").json()["spec"]["replicas"] == 4


def test_dry_run_stores_nothing_and_consumes_no_revision(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    before = c.get(CMS).json()["metadata"]["resourceVersion"]
    reply = c.post(f"{CMS}?dryRun=All", {"metadata": {"name": "ghost"}})
    assert reply.status == 201
    assert "resourceVersion" not in reply.json()["metadata"]
    assert c.get(f"{CMS}/ghost").status == 404
    assert c.get(CMS).json()["metadata"]["resourceVersion"] == before
    bad = c.post(f"{CMS}?dryRun=Some", {"metadata": {"name": "ghost"}})
    assert bad.status == 422  # ValidateDryRun, in ValidateCreateOptions
    assert bad.json()["message"] == (
        'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Some"}: supported values: "All"'
    )
    gone = c.request("DELETE", f"{CMS}/kube-root-ca.crt?dryRun=all")
    assert gone.json()["message"] == (
        'DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"all"}: supported values: "All"'
    )


def test_delete_answers_status_or_object_per_kind(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    cm = c.post(CMS, {"metadata": {"name": "gone"}}).json()
    deleted = c.delete(f"{CMS}/gone").json()
    assert deleted == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Success",
        "details": {"name": "gone", "kind": "configmaps", "uid": cm["metadata"]["uid"]},
    }
    pod = {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "busybox"}]}}
    assert c.post("/api/v1/namespaces/default/pods", pod).status == 201
    gone_pod = c.delete("/api/v1/namespaces/default/pods/p").json()
    assert gone_pod["kind"] == "Pod" and gone_pod["metadata"]["name"] == "p"


def test_finalizers_hold_deletion_until_removed(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    c.post(CMS, {"metadata": {"name": "held", "finalizers": ["example.com/hold"]}})
    pending = c.delete(f"{CMS}/held").json()
    assert pending["kind"] == "ConfigMap"
    assert "deletionTimestamp" in pending["metadata"] and pending["metadata"]["deletionGracePeriodSeconds"] == 0
    assert c.get(f"{CMS}/held").status == 200
    again = c.post(CMS, {"metadata": {"name": "held"}})
    assert again.json()["message"] == 'object is being deleted: configmaps "held" already exists'
    assert c.patch(f"{CMS}/held", {"metadata": {"finalizers": None}}).status == 200
    assert c.get(f"{CMS}/held").status == 404


def test_delete_precondition_conflict(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    c.post(CMS, {"metadata": {"name": "pre"}})
    reply = c.delete(f"{CMS}/pre", {"preconditions": {"uid": "nope"}})
    assert reply.status == 409
    assert reply.json()["message"].startswith(
        'Operation cannot be fulfilled on configmaps "pre": Precondition failed: UID in precondition: nope, '
    )


def test_deletecollection_with_label_selector(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    for name, tier in [("a", "web"), ("b", "web"), ("c", "db")]:
        c.post(CMS, {"metadata": {"name": name, "labels": {"tier": tier}}})
    reply = c.delete(f"{CMS}?labelSelector=tier%3Dweb")
    assert reply.status == 200
    body = reply.json()
    assert body["kind"] == "ConfigMapList"
    assert sorted(item["metadata"]["name"] for item in body["items"]) == ["a", "b"]
    remaining = {i["metadata"]["name"] for i in c.get(CMS).json()["items"]}
    assert "c" in remaining and not {"a", "b"} & remaining


def test_pagination_and_expired_continue(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    for i in range(5):
        c.post(CMS, {"metadata": {"name": f"p{i}"}})
    names: list[str] = []
    page = c.get(f"{CMS}?limit=2").json()
    assert page["metadata"]["remainingItemCount"] == 4  # kube-root-ca.crt plus p0..p4, two returned
    names += [i["metadata"]["name"] for i in page["items"]]
    while page["metadata"].get("continue"):
        page = c.get(f"{CMS}?limit=2&continue={page['metadata']['continue']}").json()
        names += [i["metadata"]["name"] for i in page["items"]]
    assert names == ["kube-root-ca.crt", "p0", "p1", "p2", "p3", "p4"]
    expired = c.get(f"{CMS}?limit=2&continue=eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MSwic3RhcnQiOiJwMVx1MDAwMCJ9")
    assert expired.status == 410
    assert expired.json()["reason"] == "Expired"
    assert expired.json()["message"].startswith("The provided continue parameter is too old")
    fresh = expired.json()["metadata"]["continue"]  # a token at revision -1: continue at the latest one
    assert c.get(f"{CMS}?limit=2&continue={fresh}").status == 200


def test_table_and_partial_metadata(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    c.post(CMS, {"metadata": {"name": "t", "labels": {"a": "b"}}, "data": {"x": "1", "y": "2"}})
    table = c.get(CMS, {"Accept": TABLE}).json()
    assert table["kind"] == "Table" and table["apiVersion"] == "meta.k8s.io/v1"
    assert [d["name"] for d in table["columnDefinitions"]] == ["Name", "Data", "Age"]
    row = next(r for r in table["rows"] if r["cells"][0] == "t")
    assert row["cells"][1] == 2
    assert row["object"]["kind"] == "PartialObjectMetadata"
    assert row["object"]["metadata"]["labels"] == {"a": "b"}
    partial = c.get(f"{CMS}/t", {"Accept": "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io"}).json()
    assert partial["kind"] == "PartialObjectMetadata" and "data" not in partial
    yaml_reply = c.get(f"{CMS}/t", {"Accept": "application/yaml"})
    assert yaml_reply.headers["Content-Type"] == "application/yaml"
    assert yaml_reply.body.startswith(b"kind: ConfigMap\napiVersion: v1\n")
    only_protobuf = c.get(f"{CMS}/t", {"Accept": "application/vnd.kubernetes.protobuf"})
    assert only_protobuf.headers["Content-Type"] == "application/vnd.kubernetes.protobuf"
    assert only_protobuf.body.startswith(b"k8s\x00")
    refused = c.get(f"{CMS}/t", {"Accept": "text/html"})
    assert refused.status == 406 and refused.json()["reason"] == "NotAcceptable"


def test_yaml_request_body(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    body = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  k: v\n"
    reply = c.request("POST", CMS, body, {"Content-Type": "application/yaml"})
    assert reply.status == 201 and reply.json()["data"] == {"k": "v"}
    broken = c.request("POST", CMS, b"metadata: [unclosed", {"Content-Type": "application/yaml"})
    assert broken.status == 400 and broken.json()["reason"] == "BadRequest"
    assert c.get(f"{CMS}/from-yaml").status == 200


def test_json_body_is_rendered_like_go(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    reply = c.post(CMS, {"metadata": {"name": "html"}, "data": {"k": "<a&b>"}})
    assert b'"k":"\\u003ca\\u0026b\\u003e"' in reply.body
    assert reply.body.endswith(b"}\n")


def test_health_endpoints(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi, None)
    assert c.get("/healthz").body == b"ok"
    verbose = c.get("/readyz?verbose").body.decode()
    assert verbose.endswith("\nreadyz check passed\n")
    assert "[+]ping ok" in verbose
    assert c.get("/livez/ping").body == b"ok"


def _wait_gone(c: ApiClient, path: str) -> bool:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if c.get(path).status == 404:
            return True
        time.sleep(0.02)
    return False


def test_garbage_collector_checks_owners_by_lookup(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    root_ca = c.get(f"{CMS}/kube-root-ca.crt").json()["metadata"]
    owned_by_bootstrap = {"apiVersion": "v1", "kind": "ConfigMap", "name": "kube-root-ca.crt", "uid": root_ca["uid"]}
    c.post(CMS, {"metadata": {"name": "kept", "ownerReferences": [owned_by_bootstrap]}})
    ghost = {"apiVersion": "v1", "kind": "ConfigMap", "name": "ghost", "uid": "00000000-0000-0000-0000-000000000000"}
    c.post(CMS, {"metadata": {"name": "orphaned", "ownerReferences": [ghost]}})
    assert _wait_gone(c, f"{CMS}/orphaned"), "a dependent whose owner does not exist is collected"
    assert c.get(f"{CMS}/kept").status == 200, "an owner created before the collector started still counts"


V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"


def test_aggregated_discovery_negotiation(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    kubectl_133 = c.get("/apis", {"Accept": f"{V2},{V2BETA1},application/json"})
    assert kubectl_133.headers["Content-Type"] == V2
    assert kubectl_133.json()["kind"] == "APIGroupDiscoveryList"
    etag = kubectl_133.headers["ETag"]
    assert c.get("/apis", {"Accept": V2, "If-None-Match": etag}).status == 304
    kubectl_127 = c.get("/api", {"Accept": f"{V2BETA1},application/json"})
    assert kubectl_127.headers["Content-Type"] == "application/json", "1.33 no longer serves v2beta1"
    assert kubectl_127.json()["kind"] == "APIVersions"


def test_aggregated_discovery_v2beta1_behind_feature_gate(mockapi_config_defaults: dict[str, Any]) -> None:
    gates = {"AggregatedDiscoveryRemoveBetaType": False}
    with ServerThread(**mockapi_config_defaults, feature_gates=gates) as server:
        reply = ApiClient(server).get("/api", {"Accept": f"{V2BETA1},application/json"})
        assert reply.headers["Content-Type"] == V2BETA1
        assert reply.json()["apiVersion"] == "apidiscovery.k8s.io/v2beta1"


def test_scheduled_pod_deletes_gracefully_then_goes(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    pods = "/api/v1/namespaces/default/pods"
    pod = {"metadata": {"name": "bound"}, "spec": {"nodeName": "node-1", "containers": [{"name": "c", "image": "x"}]}}
    assert c.post(pods, pod).status == 201
    pending = c.delete(f"{pods}/bound").json()
    assert pending["metadata"]["deletionGracePeriodSeconds"] == 30, "a scheduled pod is deleted gracefully"
    assert _wait_gone(c, f"{pods}/bound"), "with no kubelet to wait for, the termination finishes at once"


def test_updates_may_not_change_identity_or_add_finalizers_while_deleting(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    made = c.post(CMS, {"metadata": {"name": "held", "finalizers": ["example.com/hold"]}}).json()
    uid = made["metadata"]["uid"]
    # a PUT's uid is a precondition (409); a patch that changes it is invalid (422)
    stale = c.put(f"{CMS}/held", {**made, "metadata": {**made["metadata"], "uid": "not-the-uid"}})
    assert (stale.status, stale.json()["message"]) == (
        409,
        'Operation cannot be fulfilled on configmaps "held": Precondition failed: UID in precondition: '
        f"not-the-uid, UID in object meta: {uid}",
    )
    patched_uid = c.patch(f"{CMS}/held", {"metadata": {"uid": "not-the-uid"}})
    assert (patched_uid.status, patched_uid.json()["message"]) == (
        422, 'ConfigMap "held" is invalid: metadata.uid: Invalid value: "not-the-uid": field is immutable',
    )  # fmt: skip
    # a null deletion timestamp is no timestamp: nothing is deleted, nothing null is stored
    nulls = {**made, "metadata": {**made["metadata"], "deletionTimestamp": None, "deletionGracePeriodSeconds": None}}
    kept = c.put(f"{CMS}/held", nulls).json()["metadata"]
    assert "deletionTimestamp" not in kept and "deletionGracePeriodSeconds" not in kept
    assert c.get(f"{CMS}/held").status == 200
    no_uid = {**made, "metadata": {k: v for k, v in made["metadata"].items() if k != "uid"}}
    assert c.put(f"{CMS}/held", no_uid).json()["metadata"]["uid"] == uid  # filled in
    c.delete(f"{CMS}/held")
    more = c.patch(f"{CMS}/held", {"metadata": {"finalizers": ["example.com/hold", "example.com/more"]}})
    assert (more.status, more.json()["message"]) == (
        422,
        'ConfigMap "held" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the '
        'object is being deleted, found new finalizers []string{"example.com/more"}',
    )
    assert c.patch(f"{CMS}/held", {"metadata": {"finalizers": None}}).status == 200


def test_owner_references_are_validated(mockapi: ServerThread) -> None:
    ref = {"apiVersion": "v1", "kind": "ConfigMap", "name": "owner", "uid": ""}
    reply = ApiClient(mockapi).post(CMS, {"metadata": {"name": "owned", "ownerReferences": [ref]}})
    assert (reply.status, reply.json()["message"]) == (
        422, 'ConfigMap "owned" is invalid: metadata.ownerReferences.uid: Invalid value: "": must not be empty',
    )  # fmt: skip


def test_a_paged_list_at_a_revision_reads_exactly_that_revision(mockapi: ServerThread) -> None:
    """With `limit`, a resourceVersion without resourceVersionMatch is an exact read (the legacy rule)."""
    c = ApiClient(mockapi)
    first = c.post(CMS, {"metadata": {"name": "early"}}).json()["metadata"]["resourceVersion"]
    c.post(CMS, {"metadata": {"name": "late"}})
    page = c.get(f"{CMS}?limit=10&resourceVersion={first}").json()
    assert page["metadata"]["resourceVersion"] == first
    assert "late" not in [i["metadata"]["name"] for i in page["items"]]
    unpaged = c.get(f"{CMS}?resourceVersion={first}").json()  # not older than: the latest state
    assert "late" in [i["metadata"]["name"] for i in unpaged["items"]]
