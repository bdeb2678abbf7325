"""REST storage of the subresources served by the generic store: status, scale (autoscaling/v1 Scale),
pods/log and namespaces/finalize."""

from __future__ import annotations

from aiohttp import web

from mockapi.api import errors
from mockapi.api.types import Obj, RequestInfo
from mockapi.endpoints.body import read_body
from mockapi.endpoints.context import RequestContext
from mockapi.endpoints.negotiation import (
    decode_body,
    decode_json_value,
    negotiate,
    patch_type_of,
)
from mockapi.endpoints.resources import op_context
from mockapi.endpoints.responses import object_response
from mockapi.endpoints.scale import SCALE_TYPE, scale_apply, scale_update, to_scale
from mockapi.endpoints.typedbodies import check_typed_body, patched_checks
from mockapi.registry.managedfields.apply import (
    decode_configuration,
    force_option,
    non_apply_force,
    required_field_manager,
    serve_apply,
    with_manager,
)
from mockapi.registry.meta_rules import namespace_finalizer_errors
from mockapi.registry.options import write_options
from mockapi.registry.patch import APPLY_PATCH, apply_patch, check_patch_type
from mockapi.registry.podlogoptions import pod_log_options
from mockapi.registry.store import ResourceStore, check_name
from mockapi.registry.strategic import walker_for_kind
from mockapi.resources.types import ResourceType


class _SubresourceRest:
    def __init__(self, store: ResourceStore, emulated_version: str = "1.33") -> None:
        self.store = store
        self.emulated_version = emulated_version
        """Kubernetes version whose published schemas give strategic merge patch its metadata."""

    async def _body(self, ctx: RequestContext) -> bytes:
        return await read_body(ctx.request)


class StatusRest(_SubresourceRest):
    """`<resource>/status`: get, and writes that change status alone."""

    async def get(self, ctx: RequestContext, rt: ResourceType, info: RequestInfo) -> web.StreamResponse:
        rep = negotiate(ctx.request.headers.get("Accept", ""), allow_table=False)
        return object_response(await self.store.get(rt, info.namespace, info.name), 200, rep)

    async def update(self, ctx: RequestContext, rt: ResourceType, info: RequestInfo) -> web.StreamResponse:
        request = ctx.request
        rep = negotiate(request.headers.get("Accept", ""), allow_table=False)
        opts = write_options(request.query, request.query.getall("dryRun", []), "UpdateOptions")
        raw = await self._body(ctx)
        opts = with_manager(opts, request.headers.get("User-Agent", ""))
        body = decode_body(raw, request.headers.get("Content-Type", ""))
        check_typed_body(ctx, rt, raw, body, opts.field_validation, self.emulated_version)
        octx = op_context(ctx, raw)
        result = await self.store.update(rt, info.namespace, info.name, body, opts, octx, subresource="status")
        return object_response(result.object, 200, rep, ctx.warnings)

    async def patch(self, ctx: RequestContext, rt: ResourceType, info: RequestInfo) -> web.StreamResponse:
        request = ctx.request
        rep = negotiate(request.headers.get("Accept", ""), allow_table=False)
        opts = write_options(request.query, request.query.getall("dryRun", []), "PatchOptions")
        raw = await self._body(ctx)
        patch_type = patch_type_of(request.headers.get("Content-Type", ""))
        schema = walker_for_kind(self.emulated_version, rt.group, rt.version, rt.kind)
        check_patch_type(patch_type, schema=schema)
        force = force_option(request.query.get("force"))
        if patch_type == APPLY_PATCH:
            required_field_manager(opts)
            result = await serve_apply(
                self.store, rt, info.namespace, info.name, raw, opts, op_context(ctx),
                force=bool(force), schema_version=self.emulated_version, subresource="status",
            )  # fmt: skip
            return object_response(result.object, 200, rep, ctx.warnings)
        non_apply_force(force)
        opts = with_manager(opts, request.headers.get("User-Agent", ""))
        patch = decode_json_value(raw)
        namespace = info.namespace if rt.namespaced else ""

        checks = patched_checks(ctx, rt, patch_type, raw, opts.field_validation, self.emulated_version)

        def patched(current: Obj) -> Obj:
            out = apply_patch(current, patch_type, patch, schema=schema)
            checks(out)
            check_name(out, namespace, info.name)
            return out

        await self.store.get(rt, info.namespace, info.name)
        updated = await self.store.update_existing(
            rt,
            info.namespace,
            info.name,
            patched,
            opts,
            op_context(ctx),
            subresource="status",
        )
        return object_response(updated, 200, rep, ctx.warnings)


