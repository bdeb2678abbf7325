"""Webhook token authentication end to end: a real HTTPS TokenReview service, a server pointed at it with a
kubeconfig, and kubectl presenting a token only the webhook knows."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from https_support import HttpsService

from mockapi.testing.kubectl import Kubectl
from mockapi.testing.server import ServerThread

pytestmark = pytest.mark.kubectl


class Webhook:
    """A TokenReview service: `webhook-token` is dana, anything else is refused with a reason."""

    def __init__(self) -> None:
        self.reviews: list[dict[str, Any]] = []

    async def review(self, request: web.Request) -> web.Response:
        review = await request.json()
        self.reviews.append(review)
        if review["spec"]["token"] == "webhook-token":
            status = {"authenticated": True, "user": {"username": "dana", "uid": "42", "groups": ["sre"]}}
        else:
            status = {"authenticated": False, "error": "unknown token"}
        return web.json_response({**review, "status": status})


@pytest.fixture
def webhook(tmp_path: Path) -> Iterator[tuple[Webhook, Path]]:
    hook = Webhook()
    with HttpsService(tmp_path, [("POST", "/authenticate", hook.review)], "authn-webhook") as service:
        config = tmp_path / "authn-webhook.kubeconfig"
        config.write_text(
            json.dumps(
                {
                    "apiVersion": "v1",
                    "kind": "Config",
                    "clusters": [
                        {
                            "name": "authn",
                            "cluster": {
                                "server": f"{service.url}/authenticate",
                                "certificate-authority-data": base64.b64encode(service.ca_pem).decode(),
                            },
                        }
                    ],
                    "users": [{"name": "apiserver", "user": {}}],
                    "contexts": [{"name": "webhook", "context": {"cluster": "authn", "user": "apiserver"}}],
                    "current-context": "webhook",
                }
            )
        )
        yield hook, config


@pytest.fixture
def mockapi(webhook: tuple[Webhook, Path], mockapi_config_defaults: dict[str, Any]) -> Iterator[ServerThread]:
    config = {**mockapi_config_defaults, "authentication_token_webhook_config_file": webhook[1]}
    with ServerThread(**config) as server:
        yield server


@pytest.mark.kubectl_versions(since="1.28")
def test_a_token_only_the_webhook_knows(
    kubectl_version: str, kubectl: Callable[..., Kubectl], webhook: tuple[Webhook, Path], mockapi: ServerThread
) -> None:
    dana = kubectl(kubectl_version, user="dana", token="webhook-token")
    review = json.loads(dana.ok("auth", "whoami", "-o", "json"))
    assert review["status"]["userInfo"] == {"username": "dana", "uid": "42", "groups": ["sre", "system:authenticated"]}
    sent = webhook[0].reviews[0]
    assert sent["apiVersion"] == "authentication.k8s.io/v1beta1"
    assert sent["spec"] == {"token": "webhook-token", "audiences": ["https://kubernetes.default.svc.cluster.local"]}
    stranger = kubectl(kubectl_version, user="x", token="other-token")
    assert stranger("auth", "whoami").returncode == 1
    stages = json.loads(mockapi.audit_events()[-1]["annotations"]["mockapi.dev/stages"])
    assert {
        "stage": "authentication",
        "outcome": "skip",
        "by": "webhook",
        "reason": "rejected: unknown token",
    } in stages
