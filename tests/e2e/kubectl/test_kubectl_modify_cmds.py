"""describe, label, annotate, patch (merge and json), scale and logs."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from kubectl_e2e_support import fields, table, without_age

from mockapi.testing.kubectl import Kubectl

pytestmark = pytest.mark.kubectl

WORKLOAD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web-0
  labels: {app: web}
spec:
  containers:
  - name: nginx
    image: nginx:1.27
---
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
"""


def test_describe_label_annotate_patch_scale_logs(kubectl_version: str, kubectl: Callable[..., Kubectl]) -> None:
    k = kubectl(kubectl_version)
    assert k.ok("create", "-f", "-", input=WORKLOAD).splitlines() == [
        "pod/web-0 created",
        "deployment.apps/web created",
    ]

    def jsonpath(target: str, path: str) -> str:
        return k.ok("get", target, "-o", f"jsonpath={path}")

    assert without_age(table(k.ok("get", "pod", "web-0", "-o", "wide"))) == [
        ["NAME", "READY", "STATUS", "RESTARTS", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
        ["web-0", "0/1", "Pending", "0", "<none>", "<none>", "<none>", "<none>"],
    ]

    # describe
    pod = k.ok("describe", "pod", "web-0")
    top = fields(pod)
    assert (top["Name"], top["Namespace"], top["Labels"], top["Status"], top["Node"]) == (
        "web-0",
        "default",
        "app=web",
        "Pending",
        "<none>",
    )
    assert top["QoS Class"] == "BestEffort"
    assert "\nContainers:\n  nginx:\n" in pod
    assert re.search(r"^    Image:\s+nginx:1\.27$", pod, re.M), pod
    assert "Events" in top

    deploy = fields(k.ok("describe", "deployment", "web"))
    assert (deploy["Name"], deploy["Namespace"], deploy["Labels"], deploy["Selector"]) == (
        "web",
        "default",
        "app=web",
        "app=web",
    )
    assert deploy["Replicas"].startswith("2 desired |"), deploy["Replicas"]
    assert (deploy["StrategyType"], deploy["RollingUpdateStrategy"]) == (
        "RollingUpdate",
        "25% max unavailable, 25% max surge",
    )
    assert deploy["MinReadySeconds"] == "0"

    namespace = k.ok("describe", "namespace", "default")
    assert fields(namespace) == {
        "Name": "default",
        "Labels": "kubernetes.io/metadata.name=default",
        "Annotations": "<none>",
        "Status": "Active",
    }
    assert "No resource quota." in namespace.splitlines()
    assert "No LimitRange resource." in namespace.splitlines()

    # label / annotate
    assert k.ok("label", "pod", "web-0", "tier=frontend") == "pod/web-0 labeled\n"
    assert json.loads(jsonpath("pod/web-0", "{.metadata.labels}")) == {"app": "web", "tier": "frontend"}
    refused = k("label", "pod", "web-0", "tier=backend")
    assert refused.returncode == 1
    assert refused.stderr.strip() == "error: 'tier' already has a value (frontend), and --overwrite is false"
    assert k.ok("label", "pod", "web-0", "tier=backend", "--overwrite") == "pod/web-0 labeled\n"
    assert k.ok("label", "pod", "web-0", "tier-") == "pod/web-0 unlabeled\n"
    assert without_age(table(k.ok("get", "pod", "web-0", "--show-labels"))) == [
        ["NAME", "READY", "STATUS", "RESTARTS", "LABELS"],
        ["web-0", "0/1", "Pending", "0", "app=web"],
    ]
    annotated = "deployment.apps/web annotate\n" if kubectl_version == "1.27" else "deployment.apps/web annotated\n"
    assert k.ok("annotate", "deployment", "web", "note=hello world") == annotated  # 1.27's printer says "annotate"
    assert jsonpath("deployment/web", "{.metadata.annotations.note}") == "hello world"
    assert k.ok("annotate", "deployment", "web", "note-") == annotated

    # patch: metadata-only changes keep the generation, spec changes bump it
    assert jsonpath("deployment/web", "{.metadata.generation}") == "1"
    merge = '{"metadata":{"labels":{"patched":"merge"}}}'
    assert k.ok("patch", "deployment", "web", "--type", "merge", "-p", merge) == "deployment.apps/web patched\n"
    assert k.ok("patch", "deployment", "web", "--type", "merge", "-p", merge) == (
        "deployment.apps/web patched (no change)\n"
    )
    assert json.loads(jsonpath("deployment/web", "{.metadata.labels}")) == {"app": "web", "patched": "merge"}
    assert jsonpath("deployment/web", "{.metadata.generation}") == "1"
    ops = '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.28"}]'
    assert k.ok("patch", "deployment", "web", "--type", "json", "-p", ops) == "deployment.apps/web patched\n"
    assert jsonpath("deployment/web", "{.spec.template.spec.containers[0].image}") == "nginx:1.28"
    assert jsonpath("deployment/web", "{.metadata.generation}") == "2"
    remove = '[{"op":"remove","path":"/metadata/labels/patched"}]'
    assert k.ok("patch", "deployment", "web", "--type=json", "-p", remove) == "deployment.apps/web patched\n"
    assert json.loads(jsonpath("deployment/web", "{.metadata.labels}")) == {"app": "web"}

    # scale: PATCH .../scale, and with --current-replicas a GET + PUT of the Scale subresource
    assert k.ok("scale", "deployment", "web", "--replicas=3") == "deployment.apps/web scaled\n"
    assert jsonpath("deployment/web", "{.spec.replicas}") == "3"
    assert k.ok("scale", "deployment/web", "--current-replicas=3", "--replicas=1") == "deployment.apps/web scaled\n"
    assert jsonpath("deployment/web", "{.spec.replicas} {.metadata.generation}") == "1 4"
    mismatch = k("scale", "deployment/web", "--current-replicas=5", "--replicas=2")
    assert mismatch.returncode == 1
    assert mismatch.stderr.strip() == "error: Expected replicas to be 5, was 1"
    assert without_age(table(k.ok("get", "deployment", "web")))[1] == ["web", "0/1", "0", "0"]

    # logs of a pod that no node runs: the apiserver has no kubelet to ask and streams nothing
    logs = k("logs", "web-0")
    assert (logs.returncode, logs.stdout, logs.stderr) == (0, "", "")

    # Removing the last annotation leaves no `annotations` field (ObjectMeta's omitempty map).
    assert jsonpath("deployment/web", "{.metadata.annotations}") == ""
    # What kube-apiserver's default admission plugins (Priority, ServiceAccount, DefaultTolerationSeconds)
    # add to every pod shows in describe.
    assert (top.get("Priority"), top.get("Service Account")) == ("0", "default"), pod
    assert re.search(
        r"^Tolerations:\s+node\.kubernetes\.io/not-ready:NoExecute op=Exists for 300s\n"
        r"\s+node\.kubernetes\.io/unreachable:NoExecute op=Exists for 300s$",
        pod,
        re.M,
    ), pod
