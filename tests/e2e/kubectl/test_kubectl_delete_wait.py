"""delete --cascade=background|foreground|orphan, delete ns, wait --for=delete and --for=jsonpath."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from kubectl_e2e_support import audit_ids, finish, informer_list, terminating, wait_for_request

from mockapi.testing.kubectl import Kubectl
from mockapi.testing.server import ServerThread

pytestmark = pytest.mark.kubectl


def configmap(name: str, namespace: str = "default", owner: tuple[str, str] | None = None) -> str:
    text = f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {namespace}\n"
    if owner is not None:
        owner_name, uid = owner
        text += (
            "  ownerReferences:\n"
            f"  - {{apiVersion: v1, kind: ConfigMap, name: {owner_name}, uid: {uid}, blockOwnerDeletion: true}}\n"
        )
    return text + "data: {k: old}\n"


def not_found(k: Kubectl, *args: str) -> str:
    result = k("get", *args)
    assert result.returncode == 1, result.stdout
    return result.stderr.strip()


def test_cascading_delete(kubectl_version: str, kubectl: Callable[..., Kubectl]) -> None:
    k = kubectl(kubectl_version)
    for policy in ("background", "foreground", "orphan"):
        owner, dependent = f"owner-{policy}", f"dependent-{policy}"
        k.ok("create", "-f", "-", input=configmap(owner))
        uid = k.ok("get", "cm", owner, "-o", "jsonpath={.metadata.uid}")
        k.ok("create", "-f", "-", input=configmap(dependent, owner=(owner, uid)))
        assert k.ok("get", "cm", dependent, "-o", "jsonpath={.metadata.ownerReferences[0].uid}") == uid

        # kubectl waits until the owner is gone
        assert k.ok("delete", "cm", owner, f"--cascade={policy}") == f'configmap "{owner}" deleted\n'
        assert not_found(k, "cm", owner) == f'Error from server (NotFound): configmaps "{owner}" not found'

        if policy == "orphan":  # the orphan finalizer is removed only after the dependents were released
            assert k.ok("get", "cm", dependent, "-o", "jsonpath={.metadata.name}:{.metadata.ownerReferences}") == (
                f"{dependent}:"
            )
            continue
        if policy == "background":  # the owner goes first, the garbage collector deletes the dependent after
            k.ok("wait", "--for=delete", f"cm/{dependent}", "--timeout=30s")
        # foreground: a blockOwnerDeletion dependent is deleted before the owner's finalizer is removed,
        # so it is already gone when kubectl returns
        assert not_found(k, "cm", dependent) == f'Error from server (NotFound): configmaps "{dependent}" not found'


def test_delete_namespace_and_wait(
    kubectl_version: str, kubectl: Callable[..., Kubectl], mockapi: ServerThread
) -> None:
    k = kubectl(kubectl_version)

    # delete ns waits for the namespace controller to empty it and drop the finalizer
    k.ok(
        "create",
        "-f",
        "-",
        input="apiVersion: v1\nkind: Namespace\nmetadata:\n  name: doomed\n---\n" + configmap("inside", "doomed"),
    )
    assert k.ok("delete", "ns", "doomed") == 'namespace "doomed" deleted\n'
    assert not_found(k, "ns", "doomed") == 'Error from server (NotFound): namespaces "doomed" not found'

    # wait --for=delete: the object is deleted by another command while kubectl watches
    k.ok("create", "-f", "-", input=configmap("gone"))
    seen = audit_ids(mockapi)
    with terminating(k.popen("wait", "--for=delete", "cm/gone", "--timeout=60s")) as waiter:
        wait_for_request(mockapi, seen, informer_list("configmaps", "gone"))
        assert k.ok("delete", "cm", "gone", "--wait=false") == 'configmap "gone" deleted\n'
        assert finish(waiter) == (0, "configmap/gone condition met\n", "")

    # wait --for=jsonpath: patched by another command while kubectl watches, then already true
    k.ok("create", "-f", "-", input=configmap("flag"))
    seen = audit_ids(mockapi)
    with terminating(k.popen("wait", "--for=jsonpath={.data.k}=v", "cm/flag", "--timeout=60s")) as waiter:
        wait_for_request(mockapi, seen, informer_list("configmaps", "flag"))
        k.ok("patch", "cm", "flag", "--type", "merge", "-p", '{"data":{"k":"v"}}')
        assert finish(waiter) == (0, "configmap/flag condition met\n", "")
    assert k.ok("wait", "--for=jsonpath={.data.k}=v", "cm/flag", "--timeout=10s") == "configmap/flag condition met\n"
    unmet = k("wait", "--for=jsonpath={.data.k}=w", "cm/flag", "--timeout=0")  # --timeout=0: one GET
    assert (unmet.returncode, unmet.stderr.strip()) == (1, "error: condition not met for configmaps/flag")

    # The server answers `configmaps "inside" not found`; kubectl then GETs the namespace itself and, when
    # that is missing too, reports the namespace instead (same against a real cluster).
    assert not_found(k, "cm", "inside", "-n", "doomed") == (
        'Error from server (NotFound): namespaces "doomed" not found'
    )
