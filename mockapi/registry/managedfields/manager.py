"""`metadata.managedFields` on writes: kube-apiserver's field manager (k8s.io/apimachinery
`pkg/util/managedfields/internal`), its wrappers in their order:

    versionCheck -> lastAppliedUpdater -> lastAppliedManager -> skipNonApplied -> capManagers
      -> buildManagerInfo -> managedFieldsUpdater -> stripMeta -> structuredMerge (`updater`)

* Update (create, update, patch): the writer `<fieldManager>` (operation Update, the kind's
  apiVersion, the subresource) takes the fields the write added or changed; a write that changes
  nothing changes no entry. Managed fields sent with the object replace the stored ones when they
  decode (`[]` or `[{}]` clears them); a subresource write always starts from the stored ones. An
  object that has none gets none from an update (tracking starts at creation or at the first apply).
* Apply: see `updater.apply`; before the first apply to an object without managed fields, everything
  it holds is credited to `before-first-apply`. For `fieldManager=kubectl`, conflicts with fields the
  `kubectl.kubernetes.io/last-applied-configuration` annotation shows as client-side applied (and
  unchanged since) are forced, and the annotation is rewritten to the applied configuration.
* At most 10 Update entries are kept: the oldest merge into `ancient-changes`.
* Entries are sorted by operation, time, manager, apiVersion, subresource.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import orjson

from mockapi.api import errors
from mockapi.api.jsonio import go_json
from mockapi.api.objects import clone, meta
from mockapi.api.types import Obj
from mockapi.registry.managedfields import gotyped
from mockapi.registry.managedfields.created import created_set, remove_members
from mockapi.registry.managedfields.entries import (
    CURRENT,
    DecodeError,
    Managed,
    ManagerKey,
    decode,
    encode,
    is_reset,
    now_rfc3339,
    seconds,
    set_managed_fields,
    sort_key,
)
from mockapi.registry.managedfields.entries import manager_for_user as manager_for_user  # re-exported
from mockapi.registry.managedfields.entries import manager_or_user_agent as manager_or_user_agent
from mockapi.registry.managedfields.fieldpath import PathElement, Set, path_string
from mockapi.registry.managedfields.schema import DEDUCED, Ref, kind_type
from mockapi.registry.managedfields.typed import TypedError, compare, to_field_set, validate
from mockapi.registry.managedfields.updater import Conflicts, Managers, VersionedSet
from mockapi.registry.managedfields.updater import apply as smd_apply
from mockapi.registry.managedfields.updater import update as smd_update

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
MAX_UPDATE_MANAGERS = 10
_ANNOTATIONS_SIZE_LIMIT = 256 * 1024


# -- the kind ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KindContext:
    group: str
    version: str
    kind: str
    ref: Ref
    has_status: bool
    """The main resource resets status (a status subresource owns it): neither an update nor an apply
    of the main resource manages it."""

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    def gvk(self) -> str:
        return f"{self.group}/{self.version}, Kind={self.kind}"

    def empty(self) -> Obj:
        return clone(_empty(self.api_version, self.kind))

    def typed_empty(self) -> Obj:
        """`typed(empty())`, the left side of every create."""
        return clone(_typed_empty(self.api_version, self.kind))

    def typed(self, obj: Obj) -> Obj:
        view = gotyped.typed_view(obj, self.api_version, self.kind)
        view.get("metadata", {}).pop("managedFields", None)
        return view


@cache
def _empty(api_version: str, kind: str) -> Obj:
    return gotyped.empty_object(api_version, kind)


@cache
def _typed_empty(api_version: str, kind: str) -> Obj:
    view = gotyped.typed_view(_empty(api_version, kind), api_version, kind)
    view.get("metadata", {}).pop("managedFields", None)
    return view


def kind_context(group: str, version: str, kind: str, *, has_status: bool, schema_version: str = "1.33") -> KindContext:
    ref = kind_type(schema_version, group, version, kind)
    return KindContext(group, version, kind, ref if ref is not None else DEDUCED, has_status)


# -- the chain ---------------------------------------------------------------------------------


_STRIP = Set.of(
    (PathElement.field("apiVersion"),),
    (PathElement.field("kind"),),
    (PathElement.field("metadata"),),
    *(
        (PathElement.field("metadata"), PathElement.field(name))
        for name in (
            "name",
            "namespace",
            "creationTimestamp",
            "selfLink",
            "uid",
            "clusterName",
            "generation",
            "managedFields",
            "resourceVersion",
        )
    ),
)


def _strip(fields: Managers, key: ManagerKey) -> None:
    """stripMetaManager: nobody manages type and system metadata."""
    owned = fields.get(key)
    if owned is None:
        return
    rest = owned.set.difference(_STRIP)
    if rest.empty():
        del fields[key]
    else:
        fields[key] = VersionedSet(rest, owned.api_version, owned.applied)


def _cap(managed: Managed) -> None:
    """capManagersManager: the oldest Update entries beyond the tenth merge into `ancient-changes`."""
    updaters = [k for k, owned in managed.fields.items() if not owned.applied]
    if len(updaters) <= MAX_UPDATE_MANAGERS:
        return
    updaters.sort(key=lambda k: (seconds(managed.times.get(k)), k.identifier()))
    first_of_version: dict[str, ManagerKey] = {}
    length = len(updaters)
    for key in updaters:
        if length <= MAX_UPDATE_MANAGERS:
            break
        owned, when = managed.fields[key], managed.times.get(key)
        bucket = ManagerKey("ancient-changes", "Update", owned.api_version)
        first = first_of_version.get(owned.api_version)
        if first is None:
            first_of_version[owned.api_version] = key
            continue
        if bucket not in managed.fields:
            managed.fields[bucket] = managed.fields.pop(first)
        merged = owned.set.union(managed.fields[bucket].set)
        managed.fields[bucket] = VersionedSet(merged, owned.api_version, owned.applied)
        del managed.fields[key]
        length -= 1
        managed.times[bucket] = when


def _track(ctx: KindContext, live: Obj, new: Obj, managed: Managed, manager: str, subresource: str) -> Managed:
    """capManagers -> buildManagerInfo -> managedFieldsUpdater -> stripMeta -> structuredMerge, for an Update."""
    key = ManagerKey(manager or "unknown", "Update", ctx.api_version, subresource)
    fields = smd_update(live, new, ctx.ref, ctx.api_version, managed.fields, CURRENT, sort_key)
    _strip(fields, CURRENT)
    times = dict(managed.times)
    current = fields.pop(CURRENT, None)
    if current is not None:
        previous = fields.get(key)
        owned = current.set.union(previous.set) if previous is not None else current.set
        fields[key] = VersionedSet(owned, current.api_version, current.applied)
        times[key] = now_rfc3339()
    result = Managed(fields, times)
    _cap(result)
    return result


def _with_status_of(obj: Obj, source: Obj) -> Obj:
    out = dict(obj)
    if "status" in source:
        out["status"] = source["status"]
    else:
        out.pop("status", None)
    return out


def track_update(ctx: KindContext, live: Obj | None, new: Obj, manager: str, subresource: str = "") -> None:
    """FieldManager.UpdateNoErrors: sets `new`'s managedFields for a create (`live` None) or update."""
    if live is None and not subresource and meta(new).get("managedFields") is None:
        track_create(ctx, new, manager)
        return
    track_by_diff(ctx, live, new, manager, subresource)