class ScaleRest(_SubresourceRest):
    """`<workload>/scale`: the autoscaling/v1 Scale view of a workload's replicas."""

    async def get(self, ctx: RequestContext, rt: ResourceType, info: RequestInfo) -> web.StreamResponse:
        return await self._scale(ctx, rt, info)

    async def update(self, ctx: RequestContext, rt: ResourceType, info: RequestInfo) -> web.StreamResponse:
        return await self._scale(ctx, rt, info)

    async def patch(self, ctx: RequestContext, rt: ResourceType, info: RequestInfo) -> web.StreamResponse:
        return await self._scale(ctx, rt, info)

    async def _scale(self, ctx: RequestContext, rt: ResourceType, info: RequestInfo) -> web.StreamResponse:
        request = ctx.request
        rep = negotiate(request.headers.get("Accept", ""), allow_table=False)
        patch_type = patch_type_of(request.headers.get("Content-Type", ""))
        schema = walker_for_kind(self.emulated_version, "autoscaling", "v1", "Scale")
        if info.verb == "patch":  # the patch type is checked first: 415 before 404, as upstream
            check_patch_type(patch_type, schema=schema)
        current = await self.store.get(rt, info.namespace, info.name)
        if info.verb == "get":
            return object_response(to_scale(rt, current), 200, rep)
        opts = write_options(request.query, request.query.getall("dryRun", []), _options_kind(info.verb))
        raw = await self._body(ctx)
        force = force_option(request.query.get("force")) if info.verb == "patch" else None
        applying = info.verb == "patch" and patch_type == APPLY_PATCH
        if applying:
            required_field_manager(opts)
            config = decode_configuration(raw)
            transform = scale_apply(rt, info, config, opts.field_manager, bool(force), self.emulated_version)
        else:
            non_apply_force(force)
            opts = with_manager(opts, request.headers.get("User-Agent", ""))
            if info.verb == "update":
                # `kubectl scale --current-replicas` sends no Content-Type: that means JSON
                content_type = request.headers.get("Content-Type", "")
                scale = decode_body(raw, content_type)
                check_typed_body(ctx, SCALE_TYPE, raw, scale, opts.field_validation, self.emulated_version)
            else:
                scale = apply_patch(to_scale(rt, current), patch_type, decode_json_value(raw), schema=schema)
                patched_checks(ctx, SCALE_TYPE, patch_type, raw, opts.field_validation, self.emulated_version)(scale)
            check_name(scale, info.namespace, info.name)  # the Scale names its parent
            transform = scale_update(info, scale)
        updated = await self.store.update_existing(
            rt, info.namespace, info.name, transform, opts, op_context(ctx), subresource="scale", track=not applying
        )
        return object_response(to_scale(rt, updated), 200, rep, ctx.warnings)


class PodLogRest(_SubresourceRest):
    """`pods/log`."""

    async def get(self, ctx: RequestContext, rt: ResourceType, info: RequestInfo) -> web.StreamResponse:
        """No container runs yet, so a pod's log is what kube-apiserver serves before the kubelet has one."""
        opts = pod_log_options(ctx.request.query, info.name)
        pod = await self.store.get(rt, info.namespace, info.name)
        container = opts.container
        spec = pod.get("spec") or {}
        names = [
            c.get("name", "")
            for key in ("initContainers", "containers", "ephemeralContainers")
            for c in spec.get(key) or []
        ]
        if not container:
            containers = spec.get("containers") or []
            if len(containers) == 0:
                raise errors.bad_request(f"a container name must be specified for pod {info.name}")
            if len(containers) > 1:
                raise errors.bad_request(
                    f"a container name must be specified for pod {info.name}, choose one of: [{' '.join(names)}]"
                )
            container = containers[0].get("name", "")
        elif container not in names:
            raise errors.bad_request(f"container {container} is not valid for pod {info.name}")
        if not spec.get("nodeName"):
            # LogLocation returns no location for an unscheduled pod: the stream is empty
            return web.Response(body=b"", status=200, content_type="text/plain")
        raise errors.bad_request(f'container "{container}" in pod "{info.name}" is waiting to start: ContainerCreating')


class NamespaceFinalizeRest(_SubresourceRest):
    """`namespaces/finalize`: replaces spec.finalizers alone."""

    async def update(self, ctx: RequestContext, rt: ResourceType, info: RequestInfo) -> web.StreamResponse:
        request = ctx.request
        rep = negotiate(request.headers.get("Accept", ""), allow_table=False)
        raw, content_type = await self._body(ctx), request.headers.get("Content-Type", "")
        body = decode_body(raw, content_type)
        opts = write_options(request.query, request.query.getall("dryRun", []), "UpdateOptions")
        check_typed_body(ctx, rt, raw, body, opts.field_validation, self.emulated_version)
        check_name(body, "", info.name)
        finalizers = (body.get("spec") or {}).get("finalizers") or []
        errs = namespace_finalizer_errors(finalizers)
        if errs:
            raise errors.invalid_object(rt.kind, rt.group, info.name, errs)

        def transform(obj: Obj) -> Obj:
            obj.setdefault("spec", {})["finalizers"] = finalizers
            if not finalizers:
                obj["spec"].pop("finalizers")
            return obj

        updated = await self.store.update_existing(rt, "", info.name, transform, opts, op_context(ctx))
        return object_response(updated, 200, rep, ctx.warnings)


def _options_kind(verb: str) -> str:
    return "UpdateOptions" if verb == "update" else "PatchOptions"
