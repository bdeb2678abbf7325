"""The admission chain: mutating plugins in order, then validating plugins in order.

The chain records a StageRecord for the plugin that rejects, so the trail names it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from mockapi.admission.interface import AdmissionAttributes, AdmissionPlugin, MutatingPlugin, ValidatingPlugin
from mockapi.api.errors import ApiError
from mockapi.api.types import StageRecord

Recorder = Callable[[StageRecord], None]


class AdmissionChain:
    def __init__(self, plugins: Sequence[AdmissionPlugin]) -> None:
        self.plugins = tuple(plugins)
        self._mutating = tuple(p for p in plugins if isinstance(p, MutatingPlugin))
        self._validating = tuple(p for p in plugins if isinstance(p, ValidatingPlugin))

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.plugins]

    async def admit(self, attrs: AdmissionAttributes, record: Recorder) -> None:
        for plugin in self._mutating:
            if plugin.handles(attrs.operation):
                await _run(plugin.name, "mutating", plugin.admit, attrs, record)

    async def validate(self, attrs: AdmissionAttributes, record: Recorder) -> None:
        for plugin in self._validating:
            if plugin.handles(attrs.operation):
                await _run(plugin.name, "validating", plugin.validate, attrs, record)


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
