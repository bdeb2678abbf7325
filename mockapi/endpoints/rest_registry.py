"""Which REST storage serves each resource and subresource: one line per entry, like the REST storage
providers of kube-apiserver's controlplane (pkg/registry/*/rest/storage_*.go). Everything not listed is
served by the generic store; a subresource not listed answers a clear 405."""

from __future__ import annotations

from dataclasses import dataclass

from mockapi.api.admission import Admission
from mockapi.api.authentication import Authenticator
from mockapi.api.authorization import Authorizer, RuleResolver
from mockapi.endpoints.binding import BindingRest
from mockapi.endpoints.resources import GenericRest
from mockapi.endpoints.rest import RestMap
from mockapi.endpoints.reviews import AccessReviewRest, RulesReviewRest, SelfSubjectReviewRest, TokenReviewRest
from mockapi.endpoints.router import NotServedYet
from mockapi.endpoints.scale import SCALABLE
from mockapi.endpoints.subresources import NamespaceFinalizeRest, PodLogRest, ScaleRest, StatusRest
from mockapi.endpoints.tokenrequest import TokenRequestRest, TokenSettings
from mockapi.registry.store import ResourceStore
from mockapi.resources.catalog import Catalog

AUTHENTICATION = "authentication.k8s.io"
AUTHORIZATION = "authorization.k8s.io"


@dataclass(frozen=True, slots=True)
class AccessChain:
    """What the review APIs ask: the same authenticator, authorizer and rule resolver requests go through."""

    authenticator: Authenticator
    authorizer: Authorizer
    rule_resolver: RuleResolver
    admission: Admission
    api_audiences: tuple[str, ...] = ()
    tokens: TokenSettings | None = None
    """How serviceaccounts/token signs; without it the subresource is not served."""


def build_rest_map(catalog: Catalog, store: ResourceStore, chain: AccessChain, *, watch_list: bool) -> RestMap:
    version = catalog.emulated_version
    rest = RestMap(GenericRest(catalog, store, watch_list=watch_list))
    status = StatusRest(store, version)
    for rt in catalog.all():
        if rt.subresource("status") is not None:
            rest.register(rt.group, rt.plural, "status", status)
    scale = ScaleRest(store, version)
    for group, plural in sorted(SCALABLE):
        rest.register(group, plural, "scale", scale)
    rest.register("", "pods", "log", PodLogRest(store, version))
    rest.register("", "namespaces", "finalize", NamespaceFinalizeRest(store, version))

    rest.register(AUTHENTICATION, "selfsubjectreviews", "", SelfSubjectReviewRest(chain.admission, version))
    tokens = TokenReviewRest(chain.admission, version, chain.authenticator, chain.api_audiences)
    rest.register(AUTHENTICATION, "tokenreviews", "", tokens)
    access = AccessReviewRest(chain.admission, version, chain.authorizer)
    for plural in ("subjectaccessreviews", "localsubjectaccessreviews", "selfsubjectaccessreviews"):
        rest.register(AUTHORIZATION, plural, "", access)
    rules = RulesReviewRest(chain.admission, version, chain.rule_resolver)
    rest.register(AUTHORIZATION, "selfsubjectrulesreviews", "", rules)

    pods, bindings = catalog.get("", "v1", "pods"), catalog.get("", "v1", "bindings")
    if pods is not None and bindings is not None:
        binding = BindingRest(store, pods, bindings, version)
        rest.register("", "pods", "binding", binding)
        rest.register("", "bindings", "", binding)

    # create-only endpoints whose logic arrives with later stages: a clear 405, never the generic store
    later = NotServedYet()
    rest.register("", "pods", "eviction", later)
    if chain.tokens is not None:
        rest.register("", "serviceaccounts", "token", TokenRequestRest(store, catalog, chain.tokens))
    else:
        rest.register("", "serviceaccounts", "token", later)
    return rest
