"""`create -f` / `get` in every output format / `delete -f` of a multi-document manifest."""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable

import pytest
import yaml
from kubectl_e2e_support import APP_MANIFEST, RFC3339, audit_ids, table, without_age

from mockapi.testing.kubectl import Kubectl
from mockapi.testing.server import ServerThread

pytestmark = pytest.mark.kubectl

CREATED = [
    "namespace/shop created",
    "configmap/web-config created",
    "secret/web-secret created",
    "deployment.apps/web created",
    "service/web created",
    "serviceaccount/web-sa created",
    "networkpolicy.networking.k8s.io/web-allow created",
    "role.rbac.authorization.k8s.io/web-reader created",
    "rolebinding.rbac.authorization.k8s.io/web-reader created",
]
DELETED = [
    'namespace "shop" deleted',
    'configmap "web-config" deleted',
    'secret "web-secret" deleted',
    'deployment.apps "web" deleted',
    'service "web" deleted',
    'serviceaccount "web-sa" deleted',
    'networkpolicy.networking.k8s.io "web-allow" deleted',
    'role.rbac.authorization.k8s.io "web-reader" deleted',
    'rolebinding.rbac.authorization.k8s.io "web-reader" deleted',
]
DEFAULT_CM = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: also-web
  labels: {app: web}
