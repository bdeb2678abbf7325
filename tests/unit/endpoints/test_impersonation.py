"""Impersonation headers read as upstream's buildImpersonationRequests reads them, and the user a request then
runs as, table-driven after impersonation_test.go."""

from __future__ import annotations

import pytest
from multidict import CIMultiDict, CIMultiDictProxy

from mockapi.endpoints.impersonation import impersonated_user, requested_parts


def headers(*pairs: tuple[str, str]) -> CIMultiDictProxy[str]:
    return CIMultiDictProxy(CIMultiDict(pairs))


@pytest.mark.parametrize(
    ("given", "parts"),
    [
        ((), []),
        ((("Impersonate-User", ""),), []),  # an empty user is no impersonation
        ((("impersonate-user", "anyone"),), ["{User  anyone    }"]),
        (
            (("Impersonate-User", "system:serviceaccount:foo:default"),),
            ["{ServiceAccount foo default    }"],
        ),
        ((("Impersonate-User", "system:serviceaccount:a:b:c"),), ["{User  system:serviceaccount:a:b:c    }"]),
        ((("Impersonate-User", "system:serviceaccount:Bad:x"),), ["{User  system:serviceaccount:Bad:x    }"]),
        (
            (
                ("Impersonate-Uid", "some-uid"),
                ("Impersonate-Extra-Scopes", "scope-a"),
                ("Impersonate-Group", "g1"),
                ("Impersonate-User", "tester"),
                ("Impersonate-Group", "g2"),
                ("Impersonate-Extra-scopes", "scope-b"),
            ),
            [  # user, groups, extras, uid: upstream's order whatever the headers' order
                "{User  tester    }",
                "{Group  g1    }",
                "{Group  g2    }",
                "{UserExtra  scope-a  authentication.k8s.io/v1  scopes}",
                "{UserExtra  scope-b  authentication.k8s.io/v1  scopes}",
                "{UID  some-uid  authentication.k8s.io/v1  }",
            ],
        ),
        (
            (("Impersonate-User", "u"), ("Impersonate-Extra-example.com%2fescaped%e1%9b%84scopes", "v")),
            ["{User  u    }", "{UserExtra  v  authentication.k8s.io/v1  example.com/escapedᛄscopes}"],
        ),
        (
            (("Impersonate-User", "u"), ("Impersonate-Extra-almost%zzpercent%xxencoded", "v")),
            ["{User  u    }", "{UserExtra  v  authentication.k8s.io/v1  almost%zzpercent%xxencoded}"],
        ),
        ((("Impersonate-Group", "some-group"),), ["{Group  some-group    }"]),  # refused later: no user
    ],
)
def test_headers_become_requests_in_upstreams_order(given: tuple[tuple[str, str], ...], parts: list[str]) -> None:
    assert [p.go_value() for p in requested_parts(headers(*given))] == parts


@pytest.mark.parametrize(
    ("given", "name", "groups", "extra", "uid"),
    [
        ((("Impersonate-User", "tester"),), "tester", ("system:authenticated",), {}, ""),
        (
            (("Impersonate-User", "system:admin"), ("Impersonate-Group", "some-group")),
            "system:admin",
            ("some-group", "system:authenticated"),
            {},
            "",
        ),
        (
            (("Impersonate-User", "system:serviceaccount:foo:default"),),
            "system:serviceaccount:foo:default",
            ("system:serviceaccounts", "system:serviceaccounts:foo", "system:authenticated"),
            {},
            "",
        ),
        (  # groups given: a service account's own groups are not added
            (("Impersonate-User", "system:serviceaccount:foo:default"), ("Impersonate-Group", "g")),
            "system:serviceaccount:foo:default",
            ("g", "system:authenticated"),
            {},
            "",
        ),
        ((("Impersonate-User", "system:anonymous"),), "system:anonymous", ("system:unauthenticated",), {}, ""),
        (
            (("Impersonate-User", "unknown"), ("Impersonate-Group", "system:unauthenticated")),
            "unknown",
            ("system:unauthenticated",),
            {},
            "",
        ),
        (
            (("Impersonate-User", "unknown"), ("Impersonate-Group", "system:authenticated")),
            "unknown",
            ("system:authenticated",),
            {},
            "",
        ),
        (
            (
                ("Impersonate-User", "tester"),
                ("Impersonate-Uid", "some-uid"),
                ("Impersonate-Group", "system:authenticated"),
                ("Impersonate-Extra-scopes", "scope-a"),
                ("Impersonate-Extra-scopes", "scope-b"),
            ),
            "tester",
            ("system:authenticated",),
            {"scopes": ("scope-a", "scope-b")},
            "some-uid",
        ),
    ],
)
def test_the_impersonated_user_keeps_nothing_of_the_requester(
    given: tuple[tuple[str, str], ...], name: str, groups: tuple[str, ...], extra: dict[str, tuple[str, ...]], uid: str
) -> None:
    user = impersonated_user(requested_parts(headers(*given)))
    assert (user.name, user.groups, dict(user.extra), user.uid) == (name, groups, extra, uid)
