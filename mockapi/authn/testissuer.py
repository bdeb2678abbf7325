"""The built-in OIDC test issuer (`--oidc-test-issuer`, `mockapi oidc-token`): a signing key in the state
directory and a fixed, unresolvable issuer URL, so OIDC is testable with no identity provider. The server
verifies its tokens with the key's public half; `mint` writes tokens as an identity provider would."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from mockapi.authn.sakeys import KeySet, Signer

ISSUER_URL = "https://oidc.mockapi.test"
CLIENT_ID = "mockapi"
GROUPS_CLAIM = "groups"
KEY_FILE = "oidc-test-issuer.key"


def signer(state_dir: Path) -> Signer:
    """The test issuer's key (RSA 2048, created on first use, 0600)."""
    path = state_dir / KEY_FILE
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError(f"{path}: not an RSA key")
    else:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        state_dir.mkdir(parents=True, exist_ok=True)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
    return Signer(key, ISSUER_URL)


def keys(state_dir: Path) -> KeySet:
    return KeySet([signer(state_dir).key.public_key()])


def mint(
    state_dir: Path,
    user: str,
    groups: tuple[str, ...] = (),
    claims: dict[str, Any] | None = None,
    expires_in: float = 3600,
) -> str:
    """An ID token for `user` (`sub`) in `groups`, with extra `claims` (which win), valid for `expires_in`."""
    now = int(time.time())
    body: dict[str, Any] = {
        "iss": ISSUER_URL,
        "aud": CLIENT_ID,
        "sub": user,
        "iat": now,
        "nbf": now,
        "exp": now + int(expires_in),
        "jti": str(uuid.uuid4()),
    }
    if groups:
        body[GROUPS_CLAIM] = list(groups)
    body.update(claims or {})
    return signer(state_dir).sign(body)
