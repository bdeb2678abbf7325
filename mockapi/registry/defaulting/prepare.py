"""PrepareForCreate: what each REST strategy sets on create beyond plain defaulting.

Mostly a status reset to the zero value the real server stores, serialized as Go does (non-omitempty
counters read back as 0, `currentMetrics: null`), plus:

    Pod        status {phase: Pending, qosClass}; SchedulingGated condition; matchLabelKeys merged into
               pod (anti-)affinity selectors; AppArmor annotations copied to fields
    Namespace  status.phase Active, spec.finalizers gains "kubernetes", the metadata.name label
    PV         status.phase Pending with lastPhaseTransitionTime
    DaemonSet  templateGeneration 1, which apps/v1 carries as the deprecated.daemonset.template.generation annotation
    Job        generated selector and pod labels (unless manualSelector), then labels copied as on read-back

Must run after metadata.uid and creationTimestamp are set (the Job selector needs the uid), as in
kube-apiserver where FillObjectMetaSystemFields precedes BeforeCreate.
Not here: metadata.generation and the other generic fields; `priority`/`preemptionPolicy` and service
account volumes (admission); Service ClusterIP/nodePort allocation (see `service_allocation`).
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from mockapi.api.objects import now_rfc3339
from mockapi.registry.defaulting._fields import Obj, api_version_of, each, ensure, sub
from mockapi.registry.defaulting.batch import copy_template_labels
from mockapi.registry.defaulting.core import NAMESPACE_NAME_LABEL
from mockapi.registry.defaulting.qos import compute_qos

JOB_NAME_LABELS = ("job-name", "batch.kubernetes.io/job-name")
CONTROLLER_UID_LABELS = ("controller-uid", "batch.kubernetes.io/controller-uid")
DAEMONSET_TEMPLATE_GENERATION = "deprecated.daemonset.template.generation"
APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/"
SCHEDULING_GATED_MESSAGE = "Scheduling is blocked due to non-empty scheduling gates"


def _timestamp(obj: Obj) -> str:
    """`now`, taken from creationTimestamp when already set so one create reads one instant."""
    created = (sub(obj, "metadata") or {}).get("creationTimestamp")
    return created if isinstance(created, str) and created else now_rfc3339()


def _status(value: Obj) -> Callable[[Obj], None]:
    def reset(obj: Obj) -> None:
        obj["status"] = copy.deepcopy(value)

    return reset


def pod(obj: Obj) -> None:
    spec = sub(obj, "spec") or {}
    previous = sub(obj, "status") or {}
    client_qos = previous.get("qosClass")  # GetPodQOS keeps a class the client already put in status
    qos = client_qos if isinstance(client_qos, str) and client_qos else compute_qos(spec)
    obj["status"] = {"phase": "Pending", "qosClass": qos}
    if spec.get("schedulingGates"):
        obj["status"]["conditions"] = [
            {
                "type": "PodScheduled",
                "status": "False",
                "lastProbeTime": None,
                "lastTransitionTime": _timestamp(obj),
                "reason": "SchedulingGated",
                "message": SCHEDULING_GATED_MESSAGE,
            }
        ]
    labels = sub(sub(obj, "metadata"), "labels") or {}
    _merge_label_keys(sub(spec, "affinity"), labels)
    _apparmor_annotations_to_fields(obj, spec)


def _merge_label_keys(affinity: Obj | None, labels: Obj) -> None:
    """mutatePodAffinity (MatchLabelKeysInPodAffinity, on in 1.33)."""
    for kind in ("podAffinity", "podAntiAffinity"):
        rules = sub(affinity, kind)
        terms = list(each(rules, "requiredDuringSchedulingIgnoredDuringExecution"))
        terms += [
            term
            for weighted in each(rules, "preferredDuringSchedulingIgnoredDuringExecution")
            if (term := sub(weighted, "podAffinityTerm")) is not None
        ]
        for term in terms:
            selector = sub(term, "labelSelector")
            if selector is None:
                continue
            for field, operator in (("matchLabelKeys", "In"), ("mismatchLabelKeys", "NotIn")):
                keys = term.get(field)
                for key in keys if isinstance(keys, list) else []:
                    if isinstance(key, str) and key in labels:
                        expressions = selector.setdefault("matchExpressions", [])
                        if isinstance(expressions, list):
                            expressions.append({"key": key, "operator": operator, "values": [labels[key]]})


def _apparmor_field(annotation: object) -> Obj | None:
    """ApparmorFieldForAnnotation, dropping values ValidateAppArmorProfileField would reject."""
    if annotation == "unconfined":
        return {"type": "Unconfined"}
    if annotation == "runtime/default":
        return {"type": "RuntimeDefault"}
    if isinstance(annotation, str) and annotation.startswith("localhost/"):
        profile = annotation.removeprefix("localhost/")
        if profile.strip() and len(profile) <= 4095:
            return {"type": "Localhost", "localhostProfile": profile}
    return None


def _apparmor_annotations_to_fields(obj: Obj, spec: Obj) -> None:
    """applyAppArmorVersionSkew: a container annotation without a field becomes the field."""
    if (sub(spec, "os") or {}).get("name") == "windows":
        return
    annotations = sub(sub(obj, "metadata"), "annotations") or {}
    pod_profile = sub(sub(spec, "securityContext"), "appArmorProfile")
    for key in ("initContainers", "containers", "ephemeralContainers"):
        for container in each(spec, key):
            annotation_key = f"{APPARMOR_ANNOTATION_PREFIX}{container.get('name')}"
            if annotation_key not in annotations:
                continue
            if sub(sub(container, "securityContext"), "appArmorProfile") is not None:
                continue
            profile = _apparmor_field(annotations[annotation_key])
            if profile is not None and profile != pod_profile:
                context = ensure(container, "securityContext")
                if context is not None:
                    context["appArmorProfile"] = profile


def namespace(obj: Obj) -> None:
    obj["status"] = {"phase": "Active"}
    spec = ensure(obj, "spec")
    if spec is not None:
        finalizers = spec.get("finalizers")
        if not isinstance(finalizers, list):
            finalizers = spec["finalizers"] = []
        if "kubernetes" not in finalizers:
            finalizers.append("kubernetes")
    metadata = sub(obj, "metadata")
    name = metadata.get("name") if metadata is not None else None
    if metadata is not None and isinstance(name, str) and name:  # Canonicalize: covers generateName
        labels = ensure(metadata, "labels")
        if labels is not None:
            labels[NAMESPACE_NAME_LABEL] = name


def persistent_volume(obj: Obj) -> None:
    obj["status"] = {"phase": "Pending", "lastPhaseTransitionTime": _timestamp(obj)}


def daemon_set(obj: Obj) -> None:
    obj["status"] = {
        "currentNumberScheduled": 0,
        "numberMisscheduled": 0,
        "desiredNumberScheduled": 0,
        "numberReady": 0,
    }
    metadata = ensure(obj, "metadata")
    annotations = ensure(metadata, "annotations") if metadata is not None else None
    if annotations is None:
        return
    current = annotations.get(DAEMONSET_TEMPLATE_GENERATION)
    if not (isinstance(current, str) and current.isdigit() and int(current) >= 1):
        annotations[DAEMONSET_TEMPLATE_GENERATION] = "1"


def job(obj: Obj) -> None:
    spec = sub(obj, "spec")
    metadata = sub(obj, "metadata") or {}
    uid, name = metadata.get("uid"), metadata.get("name") or ""
    if spec is not None and spec.get("manualSelector") is not True and isinstance(uid, str) and uid:
        template = ensure(spec, "template")
        template_meta = ensure(template, "metadata") if template is not None else None
        labels = ensure(template_meta, "labels") if template_meta is not None else None
        if labels is not None:
            for key in JOB_NAME_LABELS:
                labels.setdefault(key, name)
            for key in CONTROLLER_UID_LABELS:
                labels.setdefault(key, uid)
        selector = ensure(spec, "selector")
        match_labels = ensure(selector, "matchLabels") if selector is not None else None
        if match_labels is not None:
            match_labels.setdefault(CONTROLLER_UID_LABELS[1], uid)
    obj["status"] = {}
    copy_template_labels(obj)  # SetDefaults_Job again, as the stored object is decoded for the response


def horizontal_pod_autoscaler(obj: Obj) -> None:
    if api_version_of(obj) == "v1":
        obj["status"] = {"currentReplicas": 0, "desiredReplicas": 0}
    else:
        obj["status"] = {"currentMetrics": None, "desiredReplicas": 0}


PREPARERS: dict[tuple[str, str], Callable[[Obj], None]] = {
    ("", "Pod"): pod,
    ("", "Namespace"): namespace,
    ("", "Service"): _status({"loadBalancer": {}}),
    ("", "PersistentVolume"): persistent_volume,
    ("", "PersistentVolumeClaim"): _status({"phase": "Pending"}),
    ("", "ReplicationController"): _status({"replicas": 0}),
    ("", "ResourceQuota"): _status({}),
    ("apps", "Deployment"): _status({}),
    ("apps", "ReplicaSet"): _status({"replicas": 0}),
    ("apps", "StatefulSet"): _status({"replicas": 0, "availableReplicas": 0}),
    ("apps", "DaemonSet"): daemon_set,
    ("batch", "Job"): job,
    ("batch", "CronJob"): _status({}),
    ("networking.k8s.io", "Ingress"): _status({"loadBalancer": {}}),
    ("policy", "PodDisruptionBudget"): _status(
        {"disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0}
    ),
    ("autoscaling", "HorizontalPodAutoscaler"): horizontal_pod_autoscaler,
}
"""(group, kind) -> PrepareForCreate. Kinds not listed keep what the client sent."""


def prepare_for_create(group: str, kind: str, obj: Obj) -> None:
    """Apply the strategy's PrepareForCreate for (group, kind) to `obj` in place; unknown kinds: no-op."""
    preparer = PREPARERS.get((group, kind))
    if preparer is not None:
        preparer(obj)
