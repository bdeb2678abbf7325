"""Static tokens (`--token-auth-file`, apiserver/pkg/authentication/token/tokenfile): a CSV file of
`token,user,uid[,"group1,group2"]`, read once at start-up.

A record with fewer than three fields stops start-up with upstream's message (mockapi adds the line, which
upstream's message lacks); an empty token is skipped and a repeated token replaced by its later record,
both with upstream's warnings in the log. A token the file lacks is not this authenticator's.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mockapi.api.types import UserInfo
from mockapi.authn.gocsv import read_file_records
from mockapi.authn.interface import Authenticated

log = logging.getLogger("mockapi.authn")


class TokenFileAuthenticator:
    name = "tokenfile"

    def __init__(self, tokens: dict[str, UserInfo]) -> None:
        self.tokens = tokens

    @classmethod
    def from_file(cls, path: Path) -> TokenFileAuthenticator:
        return cls(read_token_file(path))

    async def authenticate_token(self, token: str, audiences: tuple[str, ...]) -> Authenticated | None:
        user = self.tokens.get(token)
        if user is None:
            return None
        return Authenticated(user, self.name, audiences)  # audience-agnostic: valid for the API's audiences


def read_token_file(path: Path) -> dict[str, UserInfo]:
    tokens: dict[str, UserInfo] = {}
    for number, record in enumerate(read_file_records(path, "token"), start=1):
        fields = record.fields
        if len(fields) < 3:
            raise ValueError(
                f"token file '{path}' must have at least 3 columns (token, user name, user uid), "
                f"found {len(fields)} (line {record.line})"
            )
        token, name, uid = fields[0], fields[1], fields[2]
        if token == "":
            log.warning("empty token has been found in token file '%s', record number '%d'", path, number)
            continue
        if token in tokens:
            log.warning("duplicate token has been found in token file '%s', record number '%d'", path, number)
        groups = tuple(fields[3].split(",")) if len(fields) >= 4 else ()
        tokens[token] = UserInfo(name=name, uid=uid, groups=groups)
    return tokens
