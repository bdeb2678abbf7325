"""The authorizer union (authorization/union/union.go): first Allow or Deny wins; the reasons of NoOpinion
answers are joined with newlines; evaluation errors are collected and never stop the union (a member that
raises counts as NoOpinion with an error), so a request nobody allowed after an error gets the filter's 500.
The rule-resolver union (union.NewRuleResolvers) concatenates every member's rules."""

from __future__ import annotations

from collections.abc import Sequence

from mockapi.api.authorization import Authorizer, NonResourceRule, ResourceRule, RuleResolver, Rules
from mockapi.api.errors import aggregate
from mockapi.api.types import Attributes, Decision, UserInfo, Verdict


class UnionAuthorizer:
    name = "union"

    def __init__(self, members: Sequence[Authorizer] = ()) -> None:
        self.members = tuple(members)

    async def authorize(self, attrs: Attributes) -> Decision:
        reasons: list[str] = []
        reasoned: list[str] = []
        failures: list[str] = []
        for member in self.members:
            try:
                decision = await member.authorize(attrs)
            except Exception as exc:  # an authorizer's bug or outage is an evaluation error, not a crash
                decision = Decision(Verdict.NO_OPINION, "", member.name, f"{type(exc).__name__}: {exc}")
            if decision.error:
                failures.append(decision.error)
            if decision.verdict is not Verdict.NO_OPINION:
                return decision  # with its own error only: union.go drops earlier members' errors here
            if decision.reason:
                reasons.append(decision.reason)
                reasoned.append(member.name)
        # nobody allowed: the members that explained themselves are the ones that said no
        by = ",".join(reasoned) or ",".join(m.name for m in self.members)
        return Decision(Verdict.NO_OPINION, "\n".join(reasons), by, aggregate(failures) if failures else "")


class UnionRuleResolver:
    """Every member's rules, in order; incomplete when any member is; errors aggregated."""

    def __init__(self, members: Sequence[RuleResolver] = ()) -> None:
        self.members = tuple(members)

    async def rules_for(self, user: UserInfo, namespace: str) -> Rules:
        resource: list[ResourceRule] = []
        non_resource: list[NonResourceRule] = []
        failures: list[str] = []
        incomplete = False
        for member in self.members:
            rules = await member.rules_for(user, namespace)
            resource += rules.resource_rules
            non_resource += rules.non_resource_rules
            incomplete = incomplete or rules.incomplete
            if rules.evaluation_error:
                failures.append(rules.evaluation_error)
        return Rules(tuple(resource), tuple(non_resource), incomplete, aggregate(failures) if failures else "")
