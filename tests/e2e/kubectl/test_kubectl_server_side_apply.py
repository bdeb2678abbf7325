"""`kubectl apply --server-side` with validation on: create, re-apply, a conflict
with another field manager and `--force-conflicts`, removal of a field the manifest stops applying,
`--dry-run=server`, and the migration from client-side apply.

What kubectl sends is in `reference/kubectl.md` §4.2: `PATCH ...?fieldManager=kubectl&force=false`
with `Content-Type: application/apply-patch+yaml` and a JSON body, no GET first; a 409 is printed with
kubectl's "Please review the fields above" advice after the server's message.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from mockapi.testing.kubectl import Kubectl

pytestmark = pytest.mark.kubectl

DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, tier: front}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
"""

CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: prod
  level: info
"""

ADVICE = "Please review the fields above--they currently have other managers."


def get(k: Kubectl, target: str) -> Any:
    return json.loads(k.ok("get", target, "-o", "json", "--show-managed-fields"))


def managers(obj: Any) -> list[tuple[str, str]]:
    return [(e["manager"], e["operation"]) for e in obj["metadata"].get("managedFields", [])]


def entry(obj: Any, manager: str, operation: str = "Apply") -> Any:
    found = [e for e in obj["metadata"]["managedFields"] if (e["manager"], e["operation"]) == (manager, operation)]
    assert len(found) == 1, obj["metadata"]["managedFields"]
    return found[0]


def server_side(k: Kubectl, manifest: str, *flags: str) -> Any:
    return k("apply", "--server-side", *flags, "-f", "-", input=manifest)


def test_server_side_apply(kubectl_version: str, kubectl: Callable[..., Kubectl]) -> None:
    k = kubectl(kubectl_version)

    created = server_side(k, DEPLOY)
    assert (created.returncode, created.stdout, created.stderr) == (0, "deployment.apps/web serverside-applied\n", "")
    deploy = get(k, "deployment/web")
    assert managers(deploy) == [("kubectl", "Apply")]
    kubectl_entry = entry(deploy, "kubectl")
    assert kubectl_entry["apiVersion"] == "apps/v1" and kubectl_entry["fieldsType"] == "FieldsV1"
    assert kubectl_entry["fieldsV1"] == {
        "f:metadata": {"f:labels": {"f:app": {}, "f:tier": {}}},
        "f:spec": {
            "f:replicas": {},
            "f:selector": {},
            "f:template": {
                "f:metadata": {"f:labels": {"f:app": {}}},
                "f:spec": {
                    "f:containers": {
                        'k:{"name":"nginx"}': {
                            ".": {},
                            "f:image": {},
                            "f:name": {},
                            "f:ports": {'k:{"containerPort":80,"protocol":"TCP"}': {".": {}, "f:containerPort": {}}},
                        }
                    }
                },
            },
        },
    }
    assert "managedFields" not in json.loads(k.ok("get", "deployment/web", "-o", "json"))["metadata"]

    # re-applying the same manifest changes nothing, not even the resourceVersion
    again = server_side(k, DEPLOY)
    assert (again.returncode, again.stdout) == (0, "deployment.apps/web serverside-applied\n")
    assert get(k, "deployment/web")["metadata"]["resourceVersion"] == deploy["metadata"]["resourceVersion"]

    # another field manager changing spec.replicas conflicts with kubectl, which applied it
    three = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n"
    conflict = server_side(k, three, "--field-manager=other")
    assert conflict.returncode == 1
    assert conflict.stderr.splitlines()[0] == (
        'error: Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas'
    ), conflict.stderr
    assert ADVICE in conflict.stderr
    assert get(k, "deployment/web")["spec"]["replicas"] == 2

    # --force-conflicts takes the field from kubectl
    forced = server_side(k, three, "--field-manager=other", "--force-conflicts")
    assert (forced.returncode, forced.stdout) == (0, "deployment.apps/web serverside-applied\n")
    deploy = get(k, "deployment/web")
    assert deploy["spec"]["replicas"] == 3
    assert "f:replicas" not in entry(deploy, "kubectl")["fieldsV1"]["f:spec"]
    assert entry(deploy, "other")["fieldsV1"] == {"f:spec": {"f:replicas": {}}}
    back = server_side(k, DEPLOY)
    assert back.stderr.splitlines()[0] == 'error: Apply failed with 1 conflict: conflict with "other": .spec.replicas'

    # an ordinary write takes the field too, and is named with its apiVersion in a conflict
    patched = k.ok("patch", "deployment/web", "--type=merge", "-p", '{"spec":{"replicas":5}}')
    assert patched == "deployment.apps/web patched\n"
    assert ("kubectl-patch", "Update") in managers(get(k, "deployment/web"))
    back = server_side(k, DEPLOY)
    assert back.returncode == 1
    assert back.stderr.splitlines()[0] == (
        'error: Apply failed with 1 conflict: conflict with "kubectl-patch" using apps/v1: .spec.replicas'
    ), back.stderr
    forced = server_side(k, DEPLOY, "--force-conflicts")
    assert (forced.returncode, forced.stdout) == (0, "deployment.apps/web serverside-applied\n")
    deploy = get(k, "deployment/web")
    assert deploy["spec"]["replicas"] == 2
    assert "f:replicas" in entry(deploy, "kubectl")["fieldsV1"]["f:spec"]

    # a field kubectl no longer applies, and nobody else owns, goes away
    removed = server_side(k, DEPLOY.replace("labels: {app: web, tier: front}", "labels: {app: web}"))
    assert removed.returncode == 0, removed.stderr
    assert get(k, "deployment/web")["metadata"]["labels"] == {"app": "web"}

    # --dry-run=server shows the result and stores nothing
    before = get(k, "deployment/web")["metadata"]["resourceVersion"]
    dry = server_side(k, DEPLOY.replace("image: nginx:1.27", "image: nginx:1.28"), "--dry-run=server")
    assert (dry.returncode, dry.stdout) == (0, "deployment.apps/web serverside-applied (server dry run)\n")
    after = get(k, "deployment/web")
    assert after["metadata"]["resourceVersion"] == before
    assert after["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"


def test_migration_from_client_side_apply(kubectl_version: str, kubectl: Callable[..., Kubectl]) -> None:
    k = kubectl(kubectl_version)
    assert k.ok("apply", "-f", "-", input=CONFIGMAP) == "configmap/settings created\n"
    csa = get(k, "configmap/settings")
    assert managers(csa) == [("kubectl-client-side-apply", "Update")]
    assert entry(csa, "kubectl-client-side-apply", "Update")["fieldsV1"] == {
        "f:data": {".": {}, "f:level": {}, "f:mode": {}},
        "f:metadata": {"f:annotations": {".": {}, "f:kubectl.kubernetes.io/last-applied-configuration": {}}},
    }

    # the server-side apply changes a field client-side apply set: no conflict, kubectl takes it over
    changed = CONFIGMAP.replace("level: info", "level: debug")
    migrated = server_side(k, changed)
    assert (migrated.returncode, migrated.stdout, migrated.stderr) == (0, "configmap/settings serverside-applied\n", "")
    cm = get(k, "configmap/settings")
    assert cm["data"] == {"mode": "prod", "level": "debug"}
    assert ("kubectl", "Apply") in managers(cm)
    assert entry(cm, "kubectl")["fieldsV1"]["f:data"] == {"f:level": {}, "f:mode": {}}
    last_applied = json.loads(cm["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"])
    assert last_applied["data"] == {"mode": "prod", "level": "debug"}

    # from now on, another manager's change conflicts with kubectl's
    other = server_side(k, changed.replace("mode: prod", "mode: test"), "--field-manager=other")
    assert other.returncode == 1
    assert other.stderr.splitlines()[0] == (
        'error: Apply failed with 1 conflict: conflict with "kubectl": .data.mode'
    ), other.stderr


STATUS = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 9
status:
  replicas: 3
  readyReplicas: 2
"""


