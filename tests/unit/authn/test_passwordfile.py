"""The legacy password file (--basic-auth-file, kube-apiserver <= 1.18): the file, the Basic header, the answers."""

from __future__ import annotations

import asyncio
import base64
import logging
from pathlib import Path

import pytest

from mockapi.api.authentication import AuthenticationError, Credentials
from mockapi.authn.passwordfile import BasicAuthAuthenticator, basic_auth, read_password_file


def basic(user: str, password: str, scheme: str = "Basic") -> str:
    return f"{scheme} " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.mark.parametrize(
    ("header", "found"),
    [
        (basic("alice", "s3cret"), ("alice", "s3cret")),
        (basic("alice", "a:b:c", "bAsIc"), ("alice", "a:b:c")),  # the scheme in any case; the first colon splits
        (basic("", ""), ("", "")),
        ("Basic " + base64.b64encode(b"no-colon").decode(), None),
        ("Basic not base64!", None),
        ("Bearer abc", None),
        ("", None),
    ],
)
def test_the_header_is_read_as_net_http_reads_it(header: str, found: tuple[str, str] | None) -> None:
    assert basic_auth(header) == found


def test_the_file(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "passwords.csv"
    path.write_text('s3cret,alice,1001,"dev,ops"\nold,bob,1\nnew,bob,2\n')
    with caplog.at_level(logging.WARNING, "mockapi.authn"):
        users = read_password_file(path)
    assert {name: (e.password, e.user.uid, e.user.groups) for name, e in users.items()} == {
        "alice": ("s3cret", "1001", ("dev", "ops")),
        "bob": ("new", "2", ()),
    }
    assert caplog.messages == [f"duplicate username 'bob' has been found in password file '{path}', record number '3'"]
    path.write_text("pw,user\n")
    with pytest.raises(ValueError) as caught:
        read_password_file(path)
    assert str(caught.value) == (
        f"password file '{path}' must have at least 3 columns (password, user name, user uid), found 2 (line 1)"
    )


@pytest.mark.parametrize(
    ("header", "user", "error"),
    [
        (basic("alice", "s3cret"), "alice", ""),
        (basic("alice", "wrong"), None, "invalid username/password combination"),
        (basic("nobody", "s3cret"), None, "invalid username/password combination"),
        ("Bearer token", None, ""),  # not Basic: not mine
        ("", None, ""),
    ],
)
def test_answers(tmp_path: Path, header: str, user: str | None, error: str) -> None:
    path = tmp_path / "passwords.csv"
    path.write_text('s3cret,alice,1001,"dev"\n')
    auth = BasicAuthAuthenticator.from_file(path)
    if error:
        with pytest.raises(AuthenticationError, match=error):
            asyncio.run(auth.authenticate(Credentials(authorization=header)))
        return
    answer = asyncio.run(auth.authenticate(Credentials(authorization=header)))
    assert (answer.user.name if answer else None) == user
