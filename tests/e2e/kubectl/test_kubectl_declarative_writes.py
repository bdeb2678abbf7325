"""Client-side `kubectl apply` of a multi-document file of common kinds, `kubectl diff` and `kubectl apply
--prune`, with kubectl's default validation (`Strict`, decided from the served
OpenAPI) -- the issue's convergence scenario: apply, apply again (`unchanged`), edit the file (an image
changed, a container added, an env var removed, a port renamed), `kubectl diff` shows exactly that, apply
(`configured`), and a following `kubectl diff` shows nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from kubectl_write_support import diff_changes, get, list_resource_version, run

from mockapi.testing.kubectl import Kubectl

pytestmark = pytest.mark.kubectl

APP_V1 = """\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  labels: {app: web}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  labels: {app: web}
data:
  mode: prod
  debug: "0"
---
apiVersion: v1
kind: Service
metadata:
  name: web
  labels: {app: web}
spec:
  selector: {app: web}
  ports:
  - name: http
    port: 80
    targetPort: http
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
      serviceAccountName: web
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - name: http
          containerPort: 80
        env:
        - name: MODE
          value: prod
        - name: DEBUG
          valueFrom:
            configMapKeyRef: {name: web-config, key: debug}
        resources:
          requests: {cpu: 100m, memory: 64Mi}
          limits: {memory: 128Mi}
        readinessProbe:
          httpGet: {path: /healthz, port: http}
        volumeMounts:
        - name: config
          mountPath: /etc/web
      volumes:
      - name: config
        configMap: {name: web-config}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  labels: {app: web}
spec:
  serviceName: db
  replicas: 1
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: postgres
        image: postgres:16
        env:
        - name: POSTGRES_DB
          value: web
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: web-report
  labels: {app: web}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: report
            image: busybox:1.36
            command: [sh, -c, date]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  labels: {app: web}
spec:
  rules:
  - host: web.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port: {name: http}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: web
  labels: {app: web}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: alice
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
  labels: {app: web}