@pytest.mark.kubectl_versions(since="1.32")
def test_apply_to_the_status_subresource_and_scale(kubectl_version: str, kubectl: Callable[..., Kubectl]) -> None:
    """`--subresource=status` (kubectl 1.32+) applies the status alone; `kubectl scale` is recorded as a
    scale write."""
    k = kubectl(kubectl_version)
    assert server_side(k, DEPLOY).returncode == 0
    applied = server_side(k, STATUS, "--subresource=status", "--field-manager=ctrl")
    assert (applied.returncode, applied.stdout) == (0, "deployment.apps/web serverside-applied\n"), applied.stderr
    deploy = get(k, "deployment/web")
    assert (deploy["spec"]["replicas"], deploy["status"]) == (2, {"replicas": 3, "readyReplicas": 2})
    status_entry = next(e for e in deploy["metadata"]["managedFields"] if e["manager"] == "ctrl")
    assert (status_entry["operation"], status_entry["subresource"], status_entry["fieldsV1"]) == (
        "Apply", "status", {"f:status": {"f:readyReplicas": {}, "f:replicas": {}}},
    )  # fmt: skip
    assert k.ok("scale", "deployment/web", "--replicas=5") == "deployment.apps/web scaled\n"
    scaled = get(k, "deployment/web")
    # no fieldManager is sent: the User-Agent's program name manages it, as on a real cluster
    (scale_entry,) = [e for e in scaled["metadata"]["managedFields"] if e.get("subresource") == "scale"]
    assert (scale_entry["manager"], scale_entry["operation"], scale_entry["fieldsV1"]) == (
        f"kubectl.{kubectl_version}", "Update", {"f:spec": {"f:replicas": {}}},
    )  # fmt: skip
    assert "f:replicas" not in entry(scaled, "kubectl")["fieldsV1"]["f:spec"]
