"""Defaulting, PrepareForCreate and Service allocation against what kube-apiserver 1.33 stores (table-driven).

Expected objects are what `kubectl get -o json` shows right after a create, minus the generic metadata
(uid, resourceVersion, generation, creationTimestamp) and minus what admission plugins add
(service account volume, tolerations, priority).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from mockapi.registry.defaulting import (
    AllocationError,
    AllocationInternalError,
    NodePortAllocator,
    ServiceIPAllocator,
    apply_defaults,
    apply_service_allocation,
    compute_qos,
    prepare_for_create,
)
from mockapi.registry.defaulting.images import image_tag
from mockapi.registry.defaulting.quantity import normalize

Obj = dict[str, Any]

UID = "6f9c1d5e-0000-4000-8000-000000000001"
CREATED = "2025-05-01T10:00:00Z"


def _gvk(obj: Obj) -> tuple[str, str, str]:
    group, _, version = obj["apiVersion"].rpartition("/")
    return group, version, obj["kind"]


def create(obj: Obj, allocator: ServiceIPAllocator | None = None) -> Obj:
    """The create path's share of this module: decode defaults, allocation, PrepareForCreate."""
    out = copy.deepcopy(obj)
    group, version, kind = _gvk(out)
    apply_defaults(group, version, kind, out)
    if kind == "Service":
        apply_service_allocation(out, allocator or ServiceIPAllocator(seed=7))
    out.setdefault("metadata", {}).update({"uid": UID, "creationTimestamp": CREATED})
    prepare_for_create(group, kind, out)
    return out


def _container(name: str, image: str, pull: str, **extra: Any) -> Obj:
    return {
        "name": name,
        "image": image,
        "imagePullPolicy": pull,
        "resources": {},
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
        **extra,
    }


TEMPLATE_SPEC_DEFAULTS: Obj = {
    "dnsPolicy": "ClusterFirst",
    "restartPolicy": "Always",
    "schedulerName": "default-scheduler",
    "securityContext": {},
    "terminationGracePeriodSeconds": 30,
}
META = {"uid": UID, "creationTimestamp": CREATED}

# --- whole objects -------------------------------------------------------------------------------------

POD_IN: Obj = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "p", "namespace": "default"},
    "spec": {"containers": [{"name": "c", "image": "busybox:1.36"}]},
}
POD_OUT: Obj = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "p", "namespace": "default", **META},
    "spec": {
        "containers": [_container("c", "busybox:1.36", "IfNotPresent")],
        **TEMPLATE_SPEC_DEFAULTS,
        "enableServiceLinks": True,
    },
    "status": {"phase": "Pending", "qosClass": "BestEffort"},
}

# `kubectl create deployment web --image=nginx` (1.33) sends exactly this body.
DEPLOYMENT_IN: Obj = {
    "kind": "Deployment",
    "apiVersion": "apps/v1",
    "metadata": {"name": "web", "creationTimestamp": None, "labels": {"app": "web"}},
    "spec": {
        "replicas": 1,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"creationTimestamp": None, "labels": {"app": "web"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx", "resources": {}}]},
        },
        "strategy": {},
    },
    "status": {},
}
DEPLOYMENT_OUT: Obj = {
    "kind": "Deployment",
    "apiVersion": "apps/v1",
    "metadata": {"name": "web", "labels": {"app": "web"}, **META},
    "spec": {
        "replicas": 1,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"creationTimestamp": None, "labels": {"app": "web"}},
            "spec": {"containers": [_container("nginx", "nginx", "Always")], **TEMPLATE_SPEC_DEFAULTS},
        },
        "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
        "revisionHistoryLimit": 10,
        "progressDeadlineSeconds": 600,
    },
    "status": {},
}

SERVICE_IN: Obj = {
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {"name": "web", "namespace": "default"},
    "spec": {"clusterIP": "10.96.0.10", "selector": {"app": "web"}, "ports": [{"name": "http", "port": 80}]},
}
SERVICE_OUT: Obj = {
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {"name": "web", "namespace": "default", **META},
    "spec": {
        "clusterIP": "10.96.0.10",
        "clusterIPs": ["10.96.0.10"],
        "internalTrafficPolicy": "Cluster",
        "ipFamilies": ["IPv4"],
        "ipFamilyPolicy": "SingleStack",
        "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 80}],
        "selector": {"app": "web"},
        "sessionAffinity": "None",
        "type": "ClusterIP",
    },
    "status": {"loadBalancer": {}},
}

