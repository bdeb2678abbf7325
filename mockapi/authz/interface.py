"""The `Authorizer` Protocol (k8s.io/apiserver/pkg/authorization/authorizer)."""

from __future__ import annotations

from typing import Protocol

from mockapi.api.types import Attributes, Decision


class Authorizer(Protocol):
    name: str

    async def authorize(self, attrs: Attributes) -> Decision: ...
