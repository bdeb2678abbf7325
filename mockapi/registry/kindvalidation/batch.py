"""batch/v1 validation (pkg/apis/batch/validation and the Job/CronJob strategies), kube-apiserver 1.33.

Job      ValidateJob: the generated-selector labels (unless manualSelector), ValidateJobSpec, the
         Indexed pod hostname check; update: ValidateJob + ValidateJobSpecUpdate (the spec again,
         then completions / selector / template / completionMode / podFailurePolicy /
         backoffLimitPerIndex / managedBy / successPolicy immutability; scheduling directives of
         a suspended, never-started Job may change; Indexed completions may change with parallelism)
CronJob  validateCronJobSpec (schedule via robfig/cron's ParseStandard, timeZone, concurrencyPolicy,
         the job template as a Job spec under spec.jobTemplate.spec) and the 52-character name cap
"""

from __future__ import annotations

import copy
import re

from mockapi.api.errors import FieldError, invalid, not_supported, required
from mockapi.api.types import Obj
from mockapi.registry.kindvalidation import gorepr
from mockapi.registry.kindvalidation.cronschedule import load_location, schedule_error
from mockapi.registry.kindvalidation.workloads import (
    IMMUTABLE,
    as_dict,
    as_int,
    as_selector,
    immutable_selector,
    label_selector_errors,
    nonnegative,
    pod_template_errors,
    selector_matches_template,
    semantic_equal,
)
from mockapi.registry.validation import dns1123_label

MAX_PARALLELISM_INDEXED = 100_000
MAX_FAILED_INDEXES = 100_000
COMPLETIONS_SOFT_LIMIT = 100_000
PARALLELISM_LIMIT_HIGH_COMPLETIONS = 10_000
MAX_FAILED_INDEXES_HIGH_COMPLETIONS = 10_000
_LEGACY_LABELS = ("controller-uid", "job-name")
_PREFIXED_LABELS = ("batch.kubernetes.io/controller-uid", "batch.kubernetes.io/job-name")
_IMMUTABLE_FIELDS = (
    ("completionMode", ""),
    ("podFailurePolicy", "batch.PodFailurePolicy"),
    ("backoffLimitPerIndex", ""),
    ("managedBy", ""),
    ("successPolicy", "batch.SuccessPolicy"),
)
"""ValidateJobSpecUpdate's immutable fields after the template, in order, with the Go type of struct values."""


def _indexed_errors(spec: Obj, path: str) -> list[FieldError]:
    completions, parallelism = as_int(spec.get("completions")), as_int(spec.get("parallelism"))
    max_failed, per_index = as_int(spec.get("maxFailedIndexes")), spec.get("backoffLimitPerIndex")
    errs: list[FieldError] = []
    if spec.get("completions") is None:
        errs.append(required(f"{path}.completions", "when completion mode is Indexed"))
    if parallelism is not None and parallelism > MAX_PARALLELISM_INDEXED:
        detail = f"must be less than or equal to {MAX_PARALLELISM_INDEXED} when completion mode is Indexed"
        errs.append(invalid(f"{path}.parallelism", parallelism, detail))
    if completions is not None and max_failed is not None and max_failed > completions:
        errs.append(invalid(f"{path}.maxFailedIndexes", max_failed, "must be less than or equal to completions"))
    if max_failed is not None and max_failed > MAX_FAILED_INDEXES:
        detail = f"must be less than or equal to {MAX_FAILED_INDEXES}"
        errs.append(invalid(f"{path}.maxFailedIndexes", max_failed, detail))
    if completions is not None and completions > COMPLETIONS_SOFT_LIMIT and per_index is not None:
        high = f"completions are above {COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index"
        if spec.get("maxFailedIndexes") is None:
            detail = f"must be specified when completions is above {COMPLETIONS_SOFT_LIMIT}"
            errs.append(required(f"{path}.maxFailedIndexes", detail))
        if parallelism is not None and parallelism > PARALLELISM_LIMIT_HIGH_COMPLETIONS:
            detail = f"must be less than or equal to {PARALLELISM_LIMIT_HIGH_COMPLETIONS} when {high}"
            errs.append(invalid(f"{path}.parallelism", parallelism, detail))
        if max_failed is not None and max_failed > MAX_FAILED_INDEXES_HIGH_COMPLETIONS:
            detail = f"must be less than or equal to {MAX_FAILED_INDEXES_HIGH_COMPLETIONS} when {high}"
            errs.append(invalid(f"{path}.maxFailedIndexes", max_failed, detail))
    return errs


