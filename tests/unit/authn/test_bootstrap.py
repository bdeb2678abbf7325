"""Bootstrap tokens, table-driven after upstream's bootstrap_test.go: the Secret a token names, and every way
it can fail to match (each "not mine", with the reason upstream logs)."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
from typing import Any

import pytest

from mockapi.api.authentication import NotMine
from mockapi.api.types import GroupVersionResource, Obj
from mockapi.authn.bootstrap import BootstrapTokenAuthenticator

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
TOKEN = "abc123.0123456789abcdef"


class Clock:
    def now(self) -> dt.datetime:
        return NOW

    def monotonic(self) -> float:
        return 0.0


class Reader:
    def __init__(self, *secrets: Obj) -> None:
        self.secrets = {(s["metadata"]["namespace"], s["metadata"]["name"]): s for s in secrets}

    async def get_object(self, gvr: GroupVersionResource, namespace: str, name: str) -> Obj | None:
        assert gvr.resource == "secrets"
        return self.secrets.get((namespace, name))

    async def list_objects(self, gvr: GroupVersionResource, namespace: str) -> list[Obj]:
        raise AssertionError("bootstrap tokens are looked up by name, never listed")


def secret(name: str = "bootstrap-token-abc123", type_: str = "bootstrap.kubernetes.io/token", **data: str) -> Obj:
    values = {"token-id": "abc123", "token-secret": "0123456789abcdef", "usage-bootstrap-authentication": "true"}
    values.update(data)
    encoded = {k: base64.b64encode(v.encode()).decode() for k, v in values.items() if v is not None}
    return {"metadata": {"namespace": "kube-system", "name": name}, "type": type_, "data": encoded}


def authenticate(token: str, *secrets: Obj) -> Any:
    auth = BootstrapTokenAuthenticator(Reader(*secrets), Clock())
    return asyncio.run(auth.authenticate_token(token, ("api",)))


def test_a_matching_token_is_system_bootstrap_id() -> None:
    answer = authenticate(TOKEN, secret(**{"auth-extra-groups": "system:bootstrappers:worker,system:bootstrappers:a"}))
    assert answer.user.name == "system:bootstrap:abc123"
    assert answer.user.groups == ("system:bootstrappers", "system:bootstrappers:a", "system:bootstrappers:worker")
    assert answer.user.uid == "" and answer.member == "bootstrap" and answer.audiences == ("api",)


@pytest.mark.parametrize("token", ["abc123.0123456789abcdeF", "abc12.0123456789abcdef", "abc123:0123456789abcdef", "x"])
def test_other_forms_are_not_mine_without_a_lookup(token: str) -> None:
    class NoReads(Reader):
        async def get_object(self, gvr: GroupVersionResource, namespace: str, name: str) -> Obj | None:
            raise AssertionError("looked up")

    assert asyncio.run(BootstrapTokenAuthenticator(NoReads(), Clock()).authenticate_token(token, ())) is None


BAD_GROUP = (
    'bootstrap group "system:masters" is invalid (must match \\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\z)'
)


@pytest.mark.parametrize(
    ("stored", "why"),
    [
        ((), "no secret kube-system/bootstrap-token-abc123 to match bootstrap bearer token"),
        ((secret(type_="Opaque"),), "has invalid type, expected bootstrap.kubernetes.io/token."),
        ((secret(**{"token-secret": "ffffffffffffffff"}),), "has invalid value for key token-secret."),
        ((secret(**{"token-id": "zzz999"}),), "has invalid value for key token-id."),
        ((secret(expiration="2026-05-31T23:59:59Z"),), "Expired bootstrap token (expiration 2026-05-31T23:59:59Z)"),
        ((secret(expiration="tomorrow"),), "Unparseable expiration time (tomorrow), treating as expired,"),
        ((secret(**{"usage-bootstrap-authentication": "yes"}),), "not marked usage-bootstrap-authentication=true."),
        (
            (secret(**{"auth-extra-groups": "system:masters"}),),
            f"has invalid value for key auth-extra-groups: {BAD_GROUP}.",
        ),
    ],
)
def test_every_mismatch_is_not_mine_with_a_reason(stored: tuple[Obj, ...], why: str) -> None:
    with pytest.raises(NotMine) as caught:
        authenticate(TOKEN, *stored)
    assert why in str(caught.value)


def test_a_secret_being_deleted_no_longer_authenticates() -> None:
    deleting = secret()
    deleting["metadata"]["deletionTimestamp"] = "2026-06-01T00:00:00Z"
    with pytest.raises(NotMine, match="is deleted and awaiting removal"):
        authenticate(TOKEN, deleting)


def test_an_expiration_in_the_future_is_fine() -> None:
    assert authenticate(TOKEN, secret(expiration="2026-06-02T00:00:00+02:00")).user.name == "system:bootstrap:abc123"
