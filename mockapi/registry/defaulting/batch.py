"""Defaulters for batch/v1 (pkg/apis/batch/v1/defaults.go).

As of 1.33 JobBackoffLimitPerIndex is GA and JobPodReplacementPolicy is beta (on), so `backoffLimit`
depends on `backoffLimitPerIndex` and `podReplacementPolicy` is always filled; `manualSelector` reads
back `false` (the strategy relies on it being set).
A CronJob's `jobTemplate` gets pod-template and pod-failure-policy pattern defaults but not
SetDefaults_Job: that defaulter is registered for the Job type only.
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
from mockapi.registry.defaulting.podspec import default_pod_template

MAX_INT32 = 2**31 - 1


def job(obj: Obj) -> None:
    spec = sub(obj, "spec")
    if spec is None:
        return
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
        spec["parallelism"] = 1
    set_if_unset(spec, "parallelism", 1)
    if spec.get("backoffLimit") is None:
        spec["backoffLimit"] = MAX_INT32 if spec.get("backoffLimitPerIndex") is not None else 6
    copy_template_labels(obj)
    set_if_unset(spec, "completionMode", "NonIndexed")
    set_if_unset(spec, "suspend", False)
    failure_policy = sub(spec, "podFailurePolicy")
    if spec.get("podReplacementPolicy") is None:
        spec["podReplacementPolicy"] = "Failed" if failure_policy is not None else "TerminatingOrFailed"
    set_if_unset(spec, "manualSelector", False)
    _job_spec_parts(spec)


def _job_spec_parts(spec: Obj) -> None:
    """What the generated walk reaches in any JobSpec, a CronJob's job template included."""
    for rule in each(sub(spec, "podFailurePolicy"), "rules"):
        for pattern in each(rule, "onPodConditions"):
            set_if_empty(pattern, "status", "True")  # SetDefaults_PodFailurePolicyOnPodConditionsPattern
    template = sub(spec, "template")
    if template is not None:
        default_pod_template(template)


def copy_template_labels(obj: Obj) -> None:
    """A Job without labels takes its pod template's labels."""
    labels = sub(sub(sub(sub(obj, "spec"), "template"), "metadata"), "labels")
    metadata = ensure(obj, "metadata")
    if labels and metadata is not None and not metadata.get("labels"):
        metadata["labels"] = dict(labels)


def cron_job(obj: Obj) -> None:
    spec = sub(obj, "spec")
    if spec is None:
        return
    set_if_empty(spec, "concurrencyPolicy", "Allow")
    set_if_unset(spec, "suspend", False)
    set_if_unset(spec, "successfulJobsHistoryLimit", 3)
    set_if_unset(spec, "failedJobsHistoryLimit", 1)
    job_template = sub(spec, "jobTemplate")
    if job_template is None:
        return
    zero_template_meta(job_template)
    job_spec = sub(job_template, "spec")
    if job_spec is not None:
        _job_spec_parts(job_spec)


DEFAULTERS: dict[str, Callable[[Obj], None]] = {"Job": job, "CronJob": cron_job}
"""Kind -> defaulter for batch/v1."""