def _completion_mode_errors(spec: Obj, path: str) -> list[FieldError]:
    mode = spec.get("completionMode")
    errs: list[FieldError] = []
    if mode is not None and mode not in ("NonIndexed", "Indexed"):
        errs.append(not_supported(f"{path}.completionMode", mode, ["NonIndexed", "Indexed"]))
    if mode == "Indexed":
        errs += _indexed_errors(spec, path)
    if mode is None or mode == "NonIndexed":
        for key in ("backoffLimitPerIndex", "maxFailedIndexes"):
            if spec.get(key) is not None:
                errs.append(invalid(f"{path}.{key}", spec[key], "requires indexed completion mode"))
    return errs


def _restart_policy_errors(spec: Obj, path: str) -> list[FieldError]:
    template_spec = as_dict(as_dict(spec.get("template")).get("spec"))
    policy = template_spec.get("restartPolicy") or ""
    here = f"{path}.template.spec.restartPolicy"
    if policy in ("Always", ""):
        return [required(here, 'valid values: "OnFailure", "Never"')]
    if policy not in ("OnFailure", "Never"):
        return [not_supported(here, policy, ["OnFailure", "Never"])]
    if spec.get("podFailurePolicy") is not None and policy != "Never":
        return [invalid(here, policy, 'only "Never" is supported when podFailurePolicy is specified')]
    return []


def _job_spec_body(spec: Obj, path: str) -> list[FieldError]:
    """validateJobSpec (shared by Jobs and CronJob job templates)."""
    errs: list[FieldError] = []
    for key in ("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished"):
        errs += nonnegative(spec.get(key), f"{path}.{key}")
    errs += nonnegative(spec.get("backoffLimitPerIndex"), f"{path}.backoffLimitPerIndex")
    if spec.get("maxFailedIndexes") is not None:
        errs += nonnegative(spec.get("maxFailedIndexes"), f"{path}.maxFailedIndexes")
        if spec.get("backoffLimitPerIndex") is None:
            errs.append(required(f"{path}.backoffLimitPerIndex", "when maxFailedIndexes is specified"))
    errs += _completion_mode_errors(spec, path)
    if spec.get("successPolicy") is not None and spec.get("completionMode") != "Indexed":
        value = gorepr.opaque_struct("batch.SuccessPolicy")
        errs.append(invalid(f"{path}.successPolicy", value, "requires indexed completion mode"))
    replacement = spec.get("podReplacementPolicy")
    if replacement is not None:
        if spec.get("podFailurePolicy") is not None:
            if replacement != "Failed":
                errs.append(not_supported(f"{path}.podReplacementPolicy", replacement, ["Failed"]))
        elif replacement not in ("Failed", "TerminatingOrFailed"):
            supported = ["Failed", "TerminatingOrFailed"]
            errs.append(not_supported(f"{path}.podReplacementPolicy", replacement, supported))
    errs += pod_template_errors(as_dict(spec.get("template")), f"{path}.template")
    return errs + _restart_policy_errors(spec, path)


def _job_spec(spec: Obj) -> list[FieldError]:
    """ValidateJobSpec: the body, then the selector (required) and its match with the template."""
    errs = _job_spec_body(spec, "spec")
    selector = spec.get("selector")
    if not isinstance(selector, dict):
        errs.append(required("spec.selector"))
    else:
        errs += label_selector_errors(selector, "spec.selector")
    parsed = as_selector(selector)
    if parsed is not None:
        errs += selector_matches_template(parsed, as_dict(spec.get("template")), "spec.template")
    return errs


def _has_label(labels: Obj, key: str, expected: str) -> list[FieldError]:
    """ValidateHasLabel on the pod template's metadata."""
    path = f"spec.template.metadata.labels[{key}]"
    if key not in labels:
        return [required(path, f"must be '{expected}'")]
    if labels[key] != expected:
        return [invalid(path, gorepr.string_map(labels), f"must be '{expected}'")]
    return []


