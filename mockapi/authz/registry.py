"""`--authorization-mode` names to authorizers. One line per mode."""

from __future__ import annotations

from collections.abc import Callable

from mockapi.authz.always import AlwaysAllow, AlwaysDeny
from mockapi.authz.interface import Authorizer

MODES: dict[str, Callable[[], Authorizer]] = {
    "AlwaysAllow": AlwaysAllow,
    "AlwaysDeny": AlwaysDeny,
}
