"""Client-side `kubectl apply` (strategic merge patches), `kubectl patch` and `kubectl set image`, with the
oldest and newest kubectl.

Validation is on (kubectl consults the served OpenAPI and sends fieldValidation=Strict). kubectl computes
strategic merge patches for built-in kinds; what is exercised here is the server applying them:
re-applying an unchanged manifest must compute an empty patch (`unchanged`), and an edited one must
converge to exactly the manifest.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from mockapi.testing.kubectl import Kubectl

pytestmark = pytest.mark.kubectl

APP_V1 = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
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
          name: http
        env:
        - name: MODE
          value: prod
        - name: DEBUG
          value: "0"
      volumes:
      - name: cache
        emptyDir: {}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - name: http
    port: 80
    targetPort: http
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  mode: prod
  debug: "0"
"""

# image changed, a container added, an env var removed, a port renamed (container and service), a
# volume's source switched, a ConfigMap key removed and one added
APP_V2 = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
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
        image: nginx:1.28
        ports:
        - containerPort: 80
          name: web
        env:
        - name: MODE
          value: prod
      - name: sidecar
        image: busybox:1.36
        command: [sleep, infinity]
      volumes:
      - name: cache
        configMap:
          name: web-config
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - name: web
    port: 80
    targetPort: web
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  mode: prod
  level: info
"""

KINDS = ("deployment.apps/web", "service/web", "configmap/web-config")


def get(k: Kubectl, target: str) -> Any:
    return json.loads(k.ok("get", target, "-o", "json"))


def apply(k: Kubectl, manifest: str) -> list[str]:
    result = k("apply", "-f", "-", input=manifest)
    assert (result.returncode, result.stderr) == (0, ""), result
    return result.stdout.splitlines()


def test_apply_converges(kubectl_version: str, kubectl: Callable[..., Kubectl]) -> None:
    k = kubectl(kubectl_version)

    assert apply(k, APP_V1) == [f"{kind} created" for kind in KINDS]
    assert apply(k, APP_V1) == [f"{kind} unchanged" for kind in KINDS]
    generation = get(k, "deployment/web")["metadata"]["generation"]

    assert apply(k, APP_V2) == [f"{kind} configured" for kind in KINDS]
    deploy = get(k, "deployment/web")
    assert deploy["metadata"]["generation"] == generation + 1
    pod = deploy["spec"]["template"]["spec"]
    nginx, sidecar = pod["containers"]
    assert (nginx["name"], nginx["image"], sidecar["name"], sidecar["image"]) == (
        "nginx",
        "nginx:1.28",
        "sidecar",
        "busybox:1.36",
    )
    assert nginx["env"] == [{"name": "MODE", "value": "prod"}]
    assert nginx["ports"] == [{"containerPort": 80, "name": "web", "protocol": "TCP"}]
    assert sidecar["command"] == ["sleep", "infinity"]
    assert "env" not in sidecar and "ports" not in sidecar
    assert pod["volumes"] == [{"name": "cache", "configMap": {"name": "web-config", "defaultMode": 420}}]
    last_applied = json.loads(deploy["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"])
    assert last_applied["spec"]["template"]["spec"]["containers"][1]["name"] == "sidecar"

    service = get(k, "service/web")
    assert [{key: p[key] for key in ("name", "port", "targetPort")} for p in service["spec"]["ports"]] == [
        {"name": "web", "port": 80, "targetPort": "web"},
    ]
    assert get(k, "configmap/web-config")["data"] == {"mode": "prod", "level": "info"}

    assert apply(k, APP_V2) == [f"{kind} unchanged" for kind in KINDS]

    # kubectl patch: strategic merge patch by default, so the other container stays
    image = '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.29"}]}}}}'
    assert k.ok("patch", "deployment", "web", "-p", image) == "deployment.apps/web patched\n"
    assert k.ok("patch", "deployment", "web", "-p", image) == "deployment.apps/web patched (no change)\n"
    containers = get(k, "deployment/web")["spec"]["template"]["spec"]["containers"]
    assert [(c["name"], c["image"]) for c in containers] == [("nginx", "nginx:1.29"), ("sidecar", "busybox:1.36")]
    assert containers[0]["env"] == [{"name": "MODE", "value": "prod"}]

    # kubectl set image: a strategic merge patch of the named containers
    assert k.ok("set", "image", "deployment/web", "sidecar=busybox:1.37") == ("deployment.apps/web image updated\n")
    containers = get(k, "deployment/web")["spec"]["template"]["spec"]["containers"]
    assert [(c["name"], c["image"]) for c in containers] == [("nginx", "nginx:1.29"), ("sidecar", "busybox:1.37")]

    # apply brings the images back to the manifest's and leaves nothing else behind
    assert apply(k, APP_V2) == [
        "deployment.apps/web configured",
        "service/web unchanged",
        "configmap/web-config unchanged",
    ]
    containers = get(k, "deployment/web")["spec"]["template"]["spec"]["containers"]
    assert [(c["name"], c["image"]) for c in containers] == [("nginx", "nginx:1.28"), ("sidecar", "busybox:1.36")]
    assert apply(k, APP_V2) == [f"{kind} unchanged" for kind in KINDS]
