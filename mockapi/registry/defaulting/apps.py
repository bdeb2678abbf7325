"""Defaulters for apps/v1 (pkg/apis/apps/v1/defaults.go), each reaching into its pod template.

StatefulSetAutoDeletePVC is GA in 1.33, so `persistentVolumeClaimRetentionPolicy` is always filled.
The v1 conversion of a StatefulSet stamps `apiVersion: v1` / `kind: PersistentVolumeClaim` on every
volume claim template, so those are written back too.
"""

from __future__ import annotations

from collections.abc import Callable

from mockapi.registry.defaulting._fields import (
    Obj,
    each,
    ensure,
    set_if_empty,
    set_if_unset,
    sub,
    zero_template_meta,
)
from mockapi.registry.defaulting.podspec import default_claim_spec, default_pod_template


def _template(spec: Obj) -> None:
    template = sub(spec, "template")
    if template is not None:
        default_pod_template(template)


def deployment(obj: Obj) -> None:
    spec = sub(obj, "spec")
    if spec is None:
        return
    set_if_unset(spec, "replicas", 1)
    strategy = ensure(spec, "strategy")
    if strategy is not None:
        set_if_empty(strategy, "type", "RollingUpdate")
        if strategy["type"] == "RollingUpdate":
            rolling = ensure(strategy, "rollingUpdate")
            if rolling is not None:
                set_if_unset(rolling, "maxUnavailable", "25%")
                set_if_unset(rolling, "maxSurge", "25%")
    set_if_unset(spec, "revisionHistoryLimit", 10)
    set_if_unset(spec, "progressDeadlineSeconds", 600)
    _template(spec)


def daemon_set(obj: Obj) -> None:
    spec = sub(obj, "spec")
    if spec is None:
        return
    strategy = ensure(spec, "updateStrategy")
    if strategy is not None:
        set_if_empty(strategy, "type", "RollingUpdate")
        if strategy["type"] == "RollingUpdate":
            rolling = ensure(strategy, "rollingUpdate")
            if rolling is not None:
                set_if_unset(rolling, "maxUnavailable", 1)
                set_if_unset(rolling, "maxSurge", 0)
    set_if_unset(spec, "revisionHistoryLimit", 10)
    _template(spec)


def stateful_set(obj: Obj) -> None:
    spec = sub(obj, "spec")
    if spec is None:
        return
    set_if_empty(spec, "podManagementPolicy", "OrderedReady")
    strategy = ensure(spec, "updateStrategy")
    if strategy is not None:
        if not strategy.get("type"):
            strategy["type"] = "RollingUpdate"
            set_if_unset(strategy, "rollingUpdate", {})
        rolling = sub(strategy, "rollingUpdate")
        if strategy["type"] == "RollingUpdate" and rolling is not None:
            set_if_unset(rolling, "partition", 0)
    retention = ensure(spec, "persistentVolumeClaimRetentionPolicy")
    if retention is not None:
        set_if_empty(retention, "whenDeleted", "Retain")
        set_if_empty(retention, "whenScaled", "Retain")
    set_if_unset(spec, "replicas", 1)
    set_if_unset(spec, "revisionHistoryLimit", 10)
    _template(spec)
    for claim in each(spec, "volumeClaimTemplates"):
        claim["apiVersion"] = "v1"
        claim["kind"] = "PersistentVolumeClaim"
        zero_template_meta(claim)
        claim_spec = sub(claim, "spec")
        if claim_spec is not None:
            default_claim_spec(claim_spec)
        status = ensure(claim, "status")
        if status is not None:
            set_if_empty(status, "phase", "Pending")


def replica_set(obj: Obj) -> None:
    spec = sub(obj, "spec")
    if spec is None:
        return
    set_if_unset(spec, "replicas", 1)
    _template(spec)


DEFAULTERS: dict[str, Callable[[Obj], None]] = {
    "Deployment": deployment,
    "DaemonSet": daemon_set,
    "StatefulSet": stateful_set,
    "ReplicaSet": replica_set,
}
"""Kind -> defaulter for apps/v1. ControllerRevision has none."""
