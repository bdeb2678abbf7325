"""The one context every authenticator, authorizer and admission plugin factory receives.

Stages never import one another: what they share reaches them here, as Protocols of the vocabulary. The
configuration's type is a parameter so that this package stays below `mockapi.config`; stage registries
use `StageContext[ServerConfig]`.

Stages that call out (webhooks) use `webhooks`, the server's HTTP client behind a Protocol.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, Protocol, TypeVar

from mockapi.api.authorization import Authorizer, RuleResolver
from mockapi.api.informers import InformerFactory, ObjectReader
from mockapi.api.webhooks import WebhookClient

ConfigT = TypeVar("ConfigT")


class Clock(Protocol):
    """Time as stages read it, so tests can set it (token expiry, certificate validity, quotas)."""

    def now(self) -> datetime:
        """The wall-clock time, timezone-aware (UTC)."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back (cache ages, rate limits)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()


@dataclass(frozen=True, slots=True)
class StageContext(Generic[ConfigT]):
    config: ConfigT
    informers: InformerFactory
    """Shared, indexed caches of stored objects, one per resource."""
    reader: ObjectReader
    """Point reads through the informers, for stages that look one object up."""
    authorizer: Authorizer
    """The server's whole authorizer (its union), for stages that ask it: PodSecurityPolicy `use`, CSR
    `approve` and `sign`, RBAC escalation checks. Authorizer factories get it too; they must not call it
    while being built."""
    rule_resolver: RuleResolver
    clock: Clock
    webhooks: WebhookClient
    """The HTTP client for webhooks (token review, authorization, admission)."""
