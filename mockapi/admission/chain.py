"""The admission chain: mutating plugins in order, then validating plugins in order.

Every plugin that handles the operation leaves a StageRecord: a mutating plugin that changed the object
records the JSON patch of its change, one that changed nothing records that it admitted, and one that
rejects records why, so the trail shows what each plugin did to the request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import jsonpatch
import orjson

from mockapi.api.admission import (
    AdmissionAttributes,
    AdmissionPlugin,
    MutatingPlugin,
    Recorder,
    ValidatingPlugin,
)
from mockapi.api.errors import ApiError
from mockapi.api.types import StageRecord


class AdmissionChain:
    """Implements the `Admission` Protocol the registry depends on."""

    def __init__(self, plugins: Sequence[AdmissionPlugin]) -> None:
        self.plugins = tuple(plugins)
        self._mutating = tuple(p for p in plugins if isinstance(p, MutatingPlugin))
        self._validating = tuple(p for p in plugins if isinstance(p, ValidatingPlugin))

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.plugins]

    async def admit(self, attrs: AdmissionAttributes, record: Recorder) -> None:
        before: bytes | None = None
        for plugin in self._mutating:
            if plugin.handles(attrs.operation):
                # serialising is far cheaper than a deep copy, and equal bytes mean no change; each
                # plugin's "after" is the next one's "before"
                if before is None:
                    before = orjson.dumps(attrs.object)
                await _run(plugin.name, "mutating", plugin.admit, attrs, record)
                after = orjson.dumps(attrs.object)
                if after == before:
                    record(StageRecord("admission", "ok", plugin.name, "mutating: admitted"))
                else:
                    record(StageRecord("admission", "ok", plugin.name, f"mutated: {_change(before, after)}"))
                before = after

    async def validate(self, attrs: AdmissionAttributes, record: Recorder) -> None:
        for plugin in self._validating:
            if plugin.handles(attrs.operation):
                await _run(plugin.name, "validating", plugin.validate, attrs, record)
                record(StageRecord("admission", "ok", plugin.name, "validating: admitted"))


PATCH_OBJECT_LIMIT = 64 * 1024
"""Objects larger than this get no JSON patch in the trail: diffing them would hold up the event loop."""
PATCH_TEXT_LIMIT = 4096
"""A recorded patch longer than this is cut (the trail goes into every audit event)."""


def _change(before: bytes, after: bytes) -> str:
    """The JSON patch from `before` to `after`, or, for large objects, what their sizes did."""
    if len(before) + len(after) > 2 * PATCH_OBJECT_LIMIT:
        return f"object of {len(before)} bytes became {len(after)} bytes (no patch recorded for large objects)"
    text = orjson.dumps(jsonpatch.make_patch(orjson.loads(before), orjson.loads(after)).patch).decode()
    return text if len(text) <= PATCH_TEXT_LIMIT else f"{text[:PATCH_TEXT_LIMIT]}... ({len(text)} bytes)"


async def _run(
    name: str,
    phase: str,
    step: Callable[[AdmissionAttributes], Awaitable[None]],
    attrs: AdmissionAttributes,
    record: Recorder,
) -> None:
    try:
        await step(attrs)
    except ApiError as err:
        record(StageRecord("admission", "deny", name, f"{phase}: {err.message}"))
        raise
