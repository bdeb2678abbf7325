"""version, api-resources, api-versions, cluster-info and `get ns` for every kubectl version: what kubectl
asks discovery for differs (1.27-1.29 per group version, 1.30+ aggregated v2), and so does `version`."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from kubectl_e2e_support import strip_ansi, table, without_age

from mockapi.testing.kubectl import Kubectl
from mockapi.testing.server import ServerThread

pytestmark = pytest.mark.kubectl

# `kubectl api-versions` against a kube-apiserver 1.33 with default --runtime-config (GA versions only).
API_VERSIONS_1_33 = [
    "admissionregistration.k8s.io/v1",
    "apiextensions.k8s.io/v1",
    "apiregistration.k8s.io/v1",
    "apps/v1",
    "authentication.k8s.io/v1",
    "authorization.k8s.io/v1",
    "autoscaling/v1",
    "autoscaling/v2",
    "batch/v1",
    "certificates.k8s.io/v1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "events.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1",
    "networking.k8s.io/v1",
    "node.k8s.io/v1",
    "policy/v1",
    "rbac.authorization.k8s.io/v1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1",
    "v1",
]


@pytest.mark.kubectl_matrix
def test_version_and_discovery(kubectl_version: str, kubectl: Callable[..., Kubectl], mockapi: ServerThread) -> None:
    k = kubectl(kubectl_version)
    minor = int(kubectl_version.split(".")[1])

    info = json.loads(k.ok("version", "-o", "json"))
    server = info["serverVersion"]
    assert (server["major"], server["minor"]) == ("1", "33")
    assert re.fullmatch(r"v1\.33\.\d+", server["gitVersion"]), server
    assert server["platform"] == "linux/amd64"
    assert info["clientVersion"]["minor"] == str(minor)

    plain = k("version")
    assert plain.returncode == 0, plain.stderr
    if minor == 27:  # 1.27 still prints the long Go struct form by default
        assert re.search(
            r'^Server Version: version\.Info\{Major:"1", Minor:"33", GitVersion:"v1\.33\.\d+"', plain.stdout, re.M
        ), plain.stdout
    else:
        assert re.search(r"^Server Version: v1\.33\.\d+$", plain.stdout, re.M), plain.stdout
    skew = (
        f"WARNING: version difference between client ({kubectl_version}) and server (1.33) exceeds the supported "
        "minor version skew of +/-1"
    )
    assert (skew in plain.stdout + plain.stderr) == (minor < 32)

    resources = table(k.ok("api-resources"))
    assert resources[0] == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    assert ["pods", "po", "v1", "true", "Pod"] in resources
    assert ["namespaces", "ns", "v1", "false", "Namespace"] in resources
    assert ["deployments", "deploy", "apps/v1", "true", "Deployment"] in resources
    assert ["configmaps", "cm", "v1", "true", "ConfigMap"] in resources
    assert k.ok("api-resources", "--api-group=apps", "-o", "name").split() == [
        "controllerrevisions.apps",
        "daemonsets.apps",
        "deployments.apps",
        "replicasets.apps",
        "statefulsets.apps",
    ]

    assert k.ok("api-versions").split() == API_VERSIONS_1_33

    info_lines = strip_ansi(k.ok("cluster-info")).splitlines()
    assert info_lines[0] == f"Kubernetes control plane is running at {mockapi.url}"
    assert re.fullmatch(r"https://127\.0\.0\.1:\d+", mockapi.url)

    assert without_age(table(k.ok("get", "ns"))) == [
        ["NAME", "STATUS"],
        ["default", "Active"],
        ["kube-node-lease", "Active"],
        ["kube-public", "Active"],
        ["kube-system", "Active"],
    ]
