"""The generic store's REST storage: get/list/watch/create/update/patch/delete/deletecollection of any
resource type (k8s.io/apiserver registry/generic/registry.Store as the handlers drive it)."""

from __future__ import annotations

from aiohttp import web

from mockapi.api import errors
from mockapi.api.types import Obj, RequestInfo
from mockapi.endpoints.body import read_body
from mockapi.endpoints.context import RequestContext
from mockapi.endpoints.negotiation import (
    DEFAULT,
    JSON,
    decode_body,
    decode_json_value,
    negotiate,
    patch_type_of,
)
from mockapi.endpoints.render import render_list, render_object, strip_type
from mockapi.endpoints.responses import object_response
from mockapi.endpoints.typedbodies import LARGE_BODY, patched_checks, typed_body
from mockapi.endpoints.watch import serve_watch
from mockapi.registry import deletion, fieldvalidation
from mockapi.registry.managedfields.apply import (
    force_option,
    non_apply_force,
    required_field_manager,
    serve_apply,
    with_manager,
)
from mockapi.registry.options import (
    OpContext,
    delete_options,
    list_options,
    resource_version_of,
    validate_list_options,
    write_options,
)
from mockapi.registry.patch import APPLY_PATCH, apply_patch, check_patch_type
from mockapi.registry.store import ResourceStore, check_name
from mockapi.registry.strategic import walker_for_kind
from mockapi.resources.catalog import Catalog
from mockapi.resources.types import ResourceType


def op_context(ctx: RequestContext, raw: bytes = b"") -> OpContext:
    assert ctx.user is not None
    return OpContext(
        user=ctx.user,
        record=ctx.record,
        warnings=ctx.warnings,
        large=len(raw) > LARGE_BODY,
        audit_annotations=ctx.audit.annotations,
    )


