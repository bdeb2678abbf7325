"""REST storage of pods/binding and the legacy `bindings` resource: assign a pod to a node (what a
scheduler does). The Binding is decoded and admitted as any created object; the pod is then written
straight to storage, with no strategy, validation, admission or managed-fields step, as upstream's
BindingREST does; the answer is a Success Status with code 201."""

from __future__ import annotations

from aiohttp import web

from mockapi.api import errors
from mockapi.api.types import Obj, RequestInfo
from mockapi.endpoints.context import RequestContext
from mockapi.endpoints.negotiation import negotiate
from mockapi.endpoints.responses import object_response
from mockapi.endpoints.reviews import AdmittedCreate
from mockapi.registry.reviews.binding import bind_pod, binding_error, binding_success, pod_key_error
from mockapi.registry.store import ResourceStore
from mockapi.resources.types import ResourceType


class BindingRest(AdmittedCreate):
    def __init__(self, store: ResourceStore, pods: ResourceType, bindings: ResourceType, emulated_version: str) -> None:
        super().__init__(store.admission, emulated_version)
        self.store = store
        self.pods = pods
        self.bindings = bindings

    async def create(self, ctx: RequestContext, rt: ResourceType, info: RequestInfo) -> web.StreamResponse:
        rep = negotiate(ctx.request.headers.get("Accept", ""), allow_table=False)
        legacy = not info.subresource  # POST .../bindings names the pod in the Binding itself

        def checked(binding: Obj) -> errors.ApiError | None:
            name = (binding.get("metadata") or {}).get("name", "") if legacy else info.name
            return binding_error(binding, name)

        binding, dry_run = await self.admitted(ctx, rt, info, checked, body_type=self.bindings)
        meta = binding.setdefault("metadata", {})
        if legacy:
            meta.pop("uid", None)  # the create handler wipes it here; pods/binding keeps it as a precondition
        name = meta.get("name", "") if legacy else info.name
        err = pod_key_error(name)
        if err is not None:
            raise err
        if dry_run:
            bind_pod(await self.store.get(self.pods, info.namespace, name), binding)
        else:
            await self.store.write_through(self.pods, info.namespace, name, lambda pod: bind_pod(pod, binding))
        return object_response(binding_success(), 201, rep, ctx.warnings)
