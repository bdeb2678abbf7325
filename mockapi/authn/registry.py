"""The request authenticator as kube-apiserver assembles it from its flags
(pkg/kubeapiserver/authenticator/config.go): request header, client certificates, then the bearer-token
authenticators in their fixed order, behind the union; anonymous last, only when nothing else answered.
A new authenticator is one module plus one line here."""

from __future__ import annotations

import ssl
from functools import cache
from pathlib import Path

from mockapi.api.authentication import Authenticator, TokenAuthenticator
from mockapi.api.stages import StageContext
from mockapi.api.webhooks import load_webhook_kubeconfig
from mockapi.authn import testissuer
from mockapi.authn.anonymous import AnonymousAuthenticator
from mockapi.authn.bootstrap import BootstrapTokenAuthenticator
from mockapi.authn.cacerts import load_bundle
from mockapi.authn.legacytokens import LegacyTokenAuthenticator
from mockapi.authn.oidc import OidcAuthenticator, OidcConfig, load_jwks, username_prefix
from mockapi.authn.oidckeys import DiscoveredKeys
from mockapi.authn.passwordfile import WWW_AUTHENTICATE, BasicAuthAuthenticator
from mockapi.authn.requestheader import RequestHeaderAuthenticator, RequestHeaderConfig
from mockapi.authn.sakeys import KeySet, Signer, load_public_keys, load_signer
from mockapi.authn.serviceaccounts import ServiceAccountTokenAuthenticator
from mockapi.authn.tokencache import CachedTokenAuthenticator, TokenCache
from mockapi.authn.tokenfile import TokenFileAuthenticator
from mockapi.authn.union import BearerTokenAuthenticator, UnionAuthenticator
from mockapi.authn.webhook import WebhookTokenAuthenticator
from mockapi.authn.x509 import X509Authenticator
from mockapi.config import ServerConfig


def build_authenticator(ctx: StageContext[ServerConfig]) -> Authenticator:
    config = ctx.config
    tokens: list[TokenAuthenticator] = []
    if config.token_auth_file is not None:
        tokens.append(TokenFileAuthenticator.from_file(config.token_auth_file))
    keys = service_account_keys(config)[1]
    tokens.append(LegacyTokenAuthenticator(keys, config.api_audiences, ctx.reader, config.service_account_lookup))
    tokens.append(
        ServiceAccountTokenAuthenticator(
            config.service_account_issuers, keys, config.api_audiences, ctx.reader, ctx.clock
        )
    )
    if config.enable_bootstrap_token_auth:
        tokens.append(BootstrapTokenAuthenticator(ctx.reader, ctx.clock))
    members: list[Authenticator] = []
    assert config.client_ca_file is not None  # the server fills in the cluster CA
    client_cas = load_bundle(config.client_ca_file, "--client-ca-file")
    proxied = config.requestheader_client_ca_file is not None
    if proxied:
        proxy = request_header_config(config)
        members.append(RequestHeaderAuthenticator(proxy, ctx.clock))
        if not config.requestheader_allowed_names and set(client_cas) & set(proxy.client_cas):
            raise ValueError(
                "--requestheader-client-ca-file and --client-ca-file contain overlapping certificates; "
                "--requestheader-allowed-names must be specified to ensure regular client certificates cannot "
                "set authenticating proxy headers for arbitrary users"
            )
    if config.basic_auth_file is not None:  # before client certificates, where kube-apiserver <= 1.18 had it
        members.append(BasicAuthAuthenticator.from_file(config.basic_auth_file))
    oidc = oidc_authenticator(ctx)
    if oidc is not None:  # after service-account and bootstrap tokens, before the webhook
        tokens.append(oidc)
    webhook_config = config.authentication_token_webhook_config_file
    if webhook_config is not None:  # last of the token authenticators, behind its own cache
        target = load_webhook_kubeconfig(webhook_config, "--authentication-token-webhook-config-file")
        webhook = WebhookTokenAuthenticator(
            target, ctx.webhooks, config.api_audiences, config.authentication_token_webhook_version
        )
        ttl = config.authentication_token_webhook_cache_ttl
        tokens.append(CachedTokenAuthenticator(webhook, TokenCache(ctx.clock, ttl, ttl)) if ttl > 0 else webhook)
    cache = None
    if config.token_success_cache_ttl > 0 or config.token_failure_cache_ttl > 0:
        cache = TokenCache(ctx.clock, config.token_success_cache_ttl, config.token_failure_cache_ttl)
    members += [
        X509Authenticator(ctx.clock, client_cas, issuer_required=proxied),
        BearerTokenAuthenticator(tokens, cache),
    ]
    anonymous = AnonymousAuthenticator() if config.anonymous_auth else None
    return UnionAuthenticator(members, anonymous)


