"""What authorizers answer (k8s.io/apiserver/pkg/authorization/authorizer): decisions and rule lists.

In the vocabulary so admission plugins (PodSecurityPolicy `use`, CSR `approve`), the access-review APIs
and the web layer ask the configured authorizer without importing the authorization package.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from mockapi.api.types import Attributes, Decision, UserInfo


class Authorizer(Protocol):
    """Answers Allow, Deny or NoOpinion with a reason; an evaluation error goes in `Decision.error`."""

    name: str

    async def authorize(self, attrs: Attributes) -> Decision: ...


@dataclass(frozen=True, slots=True)
class ResourceRule:
    """authorizer.ResourceRuleInfo: what SelfSubjectRulesReview lists."""

    verbs: tuple[str, ...]
    api_groups: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    resource_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NonResourceRule:
    """authorizer.NonResourceRuleInfo."""

    verbs: tuple[str, ...]
    non_resource_urls: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Rules:
    """What a rule resolver knows a user may do in a namespace; `incomplete` when it cannot list all."""

    resource_rules: tuple[ResourceRule, ...] = ()
    non_resource_rules: tuple[NonResourceRule, ...] = ()
    incomplete: bool = False
    evaluation_error: str = ""


@runtime_checkable
class RuleResolver(Protocol):
    """authorizer.RuleResolver: the rules a user has (SelfSubjectRulesReview, `kubectl auth can-i --list`)."""

    async def rules_for(self, user: UserInfo, namespace: str) -> Rules: ...
