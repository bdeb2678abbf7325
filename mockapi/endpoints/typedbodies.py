"""Request bodies and patched objects held to the kind's Go types, as every write handler holds them.

A body is decoded, checked by field validation (unknown, duplicate and mistyped fields; warnings or 400)
and stripped of fields the Go type lacks; a body past `LARGE_BODY` is handled in a thread, so seconds of
CPU for tens of thousands of containers do not hold up every other request. A patched object is decoded
the same way after the patch applies (422 with upstream's `patch: Invalid value` form).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import orjson

from mockapi.api.types import Obj
from mockapi.endpoints.context import RequestContext
from mockapi.endpoints.negotiation import JSON, YAML, body_media_type, decode_body
from mockapi.registry import fieldvalidation
from mockapi.registry.fieldvalidation.jsonbody import plain_text
from mockapi.registry.options import FieldValidation
from mockapi.resources.types import ResourceType

LARGE_BODY = 64 * 1024
"""Bodies past this size are decoded and validated off the event loop."""


def check_typed_body(
    ctx: RequestContext, rt: ResourceType, raw: bytes, body: Obj, mode: FieldValidation, version: str
) -> None:
    """Field validation of a decoded PUT/POST body (warnings kept on the context), unknown fields dropped."""
    is_yaml = body_media_type(ctx.request.headers.get("Content-Type", "")) == YAML
    ctx.warnings.extend(
        fieldvalidation.check_body(
            rt, raw, body, mode, yaml=is_yaml, emulated_version=version, record=ctx.record, drop_unknown=True
        )
    )


async def typed_body(ctx: RequestContext, rt: ResourceType, raw: bytes, mode: FieldValidation, version: str) -> Obj:
    """The body decoded and held to the kind's Go types; off the event loop when it is large."""

    def decode() -> Obj:
        content_type = ctx.request.headers.get("Content-Type", "")
        body = decode_body(raw, content_type)
        check_typed_body(ctx, rt, raw, body, mode, version)
        if body_media_type(content_type) != JSON or not plain_text(raw):
            # not read by orjson: what copying the body raised before the store took it uncopied (an integer
            # past 64 bits, which YAML or the standard library's JSON may decode) is a 500 right here
            orjson.dumps(body)
        return body

    return await asyncio.to_thread(decode) if len(raw) > LARGE_BODY else decode()


def patched_checks(
    ctx: RequestContext, rt: ResourceType, patch_type: str, raw: bytes, mode: FieldValidation, version: str
) -> Callable[[Obj], None]:
    """The checks of an object a JSON, merge or strategic patch produced: decoded into the Go type (warnings
    or 422), unknown fields dropped."""
    document_errors = fieldvalidation.patch_document_errors(patch_type, raw, mode)

    def check(patched: Obj) -> None:
        ctx.warnings.extend(
            fieldvalidation.check_patched(
                rt, patched, mode, patch_type=patch_type, patch=raw, document_errors=document_errors,
                emulated_version=version,
            )
        )  # fmt: skip
        fieldvalidation.drop_unknown_fields(rt, patched, emulated_version=version)

    return check
