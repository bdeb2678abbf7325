"""Cell functions for the batch group: jobs and cronjobs."""

from __future__ import annotations

from datetime import datetime

from mockapi.api.types import Obj
from mockapi.resources.tables.cells import (
    age,
    container_cells,
    format_label_selector,
    has,
    int_of,
    list_of,
    name_of,
    obj_of,
    parse_time,
    print_bool_ptr,
    since,
    str_of,
    template_containers,
)
from mockapi.resources.tables.duration import human_duration
from mockapi.resources.tables.model import Cell, RowFunctions

# printJob's status precedence: the first condition type found True wins; deletion comes third.
_JOB_STATUS = ("Complete", "Failed", None, "Suspended", "FailureTarget", "SuccessCriteriaMet")


def _job_condition(status: Obj, condition_type: str) -> bool:
    """printers.go hasJobCondition: the first condition of that type decides."""
    for condition in list_of(status, "conditions"):
        if str_of(condition, "type") == condition_type:
            return str_of(condition, "status") == "True"
    return False


def _job_status(job: Obj, status: Obj) -> str:
    for condition_type in _JOB_STATUS:
        if condition_type is None:
            if obj_of(job, "metadata").get("deletionTimestamp") is not None:
                return "Terminating"
        elif _job_condition(status, condition_type):
            return condition_type
    return "Running"


def _completions(spec: Obj, status: Obj) -> str:
    succeeded = int_of(status, "succeeded")
    if has(spec, "completions"):
        return f"{succeeded}/{int_of(spec, 'completions')}"
    parallelism = int_of(spec, "parallelism")
    if parallelism > 1:
        return f"{succeeded}/1 of {parallelism}"
    return f"{succeeded}/1"


def _duration(status: Obj, now: datetime) -> str:
    """ "" before the job started, time since start while running, completion - start when done."""
    start = parse_time(status.get("startTime"))
    if start is None:
        return ""
    completion = parse_time(status.get("completionTime"))
    return human_duration((completion or now) - start)


def job_cells(job: Obj, now: datetime) -> list[Cell]:
    spec, status = obj_of(job, "spec"), obj_of(job, "status")
    names, images = container_cells(template_containers(spec))
    return [
        name_of(job),
        _job_status(job, status),
        _completions(spec, status),
        _duration(status, now),
        age(job, now),
        names,
        images,
        format_label_selector(spec.get("selector")),
    ]


def cronjob_cells(cj: Obj, now: datetime) -> list[Cell]:
    spec, status = obj_of(cj, "spec"), obj_of(cj, "status")
    job_spec = obj_of(obj_of(spec, "jobTemplate"), "spec")
    names, images = container_cells(template_containers(job_spec))
    last_schedule = since(status.get("lastScheduleTime"), now) if has(status, "lastScheduleTime") else "<none>"
    return [
        name_of(cj),
        str_of(spec, "schedule"),
        str_of(spec, "timeZone") if has(spec, "timeZone") else "<none>",
        print_bool_ptr(spec, "suspend"),
        len(list_of(status, "active")),
        last_schedule,
        age(cj, now),
        names,
        images,
        format_label_selector(job_spec.get("selector")),
    ]


ROWS: dict[str, RowFunctions] = {
    "jobs": RowFunctions(job_cells),
    "cronjobs": RowFunctions(cronjob_cells),
}
