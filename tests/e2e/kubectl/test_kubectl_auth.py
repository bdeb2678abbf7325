"""`kubectl auth whoami` and `kubectl auth can-i` answered by the review APIs (SelfSubjectReview,
SelfSubjectAccessReview, SelfSubjectRulesReview), never stored as objects."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from kubectl_e2e_support import table

from mockapi.testing.kubectl import Kubectl
from mockapi.testing.server import ServerThread

pytestmark = pytest.mark.kubectl


# kubectl 1.27 asks for SelfSubjectReview in v1alpha1/v1beta1, which kube-apiserver 1.33 no longer serves
@pytest.mark.kubectl_versions(since="1.28")
def test_auth_whoami_names_the_certificate_user(kubectl_version: str, kubectl: Callable[..., Kubectl]) -> None:
    run = kubectl(kubectl_version, user="jane", groups=("dev", "ops"))
    rows = table(run.ok("auth", "whoami"))
    assert rows[0] == ["ATTRIBUTE", "VALUE"]
    assert ["Username", "jane"] in rows
    assert ["Groups", "[dev ops system:authenticated]"] in rows


def test_auth_can_i_asks_the_configured_authorizer(kubectl_version: str, kubectl: Callable[..., Kubectl]) -> None:
    run = kubectl(kubectl_version, user="jane", groups=())
    assert run.ok("auth", "can-i", "create", "deployments", "-n", "default").strip() == "yes"
    assert run.ok("auth", "can-i", "get", "/healthz").strip() == "yes"
    listed = table(run.ok("auth", "can-i", "--list", "-n", "default"))
    assert listed[0][:2] == ["Resources", "Non-Resource URLs"]
    assert ["*.*", "[]", "[]", "[*]"] in listed


@pytest.mark.mockapi_config(authorization_modes=("AlwaysDeny",))
def test_auth_can_i_when_nobody_allows(
    kubectl_version: str, kubectl: Callable[..., Kubectl], mockapi: ServerThread
) -> None:
    # the review itself is a request the authorizer decides: with AlwaysDeny jane may not even ask
    jane = kubectl(kubectl_version, user="jane", groups=())
    result = jane("auth", "can-i", "delete", "pods")
    assert result.returncode == 1
    assert (
        'Error from server (Forbidden): selfsubjectaccessreviews.authorization.k8s.io is forbidden: User "jane" '
        'cannot create resource "selfsubjectaccessreviews" in API group "authorization.k8s.io" at the cluster '
        "scope: Everything is forbidden."
    ) in result.stderr
    admin = kubectl(kubectl_version)  # system:masters is allowed before any mode is asked
    assert admin.ok("auth", "can-i", "delete", "pods").strip() == "yes"
