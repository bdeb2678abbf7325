"""The one error type of the pipeline, and constructors that mirror k8s.io/apimachinery/pkg/api/errors.

    ApiError                 -> rendered once, by the outermost filter, as a metav1.Status
      (every constructor below returns an ApiError with kube-apiserver's code, reason and message)

A `FieldError` list becomes a 422 Invalid whose message and `details.causes` follow
apimachinery's field.Error formatting (`<path>: <body>`, aggregated as `[a, b]`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from mockapi.api.golang import go_quote
from mockapi.api.types import GroupVersionResource, Obj


class ApiError(Exception):
    """A failure that becomes a `Status` response with `code` as the HTTP status."""

    def __init__(
        self,
        code: int,
        reason: str,
        message: str,
        details: Obj | None = None,
        *,
        headers: dict[str, str] | None = None,
        list_meta: Obj | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
        self.headers = headers or {}
        self.list_meta = list_meta or {}
        """The Status's own ListMeta (a 410 for an expired continue token carries a fresh token)."""

    def status(self) -> Obj:
        """The metav1.Status body, keys in kube-apiserver's order."""
        out: Obj = {"kind": "Status", "apiVersion": "v1", "metadata": dict(self.list_meta), "status": "Failure"}
        if self.message:
            out["message"] = self.message
        if self.reason:
            out["reason"] = self.reason
        if self.details is not None:
            out["details"] = self.details
        out["code"] = self.code
        return out


def _details(gr_group: str, resource: str, name: str) -> Obj:
    details: Obj = {}
    if name:
        details["name"] = name
    if gr_group:
        details["group"] = gr_group
    details["kind"] = resource
    return details


def _qualified(group: str, resource: str) -> str:
    return f"{resource}.{group}" if group else resource


def not_found(gvr: GroupVersionResource, name: str) -> ApiError:
    return ApiError(
        404,
        "NotFound",
        f'{gvr.group_resource} "{name}" not found',
        _details(gvr.group, gvr.resource, name),
    )


def not_found_unqualified() -> ApiError:
    """The 404 for a path no handler serves (`the server could not find the requested resource`)."""
    return ApiError(404, "NotFound", "the server could not find the requested resource", {})


def already_exists(gvr: GroupVersionResource, name: str, *, prefix: str = "") -> ApiError:
    return ApiError(
        409,
        "AlreadyExists",
        f'{prefix}{gvr.group_resource} "{name}" already exists',
        _details(gvr.group, gvr.resource, name),
    )


def conflict(gvr: GroupVersionResource, name: str, err: str) -> ApiError:
    return ApiError(
        409,
        "Conflict",
        f'Operation cannot be fulfilled on {gvr.group_resource} "{name}": {err}',
        _details(gvr.group, gvr.resource, name),
    )


OBJECT_MODIFIED = "the object has been modified; please apply your changes to the latest version and try again"


def forbidden(group: str, resource: str, name: str, err: str) -> ApiError:
    """NewForbidden: `forbidden: <err>` without a resource, `<GR>[ "<name>"] is forbidden: <err>` with one."""
    if not resource:
        return ApiError(403, "Forbidden", f"forbidden: {err}", {})
    gr = _qualified(group, resource)
    message = f'{gr} "{name}" is forbidden: {err}' if name else f"{gr} is forbidden: {err}"
    return ApiError(403, "Forbidden", message, _details(group, resource, name))


def unauthorized(message: str = "Unauthorized") -> ApiError:
    return ApiError(401, "Unauthorized", message)


def bad_request(message: str) -> ApiError:
    return ApiError(400, "BadRequest", message)


def method_not_supported(gvr: GroupVersionResource, action: str) -> ApiError:
    return ApiError(
        405,
        "MethodNotAllowed",
        f'{action} is not supported on resources of kind "{gvr.group_resource}"',
        _details(gvr.group, gvr.resource, ""),
    )


def unsupported_media_type(content_type: str, accepted: list[str]) -> ApiError:
    return ApiError(
        415,
        "UnsupportedMediaType",
        f"the body of the request was in an unknown format - accepted media types include: {', '.join(accepted)}",
        {},
    )


