"""The state directory: :class:`Pki` (paths plus issuing methods) and :func:`ensure_state`."""

from __future__ import annotations

import base64
import contextlib
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

import yaml
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from mockapi.pki._files import atomic_write, locked, remove_stale_temp_files
from mockapi.pki.certs import (
    PkiError,
    SigningKey,
    cert_pem,
    issue_leaf,
    key_pem,
    leaf_problem,
    load_ca,
    load_key,
    load_key_bytes,
    make_ca,
    make_name,
    new_ec_key,
    parse_sans,
    peer_identity,
    public_key_pem,
)

log = logging.getLogger("mockapi.pki")

DEFAULT_SANS: Final = (
    "127.0.0.1",
    "::1",
    "localhost",
    "kubernetes",
    "kubernetes.default",
    "kubernetes.default.svc",
    "kubernetes.default.svc.cluster.local",
)
"""SANs every serving certificate carries (loopback, and the in-cluster service names)."""
DEFAULT_SERVER_URL: Final = "https://127.0.0.1:6443"
"""Server URL written to a new admin.kubeconfig until :meth:`Pki.write_admin_kubeconfig` says otherwise."""
ADMIN_USER: Final = "admin"
ADMIN_GROUPS: Final = ("system:masters",)
SERVING_DAYS: Final = 365

_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is 10x faster when present
_YamlDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True)
class Pki:
    """Where the PKI material of one state directory lives; build it with :func:`ensure_state`."""

    ca_cert: Path
    """Cluster CA certificate (PEM): ``--client-ca-file``, kubeconfig ``certificate-authority``."""
    ca_key: Path
    """Cluster CA private key (PKCS8 PEM, 0600)."""
    serving_cert: Path
    """Serving certificate (PEM), ``--tls-cert-file``."""
    serving_key: Path
    """Serving private key (PKCS8 PEM, 0600), ``--tls-private-key-file``."""
    sa_private_key: Path
    """Token signing key (RSA 2048, PKCS8 PEM, 0600), ``--service-account-signing-key-file``."""
    sa_public_key: Path
    """Service-account verification key(s) (SubjectPublicKeyInfo PEM), ``--service-account-key-file``."""
    admin_kubeconfig: Path
    """Kubeconfig for CN=admin, O=system:masters, credentials inline (0600)."""
    state_dir: Path
    """The directory holding all of the above."""

    @classmethod
    def at(cls, state_dir: Path) -> Pki:
        """The paths inside ``state_dir``, without touching the disk."""
        d = Path(state_dir).absolute()
        return cls(
            d / "ca.crt",
            d / "ca.key",
            d / "apiserver.crt",
            d / "apiserver.key",
            d / "sa.key",
            d / "sa.pub",
            d / "admin.kubeconfig",
            d,
        )

    def issue_client_certificate(self, user: str, groups: Sequence[str] = (), days: int = 365) -> tuple[bytes, bytes]:
        """A fresh client certificate (clientAuth) for CN=user, one O per group: ``(cert PEM, key PEM)``."""
        if not user:
            raise ValueError("user must not be empty")
        if days <= 0:
            raise ValueError(f"days must be positive, got {days}")
        ca_cert, ca_key = load_ca(self.ca_cert, self.ca_key)
        key = new_ec_key()
        cert = issue_leaf(
            ca_cert, ca_key, key, make_name(user, groups), days=days, usage=ExtendedKeyUsageOID.CLIENT_AUTH
        )
        return cert_pem(cert), key_pem(key)

    def kubeconfig(
        self,
        server_url: str,
        user: str,
        groups: Sequence[str] = (),
        *,
        cluster_name: str = "mockapi",
        context_name: str | None = None,
    ) -> str:
        """YAML of a v1 ``Config`` for ``user`` with a fresh client certificate, all data inline.

        The context (``<user>@<cluster_name>`` unless ``context_name`` is given) is current.
        """
        _check_server_url(server_url)
        cert, key = self.issue_client_certificate(user, groups)
        return render_kubeconfig(
            server_url,
            self.ca_cert.read_bytes(),
            cert,
            key,
            user=user,
            cluster=cluster_name,
            context=context_name or f"{user}@{cluster_name}",
        )

    def token_kubeconfig(
        self, server_url: str, token: str, name: str, *, cluster_name: str = "mockapi", context_name: str | None = None
    ) -> str:
        """YAML of a v1 ``Config`` whose user `name` presents `token` (a static, bootstrap, service-account or
        OIDC token); who that is, is the server's to say."""
        _check_server_url(server_url)
        if not token:
            raise ValueError("token must not be empty")
        return render_token_kubeconfig(
            server_url,
            self.ca_cert.read_bytes(),
            token,
            user=name,
            cluster=cluster_name,
            context=context_name or f"{name}@{cluster_name}",
        )

    def write_admin_kubeconfig(self, server_url: str) -> Path:
        """Point ``admin.kubeconfig`` at ``server_url`` (e.g. once ``--port 0`` picked a port).

        Admin credentials already in the file are kept while valid; the write is atomic (0600)
        and skipped when the content would not change.
        """
        _check_server_url(server_url)
        with locked(self.state_dir):
            ca_cert, _ = load_ca(self.ca_cert, self.ca_key)
            _write_admin(self, ca_cert, server_url)
        return self.admin_kubeconfig


