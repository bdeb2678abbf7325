"""Calling out to webhooks: where a webhook is (a kubeconfig file, as kube-apiserver's webhook flags take
it) and the HTTP client that stages use to reach it (`StageContext.webhooks`).

The client is a Protocol here so that authenticators, authorizers and admission plugins never import the
web library; the server gives them its implementation.
"""

from __future__ import annotations

import base64
import ssl
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import yaml


class WebhookError(Exception):
    """The call failed before a response arrived (connection, TLS, timeout), in net/http's words."""


class WebhookClient(Protocol):
    async def post(
        self, url: str, body: bytes, *, ssl_context: ssl.SSLContext, headers: Mapping[str, str], timeout: float
    ) -> tuple[int, bytes]:
        """POST `body`; (status code, response body), or WebhookError."""
        ...

    async def get(
        self, url: str, *, ssl_context: ssl.SSLContext, timeout: float
    ) -> tuple[int, bytes, Mapping[str, str]]:
        """GET; (status code, response body, response headers), or WebhookError (OIDC discovery and keys)."""
        ...


@dataclass(frozen=True)
class WebhookTarget:
    url: str
    ssl_context: ssl.SSLContext = field(compare=False)
    headers: Mapping[str, str] = field(default_factory=dict)


def load_webhook_kubeconfig(path: Path, flag: str) -> WebhookTarget:
    """The current (or first) cluster and user of a kubeconfig: server URL, CA, client certificate or token.
    ValueError naming the flag and file when it cannot be used."""

    def fail(why: str) -> ValueError:
        return ValueError(f"{flag} {path}: {why}")

    try:
        doc = yaml.safe_load(path.read_text())
    except OSError as exc:
        raise fail(exc.strerror or str(exc)) from None
    except yaml.YAMLError as exc:
        raise fail(f"invalid kubeconfig: {exc}") from None
    if not isinstance(doc, dict):
        raise fail("invalid kubeconfig: not a mapping")
    cluster, user = _current(doc, fail)
    server = str(cluster.get("server") or "")
    parts = urlsplit(server)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise fail(f"invalid server URL {server!r}")
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    base = path.parent
    try:
        if cluster.get("insecure-skip-tls-verify") is True:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        elif cluster.get("certificate-authority-data"):
            context.load_verify_locations(cadata=base64.b64decode(cluster["certificate-authority-data"]).decode())
        elif cluster.get("certificate-authority"):
            context.load_verify_locations(cafile=str(base / str(cluster["certificate-authority"])))
        cert = _material(user, "client-certificate", base)
        key = _material(user, "client-key", base)
        if cert is not None and key is not None:
            _load_chain(context, cert, key)
    except (OSError, ssl.SSLError, ValueError) as exc:
        raise fail(f"TLS material: {exc}") from None
    headers: dict[str, str] = {}
    token = user.get("token")
    if not token and user.get("tokenFile"):
        try:
            token = (base / str(user["tokenFile"])).read_text().strip()
        except OSError as exc:
            raise fail(f"tokenFile: {exc.strerror or exc}") from None
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return WebhookTarget(server, context, headers)


def _current(doc: dict[str, Any], fail: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    def named(kind: str, name: str | None) -> dict[str, Any]:
        entries = doc.get(kind + "s") or []
        if not isinstance(entries, list) or not entries:
            if kind == "user":
                return {}
            raise fail(f"invalid kubeconfig: no {kind}s")
        chosen = next((e for e in entries if isinstance(e, dict) and e.get("name") == name), entries[0])
        value = chosen.get(kind) if isinstance(chosen, dict) else None
        return value if isinstance(value, dict) else {}

    current = doc.get("current-context")
    contexts = {c.get("name"): c.get("context") or {} for c in doc.get("contexts") or [] if isinstance(c, dict)}
    context = contexts.get(current) or (next(iter(contexts.values())) if contexts else {})
    return named("cluster", context.get("cluster")), named("user", context.get("user"))


def _material(user: dict[str, Any], key: str, base: Path) -> bytes | None:
    if user.get(f"{key}-data"):
        return base64.b64decode(user[f"{key}-data"])
    if user.get(key):
        return (base / str(user[key])).read_bytes()
    return None


def _load_chain(context: ssl.SSLContext, cert: bytes, key: bytes) -> None:
    """ssl loads client credentials only from files: through a private temporary directory."""
    with tempfile.TemporaryDirectory(prefix="mockapi-webhook-") as tmp:
        cert_file, key_file = Path(tmp, "tls.crt"), Path(tmp, "tls.key")
        cert_file.write_bytes(cert)
        key_file.write_bytes(key)
        key_file.chmod(0o600)
        context.load_cert_chain(cert_file, key_file)
