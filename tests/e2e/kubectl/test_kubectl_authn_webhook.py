"""Webhook token authentication end to end: a real HTTPS TokenReview service, a server pointed at it with a
kubeconfig, and kubectl presenting a token only the webhook knows."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import ipaddress
import json
import ssl
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from mockapi.testing.kubectl import Kubectl
from mockapi.testing.server import ServerThread

pytestmark = pytest.mark.kubectl


def _self_signed(tmp: Path) -> tuple[Path, Path, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "authn-webhook")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(1).not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    pem = cert.public_bytes(serialization.Encoding.PEM)
    cert_file, key_file = tmp / "webhook.crt", tmp / "webhook.key"
    cert_file.write_bytes(pem)
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_file, key_file, pem


class Webhook:
    """A TokenReview service on its own loop: `webhook-token` is dana, anything else is refused with a reason."""

    def __init__(self, cert: Path, key: Path) -> None:
        self.reviews: list[dict[str, Any]] = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.cert, self.key = cert, key
        self.port = 0

    async def _review(self, request: web.Request) -> web.Response:
        review = await request.json()
        self.reviews.append(review)
        if review["spec"]["token"] == "webhook-token":
            status = {"authenticated": True, "user": {"username": "dana", "uid": "42", "groups": ["sre"]}}
        else:
            status = {"authenticated": False, "error": "unknown token"}
        return web.json_response({**review, "status": status})

    def __enter__(self) -> Webhook:
        self.thread.start()

        async def start() -> web.AppRunner:
            app = web.Application()
            app.router.add_post("/authenticate", self._review)
            runner = web.AppRunner(app)
            await runner.setup()
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(self.cert, self.key)
            site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
            await site.start()
            self.port = runner.addresses[0][1]
            return runner

        self.runner = asyncio.run_coroutine_threadsafe(start(), self.loop).result(10)
        return self

    def __exit__(self, *_: object) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture
def webhook(tmp_path: Path) -> Iterator[tuple[Webhook, Path]]:
    cert, key, pem = _self_signed(tmp_path)
    with Webhook(cert, key) as hook:
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
                                "server": f"https://127.0.0.1:{hook.port}/authenticate",
                                "certificate-authority-data": base64.b64encode(pem).decode(),
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
