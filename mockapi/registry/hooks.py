"""Kind-specific steps the generic store calls: defaulting, PrepareForCreate, validation, allocation.

One object per server, so per-server state (the Service IP allocator) is never shared between servers.
"""

from __future__ import annotations

from mockapi.api.errors import FieldError, invalid
from mockapi.api.types import Obj
from mockapi.registry import defaults
from mockapi.registry.kind_validation import validate_kind
from mockapi.resources.types import ResourceType


class KindHooks:
    def __init__(self, service_cidr: str = "10.96.0.0/12") -> None:
        self.service_cidr = service_cidr
        self.service_ips = defaults.ServiceIPAllocator(service_cidr)

    def reset(self) -> None:
        self.service_ips = defaults.ServiceIPAllocator(self.service_cidr)

    def apply_defaults(self, rt: ResourceType, obj: Obj) -> None:
        defaults.apply_defaults(rt.group, rt.version, rt.kind, obj)

    def prepare_for_create(self, rt: ResourceType, obj: Obj) -> None:
        if rt.subresource("status") is not None:
            obj["status"] = {}
        defaults.prepare_for_create(rt.group, rt.kind, obj)

    def validate(self, rt: ResourceType, obj: Obj) -> list[FieldError]:
        return validate_kind(rt, obj)

    async def before_store_create(self, rt: ResourceType, obj: Obj) -> None:
        if rt.group == "" and rt.plural == "services":
            try:
                defaults.apply_service_allocation(obj, self.service_ips)
            except ValueError as exc:
                from mockapi.api.errors import invalid_object

                raise invalid_object(
                    "Service", "", obj["metadata"]["name"],
                    [invalid("spec.clusterIPs", obj.get("spec", {}).get("clusterIPs", []), str(exc))],
                ) from None

    async def after_failed_create(self, rt: ResourceType, obj: Obj) -> None:
        await self.after_delete(rt, obj)

    async def after_delete(self, rt: ResourceType, obj: Obj) -> None:
        if rt.group == "" and rt.plural == "services":
            for ip in (obj.get("spec") or {}).get("clusterIPs") or []:
                if ip and ip != "None":
                    self.service_ips.release(ip)
