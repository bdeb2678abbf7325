"""`kubectl create <generator>` with kubectl 1.31 (JSON bodies) and 1.32/1.33 (protobuf bodies): each
generator succeeds and `get -o json` shows what it asked for; `--dry-run=server` leaves no trace."""

from __future__ import annotations

import base64
import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from mockapi.testing.kubectl import Kubectl

pytestmark = pytest.mark.kubectl

BLOB = bytes(range(256))


def b64(data: bytes | str) -> str:
    return base64.b64encode(data.encode() if isinstance(data, str) else data).decode()


def write_inputs(directory: Path) -> dict[str, bytes]:
    (directory / "blob.bin").write_bytes(BLOB)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "generators.example")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    files = {
        "tls.crt": cert.public_bytes(serialization.Encoding.PEM),
        "tls.key": key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
    }
    for file_name, content in files.items():
        (directory / file_name).write_bytes(content)
    return files


def subset(actual: Any, expected: Any, path: str = "") -> None:
    """Every key of `expected` (recursively) has the same value in `actual`; lists compare element-wise."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: {actual!r} is not an object"
        for key, value in expected.items():
            assert key in actual, f"{path}.{key} missing in {actual!r}"
            subset(actual[key], value, f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{path}: {actual!r} != {expected!r}"
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            subset(a, e, f"{path}[{i}]")
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


RBAC = "rbac.authorization.k8s.io"

# name -> (kubectl create arguments, `<resource>/<name>` for get, printed result, expected fields)
GENERATORS: dict[str, tuple[list[str], str, str, dict[str, Any]]] = {
    "configmap": (
        ["configmap", "cm1", "--from-literal=a=b", "--from-literal=empty="],
        "configmap/cm1",
        "configmap/cm1",
        {"data": {"a": "b", "empty": ""}},
    ),
    "configmap-binary": (
        ["configmap", "cm2", "--from-file=blob={dir}/blob.bin", "--from-literal=x=y"],
        "configmap/cm2",
        "configmap/cm2",
        {"data": {"x": "y"}, "binaryData": {"blob": b64(BLOB)}},
    ),
    "secret-generic": (
        ["secret", "generic", "s1", "--from-literal=user=admin", "--from-literal=password=s3cr3t!", "--type=Opaque"],
        "secret/s1",
        "secret/s1",
        {"type": "Opaque", "data": {"user": b64("admin"), "password": b64("s3cr3t!")}},
    ),
    "secret-tls": (
        ["secret", "tls", "t1", "--cert={dir}/tls.crt", "--key={dir}/tls.key"],
        "secret/t1",
        "secret/t1",
        {"type": "kubernetes.io/tls"},
    ),
    "secret-docker-registry": (
        [
            "secret",
            "docker-registry",
            "dr1",
            "--docker-server=registry.example",
            "--docker-username=u",
            "--docker-password=p",
        ],
        "secret/dr1",
        "secret/dr1",
        {"type": "kubernetes.io/dockerconfigjson"},
    ),
    "namespace": (["namespace", "ns1"], "namespace/ns1", "namespace/ns1", {"status": {"phase": "Active"}}),
    "deployment": (
        ["deployment", "d1", "--image=nginx:1.27", "--image=busybox", "--replicas=3", "--port=80"],
        "deployment/d1",
        "deployment.apps/d1",
        {
            "spec": {
                "replicas": 3,
                "selector": {"matchLabels": {"app": "d1"}},
                "template": {
                    "spec": {
                        "containers": [
                            {
                                "name": "nginx",
                                "image": "nginx:1.27",
                                "ports": [{"containerPort": 80, "protocol": "TCP"}],
                            },
                            {"name": "busybox", "image": "busybox"},
                        ]
                    }
                },
            }
        },
    ),
    "deployment-zero-replicas": (
        ["deployment", "d0", "--image=nginx", "--replicas=0"],
        "deployment/d0",
        "deployment.apps/d0",
        {"spec": {"replicas": 0}},
    ),
    "serviceaccount": (
        ["serviceaccount", "sa1"],
        "serviceaccount/sa1",
        "serviceaccount/sa1",
        {"metadata": {"name": "sa1", "namespace": "default"}},
    ),
    "role": (
        ["role", "r1", "--verb=get,list", "--resource=pods,deployments.apps", "--resource-name=web"],
        "role/r1",
        f"role.{RBAC}/r1",
        {
            "rules": [
                {"apiGroups": [""], "resources": ["pods"], "resourceNames": ["web"], "verbs": ["get", "list"]},
                {
                    "apiGroups": ["apps"],
                    "resources": ["deployments"],
                    "resourceNames": ["web"],
                    "verbs": ["get", "list"],
                },
            ]
        },
    ),
    "rolebinding": (
        ["rolebinding", "rb1", "--role=r1", "--user=bob", "--group=devs", "--serviceaccount=default:sa1"],
        "rolebinding/rb1",
        f"rolebinding.{RBAC}/rb1",
        {
            "roleRef": {"apiGroup": RBAC, "kind": "Role", "name": "r1"},
            "subjects": [
                {"apiGroup": RBAC, "kind": "User", "name": "bob"},
                {"apiGroup": RBAC, "kind": "Group", "name": "devs"},
                {"kind": "ServiceAccount", "name": "sa1", "namespace": "default"},
            ],
        },
    ),
    "clusterrole": (
        ["clusterrole", "cr1", "--verb=get,watch", "--resource=nodes,pods/log"],
        "clusterrole/cr1",
        f"clusterrole.{RBAC}/cr1",
        {"rules": [{"apiGroups": [""], "resources": ["nodes", "pods/log"], "verbs": ["get", "watch"]}]},
    ),
    "clusterrole-nonresource": (
        ["clusterrole", "cr2", "--verb=get", "--non-resource-url=/healthz"],
        "clusterrole/cr2",
        f"clusterrole.{RBAC}/cr2",
        {"rules": [{"nonResourceURLs": ["/healthz"], "verbs": ["get"]}]},
    ),
    "clusterrole-aggregation": (
        ["clusterrole", "cr3", "--aggregation-rule=rbac.example.com/aggregate=true"],
        "clusterrole/cr3",
        f"clusterrole.{RBAC}/cr3",
        {"aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"rbac.example.com/aggregate": "true"}}]}},
    ),
    "clusterrolebinding": (
        ["clusterrolebinding", "crb1", "--clusterrole=cr1", "--user=alice"],
        "clusterrolebinding/crb1",
        f"clusterrolebinding.{RBAC}/crb1",
        {
            "roleRef": {"apiGroup": RBAC, "kind": "ClusterRole", "name": "cr1"},
            "subjects": [{"apiGroup": RBAC, "kind": "User", "name": "alice"}],
        },
    ),
    "job": (
        ["job", "j1", "--image=busybox", "--", "echo", "hi"],
        "job/j1",
        "job.batch/j1",
        {
            "spec": {
                "template": {
                    "spec": {
                        "restartPolicy": "Never",
                        "containers": [{"name": "j1", "image": "busybox", "command": ["echo", "hi"]}],
                    }
                }
            }
        },
    ),
    "cronjob": (
        ["cronjob", "cj1", "--image=busybox", "--schedule=*/5 * * * *", "--restart=OnFailure", "--", "date"],
        "cronjob/cj1",
        "cronjob.batch/cj1",
        {
            "spec": {
                "schedule": "*/5 * * * *",
                "jobTemplate": {
                    "metadata": {"name": "cj1"},
                    "spec": {
                        "template": {
                            "spec": {
                                "restartPolicy": "OnFailure",
                                "containers": [{"name": "cj1", "image": "busybox", "command": ["date"]}],
                            }
                        }
                    },
                },
            }
        },
    ),
    "service-clusterip": (
        ["service", "clusterip", "svc1", "--tcp=80:8080", "--tcp=443:https"],
        "service/svc1",
        "service/svc1",
        {
            "spec": {
                "type": "ClusterIP",
                "selector": {"app": "svc1"},
                "ports": [
                    {"name": "80-8080", "port": 80, "protocol": "TCP", "targetPort": 8080},
                    {"name": "443-https", "port": 443, "protocol": "TCP", "targetPort": "https"},
                ],
            }
        },
    ),
    "service-headless": (
        ["service", "clusterip", "svc2", "--clusterip=None"],
        "service/svc2",
        "service/svc2",
        {"spec": {"type": "ClusterIP", "clusterIP": "None"}},
    ),
    "service-nodeport": (
        ["service", "nodeport", "svc3", "--tcp=80:8080", "--node-port=30080"],
        "service/svc3",
        "service/svc3",
        {"spec": {"type": "NodePort", "ports": [{"port": 80, "targetPort": 8080, "nodePort": 30080}]}},
    ),
    "service-externalname": (
        ["service", "externalname", "svc4", "--external-name=example.com"],
        "service/svc4",
        "service/svc4",
        {"spec": {"type": "ExternalName", "externalName": "example.com"}},
    ),
    "quota": (
        ["quota", "q1", "--hard=pods=2,requests.cpu=500m,memory=1Gi", "--scopes=NotTerminating"],
        "resourcequota/q1",
        "resourcequota/q1",
        {"spec": {"hard": {"pods": "2", "requests.cpu": "500m", "memory": "1Gi"}, "scopes": ["NotTerminating"]}},
    ),
    "poddisruptionbudget": (
        ["poddisruptionbudget", "pdb1", "--selector=app=web", "--min-available=50%"],
        "poddisruptionbudget/pdb1",
        "poddisruptionbudget.policy/pdb1",
        {"spec": {"minAvailable": "50%", "selector": {"matchLabels": {"app": "web"}}}},
    ),
    "poddisruptionbudget-int": (
        ["poddisruptionbudget", "pdb2", "--selector=app=web,tier in (fe,be)", "--max-unavailable=1"],
        "poddisruptionbudget/pdb2",
        "poddisruptionbudget.policy/pdb2",
        {
            "spec": {
                "maxUnavailable": 1,
                "selector": {
                    "matchLabels": {"app": "web"},
                    "matchExpressions": [{"key": "tier", "operator": "In", "values": ["be", "fe"]}],
                },
            }
        },
    ),
    "priorityclass": (
        ["priorityclass", "pc1", "--value=1000", "--description=important", "--preemption-policy=Never"],
        "priorityclass/pc1",
        "priorityclass.scheduling.k8s.io/pc1",
        {"value": 1000, "description": "important", "preemptionPolicy": "Never"},
    ),
    "ingress": (
        [
            "ingress",
            "ing1",
            "--class=nginx",
            "--rule=foo.com/bar=svc1:8080",
            "--rule=bar.com/*=svc2:http,tls=my-cert",
            "--annotation=team=web",
            "--default-backend=defsvc:80",
        ],
        "ingress/ing1",
        "ingress.networking.k8s.io/ing1",
        {
            "metadata": {"annotations": {"team": "web"}},
            "spec": {
                "ingressClassName": "nginx",
                "defaultBackend": {"service": {"name": "defsvc", "port": {"number": 80}}},
                "rules": [
                    {
                        "host": "foo.com",
                        "http": {
                            "paths": [
                                {
                                    "path": "/bar",
                                    "pathType": "Exact",
                                    "backend": {"service": {"name": "svc1", "port": {"number": 8080}}},
                                }
                            ]
                        },
                    },
                    {
                        "host": "bar.com",
                        "http": {
                            "paths": [
                                {
                                    "path": "/",
                                    "pathType": "Prefix",
                                    "backend": {"service": {"name": "svc2", "port": {"name": "http"}}},
                                }
                            ]
                        },
                    },
                ],
                "tls": [{"hosts": ["bar.com"], "secretName": "my-cert"}],
            },
        },
    ),
}


@pytest.mark.parametrize("name", sorted(GENERATORS))
@pytest.mark.kubectl_matrix  # 1.31 sends JSON bodies, 1.32+ protobuf
@pytest.mark.kubectl_versions(since="1.31")  # 1.27-1.30: test_kubectl_imperative_writes.py
def test_create_generator(kubectl_version: str, name: str, kubectl: Callable[..., Kubectl], tmp_path: Path) -> None:
    k = kubectl(kubectl_version)
    files = write_inputs(tmp_path)
    args, target, printed, expected = GENERATORS[name]
    args = [a.replace("{dir}", str(tmp_path)) for a in args]
    assert k.ok("create", *args) == f"{printed} created\n"
    obj = json.loads(k.ok("get", target, "-o", "json"))
    subset(obj, expected)
    metadata = obj["metadata"]
    assert metadata["uid"] and metadata["resourceVersion"] and metadata["creationTimestamp"]
    assert [m["manager"] for m in metadata.get("managedFields", [{"manager": "kubectl-create"}])] == ["kubectl-create"]
    if name == "secret-tls":
        assert obj["data"] == {"tls.crt": b64(files["tls.crt"]), "tls.key": b64(files["tls.key"])}
    if name == "secret-docker-registry":
        config = json.loads(base64.b64decode(obj["data"][".dockerconfigjson"]))
        assert config["auths"]["registry.example"]["username"] == "u"
        assert config["auths"]["registry.example"]["auth"] == b64("u:p")


@pytest.mark.kubectl_matrix
@pytest.mark.kubectl_versions(since="1.31")
def test_server_dry_run_leaves_no_trace(kubectl_version: str, kubectl: Callable[..., Kubectl]) -> None:
    k = kubectl(kubectl_version)
    out = k.ok("create", "configmap", "dry", "--from-literal=a=b", "--dry-run=server", "-o", "json")
    assert json.loads(out)["data"] == {"a": "b"}
    assert k.ok("create", "deployment", "dry", "--image=nginx", "--dry-run=server") == (
        "deployment.apps/dry created (server dry run)\n"
    )
    missing = k("get", "configmap/dry", "deployment/dry")
    assert missing.returncode == 1
    assert missing.stderr.splitlines() == [
        'Error from server (NotFound): configmaps "dry" not found',
        'Error from server (NotFound): deployments.apps "dry" not found',
    ]