spec:
  minAvailable: 1
  selector:
    matchLabels: {app: web}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
  labels: {app: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 5
  metrics:
  - type: Resource
    resource:
      name: cpu
      target: {type: Utilization, averageUtilization: 80}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  labels: {app: web}
spec:
  podSelector:
    matchLabels: {app: web}
  policyTypes: [Ingress]
  ingress:
  - ports:
    - port: http
      protocol: TCP
"""


DEBUG_ENV = "        - name: DEBUG\n          valueFrom:\n            configMapKeyRef: {name: web-config, key: debug}\n"


def edited(manifest: str) -> str:
    """The issue's edit: nginx image bumped, a sidecar container added, the DEBUG env var removed and the
    `http` port renamed `web` everywhere (container, probe, Service, Ingress, NetworkPolicy); the
    ConfigMap loses `debug` and gains `level`."""
    replacements = [
        ("image: nginx:1.27", "image: nginx:1.28"),
        (DEBUG_ENV, ""),
        ("        - name: http\n          containerPort: 80", "        - name: web\n          containerPort: 80"),
        ("httpGet: {path: /healthz, port: http}", "httpGet: {path: /healthz, port: web}"),
        (
            "      volumes:\n",
            "      - name: sidecar\n        image: busybox:1.36\n        command: [sleep, infinity]\n      volumes:\n",
        ),
        ("  - name: http\n    port: 80\n    targetPort: http", "  - name: web\n    port: 80\n    targetPort: web"),
        ("port: {name: http}", "port: {name: web}"),
        ("    - port: http\n", "    - port: web\n"),
        ('  mode: prod\n  debug: "0"\n', "  mode: prod\n  level: info\n"),
    ]
    for old, new in replacements:
        assert manifest.count(old) == 1, old
        manifest = manifest.replace(old, new)
    return manifest


APP_V2 = edited(APP_V1)

OBJECTS = (
    "serviceaccount/web",
    "configmap/web-config",
    "service/web",
    "deployment.apps/web",
    "statefulset.apps/db",
    "cronjob.batch/web-report",
    "ingress.networking.k8s.io/web",
    "rolebinding.rbac.authorization.k8s.io/web",
    "poddisruptionbudget.policy/web",
    "horizontalpodautoscaler.autoscaling/web",
    "networkpolicy.networking.k8s.io/web",
)
ALWAYS_PATCHED = "poddisruptionbudget.policy/web"
"""policy/v1 PodDisruptionBudget's `selector` has patch strategy `replace`, so kubectl's three-way patch
always carries it and apply prints `configured` although nothing changes (a client-side fact)."""
CHANGED = (
    "configmap/web-config",
    "service/web",
    "deployment.apps/web",
    "ingress.networking.k8s.io/web",
    "networkpolicy.networking.k8s.io/web",
)

DIFF_V2 = {
    "v1.ConfigMap.default.web-config": ['-  debug: "0"', "+  level: info"],
    "v1.Service.default.web": ["-  - name: http", "+  - name: web", "-    targetPort: http", "+    targetPort: web"],
    "apps.v1.Deployment.default.web": [
        "-  generation: 1",
        "+  generation: 2",
        "-        - name: DEBUG",
        "-          valueFrom:",
        "-            configMapKeyRef:",
        "-              key: debug",
        "-              name: web-config",
        "-        image: nginx:1.27",
        "+        image: nginx:1.28",
        "-          name: http",
        "+          name: web",
        "-            port: http",
        "+            port: web",
        "+      - command:",
        "+        - sleep",
        "+        - infinity",
        "+        image: busybox:1.36",
        "+        imagePullPolicy: IfNotPresent",
        "+        name: sidecar",
        "+        resources: {}",
        "+        terminationMessagePath: /dev/termination-log",
        "+        terminationMessagePolicy: File",
    ],
    "networking.k8s.io.v1.Ingress.default.web": [
        "-  generation: 1",
        "+  generation: 2",
        "-              name: http",
        "+              name: web",
    ],
    "networking.k8s.io.v1.NetworkPolicy.default.web": [
        "-  generation: 1",
        "+  generation: 2",
        "-    - port: http",
        "+    - port: web",
    ],
}
"""What `kubectl diff` prints for APP_V2 against APP_V1 (the merged side is the server's dry-run patch
result, defaults included), per object file, as `-`/`+` lines."""


PRUNE_DEPRECATION = re.compile(
    r"^W\d{4} [\d:.]+ +\d+ prune\.go:\d+\] Deprecated: kubectl apply will no longer prune non-namespaced resources "
    r"by default when used with the --namespace flag in a future release\. To preserve the current behaviour, list "
    r"the resources you want to target explicitly in the --prune-allowlist flag\.$"
)
"""kubectl's own warning (klog) when --prune runs with its default allowlist, which has Namespace and
PersistentVolume, in a namespace (kubectl always has one: `default` unless a flag or the kubeconfig names
another)."""


def apply(k: Kubectl, manifest: str, *flags: str) -> list[str]:
    result = k("apply", "-f", "-", *flags, input=manifest)
    assert result.returncode == 0, result
    warnings = result.stderr.splitlines()
    if "--prune" in flags and not any(f.startswith(("--prune-allowlist", "--prune-whitelist")) for f in flags):
        assert len(warnings) == 1 and PRUNE_DEPRECATION.match(warnings[0]), result.stderr
    else:
        assert warnings == [], result.stderr
    return result.stdout.splitlines()


def diff(k: Kubectl, manifest: Path) -> tuple[int, str, str]:
    result = run(k, "diff", "-f", str(manifest), env={"TMPDIR": str(manifest.parent)})
    return result.returncode, result.stdout, result.stderr


def revision(k: Kubectl) -> str:
    """The store's current revision, as any list reports it: like etcd's, one counter for every kind, so
    an unchanged value means nothing at all was written."""
    return list_resource_version(k, "/api/v1/namespaces/default/configmaps")


def test_apply_converges_and_diff_agrees(kubectl_version: str, kubectl: Callable[..., Kubectl], tmp_path: Path) -> None:
    k = kubectl(kubectl_version)
    v2 = tmp_path / "v2.yaml"
    v2.write_text(APP_V2)

    assert apply(k, APP_V1) == [f"{o} created" for o in OBJECTS]
    written = revision(k)
    assert apply(k, APP_V1) == [f"{o} {'configured' if o == ALWAYS_PATCHED else 'unchanged'}" for o in OBJECTS]
    assert revision(k) == written  # the PDB's patch changes nothing, so nothing is written

    code, out, err = diff(k, v2)
    assert (code, err) == (1, "")
    assert diff_changes(out) == DIFF_V2, out
    assert revision(k) == written  # diff is a dry run

    assert apply(k, APP_V2) == [
        f"{o} {'configured' if o in CHANGED or o == ALWAYS_PATCHED else 'unchanged'}" for o in OBJECTS
    ]
    deploy, service, config, ingress, policy = get(
        k, "deployment/web", "service/web", "configmap/web-config", "ingress/web", "networkpolicy/web"
    )["items"]
    nginx, sidecar = deploy["spec"]["template"]["spec"]["containers"]
    assert (nginx["image"], nginx["env"], nginx["ports"]) == (
        "nginx:1.28",
        [{"name": "MODE", "value": "prod"}],
        [{"containerPort": 80, "name": "web", "protocol": "TCP"}],
    )
    assert nginx["readinessProbe"]["httpGet"] == {"path": "/healthz", "port": "web", "scheme": "HTTP"}
    assert (sidecar["name"], sidecar["image"], sidecar["command"]) == ("sidecar", "busybox:1.36", ["sleep", "infinity"])
    assert deploy["metadata"]["generation"] == 2
    assert [(p["name"], p["targetPort"]) for p in service["spec"]["ports"]] == [("web", "web")]
    assert config["data"] == {"mode": "prod", "level": "info"}
    assert ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["port"] == {"name": "web"}
    assert policy["spec"]["ingress"] == [{"ports": [{"port": "web", "protocol": "TCP"}]}]

    # converged: the server's dry-run patch of every object changes nothing
    written = revision(k)
    assert diff(k, v2) == (0, "", "")
    assert revision(k) == written


PRUNE_SET = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: keep
  labels: {app: web}
data: {a: b}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: dropped
  labels: {app: web}
data: {a: b}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
  labels: {app: web}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: report
            image: busybox:1.36
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: web
  labels: {app: web}
rules:
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get]
"""


def test_apply_prune(kubectl_version: str, kubectl: Callable[..., Kubectl]) -> None:
    k = kubectl(kubectl_version)
    assert apply(k, PRUNE_SET) == [
        "configmap/keep created",
        "configmap/dropped created",
        "deployment.apps/web created",
        "cronjob.batch/report created",
        "role.rbac.authorization.k8s.io/web created",
    ]
    # labelled, but not created by apply (no last-applied annotation): never pruned; other labels: not selected
    k.ok("create", "configmap", "manual", "--from-literal=a=b")
    k.ok("label", "configmap/manual", "app=web")
    k.ok(
        "apply",
        "-f",
        "-",
        input="apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other-app\n  labels: {app: other}\ndata: {a: b}\n",
    )
    smaller = PRUNE_SET.split("---\n")[0]  # ConfigMap keep only
    default_pruned = ["configmap/dropped", "deployment.apps/web", "cronjob.batch/report"]

    # a server dry run names what would go and removes nothing (an allowlist spares kubectl's client-side
    # throttling of the default list's 16 LISTs)
    out = apply(
        k,
        smaller,
        "--prune",
        "-l",
        "app=web",
        "--dry-run=server",
        "--prune-allowlist=core/v1/ConfigMap",
        "--prune-allowlist=apps/v1/Deployment",
        "--prune-allowlist=batch/v1/CronJob",
    )
    assert out[0] == "configmap/keep unchanged (server dry run)"
    assert sorted(out[1:]) == sorted(f"{o} pruned (server dry run)" for o in default_pruned)
    assert len(get(k, "configmap/dropped", "deployment/web", "cronjob/report", "role/web")["items"]) == 4

    # the default allowlist (kubectl's 16 kinds: workloads, services, config, ingresses, namespaces...) has
    # no RBAC objects
    out = apply(k, smaller, "--prune", "-l", "app=web")
    assert out[0] == "configmap/keep unchanged"
    assert sorted(out[1:]) == sorted(f"{o} pruned" for o in default_pruned)
    gone = k("get", *default_pruned, "role/web", "configmap/manual", "configmap/other-app", "-o", "name")
    assert gone.stdout.splitlines() == [
        "role.rbac.authorization.k8s.io/web",
        "configmap/manual",
        "configmap/other-app",
    ]
    assert gone.stderr.splitlines() == [
        'Error from server (NotFound): configmaps "dropped" not found',
        'Error from server (NotFound): deployments.apps "web" not found',
        'Error from server (NotFound): cronjobs.batch "report" not found',
    ]
    kinds = ["rbac.authorization.k8s.io/v1/Role", "core/v1/ConfigMap"]

    # an explicit allowlist (`--prune-whitelist` is its deprecated name until 1.29, removed in 1.30)
    allow = "--prune-whitelist" if kubectl_version in ("1.27", "1.28", "1.29") else "--prune-allowlist"
    result = k("apply", "-f", "-", "--prune", "-l", "app=web", *(f"{allow}={kind}" for kind in kinds), input=smaller)
    assert result.returncode == 0, result.stderr
    assert result.stderr == (  # once per use of the flag
        "Flag --prune-whitelist has been deprecated, Use --prune-allowlist instead.\n" * len(kinds)
        if allow == "--prune-whitelist"
        else ""
    )
    out = result.stdout.splitlines()
    assert out[0] == "configmap/keep unchanged"
    assert out[1:] == ["role.rbac.authorization.k8s.io/web pruned"]
    assert [c["metadata"]["name"] for c in get(k, "configmap")["items"]] == [
        "keep",
        "kube-root-ca.crt",
        "manual",
        "other-app",
    ]
    assert k("get", "roles,deployments,cronjobs").stderr.strip() == "No resources found in default namespace."


def test_reapply_rolebinding_with_serviceaccount_subject(kubectl_version: str, kubectl: Callable[..., Kubectl]) -> None:
    """kube-apiserver defaults a ServiceAccount subject's apiGroup to "", which Go's omitempty then leaves
    out; the live subjects equal the manifest's, so a second apply changes nothing."""
    k = kubectl(kubectl_version)
    manifest = (
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: sa-binding\n"
        "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\n"
        "subjects:\n- kind: ServiceAccount\n  name: web\n  namespace: default\n"
    )
    assert apply(k, manifest) == ["rolebinding.rbac.authorization.k8s.io/sa-binding created"]
    live: Any = get(k, "rolebinding/sa-binding")
    assert live["subjects"] == [{"kind": "ServiceAccount", "name": "web", "namespace": "default"}]
    assert apply(k, manifest) == ["rolebinding.rbac.authorization.k8s.io/sa-binding unchanged"]