# `kubectl create job pi --image=perl -- perl -e 1`
JOB_IN: Obj = {
    "kind": "Job",
    "apiVersion": "batch/v1",
    "metadata": {"name": "pi", "creationTimestamp": None},
    "spec": {
        "template": {
            "metadata": {"creationTimestamp": None},
            "spec": {
                "containers": [{"name": "pi", "image": "perl", "command": ["perl", "-e", "1"], "resources": {}}],
                "restartPolicy": "Never",
            },
        }
    },
    "status": {},
}
JOB_LABELS = {
    "batch.kubernetes.io/controller-uid": UID,
    "batch.kubernetes.io/job-name": "pi",
    "controller-uid": UID,
    "job-name": "pi",
}
JOB_OUT: Obj = {
    "kind": "Job",
    "apiVersion": "batch/v1",
    "metadata": {"name": "pi", "labels": JOB_LABELS, **META},
    "spec": {
        "backoffLimit": 6,
        "completionMode": "NonIndexed",
        "completions": 1,
        "manualSelector": False,
        "parallelism": 1,
        "podReplacementPolicy": "TerminatingOrFailed",
        "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": UID}},
        "suspend": False,
        "template": {
            "metadata": {"creationTimestamp": None, "labels": JOB_LABELS},
            "spec": {
                "containers": [_container("pi", "perl", "Always", command=["perl", "-e", "1"])],
                **TEMPLATE_SPEC_DEFAULTS,
                "restartPolicy": "Never",
            },
        },
    },
    "status": {},
}

CRONJOB_IN: Obj = {
    "apiVersion": "batch/v1",
    "kind": "CronJob",
    "metadata": {"name": "tick"},
    "spec": {
        "schedule": "*/1 * * * *",
        "jobTemplate": {
            "spec": {
                "template": {
                    "spec": {
                        "containers": [{"name": "c", "image": "busybox:latest"}],
                        "restartPolicy": "OnFailure",
                    }
                }
            }
        },
    },
}
CRONJOB_OUT: Obj = {
    "apiVersion": "batch/v1",
    "kind": "CronJob",
    "metadata": {"name": "tick", **META},
    "spec": {
        "concurrencyPolicy": "Allow",
        "failedJobsHistoryLimit": 1,
        "schedule": "*/1 * * * *",
        "successfulJobsHistoryLimit": 3,
        "suspend": False,
        # no SetDefaults_Job here: completions, backoffLimit... stay unset in a job template
        "jobTemplate": {
            "metadata": {"creationTimestamp": None},
            "spec": {
                "template": {
                    "metadata": {"creationTimestamp": None},
                    "spec": {
                        "containers": [_container("c", "busybox:latest", "Always")],
                        **TEMPLATE_SPEC_DEFAULTS,
                        "restartPolicy": "OnFailure",
                    },
                }
            },
        },
    },
    "status": {},
}

SECRET_IN: Obj = {
    "apiVersion": "v1",
    "kind": "Secret",
    "metadata": {"name": "s"},
    "data": {"a": "eA=="},
    "stringData": {"b": "hello"},
}
SECRET_OUT: Obj = {
    "apiVersion": "v1",
    "kind": "Secret",
    "metadata": {"name": "s", **META},
    "data": {"a": "eA==", "b": "aGVsbG8="},
    "type": "Opaque",
}

NAMESPACE_IN: Obj = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-a"}}
NAMESPACE_OUT: Obj = {
    "apiVersion": "v1",
    "kind": "Namespace",
    "metadata": {"name": "team-a", "labels": {"kubernetes.io/metadata.name": "team-a"}, **META},
    "spec": {"finalizers": ["kubernetes"]},
    "status": {"phase": "Active"},
}

STATEFULSET_IN: Obj = {
    "apiVersion": "apps/v1",
    "kind": "StatefulSet",
    "metadata": {"name": "db"},
    "spec": {
        "serviceName": "db",
        "selector": {"matchLabels": {"app": "db"}},
        "template": {
            "metadata": {"labels": {"app": "db"}},
            "spec": {"containers": [{"name": "db", "image": "postgres:16", "resources": {"limits": {"cpu": 1}}}]},
        },
        "volumeClaimTemplates": [
            {
                "metadata": {"name": "data"},
                "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1024Mi"}}},
            }
        ],
    },
}
STATEFULSET_OUT: Obj = {
    "apiVersion": "apps/v1",
    "kind": "StatefulSet",
    "metadata": {"name": "db", **META},
    "spec": {
        "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"},
        "podManagementPolicy": "OrderedReady",
        "replicas": 1,
        "revisionHistoryLimit": 10,
        "selector": {"matchLabels": {"app": "db"}},
        "serviceName": "db",
        "template": {
            "metadata": {"creationTimestamp": None, "labels": {"app": "db"}},
            "spec": {
                # a template gets no requests from limits: that is SetDefaults_Pod's, pods only
                "containers": [_container("db", "postgres:16", "IfNotPresent", resources={"limits": {"cpu": "1"}})],
                **TEMPLATE_SPEC_DEFAULTS,
            },
        },
        "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
        "volumeClaimTemplates": [
            {
                "apiVersion": "v1",
                "kind": "PersistentVolumeClaim",
                "metadata": {"name": "data", "creationTimestamp": None},
                "spec": {
                    "accessModes": ["ReadWriteOnce"],
                    "resources": {"requests": {"storage": "1Gi"}},
                    "volumeMode": "Filesystem",
                },
                "status": {"phase": "Pending"},
            }
        ],
    },
    "status": {"availableReplicas": 0, "replicas": 0},
}

