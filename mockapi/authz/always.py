"""AlwaysAllow and AlwaysDeny (--authorization-mode), and the system:masters privileged-group authorizer."""

from __future__ import annotations

from mockapi.api.authorization import NonResourceRule, ResourceRule, Rules
from mockapi.api.types import MASTERS_GROUP, Attributes, Decision, UserInfo, Verdict

_EVERYTHING = Rules(
    (ResourceRule(verbs=("*",), api_groups=("*",), resources=("*",)),),
    (NonResourceRule(verbs=("*",), non_resource_urls=("*",)),),
)


class AlwaysAllow:
    name = "AlwaysAllow"

    async def authorize(self, attrs: Attributes) -> Decision:
        return Decision(Verdict.ALLOW, "", self.name)

    async def rules_for(self, user: UserInfo, namespace: str) -> Rules:
        return _EVERYTHING


class AlwaysDeny:
    name = "AlwaysDeny"

    async def authorize(self, attrs: Attributes) -> Decision:
        # kube-apiserver's AlwaysDeny answers NoOpinion, so the union can still end in a 403
        return Decision(Verdict.NO_OPINION, "Everything is forbidden.", self.name)

    async def rules_for(self, user: UserInfo, namespace: str) -> Rules:
        return Rules()


class PrivilegedGroups:
    """kube-apiserver always puts this first: members of system:masters are allowed with no reason."""

    name = "system:masters"

    def __init__(self, groups: tuple[str, ...] = (MASTERS_GROUP,)) -> None:
        self.groups = frozenset(groups)

    async def authorize(self, attrs: Attributes) -> Decision:
        if self.groups.intersection(attrs.user.groups):
            return Decision(Verdict.ALLOW, "", self.name)
        return Decision(Verdict.NO_OPINION, "", self.name)
