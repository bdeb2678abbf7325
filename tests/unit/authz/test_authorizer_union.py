"""The authorizer union (authorization/union/union.go), table-driven: first Allow or Deny wins with its own
error; NoOpinion reasons join with newlines; errors are collected, never stop the union, and a member that
raises counts as NoOpinion with an error."""

from __future__ import annotations

import pytest

from mockapi.api.types import Attributes, Decision, UserInfo, Verdict
from mockapi.authz.always import AlwaysAllow, AlwaysDeny
from mockapi.authz.union import UnionAuthorizer, UnionRuleResolver

ALICE = Attributes(user=UserInfo("alice"), verb="get", is_resource_request=True, resource="pods")


class Fixed:
    def __init__(self, name: str, decision: Decision) -> None:
        self.name = name
        self.decision = decision

    async def authorize(self, attrs: Attributes) -> Decision:
        return self.decision


class Broken:
    name = "Broken"

    async def authorize(self, attrs: Attributes) -> Decision:
        raise RuntimeError("backend down")


ALLOW = Fixed("a", Decision(Verdict.ALLOW, "ok", "a"))
DENY = Fixed("d", Decision(Verdict.DENY, "no", "d"))
QUIET = Fixed("q", Decision(Verdict.NO_OPINION, "", "q"))
WHY = Fixed("w", Decision(Verdict.NO_OPINION, "not bound", "w"))
ERR = Fixed("e", Decision(Verdict.NO_OPINION, "", "e", "webhook timed out"))
DENY_ERR = Fixed("de", Decision(Verdict.DENY, "", "de", "own error"))


@pytest.mark.parametrize(
    ("members", "verdict", "reason", "error"),
    [
        ([ALLOW, DENY], Verdict.ALLOW, "ok", ""),
        ([QUIET, DENY, ALLOW], Verdict.DENY, "no", ""),
        ([WHY, WHY], Verdict.NO_OPINION, "not bound\nnot bound", ""),
        ([ERR, ALLOW], Verdict.ALLOW, "ok", ""),  # an earlier error is dropped once someone decides
        ([ERR, DENY_ERR], Verdict.DENY, "", "own error"),
        ([ERR, WHY], Verdict.NO_OPINION, "not bound", "webhook timed out"),
        ([ERR, ERR], Verdict.NO_OPINION, "", "webhook timed out"),  # utilerrors' aggregate drops repeats
        ([ERR, Broken()], Verdict.NO_OPINION, "", "[webhook timed out, RuntimeError: backend down]"),
        ([Broken(), ALLOW], Verdict.ALLOW, "ok", ""),
        ([Broken()], Verdict.NO_OPINION, "", "RuntimeError: backend down"),
        ([], Verdict.NO_OPINION, "", ""),
    ],
)
async def test_union(members: list[Fixed], verdict: Verdict, reason: str, error: str) -> None:
    decision = await UnionAuthorizer(members).authorize(ALICE)
    assert (decision.verdict, decision.reason, decision.error) == (verdict, reason, error)


async def test_rule_resolvers_concatenate() -> None:
    rules = await UnionRuleResolver([AlwaysDeny(), AlwaysAllow()]).rules_for(UserInfo("alice"), "default")
    assert [r.verbs for r in rules.resource_rules] == [("*",)]
    assert [r.non_resource_urls for r in rules.non_resource_rules] == [("*",)]
    assert not rules.incomplete and not rules.evaluation_error