WHOLE_OBJECTS = [
    pytest.param(POD_IN, POD_OUT, id="pod"),
    pytest.param(DEPLOYMENT_IN, DEPLOYMENT_OUT, id="kubectl-create-deployment"),
    pytest.param(SERVICE_IN, SERVICE_OUT, id="service-static-clusterip"),
    pytest.param(JOB_IN, JOB_OUT, id="kubectl-create-job"),
    pytest.param(CRONJOB_IN, CRONJOB_OUT, id="cronjob"),
    pytest.param(SECRET_IN, SECRET_OUT, id="secret-stringdata"),
    pytest.param(NAMESPACE_IN, NAMESPACE_OUT, id="namespace"),
    pytest.param(STATEFULSET_IN, STATEFULSET_OUT, id="statefulset"),
]


@pytest.mark.parametrize(("sent", "stored"), WHOLE_OBJECTS)
def test_whole_object(sent: Obj, stored: Obj) -> None:
    assert create(sent) == stored


@pytest.mark.parametrize(("sent", "stored"), WHOLE_OBJECTS)
def test_defaults_are_idempotent(sent: Obj, stored: Obj) -> None:
    """The real server defaults again when it decodes the stored object; nothing may change."""
    again = copy.deepcopy(stored)
    apply_defaults(*_gvk(again), again)
    assert again == stored


def test_unknown_kinds_and_versions_are_left_alone() -> None:
    obj: Obj = {"apiVersion": "example.com/v1", "kind": "Widget", "spec": {}}
    apply_defaults("example.com", "v1", "Widget", obj)
    prepare_for_create("example.com", "Widget", obj)
    apply_defaults("apps", "v1beta1", "Deployment", obj)
    assert obj == {"apiVersion": "example.com/v1", "kind": "Widget", "spec": {}}


# --- pod details ----------------------------------------------------------------------------------------


def _pod(spec: Obj, **metadata: Any) -> Obj:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", **metadata}, "spec": spec}


@pytest.mark.parametrize(
    ("image", "policy"),
    [
        ("nginx", "Always"),
        ("nginx:latest", "Always"),
        ("registry.k8s.io/pause:3.10", "IfNotPresent"),
        ("localhost:5000/app", "Always"),
        ("nginx@sha256:" + "a" * 64, "IfNotPresent"),
        ("nginx:1.27@sha256:" + "a" * 64, "IfNotPresent"),
        ("Nginx", "IfNotPresent"),  # not a valid reference: ParseImageName fails, no tag
        ("", "IfNotPresent"),
    ],
)
def test_image_pull_policy(image: str, policy: str) -> None:
    pod = create(_pod({"containers": [{"name": "c", "image": image}]}))
    assert pod["spec"]["containers"][0]["imagePullPolicy"] == policy
    assert (image_tag(image) == "latest") == (policy == "Always")