def _generated_selector(job: Obj, spec: Obj, require_prefixed: bool) -> list[FieldError]:
    """validateGeneratedSelector: a Job without manualSelector carries the labels its selector picks."""
    selector = spec.get("selector")
    if spec.get("manualSelector") is True or not isinstance(selector, dict):
        return []
    meta = as_dict(job.get("metadata"))
    uid, name = str(meta.get("uid") or ""), str(meta.get("name") or "")
    errs = [] if uid else [required("metadata.uid")]
    labels = as_dict(as_dict(as_dict(spec.get("template")).get("metadata")).get("labels"))
    keys = _LEGACY_LABELS + (_PREFIXED_LABELS if require_prefixed else ())
    expected = {key: uid if key.endswith("controller-uid") else name for key in keys}
    for key in keys:
        errs += _has_label(labels, key, expected[key])
    parsed = as_selector(selector)
    if parsed is not None and not parsed.matches(expected):
        errs.append(invalid("spec.selector", gorepr.label_selector(selector), "`selector` not auto-generated"))
    return errs


def _hostname_errors(job: Obj, spec: Obj) -> list[FieldError]:
    completions = as_int(spec.get("completions"))
    if spec.get("completionMode") != "Indexed" or completions is None or completions <= 0:
        return []
    name = str(as_dict(job.get("metadata")).get("name") or "")
    hostname = f"{name}-{completions - 1}"
    if not dns1123_label(hostname):
        return []
    detail = f"will not able to create pod with invalid DNS label: {hostname}"
    return [invalid("metadata.name", name, detail)]


def _validate_job(job: Obj, spec: Obj, require_prefixed: bool) -> list[FieldError]:
    errs = _generated_selector(job, spec, require_prefixed)
    return errs + _job_spec(spec) + _hostname_errors(job, spec)


def _completions_update(spec: Obj, old_spec: Obj) -> list[FieldError]:
    """validateCompletions with ElasticIndexedJob (GA): Indexed Jobs scale completions with parallelism."""
    new, old = spec.get("completions"), old_spec.get("completions")
    if new == old:
        return []
    if spec.get("completionMode") != "Indexed":
        return [invalid("spec.completions", new, IMMUTABLE)]
    if new is None or new == spec.get("parallelism"):
        return []
    return [invalid("spec.completions", new, "can only be modified in tandem with spec.parallelism")]


def _scheduling_directives_from(template: Obj, old_template: Obj) -> Obj:
    """The old template with what a suspended, never-started Job may change taken from the new one."""
    old = copy.deepcopy(old_template)
    new_meta, new_spec = as_dict(template.get("metadata")), as_dict(template.get("spec"))
    old_meta = old.setdefault("metadata", {})
    old_spec = old.setdefault("spec", {})
    for key in ("labels", "annotations"):
        old_meta[key] = new_meta.get(key)
    for key in ("nodeSelector", "tolerations", "schedulingGates"):
        old_spec[key] = new_spec.get(key)
    affinity, old_affinity = new_spec.get("affinity"), old_spec.get("affinity")
    if affinity is None and isinstance(old_affinity, dict):
        old_affinity.pop("nodeAffinity", None)
        if not any(v is not None for v in old_affinity.values()):
            old_spec["affinity"] = None
    elif isinstance(affinity, dict):
        kept = old_affinity if isinstance(old_affinity, dict) else {}
        old_spec["affinity"] = {**kept, "nodeAffinity": affinity.get("nodeAffinity")}
    return old


def _job_spec_update(job: Obj, spec: Obj, old: Obj, old_spec: Obj) -> list[FieldError]:
    errs = _job_spec(spec) + _completions_update(spec, old_spec)
    errs += immutable_selector(spec, old_spec)
    template, old_template = as_dict(spec.get("template")), as_dict(old_spec.get("template"))
    if old_spec.get("suspend") is True and as_dict(old.get("status")).get("startTime") is None:
        old_template = _scheduling_directives_from(template, old_template)
    if not semantic_equal(template, old_template):
        errs.append(invalid("spec.template", gorepr.pod_template_spec(template), IMMUTABLE))
    for key, go_type in _IMMUTABLE_FIELDS:
        if not semantic_equal(spec.get(key), old_spec.get(key)):
            value = spec.get(key)
            errs.append(
                invalid(f"spec.{key}", gorepr.opaque_struct(go_type) if go_type and value else value, IMMUTABLE)
            )
    return errs


