"""The pod printer (printers.go printPod): READY, STATUS, RESTARTS and the wide columns.

STATUS is the most involved cell kube-apiserver computes. In order:
  1. status.phase, replaced by status.reason when set, or "SchedulingGated" when the PodScheduled
     condition says so;
  2. init containers, in order, until the first one that is neither finished with exit code 0 nor a
     started sidecar (restartPolicy Always): "Init:<reason>", "Init:Signal:<n>", "Init:ExitCode:<n>",
     "Init:<waiting reason>" or "Init:<i>/<n>" -- the pod is then "initializing";
  3. unless initializing (or the Initialized condition is True), regular containers from last to
     first: a waiting or terminated reason, else "Signal:<n>"/"ExitCode:<n>"; "Completed" with a
     container still running becomes "Running" (Ready condition True) or "NotReady";
  4. a deleted pod shows "Unknown" if the node was lost, else "Terminating" unless it already finished.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mockapi.api.types import Obj
from mockapi.resources.tables.cells import age, int_of, list_of, name_of, obj_of, parse_time, str_of
from mockapi.resources.tables.duration import human_duration
from mockapi.resources.tables.model import Cell, RowCondition, RowFunctions

_COMPLETED_MESSAGES = {"Succeeded": "The pod has completed successfully.", "Failed": "The pod failed."}


def _restartable(container: Obj | None) -> bool:
    """podutil.IsRestartableInitContainer: a sidecar is an init container with restartPolicy Always."""
    return container is not None and container.get("restartPolicy") == "Always"


def _condition_true(status: Obj, condition_type: str, *, first_only: bool) -> bool:
    for condition in list_of(status, "conditions"):
        if str_of(condition, "type") == condition_type:
            if str_of(condition, "status") == "True":
                return True
            if first_only:
                return False
    return False


def _finished_at(container_status: Obj) -> datetime | None:
    """lastState.terminated.finishedAt, None when unset or zero."""
    return parse_time(obj_of(obj_of(container_status, "lastState"), "terminated").get("finishedAt"))


def has_terminated(container_status: Obj, state_key: str) -> bool:
    """Whether `<state_key>.terminated` is set (a non-nil pointer, possibly with only zero fields)."""
    return isinstance(obj_of(container_status, state_key).get("terminated"), dict)


def _later(current: datetime | None, candidate: datetime | None) -> datetime | None:
    """metav1.Time.Before on possibly zero times: keep the later non-zero one."""
    if candidate is not None and (current is None or current < candidate):
        return candidate
    return current


def _terminated_reason(terminated: Obj, prefix: str) -> str:
    reason = str_of(terminated, "reason")
    if reason:
        return prefix + reason
    signal = int_of(terminated, "signal")
    if signal != 0:
        return f"{prefix}Signal:{signal}"
    return f"{prefix}ExitCode:{int_of(terminated, 'exitCode')}"


def pod_cells(pod: Obj, now: datetime) -> list[Cell]:
    spec, status = obj_of(pod, "spec"), obj_of(pod, "status")
    restarts = 0
    sidecar_restarts = 0
    total = len(list_of(spec, "containers"))
    ready = 0
    last_restart: datetime | None = None
    last_sidecar_restart: datetime | None = None

    phase = str_of(status, "phase")
    reason = str_of(status, "reason") or phase
    for condition in list_of(status, "conditions"):
        if str_of(condition, "type") == "PodScheduled" and str_of(condition, "reason") == "SchedulingGated":
            reason = "SchedulingGated"

    init_specs = list_of(spec, "initContainers")
    by_name: dict[str, Obj] = {}
    for container in init_specs:
        if isinstance(container, dict):
            by_name[str_of(container, "name")] = container
            if _restartable(container):
                total += 1

    initializing = False
    for index, cs in enumerate(list_of(status, "initContainerStatuses")):
        restart_count = int_of(cs, "restartCount")
        restarts += restart_count
        finished = _finished_at(cs)
        last_restart = _later(last_restart, finished)
        sidecar = _restartable(by_name.get(str_of(cs, "name")))
        if sidecar:
            sidecar_restarts += restart_count
            last_sidecar_restart = _later(last_sidecar_restart, finished)
        state = obj_of(cs, "state")
        terminated = obj_of(state, "terminated")
        waiting = obj_of(state, "waiting")
        if has_terminated(cs, "state") and int_of(terminated, "exitCode") == 0:
            continue
        if sidecar and cs.get("started") is True:
            if cs.get("ready") is True:
                ready += 1
            continue
        if has_terminated(cs, "state"):
            reason = _terminated_reason(terminated, "Init:")
        elif str_of(waiting, "reason") and str_of(waiting, "reason") != "PodInitializing":
            reason = "Init:" + str_of(waiting, "reason")
        else:
            reason = f"Init:{index}/{len(init_specs)}"
        initializing = True
        break

    if not initializing or _condition_true(status, "Initialized", first_only=True):
        restarts = sidecar_restarts
        last_restart = last_sidecar_restart
        has_running = False
        for cs in reversed(list_of(status, "containerStatuses")):
            restarts += int_of(cs, "restartCount")
            last_restart = _later(last_restart, _finished_at(cs))
            state = obj_of(cs, "state")
            waiting_reason = str_of(obj_of(state, "waiting"), "reason")
            terminated = obj_of(state, "terminated")
            if waiting_reason:
                reason = waiting_reason
            elif has_terminated(cs, "state"):
                reason = _terminated_reason(terminated, "")
            elif cs.get("ready") is True and isinstance(state.get("running"), dict):
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            reason = "Running" if _condition_true(status, "Ready", first_only=False) else "NotReady"

    deleted = obj_of(pod, "metadata").get("deletionTimestamp") is not None
    if deleted and str_of(status, "reason") == "NodeLost":
        reason = "Unknown"
    elif deleted and phase not in ("Succeeded", "Failed"):
        reason = "Terminating"

    restarts_cell = str(restarts)
    if restarts != 0 and last_restart is not None:
        restarts_cell = f"{restarts} ({human_duration(now - last_restart)} ago)"

    return [
        name_of(pod),
        f"{ready}/{total}",
        reason,
        restarts_cell,
        age(pod, now),
        _pod_ip(status) or "<none>",
        str_of(spec, "nodeName") or "<none>",
        str_of(status, "nominatedNodeName") or "<none>",
        _readiness_gates(spec, status),
    ]


def _pod_ip(status: Obj) -> str:
    """The internal PodIPs[0]: v1 conversion makes status.podIP authoritative over status.podIPs."""
    ip = str_of(status, "podIP")
    if ip:
        return ip
    ips = list_of(status, "podIPs")
    return str_of(ips[0], "ip") if ips else ""


def _readiness_gates(spec: Obj, status: Obj) -> str:
    gates = list_of(spec, "readinessGates")
    if not gates:
        return "<none>"
    conditions: list[Any] = list_of(status, "conditions")
    true_count = 0
    for gate in gates:
        wanted = str_of(gate, "conditionType")
        for condition in conditions:
            if str_of(condition, "type") == wanted:
                if str_of(condition, "status") == "True":
                    true_count += 1
                break
    return f"{true_count}/{len(gates)}"


def pod_conditions(pod: Obj) -> list[RowCondition] | None:
    """The row condition printPod sets for finished pods (kubectl hides such rows unless -a)."""
    phase = str_of(obj_of(pod, "status"), "phase")
    message = _COMPLETED_MESSAGES.get(phase)
    if message is None:
        return None
    return [{"type": "Completed", "status": "True", "reason": phase, "message": message}]


ROWS: dict[str, RowFunctions] = {"pods": RowFunctions(cells=pod_cells, conditions=pod_conditions)}
