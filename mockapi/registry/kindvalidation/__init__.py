"""Kind-specific validation (pkg/apis/<group>/validation): the registry of per-kind validators.

A validator is `(new object, stored object on update or None on create) -> field errors`; the store
prefixes the metadata errors and turns the list into one 422 Invalid. A new kind is one module plus
one line here.
"""

from __future__ import annotations

from mockapi.api.errors import FieldError
from mockapi.api.types import Obj
from mockapi.registry.kindvalidation.apps import (
    validate_daemon_set,
    validate_deployment,
    validate_replica_set,
    validate_stateful_set,
)
from mockapi.registry.kindvalidation.batch import validate_cron_job, validate_job
from mockapi.registry.kindvalidation.configdata import validate_config_map, validate_secret
from mockapi.registry.kindvalidation.pods import validate_pod
from mockapi.registry.kindvalidation.replication_controllers import validate_replication_controller
from mockapi.registry.kindvalidation.types import Validator
from mockapi.resources.priority_classes import priority_class_errors
from mockapi.resources.types import ResourceType

_VALIDATORS: dict[tuple[str, str], Validator] = {
    ("", "pods"): validate_pod,
    ("", "configmaps"): validate_config_map,
    ("", "secrets"): validate_secret,
    ("", "replicationcontrollers"): validate_replication_controller,
    ("apps", "deployments"): validate_deployment,
    ("apps", "replicasets"): validate_replica_set,
    ("apps", "statefulsets"): validate_stateful_set,
    ("apps", "daemonsets"): validate_daemon_set,
    ("batch", "jobs"): validate_job,
    ("batch", "cronjobs"): validate_cron_job,
    ("scheduling.k8s.io", "priorityclasses"): priority_class_errors,
}


def validate_kind(rt: ResourceType, obj: Obj, old: Obj | None = None) -> list[FieldError]:
    validator = _VALIDATORS.get((rt.group, rt.plural))
    return validator(obj, old) if validator else []