class GenericRest:
    """Every verb of the generic store."""

    def __init__(self, catalog: Catalog, store: ResourceStore, *, watch_list: bool = False) -> None:
        self.catalog = catalog
        self.store = store
        self.watch_list = watch_list
        """The WatchList feature gate: whether a watch may ask for sendInitialEvents."""

    # -- reads ----------------------------------------------------------------------------------

    async def get(self, ctx: RequestContext, rt: ResourceType, info: RequestInfo) -> web.StreamResponse:
        rep = negotiate(ctx.request.headers.get("Accept", ""), allow_table=True)
        rv = resource_version_of(ctx.request.query.get("resourceVersion", ""))
        if rv:  # served at least as fresh as the revision asked for (the watch cache waits for it)
            await self.store.wait_for_revision(rv)
        obj = await self.store.get(rt, info.namespace, info.name)
        return object_response(render_object(rt, obj, rep, ctx.request.query), 200, rep)

    async def list(self, ctx: RequestContext, rt: ResourceType, info: RequestInfo) -> web.StreamResponse:
        rep = negotiate(ctx.request.headers.get("Accept", ""), allow_table=True)
        opts = list_options(ctx.request.query)
        validate_list_options(opts, watch=False, watch_list=self.watch_list)
        items, list_meta = await self.store.list(rt, info.namespace, opts)
        return object_response(render_list(rt, items, list_meta, rep, ctx.request.query), 200, rep)

    async def watch(self, ctx: RequestContext, rt: ResourceType, info: RequestInfo) -> web.StreamResponse:
        rep = negotiate(ctx.request.headers.get("Accept", ""), allow_table=True)
        validate_list_options(list_options(ctx.request.query), watch=True, watch_list=self.watch_list)
        return await serve_watch(ctx, self.store, rt, info.namespace, rep)

    # -- writes ---------------------------------------------------------------------------------

    async def create(self, ctx: RequestContext, rt: ResourceType, info: RequestInfo) -> web.StreamResponse:
        request = ctx.request
        rep = negotiate(request.headers.get("Accept", ""), allow_table=False)
        opts = write_options(request.query, request.query.getall("dryRun", []))  # options first, as upstream
        opts = with_manager(opts, request.headers.get("User-Agent", ""))
        raw = await read_body(request)
        body = await typed_body(ctx, rt, raw, opts.field_validation, self.catalog.emulated_version)
        created = await self.store.create(rt, info.namespace, body, opts, op_context(ctx, raw), private=True)
        return object_response(created, 201, rep, ctx.warnings)

    async def update(self, ctx: RequestContext, rt: ResourceType, info: RequestInfo) -> web.StreamResponse:
        request = ctx.request
        rep = negotiate(request.headers.get("Accept", ""), allow_table=False)
        opts = write_options(request.query, request.query.getall("dryRun", []), "UpdateOptions")
        opts = with_manager(opts, request.headers.get("User-Agent", ""))
        raw = await read_body(request)
        body = await typed_body(ctx, rt, raw, opts.field_validation, self.catalog.emulated_version)
        result = await self.store.update(rt, info.namespace, info.name, body, opts, op_context(ctx, raw))
        return object_response(result.object, 201 if result.created else 200, rep, ctx.warnings)

    async def patch(self, ctx: RequestContext, rt: ResourceType, info: RequestInfo) -> web.StreamResponse:
        request = ctx.request
        rep = negotiate(request.headers.get("Accept", ""), allow_table=False)
        patch_type = patch_type_of(request.headers.get("Content-Type", ""))
        schema = walker_for_kind(self.catalog.emulated_version, rt.group, rt.version, rt.kind)
        check_patch_type(patch_type, schema=schema)
        raw = await read_body(request)
        opts = write_options(request.query, request.query.getall("dryRun", []), "PatchOptions")
        mode, version = opts.field_validation, self.catalog.emulated_version
        force = force_option(request.query.get("force"))
        if patch_type == APPLY_PATCH:
            required_field_manager(opts)
            result = await serve_apply(
                self.store, rt, info.namespace, info.name, raw, opts, op_context(ctx),
                force=bool(force), schema_version=version,
            )  # fmt: skip
            return object_response(result.object, 201 if result.created else 200, rep, ctx.warnings)
        non_apply_force(force)
        opts = with_manager(opts, request.headers.get("User-Agent", ""))
        patch = decode_json_value(raw)
        checks = patched_checks(ctx, rt, patch_type, raw, mode, version)

        def transform(current: Obj) -> Obj:
            patched = apply_patch(current, patch_type, patch, schema=schema)
            checks(patched)
            check_name(patched, info.namespace if rt.namespaced else "", info.name)  # after the Go types decode
            return patched

        await self.store.get(rt, info.namespace, info.name)
        updated = await self.store.update_existing(rt, info.namespace, info.name, transform, opts, op_context(ctx))
        return object_response(updated, 200, rep, ctx.warnings)

    def _delete_body(self, raw: bytes, content_type: str) -> Obj | None:
        """DeleteOptions from a DELETE body, if any. handlers/delete.go hands a body that does not decode
        into DeleteOptions to scope.err unwrapped: 500 with no reason and json.Unmarshal's words, as here."""
        if not raw.strip():
            return None
        body = decode_body(raw, content_type or JSON)
        error = fieldvalidation.decode_error(
            "", "v1", "DeleteOptions", body, emulated_version=self.catalog.emulated_version
        )
        if error is not None:
            raise errors.plain_internal(error)
        return body

    async def delete(self, ctx: RequestContext, rt: ResourceType, info: RequestInfo) -> web.StreamResponse:
        request = ctx.request
        body = self._delete_body(await read_body(request), request.headers.get("Content-Type", ""))
        opts = delete_options(request.query, body, request.query.getall("dryRun", []))
        result, code = await deletion.delete(self.store, rt, info.namespace, info.name, opts, op_context(ctx))
        return object_response(result, code, DEFAULT, ctx.warnings)

    async def deletecollection(self, ctx: RequestContext, rt: ResourceType, info: RequestInfo) -> web.StreamResponse:
        request = ctx.request
        body = self._delete_body(await read_body(request), request.headers.get("Content-Type", ""))
        dopts = delete_options(request.query, body, request.query.getall("dryRun", []))
        lopts = list_options(request.query)
        validate_list_options(lopts, watch=False, watch_list=self.watch_list)
        items, list_meta = await self.store.list(rt, info.namespace, lopts)
        deleted: list[Obj] = []
        octx = op_context(ctx)
        for item in items:
            m = item["metadata"]
            try:
                result, _code = await deletion.delete(self.store, rt, m.get("namespace", ""), m["name"], dopts, octx)
            except errors.ApiError as err:
                if err.code == 404:
                    continue
                raise
            deleted.append(result if result.get("kind") != "Status" else item)
        out = {
            "kind": rt.list_kind,
            "apiVersion": rt.api_version,
            "metadata": {"resourceVersion": list_meta["resourceVersion"]},
            "items": [strip_type(o) for o in deleted],
        }
        return object_response(out, 200, DEFAULT, ctx.warnings)