def track_create(ctx: KindContext, new: Obj, manager: str) -> None:
    """`track_by_diff(ctx, None, new, ...)` for a create that sends no managed fields, without its
    bookkeeping: nobody else owns anything, so the writer's entry is what the object sets beyond its
    kind's empty object (`created_set`), type and system metadata aside. Same entries, byte for byte."""
    m = meta(new)
    m.pop("managedFields", None)
    empty = _empty(ctx.api_version, ctx.kind)  # read, never changed: no copy
    view = _with_status_of(new, empty) if ctx.has_status else new
    try:
        owned = created_set(_typed_empty(ctx.api_version, ctx.kind), ctx.typed(view), ctx.ref)
        remove_members(owned, _STRIP)  # stripMetaManager
        if owned.empty():
            return
        entry = {
            "manager": manager or "unknown",
            "operation": "Update",
            "apiVersion": ctx.api_version,
            "time": now_rfc3339(),
            "fieldsType": "FieldsV1",
            "fieldsV1": owned.to_fields(),
        }
    except (TypedError, DecodeError, ValueError, TypeError, KeyError):
        return  # as the diff: no managed fields
    m["managedFields"] = [entry]


def track_by_diff(ctx: KindContext, live: Obj | None, new: Obj, manager: str, subresource: str = "") -> None:
    """The general case of `track_update`: what the write changed, from a diff of the typed objects."""
    creating = live is None
    live_obj = ctx.empty() if live is None else live
    previous = meta(live_obj).get("managedFields")
    try:
        managed = _live_or_new(live_obj, new, bool(subresource))
        meta(new).pop("managedFields", None)
        if subresource == "status":
            view = _with_status_of(live_obj, new)
        elif ctx.has_status and not subresource:
            view = _with_status_of(new, live_obj)
        else:
            view = new
        if managed.fields or creating:  # skipNonApplied: no tracking starts with an update
            live_typed = ctx.typed_empty() if creating else ctx.typed(live_obj)
            managed = _track(ctx, live_typed, ctx.typed(view), managed, manager, subresource)
        set_managed_fields(new, encode(managed))
    except (TypedError, DecodeError, ValueError, TypeError, KeyError):
        set_managed_fields(new, previous if isinstance(previous, list) else None)


