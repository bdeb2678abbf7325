"""The shared index functions, and that a user's subject keys find exactly the bindings RBAC applies."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from mockapi.api.informers import IndexFunc
from mockapi.api.types import Obj
from mockapi.informers.cache import IndexedCache, key_of
from mockapi.informers.indexes import (
    binding_subject_index,
    namespace_index,
    pod_node_index,
    secret_type_index,
    subject_keys,
)


@dataclass(frozen=True)
class IndexCase:
    name: str
    fn: IndexFunc
    obj: Obj
    values: list[str]


def binding(ns: str, *subjects: Obj) -> Obj:
    m = {"name": "b", "namespace": ns} if ns else {"name": "b"}
    return {"metadata": m, "subjects": list(subjects), "roleRef": {"kind": "ClusterRole", "name": "view"}}


def sa(name: str, ns: str = "") -> Obj:
    return {"kind": "ServiceAccount", "name": name, **({"namespace": ns} if ns else {})}


INDEX_CASES = [
    IndexCase("namespace", namespace_index, {"metadata": {"name": "p", "namespace": "x"}}, ["x"]),
    IndexCase("namespace of a cluster-scoped object", namespace_index, {"metadata": {"name": "n"}}, [""]),
    IndexCase("scheduled pod", pod_node_index, {"metadata": {"name": "p"}, "spec": {"nodeName": "n1"}}, ["n1"]),
    IndexCase("unscheduled pod", pod_node_index, {"metadata": {"name": "p"}, "spec": {}}, []),
    IndexCase("pod without spec", pod_node_index, {"metadata": {"name": "p"}}, []),
    IndexCase(
        "typed secret", secret_type_index, {"type": "bootstrap.kubernetes.io/token"}, ["bootstrap.kubernetes.io/token"]
    ),
    IndexCase("untyped secret is Opaque", secret_type_index, {"metadata": {"name": "s"}}, ["Opaque"]),
    IndexCase(
        "users and groups, whatever their apiGroup",
        binding_subject_index,
        binding(
            "",
            {"kind": "User", "name": "alice", "apiGroup": "rbac.authorization.k8s.io"},
            {"kind": "Group", "name": "devs"},
        ),
        ["User:alice", "Group:devs"],
    ),
    IndexCase(
        "a service account's namespace defaults to the RoleBinding's",
        binding_subject_index,
        binding("team", sa("builder"), sa("deployer", "ci")),
        ["ServiceAccount:team/builder", "ServiceAccount:ci/deployer"],
    ),
    IndexCase(
        "a ClusterRoleBinding's service account without a namespace matches nobody",
        binding_subject_index,
        binding("", sa("builder"), sa("deployer", "ci")),
        ["ServiceAccount:ci/deployer"],
    ),
    IndexCase("unknown kinds match nobody", binding_subject_index, binding("x", {"kind": "Robot", "name": "r"}), []),
    IndexCase("no subjects", binding_subject_index, {"metadata": {"name": "b"}}, []),
]


@pytest.mark.parametrize("case", INDEX_CASES, ids=lambda c: c.name)
def test_index_function(case: IndexCase) -> None:
    assert list(case.fn(case.obj)) == case.values


@pytest.mark.parametrize(
    ("user", "groups", "keys"),
    [
        ("alice", ["devs", "system:authenticated"], ["User:alice", "Group:devs", "Group:system:authenticated"]),
        (
            "system:serviceaccount:ci:deployer",
            [],
            ["User:system:serviceaccount:ci:deployer", "ServiceAccount:ci/deployer"],
        ),
        ("system:serviceaccount:ci", [], ["User:system:serviceaccount:ci"]),
        ("system:serviceaccount::x", [], ["User:system:serviceaccount::x"]),
        ("system:serviceaccount:a:b:c", [], ["User:system:serviceaccount:a:b:c"]),
    ],
)
def test_subject_keys(user: str, groups: list[str], keys: list[str]) -> None:
    assert subject_keys(user, groups) == keys


def test_subject_keys_find_the_bindings_that_apply() -> None:
    """What RBAC's appliesToUser decides, as index reads: bindings for a service account in its namespace."""
    bindings = [
        {**binding("ci", sa("deployer")), "metadata": {"name": "local-sa", "namespace": "ci"}},
        {**binding("ci", sa("deployer", "other")), "metadata": {"name": "other-sa", "namespace": "ci"}},
        {
            **binding("ci", {"kind": "User", "name": "system:serviceaccount:ci:deployer"}),
            "metadata": {"name": "as-user", "namespace": "ci"},
        },
        {
            **binding("ci", {"kind": "Group", "name": "system:serviceaccounts:ci"}),
            "metadata": {"name": "sa-group", "namespace": "ci"},
        },
        {**binding("ci", {"kind": "User", "name": "alice"}), "metadata": {"name": "alice", "namespace": "ci"}},
    ]
    cache = IndexedCache()
    cache.add_indexer("subject", binding_subject_index)
    for b in bindings:
        cache.put(key_of(b), b)
    found = {
        b["metadata"]["name"]
        for k in subject_keys("system:serviceaccount:ci:deployer", ["system:serviceaccounts:ci"])
        for b in cache.by_index("subject", k)
    }
    assert found == {"local-sa", "as-user", "sa-group"}
