"""OIDC through kubectl: tokens of the built-in test issuer (`mockapi oidc-token`), and of an issuer whose keys
a JWKS file gives; a token the issuer did not sign, or for another client, is a 401."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from https_support import HttpsService

from mockapi.authn.sakeys import KeySet, Signer
from mockapi.testing.kubectl import Kubectl
from mockapi.testing.server import ServerThread

pytestmark = pytest.mark.kubectl

ISSUER = "https://login.example.test"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def mockapi(mockapi_config_defaults: dict[str, Any]) -> Iterator[ServerThread]:
    with ServerThread(**mockapi_config_defaults, oidc_test_issuer=True) as server:
        yield server


def whoami(run: Kubectl) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(run.ok("auth", "whoami", "-o", "json"))["status"]["userInfo"]
    return found


def oidc_token(state_dir: Path, *args: str) -> str:
    cmd = [sys.executable, "-m", "mockapi", "oidc-token", "--state-dir", str(state_dir), *args]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip()


@pytest.mark.kubectl_versions(since="1.28")
def test_the_test_issuers_tokens(kubectl_version: str, kubectl: Callable[..., Kubectl], mockapi: ServerThread) -> None:
    token = oidc_token(mockapi.state_dir, "--user", "erin", "--group", "dev", "--group", "ops")
    user = whoami(kubectl(kubectl_version, user="erin", token=token))
    assert user["username"] == "https://oidc.mockapi.test#erin"  # kube-apiserver's default prefix: the issuer URL
    assert user["groups"] == ["dev", "ops", "system:authenticated"]
    assert list(user["extra"]) == ["authentication.kubernetes.io/credential-id"]
    expired = oidc_token(mockapi.state_dir, "--user", "erin", "--expires-in=-1m")
    assert kubectl(kubectl_version, user="late", token=expired)("auth", "whoami").returncode == 1
    stage = next(
        s for s in json.loads(mockapi.audit_events()[-1]["annotations"]["mockapi.dev/stages"]) if s["by"] == "oidc"
    )
    assert stage["reason"].startswith("rejected: oidc: verify token: oidc: token is expired (Token Expiry: ")


@pytest.fixture
def jwks_server(tmp_path: Path, mockapi_config_defaults: dict[str, Any]) -> Iterator[ServerThread]:
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(KeySet([KEY.public_key()]).jwks()))
    config = {
        **mockapi_config_defaults,
        "oidc_issuer_url": ISSUER,
        "oidc_client_id": "kubernetes",
        "oidc_username_claim": "email",
        "oidc_groups_claim": "roles",
        "oidc_groups_prefix": "oidc:",
        "oidc_jwks_file": jwks,
    }
    with ServerThread(**config) as server:
        yield server


def test_an_issuer_whose_keys_a_jwks_file_gives(
    jwks_server: ServerThread, kubectl_version: str, tmp_path: Path
) -> None:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": "kubernetes", "sub": "u-1", "email": "frank@example.test", "email_verified": True,
              "roles": ["admin"], "iat": now, "exp": now + 600}  # fmt: skip
    token = Signer(KEY, ISSUER).sign(claims)
    frank = Kubectl(jwks_server.kubeconfig("frank", token=token, path=tmp_path / "frank"), kubectl_version, tmp_path)
    assert json.loads(frank.ok("get", "namespace", "default", "-o", "json"))["metadata"]["name"] == "default"
    event = jwks_server.audit_events()[-1]
    assert event["user"]["username"] == "frank@example.test"
    assert event["user"]["groups"] == ["oidc:admin", "system:authenticated"]
    other = Signer(KEY, ISSUER).sign({**claims, "aud": "another-client"})
    refused = Kubectl(jwks_server.kubeconfig("o", token=other, path=tmp_path / "o"), kubectl_version, tmp_path)
    assert refused("get", "namespaces").returncode == 1


@pytest.fixture
def issuer(tmp_path: Path) -> Iterator[HttpsService]:
    """An OIDC issuer over HTTPS: its discovery document and its keys, as an identity provider serves them."""
    service: HttpsService

    async def configuration(_request: web.Request) -> web.Response:
        return web.json_response({"issuer": service.url, "jwks_uri": f"{service.url}/keys"})

    async def keys(_request: web.Request) -> web.Response:
        return web.json_response(KeySet([KEY.public_key()]).jwks())

    routes = [("GET", "/.well-known/openid-configuration", configuration), ("GET", "/keys", keys)]
    with HttpsService(tmp_path, routes, "issuer") as service:
        yield service


def test_an_issuer_found_through_its_discovery_document(
    issuer: HttpsService, mockapi_config_defaults: dict[str, Any], kubectl_version: str, tmp_path: Path
) -> None:
    config = {**mockapi_config_defaults, "oidc_issuer_url": issuer.url, "oidc_client_id": "kubernetes",
              "oidc_ca_file": issuer.ca_file, "oidc_username_prefix": "-"}  # fmt: skip
    with ServerThread(**config) as server:
        now = int(time.time())
        token = Signer(KEY, issuer.url).sign({"iss": issuer.url, "aud": "kubernetes", "sub": "gina", "exp": now + 600})
        gina = Kubectl(server.kubeconfig("gina", token=token, path=tmp_path / "gina"), kubectl_version, tmp_path)
        assert json.loads(gina.ok("get", "namespace", "default", "-o", "json"))["metadata"]["name"] == "default"
        assert server.audit_events()[-1]["user"]["username"] == "gina"
