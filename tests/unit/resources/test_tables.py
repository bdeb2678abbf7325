"""Table conversion: apimachinery durations and the pod printer (READY, STATUS, RESTARTS, columns)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mockapi.resources.tables import convert_to_table, human_duration, short_human_duration
from mockapi.resources.types import ResourceType

NOW = datetime(2025, 4, 23, 12, 0, 0, tzinfo=UTC)
Obj = dict[str, Any]


def rtype(group: str, version: str, kind: str, plural: str) -> ResourceType:
    return ResourceType(group, version, kind, plural, kind.lower(), True, ("get", "list"))


PODS = rtype("", "v1", "Pod", "pods")


def ago(**kwargs: float) -> str:
    return (NOW - timedelta(**kwargs)).strftime("%Y-%m-%dT%H:%M:%SZ")


def cells(rt: ResourceType, obj: Obj) -> list[Any]:
    table = convert_to_table(rt, [obj], list_metadata={}, include_object="None", now=NOW)
    rows = table["rows"]
    assert rows is not None
    result: list[Any] = rows[0]["cells"]
    return result


# ---- durations --------------------------------------------------------------------------------------

HUMAN = [
    (timedelta(seconds=-3), "<invalid>"),
    (timedelta(seconds=-2), "<invalid>"),
    (timedelta(seconds=-1.5), "0s"),
    (timedelta(seconds=-1), "0s"),
    (timedelta(0), "0s"),
    (timedelta(seconds=1), "1s"),
    (timedelta(seconds=59), "59s"),
    (timedelta(seconds=119), "119s"),
    (timedelta(seconds=120), "2m"),
    (timedelta(seconds=121), "2m1s"),
    (timedelta(minutes=5), "5m"),
    (timedelta(minutes=5, seconds=30), "5m30s"),
    (timedelta(minutes=9, seconds=59), "9m59s"),
    (timedelta(minutes=10), "10m"),
    (timedelta(minutes=10, seconds=59), "10m"),
    (timedelta(minutes=179), "179m"),
    (timedelta(hours=3), "3h"),
    (timedelta(hours=3, minutes=20), "3h20m"),
    (timedelta(hours=7, minutes=59), "7h59m"),
    (timedelta(hours=8), "8h"),
    (timedelta(hours=8, minutes=30), "8h"),
    (timedelta(hours=47), "47h"),
    (timedelta(hours=48), "2d"),
    (timedelta(days=3, hours=4), "3d4h"),
    (timedelta(days=7, hours=23), "7d23h"),
    (timedelta(days=8), "8d"),
    (timedelta(days=8, hours=5), "8d"),
    (timedelta(days=729), "729d"),
    (timedelta(days=730), "2y"),
    (timedelta(days=760), "2y30d"),
    (timedelta(days=365 * 8 - 1), "7y364d"),
    (timedelta(days=365 * 8), "8y"),
    (timedelta(days=365 * 10 + 100), "10y"),
]


@pytest.mark.parametrize(("delta", "expected"), HUMAN)
def test_human_duration(delta: timedelta, expected: str) -> None:
    assert human_duration(delta) == expected


SHORT = [
    (timedelta(seconds=-5), "<invalid>"),
    (timedelta(seconds=-1), "0s"),
    (timedelta(seconds=59), "59s"),
    (timedelta(seconds=60), "1m"),
    (timedelta(minutes=59, seconds=59), "59m"),
    (timedelta(hours=23), "23h"),
    (timedelta(days=364), "364d"),
    (timedelta(days=365 * 3 + 10), "3y"),
]


@pytest.mark.parametrize(("delta", "expected"), SHORT)
def test_short_human_duration(delta: timedelta, expected: str) -> None:
    assert short_human_duration(delta) == expected


# ---- pods -------------------------------------------------------------------------------------------


def pod(
    status: Obj,
    *,
    containers: int = 1,
    init: list[Obj] | None = None,
    deleted: bool = False,
    spec: Obj | None = None,
) -> Obj:
    meta: Obj = {"name": "web-1", "namespace": "default", "creationTimestamp": ago(minutes=5)}
    if deleted:
        meta["deletionTimestamp"] = ago(seconds=1)
    body: Obj = {"containers": [{"name": f"c{i}", "image": "nginx"} for i in range(containers)]}
    if init is not None:
        body["initContainers"] = init
    body.update(spec or {})
    return {"metadata": meta, "spec": body, "status": status}


RUNNING: Obj = {"running": {"startedAt": ago(minutes=4)}}


def test_pod_pending_without_statuses() -> None:
    assert cells(PODS, pod({"phase": "Pending"}))[:5] == ["web-1", "0/1", "Pending", "0", "5m"]


def test_pod_running_with_ready_containers() -> None:
    status = {
        "phase": "Running",
        "conditions": [{"type": "Ready", "status": "True"}],
        "containerStatuses": [
            {"name": "c0", "ready": True, "restartCount": 0, "state": RUNNING},
            {"name": "c1", "ready": False, "restartCount": 0, "state": RUNNING},
        ],
    }
    assert cells(PODS, pod(status, containers=2))[:4] == ["web-1", "1/2", "Running", "0"]


def test_pod_crashloop_with_restarts_and_last_restart_age() -> None:
    status = {
        "phase": "Running",
        "containerStatuses": [
            {
                "name": "c0",
                "ready": False,
                "restartCount": 5,
                "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off"}},
                "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": ago(minutes=5)}},
            }
        ],
    }
    assert cells(PODS, pod(status))[:4] == ["web-1", "0/1", "CrashLoopBackOff", "5 (5m ago)"]


def test_pod_restarts_without_finish_time_have_no_age() -> None:
    status = {"phase": "Running", "containerStatuses": [{"name": "c0", "restartCount": 3, "state": RUNNING}]}
    assert cells(PODS, pod(status))[3] == "3"


def test_pod_completed_has_row_condition() -> None:
    status = {
        "phase": "Succeeded",
        "containerStatuses": [
            {
                "name": "c0",
                "ready": False,
                "restartCount": 0,
                "state": {"terminated": {"exitCode": 0, "reason": "Completed"}},
            }
        ],
    }
    table = convert_to_table(PODS, [pod(status)], list_metadata={}, include_object="None", now=NOW)
    assert table["rows"] is not None
    row = table["rows"][0]
    assert row["cells"][:3] == ["web-1", "0/1", "Completed"]
    assert row["conditions"] == [
        {"type": "Completed", "status": "True", "reason": "Succeeded", "message": "The pod has completed successfully."}
    ]
    assert list(row) == ["cells", "conditions", "object"]


def test_pod_failed_has_row_condition_and_exit_code_status() -> None:
    status = {"phase": "Failed", "containerStatuses": [{"name": "c0", "state": {"terminated": {"exitCode": 137}}}]}
    table = convert_to_table(PODS, [pod(status)], list_metadata={}, include_object="None", now=NOW)
    assert table["rows"] is not None
    assert table["rows"][0]["cells"][2] == "ExitCode:137"
    assert table["rows"][0]["conditions"] == [
        {"type": "Completed", "status": "True", "reason": "Failed", "message": "The pod failed."}
    ]


def test_pod_signal_status() -> None:
    status = {"phase": "Running", "containerStatuses": [{"name": "c0", "state": {"terminated": {"signal": 9}}}]}
    assert cells(PODS, pod(status))[2] == "Signal:9"


def test_pod_init_progress() -> None:
    init = [{"name": "setup", "image": "busybox"}]
    status = {
        "phase": "Pending",
        "initContainerStatuses": [
            {"name": "setup", "restartCount": 0, "state": {"waiting": {"reason": "PodInitializing"}}}
        ],
        "containerStatuses": [{"name": "c0", "state": {"waiting": {"reason": "PodInitializing"}}}],
    }
    assert cells(PODS, pod(status, init=init))[:4] == ["web-1", "0/1", "Init:0/1", "0"]


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ({"waiting": {"reason": "CrashLoopBackOff"}}, "Init:CrashLoopBackOff"),
        ({"terminated": {"exitCode": 1, "reason": "Error"}}, "Init:Error"),
        ({"terminated": {"exitCode": 2}}, "Init:ExitCode:2"),
        ({"terminated": {"exitCode": 2, "signal": 15}}, "Init:Signal:15"),
    ],
)
def test_pod_init_failures(state: Obj, expected: str) -> None:
    init = [{"name": "setup", "image": "busybox"}]
    status = {"phase": "Pending", "initContainerStatuses": [{"name": "setup", "restartCount": 4, "state": state}]}
    assert cells(PODS, pod(status, init=init))[2:4] == [expected, "4"]


def test_pod_second_init_container_running() -> None:
    init = [{"name": "a", "image": "x"}, {"name": "b", "image": "x"}]
    status = {
        "phase": "Pending",
        "initContainerStatuses": [
            {"name": "a", "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
            {"name": "b", "state": RUNNING},
        ],
    }
    assert cells(PODS, pod(status, init=init))[2] == "Init:1/2"


def test_pod_sidecar_counts_towards_ready_and_total() -> None:
    init = [{"name": "proxy", "image": "envoy", "restartPolicy": "Always"}]
    status = {
        "phase": "Running",
        "conditions": [{"type": "Initialized", "status": "True"}, {"type": "Ready", "status": "True"}],
        "initContainerStatuses": [
            {"name": "proxy", "ready": True, "started": True, "restartCount": 1, "state": RUNNING}
        ],
        "containerStatuses": [{"name": "c0", "ready": True, "restartCount": 2, "state": RUNNING}],
    }
    assert cells(PODS, pod(status, init=init))[:4] == ["web-1", "2/2", "Running", "3"]


def test_pod_completed_container_with_running_one_is_running_or_not_ready() -> None:
    statuses = [
        {"name": "c0", "ready": True, "state": RUNNING},
        {"name": "c1", "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
    ]
    ready = {"phase": "Running", "containerStatuses": statuses, "conditions": [{"type": "Ready", "status": "True"}]}
    assert cells(PODS, pod(ready, containers=2))[1:3] == ["1/2", "Running"]
    not_ready = {"phase": "Running", "containerStatuses": statuses}
    assert cells(PODS, pod(not_ready, containers=2))[2] == "NotReady"


def test_pod_terminating_and_node_lost() -> None:
    running = {"phase": "Running", "containerStatuses": [{"name": "c0", "ready": True, "state": RUNNING}]}
    assert cells(PODS, pod(running, deleted=True))[:3] == ["web-1", "1/1", "Terminating"]
    lost = {"phase": "Running", "reason": "NodeLost"}
    assert cells(PODS, pod(lost, deleted=True))[2] == "Unknown"
    done = {
        "phase": "Succeeded",
        "containerStatuses": [{"name": "c0", "state": {"terminated": {"reason": "Completed"}}}],
    }
    assert cells(PODS, pod(done, deleted=True))[2] == "Completed"


def test_pod_status_reason_and_scheduling_gated() -> None:
    assert cells(PODS, pod({"phase": "Failed", "reason": "Evicted"}))[2] == "Evicted"
    gated = {
        "phase": "Pending",
        "conditions": [{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}],
    }
    assert cells(PODS, pod(gated))[2] == "SchedulingGated"


def test_pod_wide_columns() -> None:
    status = {
        "phase": "Running",
        "podIPs": [{"ip": "10.0.0.7"}, {"ip": "fd00::7"}],
        "nominatedNodeName": "node-2",
        "conditions": [{"type": "example.com/gate", "status": "True"}],
    }
    spec = {"nodeName": "node-1", "readinessGates": [{"conditionType": "example.com/gate"}, {"conditionType": "x/y"}]}
    assert cells(PODS, pod(status, spec=spec))[5:] == ["10.0.0.7", "node-1", "node-2", "1/2"]
    assert cells(PODS, pod({"phase": "Pending"}))[5:] == ["<none>", "<none>", "<none>", "<none>"]


# Column definitions kube-apiserver 1.33 sends for pods (printers.go podColumnDefinitions).
POD_COLUMNS = [
    ("Name", "string", "name", 0),
    ("Ready", "string", "", 0),
    ("Status", "string", "", 0),
    ("Restarts", "string", "", 0),
    ("Age", "string", "", 0),
    ("IP", "string", "", 1),
    ("Node", "string", "", 1),
    ("Nominated Node", "string", "", 1),
    ("Readiness Gates", "string", "", 1),
]


def test_pod_column_definitions_match_the_real_server() -> None:
    table = convert_to_table(PODS, [], list_metadata={"resourceVersion": "7"}, include_object="Metadata", now=NOW)
    columns = table["columnDefinitions"]
    assert columns is not None
    assert [(c["name"], c["type"], c["format"], c["priority"]) for c in columns] == POD_COLUMNS
    assert [list(c) for c in columns] == [["name", "type", "format", "description", "priority"]] * len(POD_COLUMNS)
    assert columns[1]["description"] == "The aggregate readiness state of this pod for accepting traffic."
    assert columns[0]["description"].startswith("Name must be unique within a namespace.")
    assert columns[4]["description"].startswith("CreationTimestamp is a timestamp representing the server time")
    assert "\n\nPopulated by the system. Read-only. Null for lists." in columns[4]["description"]
    assert columns[5]["description"] == (
        "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated."
    )
    assert table["rows"] == []
