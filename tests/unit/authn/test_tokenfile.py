"""--token-auth-file: kube-apiserver's CSV, its start-up errors and warnings, and lookups."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from mockapi.api.types import UserInfo
from mockapi.authn.tokenfile import TokenFileAuthenticator, read_token_file


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tokens.csv"
    path.write_text(text)
    return path


def test_records_become_users(tmp_path: Path) -> None:
    path = write(tmp_path, 'abc,alice,1001,"dev,ops"\nxyz,bob,1002\nlong,carol,3,"g",ignored,columns\n')
    assert read_token_file(path) == {
        "abc": UserInfo("alice", uid="1001", groups=("dev", "ops")),
        "xyz": UserInfo("bob", uid="1002"),
        "long": UserInfo("carol", uid="3", groups=("g",)),
    }


def test_empty_tokens_are_skipped_and_repeated_ones_replaced(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = write(tmp_path, ",nobody,0\nt,first,1\nt,second,2\n")
    with caplog.at_level(logging.WARNING, "mockapi.authn"):
        assert read_token_file(path) == {"t": UserInfo("second", uid="2")}
    assert caplog.messages == [
        f"empty token has been found in token file '{path}', record number '1'",
        f"duplicate token has been found in token file '{path}', record number '3'",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "ok,user,1\nshort,user\n",
            "token file '{path}' must have at least 3 columns (token, user name, user uid), found 2 (line 2)",
        ),
        ('t,u"x,1\n', "token file '{path}': parse error on line 1, column 4: bare \" in non-quoted-field"),
    ],
)
def test_a_malformed_file_stops_start_up_naming_file_line_and_reason(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ValueError) as caught:
        read_token_file(path)
    assert str(caught.value) == message.format(path=path)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "missing.csv"
    with pytest.raises(ValueError) as caught:
        read_token_file(path)
    assert str(caught.value) == f"token file '{path}': No such file or directory"


def test_a_known_token_is_accepted_for_the_requested_audiences_and_others_are_not_mine() -> None:
    auth = TokenFileAuthenticator({"t": UserInfo("alice")})
    answer = asyncio.run(auth.authenticate_token("t", ("api",)))
    assert answer is not None and answer.user.name == "alice" and answer.member == "tokenfile"
    assert answer.audiences == ("api",)
    assert asyncio.run(auth.authenticate_token("T", ("api",))) is None
