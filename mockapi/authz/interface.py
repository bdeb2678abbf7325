"""The `Authorizer` and `RuleResolver` Protocols; they live in the vocabulary (`mockapi.api.authorization`)
so admission plugins and the access-review APIs ask the authorizer without importing this package."""

from __future__ import annotations

from mockapi.api.authorization import Authorizer, NonResourceRule, ResourceRule, RuleResolver, Rules

__all__ = ["Authorizer", "NonResourceRule", "ResourceRule", "RuleResolver", "Rules"]
