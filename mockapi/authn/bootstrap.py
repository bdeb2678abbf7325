"""Bootstrap tokens (`--enable-bootstrap-token-auth`, plugin/pkg/auth/authenticator/token/bootstrap and
k8s.io/cluster-bootstrap): a token `<id>.<secret>` names the Secret `kube-system/bootstrap-token-<id>` of
type `bootstrap.kubernetes.io/token`, read through the Secrets informer (never a list per request).

Every way such a token fails (no Secret, being deleted, wrong type or secret, expired, not marked for
authentication, a bad extra group) is "not mine", as upstream: the request then ends in
`invalid bearer token`. The reason upstream only logs goes on the stage trail here.
"""

from __future__ import annotations

import hmac
import re
from datetime import datetime

from mockapi.api.coregroup import SECRETS
from mockapi.api.golang import go_quote
from mockapi.api.informers import ObjectReader
from mockapi.api.objects import secret_data
from mockapi.api.stages import Clock
from mockapi.api.types import Obj, UserInfo
from mockapi.authn.interface import Authenticated, NotMine

NAMESPACE = "kube-system"
SECRET_PREFIX = "bootstrap-token-"
SECRET_TYPE = "bootstrap.kubernetes.io/token"
USER_PREFIX = "system:bootstrap:"
DEFAULT_GROUP = "system:bootstrappers"
_TOKEN = re.compile(r"\A([a-z0-9]{6})\.([a-z0-9]{16})\Z")
GROUP_PATTERN = r"\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\z"
_GROUP = re.compile(GROUP_PATTERN.replace(r"\z", r"\Z"))


class BootstrapTokenAuthenticator:
    name = "bootstrap"

    def __init__(self, reader: ObjectReader, clock: Clock) -> None:
        self.reader = reader
        self.clock = clock

    async def authenticate_token(self, token: str, audiences: tuple[str, ...]) -> Authenticated | None:
        parsed = _TOKEN.match(token)
        if parsed is None:
            return None  # not a bootstrap token's form
        token_id, token_secret = parsed.groups()
        name = SECRET_PREFIX + token_id
        secret = await self.reader.get_object(SECRETS, NAMESPACE, name)
        if secret is None:
            raise NotMine(f"no secret {NAMESPACE}/{name} to match bootstrap bearer token")

        def refuse(why: str) -> NotMine:
            return NotMine(f"Bootstrap secret {NAMESPACE}/{name} matching bearer token {why}")

        if (secret.get("metadata") or {}).get("deletionTimestamp"):
            raise refuse("is deleted and awaiting removal")
        data = secret.get("data")
        if secret.get("type") != SECRET_TYPE or not isinstance(data, dict):
            raise refuse(f"has invalid type, expected {SECRET_TYPE}.")
        if not hmac.compare_digest(_value(secret, "token-secret").encode(), token_secret.encode()):
            raise refuse("has invalid value for key token-secret.")
        if _value(secret, "token-id") != token_id:
            raise refuse("has invalid value for key token-id.")
        expired = _expired(_value(secret, "expiration"), self.clock.now())
        if expired:
            raise NotMine(f"{expired} in {NAMESPACE}/{name} Secret")
        if _value(secret, "usage-bootstrap-authentication") != "true":
            raise refuse("not marked usage-bootstrap-authentication=true.")
        groups = {DEFAULT_GROUP}
        extra = _value(secret, "auth-extra-groups")
        if extra:
            for group in extra.split(","):
                if _GROUP.match(group) is None:
                    raise refuse(
                        f"has invalid value for key auth-extra-groups: bootstrap group {go_quote(group)} is invalid "
                        f"(must match {GROUP_PATTERN})."
                    )
                groups.add(group)
        user = UserInfo(name=USER_PREFIX + token_id, groups=tuple(sorted(groups)))
        return Authenticated(user, self.name, audiences)  # audience-agnostic: valid for the API's audiences


def _value(secret: Obj, key: str) -> str:
    """bootstrapsecretutil.GetData: the decoded value, "" when absent."""
    return secret_data(secret, key).decode("utf-8", errors="replace")


_RFC3339 = re.compile(r"\A\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})\Z")


def _expired(expiration: str, now: datetime) -> str:
    """bootstrapsecretutil.HasExpired: why the token has expired ("" if it has not), in the words upstream
    logs; a time that is not RFC 3339 counts as expired."""
    if not expiration:
        return ""
    when = None
    if _RFC3339.match(expiration):
        try:
            when = datetime.fromisoformat(expiration.replace("Z", "+00:00"))
        except ValueError:  # a month 13, a day 32, ...
            when = None
    if when is None:
        return f"Unparseable expiration time ({expiration}), treating as expired,"
    if now > when:
        return f"Expired bootstrap token (expiration {expiration})"
    return ""