def service_account_keys(config: ServerConfig) -> tuple[Signer, KeySet]:
    """The key that signs service-account tokens and the keys that verify them (the signing key's too)."""
    assert config.service_account_signing_key_file is not None  # the server fills in the generated one
    files = (config.service_account_signing_key_file, *config.service_account_key_files)
    try:
        versions = tuple(path.stat().st_mtime_ns for path in files)
    except OSError:
        versions = ()  # a missing file: loading it says which
    return _service_account_keys(files[0], files[1:], config.service_account_issuers[0], versions)


@cache
def _service_account_keys(
    signing: Path, verifying: tuple[Path, ...], issuer: str, _versions: tuple[int, ...]
) -> tuple[Signer, KeySet]:
    """Read once per version of the files (the token issuer, the authenticators and the controllers all ask)."""
    signer = load_signer(signing, issuer)
    public = [signer.key.public_key()]
    for path in verifying:
        public.extend(load_public_keys(path))
    return signer, KeySet(public)


def oidc_authenticator(ctx: StageContext[ServerConfig]) -> OidcAuthenticator | None:
    """The `--oidc-*` flags as kube-apiserver turns them into a JWT authenticator (or the test issuer)."""
    c = ctx.config
    issuer, client_id, groups_claim = c.oidc_issuer_url, c.oidc_client_id, c.oidc_groups_claim
    if c.oidc_test_issuer:
        issuer, client_id = issuer or testissuer.ISSUER_URL, client_id or testissuer.CLIENT_ID
        groups_claim = groups_claim or testissuer.GROUPS_CLAIM
    flags_set = any((issuer, client_id, c.oidc_groups_claim, c.oidc_username_prefix, c.oidc_required_claims,
                     c.oidc_jwks_file, c.oidc_username_claim != "sub", c.oidc_signing_algs != ("RS256",)))  # fmt: skip
    if not flags_set:
        return None
    if not issuer or not client_id:
        raise ValueError("oidc-issuer-url and oidc-client-id must be specified together when any oidc-* flags are set")
    if not issuer.startswith("https://"):
        raise ValueError(
            "invalid authentication configuration: jwt[0].issuer.url: Invalid value: "
            f'"{issuer}": URL scheme must be https'
        )
    keys: KeySet | DiscoveredKeys
    if c.oidc_test_issuer and issuer == testissuer.ISSUER_URL:
        keys = testissuer.keys(c.state_dir)
    elif c.oidc_jwks_file is not None:
        keys = load_jwks(c.oidc_jwks_file)
    else:
        keys = DiscoveredKeys(issuer, ctx.webhooks, oidc_ssl_context(c.oidc_ca_file), ctx.clock)
    oidc = OidcConfig(
        issuer_url=issuer,
        client_id=client_id,
        keys=keys,
        username_claim=c.oidc_username_claim,
        username_prefix=username_prefix(issuer, c.oidc_username_claim, c.oidc_username_prefix),
        groups_claim=groups_claim,
        groups_prefix=c.oidc_groups_prefix,
        signing_algs=c.oidc_signing_algs or ("RS256",),
        required_claims=dict(c.oidc_required_claims),
    )
    return OidcAuthenticator(oidc, ctx.clock)


def oidc_ssl_context(ca_file: Path | None) -> ssl.SSLContext:
    """The issuer's TLS: --oidc-ca-file's certificates, else the system's roots."""
    try:
        return ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(ca_file) if ca_file else None)
    except (OSError, ssl.SSLError) as exc:
        raise ValueError(f"--oidc-ca-file {ca_file}: {exc}") from None


def request_header_config(config: ServerConfig) -> RequestHeaderConfig:
    assert config.requestheader_client_ca_file is not None
    return RequestHeaderConfig(
        client_cas=load_bundle(config.requestheader_client_ca_file, "--requestheader-client-ca-file"),
        allowed_names=config.requestheader_allowed_names,
        username_headers=config.requestheader_username_headers,
        uid_headers=config.requestheader_uid_headers,
        group_headers=config.requestheader_group_headers,
        extra_prefixes=config.requestheader_extra_headers_prefix,
    )


def unauthorized_challenge(config: ServerConfig) -> str | None:
    """The `WWW-Authenticate` header a 401 carries: only servers with basic auth sent one (up to 1.18)."""
    return WWW_AUTHENTICATE if config.basic_auth_file is not None else None