def not_acceptable(accepted: list[str]) -> ApiError:
    return ApiError(
        406,
        "NotAcceptable",
        f"only the following media types are accepted: {', '.join(accepted)}",
        {},
    )


def request_entity_too_large(message: str) -> ApiError:
    return ApiError(413, "RequestEntityTooLarge", f"Request entity too large: {message}")


def expired(message: str) -> ApiError:
    return ApiError(410, "Expired", message)


def internal(message: str) -> ApiError:
    return ApiError(500, "InternalError", f"Internal error occurred: {message}", {"causes": [{"message": message}]})


def plain_internal(message: str) -> ApiError:
    """A non-Status Go error rendered by ErrorToAPIStatus: code 500, no reason, bare message."""
    return ApiError(500, "", message)


def timeout(message: str, retry_after: int = 0) -> ApiError:
    details: Obj = {}
    if retry_after:
        details["retryAfterSeconds"] = retry_after
    return ApiError(504, "Timeout", f"Timeout: {message}", details)


# ---------------------------------------------------------------------------------------------------
# Field errors (k8s.io/apimachinery/pkg/util/validation/field)


class GoRepr(str):
    """A value already rendered the way Go's `%#v` prints it (structs, maps, slices of Go types):
    field errors show it as is."""


def _quote(value: Any) -> str:
    """Go's %q for strings, JSON for everything else, as field.Error.ErrorBody prints values."""
    if isinstance(value, GoRepr):
        return str(value)
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class FieldError:
    reason: str  # FieldValueRequired, FieldValueInvalid, ...
    field: str
    body: str  # what follows "<field>: "

    def __str__(self) -> str:
        return f"{self.field}: {self.body}" if self.field else self.body

    def cause(self) -> Obj:
        return {"reason": self.reason, "message": self.body, "field": self.field}


def required(path: str, detail: str = "") -> FieldError:
    return FieldError("FieldValueRequired", path, f"Required value: {detail}" if detail else "Required value")


def invalid(path: str, value: Any, detail: str = "") -> FieldError:
    body = f"Invalid value: {_quote(value)}"
    return FieldError("FieldValueInvalid", path, f"{body}: {detail}" if detail else body)


def not_supported(path: str, value: Any, supported: list[str]) -> FieldError:
    quoted = ", ".join(json.dumps(s) for s in supported)
    return FieldError("FieldValueNotSupported", path, f"Unsupported value: {_quote(value)}: supported values: {quoted}")


def forbidden_field(path: str, detail: str) -> FieldError:
    return FieldError("FieldValueForbidden", path, f"Forbidden: {detail}" if detail else "Forbidden")


def duplicate(path: str, value: Any) -> FieldError:
    return FieldError("FieldValueDuplicate", path, f"Duplicate value: {_quote(value)}")


def field_not_found(path: str, value: Any) -> FieldError:
    """field.NotFound (named apart from the 404 `not_found` above): `Not found: <value>`."""
    return FieldError("FieldValueNotFound", path, f"Not found: {_quote(value)}")


def aggregate(messages: list[str]) -> str:
    """utilerrors.NewAggregate(...).Error(): one message bare, several as `[a, b]`, duplicates dropped
    (in linear time: one body can carry a million field errors)."""
    seen = list(dict.fromkeys(messages))
    if len(seen) == 1:
        return seen[0]
    return "[" + ", ".join(seen) + "]"


def invalid_object(kind: str, group: str, name: str, errors: list[FieldError]) -> ApiError:
    """NewInvalid(GroupKind, name, errs): 422 with one cause per field error."""
    qualified_kind = f"{kind}.{group}" if group else kind
    message = f'{qualified_kind} "{name}" is invalid'
    if errors:
        message += ": " + aggregate([str(e) for e in errors])
    details: Obj = {}
    if name:
        details["name"] = name
    if group:
        details["group"] = group
    details["kind"] = kind
    details["causes"] = [e.cause() for e in errors]
    return ApiError(422, "Invalid", message, details)
