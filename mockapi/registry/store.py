"""Generic REST semantics for every built-in resource (k8s.io/apiserver registry/generic/registry/store.go).

Order of checks follows kube-apiserver exactly:
  create: decode -> namespace check -> mutating admission -> system fields/generateName -> validation (422)
          -> validating admission -> storage (409)
  update: read (404) -> mutating admission -> resourceVersion precondition (409) -> validation (422)
          -> validating admission -> storage
  delete: read (404) -> preconditions (409) -> admission (mutating, validating) -> finalizers/graceful -> storage
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from mockapi.api import errors
from mockapi.api.admission import Admission, AdmissionAttributes
from mockapi.api.jsonio import go_json
from mockapi.api.objects import clone, generate_name, meta, new_uid
from mockapi.api.types import GroupVersionKind, Obj, Operation, StageRecord
from mockapi.registry import listing, managedfields
from mockapi.registry import metadata as sysmeta
from mockapi.registry.conversion import StorageViews, storage_key
from mockapi.registry.hooks import KindHooks
from mockapi.registry.meta_rules import object_meta_update_errors
from mockapi.registry.options import ListOptions, OpContext, WriteOptions
from mockapi.registry.strategy import strategy_for
from mockapi.registry.validation import validate_object_meta
from mockapi.resources.types import ResourceType
from mockapi.storage.errors import KeyExists, KeyNotFound, PreconditionFailed
from mockapi.storage.interface import Storage

Transform = Callable[[Obj], Obj]
"""Computes the new object from a private copy of the stored one."""


@dataclass(frozen=True, slots=True)
class UpdateResult:
    object: Obj
    created: bool


class ResourceStore:
    """Create, read, update and delete objects of any resource type."""

    def __init__(self, storage: Storage, admission: Admission, hooks: KindHooks) -> None:
        self.storage = storage
        self.views = StorageViews(storage)
        """Each resource type's view of the storage: stored in its storage version, served in its own."""
        self.admission = admission
        self.hooks = hooks

    # -- reads ----------------------------------------------------------------------------------

    async def get(self, rt: ResourceType, namespace: str, name: str) -> Obj:
        try:
            return await self.views(rt).get(storage_key(rt, namespace, name))
        except KeyNotFound:
            raise errors.not_found(rt.gvr, name) from None

    async def find(self, rt: ResourceType, namespace: str, name: str) -> Obj | None:
        try:
            return await self.views(rt).get(storage_key(rt, namespace, name))
        except KeyNotFound:
            return None

    async def list(self, rt: ResourceType, namespace: str, opts: ListOptions) -> tuple[list[Obj], Obj]:
        """The items and the ListMeta of a list request, served in `rt`'s version."""
        return await listing.list_objects(self.views(rt), rt, namespace, opts)

    async def open_watch(self, rt: ResourceType, namespace: str, opts: ListOptions) -> listing.WatchStream:
        return await listing.open_watch(self.views(rt), rt, namespace, opts)

    async def current_revision(self) -> int:
        return await self.storage.current_revision()

    async def wait_for_revision(self, rv: int) -> None:
        """Served at least as fresh as `rv`: waits briefly for a revision not reached yet, then 504."""
        await listing.wait_for_rv(self.storage, rv)

    # -- create ---------------------------------------------------------------------------------

    async def create(
        self,
        rt: ResourceType,
        namespace: str,
        body: Obj,
        opts: WriteOptions,
        ctx: OpContext,
        *,
        track: bool = True,
        private: bool = False,
    ) -> Obj:
        """`track=False`: the body's managedFields are already decided (server-side apply). `private=True`:
        the body is the caller's to give away (a request body just decoded), so it is not copied."""

        def prepared() -> Obj:
            obj = self._decoded(rt, namespace, body, private=private)
            sysmeta.wipe_system_fields(obj)
            if track:
                managedfields.track_write(rt, None, obj, opts.field_manager, ctx.user.name)
            return obj

        obj = await asyncio.to_thread(prepared) if ctx.large else prepared()  # pure work on a private copy
        m = meta(obj)
        attrs = self._attrs(Operation.CREATE, rt, namespace, m.get("name", ""), obj, None, opts, ctx)
        await self.admission.admit(attrs, ctx.record)
        if not m.get("name") and m.get("generateName"):
            m["name"] = generate_name(m["generateName"])
        sysmeta.fill_on_create(obj)
        strategy = strategy_for(rt)
        if strategy.generation:
            m["generation"] = 1
        self.hooks.begin_create(rt, obj)
        try:
            stored = await self._finish_create(rt, namespace, obj, attrs, opts, ctx)
        except BaseException:
            self.hooks.release(rt, obj)
            raise
        if opts.dry_run:
            self.hooks.release(rt, obj)
        return stored

    async def _finish_create(
        self,
        rt: ResourceType,
        namespace: str,
        obj: Obj,
        attrs: AdmissionAttributes,
        opts: WriteOptions,
        ctx: OpContext,
    ) -> Obj:
        m = obj["metadata"]
        self.hooks.prepare_for_create(rt, obj)
        await self._validate(rt, obj, ctx)
        attrs.name = m["name"]
        await self.admission.validate(attrs, ctx.record)
        report_admission(attrs, ctx)
        rv = m.pop("resourceVersion", None)
        if rv not in (None, "") and str(rv).isdigit() and int(rv) != 0:
            raise errors.plain_internal("resourceVersion should not be set on objects to be created")
        if opts.dry_run:
            if await self.find(rt, namespace, m["name"]) is not None:
                raise errors.already_exists(rt.gvr, m["name"])
            return obj
        try:
            return await self.views(rt).create(storage_key(rt, namespace, m["name"]), obj)
        except KeyExists:
            existing = await self.find(rt, namespace, m["name"])
            deleting = existing is not None and "deletionTimestamp" in existing.get("metadata", {})
            ctx.record(StageRecord("storage", "deny", "storage", "AlreadyExists"))
            prefix = "object is being deleted: " if deleting else ""
            raise errors.already_exists(rt.gvr, m["name"], prefix=prefix) from None

    # -- update ---------------------------------------------------------------------------------

    async def update(
        self,
        rt: ResourceType,
        namespace: str,
        name: str,
        body: Obj,
        opts: WriteOptions,
        ctx: OpContext,
        *,
        subresource: str = "",
    ) -> UpdateResult:
        obj = self._decoded(rt, namespace, body)
        if _sends_reset(body):
            meta(obj)["managedFields"] = []
        check_name(obj, namespace if rt.namespaced else "", name)
        m = meta(obj)
        strategy = strategy_for(rt)
        existing = await self.find(rt, namespace, name)
        if existing is None:
            if strategy.create_on_update and not subresource:
                return UpdateResult(await self.create(rt, namespace, obj, opts, ctx), True)
            raise errors.not_found(rt.gvr, name)
        sent_uid = m.get("uid")

        def replaced(current: Obj) -> Obj:
            # the body's uid is a storage precondition of a PUT (rest.DefaultUpdatedObjectInfo)
            stored_uid = current["metadata"].get("uid", "")
            if sent_uid and sent_uid != stored_uid:
                detail = f"Precondition failed: UID in precondition: {sent_uid}, UID in object meta: {stored_uid}"
                raise errors.conflict(rt.gvr, name, detail)
            return clone(obj)  # every attempt starts from the body as sent, never from a retried attempt's

        return UpdateResult(await self._update_with(rt, namespace, name, replaced, opts, ctx, subresource), False)

    async def update_existing(
        self,
        rt: ResourceType,
        namespace: str,
        name: str,
        transform: Transform,
        opts: WriteOptions,
        ctx: OpContext,
        *,
        subresource: str = "",
        track: bool = True,
    ) -> Obj:
        """Update by applying `transform(current) -> new` (used by patch handlers); `track=False`: the
        transform decides the managedFields itself (server-side apply)."""
        return await self._update_with(rt, namespace, name, transform, opts, ctx, subresource, track)

    async def _update_with(
        self,
        rt: ResourceType,
        namespace: str,
        name: str,
        transform: Transform,
        opts: WriteOptions,
        ctx: OpContext,
        subresource: str,
        track: bool = True,
    ) -> Obj:
        strategy = strategy_for(rt)
        key = storage_key(rt, namespace, name)
        attempts = Attempts(ctx)
        admission_uid = new_uid()

        def prepared(current: Obj, octx: OpContext) -> Obj:
            new: Obj = transform(clone(current))
            reset = _sends_reset(new)
            self.hooks.apply_defaults(rt, new)  # the patched or replaced object is decoded (and defaulted) anew
            if track:
                if reset:
                    meta(new)["managedFields"] = []  # before admission, as the handlers call the field manager
                managedfields.track_write(rt, current, new, opts.field_manager, octx.user.name, subresource)
            return new

        async def fn(current: Obj) -> Obj:
            """One attempt of the guaranteed update; the storage retries it on a fresh copy of a newer state."""
            octx = attempts.start()
            try:
                new = await asyncio.to_thread(prepared, current, octx) if ctx.large else prepared(current, octx)
            except errors.ApiError as err:
                if err.code == 409:  # a PUT's uid precondition
                    octx.record(StageRecord("storage", "deny", "storage", "Conflict"))
                raise
            new_meta = meta(new)
            sent_rv = new_meta.get("resourceVersion", "")
            attrs = self._attrs(Operation.UPDATE, rt, namespace, name, new, current, opts, octx, subresource)
            attrs.uid = admission_uid
            await self.admission.admit(attrs, octx.record)
            current_rv = current["metadata"]["resourceVersion"]
            if sent_rv and sent_rv != current_rv:
                octx.record(StageRecord("storage", "deny", "storage", "Conflict"))
                raise errors.conflict(rt.gvr, name, errors.OBJECT_MODIFIED)
            if not sent_rv and not strategy.unconditional_update:
                raise errors.invalid_object(
                    rt.plural,
                    rt.group,
                    name,
                    [errors.invalid("metadata.resourceVersion", 0, "must be specified for an update")],
                )
            sysmeta.keep_system_fields(new, current)
            new["apiVersion"], new["kind"] = current["apiVersion"], current["kind"]
            if subresource == "status":
                tracked = meta(new).get("managedFields")
                new = _only_status(new, current)
                meta(new).pop("managedFields", None)
                if tracked:
                    meta(new)["managedFields"] = tracked
            elif rt.subresource("status") is not None and not subresource:
                _keep_status(new, current)
            if strategy.generation and sysmeta.spec_changed(new, current, strategy.spec_fields):
                meta(new)["generation"] = int(current["metadata"].get("generation", 0)) + 1
            await self._validate(rt, new, octx, current, subresource)
            attrs.object = new
            await self.admission.validate(attrs, octx.record)
            report_admission(attrs, octx)
            meta(new)["resourceVersion"] = current_rv
            return new

        try:
            if opts.dry_run:
                current = await self.views(rt).get(key)
                return await fn(clone(current))
            updated = await self.views(rt).guaranteed_update(key, fn)
        except KeyNotFound:
            raise errors.not_found(rt.gvr, name) from None
        finally:
            attempts.flush()
        if updated["metadata"].get("deletionTimestamp") and not sysmeta.pending_finalizers(updated):
            try:
                return await self.views(rt).delete(key)
            except KeyNotFound:
                return updated
        return updated

    async def write_through(self, rt: ResourceType, namespace: str, name: str, fn: Transform) -> Obj:
        """Change a stored object with no strategy, validation, admission or managed-fields step, as a
        REST storage that writes its parent directly does (pods/binding); 404 when it is gone."""

        async def changed(current: Obj) -> Obj:
            return fn(current)

        try:
            return await self.views(rt).guaranteed_update(storage_key(rt, namespace, name), changed)
        except KeyNotFound:
            raise errors.not_found(rt.gvr, name) from None

    # -- helpers --------------------------------------------------------------------------------

    def _decoded(self, rt: ResourceType, namespace: str, body: Obj, *, private: bool = False) -> Obj:
        """Check apiVersion/kind and namespace of a request body; returns a private, defaulted copy (the
        body itself, changed, when it is `private` already)."""
        obj = body if private else clone(body)
        check_kind(rt, obj)
        out: Obj = {"kind": rt.kind, "apiVersion": rt.api_version}
        out.update((k, v) for k, v in obj.items() if k not in ("kind", "apiVersion"))
        m = meta(out)
        if rt.namespaced:
            body_ns = m.get("namespace", "")
            if body_ns and body_ns != namespace:
                raise errors.bad_request(
                    "the namespace of the provided object does not match the namespace sent on the request"
                )
            m["namespace"] = namespace
        else:
            m.pop("namespace", None)
        self.hooks.apply_defaults(rt, out)
        return out

    async def _validate(
        self, rt: ResourceType, obj: Obj, ctx: OpContext, old: Obj | None = None, subresource: str = ""
    ) -> None:
        """422 with every field error; for a large object the rules run in a thread (pure functions of
        private copies), so the event loop keeps serving others."""
        if ctx.large:
            err = await asyncio.to_thread(self._invalid, rt, obj, old, subresource)
        else:
            err = self._invalid(rt, obj, old, subresource)
        if err is not None:
            ctx.record(StageRecord("validation", "deny", "registry", err.message))
            raise err

    def _invalid(self, rt: ResourceType, obj: Obj, old: Obj | None, subresource: str) -> errors.ApiError | None:
        m = obj["metadata"]
        errs = validate_object_meta(m, namespaced=rt.namespaced, name_validator=strategy_for(rt).name_validator)
        if old is not None:
            errs.extend(object_meta_update_errors(m, old["metadata"]))
        if subresource != "status":  # a status write keeps the stored spec; its kind rules are the spec's
            errs.extend(self.hooks.validate(rt, obj, old))
        return errors.invalid_object(rt.kind, rt.group, m.get("name", ""), errs) if errs else None

    def _attrs(
        self,
        op: Operation,
        rt: ResourceType,
        namespace: str,
        name: str,
        obj: Obj | None,
        old: Obj | None,
        opts: WriteOptions,
        ctx: OpContext,
        subresource: str = "",
    ) -> AdmissionAttributes:
        return AdmissionAttributes(
            operation=op,
            resource=rt.gvr,
            kind=GroupVersionKind(rt.group, rt.version, rt.kind),
            namespace=namespace if rt.namespaced else "",
            name=name,
            subresource=subresource,
            object=obj,
            old_object=old,
            user=ctx.user,
            dry_run=opts.dry_run,
            options=opts.options,
        )