def test_pod_nested_defaults() -> None:
    spec: Obj = {
        "hostNetwork": True,
        "serviceAccountName": "robot",
        "volumes": [
            {"name": "bare"},
            {"name": "s", "secret": {"secretName": "x"}},
            {"name": "cm", "configMap": {"name": "x"}},
            {"name": "hp", "hostPath": {"path": "/x"}},
            {"name": "d", "downwardAPI": {"items": [{"path": "n", "fieldRef": {"fieldPath": "metadata.name"}}]}},
            {"name": "t", "projected": {"sources": [{"serviceAccountToken": {"path": "token"}}]}},
            {"name": "e", "emptyDir": {"sizeLimit": "1024Mi"}},
        ],
        "containers": [
            {
                "name": "c",
                "image": "app:v1",
                "ports": [{"containerPort": 8080}],
                "env": [{"name": "N", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
                "livenessProbe": {"httpGet": {"port": 8080}},
                "readinessProbe": {"grpc": {"port": 9000}, "periodSeconds": 5},
                "lifecycle": {"preStop": {"httpGet": {"port": 80, "path": "/stop"}}},
                "resources": {"limits": {"cpu": "0.5", "memory": "1Gi"}, "requests": {"cpu": "100m"}},
            }
        ],
    }
    pod = create(_pod(spec))
    spec = pod["spec"]
    assert spec["serviceAccount"] == "robot"
    assert [v for v in spec["volumes"]] == [
        {"name": "bare", "emptyDir": {}},
        {"name": "s", "secret": {"secretName": "x", "defaultMode": 420}},
        {"name": "cm", "configMap": {"name": "x", "defaultMode": 420}},
        {"name": "hp", "hostPath": {"path": "/x", "type": ""}},
        {
            "name": "d",
            "downwardAPI": {
                "defaultMode": 420,
                "items": [{"path": "n", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}],
            },
        },
        {
            "name": "t",
            "projected": {
                "defaultMode": 420,
                "sources": [{"serviceAccountToken": {"path": "token", "expirationSeconds": 3600}}],
            },
        },
        {"name": "e", "emptyDir": {"sizeLimit": "1Gi"}},
    ]
    c = spec["containers"][0]
    assert c["ports"] == [{"containerPort": 8080, "hostPort": 8080, "protocol": "TCP"}]
    assert c["env"][0]["valueFrom"]["fieldRef"] == {"apiVersion": "v1", "fieldPath": "metadata.name"}
    assert c["livenessProbe"] == {
        "httpGet": {"port": 8080, "path": "/", "scheme": "HTTP"},
        "timeoutSeconds": 1,
        "periodSeconds": 10,
        "successThreshold": 1,
        "failureThreshold": 3,
    }
    assert c["readinessProbe"]["grpc"] == {"port": 9000, "service": ""}
    assert c["readinessProbe"]["periodSeconds"] == 5
    assert c["lifecycle"]["preStop"]["httpGet"] == {"port": 80, "path": "/stop", "scheme": "HTTP"}
    assert c["resources"] == {"limits": {"cpu": "500m", "memory": "1Gi"}, "requests": {"cpu": "100m", "memory": "1Gi"}}
    assert pod["status"] == {"phase": "Pending", "qosClass": "Burstable"}


def test_scheduling_gates_condition() -> None:
    pod = create(_pod({"schedulingGates": [{"name": "wait"}], "containers": [{"name": "c", "image": "x:1"}]}))
    assert pod["status"]["conditions"] == [
        {
            "type": "PodScheduled",
            "status": "False",
            "lastProbeTime": None,
            "lastTransitionTime": CREATED,
            "reason": "SchedulingGated",
            "message": "Scheduling is blocked due to non-empty scheduling gates",
        }
    ]


def test_match_label_keys_merge_into_affinity() -> None:
    term = {"labelSelector": {"matchLabels": {"app": "web"}}, "topologyKey": "zone", "matchLabelKeys": ["rev"]}
    anti = {**copy.deepcopy(term), "matchLabelKeys": [], "mismatchLabelKeys": ["team"]}
    spec: Obj = {
        "containers": [{"name": "c", "image": "x:1"}],
        "affinity": {
            "podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term]},
            "podAntiAffinity": {
                "preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 1, "podAffinityTerm": anti}]
            },
        },
    }
    pod = create(_pod(spec, labels={"app": "web", "rev": "7", "team": "a"}))
    affinity = pod["spec"]["affinity"]
    required = affinity["podAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][0]
    assert required["labelSelector"]["matchExpressions"] == [{"key": "rev", "operator": "In", "values": ["7"]}]
    preferred = affinity["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"][0]["podAffinityTerm"]
    assert preferred["labelSelector"]["matchExpressions"] == [{"key": "team", "operator": "NotIn", "values": ["a"]}]


def test_apparmor_annotation_becomes_field() -> None:
    annotations = {
        "container.apparmor.security.beta.kubernetes.io/a": "localhost/prof",
        "container.apparmor.security.beta.kubernetes.io/b": "runtime/default",
    }
    spec: Obj = {
        "securityContext": {"appArmorProfile": {"type": "RuntimeDefault"}},
        "containers": [{"name": "a", "image": "x:1"}, {"name": "b", "image": "x:1"}],
    }
    pod = create(_pod(spec, annotations=annotations))
    a, b = pod["spec"]["containers"]
    assert a["securityContext"] == {"appArmorProfile": {"type": "Localhost", "localhostProfile": "prof"}}
    assert "securityContext" not in b  # same as the pod-level profile: not copied


# --- QoS ------------------------------------------------------------------------------------------------


def _c(requests: Obj | None = None, limits: Obj | None = None) -> Obj:
    resources: Obj = {}
    if requests is not None:
        resources["requests"] = requests
    if limits is not None:
        resources["limits"] = limits
    return {"name": "c", "image": "x:1", "resources": resources}


BOTH = {"cpu": "1", "memory": "1Gi"}

QOS_CASES = [
    pytest.param([_c()], [], "BestEffort", id="nothing"),
    pytest.param([_c(requests={"cpu": "0", "memory": "0"})], [], "BestEffort", id="zero-requests"),
    pytest.param([_c(requests={"ephemeral-storage": "1Gi"})], [], "BestEffort", id="only-non-qos-resource"),
    pytest.param([_c(limits=BOTH)], [], "Guaranteed", id="limits-only-default-requests"),
    pytest.param([_c(requests={"cpu": "1000m", "memory": "1024Mi"}, limits=BOTH)], [], "Guaranteed", id="equal"),
    pytest.param([_c(limits={"cpu": "1"})], [], "Burstable", id="cpu-limit-only"),
    pytest.param([_c(requests={"cpu": "500m"}, limits=BOTH)], [], "Burstable", id="request-below-limit"),
    pytest.param([_c(limits=BOTH), _c()], [], "Burstable", id="one-container-without"),
    pytest.param([_c(limits=BOTH)], [_c(limits=BOTH)], "Guaranteed", id="init-container-guaranteed"),
    pytest.param([_c(limits=BOTH)], [_c(requests={"cpu": "1"})], "Burstable", id="init-container-burstable"),
]


@pytest.mark.parametrize(("containers", "init", "qos"), QOS_CASES)
def test_qos_class(containers: list[Obj], init: list[Obj], qos: str) -> None:
    spec: Obj = {"containers": containers}
    if init:
        spec["initContainers"] = init
    pod = create(_pod(spec))
    assert pod["status"]["qosClass"] == qos
    assert compute_qos(pod["spec"]) == qos


def test_qos_class_sent_by_client_is_kept() -> None:
    pod = _pod({"containers": [_c()]})
    pod["status"] = {"qosClass": "Guaranteed", "phase": "Running"}
    assert create(pod)["status"] == {"phase": "Pending", "qosClass": "Guaranteed"}


# --- quantities -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("100m", "100m"),
        ("0.5", "500m"),
        (0.25, "250m"),
        (2, "2"),
        ("1000m", "1"),
        ("1.5", "1500m"),
        ("2000", "2k"),
        ("1024", "1024"),
        ("1.5Gi", "1536Mi"),
        ("1024Mi", "1Gi"),
        ("0.5Ki", "512"),
        ("1e3", "1e3"),
        ("12e-1", "1200e-3"),
        ("0.0001", "1m"),
        ("0Mi", "0"),
        ("bogus", "bogus"),
    ],
)
def test_resource_list_quantities(raw: object, canonical: str) -> None:
    assert normalize(raw, round_milli=True) == canonical


# --- other kinds ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "policy_types"),
    [
        pytest.param({}, ["Ingress"], id="empty"),
        pytest.param({"ingress": [{}]}, ["Ingress"], id="ingress-rules"),
        pytest.param({"egress": [{}]}, ["Ingress", "Egress"], id="egress-rules"),
        pytest.param({"egress": []}, ["Ingress"], id="empty-egress"),
        pytest.param({"egress": [{}], "policyTypes": ["Egress"]}, ["Egress"], id="explicit-kept"),
    ],
)
def test_network_policy_policy_types(spec: Obj, policy_types: list[str]) -> None:
    obj: Obj = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "n"}, "spec": spec}
    out = create(obj)
    assert out["spec"]["policyTypes"] == policy_types
    assert out["spec"]["podSelector"] == {}


