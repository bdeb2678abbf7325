"""Service-account token keys (`--service-account-signing-key-file`, `--service-account-key-file`): the key that
signs and the public keys that verify, with kube-apiserver's key ids, algorithms and JWKS form
(pkg/serviceaccount/jwt.go, pkg/serviceaccount/openidmetadata.go).

Signing and verifying are PyJWT's (`PyJWS`); what is kube-apiserver's own is kept here: the key id (base64url
of the SHA-256 of the key's SubjectPublicKeyInfo DER), RS256 for every RSA key and ES256/384/512 by curve,
a header of exactly `alg` and `kid`, and a payload with its keys sorted (go-jose writes claims from a map).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
import orjson
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey
PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
_CURVES = {"secp256r1": ("ES256", "P-256"), "secp384r1": ("ES384", "P-384"), "secp521r1": ("ES512", "P-521")}


@dataclass(frozen=True, slots=True)
class VerifyingKey:
    key: PublicKey
    kid: str
    alg: str


def key_id(key: PublicKey) -> str:
    """keyIDFromPublicKey."""
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return _b64(hashlib.sha256(der).digest())


def algorithm(key: PublicKey) -> str:
    if isinstance(key, rsa.RSAPublicKey):
        return "RS256"
    found = _CURVES.get(key.curve.name)
    if found is None:
        raise ValueError(f"unsupported elliptic curve {key.curve.name} for service account tokens")
    return found[0]


class Signer:
    """Signs the claims of a token with the signing key, for the issuer its tokens name (the first configured)."""

    def __init__(self, key: PrivateKey, issuer: str) -> None:
        self.key = key
        self.issuer = issuer
        public = key.public_key()
        self.kid = key_id(public)
        self.alg = algorithm(public)

    def sign(self, claims: dict[str, Any]) -> str:
        payload = orjson.dumps(claims, option=orjson.OPT_SORT_KEYS)
        return jwt.PyJWS().encode(payload, self.key, algorithm=self.alg, headers={"kid": self.kid, "typ": None})


class KeySet:
    """The public keys tokens are verified with (every key file, and the signing key's own)."""

    def __init__(self, keys: list[PublicKey]) -> None:
        seen: dict[str, VerifyingKey] = {}
        for key in keys:
            kid = key_id(key)
            seen.setdefault(kid, VerifyingKey(key, kid, algorithm(key)))
        self.keys = tuple(seen.values())

    def for_kid(self, kid: str) -> tuple[VerifyingKey, ...]:
        """The keys to try: the one with this id, or every key when the token names none."""
        if not kid:
            return self.keys
        return tuple(k for k in self.keys if k.kid == kid)

    def jwks(self) -> dict[str, Any]:
        """The JSON Web Key Set of /openid/v1/jwks, in go-jose's member order."""
        out = []
        for k in self.keys:
            if isinstance(k.key, rsa.RSAPublicKey):
                numbers = k.key.public_numbers()
                out.append(
                    {"use": "sig", "kty": "RSA", "kid": k.kid, "alg": k.alg, "n": _int(numbers.n), "e": _int(numbers.e)}
                )
            else:
                ec_numbers = k.key.public_numbers()
                size = (k.key.curve.key_size + 7) // 8
                crv = _CURVES[k.key.curve.name][1]
                out.append(
                    {
                        "use": "sig",
                        "kty": "EC",
                        "kid": k.kid,
                        "crv": crv,
                        "alg": k.alg,
                        "x": _b64(ec_numbers.x.to_bytes(size, "big")),
                        "y": _b64(ec_numbers.y.to_bytes(size, "big")),
                    }
                )
        return {"keys": out}

    def algorithms(self) -> list[str]:
        return sorted({k.alg for k in self.keys})


def keys_of_jwks(jwks: Any) -> list[PublicKey]:
    """The RSA and ECDSA public keys of a JSON Web Key Set (others, and private or symmetric keys, left out);
    ValueError when there is no such key."""
    try:
        found = jwt.PyJWKSet.from_dict(jwks).keys
    except (jwt.PyJWKSetError, jwt.InvalidKeyError, TypeError, AttributeError) as exc:
        raise ValueError(str(exc) or "invalid JWKS") from None
    keys = [k.key for k in found if isinstance(k.key, (rsa.RSAPublicKey, ec.EllipticCurvePublicKey))]
    keys = [k for k in keys if not isinstance(k, ec.EllipticCurvePublicKey) or k.curve.name in _CURVES]
    if not keys:
        raise ValueError("no RSA or ECDSA public keys in the key set")
    return keys


def load_signer(path: Path, issuer: str) -> Signer:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except OSError as exc:
        raise ValueError(f"--service-account-signing-key-file {path}: {exc.strerror or exc}") from None
    except (ValueError, TypeError) as exc:
        raise ValueError(f"--service-account-signing-key-file {path}: {exc}") from None
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise ValueError(f"--service-account-signing-key-file {path}: only RSA and ECDSA keys sign tokens")
    return Signer(key, issuer)


def load_public_keys(path: Path) -> list[PublicKey]:
    """keyutil.PublicKeysFromFile: every public key, certificate or private key's public half in a PEM file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"--service-account-key-file {path}: {exc.strerror or exc}") from None
    keys: list[PublicKey] = []
    for block in _pem_blocks(data):
        key: Any
        try:
            if b"CERTIFICATE" in block.split(b"\n", 1)[0]:
                key = x509.load_pem_x509_certificate(block).public_key()
            elif b"PRIVATE KEY" in block.split(b"\n", 1)[0]:
                key = serialization.load_pem_private_key(block, password=None).public_key()
            else:
                key = serialization.load_pem_public_key(block)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"--service-account-key-file {path}: {exc}") from None
        if isinstance(key, (rsa.RSAPublicKey, ec.EllipticCurvePublicKey)):
            keys.append(key)
    if not keys:
        raise ValueError(f"--service-account-key-file {path}: data does not contain any valid RSA or ECDSA public keys")
    return keys


def _pem_blocks(data: bytes) -> list[bytes]:
    blocks: list[bytes] = []
    rest = data
    while True:
        start = rest.find(b"-----BEGIN ")
        if start < 0:
            return blocks
        end = rest.find(b"-----END ", start)
        if end < 0:
            return blocks
        close = rest.find(b"-----", end + 9)
        if close < 0:
            return blocks
        blocks.append(rest[start : close + 5] + b"\n")
        rest = rest[close + 5 :]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _int(value: int) -> str:
    return _b64(value.to_bytes((value.bit_length() + 7) // 8 or 1, "big"))