def report_admission(attrs: AdmissionAttributes, ctx: OpContext) -> None:
    """What the plugins left for the response (warnings) and for the audit event (annotations)."""
    ctx.warnings.extend(attrs.warnings)
    for key, value in attrs.audit_annotations.items():
        ctx.audit_annotations.setdefault(key, value)


def check_kind(rt: ResourceType, body: Obj) -> None:
    """A body's apiVersion and kind, when set, are the resource's (400 otherwise, as the decoder answers)."""
    api_version = body.get("apiVersion") or rt.api_version
    kind = body.get("kind") or rt.kind
    if api_version != rt.api_version:
        raise errors.bad_request(
            f"the API version in the data ({api_version}) does not match the expected API version ({rt.api_version})"
        )
    if kind != rt.kind:
        raise errors.bad_request(
            f'{kind} in version "{rt.version}" cannot be handled as a {rt.kind}: '
            f"the object kind {kind} does not match the expected kind {rt.kind}"
        )


@dataclass(slots=True)
class Attempts:
    """The stage records, warnings and audit annotations of a write the storage may retry: each attempt of
    the store's own steps (admission, validation) reports into its own buffer, and only the last attempt's
    reports reach the request, once (`flush`), whatever the outcome. (A handler's patch transform warns
    straight onto the request; repeats of a warning are sent once, as responses dedupe them.)"""

    ctx: OpContext
    records: list[StageRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    annotations: dict[str, str] = field(default_factory=dict)

    def start(self) -> OpContext:
        """A context for a new attempt: the previous attempt's reports are dropped."""
        self.records, self.warnings, self.annotations = [], [], {}
        return replace(self.ctx, record=self.records.append, warnings=self.warnings, audit_annotations=self.annotations)

    def flush(self) -> None:
        for entry in self.records:
            self.ctx.record(entry)
        self.ctx.warnings.extend(self.warnings)
        for key, value in self.annotations.items():
            self.ctx.audit_annotations.setdefault(key, value)
        self.records, self.warnings, self.annotations = [], [], {}


def ensure_namespace(obj: Obj, namespace: str) -> None:
    """rest.EnsureObjectNamespaceMatchesRequestNamespace: an unset namespace takes the request's, a
    cluster-scoped object (`namespace` "") loses any, another namespace is 400."""
    m = meta(obj)
    body_namespace = m.get("namespace", "")
    if not namespace:
        m.pop("namespace", None)
    elif not body_namespace:
        m["namespace"] = namespace
    elif body_namespace != namespace:
        raise errors.bad_request(
            "the namespace of the provided object does not match the namespace sent on the request"
        )


def check_name(obj: Obj, namespace: str, name: str) -> None:
    """What the patcher checks of a patched object before admission (400): its namespace is the request's
    (rest.EnsureObjectNamespaceMatchesRequestNamespace: unset takes the request's, a cluster-scoped object
    loses any), then its name is the URL's (handlers.checkName). `namespace` is "" for cluster scope."""
    ensure_namespace(obj, namespace)
    m = meta(obj)
    body_name = m.get("name", "")
    if body_name != name:
        shown = body_name if isinstance(body_name, str) else go_json(body_name).decode()
        raise errors.bad_request(f"the name of the object ({shown}) does not match the name on the URL ({name})")


def _sends_reset(obj: Obj) -> bool:
    """`managedFields: []` decodes to an empty, non-nil slice, which the field manager reads as "reset"
    (defaulting drops it from the JSON form, so it is carried past it)."""
    m = obj.get("metadata")
    return isinstance(m, dict) and m.get("managedFields") == []


def _only_status(new: Obj, current: Obj) -> Obj:
    """A status update changes status alone; everything else stays as stored."""
    out = clone(current)
    if "status" in new:
        out["status"] = new["status"]
    else:
        out.pop("status", None)
    return out


def _keep_status(new: Obj, current: Obj) -> None:
    """With a status subresource, the main resource ignores status changes."""
    if "status" in current:
        new["status"] = current["status"]
    else:
        new.pop("status", None)


def precondition_conflict(rt: ResourceType, name: str, err: PreconditionFailed) -> errors.ApiError:
    return errors.conflict(rt.gvr, name, str(err))