def test_network_policy_port_protocol() -> None:
    spec: Obj = {"podSelector": {}, "ingress": [{"ports": [{"port": 80}, {"port": 53, "protocol": "UDP"}]}]}
    obj: Obj = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "n"}, "spec": spec}
    assert create(obj)["spec"]["ingress"][0]["ports"] == [
        {"port": 80, "protocol": "TCP"},
        {"port": 53, "protocol": "UDP"},
    ]


SMALL_KINDS = [
    pytest.param(
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "b"},
         "roleRef": {"kind": "Role", "name": "r"},
         "subjects": [{"kind": "User", "name": "u"}, {"kind": "ServiceAccount", "name": "s", "namespace": "n"}]},
        {"roleRef": {"kind": "Role", "name": "r", "apiGroup": "rbac.authorization.k8s.io"},
         "subjects": [{"kind": "User", "name": "u", "apiGroup": "rbac.authorization.k8s.io"},
                      {"kind": "ServiceAccount", "name": "s", "namespace": "n"}]},
        id="rolebinding",
    ),
    pytest.param(
        {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "p"}, "value": 5},
        {"preemptionPolicy": "PreemptLowerPriority", "value": 5},
        id="priorityclass",
    ),
    pytest.param(
        {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "s"}, "provisioner": "x"},
        {"provisioner": "x", "reclaimPolicy": "Delete", "volumeBindingMode": "Immediate"},
        id="storageclass",
    ),
    pytest.param(
        {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "p"},
         "spec": {"minAvailable": 1}},
        {"spec": {"minAvailable": 1},
         "status": {"currentHealthy": 0, "desiredHealthy": 0, "disruptionsAllowed": 0, "expectedPods": 0}},
        id="pdb",
    ),
    pytest.param(
        {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "h"},
         "spec": {"maxReplicas": 3, "scaleTargetRef": {"kind": "Deployment", "name": "web", "apiVersion": "apps/v1"},
                  "behavior": {"scaleDown": {"stabilizationWindowSeconds": 60}}}},
        {"spec": {"maxReplicas": 3, "minReplicas": 1,
                  "scaleTargetRef": {"kind": "Deployment", "name": "web", "apiVersion": "apps/v1"},
                  "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
                      "type": "Utilization", "averageUtilization": 80}}}],
                  "behavior": {
                      "scaleUp": {"stabilizationWindowSeconds": 0, "selectPolicy": "Max", "policies": [
                          {"type": "Pods", "value": 4, "periodSeconds": 15},
                          {"type": "Percent", "value": 100, "periodSeconds": 15}]},
                      "scaleDown": {"stabilizationWindowSeconds": 60, "selectPolicy": "Max", "policies": [
                          {"type": "Percent", "value": 100, "periodSeconds": 15}]}}},
         "status": {"currentMetrics": None, "desiredReplicas": 0}},
        id="hpa-v2",
    ),
    pytest.param(
        {"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "h"},
         "spec": {"maxReplicas": 3, "scaleTargetRef": {"kind": "Deployment", "name": "web"}}},
        {"spec": {"maxReplicas": 3, "minReplicas": 1, "targetCPUUtilizationPercentage": 80,
                  "scaleTargetRef": {"kind": "Deployment", "name": "web"}},
         "status": {"currentReplicas": 0, "desiredReplicas": 0}},
        id="hpa-v1",
    ),
    pytest.param(
        {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "d"}, "spec": {}},
        {"metadata": {"name": "d", "annotations": {"deprecated.daemonset.template.generation": "1"}, **META},
         "spec": {"revisionHistoryLimit": 10,
                  "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}},
         "status": {"currentNumberScheduled": 0, "desiredNumberScheduled": 0, "numberMisscheduled": 0,
                    "numberReady": 0}},
        id="daemonset",
    ),
    pytest.param(
        {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "c"},
         "spec": {"resources": {"requests": {"storage": "1.5Gi"}}}},
        {"spec": {"resources": {"requests": {"storage": "1536Mi"}}, "volumeMode": "Filesystem"},
         "status": {"phase": "Pending"}},
        id="pvc",
    ),
    pytest.param(
        {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "v"},
         "spec": {"capacity": {"storage": "10Gi"}, "hostPath": {"path": "/d"}}},
        {"spec": {"capacity": {"storage": "10Gi"}, "hostPath": {"path": "/d", "type": ""},
                  "persistentVolumeReclaimPolicy": "Retain", "volumeMode": "Filesystem"},
         "status": {"phase": "Pending", "lastPhaseTransitionTime": CREATED}},
        id="pv",
    ),
    pytest.param(
        {"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "rc"},
         "spec": {"template": {"metadata": {"labels": {"app": "a"}},
                               "spec": {"containers": [{"name": "c", "image": "x:1"}]}}}},
        {"metadata": {"name": "rc", "labels": {"app": "a"}, **META},
         "spec": {"replicas": 1, "selector": {"app": "a"},
                  "template": {"metadata": {"creationTimestamp": None, "labels": {"app": "a"}},
                               "spec": {"containers": [_container("c", "x:1", "IfNotPresent")],
                                        **TEMPLATE_SPEC_DEFAULTS}}},
         "status": {"replicas": 0}},
        id="replicationcontroller",
    ),
    pytest.param(
        {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "l"},
         "spec": {"limits": [{"type": "Container", "max": {"cpu": "2"}, "min": {"memory": "64Mi"}}]}},
        {"spec": {"limits": [{"type": "Container", "max": {"cpu": "2"}, "min": {"memory": "64Mi"},
                              "default": {"cpu": "2"}, "defaultRequest": {"cpu": "2", "memory": "64Mi"}}]}},
        id="limitrange",
    ),
    pytest.param(
        {"apiVersion": "v1", "kind": "Event", "metadata": {"name": "e"},
         "involvedObject": {"kind": "Pod", "name": "p"}, "reason": "R"},
        {"involvedObject": {"kind": "Pod", "name": "p"}, "reason": "R", "source": {}, "eventTime": None,
         "firstTimestamp": None, "lastTimestamp": None, "reportingComponent": "", "reportingInstance": ""},
        id="event",
    ),
    pytest.param(
        {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n"},
         "status": {"capacity": {"cpu": "4", "memory": "8192Mi"}}},
        {"spec": {},
         "status": {"capacity": {"cpu": "4", "memory": "8Gi"}, "allocatable": {"cpu": "4", "memory": "8Gi"},
                    "daemonEndpoints": {"kubeletEndpoint": {"Port": 0}},
                    "nodeInfo": {"architecture": "", "bootID": "", "containerRuntimeVersion": "",
                                 "kernelVersion": "", "kubeProxyVersion": "", "kubeletVersion": "",
                                 "machineID": "", "operatingSystem": "", "osImage": "", "systemUUID": ""}}},
        id="node",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("sent", "expected_fields"), SMALL_KINDS)
