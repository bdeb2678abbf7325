"""OpenID Connect tokens as `--oidc-*` configures them (apiserver/plugin/pkg/authenticator/token/oidc, go-oidc's
verifier; notes in docs/upstream/oidc-authentication.md), in upstream's order:

1. a token whose unverified `iss` is not exactly the issuer URL is not mine (a wrong issuer is never an error);
2. go-oidc's checks, each error prefixed `oidc: verify token: `: the audience (the client id), `exp` with no
   leeway (a missing one is expired), `nbf` with a minute, the algorithm (`--oidc-signing-algs`), then the
   signature (an unknown key id reads as a bad signature);
3. the username claim (a string; `email` must not be unverified), prefixed by upstream's rule; the groups
   claim (a string or strings; absent is none), prefixed; required claims; a `jti` becomes the credential id.

Keys come from the issuer's discovery document over HTTPS (`oidckeys`), a JWKS file (`--oidc-jwks-file`, a
mockapi extension for offline tests), or, with `--oidc-test-issuer`, the built-in test issuer whose tokens
`mockapi oidc-token` mints. `--authentication-config` (CEL mappings) is not served yet: start-up says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jwt

from mockapi.api.golang import go_quote, json_kind
from mockapi.api.serviceaccounts import CREDENTIAL_ID
from mockapi.api.stages import Clock
from mockapi.api.types import UserInfo
from mockapi.authn.interface import Authenticated, AuthenticationError
from mockapi.authn.oidckeys import DiscoveredKeys
from mockapi.authn.sakeys import KeySet, keys_of_jwks
from mockapi.authn.serviceaccounts import go_strings, peek

SUPPORTED_ALGORITHMS = ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512")
NBF_LEEWAY = 60.0
VERIFY = "oidc: verify token: "


@dataclass(frozen=True)
class OidcConfig:
    issuer_url: str
    client_id: str
    keys: KeySet | DiscoveredKeys
    """Keys given (a JWKS file, the test issuer), or found through the issuer's discovery document."""
    username_claim: str = "sub"
    username_prefix: str = ""
    groups_claim: str = ""
    groups_prefix: str = ""
    signing_algs: tuple[str, ...] = ("RS256",)
    required_claims: dict[str, str] = field(default_factory=dict)


def username_prefix(issuer_url: str, claim: str, flag: str) -> str:
    """kube-apiserver's rule: unset and not the email claim: `<issuer>#`; `-`: none."""
    if flag == "-":
        return ""
    if flag == "" and claim != "email":
        return issuer_url + "#"
    return flag


