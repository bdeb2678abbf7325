"""Options of registry operations, parsed from query parameters and DeleteOptions bodies."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from mockapi.api import errors
from mockapi.api.golang import go_quote, parse_int, parse_uint
from mockapi.api.types import Obj, StageRecord, UserInfo

FieldValidation = Literal["Strict", "Warn", "Ignore"]
Propagation = Literal["Orphan", "Background", "Foreground"]


@dataclass(slots=True)
class OpContext:
    """Who is asking, and where stages report to."""

    user: UserInfo
    record: Callable[[StageRecord], None] = lambda _r: None
    warnings: list[str] = field(default_factory=list)
    large: bool = False
    """The request carried a large body: CPU-heavy validation runs off the event loop."""
    audit_annotations: dict[str, str] = field(default_factory=dict)
    """Where admission plugins' audit annotations go (the request's audit event)."""


@dataclass(frozen=True, slots=True)
class WriteOptions:
    dry_run: bool = False
    field_manager: str = ""
    field_validation: FieldValidation = "Strict"
    options: Obj | None = None
    """The options object as the request gave it (CreateOptions, UpdateOptions or PatchOptions), for
    admission's `options`; None for writes that no request made (controllers)."""


@dataclass(frozen=True, slots=True)
class ListOptions:
    label_selector: str = ""
    field_selector: str = ""
    limit: int = 0
    continue_token: str = ""
    resource_version: str = ""
    resource_version_match: str = ""
    timeout_seconds: int | None = None
    allow_bookmarks: bool = False
    send_initial_events: bool | None = None


@dataclass(frozen=True, slots=True)
class DeleteOptions:
    grace_period_seconds: int | None = None
    propagation_policy: Propagation | None = None
    orphan_dependents: bool | None = None
    precondition_uid: str | None = None
    precondition_rv: str | None = None
    dry_run: bool = False


def delete_options_object(opts: DeleteOptions) -> Obj:
    """metav1.DeleteOptions as admission's `options` carries it (omitempty fields left out)."""
    out: Obj = {"kind": "DeleteOptions", "apiVersion": "meta.k8s.io/v1"}
    if opts.grace_period_seconds is not None:
        out["gracePeriodSeconds"] = opts.grace_period_seconds
    preconditions: Obj = {}
    if opts.precondition_uid is not None:
        preconditions["uid"] = opts.precondition_uid
    if opts.precondition_rv is not None:
        preconditions["resourceVersion"] = opts.precondition_rv
    if preconditions:
        out["preconditions"] = preconditions
    if opts.orphan_dependents is not None:
        out["orphanDependents"] = opts.orphan_dependents
    if opts.propagation_policy is not None:
        out["propagationPolicy"] = opts.propagation_policy
    if opts.dry_run:
        out["dryRun"] = ["All"]
    return out


def query_bool(value: str) -> bool:
    """runtime.Convert_Slice_string_To_bool: only `0` and `false` (any case) are false."""
    return not (value == "0" or value.lower() == "false")


def query_int(raw: str | None) -> int | None:
    """An int64 query parameter as the parameter codec converts it (None when absent or empty; 400 with
    strconv's words when it does not parse)."""
    if raw is None or raw == "":
        return None
    try:
        return parse_int(raw)
    except ValueError as exc:
        raise errors.bad_request(str(exc)) from None


def _int(query: Mapping[str, str], name: str) -> int | None:
    return query_int(query.get(name))


def resource_version_of(value: str) -> int:
    """A resourceVersion a read is served at least as fresh as (APIObjectVersioner.ParseResourceVersion;
    the etcd3 store answers 400 for one that does not parse); 0 for "" and "0"."""
    if value in ("", "0"):
        return 0
    try:
        return parse_uint(value)
    except ValueError as exc:
        raise errors.bad_request(
            f"invalid resource version: resourceVersion: Invalid value: {go_quote(value)}: {exc}"
        ) from None


def dry_run_errors(values: list[str]) -> list[errors.FieldError]:
    """ValidateDryRun: `All` is the only dry-run value."""
    if all(v == "All" for v in values):
        return []
    shown = errors.GoRepr("[]string{" + ", ".join(go_quote(v) for v in values) + "}")
    return [errors.not_supported("dryRun", shown, ["All"])]


def write_options(
    query: Mapping[str, str], dry_run_values: list[str], options_kind: str = "CreateOptions"
) -> WriteOptions:
    """Create/Update/PatchOptions from the query, validated as ValidateCreateOptions (and its Update and
    Patch twins) do: field manager, dry run, field validation, in one 422 named after `options_kind`."""
    validation = query.get("fieldValidation", "")
    manager = query.get("fieldManager", "")
    errs = field_manager_errors(manager) + dry_run_errors(dry_run_values)
    if validation not in ("", "Strict", "Warn", "Ignore"):
        errs.append(errors.not_supported("fieldValidation", validation, ["", "Ignore", "Strict", "Warn"]))
    if errs:
        raise errors.invalid_object(options_kind, "meta.k8s.io", "", errs)
    given: Obj = {"kind": options_kind, "apiVersion": "meta.k8s.io/v1"}
    if dry_run_values:
        given["dryRun"] = list(dry_run_values)
    if manager:
        given["fieldManager"] = manager
    if validation:
        given["fieldValidation"] = validation
    validation = validation or "Warn"  # handlers.fieldValidation(): absent or empty means Warn
    return WriteOptions(
        dry_run=bool(dry_run_values),
        field_manager=manager,
        field_validation=cast(FieldValidation, validation),
        options=given,
    )


