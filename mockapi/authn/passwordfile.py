"""The legacy password file (`--basic-auth-file`, kube-apiserver up to 1.18; seed 002 lists passwords among
the authentication modules): `Authorization: Basic` against a CSV of `password,user,uid[,"groups"]`.

Off unless asked for, as in every supported Kubernetes; what it did is kept: the file read with Go's csv
rules (fewer than three fields stops start-up), a repeated user name replaced by its later record, a
matching password compared in constant time, and any failure for a Basic header `invalid username/password
combination` (a 401 even with anonymous on). A 401 then carries `WWW-Authenticate: Basic
realm="kubernetes-master"`, as servers with basic auth did.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import logging
from dataclasses import dataclass
from pathlib import Path

from mockapi.api.types import UserInfo
from mockapi.authn.gocsv import read_file_records
from mockapi.authn.interface import Authenticated, AuthenticationError, Credentials

log = logging.getLogger("mockapi.authn")

WWW_AUTHENTICATE = 'Basic realm="kubernetes-master"'


@dataclass(frozen=True, slots=True)
class _Entry:
    password: str
    user: UserInfo


class BasicAuthAuthenticator:
    name = "basicauth"

    def __init__(self, users: dict[str, _Entry]) -> None:
        self.users = users

    @classmethod
    def from_file(cls, path: Path) -> BasicAuthAuthenticator:
        return cls(read_password_file(path))

    async def authenticate(self, creds: Credentials) -> Authenticated | None:
        found = basic_auth(creds.authorization)
        if found is None:
            return None
        username, password = found
        entry = self.users.get(username)
        if entry is None or not hmac.compare_digest(entry.password.encode(), password.encode()):
            raise AuthenticationError("invalid username/password combination")
        return Authenticated(entry.user, self.name)


def basic_auth(header: str) -> tuple[str, str] | None:
    """net/http's Request.BasicAuth: `Basic <base64(user:password)>`, the scheme in any case."""
    prefix = "basic "
    if len(header) < len(prefix) or header[: len(prefix)].lower() != prefix:
        return None
    try:
        decoded = base64.b64decode(header[len(prefix) :], validate=True).decode("utf-8", errors="replace")
    except (binascii.Error, ValueError):
        return None
    username, sep, password = decoded.partition(":")
    return (username, password) if sep else None


def read_password_file(path: Path) -> dict[str, _Entry]:
    users: dict[str, _Entry] = {}
    for number, record in enumerate(read_file_records(path, "password"), start=1):
        fields = record.fields
        if len(fields) < 3:
            raise ValueError(
                f"password file '{path}' must have at least 3 columns (password, user name, user uid), "
                f"found {len(fields)} (line {record.line})"
            )
        groups = tuple(fields[3].split(",")) if len(fields) >= 4 else ()
        user = UserInfo(name=fields[1], uid=fields[2], groups=groups)
        if user.name in users:
            log.warning(
                "duplicate username '%s' has been found in password file '%s', record number '%d'",
                user.name,
                path,
                number,
            )
        users[user.name] = _Entry(fields[0], user)
    return users