def load_jwks(path: Path) -> KeySet:
    try:
        return KeySet(keys_of_jwks(json.loads(path.read_text())))
    except OSError as exc:
        raise ValueError(f"--oidc-jwks-file {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ValueError(f"--oidc-jwks-file {path}: {exc}") from None


class OidcAuthenticator:
    name = "oidc"

    def __init__(self, config: OidcConfig, clock: Clock) -> None:
        for alg in config.signing_algs:
            if alg not in SUPPORTED_ALGORITHMS:
                raise ValueError(f"oidc: unsupported signing alg: {go_quote(alg)}")
        self.config = config
        self.clock = clock

    async def authenticate_token(self, token: str, audiences: tuple[str, ...]) -> Authenticated | None:
        peeked = None if token.startswith("{") else peek(token)
        if peeked is None or peeked[1].get("iss") != self.config.issuer_url:
            return None
        header, claims = peeked
        keys = self.config.keys
        key_set = await keys.current() if isinstance(keys, DiscoveredKeys) else keys
        self._verify(header, claims)
        alg = str(header.get("alg", ""))
        if not _signed(token, alg, key_set, header):
            try:
                fresh = await keys.refreshed() if isinstance(keys, DiscoveredKeys) else None
            except AuthenticationError as exc:
                raise AuthenticationError(f"{VERIFY}failed to verify signature: fetching keys {exc}") from None
            if fresh is None or not _signed(token, alg, fresh, header):
                raise AuthenticationError(f"{VERIFY}failed to verify signature: failed to verify id token signature")
        user = UserInfo(
            name=self._username(claims),
            groups=self._groups(claims),
            extra={CREDENTIAL_ID: (f"JTI={claims['jti']}",)} if isinstance(claims.get("jti"), str) else {},
        )
        self._required(claims)
        return Authenticated(user, self.name, audiences)

    def _verify(self, header: dict[str, Any], claims: dict[str, Any]) -> None:
        """go-oidc's IDTokenVerifier.Verify up to the signature, in its order."""
        cfg = self.config
        aud = claims.get("aud")
        got = [aud] if isinstance(aud, str) else [a for a in aud if isinstance(a, str)] if isinstance(aud, list) else []
        if cfg.client_id not in got:
            raise AuthenticationError(
                f"{VERIFY}oidc: expected audience {go_quote(cfg.client_id)} got {go_strings(tuple(got))}"
            )
        now = self.clock.now()
        exp = _number(claims.get("exp"))
        if exp is None or now.timestamp() > exp:
            expiry = datetime.fromtimestamp(exp or 0, UTC)
            raise AuthenticationError(f"{VERIFY}oidc: token is expired (Token Expiry: {_go_time(expiry)})")
        nbf = _number(claims.get("nbf"))
        if nbf is not None and now.timestamp() + NBF_LEEWAY < nbf:
            raise AuthenticationError(
                f"{VERIFY}oidc: current time {_go_time(now)} before the nbf (not before) time: "
                f"{_go_time(datetime.fromtimestamp(nbf, UTC))}"
            )
        alg = str(header.get("alg", ""))
        if alg not in cfg.signing_algs:
            raise AuthenticationError(
                f"{VERIFY}oidc: id token signed with unsupported algorithm, expected "
                f"{go_strings(cfg.signing_algs)} got {go_quote(alg)}"
            )

    def _username(self, claims: dict[str, Any]) -> str:
        claim = self.config.username_claim
        value = claims.get(claim)
        if claim not in claims:
            raise AuthenticationError(f"oidc: parse username claims {go_quote(claim)}: claim not present")
        if value is None:
            value = ""  # json.Unmarshal of null into a string leaves it empty, and claim form allows that
        if not isinstance(value, str):
            raise AuthenticationError(
                f"oidc: parse username claims {go_quote(claim)}: json: cannot unmarshal {json_kind(value)} "
                "into Go value of type string"
            )
        if claim == "email" and "email_verified" in claims:
            verified = claims["email_verified"]
            if not isinstance(verified, bool):
                raise AuthenticationError(
                    "oidc: parse 'email_verified' claim: json: cannot unmarshal "
                    f"{json_kind(verified)} into Go value of type bool"
                )
            if not verified:
                raise AuthenticationError("oidc: email not verified")
        return self.config.username_prefix + value

    def _groups(self, claims: dict[str, Any]) -> tuple[str, ...]:
        claim = self.config.groups_claim
        if not claim or claim not in claims:
            return ()
        value = claims[claim]
        if value is None:
            return ()
        if isinstance(value, str):
            values = [value]
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            values = value
        else:
            kind = "array" if isinstance(value, list) else json_kind(value)
            raise AuthenticationError(
                f"oidc: parse groups claim {go_quote(claim)}: json: cannot unmarshal {kind} into Go value of "
                "type string"
            )
        return tuple(self.config.groups_prefix + v for v in values)

    def _required(self, claims: dict[str, Any]) -> None:
        for claim, want in self.config.required_claims.items():
            if claim not in claims:
                raise AuthenticationError(f"oidc: required claim {claim} not present in ID token")
            got = claims[claim]
            if not isinstance(got, str):
                raise AuthenticationError(
                    f"oidc: parse claim {claim}: json: cannot unmarshal {json_kind(got)} into Go value of type string"
                )
            if got != want:
                raise AuthenticationError(
                    f"oidc: required claim {claim} value does not match. Got = {got}, want = {want}"
                )


def _signed(token: str, alg: str, keys: KeySet, header: dict[str, Any]) -> bool:
    """A key of the set (the one the token names, or any) verifies the token's signature."""
    for key in keys.for_kid(str(header.get("kid") or "")):
        try:
            jwt.PyJWS().decode(token, key.key, algorithms=[alg])
            return True
        except (jwt.InvalidTokenError, ValueError, TypeError):
            continue
    return False


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _go_time(when: datetime) -> str:
    """time.Time.String() in UTC: `2006-01-02 15:04:05.999999999 +0000 UTC` (fraction only when non-zero)."""
    text = when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    if when.microsecond:
        text += f".{when.microsecond:06d}".rstrip("0")
    return text + " +0000 UTC"