def ensure_state(state_dir: Path, *, extra_sans: Sequence[str] = ()) -> Pki:
    """Create, or check and reuse, the PKI in ``state_dir`` (layout in :mod:`mockapi.pki`).

    Raises :class:`PkiError` when the CA is unreadable, mismatched or expired, ``ValueError`` for a
    malformed SAN. The serving certificate is re-issued when a requested SAN is missing from it.
    """
    wanted = parse_sans([*DEFAULT_SANS, *extra_sans])
    pki = Pki.at(state_dir)
    with contextlib.suppress(FileExistsError):
        pki.state_dir.mkdir(mode=0o700, parents=True)
        os.chmod(pki.state_dir, 0o700)  # mkdir's mode is filtered by the umask
    with locked(pki.state_dir):
        remove_stale_temp_files(pki.state_dir)
        ca_cert, ca_key = _ensure_ca(pki)
        _ensure_serving(pki, ca_cert, ca_key, wanted)
        _ensure_sa_keys(pki)
        server, creds = _existing_admin(pki, ca_cert)
        if creds is None:
            _write_admin(pki, ca_cert, server or DEFAULT_SERVER_URL)
    return pki


def render_kubeconfig(
    server_url: str, ca: bytes, cert: bytes, key: bytes, *, user: str, cluster: str, context: str
) -> str:
    """YAML text of a v1 ``Config`` with one cluster, user and (current) context, data inline."""
    credentials = {"client-certificate-data": _b64(cert), "client-key-data": _b64(key)}
    return _render(server_url, ca, credentials, user=user, cluster=cluster, context=context)


def render_token_kubeconfig(server_url: str, ca: bytes, token: str, *, user: str, cluster: str, context: str) -> str:
    """`render_kubeconfig` for a user that presents a bearer token instead of a client certificate."""
    return _render(server_url, ca, {"token": token}, user=user, cluster=cluster, context=context)


def _render(server_url: str, ca: bytes, credentials: dict[str, str], *, user: str, cluster: str, context: str) -> str:
    config: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": cluster, "cluster": {"server": server_url, "certificate-authority-data": _b64(ca)}}],
        "users": [{"name": user, "user": credentials}],
        "contexts": [{"name": context, "context": {"cluster": cluster, "user": user}}],
        "current-context": context,
        "preferences": {},
    }
    return yaml.dump(config, Dumper=_YamlDumper, sort_keys=False, default_flow_style=False, width=1 << 16)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _check_server_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError(
            f"server URL must look like https://host:port, got {url!r} (kubectl sends no credentials over plain http)"
        )