def validate_job(obj: Obj, old: Obj | None) -> list[FieldError]:
    spec = as_dict(obj.get("spec"))
    if old is None:
        return _validate_job(obj, spec, require_prefixed=True)
    old_spec = as_dict(old.get("spec"))
    old_labels = as_dict(as_dict(as_dict(old_spec.get("template")).get("metadata")).get("labels"))
    require_prefixed = all(key in old_labels for key in _PREFIXED_LABELS)
    return _validate_job(obj, spec, require_prefixed) + _job_spec_update(obj, spec, old, old_spec)


# --- CronJob ----------------------------------------------------------------------------------------------

_TIME_ZONE_PART = re.compile(r"[A-Za-z.\-_0-9+]{1,14}")
MAX_CRON_JOB_NAME = 52


def _schedule_errors(schedule: str, allow_tz: bool, time_zone: object) -> list[FieldError]:
    errs: list[FieldError] = []
    if err := schedule_error(schedule):
        errs.append(invalid("spec.schedule", schedule, err))
    if allow_tz and "TZ" in schedule and time_zone is not None:
        errs.append(invalid("spec.schedule", schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"))
    elif not allow_tz and "TZ" in schedule:
        detail = "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
        errs.append(invalid("spec.schedule", schedule, detail))
    return errs


def _time_zone_errors(time_zone: object) -> list[FieldError]:
    path = "spec.timeZone"
    if not isinstance(time_zone, str):
        return []
    if not time_zone:
        return [invalid(path, time_zone, "timeZone must be nil or non-empty string")]
    for part in time_zone.split("/"):
        if part in (".", "..") or part.startswith("-") or not _TIME_ZONE_PART.fullmatch(part):
            return [invalid(path, time_zone, f"unknown time zone {time_zone}")]
    errs: list[FieldError] = []
    if time_zone.lower() == "local":
        detail = "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"
        errs.append(invalid(path, time_zone, detail))
    elif err := load_location(time_zone):
        errs.append(invalid(path, time_zone, err))
    return errs


def _job_template_errors(job_template: Obj) -> list[FieldError]:
    """ValidateJobTemplateSpec: a Job spec whose selector is always generated."""
    path = "spec.jobTemplate.spec"
    spec = as_dict(job_template.get("spec"))
    errs = _job_spec_body(spec, path)
    if spec.get("selector") is not None:
        value = gorepr.label_selector(spec.get("selector"))
        errs.append(invalid(f"{path}.selector", value, "`selector` will be auto-generated"))
    if spec.get("manualSelector") is True:
        errs.append(not_supported(f"{path}.manualSelector", True, ["nil", "false"]))
    return errs


def _cron_job_spec(spec: Obj, old_spec: Obj | None) -> list[FieldError]:
    errs: list[FieldError] = []
    schedule = spec.get("schedule")
    if not isinstance(schedule, str) or not schedule:
        errs.append(required("spec.schedule"))
    else:
        allow_tz = old_spec is not None and "TZ" in str(old_spec.get("schedule") or "")
        errs += _schedule_errors(schedule, allow_tz, spec.get("timeZone"))
    errs += nonnegative(spec.get("startingDeadlineSeconds"), "spec.startingDeadlineSeconds")
    if old_spec is None or old_spec.get("timeZone") != spec.get("timeZone"):
        errs += _time_zone_errors(spec.get("timeZone"))
    policy = spec.get("concurrencyPolicy") or ""
    if not policy:
        errs.append(required("spec.concurrencyPolicy"))
    elif policy not in ("Allow", "Forbid", "Replace"):
        errs.append(not_supported("spec.concurrencyPolicy", policy, ["Allow", "Forbid", "Replace"]))
    errs += _job_template_errors(as_dict(spec.get("jobTemplate")))
    errs += nonnegative(spec.get("successfulJobsHistoryLimit"), "spec.successfulJobsHistoryLimit")
    return errs + nonnegative(spec.get("failedJobsHistoryLimit"), "spec.failedJobsHistoryLimit")


def validate_cron_job(obj: Obj, old: Obj | None) -> list[FieldError]:
    spec = as_dict(obj.get("spec"))
    if old is not None:
        return _cron_job_spec(spec, as_dict(old.get("spec")))
    errs = _cron_job_spec(spec, None)
    name = str(as_dict(obj.get("metadata")).get("name") or "")
    if len(name) > MAX_CRON_JOB_NAME:
        errs.append(invalid("metadata.name", name, f"must be no more than {MAX_CRON_JOB_NAME} characters"))
    return errs
