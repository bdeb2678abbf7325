"""Tests for mockapi.pki: state directory, certificates, kubeconfigs and real TLS handshakes."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import ipaddress
import socket
import ssl
import stat
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from mockapi.pki import (
    DEFAULT_SANS,
    Pki,
    PkiError,
    client_ssl_context,
    ensure_state,
    peer_identity,
    server_ssl_context,
)
from mockapi.testing.ci import require_tool, unavailable


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """One state directory for the read-only tests (saves the RSA key generation)."""
    return ensure_state(tmp_path_factory.mktemp("pki") / "state", extra_sans=["10.96.0.1", "mockapi.test"])


def _cert(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _sans(cert: x509.Certificate) -> set[str]:
    ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return {str(n.value) for n in ext}


def _snapshot(pki: Pki) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in pki.state_dir.iterdir() if p.name != ".lock"}


def test_creates_files_with_modes(tmp_path: Path) -> None:
    pki = ensure_state(tmp_path / "a" / "state")
    assert _mode(pki.state_dir) == 0o700
    for key in (pki.ca_key, pki.serving_key, pki.sa_private_key, pki.admin_kubeconfig):
        assert _mode(key) == 0o600, key
    for public in (pki.ca_cert, pki.serving_cert, pki.sa_public_key):
        assert _mode(public) == 0o644, public
    assert sorted(p.name for p in pki.state_dir.iterdir() if not p.name.startswith(".")) == [
        "admin.kubeconfig",
        "apiserver.crt",
        "apiserver.key",
        "ca.crt",
        "ca.key",
        "sa.key",
        "sa.pub",
    ]


def test_existing_directory_mode_is_left_alone(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    ensure_state(tmp_path)
    assert _mode(tmp_path) == 0o755


def test_ca_certificate(shared: Pki) -> None:
    ca = _cert(shared.ca_cert)
    assert ca.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "mockapi-ca"
    assert ca.issuer == ca.subject
    bc = ca.extensions.get_extension_for_class(x509.BasicConstraints)
    assert bc.critical and bc.value.ca
    ku = ca.extensions.get_extension_for_class(x509.KeyUsage)
    assert ku.critical and ku.value.key_cert_sign and ku.value.crl_sign and ku.value.digital_signature
    ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    assert isinstance(ca.public_key(), ec.EllipticCurvePublicKey)
    lifetime = ca.not_valid_after_utc - ca.not_valid_before_utc
    assert dt.timedelta(days=3649) < lifetime < dt.timedelta(days=3651)


def test_serving_certificate(shared: Pki) -> None:
    ca, cert = _cert(shared.ca_cert), _cert(shared.serving_cert)
    cert.verify_directly_issued_by(ca)
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "kube-apiserver"
    assert list(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value) == [
        ExtendedKeyUsageOID.SERVER_AUTH
    ]
    aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    ski = ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert aki.key_identifier == ski.digest
    ku = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert ku.critical and ku.value.digital_signature and not ku.value.key_cert_sign
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    backdate = dt.datetime.now(dt.UTC) - cert.not_valid_before_utc
    assert dt.timedelta(minutes=4) < backdate < dt.timedelta(minutes=6)
    assert _sans(cert) == {*DEFAULT_SANS, "10.96.0.1", "mockapi.test"}
    ips = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.IPAddress)
    assert ipaddress.ip_address("::1") in ips and ipaddress.ip_address("127.0.0.1") in ips


def test_service_account_keys(shared: Pki) -> None:
    key_pem, pub_pem = shared.sa_private_key.read_bytes(), shared.sa_public_key.read_bytes()
    assert key_pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert pub_pem.startswith(b"-----BEGIN PUBLIC KEY-----")
    key = serialization.load_pem_private_key(key_pem, password=None)
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048
    assert serialization.load_pem_public_key(pub_pem) == key.public_key()


def test_second_call_reuses_everything(tmp_path: Path) -> None:
    first = ensure_state(tmp_path, extra_sans=["10.0.0.7"])
    before = _snapshot(first)
    again = ensure_state(tmp_path, extra_sans=["10.0.0.7"])
    assert again == first
    assert _snapshot(again) == before
    ensure_state(tmp_path)  # a subset of the SANs already present: still nothing to do
    assert _snapshot(again) == before


def test_serving_certificate_reissued_when_sans_missing(tmp_path: Path) -> None:
    pki = ensure_state(tmp_path)
    before = _snapshot(pki)
    ensure_state(tmp_path, extra_sans=["192.0.2.10", "API.Example.", "[2001:db8::1]"])
    after = _snapshot(pki)
    assert {"192.0.2.10", "api.example", "2001:db8::1"} <= _sans(_cert(pki.serving_cert))
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"apiserver.crt", "apiserver.key"}
    _cert(pki.serving_cert).verify_directly_issued_by(_cert(pki.ca_cert))


def test_serving_certificate_reissued_when_key_does_not_match(tmp_path: Path) -> None:
    pki = ensure_state(tmp_path)
    old = pki.serving_cert.read_bytes()
    pki.serving_key.write_bytes(pki.ca_key.read_bytes())  # as if a crash split key and cert
    ensure_state(tmp_path)
    assert pki.serving_cert.read_bytes() != old
    key = serialization.load_pem_private_key(pki.serving_key.read_bytes(), password=None)
    assert _cert(pki.serving_cert).public_key() == key.public_key()


def test_invalid_san_rejected(tmp_path: Path) -> None:
    for bad in ("", "has space", "http://x", "a/b"):
        with pytest.raises(ValueError, match="invalid SAN"):
            ensure_state(tmp_path / "x", extra_sans=[bad])
    assert not (tmp_path / "x").exists()  # checked before touching the disk


def test_ca_errors(tmp_path: Path) -> None:
    pki = ensure_state(tmp_path)
    good_key = pki.ca_key.read_bytes()
    pki.ca_key.write_bytes(pki.serving_key.read_bytes())
    with pytest.raises(PkiError, match="does not match"):
        ensure_state(tmp_path)
    pki.ca_key.write_bytes(b"garbage")
    with pytest.raises(PkiError, match="CA private key"):
        ensure_state(tmp_path)
    pki.ca_key.write_bytes(good_key)
    pki.ca_cert.write_bytes(b"-----BEGIN CERTIFICATE-----\nbm9wZQ==\n-----END CERTIFICATE-----\n")
    with pytest.raises(PkiError, match=r"ca\.crt"):
        ensure_state(tmp_path)
    pki.ca_key.unlink()
    with pytest.raises(PkiError, match="missing"):
        ensure_state(tmp_path)


def test_concurrent_first_calls_agree(tmp_path: Path) -> None:
    """Processes (here threads; flock works per open file) sharing a fresh directory end up with one CA."""
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: ensure_state(tmp_path / "s"), range(4)))
    pki = results[0]
    ca = _cert(pki.ca_cert)
    key = serialization.load_pem_private_key(pki.ca_key.read_bytes(), password=None)
    assert ca.public_key() == key.public_key()
    _cert(pki.serving_cert).verify_directly_issued_by(ca)
    _, admin, _ = _parse_kubeconfig(pki.admin_kubeconfig.read_text())
    admin.verify_directly_issued_by(ca)


def test_ca_certificate_recreated_from_surviving_key(tmp_path: Path) -> None:
    pki = ensure_state(tmp_path)
    pki.ca_cert.unlink()  # a start interrupted after writing ca.key
    ensure_state(tmp_path)
    ca = _cert(pki.ca_cert)
    key = serialization.load_pem_private_key(pki.ca_key.read_bytes(), password=None)
    assert ca.public_key() == key.public_key()
    _cert(pki.serving_cert).verify_directly_issued_by(ca)


def test_stale_temp_files_removed(tmp_path: Path) -> None:
    pki = ensure_state(tmp_path)
    stale = tmp_path / ".ca.key.0123456789ab.tmp"
    stale.write_bytes(b"half a key")
    ensure_state(tmp_path)
    assert not stale.exists()
    assert not list(pki.state_dir.glob(".*.tmp"))


def test_client_certificate(shared: Pki) -> None:
    cert_pem, key_pem = shared.issue_client_certificate("jane", ["dev", "system:authenticated"], days=3)
    cert = x509.load_pem_x509_certificate(cert_pem)
    cert.verify_directly_issued_by(_cert(shared.ca_cert))
    assert list(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value) == [
        ExtendedKeyUsageOID.CLIENT_AUTH
    ]
    assert cert.not_valid_after_utc - cert.not_valid_before_utc == dt.timedelta(days=3, minutes=5)
    assert peer_identity(cert.public_bytes(serialization.Encoding.DER)) == ("jane", ("dev", "system:authenticated"))
    key = serialization.load_pem_private_key(key_pem, password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey) and key.public_key() == cert.public_key()


def test_client_certificate_long_common_name(shared: Pki) -> None:
    user = "system:serviceaccount:some-long-namespace-name:some-even-longer-service-account-name"
    assert len(user) > 64
    cert_pem, _ = shared.issue_client_certificate(user)
    der = x509.load_pem_x509_certificate(cert_pem).public_bytes(serialization.Encoding.DER)
    assert peer_identity(der) == (user, ())


def test_client_certificate_arguments_checked(shared: Pki) -> None:
    with pytest.raises(ValueError):
        shared.issue_client_certificate("")
    with pytest.raises(ValueError):
        shared.issue_client_certificate("u", days=0)


def _parse_kubeconfig(text: str) -> tuple[dict[str, Any], x509.Certificate, bytes]:
    doc: dict[str, Any] = yaml.safe_load(text)
    assert doc["apiVersion"] == "v1" and doc["kind"] == "Config"
    cluster = doc["clusters"][0]["cluster"]
    user = doc["users"][0]["user"]
    assert base64.b64decode(cluster["certificate-authority-data"]).startswith(b"-----BEGIN CERTIFICATE")
    cert = x509.load_pem_x509_certificate(base64.b64decode(user["client-certificate-data"]))
    key_pem = base64.b64decode(user["client-key-data"])
    key = serialization.load_pem_private_key(key_pem, password=None)
    assert key.public_key() == cert.public_key()
    return doc, cert, key_pem


def test_kubeconfig(shared: Pki) -> None:
    doc, cert, _ = _parse_kubeconfig(shared.kubeconfig("https://127.0.0.1:4443", "jane", ["dev"]))
    assert doc["current-context"] == "jane@mockapi"
    assert doc["contexts"] == [{"name": "jane@mockapi", "context": {"cluster": "mockapi", "user": "jane"}}]
    assert doc["clusters"][0]["cluster"]["server"] == "https://127.0.0.1:4443"
    ca_data = base64.b64decode(doc["clusters"][0]["cluster"]["certificate-authority-data"])
    assert ca_data == shared.ca_cert.read_bytes()
    assert peer_identity(cert.public_bytes(serialization.Encoding.DER)) == ("jane", ("dev",))

    doc, _, _ = _parse_kubeconfig(shared.kubeconfig("https://[::1]:1", "bob", cluster_name="c1", context_name="ctx"))
    assert doc["current-context"] == "ctx" and doc["clusters"][0]["name"] == "c1"
    with pytest.raises(ValueError, match="https"):
        shared.kubeconfig("http://127.0.0.1:8080", "jane")


def test_admin_kubeconfig(tmp_path: Path) -> None:
    pki = ensure_state(tmp_path)
    doc, cert, key = _parse_kubeconfig(pki.admin_kubeconfig.read_text())
    assert peer_identity(cert.public_bytes(serialization.Encoding.DER)) == ("admin", ("system:masters",))
    assert doc["current-context"] == "admin@mockapi"

    assert pki.write_admin_kubeconfig("https://127.0.0.1:34567") == pki.admin_kubeconfig
    assert _mode(pki.admin_kubeconfig) == 0o600
    doc2, cert2, key2 = _parse_kubeconfig(pki.admin_kubeconfig.read_text())
    assert doc2["clusters"][0]["cluster"]["server"] == "https://127.0.0.1:34567"
    assert (cert2, key2) == (cert, key)  # credentials kept

    before = _snapshot(pki)
    ensure_state(tmp_path)  # the server URL written above survives a restart
    assert _snapshot(pki) == before


async def _handshake(
    pki: Pki, client: ssl.SSLContext, host: str = "127.0.0.1", server_hostname: str | None = None
) -> dict[str, Any]:
    """Connect ``client`` to a TLS echo server; the server replies with what it saw of the peer."""
    seen: dict[str, Any] = {}

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sslobj = writer.get_extra_info("ssl_object")
        der = sslobj.getpeercert(binary_form=True)
        seen.update(
            alpn=sslobj.selected_alpn_protocol(), version=sslobj.version(), identity=peer_identity(der) if der else None
        )
        writer.write(b"ok\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, host, 0, ssl=server_ssl_context(pki))
    port = server.sockets[0].getsockname()[1]
    async with server:
        reader, writer = await asyncio.open_connection(host, port, ssl=client, server_hostname=server_hostname)
        try:
            assert await asyncio.wait_for(reader.readline(), 5) == b"ok\n"
        finally:
            writer.close()
    return seen


def test_tls_handshake_with_client_certificate(shared: Pki) -> None:
    client = client_ssl_context(shared, "jane", ["dev", "qa"])
    seen = asyncio.run(_handshake(shared, client))
    assert seen == {"alpn": "http/1.1", "version": "TLSv1.3", "identity": ("jane", ("dev", "qa"))}


@pytest.mark.parametrize(
    ("host", "server_hostname"), [("127.0.0.1", "localhost"), ("127.0.0.1", "kubernetes.default.svc"), ("::1", None)]
)
def test_tls_handshake_anonymous_and_hostnames(shared: Pki, host: str, server_hostname: str | None) -> None:
    if host == "::1" and not socket.has_ipv6:
        unavailable("no IPv6")
    client = client_ssl_context(shared, None)
    try:
        seen = asyncio.run(_handshake(shared, client, host, server_hostname))
    except OSError as e:
        if host == "::1" and not isinstance(e, ssl.SSLError):
            unavailable(f"no IPv6 loopback: {e}")
        raise
    assert seen["identity"] is None  # certificate requested, none presented: handshake still fine


def test_tls12_client(shared: Pki) -> None:
    client = client_ssl_context(shared, "old", ["g"])
    client.maximum_version = ssl.TLSVersion.TLSv1_2
    seen = asyncio.run(_handshake(shared, client))
    assert seen["version"] == "TLSv1.2" and seen["identity"] == ("old", ("g",))


@pytest.mark.parametrize("version", [ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3])
def test_client_certificate_from_unknown_ca_aborts_handshake(
    shared: Pki, tmp_path: Path, version: ssl.TLSVersion
) -> None:
    """Documents Python's behaviour: the handshake is aborted (kube-apiserver would answer 401)."""
    stranger = client_ssl_context(ensure_state(tmp_path), "mallory")
    stranger.load_verify_locations(shared.ca_cert)  # trusts the server, presents an untrusted cert
    stranger.maximum_version = version
    handled: list[bool] = []

    async def attempt() -> bytes | BaseException:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            handled.append(True)
            writer.close()

        server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=server_ssl_context(shared))
        async with server:
            port = server.sockets[0].getsockname()[1]
            try:  # TLS 1.2 fails in the handshake; TLS 1.3 on the first read (alert, then EOF)
                reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=stranger)
                data = await asyncio.wait_for(reader.read(), 5)
                writer.close()
                return data
            except (ssl.SSLError, ConnectionError) as e:
                return e

    outcome = asyncio.run(attempt())
    assert outcome == b"" or isinstance(outcome, ssl.SSLError | ConnectionError), outcome
    assert handled == []


def test_server_context_with_explicit_client_ca(shared: Pki, tmp_path: Path) -> None:
    other = ensure_state(tmp_path)
    ctx = server_ssl_context(shared, client_ca=other.ca_cert)
    assert ctx.verify_mode == ssl.CERT_OPTIONAL and ctx.minimum_version == ssl.TLSVersion.TLSv1_2
    with pytest.raises(PkiError):
        server_ssl_context(shared, client_ca=tmp_path / "nope.crt")


def test_openssl_verifies_chain(shared: Pki, tmp_path: Path) -> None:
    openssl = str(require_tool("openssl"))
    cert_pem, _ = shared.issue_client_certificate("jane", ["dev"])
    client = tmp_path / "client.crt"
    client.write_bytes(cert_pem)
    for leaf, purpose in ((shared.serving_cert, "sslserver"), (client, "sslclient")):
        result = subprocess.run(
            [openssl, "verify", "-x509_strict", "-purpose", purpose, "-CAfile", str(shared.ca_cert), str(leaf)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.strip().endswith(": OK")
