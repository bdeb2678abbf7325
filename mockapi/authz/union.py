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
        reasoned: list[str] = []
        for member in self.members:
            decision = await member.authorize(attrs)
            if decision.verdict is not Verdict.NO_OPINION:
                return decision
            if decision.reason:
                reasons.append(decision.reason)
                reasoned.append(member.name)
        # nobody allowed: the members that explained themselves are the ones that said no
        by = ",".join(reasoned) or ",".join(m.name for m in self.members)
        return Decision(Verdict.NO_OPINION, "\n".join(reasons), by)
