"""Server-side apply and managedFields through the whole server: the PatchOptions checks, create-on-apply,
YAML bodies, dry run, the default field manager, and what other writes record."""

from __future__ import annotations

from typing import Any

from mockapi.testing.client import ApiClient, Reply
from mockapi.testing.server import ServerThread

CMS = "/api/v1/namespaces/default/configmaps"
DEPLOYS = "/apis/apps/v1/namespaces/default/deployments"
APPLY = "application/apply-patch+yaml"

YAML_CM = b"""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm1
data:
  k: v
"""


def apply(c: ApiClient, path: str, body: bytes | dict[str, Any], query: str = "fieldManager=kubectl") -> Reply:
    return c.request("PATCH", f"{path}?{query}", body, {"Content-Type": APPLY})


def fields(obj: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["manager"], e["operation"]) for e in obj["metadata"].get("managedFields", [])]


def test_apply_needs_a_field_manager(mockapi: ServerThread) -> None:
    reply = apply(ApiClient(mockapi), f"{CMS}/cm1", YAML_CM, query="force=false")
    assert (reply.status, reply.json()) == (422, {
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
        "reason": "Invalid",
        "details": {"group": "meta.k8s.io", "kind": "PatchOptions", "causes": [
            {"reason": "FieldValueRequired", "message": "Required value: is required for apply patch",
             "field": "fieldManager"}]},
        "code": 422,
    })  # fmt: skip


def test_force_is_only_for_apply(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    c.post(CMS, {"metadata": {"name": "cm1"}})
    reply = c.request("PATCH", f"{CMS}/cm1?force=true", {"data": {"a": "b"}},
                      {"Content-Type": "application/merge-patch+json"})  # fmt: skip
    assert (reply.status, reply.json()["message"]) == (
        422, 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
    )  # fmt: skip


def test_apply_creates_then_updates_a_yaml_configuration(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    created = apply(c, f"{CMS}/cm1", YAML_CM)
    assert created.status == 201
    obj = created.json()
    assert obj["data"] == {"k": "v"} and obj["metadata"]["namespace"] == "default"
    assert obj["metadata"]["managedFields"][0]["fieldsV1"] == {"f:data": {"f:k": {}}}
    updated = apply(c, f"{CMS}/cm1", YAML_CM.replace(b"k: v", b"k: w"))
    assert updated.status == 200 and updated.json()["data"] == {"k": "w"}
    assert c.get(f"{CMS}/cm1").json()["metadata"]["managedFields"] == updated.json()["metadata"]["managedFields"]
    listed = c.get(CMS).json()["items"]
    assert [fields(o) for o in listed if o["metadata"]["name"] == "cm1"] == [[("kubectl", "Apply")]]


def test_apply_dry_run_stores_nothing(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    reply = apply(c, f"{CMS}/dry", YAML_CM.replace(b"cm1", b"dry"), query="fieldManager=me&dryRun=All")
    assert reply.status == 201 and fields(reply.json()) == [("me", "Apply")]
    assert c.get(f"{CMS}/dry").status == 404


def test_apply_checks_name_and_duplicate_keys(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    other = apply(c, f"{CMS}/cm1", YAML_CM.replace(b"cm1", b"cm2"))
    assert (other.status, other.json()["message"]) == (
        400, "the name of the object (cm2) does not match the name on the URL (cm1)",
    )  # fmt: skip
    duplicate = apply(c, f"{CMS}/cm1", YAML_CM + b"  k: again\n", query="fieldManager=kubectl&fieldValidation=Strict")
    assert duplicate.status == 400
    assert duplicate.json()["message"] == (
        "error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n"
        '  line 7: key "k" already set in map'
    )
    broken = apply(c, f"{CMS}/cm1", b"[1, 2]")
    assert (broken.status, broken.json()["message"]) == (
        400, "error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array "
             "into Go value of type map[string]interface {}",
    )  # fmt: skip


def test_ordinary_writes_are_managed_by_field_manager_or_user_agent(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    made = c.request("POST", CMS, {"metadata": {"name": "ua"}, "data": {"a": "1"}},
                     {"User-Agent": "my-controller/v0.1 (linux/amd64)"}).json()  # fmt: skip
    assert fields(made) == [("my-controller", "Update")]
    patched = c.request("PATCH", f"{CMS}/ua?fieldManager=tool", {"data": {"b": "2"}},
                        {"Content-Type": "application/merge-patch+json"}).json()  # fmt: skip
    assert fields(patched) == [("my-controller", "Update"), ("tool", "Update")]
    assert patched["metadata"]["managedFields"][1]["fieldsV1"] == {"f:data": {"f:b": {}}}
    # kubectl edit sends managedFields back; `[]` clears them
    cleared = c.request("PATCH", f"{CMS}/ua", {"metadata": {"managedFields": []}},
                        {"Content-Type": "application/merge-patch+json"}).json()  # fmt: skip
    assert "managedFields" not in cleared["metadata"]


def test_status_writes_record_their_subresource(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    template = {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}
    deploy = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
              "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": template}}  # fmt: skip
    assert apply(c, f"{DEPLOYS}/web", deploy).status == 201
    status = c.request("PATCH", f"{DEPLOYS}/web/status?fieldManager=ctrl", {"status": {"replicas": 1}},
                       {"Content-Type": "application/merge-patch+json"}).json()  # fmt: skip
    entries = status["metadata"]["managedFields"]
    assert [(e["manager"], e["operation"], e.get("subresource")) for e in entries] == [
        ("kubectl", "Apply", None), ("ctrl", "Update", "status"),
    ]  # fmt: skip
    assert entries[1]["fieldsV1"] == {"f:status": {"f:replicas": {}}}
