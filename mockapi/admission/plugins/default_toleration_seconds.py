"""DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds): pods ride out a node outage.

Admit (pods, CREATE and UPDATE, no subresources) appends `node.kubernetes.io/not-ready:NoExecute` and then
`node.kubernetes.io/unreachable:NoExecute`, operator Exists, for 300 seconds, each unless the pod already
tolerates that taint: a toleration whose key is the taint's or empty and whose effect is NoExecute or empty.
"""

from __future__ import annotations

from mockapi.admission.interface import AdmissionAttributes, ObjectReader
from mockapi.api.types import Obj, Operation

NOT_READY = "node.kubernetes.io/not-ready"
UNREACHABLE = "node.kubernetes.io/unreachable"
DEFAULT_TOLERATION_SECONDS = 300
"""--default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds."""


def _tolerates(tolerations: list[Obj], taint: str) -> bool:
    return any(
        (t.get("key") or "") in (taint, "") and (t.get("effect") or "") in ("NoExecute", "") for t in tolerations
    )


class DefaultTolerationSeconds:
    name = "DefaultTolerationSeconds"

    def __init__(self, reader: ObjectReader) -> None:
        self.reader = reader

    def handles(self, operation: Operation) -> bool:
        return operation in (Operation.CREATE, Operation.UPDATE)

    async def admit(self, attrs: AdmissionAttributes) -> None:
        gvr = attrs.resource
        if (gvr.group, gvr.resource) != ("", "pods") or attrs.subresource or not isinstance(attrs.object, dict):
            return
        spec = attrs.object.get("spec")
        if not isinstance(spec, dict):
            spec = attrs.object["spec"] = {}
        current = spec.get("tolerations")
        existing = [t for t in current if isinstance(t, dict)] if isinstance(current, list) else []
        added = [
            {"key": taint, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": DEFAULT_TOLERATION_SECONDS}
            for taint in (NOT_READY, UNREACHABLE)
            if not _tolerates(existing, taint)
        ]
        if added:
            spec["tolerations"] = [*(current if isinstance(current, list) else []), *added]
