"""The request authenticator as kube-apiserver assembles it from its flags
(pkg/kubeapiserver/authenticator/config.go): request header, client certificates, then the bearer-token
authenticators in their fixed order, behind the union; anonymous last, only when nothing else answered.
A new authenticator is one module plus one line here."""

from __future__ import annotations

from mockapi.api.authentication import Authenticator, TokenAuthenticator
from mockapi.api.stages import StageContext
from mockapi.authn.anonymous import AnonymousAuthenticator
from mockapi.authn.bootstrap import BootstrapTokenAuthenticator
from mockapi.authn.passwordfile import WWW_AUTHENTICATE, BasicAuthAuthenticator
from mockapi.authn.tokenfile import TokenFileAuthenticator
from mockapi.authn.union import BearerTokenAuthenticator, UnionAuthenticator
from mockapi.authn.x509 import X509Authenticator
from mockapi.config import ServerConfig


def build_authenticator(ctx: StageContext[ServerConfig]) -> Authenticator:
    config = ctx.config
    tokens: list[TokenAuthenticator] = []
    if config.token_auth_file is not None:
        tokens.append(TokenFileAuthenticator.from_file(config.token_auth_file))
    if config.enable_bootstrap_token_auth:
        tokens.append(BootstrapTokenAuthenticator(ctx.reader, ctx.clock))
    members: list[Authenticator] = []
    if config.basic_auth_file is not None:  # before client certificates, where kube-apiserver <= 1.18 had it
        members.append(BasicAuthAuthenticator.from_file(config.basic_auth_file))
    members += [X509Authenticator(ctx.clock), BearerTokenAuthenticator(tokens)]
    anonymous = AnonymousAuthenticator() if config.anonymous_auth else None
    return UnionAuthenticator(members, anonymous)


def unauthorized_challenge(config: ServerConfig) -> str | None:
    """The `WWW-Authenticate` header a 401 carries: only servers with basic auth sent one (up to 1.18)."""
    return WWW_AUTHENTICATE if config.basic_auth_file is not None else None
