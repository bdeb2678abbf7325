"""NamespaceLifecycle (apiserver/pkg/admission/plugin/namespace/lifecycle): no new content in missing or
terminating namespaces, and the immortal namespaces cannot be deleted."""

from __future__ import annotations

from mockapi.admission.interface import AdmissionAttributes, ObjectReader
from mockapi.api import errors
from mockapi.api.coregroup import NAMESPACES
from mockapi.api.types import GroupVersionResource, Operation

IMMORTAL = frozenset({"default", "kube-system", "kube-public"})
_ACCESS_REVIEW = GroupVersionResource("authorization.k8s.io", "v1", "localsubjectaccessreviews")


class NamespaceLifecycle:
    name = "NamespaceLifecycle"

    def __init__(self, reader: ObjectReader) -> None:
        self.reader = reader

    def handles(self, operation: Operation) -> bool:
        return operation in (Operation.CREATE, Operation.UPDATE, Operation.DELETE)

    async def admit(self, attrs: AdmissionAttributes) -> None:
        gvr = attrs.resource
        if attrs.operation is Operation.DELETE and gvr.group == "" and gvr.resource == "namespaces":
            if attrs.name in IMMORTAL:
                raise errors.forbidden("", "namespaces", attrs.name, "this namespace may not be deleted")
            return
        if not attrs.namespace or (gvr.group == "" and gvr.resource == "namespaces"):
            return
        if attrs.operation is Operation.DELETE:
            return
        if (gvr.group, gvr.resource) == (_ACCESS_REVIEW.group, _ACCESS_REVIEW.resource):
            return
        namespace = await self.reader.get_object(NAMESPACES, "", attrs.namespace)
        if namespace is None:
            raise errors.not_found(NAMESPACES, attrs.namespace)
        if attrs.operation is not Operation.CREATE:
            return
        if (namespace.get("status") or {}).get("phase") == "Terminating":
            name = attrs.name or (attrs.object or {}).get("metadata", {}).get("generateName", "")
            raise errors.ApiError(
                403,
                "Forbidden",
                f'{gvr.group_resource} "{name}" is forbidden: unable to create new content in namespace '
                f"{attrs.namespace} because it is being terminated",
                {
                    "name": name,
                    **({"group": gvr.group} if gvr.group else {}),
                    "kind": gvr.resource,
                    "causes": [
                        {
                            "reason": "NamespaceTerminating",
                            "message": f"namespace {attrs.namespace} is being terminated",
                            "field": "metadata.namespace",
                        }
                    ],
                },
            )
