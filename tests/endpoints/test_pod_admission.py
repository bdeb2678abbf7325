"""What kube-apiserver's default pod admission plugins (ServiceAccount, Priority, DefaultTolerationSeconds)
store on a pod, and how they reject one, through the whole pipeline."""

from __future__ import annotations

import re
from typing import Any

from mockapi.testing.client import ApiClient
from mockapi.testing.server import ServerThread

PODS = "/api/v1/namespaces/default/pods"
TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"


def pod(name: str, **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}], **spec},
    }


def audit_event(server: ServerThread, audit_id: str) -> dict[str, Any]:
    return next(e for e in server.audit_events() if e["auditID"] == audit_id)


def test_created_pod_carries_what_admission_added(mockapi: ServerThread) -> None:
    client = ApiClient(mockapi)
    created = client.post(PODS, pod("web"))
    assert created.status == 201, created.body
    stored = client.get(f"{PODS}/web").json()
    assert stored == created.json()
    spec = stored["spec"]
    assert (spec["serviceAccountName"], spec["serviceAccount"]) == ("default", "default")
    assert (spec["priority"], spec["preemptionPolicy"]) == (0, "PreemptLowerPriority")
    assert "priorityClassName" not in spec
    assert spec["tolerations"] == [
        {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
        {
            "key": "node.kubernetes.io/unreachable",
            "operator": "Exists",
            "effect": "NoExecute",
            "tolerationSeconds": 300,
        },
    ]
    [volume] = spec["volumes"]
    assert re.fullmatch(r"kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}", volume["name"])
    assert volume["projected"] == {
        "sources": [
            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
            {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
            {"downwardAPI": {"items": [
                {"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}},
            ]}},
        ],
        "defaultMode": 420,
    }  # fmt: skip
    assert spec["containers"][0]["volumeMounts"] == [
        {"name": volume["name"], "readOnly": True, "mountPath": TOKEN_PATH}
    ]


def test_system_priority_classes_exist_and_resolve(mockapi: ServerThread) -> None:
    client = ApiClient(mockapi)
    node_critical = client.get("/apis/scheduling.k8s.io/v1/priorityclasses/system-node-critical").json()
    assert {k: node_critical[k] for k in ("value", "description", "preemptionPolicy")} == {
        "value": 2000001000,
        "description": "Used for system critical pods that must not be moved from their current node.",
        "preemptionPolicy": "PreemptLowerPriority",
    }
    assert "globalDefault" not in node_critical
    created = client.post(PODS, pod("critical", priorityClassName="system-cluster-critical"))
    assert created.status == 201, created.body
    assert created.json()["spec"]["priority"] == 2000000000


def test_missing_service_account_is_forbidden_by_service_account_admission(mockapi: ServerThread) -> None:
    reply = ApiClient(mockapi).post(PODS, pod("web", serviceAccountName="builder"))
    assert reply.status == 403
    assert reply.json() == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": 'pods "web" is forbidden: error looking up service account default/builder: '
        'serviceaccount "builder" not found',
        "reason": "Forbidden",
        "details": {"name": "web", "kind": "pods"},
        "code": 403,
    }
    annotations = audit_event(mockapi, reply.headers["Audit-Id"])["annotations"]
    assert annotations["mockapi.dev/rejected-stage"] == "admission"
    assert annotations["mockapi.dev/rejected-by"] == "ServiceAccount"


def test_missing_priority_class_is_forbidden_by_priority_admission(mockapi: ServerThread) -> None:
    reply = ApiClient(mockapi).post(PODS, pod("web", priorityClassName="gold"))
    assert (reply.status, reply.json()["message"]) == (
        403,
        'pods "web" is forbidden: no PriorityClass with name gold was found',
    )
    annotations = audit_event(mockapi, reply.headers["Audit-Id"])["annotations"]
    assert (annotations["mockapi.dev/rejected-stage"], annotations["mockapi.dev/rejected-by"]) == (
        "admission",
        "Priority",
    )


def test_second_global_default_priority_class_is_forbidden(mockapi: ServerThread) -> None:
    client = ApiClient(mockapi)
    path = "/apis/scheduling.k8s.io/v1/priorityclasses"

    def pc(name: str) -> dict[str, Any]:
        return {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": name},
                "value": 100, "globalDefault": True}  # fmt: skip

    assert client.post(path, pc("first")).status == 201
    reply = client.post(path, pc("second"))
    assert (reply.status, reply.json()["message"]) == (
        403,
        'priorityclasses.scheduling.k8s.io "second" is forbidden: PriorityClass first is already marked as '
        "default. Only one default can exist",
    )
    created = client.post(PODS, pod("web"))
    assert (created.json()["spec"]["priorityClassName"], created.json()["spec"]["priority"]) == ("first", 100)