def _live_or_new(live: Obj, new: Obj, subresource: bool) -> Managed:
    """decodeLiveOrNew."""
    live_entries = meta(live).get("managedFields")
    if not subresource:
        sent = meta(new).get("managedFields")
        if is_reset(sent):
            return Managed()
        try:
            managed = decode(sent)
        except DecodeError:
            managed = Managed()
        if managed.fields:
            return managed
    try:
        return decode(live_entries)
    except DecodeError:
        return Managed()


# -- apply -------------------------------------------------------------------------------------


def conflict_error(conflicts: Conflicts) -> errors.ApiError:
    """NewConflictError: 409 Conflict, one FieldManagerConflict cause per field."""
    found = conflicts.conflicts
    causes = [
        {"reason": "FieldManagerConflict", "message": f"conflict with {m.printed()}", "field": path_string(p)}
        for m, p in found
    ]
    if len(found) == 1:
        manager, path = found[0]
        message = f"Apply failed with 1 conflict: conflict with {manager.printed()}: {path_string(path)}"
    else:
        grouped: dict[ManagerKey, list[str]] = {}
        for manager, path in found:
            grouped.setdefault(manager, []).append(path_string(path))
        lines: list[str] = []
        for manager in sorted(grouped, key=sort_key):
            lines.append(f"conflicts with {manager.printed()}:")
            lines.extend(f"- {p}" for p in grouped[manager])
        message = f"Apply failed with {len(found)} conflicts: " + "\n".join(lines)
    return errors.ApiError(409, "Conflict", message, {"causes": causes})


def gvk_string(obj: Obj) -> str:
    api_version = obj.get("apiVersion")
    kind = obj.get("kind")
    api_version = api_version if isinstance(api_version, str) else ""
    kind = kind if isinstance(kind, str) else ""
    parts = api_version.split("/")
    if len(parts) == 1:
        group, version = "", parts[0]
    elif len(parts) == 2:
        group, version = parts
    else:
        group, version, kind = "", "", ""
    return f"{group}/{version}, Kind={kind}"


def apply(ctx: KindContext, live: Obj | None, config: Obj, manager: str, *, force: bool, subresource: str = "") -> Obj:
    """FieldManager.Apply: the object `config` applied to `live` (None: create), with its managed
    fields. Raises ApiError: 400 for a wrong kind or managed fields in the configuration, 409 for
    conflicts, 500 for a configuration the schema does not describe.

    `subresource` is the endpoint applied to: "status" applies the configuration's status alone (the
    status strategy resets the rest), "scale" a configuration already mapped onto the parent's
    `spec.replicas`; either is recorded with the subresource in the manager's entry."""
    live_obj = ctx.empty() if live is None else live
    try:
        managed = decode(meta(live_obj).get("managedFields"))
    except DecodeError as exc:
        raise errors.plain_internal(f"failed to decode managed fields: {exc}") from None
    if gvk_string(config) != ctx.gvk():
        raise errors.bad_request(f"invalid object type: {gvk_string(config)}")
    live_typed = ctx.typed(live_obj)
    try:
        obj, managed = _apply_with_last_applied(
            ctx, live_obj, live_typed, config, managed, ManagerKey(manager, "Apply", subresource=subresource), force
        )
    except Conflicts as found:
        raise conflict_error(found) from None
    if manager == "kubectl" and not subresource and _has_last_applied(obj):
        _set_last_applied(obj, _build_last_applied(config))
    set_managed_fields(obj, encode(managed))
    return obj


def _apply_with_last_applied(
    ctx: KindContext, live_obj: Obj, live_typed: Obj, config: Obj, managed: Managed, key: ManagerKey, force: bool
) -> tuple[Obj, Managed]:
    """lastAppliedManager: kubectl's server-side apply may take over what client-side apply set."""
    try:
        return _apply_after_first(ctx, live_obj, live_typed, config, managed, key, force)
    except Conflicts as found:
        if key.manager != "kubectl" or key.subresource:
            raise
        allowed = _allowed_by_last_applied(ctx, live_obj, live_typed)
        if allowed is None:
            raise
        remaining = [(m, p) for m, p in found.conflicts if not allowed.has(p)]
        if remaining:
            raise Conflicts(remaining) from None
        return _apply_after_first(ctx, live_obj, live_typed, config, managed, key, True)


