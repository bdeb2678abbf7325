"""The authorizer union (authorization/union/union.go): first Allow or Deny wins; reasons of
NoOpinion answers are joined with newlines."""

from __future__ import annotations

from collections.abc import Sequence

from mockapi.api.types import Attributes, Decision, Verdict
from mockapi.authz.interface import Authorizer


class UnionAuthorizer:
    name = "union"

    def __init__(self, members: Sequence[Authorizer]) -> None:
        self.members = tuple(members)

    async def authorize(self, attrs: Attributes) -> Decision:
        reasons: list[str] = []
        for member in self.members:
            decision = await member.authorize(attrs)
            if decision.verdict is not Verdict.NO_OPINION:
                return decision
            if decision.reason:
                reasons.append(decision.reason)
        return Decision(Verdict.NO_OPINION, "\n".join(reasons), "")
