"""Job, CronJob and ReplicationController validation with kube-apiserver 1.33's exact messages,
plus robfig/cron's ParseStandard error texts for CronJob schedules."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from mockapi.registry.defaulting import apply_defaults, prepare_for_create
from mockapi.registry.kindvalidation import validate_kind
from mockapi.registry.kindvalidation.batch import validate_cron_job, validate_job
from mockapi.registry.kindvalidation.cronschedule import schedule_error
from mockapi.registry.kindvalidation.replication_controllers import validate_replication_controller
from mockapi.resources.catalog import Catalog

Obj = dict[str, Any]
POD: Obj = {"metadata": {"labels": {"app": "pi"}}, "spec": {"containers": [{"name": "c", "image": "perl"}]}}
NONNEG = "must be greater than or equal to 0"
UID = "0b9f-uid"
SCHEDULE = "spec.schedule: Invalid value: "


def pod_template(restart_policy: str | None = "Never") -> Obj:
    t = copy.deepcopy(POD)
    if restart_policy is not None:
        t["spec"]["restartPolicy"] = restart_policy
    return t


def make_job(restart_policy: str | None = "Never", name: str = "pi", **spec: Any) -> Obj:
    job: Obj = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": name, "namespace": "default", "uid": UID},
        "spec": {"template": pod_template(restart_policy), **spec},
    }
    apply_defaults("batch", "v1", "Job", job)
    prepare_for_create("batch", "Job", job)
    return job


def messages(errs: list[Any]) -> list[str]:
    return [str(e) for e in errs]


# --- Job --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("restart_policy", "spec", "expected"),
    [
        ("Never", {}, []),
        ("OnFailure", {}, []),
        ("Always", {}, ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']),
        (None, {}, ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']),
        (
            "Never",
            {"parallelism": -1, "completions": -1, "activeDeadlineSeconds": -1, "backoffLimit": -1},
            [
                f"spec.parallelism: Invalid value: -1: {NONNEG}",
                f"spec.completions: Invalid value: -1: {NONNEG}",
                f"spec.activeDeadlineSeconds: Invalid value: -1: {NONNEG}",
                f"spec.backoffLimit: Invalid value: -1: {NONNEG}",
            ],
        ),
        ("Never", {"ttlSecondsAfterFinished": -3}, [f"spec.ttlSecondsAfterFinished: Invalid value: -3: {NONNEG}"]),
        (
            "Never",
            {"completionMode": "Sometimes"},
            ['spec.completionMode: Unsupported value: "Sometimes": supported values: "NonIndexed", "Indexed"'],
        ),
        (
            "Never",
            {"completionMode": "Indexed", "parallelism": 2},
            ["spec.completions: Required value: when completion mode is Indexed"],
        ),
        (
            "Never",
            {"backoffLimitPerIndex": 1},
            ["spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode"],
        ),
        (
            "Never",
            {"maxFailedIndexes": 1},
            [
                "spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified",
                "spec.maxFailedIndexes: Invalid value: 1: requires indexed completion mode",
            ],
        ),
        (
            "Never",
            {"podReplacementPolicy": "Sometimes"},
            [
                'spec.podReplacementPolicy: Unsupported value: "Sometimes": supported values: "Failed", '
                '"TerminatingOrFailed"'
            ],
        ),
    ],
)  # fmt: skip
def test_job_create(restart_policy: str | None, spec: Obj, expected: list[str]) -> None:
    assert messages(validate_job(make_job(restart_policy, **spec), None)) == expected


def test_job_generated_selector_labels() -> None:
    job = make_job()
    job["spec"]["template"]["metadata"]["labels"]["controller-uid"] = "someone-else"
    assert messages(validate_job(job, None)) == [
        'spec.template.metadata.labels[controller-uid]: Invalid value: map[string]string{"app":"pi", '
        f'"batch.kubernetes.io/controller-uid":"{UID}", "batch.kubernetes.io/job-name":"pi", '
        f'"controller-uid":"someone-else", "job-name":"pi"}}: must be \'{UID}\''
    ]


def test_job_manual_selector_must_match_template() -> None:
    job = make_job(manualSelector=True, selector={"matchLabels": {"app": "other"}})
    assert messages(validate_job(job, None)) == [
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"pi"}: '
        "`selector` does not match template `labels`"
    ]
    # a nil selector selects nothing, so the template check fails too
    assert messages(validate_job(make_job(manualSelector=True), None)) == [
        "spec.selector: Required value",
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"pi"}: '
        "`selector` does not match template `labels`",
    ]


def test_indexed_job_pod_hostname() -> None:
    job = make_job(name="x" * 62, completionMode="Indexed", completions=3, parallelism=3)
    assert messages(validate_job(job, None)) == [
        f'metadata.name: Invalid value: "{"x" * 62}": will not able to create pod with invalid DNS label: {"x" * 62}-2'
    ]


def test_job_update_immutability() -> None:
    old = make_job()
    new = copy.deepcopy(old)
    new["spec"]["completions"] = 4
    new["spec"]["template"]["spec"]["containers"][0]["image"] = "perl:2"
    errs = messages(validate_job(new, old))
    assert errs[0] == "spec.completions: Invalid value: 4: field is immutable"
    assert errs[1].startswith("spec.template: Invalid value: core.PodTemplateSpec{ObjectMeta:v1.ObjectMeta{")
    assert errs[1].endswith(", Spec:core.PodSpec{...}}: field is immutable")
    suspended = copy.deepcopy(old)
    suspended["spec"]["suspend"] = True
    assert validate_job(suspended, old) == []


def test_indexed_job_scales_completions_with_parallelism() -> None:
    old = make_job(completionMode="Indexed", completions=3, parallelism=3)
    new = copy.deepcopy(old)
    new["spec"]["completions"] = new["spec"]["parallelism"] = 5
    assert validate_job(new, old) == []
    new["spec"]["parallelism"] = 4
    assert messages(validate_job(new, old)) == [
        "spec.completions: Invalid value: 5: can only be modified in tandem with spec.parallelism"
    ]


def test_suspended_job_may_change_scheduling_directives() -> None:
    old = make_job(suspend=True)
    new = copy.deepcopy(old)
    new["spec"]["template"]["spec"]["nodeSelector"] = {"disk": "ssd"}
    assert validate_job(new, old) == []
    started = copy.deepcopy(old)
    started["status"] = {"startTime": "2025-01-01T00:00:00Z"}
    assert messages(validate_job(new, started))[-1].endswith(": field is immutable")


# --- CronJob ----------------------------------------------------------------------------------------------


def make_cron_job(restart_policy: str | None = "OnFailure", **spec: Any) -> Obj:
    cron: Obj = {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "hello", "namespace": "default"},
        "spec": {"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": pod_template(restart_policy)}}},
    }
    cron["spec"].update(spec)
    apply_defaults("batch", "v1", "CronJob", cron)
    return cron


@pytest.mark.parametrize(
    ("schedule", "error"),
    [
        ("*/5 * * * *", None),
        ("0 0 1 jan,JUL sun-sat", None),
        ("@daily", None),
        ("@every 1h30m", None),
        ("", "empty spec string"),
        ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
        ("0 0 0 0 0 0", "expected exactly 5 fields, found 6: [0 0 0 0 0 0]"),
        ("60 * * * *", "end of range (60) above maximum (59): 60"),
        ("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
        ("* * * * 7", "end of range (7) above maximum (6): 7"),
        ("10-5 * * * *", "beginning of range (10) beyond end of range (5): 10-5"),
        ("*/0 * * * *", "step of range should be a positive number: */0"),
        ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
        ("1/2/3 * * * *", "too many slashes: 1/2/3"),
        ("x * * * *", 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'),
        ("@fortnightly", "unrecognized descriptor: @fortnightly"),
        ("@every soon", 'failed to parse duration @every soon: time: invalid duration "soon"'),
        ("@every 5", 'failed to parse duration @every 5: time: missing unit in duration "5"'),
        ("@every 5d", 'failed to parse duration @every 5d: time: unknown unit "d" in duration "5d"'),
        ("CRON_TZ=Nowhere/City * * * * *", "provided bad location Nowhere/City: unknown time zone Nowhere/City"),
    ],
)  # fmt: skip
def test_parse_standard_errors(schedule: str, error: str | None) -> None:
    assert schedule_error(schedule) == error


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({}, []),
        ({"schedule": "61 * * * *"}, [f'{SCHEDULE}"61 * * * *": end of range (61) above maximum (59): 61']),
        (
            {"schedule": "TZ=UTC 0 * * * *"},
            [f'{SCHEDULE}"TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead'],
        ),
        ({"startingDeadlineSeconds": -1}, [f"spec.startingDeadlineSeconds: Invalid value: -1: {NONNEG}"]),
        ({"timeZone": "Europe/Paris"}, []),
        ({"timeZone": "Mars/Base"}, ['spec.timeZone: Invalid value: "Mars/Base": unknown time zone Mars/Base']),
        ({"timeZone": "../etc"}, ['spec.timeZone: Invalid value: "../etc": unknown time zone ../etc']),
        ({"timeZone": ""}, ['spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string']),
        (
            {"timeZone": "Local"},
            ['spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'],
        ),
        (
            {"concurrencyPolicy": "Sometimes"},
            ['spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"'],
        ),
        ({"successfulJobsHistoryLimit": -1}, [f"spec.successfulJobsHistoryLimit: Invalid value: -1: {NONNEG}"]),
        ({"failedJobsHistoryLimit": -1}, [f"spec.failedJobsHistoryLimit: Invalid value: -1: {NONNEG}"]),
    ],
)  # fmt: skip
def test_cron_job_create(spec: Obj, expected: list[str]) -> None:
    assert messages(validate_cron_job(make_cron_job(**spec), None)) == expected


def test_cron_job_template_is_a_job_spec() -> None:
    cron = make_cron_job(restart_policy=None)
    cron["spec"]["jobTemplate"]["spec"].update({"backoffLimit": -1, "manualSelector": True, "selector": {}})
    assert messages(validate_cron_job(cron, None)) == [
        f"spec.jobTemplate.spec.backoffLimit: Invalid value: -1: {NONNEG}",
        'spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
        "spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated",
        'spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "nil", "false"',
    ]


def test_cron_job_name_cap_only_on_create() -> None:
    cron = make_cron_job()
    cron["metadata"]["name"] = "c" * 53
    assert messages(validate_cron_job(cron, None)) == [
        f'metadata.name: Invalid value: "{"c" * 53}": must be no more than 52 characters'
    ]
    assert validate_cron_job(cron, copy.deepcopy(cron)) == []


def test_cron_job_stored_tz_schedule_is_tolerated() -> None:
    old = make_cron_job(schedule="TZ=UTC 0 * * * *")
    assert validate_cron_job(copy.deepcopy(old), old) == []
    both = make_cron_job(schedule="TZ=UTC 0 * * * *", timeZone="UTC")
    assert messages(validate_cron_job(both, old)) == [
        'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use both timeZone field and TZ or CRON_TZ in schedule'
    ]


# --- ReplicationController --------------------------------------------------------------------------------


def make_rc(**spec: Any) -> Obj:
    rc: Obj = {
        "apiVersion": "v1",
        "kind": "ReplicationController",
        "metadata": {"name": "pi", "namespace": "default"},
        "spec": {"template": pod_template(None), **spec},
    }
    apply_defaults("", "v1", "ReplicationController", rc)
    return rc


def test_replication_controller() -> None:
    assert validate_replication_controller(make_rc(), None) == []  # selector defaulted from the template labels
    bad = make_rc(selector={"app": "other"}, replicas=-1, minReadySeconds=-1)
    assert messages(validate_replication_controller(bad, None)) == [
        f"spec.minReadySeconds: Invalid value: -1: {NONNEG}",
        f"spec.replicas: Invalid value: -1: {NONNEG}",
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"pi"}: '
        "`selector` does not match template `labels`",
    ]
    bare: Obj = {"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "pi"}, "spec": {}}
    apply_defaults("", "v1", "ReplicationController", bare)
    assert messages(validate_replication_controller(bare, None)) == [
        "spec.selector: Required value",
        "spec.template: Required value",
    ]
    never = make_rc()
    never["spec"]["template"]["spec"].update({"restartPolicy": "Never", "activeDeadlineSeconds": 5})
    assert messages(validate_replication_controller(never, None)) == [
        'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
        "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicationController is "
        "not Supported",
    ]


def test_registered_validators() -> None:
    catalog = Catalog.load()
    for group, plural, obj in (
        ("batch", "jobs", make_job("Always")),
        ("batch", "cronjobs", make_cron_job(None)),
        ("", "replicationcontrollers", make_rc(replicas=-1)),
    ):
        rt = catalog.get(group, "v1", plural)
        assert rt is not None
        assert validate_kind(rt, obj) != []