data: {a: "1", b: "2"}
"""


def test_create_get_delete_manifest(
    kubectl_version: str, kubectl: Callable[..., Kubectl], mockapi: ServerThread
) -> None:
    k = kubectl(kubectl_version)
    assert k.ok("create", "-f", str(APP_MANIFEST)).splitlines() == CREATED
    k.ok("create", "-f", "-", input=DEFAULT_CM)

    def get(*args: str) -> str:
        return k.ok("get", "-n", "shop", *args)

    # default columns (server-side Table conversion)
    assert without_age(table(get("cm", "web-config"))) == [["NAME", "DATA"], ["web-config", "1"]]
    assert without_age(table(get("secret", "web-secret"))) == [["NAME", "TYPE", "DATA"], ["web-secret", "Opaque", "1"]]
    assert without_age(table(get("deploy", "web"))) == [
        ["NAME", "READY", "UP-TO-DATE", "AVAILABLE"],
        ["web", "0/2", "0", "0"],
    ]
    cluster_ip = get("svc", "web", "-o", "jsonpath={.spec.clusterIP}")
    assert ipaddress.ip_address(cluster_ip) in ipaddress.ip_network("10.96.0.0/12")
    assert without_age(table(get("svc", "web"))) == [
        ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)"],
        ["web", "ClusterIP", cluster_ip, "<none>", "80/TCP"],
    ]
    assert without_age(table(get("sa", "web-sa"))) == [["NAME", "SECRETS"], ["web-sa", "0"]]
    assert without_age(table(get("netpol", "web-allow"))) == [["NAME", "POD-SELECTOR"], ["web-allow", "app=web"]]
    role = table(get("role", "web-reader"))
    assert role[0] == ["NAME", "CREATED AT"]
    assert role[1][0] == "web-reader" and RFC3339.match(role[1][1]), role
    assert without_age(table(get("rolebinding", "web-reader"))) == [["NAME", "ROLE"], ["web-reader", "Role/web-reader"]]

    # -o wide adds the priority>0 columns
    assert without_age(table(get("deploy", "web", "-o", "wide"))) == [
        ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "CONTAINERS", "IMAGES", "SELECTOR"],
        ["web", "0/2", "0", "0", "nginx", "nginx:1.27", "app=web"],
    ]
    assert without_age(table(get("svc", "web", "-o", "wide"))) == [
        ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "SELECTOR"],
        ["web", "ClusterIP", cluster_ip, "<none>", "80/TCP", "app=web"],
    ]
    # USERS and GROUPS are empty cells, which the two-space split drops
    assert without_age(table(get("rolebinding", "web-reader", "-o", "wide"))) == [
        ["NAME", "ROLE", "USERS", "GROUPS", "SERVICEACCOUNTS"],
        ["web-reader", "Role/web-reader", "shop/web-sa"],
    ]

    # -o yaml / -o json: full objects, server-populated metadata and defaults
    cm = yaml.safe_load(get("cm", "web-config", "-o", "yaml"))
    assert (cm["apiVersion"], cm["kind"], cm["data"]) == ("v1", "ConfigMap", {"greeting": "hello"})
    meta = cm["metadata"]
    assert (meta["name"], meta["namespace"], meta["labels"]) == ("web-config", "shop", {"app": "web"})
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", meta["uid"])
    assert meta["resourceVersion"].isdigit()
    assert RFC3339.match(meta["creationTimestamp"])
    deploy = json.loads(get("deploy", "web", "-o", "json"))
    assert (deploy["apiVersion"], deploy["kind"], deploy["metadata"]["generation"]) == ("apps/v1", "Deployment", 1)
    spec = deploy["spec"]
    assert spec["replicas"] == 2
    assert spec["strategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}}
    assert (spec["revisionHistoryLimit"], spec["progressDeadlineSeconds"]) == (10, 600)
    pod_spec = spec["template"]["spec"]
    assert (pod_spec["restartPolicy"], pod_spec["dnsPolicy"], pod_spec["schedulerName"]) == (
        "Always",
        "ClusterFirst",
        "default-scheduler",
    )
    container = pod_spec["containers"][0]
    assert container["imagePullPolicy"] == "IfNotPresent"
    assert container["ports"] == [{"containerPort": 80, "protocol": "TCP"}]
    listed = json.loads(get("cm", "-l", "app=web", "-o", "json"))
    assert (listed["apiVersion"], listed["kind"]) == ("v1", "List")
    assert [(i["kind"], i["metadata"]["name"]) for i in listed["items"]] == [("ConfigMap", "web-config")]

    # -o jsonpath
    assert get("cm", "web-config", "-o", "jsonpath={.data.greeting}") == "hello"
    assert get("secret", "web-secret", "-o", "jsonpath={.data.password}") == "czNjcjN0"  # base64("s3cr3t")
    assert get("deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[*].image}") == "nginx:1.27"
    names = k.ok("get", "cm", "-A", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}")
    assert names == "also-web web-config"

    # --show-labels, -l, --field-selector (= and !=), -A
    assert without_age(table(get("cm", "web-config", "--show-labels"))) == [
        ["NAME", "DATA", "LABELS"],
        ["web-config", "1", "app=web"],
    ]
    assert without_age(table(k.ok("get", "ns", "shop", "--show-labels"))) == [
        ["NAME", "STATUS", "LABELS"],
        ["shop", "Active", "kubernetes.io/metadata.name=shop,team=web"],
    ]
    assert get("cm,deploy,svc", "-l", "app=web", "-o", "name").split() == [
        "configmap/web-config",
        "deployment.apps/web",
    ]
    assert k.ok("get", "ns", "-l", "team=web", "-o", "name").split() == ["namespace/shop"]
    assert k.ok("get", "ns", "-l", "team!=web", "-o", "name").split() == [
        "namespace/default",
        "namespace/kube-node-lease",
        "namespace/kube-public",
        "namespace/kube-system",
    ]
    assert get("cm", "--field-selector", "metadata.name!=kube-root-ca.crt", "-o", "name").split() == [
        "configmap/web-config",
    ]
    assert get("cm", "--field-selector", "metadata.name=web-config", "-o", "name").split() == ["configmap/web-config"]
    assert get("secret", "--field-selector", "type=Opaque", "-o", "name").split() == ["secret/web-secret"]
    assert get("secret", "--field-selector", "type!=Opaque", "-o", "name") == ""
    assert without_age(table(k.ok("get", "cm", "-A", "-l", "app=web"))) == [
        ["NAMESPACE", "NAME", "DATA"],
        ["default", "also-web", "2"],
        ["shop", "web-config", "1"],
    ]

    # --chunk-size=1: one list request per item, every item printed under a single header
    before = audit_ids(mockapi)
    assert without_age(table(k.ok("get", "ns", "--chunk-size=1"))) == [
        ["NAME", "STATUS"],
        ["default", "Active"],
        ["kube-node-lease", "Active"],
        ["kube-public", "Active"],
        ["kube-system", "Active"],
        ["shop", "Active"],
    ]
    pages = [
        str(e["requestURI"])
        for e in mockapi.audit_events()
        if str(e["auditID"]) not in before and e.get("verb") == "list"
    ]
    assert len(pages) >= 5 and all("limit=1" in uri for uri in pages), pages
    assert sum("continue=" in uri for uri in pages) >= 4, pages
    assert k.ok("get", "cm", "-A", "-l", "app=web", "--chunk-size=1", "-o", "name").split() == [
        "configmap/also-web",
        "configmap/web-config",
    ]

    # delete -f waits until every object is gone, the namespace included
    assert k.ok("delete", "-f", str(APP_MANIFEST)).splitlines() == DELETED
    missing = k("get", "ns", "shop")
    assert missing.returncode == 1
    assert missing.stderr.strip() == 'Error from server (NotFound): namespaces "shop" not found'