def test_small_kinds(sent: Obj, expected_fields: Obj) -> None:
    out = create(sent)
    expected = {**sent, "metadata": {**sent["metadata"], **META}, **expected_fields}
    assert out == expected
    again = copy.deepcopy(out)
    apply_defaults(*_gvk(again), again)
    assert again == out


# --- allocation -----------------------------------------------------------------------------------------

ALREADY = (
    'spec.clusterIPs: Invalid value: []string{"10.96.0.1"}: '
    "failed to allocate IP 10.96.0.1: provided IP is already allocated"
)


def test_allocate_twice_is_the_real_422() -> None:
    alloc = ServiceIPAllocator()
    assert alloc.kubernetes_service_ip == "10.96.0.1"
    assert alloc.allocate("10.96.0.1") == "10.96.0.1"
    with pytest.raises(ValueError, match=r"already allocated") as info:
        alloc.allocate("10.96.0.1")
    assert str(info.value) == ALREADY
    assert isinstance(info.value, AllocationError)
    status = info.value.api_error("kubernetes").status()
    assert status["code"] == 422
    assert status["message"] == f'Service "kubernetes" is invalid: {ALREADY}'
    assert status["details"]["causes"] == [
        {"reason": "FieldValueInvalid", "field": "spec.clusterIPs", "message": ALREADY.split(": ", 1)[1]}
    ]


