"""serviceaccount.SplitUsername: which user names are service accounts (impersonation and legacy tokens)."""

from __future__ import annotations

import pytest

from mockapi.api.serviceaccounts import split_username


@pytest.mark.parametrize(
    ("name", "split"),
    [
        ("system:serviceaccount:default:builder", ("default", "builder")),
        ("system:serviceaccount:kube-system:a.b-c", ("kube-system", "a.b-c")),
        ("system:serviceaccount:a:b:c", None),  # three parts
        ("system:serviceaccount:Default:builder", None),  # not a DNS label
        ("system:serviceaccount:default:Builder", None),  # not a DNS subdomain
        ("system:serviceaccount:" + "n" * 64 + ":x", None),  # a label is at most 63
        ("system:serviceaccount::builder", None),
        ("system:serviceaccounts:default", None),
        ("alice", None),
    ],
)
def test_split_username(name: str, split: tuple[str, str] | None) -> None:
    assert split_username(name) == split
