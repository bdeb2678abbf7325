"""`--authorization-mode` names to authorizer factories, one line per mode. Each factory receives the
stage context (informers for RBAC and Node, configuration for ABAC and webhooks)."""

from __future__ import annotations

from collections.abc import Callable

from mockapi.api.authorization import Authorizer
from mockapi.api.stages import StageContext
from mockapi.authz.always import AlwaysAllow, AlwaysDeny
from mockapi.config import ServerConfig

MODES: dict[str, Callable[[StageContext[ServerConfig]], Authorizer]] = {
    "AlwaysAllow": lambda _ctx: AlwaysAllow(),
    "AlwaysDeny": lambda _ctx: AlwaysDeny(),
}
