"""How kubectl (the oldest and newest) renders the server's Status errors: NotFound, AlreadyExists, Invalid,
Forbidden."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from mockapi.testing.kubectl import Kubectl

pytestmark = pytest.mark.kubectl

RFC1123_SUBDOMAIN = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)


def manifest(tmp_path: Path, name: str, namespace: str = "default") -> str:
    path = tmp_path / f"{name.lower()}-{namespace}.yaml"
    path.write_text(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {namespace}\n")
    return str(path)


def fails(k: Kubectl, *args: str) -> str:
    """Run a command that must fail with exit status 1 and print nothing on stdout; returns stderr."""
    result = k(*args)
    assert (result.returncode, result.stdout) == (1, ""), result
    return result.stderr.strip()


def test_not_found_already_exists_invalid_forbidden(
    kubectl_version: str, kubectl: Callable[..., Kubectl], tmp_path: Path
) -> None:
    k = kubectl(kubectl_version)

    assert fails(k, "get", "cm", "nope") == 'Error from server (NotFound): configmaps "nope" not found'

    path = manifest(tmp_path, "x")
    assert k.ok("create", "-f", path) == "configmap/x created\n"
    assert fails(k, "create", "-f", path) == (
        f'Error from server (AlreadyExists): error when creating "{path}": configmaps "x" already exists'
    )

    assert fails(k, "create", "-f", manifest(tmp_path, "Bad_Name")) == (
        f'The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": {RFC1123_SUBDOMAIN}'
    )

    path = manifest(tmp_path, "in-missing-ns", namespace="nope")
    assert fails(k, "create", "-f", path) == (
        f'Error from server (NotFound): error when creating "{path}": namespaces "nope" not found'
    )

    assert fails(k, "delete", "ns", "default") == (
        'Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted'
    )
    assert k.ok("get", "ns", "default", "-o", "jsonpath={.status.phase}") == "Active"


@pytest.mark.mockapi_config(authorization_modes=("AlwaysDeny",))
def test_always_deny_forbids_non_masters(kubectl_version: str, kubectl: Callable[..., Kubectl]) -> None:
    admin = kubectl(kubectl_version)
    assert admin.ok("get", "ns", "default", "-o", "name") == "namespace/default\n"  # system:masters bypasses authz

    bob = kubectl(kubectl_version, user="bob", groups=())
    # AlwaysDeny also denies bob discovery; a warm discovery cache (as left by an earlier allowed run)
    # makes the list request itself the one that is refused. kube-apiserver appends the authorizer's
    # reason; AlwaysDeny's is "Everything is forbidden." (apiserver authorizerfactory/builtin.go).
    shutil.copytree(admin.home / "cache", bob.home / "cache")
    assert fails(bob, "get", "cm") == (
        'Error from server (Forbidden): configmaps is forbidden: User "bob" cannot list resource "configmaps" '
        'in API group "" in the namespace "default": Everything is forbidden.'
    )
    assert fails(bob, "get", "cm", "kube-root-ca.crt") == (
        'Error from server (Forbidden): configmaps "kube-root-ca.crt" is forbidden: User "bob" cannot get '
        'resource "configmaps" in API group "" in the namespace "default": Everything is forbidden.'
    )
    assert fails(bob, "get", "ns") == (
        'Error from server (Forbidden): namespaces is forbidden: User "bob" cannot list resource "namespaces" '
        'in API group "" at the cluster scope: Everything is forbidden.'
    )
