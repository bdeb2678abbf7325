"""Each authentication method seen through kubectl (`auth whoami -o json`), and the rejections audited as
kube-apiserver audits them: a 401 with the fixed `Unauthorized` body, the trail naming who refused and why."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import ssl
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from mockapi.api.types import Obj
from mockapi.pki.certs import load_ca
from mockapi.testing.kubectl import Kubectl
from mockapi.testing.server import ServerThread

pytestmark = pytest.mark.kubectl

TOKENS = 'alice-token,alice,1001,"dev,ops"\nbob-token,bob,1002\n'
UNAUTHORIZED = {
    "kind": "Status",
    "apiVersion": "v1",
    "metadata": {},
    "status": "Failure",
    "message": "Unauthorized",
    "reason": "Unauthorized",
    "code": 401,
}


@pytest.fixture
def mockapi(tmp_path: Path, mockapi_config_defaults: dict[str, Any]) -> Iterator[ServerThread]:
    tokens = tmp_path / "tokens.csv"
    tokens.write_text(TOKENS)
    with ServerThread(**{**mockapi_config_defaults, "token_auth_file": tokens}) as server:
        yield server


def whoami(run: Kubectl) -> Obj:
    review: Obj = json.loads(run.ok("auth", "whoami", "-o", "json"))
    assert review["kind"] == "SelfSubjectReview"
    user_info: Obj = review["status"]["userInfo"]
    return user_info


def stages(event: Obj) -> list[Obj]:
    found: list[Obj] = json.loads(event["annotations"]["mockapi.dev/stages"])
    return found


@pytest.mark.kubectl_versions(since="1.28")  # 1.27 asks for SelfSubjectReview versions 1.33 no longer serves
def test_a_static_token_is_its_files_user(kubectl_version: str, kubectl: Callable[..., Kubectl]) -> None:
    assert whoami(kubectl(kubectl_version, user="alice", token="alice-token")) == {
        "username": "alice",
        "uid": "1001",
        "groups": ["dev", "ops", "system:authenticated"],
    }
    assert whoami(kubectl(kubectl_version, user="bob", token="bob-token"))["groups"] == ["system:authenticated"]


def test_an_unknown_token_is_401_even_with_anonymous_on(
    kubectl_version: str, kubectl: Callable[..., Kubectl], mockapi: ServerThread
) -> None:
    result = kubectl(kubectl_version, user="mallory", token="guessed")("get", "namespaces")
    assert result.returncode == 1
    # what kubectl says of a 401 to its discovery request, from a real kube-apiserver too
    assert (
        "error: You must be logged in to the server (the server has asked for the client to provide credentials)"
        in (result.stderr)
    )
    event = mockapi.audit_events()[-1]
    assert event["responseStatus"]["code"] == 401
    assert event["annotations"]["mockapi.dev/rejected-stage"] == "authentication"
    assert [(s["outcome"], s["by"], s["reason"]) for s in stages(event)] == [
        ("skip", "x509", "not mine"),
        ("skip", "tokenfile", "not mine"),
        ("skip", "bearer-token", "rejected: invalid bearer token"),
        ("deny", "authentication", "invalid bearer token"),
    ]


def _client_certificate(
    server: ServerThread, tmp_path: Path, before: dt.datetime, after: dt.datetime
) -> ssl.SSLContext:
    assert server.server is not None
    pki = server.server.components.pki
    ca_cert, ca_key = load_ca(pki.ca_cert, pki.ca_key)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "late")]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(before)
        .not_valid_after(after)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "late.crt", tmp_path / "late.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.create_default_context(cafile=str(pki.ca_cert))
    context.load_cert_chain(cert_file, key_file)
    return context


@pytest.mark.parametrize(
    ("before", "after", "detail"),
    [
        (dt.timedelta(days=-30), dt.timedelta(days=-1), "is after"),
        (dt.timedelta(days=1), dt.timedelta(days=30), "is before"),
    ],
)
def test_an_expired_or_not_yet_valid_certificate_is_401_and_audited(
    mockapi: ServerThread, tmp_path: Path, before: dt.timedelta, after: dt.timedelta, detail: str
) -> None:
    now = dt.datetime.now(dt.UTC)
    context = _client_certificate(mockapi, tmp_path, now + before, now + after)
    host, port = mockapi.url.removeprefix("https://").rsplit(":", 1)
    conn = http.client.HTTPSConnection(host, int(port), context=context, timeout=30)
    try:
        conn.request("GET", "/api/v1/namespaces", headers={"Accept": "application/json"})
        reply = conn.getresponse()
        status, body = reply.status, json.loads(reply.read())
    finally:
        conn.close()
    assert (status, body) == (401, UNAUTHORIZED)
    event = mockapi.audit_events()[-1]
    assert event["requestURI"] == "/api/v1/namespaces" and event["responseStatus"]["code"] == 401
    x509_stage = stages(event)[0]
    assert (x509_stage["outcome"], x509_stage["by"]) == ("skip", "x509")
    assert "x509: certificate has expired or is not yet valid: current time" in x509_stage["reason"]
    assert detail in x509_stage["reason"]
    assert stages(event)[-1]["outcome"] == "deny"