def field_manager_errors(manager: str) -> list[errors.FieldError]:
    """ValidateFieldManager: at most 128 bytes, every character printable (`%#U` and its byte offset)."""
    errs: list[errors.FieldError] = []
    if len(manager.encode()) > 128:
        errs.append(errors.FieldError("FieldValueTooLong", "fieldManager", "Too long: may not be more than 128 bytes"))
    offset = 0
    for ch in manager:
        if not ch.isprintable():
            detail = f"invalid character U+{ord(ch):04X} (at position {offset})"
            errs.append(errors.invalid("fieldManager", manager, detail))
        offset += len(ch.encode("utf-8", "surrogatepass"))
    return errs


def list_options(query: Mapping[str, str]) -> ListOptions:
    limit = _int(query, "limit") or 0
    send_initial = query.get("sendInitialEvents")
    return ListOptions(
        label_selector=query.get("labelSelector", ""),
        field_selector=query.get("fieldSelector", ""),
        limit=max(limit, 0),
        continue_token=query.get("continue", ""),
        resource_version=query.get("resourceVersion", ""),
        resource_version_match=query.get("resourceVersionMatch", ""),
        timeout_seconds=_int(query, "timeoutSeconds"),
        allow_bookmarks=query_bool(query.get("allowWatchBookmarks", "false")),
        send_initial_events=None if send_initial is None else query_bool(send_initial),
    )


def validate_list_options(opts: ListOptions, *, watch: bool, watch_list: bool) -> None:
    """metainternalversion validation.ValidateListOptions (422 `ListOptions.meta.k8s.io`); `watch_list`: the
    WatchList feature gate."""
    match = opts.resource_version_match
    path = "resourceVersionMatch"
    errs: list[errors.FieldError] = []
    if watch:
        if opts.send_initial_events is not None:
            if match != "NotOlderThan":
                errs.append(
                    errors.forbidden_field(
                        path, "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"
                    )
                )
            if not watch_list:
                errs.append(
                    errors.forbidden_field(
                        "sendInitialEvents",
                        "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled",
                    )
                )
        if match:
            if opts.send_initial_events is None:
                errs.append(
                    errors.forbidden_field(
                        path, "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"
                    )
                )
            if match != "NotOlderThan":
                errs.append(errors.not_supported(path, match, ["NotOlderThan"]))
            if opts.continue_token:
                errs.append(errors.forbidden_field(path, "resourceVersionMatch is forbidden when continue is provided"))
    else:
        if match:
            if not opts.resource_version:
                errs.append(
                    errors.forbidden_field(path, "resourceVersionMatch is forbidden unless resourceVersion is provided")
                )
            if opts.continue_token:
                errs.append(errors.forbidden_field(path, "resourceVersionMatch is forbidden when continue is provided"))
            if match not in ("Exact", "NotOlderThan"):
                errs.append(errors.not_supported(path, match, ["Exact", "NotOlderThan", ""]))
            if match == "Exact" and opts.resource_version == "0":
                errs.append(
                    errors.forbidden_field(path, 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"')
                )
        if opts.send_initial_events is not None:
            errs.append(errors.forbidden_field("sendInitialEvents", "sendInitialEvents is forbidden for list"))
    if errs:
        raise errors.invalid_object("ListOptions", "meta.k8s.io", "", errs)


def delete_options(query: Mapping[str, str], body: Obj | None, dry_run_values: list[str]) -> DeleteOptions:
    """DeleteOptions come from the body (kubectl) or from query parameters (curl, some clients)."""
    src: dict[str, Any] = dict(body or {})
    grace = src.get("gracePeriodSeconds")
    if grace is None:
        grace = _int(query, "gracePeriodSeconds")
    policy = src.get("propagationPolicy") or query.get("propagationPolicy") or None
    orphan = src.get("orphanDependents")
    if orphan is None and "orphanDependents" in query:
        orphan = query_bool(query["orphanDependents"])
    dry_run = dry_run_values + list(src.get("dryRun") or [])
    errs: list[errors.FieldError] = []  # ValidateDeleteOptions
    if orphan is not None and policy is not None:
        errs.append(
            errors.invalid("propagationPolicy", policy, "orphanDependents and deletionPropagation cannot be both set")
        )
    if policy is not None and policy not in ("Orphan", "Background", "Foreground"):
        errs.append(errors.not_supported("propagationPolicy", policy, ["Foreground", "Background", "Orphan", "nil"]))
    errs += dry_run_errors(dry_run)
    if errs:
        raise errors.invalid_object("DeleteOptions", "meta.k8s.io", "", errs)
    pre = src.get("preconditions") or {}
    return DeleteOptions(
        grace_period_seconds=None if grace is None else int(grace),
        propagation_policy=cast(Propagation | None, policy),
        orphan_dependents=orphan,
        precondition_uid=pre.get("uid"),
        precondition_rv=pre.get("resourceVersion"),
        dry_run=bool(dry_run),
    )