def _apply_after_first(
    ctx: KindContext, live_obj: Obj, live_typed: Obj, config: Obj, managed: Managed, key: ManagerKey, force: bool
) -> tuple[Obj, Managed]:
    """skipNonAppliedManager: before the first apply, whatever the object holds is `before-first-apply`'s."""
    if not managed.fields:
        managed = _track(ctx, ctx.typed_empty(), live_typed, managed, "before-first-apply", "")
    return _apply_fields(ctx, live_obj, live_typed, config, managed, key, force)


def _apply_fields(
    ctx: KindContext, live_obj: Obj, live_typed: Obj, config: Obj, managed: Managed, key: ManagerKey, force: bool
) -> tuple[Obj, Managed]:
    entries = (config.get("metadata") or {}).get("managedFields") if isinstance(config.get("metadata"), dict) else None
    if isinstance(entries, list) and all(isinstance(e, dict) for e in entries):
        raise errors.bad_request("metadata.managedFields must be nil")
    try:
        validate(config, ctx.ref)
    except TypedError as exc:
        m = config.get("metadata") if isinstance(config.get("metadata"), dict) else {}
        assert isinstance(m, dict)
        where = f"{m.get('namespace', '')}/{m.get('name', '')}; {gvk_string(config)}"
        raise errors.plain_internal(f"failed to create typed patch object ({where}): {exc.text()}") from None
    applied = _applied_part(ctx, config, key.subresource)
    new, fields = smd_apply(live_typed, applied, ctx.ref, ctx.api_version, managed.fields, key, force, sort_key)
    _strip(fields, key)
    times = dict(managed.times)
    if new is None:
        obj = clone(live_obj)
        meta(obj).pop("managedFields", None)
    else:
        times[key] = now_rfc3339()
        obj = gotyped.typed_view(new, ctx.api_version, ctx.kind)
    return obj, Managed(fields, times)


_IDENTITY = ("name", "namespace", "uid", "resourceVersion")


def _applied_part(ctx: KindContext, config: Obj, subresource: str) -> Obj:
    """What of a configuration the endpoint takes: the main resource resets status when a status
    subresource owns it, and the status subresource resets everything but status (the identity of the
    object aside, which the request checks)."""
    if subresource == "status":
        out = {k: v for k, v in config.items() if k in ("apiVersion", "kind", "status")}
        m = config.get("metadata")
        if isinstance(m, dict):
            out["metadata"] = {k: v for k, v in m.items() if k in _IDENTITY}
        return out
    if ctx.has_status and not subresource:
        return {k: v for k, v in config.items() if k != "status"}
    return config


def _has_last_applied(obj: Obj) -> bool:
    annotations = meta(obj).get("annotations")
    return isinstance(annotations, dict) and bool(annotations.get(LAST_APPLIED))


def _build_last_applied(config: Obj) -> str:
    """buildLastApplied: the applied configuration without the annotation, as json.Marshal writes a map."""
    out = clone(config)
    m = out.get("metadata")
    if isinstance(m, dict) and "annotations" in m:
        annotations = m["annotations"]
        if isinstance(annotations, dict) and all(isinstance(v, str) for v in annotations.values()):
            annotations.pop(LAST_APPLIED, None)
        else:
            del m["annotations"]
    return (go_json(out, sort_keys=True) + b"\n").decode()


def _set_last_applied(obj: Obj, value: str) -> None:
    m = meta(obj)
    annotations = m.get("annotations")
    if not isinstance(annotations, dict):
        annotations = {}
    annotations[LAST_APPLIED] = value
    if sum(len(k.encode()) + len(str(v).encode()) for k, v in annotations.items()) > _ANNOTATIONS_SIZE_LIMIT:
        del annotations[LAST_APPLIED]
    if annotations:
        m["annotations"] = annotations
    else:
        m.pop("annotations", None)


def _allowed_by_last_applied(ctx: KindContext, live_obj: Obj, live_typed: Obj) -> Set | None:
    """allowedConflictsFromLastApplied: fields client-side apply set and nobody changed since."""
    annotations = meta(live_obj).get("annotations")
    text = annotations.get(LAST_APPLIED) if isinstance(annotations, dict) else None
    if not isinstance(text, str) or not text:
        return None
    try:
        last = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(last, dict) or not last.get("kind") or last.get("apiVersion") != ctx.api_version:
        return None
    try:
        validate(last, ctx.ref)
        owned = to_field_set(last, ctx.ref)
        cmp = compare(last, live_typed, ctx.ref)
    except TypedError:
        return None
    return owned.difference(cmp.modified).difference(cmp.added).difference(cmp.removed)
