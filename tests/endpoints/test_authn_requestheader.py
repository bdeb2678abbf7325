"""An authenticating proxy in front of a real server: its certificate from the request-header CA vouches for
the user in its headers; the same certificate without headers is nobody; ordinary client certificates still
work; a server whose two CAs overlap needs allowed names, as kube-apiserver insists."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from mockapi.api.types import Obj
from mockapi.testing.client import ApiClient
from mockapi.testing.server import ServerThread

REVIEW = b'{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}'
PATH = "/apis/authentication.k8s.io/v1/selfsubjectreviews"


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _write_proxy_pki(tmp: Path) -> tuple[Path, Path, Path]:
    """(CA bundle, proxy certificate, proxy key) of a front-proxy CA like kubeadm's."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = (
        x509.CertificateBuilder().subject_name(_name("front-proxy-ca")).issuer_name(_name("front-proxy-ca"))
        .public_key(ca_key.public_key()).serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder().subject_name(_name("front-proxy-client")).issuer_name(ca_cert.subject)
        .public_key(key.public_key()).serial_number(2)
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    paths = tmp / "front-proxy-ca.crt", tmp / "front-proxy-client.crt", tmp / "front-proxy-client.key"
    paths[0].write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return paths


@pytest.fixture
def proxied(tmp_path: Path, mockapi_config_defaults: dict[str, Any]) -> Iterator[tuple[ServerThread, ssl.SSLContext]]:
    ca, cert, key = _write_proxy_pki(tmp_path)
    config = {
        **mockapi_config_defaults,
        "requestheader_client_ca_file": ca,
        "requestheader_allowed_names": ("front-proxy-client",),
        "requestheader_username_headers": ("X-Remote-User",),
        "requestheader_uid_headers": ("X-Remote-Uid",),
        "requestheader_group_headers": ("X-Remote-Group",),
        "requestheader_extra_headers_prefix": ("X-Remote-Extra-",),
    }
    with ServerThread(**config) as server:
        assert server.server is not None
        context = ssl.create_default_context(cafile=str(server.server.components.pki.ca_cert))
        context.load_cert_chain(cert, key)
        yield server, context


def _review(server: ServerThread, context: ssl.SSLContext, headers: list[tuple[str, str]]) -> tuple[int, Obj]:
    host, port = server.url.removeprefix("https://").rsplit(":", 1)
    conn = http.client.HTTPSConnection(host, int(port), context=context, timeout=30)
    try:
        conn.putrequest("POST", PATH)
        for key, value in [("Content-Type", "application/json"), ("Content-Length", str(len(REVIEW))), *headers]:
            conn.putheader(key, value)
        conn.endheaders(REVIEW)
        reply = conn.getresponse()
        body: Obj = json.loads(reply.read())
        return reply.status, body
    finally:
        conn.close()


def test_the_proxy_vouches_for_the_user_in_its_headers(proxied: tuple[ServerThread, ssl.SSLContext]) -> None:
    server, context = proxied
    status, body = _review(
        server,
        context,
        [("X-Remote-User", "alice"), ("X-Remote-Uid", "u-1"), ("X-Remote-Group", "dev"), ("X-Remote-Group", "ops"),
         ("X-Remote-Extra-Scopes", "view")],
    )  # fmt: skip
    assert status == 201
    assert body["status"]["userInfo"] == {
        "username": "alice",
        "uid": "u-1",
        "groups": ["dev", "ops", "system:authenticated"],
        "extra": {"scopes": ["view"]},
    }
    stages = json.loads(server.audit_events()[-1]["annotations"]["mockapi.dev/stages"])
    assert stages[0] == {"stage": "authentication", "outcome": "allow", "by": "requestheader", "reason": "user alice"}


def test_without_headers_the_proxys_certificate_is_nobody(proxied: tuple[ServerThread, ssl.SSLContext]) -> None:
    server, context = proxied
    status, body = _review(server, context, [])
    assert (status, body["reason"]) == (401, "Unauthorized")
    stages = json.loads(server.audit_events()[-1]["annotations"]["mockapi.dev/stages"])
    assert stages[0] == {"stage": "authentication", "outcome": "skip", "by": "requestheader", "reason": "not mine"}
    assert stages[1]["by"] == "x509" and stages[1]["reason"].endswith(
        "failed: x509: certificate signed by unknown authority"
    )


def test_ordinary_client_certificates_cannot_send_proxy_headers(proxied: tuple[ServerThread, ssl.SSLContext]) -> None:
    server, _ = proxied
    reply = ApiClient(server, user="jane", groups=("dev",)).post(PATH, json.loads(REVIEW), {"X-Remote-User": "root"})
    assert reply.status == 201
    assert reply.json()["status"]["userInfo"]["username"] == "jane"


def test_overlapping_cas_need_allowed_names(tmp_path: Path, mockapi_config_defaults: dict[str, Any]) -> None:
    # the cluster CA (written to the state directory at start) as the proxy CA too, and no allowed names
    server = ServerThread(
        **mockapi_config_defaults,
        state_dir=tmp_path,
        requestheader_client_ca_file=tmp_path / "ca.crt",
        requestheader_username_headers=("X-Remote-User",),
    )
    try:
        with pytest.raises(ValueError, match="--requestheader-allowed-names must be specified"):
            server.start()
    finally:
        server.stop()
