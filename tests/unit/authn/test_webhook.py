"""Webhook token authentication against a fake HTTP client, table-driven: the TokenReview sent, the answers
and their meaning, retries, and the kubeconfig that names the webhook."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson
import pytest

from mockapi.api.authentication import Authenticated, AuthenticationError, NotMine
from mockapi.api.webhooks import WebhookError, WebhookTarget, load_webhook_kubeconfig
from mockapi.authn.webhook import WebhookTokenAuthenticator

API = ("https://kubernetes.default.svc.cluster.local",)
TARGET = WebhookTarget("https://authn.example:8443/review", ssl.create_default_context(), {"Authorization": "Bearer w"})


class FakeClient:
    def __init__(self, *answers: tuple[int, Any] | Exception) -> None:
        self.answers = list(answers)
        self.sent: list[dict[str, Any]] = []

    async def post(
        self, url: str, body: bytes, *, ssl_context: ssl.SSLContext, headers: Mapping[str, str], timeout: float
    ) -> tuple[int, bytes]:
        assert url == TARGET.url and headers == {"Authorization": "Bearer w"}
        self.sent.append(orjson.loads(body))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, doc = answer
        return status, doc if isinstance(doc, bytes) else orjson.dumps(doc)

    async def get(
        self, url: str, *, ssl_context: ssl.SSLContext, timeout: float
    ) -> tuple[int, bytes, Mapping[str, str]]:
        raise AssertionError("token reviews are POSTed")


def review(status: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "status": status}


ALICE = {"authenticated": True, "user": {"username": "alice", "uid": "7", "groups": ["dev"], "extra": {"k": ["v"]}}}


def ask(client: FakeClient, audiences: tuple[str, ...] = (), version: str = "v1beta1") -> Authenticated | None:
    auth = WebhookTokenAuthenticator(TARGET, client, API, version, backoff=(0, 0, 0, 0))
    return asyncio.run(auth.authenticate_token("t0k", audiences))


def test_the_review_sent_and_a_user_answered() -> None:
    client = FakeClient((200, review(ALICE)))
    answer = ask(client, version="v1")
    assert client.sent == [
        {
            "kind": "TokenReview",
            "apiVersion": "authentication.k8s.io/v1",
            "metadata": {"creationTimestamp": None},
            "spec": {"token": "t0k", "audiences": list(API)},
            "status": {"user": {}},
        }
    ]
    assert answer is not None and answer.member == "webhook" and answer.audiences == API
    assert (answer.user.name, answer.user.uid, answer.user.groups, dict(answer.user.extra)) == (
        "alice", "7", ("dev",), {"k": ("v",)},
    )  # fmt: skip
    default = FakeClient((200, review(ALICE)))
    assert ask(default) is not None
    assert default.sent[0]["apiVersion"] == "authentication.k8s.io/v1beta1"  # the flag's default


@pytest.mark.parametrize(
    ("answers", "outcome"),
    [
        (((200, review({"authenticated": False})),), None),
        (((200, review({"authenticated": False, "error": "token revoked"})),), "token revoked"),
        (((500, b""),) * 4 + ((200, review(ALICE)),), "alice"),  # retried
        (
            ((500, b"oops"),) * 5,
            "the server responded with the status code 500 but did not return more information "
            "(post tokenreviews.authentication.k8s.io)",
        ),
        (((403, {"kind": "Status", "message": "forbidden: nope"}),), "forbidden: nope"),  # not retried
        ((WebhookError('Post "https://authn.example:8443/review": connection refused'),), "connection refused"),
        (((200, b"<html>"),), "the webhook's answer is not a TokenReview"),
    ],
)
def test_answers(answers: tuple[Any, ...], outcome: str | None) -> None:
    client = FakeClient(*answers)
    if outcome is None:
        assert ask(client) is None
    elif outcome == "alice":
        found = ask(client)
        assert found is not None and found.user.name == "alice" and len(client.sent) == 5
    else:
        with pytest.raises(AuthenticationError, match=outcome.replace("(", r"\(").replace(")", r"\)")):
            ask(client)


def test_an_answer_for_other_audiences_is_not_mine() -> None:
    with pytest.raises(NotMine):
        ask(FakeClient((200, review({**ALICE, "audiences": ["vault"]}))))
    found = ask(FakeClient((200, review({**ALICE, "audiences": ["vault"]}))), audiences=("vault", "x"))
    assert found is not None and found.audiences == ("vault",)


def test_the_kubeconfig(tmp_path: Path) -> None:
    path = tmp_path / "webhook.kubeconfig"
    path.write_text(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: w\n  cluster: {server: 'https://127.0.0.1:9443/authn', "
        "insecure-skip-tls-verify: true}\nusers:\n- name: api\n  user: {token: secret}\ncontexts:\n- name: c\n  "
        "context: {cluster: w, user: api}\ncurrent-context: c\n"
    )
    target = load_webhook_kubeconfig(path, "--authentication-token-webhook-config-file")
    assert (target.url, dict(target.headers)) == ("https://127.0.0.1:9443/authn", {"Authorization": "Bearer secret"})
    assert target.ssl_context.verify_mode == ssl.CERT_NONE
    path.write_text("clusters: []\n")
    with pytest.raises(
        ValueError, match=r"--authentication-token-webhook-config-file .*: invalid kubeconfig: no clusters"
    ):
        load_webhook_kubeconfig(path, "--authentication-token-webhook-config-file")
