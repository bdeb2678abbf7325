"""``ssl.SSLContext`` factories for the TLS server and for test/benchmark clients."""

from __future__ import annotations

import ssl
import tempfile
from collections.abc import Sequence
from pathlib import Path

from mockapi.pki._files import atomic_write
from mockapi.pki.certs import PkiError
from mockapi.pki.state import Pki

X509_V_FLAG_NO_CHECK_TIME = 0x200000
"""OpenSSL's flag (1.1.0+) that skips validity-period checks while verifying; `ssl` does not name it."""


def server_ssl_context(pki: Pki, *, client_ca: Path | None = None, extra_cas: Sequence[Path] = ()) -> ssl.SSLContext:
    """TLS server context: serving certificate, TLS 1.2+, ALPN ``http/1.1``, optional client certs.

    Client certificates are requested but optional (``CERT_OPTIONAL``) and verified against
    ``client_ca`` (kube-apiserver's ``--client-ca-file``) or else the cluster CA, and ``extra_cas`` (the
    request-header CA), whose certificates the authenticators then tell apart.

    Behaviour difference from kube-apiserver: Go's server completes the handshake whatever client
    certificate is presented and the X.509 authenticator answers 401 when it does not verify.
    OpenSSL (Python's ``ssl``) with ``CERT_OPTIONAL`` aborts the handshake instead (alert "unknown
    ca", "bad certificate", ...), so such a client sees a TLS error, not a ``Status`` 401. Validity
    periods are the exception: they are left to the X.509 authenticator, which answers 401 as upstream.
    Under TLS 1.3 the client's handshake completes first and the alert arrives on its first read.
    """
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ca_file = client_ca if client_ca is not None else pki.ca_cert
    try:
        ctx.load_cert_chain(pki.serving_cert, pki.serving_key)
        for cafile in (ca_file, *extra_cas):
            ctx.load_verify_locations(cafile=cafile)
    except (OSError, ssl.SSLError) as e:
        raise PkiError(f"cannot load TLS material ({pki.serving_cert}, {ca_file}, {list(extra_cas)}): {e}") from e
    ctx.verify_mode = ssl.CERT_OPTIONAL
    # the chain is verified here, its validity period by the X.509 authenticator: an expired or not yet
    # valid certificate then gets kube-apiserver's 401 (and an audit event), not a handshake alert
    ctx.verify_flags |= X509_V_FLAG_NO_CHECK_TIME
    ctx.set_alpn_protocols(["http/1.1"])  # aiohttp speaks HTTP/1.1 only; kubectl falls back from h2
    return ctx


def client_ssl_context(pki: Pki, user: str | None, groups: Sequence[str] = ()) -> ssl.SSLContext:
    """Client context trusting the cluster CA and presenting a fresh certificate for ``user``.

    ``user=None`` presents no certificate (anonymous or bearer-token clients). Verification is
    strict (``VERIFY_X509_STRICT``), so every handshake also checks the certificates are RFC 5280
    clean. Hostname checking is on: connect to 127.0.0.1, ::1 or localhost.
    """
    ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(pki.ca_cert))
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.verify_flags |= ssl.VERIFY_X509_STRICT
    ctx.set_alpn_protocols(["http/1.1"])
    if user is not None:
        cert, key = pki.issue_client_certificate(user, groups)
        with tempfile.TemporaryDirectory(prefix="mockapi-client-") as tmp:  # ssl loads only files
            cert_file, key_file = Path(tmp, "tls.crt"), Path(tmp, "tls.key")
            atomic_write(cert_file, cert, 0o600, sync=False)
            atomic_write(key_file, key, 0o600, sync=False)
            ctx.load_cert_chain(cert_file, key_file)
    return ctx