def _ensure_ca(pki: Pki) -> tuple[x509.Certificate, SigningKey]:
    if pki.ca_cert.exists():
        if not pki.ca_key.exists():
            raise PkiError(
                f"{pki.ca_cert} exists but {pki.ca_key} is missing; restore the key, "
                f"or delete {pki.state_dir} to start a new CA"
            )
        return load_ca(pki.ca_cert, pki.ca_key)
    if pki.ca_key.exists():  # a start interrupted between writing the key and the certificate
        key = load_key(pki.ca_key, "CA private key")
    else:
        key = new_ec_key()
        atomic_write(pki.ca_key, key_pem(key), 0o600)
    log.info("creating cluster CA %s", pki.ca_cert)
    cert = make_ca(key)
    atomic_write(pki.ca_cert, cert_pem(cert), 0o644)
    return cert, key


def _ensure_serving(pki: Pki, ca_cert: x509.Certificate, ca_key: SigningKey, wanted: list[x509.GeneralName]) -> None:
    problem = "missing"
    if pki.serving_cert.exists() and pki.serving_key.exists():
        try:
            cert = x509.load_pem_x509_certificate(pki.serving_cert.read_bytes())
            key = load_key(pki.serving_key, "serving key")
        except (OSError, ValueError, PkiError) as e:
            problem = f"unreadable ({e})"
        else:
            problem = leaf_problem(cert, key, ca_cert) or ""
            if not problem:
                try:
                    have = list(cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value)
                except x509.ExtensionNotFound:
                    have = []
                missing = [str(n.value) for n in wanted if n not in have]
                if not missing:
                    return
                problem = f"SANs {', '.join(missing)} missing"
    log.info("issuing serving certificate %s: %s", pki.serving_cert, problem)
    key = new_ec_key()
    cert = issue_leaf(
        ca_cert,
        ca_key,
        key,
        make_name("kube-apiserver"),
        days=SERVING_DAYS,
        usage=ExtendedKeyUsageOID.SERVER_AUTH,
        sans=wanted,
    )
    atomic_write(pki.serving_key, key_pem(key), 0o600)  # key first: a crash leaves a mismatch we redo
    atomic_write(pki.serving_cert, cert_pem(cert), 0o644)


def _ensure_sa_keys(pki: Pki) -> None:
    if pki.sa_private_key.exists():
        key: SigningKey = load_key(pki.sa_private_key, "service-account signing key")
    else:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        atomic_write(pki.sa_private_key, key_pem(key), 0o600)
    if not pki.sa_public_key.exists():  # an existing sa.pub may also list rotated keys: keep it
        atomic_write(pki.sa_public_key, public_key_pem(key), 0o644)


def _existing_admin(pki: Pki, ca_cert: x509.Certificate) -> tuple[str | None, tuple[bytes, bytes] | None]:
    """(server URL, (cert PEM, key PEM) when still valid for this CA) read from admin.kubeconfig."""
    try:
        doc = yaml.load(pki.admin_kubeconfig.read_text(), Loader=_YamlLoader)
        server = str(doc["clusters"][0]["cluster"]["server"])
        creds = doc["users"][0]["user"]
        cert_data = base64.b64decode(creds["client-certificate-data"])
        key_data = base64.b64decode(creds["client-key-data"])
        cert = x509.load_pem_x509_certificate(cert_data)
        key = load_key_bytes(key_data)
    except (OSError, yaml.YAMLError, LookupError, TypeError, ValueError, PkiError):
        return None, None
    der = cert.public_bytes(serialization.Encoding.DER)
    if leaf_problem(cert, key, ca_cert) or peer_identity(der) != (ADMIN_USER, ADMIN_GROUPS):
        return server, None
    return server, (cert_data, key_data)


def _write_admin(pki: Pki, ca_cert: x509.Certificate, server_url: str) -> None:
    _, creds = _existing_admin(pki, ca_cert)
    if creds is None:
        log.info("issuing admin credentials in %s", pki.admin_kubeconfig)
        creds = pki.issue_client_certificate(ADMIN_USER, ADMIN_GROUPS)
    text = render_kubeconfig(
        server_url, cert_pem(ca_cert), *creds, user=ADMIN_USER, cluster="mockapi", context=f"{ADMIN_USER}@mockapi"
    )
    with contextlib.suppress(OSError):
        if pki.admin_kubeconfig.read_text() == text:
            return
    atomic_write(pki.admin_kubeconfig, text.encode(), 0o600)