@pytest.mark.parametrize(
    ("ip", "detail"),
    [
        ("192.168.0.1", "the provided network does not match the current range"),
        ("10.96.0.0", "the provided IP (10.96.0.0) is not in the valid range. The range of valid IPs is 10.96.0.0/12"),
        (
            "10.111.255.255",
            "the provided IP (10.111.255.255) is not in the valid range. The range of valid IPs is 10.96.0.0/12",
        ),
    ],
)
def test_static_allocation_errors(ip: str, detail: str) -> None:
    with pytest.raises(AllocationError) as info:
        ServiceIPAllocator().allocate(ip)
    assert (
        str(info.value) == f'spec.clusterIPs: Invalid value: []string{{"{ip}"}}: failed to allocate IP {ip}: {detail}'
    )


def test_dynamic_allocation_is_seedable_and_skips_the_static_band() -> None:
    first = [ServiceIPAllocator(seed=42).allocate() for _ in range(1)]
    again = [ServiceIPAllocator(seed=42).allocate() for _ in range(1)]
    assert first == again
    alloc = ServiceIPAllocator(seed=1)
    ips = {alloc.allocate() for _ in range(200)}
    assert len(ips) == 200
    assert all(ip.startswith("10.") and not ip.startswith("10.96.0.") for ip in ips)  # first 256 are static-only
    for ip in ips:
        assert alloc.has(ip)
        alloc.release(ip)
        assert not alloc.has(ip)


def test_small_range_fills_up() -> None:
    alloc = ServiceIPAllocator("192.168.10.0/29", seed=3)  # 6 usable, no static band
    assert sorted(alloc.allocate() for _ in range(6)) == [f"192.168.10.{i}" for i in range(1, 7)]
    with pytest.raises(AllocationInternalError) as info:
        alloc.allocate()
    assert info.value.api_error().status()["message"] == (
        "Internal error occurred: failed to allocate a serviceIP: range is full"
    )


def _svc(spec: Obj) -> Obj:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s", "namespace": "default"}, "spec": spec}


