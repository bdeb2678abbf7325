"""ServiceAccount admission: defaulting, lookup, token mount, pull secrets, mirror pods, mountable secrets."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from admission_support import SERVICE_ACCOUNTS, FakeReader, attrs, pod

from mockapi.admission.plugins.service_account import ServiceAccount
from mockapi.api.errors import ApiError
from mockapi.api.objects import generate_name
from mockapi.api.types import Obj, Operation

MOUNT = {
    "name": "kube-api-access-x7k2p",
    "readOnly": True,
    "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
}
VOLUME = {
    "name": "kube-api-access-x7k2p",
    "projected": {
        "sources": [
            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
            {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
            {
                "downwardAPI": {
                    "items": [
                        {"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}
                    ]
                }
            },
        ],
        "defaultMode": 420,
    },
}


def sa(name: str = "default", namespace: str = "default", **fields: Any) -> Obj:
    return {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name, "namespace": namespace}, **fields}


def container(name: str, **fields: Any) -> Obj:
    return {"name": name, "image": "nginx", **fields}


class Sleeps:
    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def plugin(*accounts: Obj) -> tuple[ServiceAccount, FakeReader, Sleeps]:
    reader = FakeReader(*((SERVICE_ACCOUNTS, a["metadata"]["namespace"], a) for a in accounts))
    sleeps = Sleeps()
    return ServiceAccount(reader, generate=lambda prefix: prefix + "x7k2p", sleep=sleeps), reader, sleeps


@dataclass
class Admitted:
    id: str
    spec: Obj
    accounts: list[Obj]
    want: Obj
    annotations: dict[str, str] = field(default_factory=dict)


ADMITTED = [
    Admitted(
        "defaults-to-default-and-mounts-token",
        {"containers": [container("app")]},
        [sa()],
        {
            "containers": [container("app", volumeMounts=[MOUNT])],
            "serviceAccountName": "default",
            "serviceAccount": "default",
            "volumes": [VOLUME],
        },
    ),
    Admitted(
        "init-containers-mounted-first-and-volume-appended",
        {
            "initContainers": [container("init")],
            "containers": [container("a"), container("b", volumeMounts=[{"name": "data", "mountPath": "/data"}])],
            "volumes": [{"name": "data", "emptyDir": {}}],
            "serviceAccountName": "builder",
            "serviceAccount": "builder",
        },
        [sa("builder")],
        {
            "initContainers": [container("init", volumeMounts=[MOUNT])],
            "containers": [
                container("a", volumeMounts=[MOUNT]),
                container("b", volumeMounts=[{"name": "data", "mountPath": "/data"}, MOUNT]),
            ],
            "volumes": [{"name": "data", "emptyDir": {}}, VOLUME],
            "serviceAccountName": "builder",
            "serviceAccount": "builder",
        },
    ),
    Admitted(
        "account-opts-out",
        {"containers": [container("app")]},
        [sa(automountServiceAccountToken=False)],
        {"containers": [container("app")], "serviceAccountName": "default", "serviceAccount": "default"},
    ),
    Admitted(
        "pod-opts-in-over-account",
        {"containers": [container("app")], "automountServiceAccountToken": True},
        [sa(automountServiceAccountToken=False)],
        {
            "containers": [container("app", volumeMounts=[MOUNT])],
            "automountServiceAccountToken": True,
            "serviceAccountName": "default",
            "serviceAccount": "default",
            "volumes": [VOLUME],
        },
    ),
    Admitted(
        "pod-opts-out",
        {"containers": [container("app")], "automountServiceAccountToken": False},
        [sa(automountServiceAccountToken=True)],
        {
            "containers": [container("app")],
            "automountServiceAccountToken": False,
            "serviceAccountName": "default",
            "serviceAccount": "default",
        },
    ),
    Admitted(
        "every-container-mounts-the-path-already",
        {"containers": [container("app", volumeMounts=[{"name": "own", "mountPath": MOUNT["mountPath"]}])]},
        [sa()],
        {
            "containers": [container("app", volumeMounts=[{"name": "own", "mountPath": MOUNT["mountPath"]}])],
            "serviceAccountName": "default",
            "serviceAccount": "default",
        },
    ),
    Admitted(
        "existing-kube-api-access-volume-is-reused",
        {"containers": [container("app")], "volumes": [{"name": "kube-api-access-abcde", "emptyDir": {}}]},
        [sa()],
        {
            "containers": [container("app", volumeMounts=[{**MOUNT, "name": "kube-api-access-abcde"}])],
            "volumes": [{"name": "kube-api-access-abcde", "emptyDir": {}}],
            "serviceAccountName": "default",
            "serviceAccount": "default",
        },
    ),
    Admitted(
        "pull-secrets-copied-from-the-account",
        {"containers": [container("app")], "automountServiceAccountToken": False},
        [sa(imagePullSecrets=[{"name": "registry"}, {"name": "mirror"}])],
        {
            "containers": [container("app")],
            "automountServiceAccountToken": False,
            "imagePullSecrets": [{"name": "registry"}, {"name": "mirror"}],
            "serviceAccountName": "default",
            "serviceAccount": "default",
        },
    ),
    Admitted(
        "pull-secrets-of-the-pod-kept",
        {
            "containers": [container("app")],
            "automountServiceAccountToken": False,
            "imagePullSecrets": [{"name": "own"}],
        },
        [sa(imagePullSecrets=[{"name": "registry"}])],
        {
            "containers": [container("app")],
            "automountServiceAccountToken": False,
            "imagePullSecrets": [{"name": "own"}],
            "serviceAccountName": "default",
            "serviceAccount": "default",
        },
    ),
    Admitted(
        "mirror-pod-untouched",
        {"containers": [container("app")]},
        [],
        {"containers": [container("app")]},
        {"kubernetes.io/config.mirror": "abc"},
    ),
    Admitted(
        "mountable-secrets-enforced-and-listed",
        {
            "containers": [
                container("app", env=[{"name": "P", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}])
            ],
            "automountServiceAccountToken": False,
            "volumes": [{"name": "v", "secret": {"secretName": "s"}}],
        },
        [
            sa(
                secrets=[{"name": "s"}],
                metadata={
                    "name": "default",
                    "namespace": "default",
                    "annotations": {"kubernetes.io/enforce-mountable-secrets": "true"},
                },
            )
        ],
        {
            "containers": [
                container("app", env=[{"name": "P", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}])
            ],
            "automountServiceAccountToken": False,
            "volumes": [{"name": "v", "secret": {"secretName": "s"}}],
            "serviceAccountName": "default",
            "serviceAccount": "default",
        },
    ),
]


@pytest.mark.parametrize("case", ADMITTED, ids=lambda c: c.id)
async def test_admit_mutates_pod(case: Admitted) -> None:
    p, _, _ = plugin(*case.accounts)
    obj = pod(spec=copy.deepcopy(case.spec))
    if case.annotations:
        obj["metadata"]["annotations"] = dict(case.annotations)
    a = attrs(obj)
    await p.admit(a)
    assert obj["spec"] == case.want
    await p.validate(a)  # the validating phase accepts what the mutating phase produced


ENFORCING = {"annotations": {"kubernetes.io/enforce-mountable-secrets": "true"}}


@dataclass
class Rejected:
    id: str
    obj: Obj
    accounts: list[Obj]
    message: str
    details_name: str = "web"


REJECTED = [
    Rejected(
        "missing-account",
        pod(spec={"containers": [container("app")], "serviceAccountName": "nope"}),
        [sa()],
        'pods "web" is forbidden: error looking up service account default/nope: serviceaccount "nope" not found',
    ),
    Rejected(
        "missing-default-account-generate-name",
        pod("", generateName="web-7d9c-", spec={"containers": [container("app")]}),
        [],
        'pods "web-7d9c-" is forbidden: error looking up service account default/default: '
        'serviceaccount "default" not found',
        "web-7d9c-",
    ),
    Rejected(
        "mirror-pod-with-account",
        pod(
            spec={"containers": [container("app")], "serviceAccountName": "default"},
            annotations={"kubernetes.io/config.mirror": "x"},
        ),
        [sa()],
        'pods "web" is forbidden: a mirror pod may not reference service accounts',
    ),
    Rejected(
        "mirror-pod-with-secret-volume",
        pod(
            spec={"containers": [container("app")], "volumes": [{"name": "v", "secret": {"secretName": "s"}}]},
            annotations={"kubernetes.io/config.mirror": "x"},
        ),
        [],
        'pods "web" is forbidden: a mirror pod may not reference secrets',
    ),
    Rejected(
        "mirror-pod-with-env-from-secret",
        pod(
            spec={"containers": [container("app", envFrom=[{"secretRef": {"name": "s"}}])]},
            annotations={"kubernetes.io/config.mirror": "x"},
        ),
        [],
        'pods "web" is forbidden: a mirror pod may not reference secrets',
    ),
    Rejected(
        "mirror-pod-with-token-projection",
        pod(
            spec={"containers": [container("app")], "volumes": [VOLUME]},
            annotations={"kubernetes.io/config.mirror": "x"},
        ),
        [],
        'pods "web" is forbidden: a mirror pod may not use ServiceAccountToken volume projections',
    ),
    Rejected(
        "unlisted-secret-volume",
        pod(spec={"containers": [container("app")], "volumes": [{"name": "v", "secret": {"secretName": "s"}}]}),
        [sa(metadata={"name": "default", "namespace": "default", **ENFORCING})],
        'pods "web" is forbidden: volume with secret.secretName="s" is not allowed because service account '
        "default does not reference that secret",
    ),
    Rejected(
        "unlisted-secret-env-in-init-container",
        pod(
            spec={
                "initContainers": [
                    container("init", env=[{"name": "P", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}])
                ],
                "containers": [container("app")],
            }
        ),
        [sa(metadata={"name": "default", "namespace": "default", **ENFORCING})],
        'pods "web" is forbidden: init container init with envVar P referencing secret.secretName="s" is not '
        "allowed because service account default does not reference that secret",
    ),
    Rejected(
        "unlisted-secret-env-from",
        pod(spec={"containers": [container("app", envFrom=[{"secretRef": {"name": "s"}}])]}),
        [sa(metadata={"name": "default", "namespace": "default", **ENFORCING})],
        'pods "web" is forbidden: container app with envFrom referencing secret.secretName="s" is not allowed '
        "because service account default does not reference that secret",
    ),
    Rejected(
        "unlisted-pull-secret",
        pod(spec={"containers": [container("app")], "imagePullSecrets": [{"name": "ok"}, {"name": "bad"}]}),
        [sa(imagePullSecrets=[{"name": "ok"}], metadata={"name": "default", "namespace": "default", **ENFORCING})],
        'pods "web" is forbidden: imagePullSecrets[1].name="bad" is not allowed because service account default '
        "does not reference that imagePullSecret",
    ),
]


@pytest.mark.parametrize("case", REJECTED, ids=lambda c: c.id)
async def test_admit_rejects_with_kube_apiserver_message(case: Rejected) -> None:
    p, _, _ = plugin(*case.accounts)
    with pytest.raises(ApiError) as info:
        await p.admit(attrs(case.obj))
    assert info.value.status() == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": case.message,
        "reason": "Forbidden",
        "details": {"name": case.details_name, "kind": "pods"},
        "code": 403,
    }


async def test_missing_default_account_is_retried_ten_times() -> None:
    p, reader, sleeps = plugin()
    with pytest.raises(ApiError):
        await p.admit(attrs(pod()))
    # the informer cache, then ten direct reads 100-200ms apart
    assert len(reader.reads) == 11 and len(sleeps.calls) == 9
    assert all(0.1 <= s <= 0.2 for s in sleeps.calls)


async def test_other_missing_account_is_read_without_waiting() -> None:
    p, reader, sleeps = plugin()
    with pytest.raises(ApiError):
        await p.admit(attrs(pod(spec={"containers": [container("app")], "serviceAccountName": "x"})))
    assert len(reader.reads) == 2 and sleeps.calls == []


async def test_default_account_created_meanwhile_is_found() -> None:
    p, reader, sleeps = plugin()

    async def create_on_third_sleep(seconds: float) -> None:
        sleeps.calls.append(seconds)
        if len(sleeps.calls) == 3:
            reader.add(SERVICE_ACCOUNTS, "default", sa())

    p.sleep = create_on_third_sleep
    obj = pod()
    await p.admit(attrs(obj))
    assert obj["spec"]["serviceAccountName"] == "default" and len(sleeps.calls) == 3


async def test_validate_requires_a_service_account_name() -> None:
    p, _, _ = plugin(sa())
    with pytest.raises(ApiError) as info:
        await p.validate(attrs(pod()))
    assert info.value.message == 'pods "web" is forbidden: no service account specified for pod default/web'


async def test_ephemeral_containers_limited_to_mountable_secrets() -> None:
    enforcing = sa(metadata={"name": "default", "namespace": "default", **ENFORCING})
    p, _, _ = plugin(enforcing)
    debug = container("debug", env=[{"name": "T", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}])
    spec = {"containers": [container("app")], "serviceAccountName": "default", "ephemeralContainers": [debug]}
    a = attrs(pod(spec=spec), operation=Operation.UPDATE, subresource="ephemeralcontainers", old=pod())
    await p.admit(a)  # never mutates on update
    with pytest.raises(ApiError) as info:
        await p.validate(a)
    assert info.value.message == (
        'pods "web" is forbidden: ephemeral container debug with envVar T referencing secret.secretName="s" is not '
        "allowed because service account default does not reference that secret"
    )
    lenient, _, _ = plugin(sa())
    await lenient.validate(a)


@pytest.mark.parametrize(
    ("operation", "subresource", "resource_pods"),
    [(Operation.UPDATE, "", True), (Operation.CREATE, "status", True), (Operation.CREATE, "", False)],
)
async def test_ignored_requests(operation: Operation, subresource: str, resource_pods: bool) -> None:
    p, _, _ = plugin()  # no account at all: any lookup would fail
    obj = pod()
    before = copy.deepcopy(obj)
    a = attrs(obj, operation=operation, subresource=subresource, old=pod() if operation is Operation.UPDATE else None)
    if not resource_pods:
        a.resource = SERVICE_ACCOUNTS
    await p.admit(a)
    await p.validate(a)
    assert obj == before


def test_volume_suffix_uses_the_simple_name_generator_alphabet() -> None:
    p = ServiceAccount(FakeReader())
    assert p.generate is generate_name
    assert re.fullmatch(r"kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}", p.generate("kube-api-access-"))
    assert p.handles(Operation.CREATE) and p.handles(Operation.UPDATE) and not p.handles(Operation.DELETE)
