"""Priority (plugin/pkg/admission/priority): a pod's priority comes from its PriorityClass.

Admit (pods, no subresources):
    CREATE resolves `spec.priorityClassName` (403 when no such class), or else takes the global default
    class (the lowest-valued one if several claim it), or else priority 0; it sets `spec.priority` and
    `spec.preemptionPolicy` (PreemptLowerPriority without a class) and refuses a client-set value that
    differs. UPDATE carries both fields over from the stored pod when the new object drops them.
Validate (priorityclasses CREATE/UPDATE): only one class may be the global default. (The reserved
`system-` prefix, the user maximum and the immutable value are strategy validation, in the registry.)
"""

from __future__ import annotations

from typing import Any

from mockapi.admission.interface import AdmissionAttributes, ObjectReader
from mockapi.api import errors
from mockapi.api.types import GroupVersionResource, Obj, Operation
from mockapi.resources.priority_classes import DEFAULT_PREEMPTION_POLICY
from mockapi.resources.priority_classes import class_name as _name
from mockapi.resources.priority_classes import class_value as _value

PRIORITY_CLASSES = GroupVersionResource("scheduling.k8s.io", "v1", "priorityclasses")


class Priority:
    name = "Priority"

    def __init__(self, reader: ObjectReader) -> None:
        self.reader = reader

    def handles(self, operation: Operation) -> bool:
        return operation in (Operation.CREATE, Operation.UPDATE, Operation.DELETE)

    async def admit(self, attrs: AdmissionAttributes) -> None:
        gvr = attrs.resource
        if attrs.subresource or (gvr.group, gvr.resource) != ("", "pods") or not isinstance(attrs.object, dict):
            return
        spec = attrs.object.get("spec")
        if not isinstance(spec, dict):
            spec = attrs.object["spec"] = {}
        if attrs.operation is Operation.UPDATE:
            old_spec = (attrs.old_object or {}).get("spec") or {}
            for key in ("priority", "preemptionPolicy"):
                if spec.get(key) is None and old_spec.get(key) is not None:
                    spec[key] = old_spec[key]
        elif attrs.operation is Operation.CREATE:
            await self._admit_new_pod(attrs, spec)

    async def validate(self, attrs: AdmissionAttributes) -> None:
        gvr = attrs.resource
        if attrs.subresource or (gvr.group, gvr.resource) != (PRIORITY_CLASSES.group, PRIORITY_CLASSES.resource):
            return
        if attrs.operation not in (Operation.CREATE, Operation.UPDATE) or not isinstance(attrs.object, dict):
            return
        pc = attrs.object
        if pc.get("globalDefault") is not True:
            return
        default = await self._global_default()
        if default is None:
            return
        if attrs.operation is Operation.CREATE or _name(default) != _name(pc):
            raise _forbidden(
                attrs, f"PriorityClass {_name(default)} is already marked as default. Only one default can exist"
            )

    async def _admit_new_pod(self, attrs: AdmissionAttributes, spec: Obj) -> None:
        class_name = spec.get("priorityClassName") or ""
        policy: Any
        if not class_name:
            default = await self._global_default()
            if default is None:
                priority, policy = 0, DEFAULT_PREEMPTION_POLICY
            else:
                spec["priorityClassName"] = _name(default)
                priority, policy = _value(default), default.get("preemptionPolicy")
        else:
            pc = await self.reader.get_object(PRIORITY_CLASSES, "", class_name)
            if pc is None:
                raise _forbidden(attrs, f"no PriorityClass with name {class_name} was found")
            priority, policy = _value(pc), pc.get("preemptionPolicy")
        given = spec.get("priority")
        if given is not None and given != priority:
            raise _forbidden(
                attrs,
                f"the integer value of priority ({given}) must not be provided in pod spec; priority admission "
                f"controller computed {priority} from the given PriorityClass name",
            )
        spec["priority"] = priority
        if policy is not None:
            given_policy = spec.get("preemptionPolicy")
            if given_policy is not None and given_policy != policy:
                raise _forbidden(
                    attrs,
                    f"the string value of PreemptionPolicy ({given_policy}) must not be provided in pod spec; "
                    f"priority admission controller computed {policy} from the given PriorityClass name",
                )
            spec["preemptionPolicy"] = policy

    async def _global_default(self) -> Obj | None:
        """The global default class; when a race left several, the one with the lowest value."""
        chosen: Obj | None = None
        for pc in await self.reader.list_objects(PRIORITY_CLASSES, ""):
            if pc.get("globalDefault") is True and (chosen is None or _value(pc) < _value(chosen)):
                chosen = pc
        return chosen


def _forbidden(attrs: AdmissionAttributes, err: str) -> errors.ApiError:
    """admission.NewForbidden: named by the request, else the object's name or generateName, else Unknown."""
    gvr = attrs.resource
    m = (attrs.object or {}).get("metadata") or {}
    name = attrs.name or m.get("name") or m.get("generateName") or "Unknown"
    return errors.forbidden(gvr.group, gvr.resource, str(name), err)