def test_service_dynamic_ip_and_node_ports() -> None:
    alloc = ServiceIPAllocator(seed=5)
    spec: Obj = {
        "type": "LoadBalancer",
        "externalTrafficPolicy": "Local",
        "selector": {"a": "b"},
        "ports": [{"port": 53}, {"port": 53, "protocol": "UDP"}, {"port": 443, "nodePort": 30443}],
    }
    svc = create(_svc(spec), alloc)
    s = svc["spec"]
    assert s["clusterIPs"] == [s["clusterIP"]] and alloc.has(s["clusterIP"])
    assert (s["ipFamilies"], s["ipFamilyPolicy"]) == (["IPv4"], "SingleStack")
    tcp, udp, https = s["ports"]
    assert tcp["nodePort"] == udp["nodePort"] and 30086 <= tcp["nodePort"] <= 32767
    assert https["nodePort"] == 30443
    assert 30000 <= s["healthCheckNodePort"] <= 32767
    assert s["allocateLoadBalancerNodePorts"] is True and s["internalTrafficPolicy"] == "Cluster"
    assert svc["status"] == {"loadBalancer": {}}


def test_node_port_conflict_rolls_back() -> None:
    alloc = ServiceIPAllocator(seed=5)
    alloc.node_ports.allocate(30080)
    svc = _svc({"type": "NodePort", "ports": [{"port": 80, "nodePort": 30080}]})
    apply_defaults("", "v1", "Service", svc)
    with pytest.raises(AllocationError) as info:
        apply_service_allocation(svc, alloc)
    assert str(info.value) == "spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated"
    assert not any(alloc.has(ip) for ip in svc["spec"]["clusterIPs"])


def test_node_port_out_of_range() -> None:
    with pytest.raises(AllocationError) as info:
        NodePortAllocator().allocate(80, field="spec.ports[1].nodePort")
    assert str(info.value) == (
        "spec.ports[1].nodePort: Invalid value: 80: provided port is not in the valid range. "
        "The range of valid ports is 30000-32767"
    )


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param(
            {"clusterIP": "None", "selector": {"a": "b"}},
            {"clusterIP": "None", "clusterIPs": ["None"], "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack"},
            id="headless",
        ),
        pytest.param(
            {"clusterIP": "None"},
            {"clusterIP": "None", "clusterIPs": ["None"], "ipFamilies": ["IPv4", "IPv6"],
             "ipFamilyPolicy": "RequireDualStack"},
            id="headless-selectorless",
        ),
        pytest.param(
            {"type": "ExternalName", "externalName": "example.com"},
            {"type": "ExternalName", "externalName": "example.com", "sessionAffinity": "None"},
            id="externalname",
        ),
    ],
)  # fmt: skip
def test_service_without_cluster_ip(spec: Obj, expected: Obj) -> None:
    svc = create(_svc(spec))
    got = {k: v for k, v in svc["spec"].items() if k in expected}
    assert got == expected
    if spec.get("type") == "ExternalName":
        assert "internalTrafficPolicy" not in svc["spec"] and "ipFamilies" not in svc["spec"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        pytest.param(
            {"ipFamilyPolicy": "RequireDualStack"},
            'spec.ipFamilyPolicy: Invalid value: "RequireDualStack": '
            "this cluster is not configured for dual-stack services",
            id="require-dual-stack",
        ),
        pytest.param(
            {"ipFamilies": ["IPv6"]},
            'spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster',
            id="ipv6-family",
        ),
        pytest.param(
            {"clusterIP": "fd00::10"},
            'spec.clusterIPs[0]: Invalid value: []string{"fd00::10"}: IPv6 is not configured on this cluster',
            id="ipv6-address",
        ),
        pytest.param(
            {"clusterIP": "10.96.0.300"},
            'spec.clusterIPs[0]: Invalid value: "10.96.0.300": '
            "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            id="malformed",
        ),
    ],
)
def test_service_family_errors(spec: Obj, message: str) -> None:
    svc = _svc({**spec, "ports": [{"port": 80}]})
    apply_defaults("", "v1", "Service", svc)
    with pytest.raises(AllocationError) as info:
        apply_service_allocation(svc, ServiceIPAllocator())
    assert str(info.value) == message


def test_service_defaults_by_type() -> None:
    svc = _svc({"type": "NodePort", "sessionAffinity": "ClientIP", "ports": [{"port": 80, "targetPort": "http"}]})
    apply_defaults("", "v1", "Service", svc)
    assert svc["spec"] == {
        "type": "NodePort",
        "sessionAffinity": "ClientIP",
        "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 10800}},
        "ports": [{"port": 80, "targetPort": "http", "protocol": "TCP"}],
        "externalTrafficPolicy": "Cluster",
        "internalTrafficPolicy": "Cluster",
    }
