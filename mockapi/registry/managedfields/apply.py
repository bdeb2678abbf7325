"""Server-side apply requests (`PATCH` with `application/apply-patch+yaml`), as k8s.io/apiserver
`handlers/patch.go` serves them with its applyPatcher.

The body is YAML or JSON (`error decoding YAML: ...` 400 otherwise). The object need not exist: the
configuration is then applied to an empty object and created (201). After the merge the object's name
and namespace must be the request's, and under `fieldValidation=Strict|Warn` the body is decoded
strictly for duplicate keys (`fieldvalidation.apply_yaml_error`). The rest is an ordinary create or
update: admission, validation, dry run, storage.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from mockapi.api import errors
from mockapi.api.decoding import DecodeError, json_value
from mockapi.api.golang import json_kind
from mockapi.api.objects import meta
from mockapi.api.types import Obj
from mockapi.api.yamljson import yaml_to_json_value
from mockapi.registry import fieldvalidation
from mockapi.registry.managedfields.manager import KindContext, apply, kind_context, manager_or_user_agent
from mockapi.registry.options import OpContext, WriteOptions
from mockapi.registry.store import Attempts, ResourceStore, UpdateResult
from mockapi.resources.types import ResourceType


def force_option(raw: str | None) -> bool | None:
    """PatchOptions.force from the `force` query parameter (Convert_Slice_string_To_Pointer_bool: `0` and
    `false` in any case are false, any other value, empty included, is true); None when absent."""
    if raw is None:
        return None
    return not (raw == "0" or raw.lower() == "false")


def with_manager(opts: WriteOptions, user_agent: str) -> WriteOptions:
    """managerOrUserAgent: without `fieldManager`, a write is managed by the User-Agent's product name."""
    manager = manager_or_user_agent(opts.field_manager, user_agent)
    if manager == opts.field_manager:
        return opts
    # built directly (every field): dataclasses.replace costs more than the rest of this on each write
    return WriteOptions(opts.dry_run, manager, opts.field_validation, opts.options)


@cache
def _context(group: str, version: str, kind: str, has_status: bool, schema_version: str) -> KindContext:
    return kind_context(group, version, kind, has_status=has_status, schema_version=schema_version)


def context_for(rt: ResourceType, schema_version: str = "1.33") -> KindContext:
    return _context(rt.group, rt.version, rt.kind, rt.subresource("status") is not None, schema_version)


def decode_configuration(raw: bytes) -> Obj:
    """`yaml.Unmarshal` of the patch into a map (sigs.k8s.io/yaml: YAML to JSON, then JSON)."""
    value: Any
    try:
        value = json_value(raw)
    except DecodeError:
        try:
            value = yaml_to_json_value(raw)
        except DecodeError as exc:
            raise errors.bad_request(f"error decoding YAML: {exc}") from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise errors.bad_request(
            "error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
            f"{json_kind(value)} into Go value of type map[string]interface {{}}"
        )
    return value


def check_target(rt: ResourceType, obj: Obj, namespace: str, name: str, *, creating: bool) -> None:
    """patcher.applyPatch after the merge: uid, namespace and name checks."""
    m = meta(obj)
    if creating and m.get("uid"):
        raise errors.conflict(
            rt.gvr,
            name,
            f"uid mismatch: the provided object specified uid {m['uid']}, and no existing object was found",
        )
    expected = namespace if rt.namespaced else ""
    current = m.get("namespace") or ""
    if current != expected:
        if not current:
            m["namespace"] = expected
        elif not expected:
            m.pop("namespace", None)
        else:
            raise errors.bad_request(
                "the namespace of the provided object does not match the namespace sent on the request"
            )
    obj_name = m.get("name") or ""
    if not obj_name:
        raise errors.bad_request(
            f"the name of the object ({name} based on URL) was undeterminable: name parameter required."
        )
    if obj_name != name:
        raise errors.bad_request(f"the name of the object ({obj_name}) does not match the name on the URL ({name})")


async def serve_apply(
    store: ResourceStore,
    rt: ResourceType,
    namespace: str,
    name: str,
    raw: bytes,
    opts: WriteOptions,
    ctx: OpContext,
    *,
    force: bool,
    schema_version: str = "1.33",
    subresource: str = "",
) -> UpdateResult:
    """Apply the configuration in `raw` as `opts.field_manager`; creates the object when there is none
    (the main resource only: a subresource of a missing object is 404, as its store does not create)."""
    config = decode_configuration(raw)
    kind = context_for(rt, schema_version)
    manager, mode = opts.field_manager, opts.field_validation

    def applied(current: Obj | None) -> Obj:
        obj = apply(kind, current, config, manager, force=force, subresource=subresource)
        check_target(rt, obj, namespace, name, creating=current is None)
        ctx.warnings.extend(fieldvalidation.apply_yaml_error(raw, mode))
        return obj

    if await store.find(rt, namespace, name) is None:
        if subresource:
            raise errors.not_found(rt.gvr, name)
        attempt = Attempts(ctx)
        try:
            created = await store.create(rt, namespace, applied(None), opts, attempt.start(), track=False)
        except errors.ApiError as err:
            if err.reason != "AlreadyExists":
                attempt.flush()
                raise
            # a concurrent create won: apply to that object instead, as the patcher's update-or-create does
        else:
            attempt.flush()
            return UpdateResult(created, True)
    updated = await store.update_existing(rt, namespace, name, applied, opts, ctx, subresource=subresource, track=False)
    return UpdateResult(updated, False)


def required_field_manager(opts: WriteOptions) -> None:
    """An apply patch names its field manager (422 on PatchOptions otherwise)."""
    if not opts.field_manager:
        raise errors.invalid_object(
            "PatchOptions", "meta.k8s.io", "", [errors.required("fieldManager", "is required for apply patch")]
        )


def non_apply_force(force: bool | None) -> None:
    """`force` belongs to apply patches alone."""
    if force is not None:
        raise errors.invalid_object(
            "PatchOptions",
            "meta.k8s.io",
            "",
            [errors.forbidden_field("force", "may not be specified for non-apply patch")],
        )
