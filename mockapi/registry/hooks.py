"""Kind-specific steps the generic store calls: defaulting, BeginCreate allocation, PrepareForCreate,
validation and release of allocated resources.

One object per server, so per-server state (the Service IP allocator) is never shared between servers.
"""

from __future__ import annotations

from mockapi.api.errors import FieldError
from mockapi.api.types import Obj
from mockapi.registry import defaulting
from mockapi.registry.conversion.hpa import drop_round_trip_annotations
from mockapi.registry.metadata import drop_empty
from mockapi.resources.types import ResourceType

# top-level maps and slices tagged omitempty, per kind (the rest of the schema-driven round trip comes with
# field validation)
_TOP_LEVEL_OMITEMPTY: dict[tuple[str, str], tuple[str, ...]] = {
    ("", "ConfigMap"): ("data", "binaryData"),
    ("", "Secret"): ("data", "stringData"),
    ("rbac.authorization.k8s.io", "RoleBinding"): ("subjects",),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): ("subjects",),
}


def _is_service(rt: ResourceType) -> bool:
    return rt.group == "" and rt.plural == "services"


def _is_hpa_v2(rt: ResourceType) -> bool:
    return (rt.group, rt.version, rt.kind) == ("autoscaling", "v2", "HorizontalPodAutoscaler")


class KindHooks:
    def __init__(self, service_cidr: str = defaulting.DEFAULT_SERVICE_CIDR) -> None:
        self.service_cidr = service_cidr
        self.service_ips = defaulting.ServiceIPAllocator(service_cidr)

    def reset(self) -> None:
        self.service_ips = defaulting.ServiceIPAllocator(self.service_cidr)

    def apply_defaults(self, rt: ResourceType, obj: Obj) -> None:
        defaulting.apply_defaults(rt.group, rt.version, rt.kind, obj)
        self.normalize(rt, obj)

    def normalize(self, rt: ResourceType, obj: Obj) -> None:
        """What decoding into the Go type and encoding again does to a written object."""
        drop_empty(obj, _TOP_LEVEL_OMITEMPTY.get((rt.group, rt.kind), ()))
        # the v2 -> internal conversion drops the annotations autoscaling/v1 keeps its extra fields in
        if _is_hpa_v2(rt) and isinstance(obj.get("metadata"), dict):
            obj["metadata"] = drop_round_trip_annotations(obj["metadata"])

    def begin_create(self, rt: ResourceType, obj: Obj) -> None:
        """Allocate what the object needs before validation (the registry's BeginCreate)."""
        if not _is_service(rt):
            return
        try:
            defaulting.apply_service_allocation(obj, self.service_ips)
        except defaulting.AllocationError as exc:
            raise exc.api_error(obj["metadata"].get("name", "")) from None
        except defaulting.AllocationInternalError as exc:
            raise exc.api_error() from None

    def prepare_for_create(self, rt: ResourceType, obj: Obj) -> None:
        if rt.subresource("status") is not None:
            obj["status"] = {}
        defaulting.prepare_for_create(rt.group, rt.kind, obj)

    def validate(self, rt: ResourceType, obj: Obj, old: Obj | None = None) -> list[FieldError]:
        # imported on the first write: the rules are a large part of start-up and serve no read
        from mockapi.registry.kindvalidation import validate_kind

        return validate_kind(rt, obj, old)

    def release(self, rt: ResourceType, obj: Obj) -> None:
        """Give back what a deleted (or never stored) object had allocated."""
        if _is_service(rt):
            defaulting.release_service_allocation(obj, self.service_ips)
