"""ServiceAccount (plugin/pkg/admission/serviceaccount): every pod runs as a service account that exists.

Admit (pod CREATE, not subresources, not mirror pods):
    default `spec.serviceAccountName` to `default`; look the account up (403 when missing); unless the pod or
    account opts out, mount a projected `kube-api-access-xxxxx` token volume read-only at
    /var/run/secrets/kubernetes.io/serviceaccount in every init and regular container that mounts nothing
    there; copy the account's imagePullSecrets when the pod has none; then run Validate.
Validate (pod CREATE; UPDATE of pods/ephemeralcontainers):
    mirror pods may reference no service account, secret or token projection; other pods need an existing
    account, and one annotated `kubernetes.io/enforce-mountable-secrets: "true"` limits the secrets they use.

Upstream retries a missing `default` account for up to 10 reads (100-200ms apart), since the
service-account controller may not have created it yet; so does this plugin.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from mockapi.admission.interface import AdmissionAttributes, ObjectReader
from mockapi.api import errors
from mockapi.api.coregroup import SERVICEACCOUNTS as SERVICE_ACCOUNTS
from mockapi.api.objects import generate_name
from mockapi.api.types import Obj, Operation

DEFAULT_SERVICE_ACCOUNT = "default"
ENFORCE_MOUNTABLE_SECRETS = "kubernetes.io/enforce-mountable-secrets"
MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror"
TOKEN_VOLUME_PREFIX = "kube-api-access-"
TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
TOKEN_EXPIRATION_SECONDS = 3607
"""serviceaccount.WarnOnlyBoundTokenExpirationSeconds: one hour plus seven seconds."""
DEFAULT_ATTEMPTS = 10

Sleep = Callable[[float], Awaitable[None]]

# VolumeSource members that name a secret (pkg/api/pod VisitPodSecretNames), in its switch order:
# the member, and the key of the secret's name inside it ("secretRef"/"nodePublishSecretRef" hold {name}).
_VOLUME_SECRET_REFS: tuple[tuple[str, str], ...] = (
    ("azureFile", "secretName"),
    ("cephfs", "secretRef"),
    ("cinder", "secretRef"),
    ("flexVolume", "secretRef"),
    ("projected", ""),
    ("rbd", "secretRef"),
    ("secret", "secretName"),
    ("scaleIO", "secretRef"),
    ("iscsi", "secretRef"),
    ("storageos", "secretRef"),
    ("csi", "nodePublishSecretRef"),
)


def token_volume(name: str) -> Obj:
    """The projected volume the plugin adds: token, cluster CA bundle and namespace, mode 0644."""
    return {
        "name": name,
        "projected": {
            "sources": [
                {"serviceAccountToken": {"expirationSeconds": TOKEN_EXPIRATION_SECONDS, "path": "token"}},
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


class ServiceAccount:
    name = "ServiceAccount"

    def __init__(
        self,
        reader: ObjectReader,
        *,
        generate: Callable[[str], str] = generate_name,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.reader = reader
        self.generate = generate
        self.sleep = sleep

    def handles(self, operation: Operation) -> bool:
        return operation in (Operation.CREATE, Operation.UPDATE)

    async def admit(self, attrs: AdmissionAttributes) -> None:
        pod = _pod(attrs)
        if pod is None or attrs.operation is not Operation.CREATE:
            return
        if MIRROR_POD_ANNOTATION in _annotations(pod):
            await self.validate(attrs)
            return
        spec = _dict(pod, "spec")
        if not spec.get("serviceAccountName"):
            spec["serviceAccountName"] = DEFAULT_SERVICE_ACCOUNT
        # v1 mirrors the name into the deprecated `serviceAccount` field on every conversion
        spec["serviceAccount"] = spec["serviceAccountName"]
        account = await self._lookup(attrs, spec["serviceAccountName"])
        if _should_automount(account, spec):
            self._mount_token(spec)
        if not spec.get("imagePullSecrets"):
            pull = [{"name": ref.get("name", "")} for ref in _dicts(account, "imagePullSecrets")]
            if pull:
                spec["imagePullSecrets"] = pull
        await self.validate(attrs)

    async def validate(self, attrs: AdmissionAttributes) -> None:
        pod = _pod(attrs)
        if pod is None:
            return
        spec = pod.get("spec") or {}
        if attrs.operation is Operation.UPDATE and attrs.subresource == "ephemeralcontainers":
            await self._check_ephemeral_secrets(attrs, pod)
            return
        if attrs.operation is not Operation.CREATE:
            return
        if MIRROR_POD_ANNOTATION in _annotations(pod):
            _check_mirror_pod(attrs, spec)
            return
        name = spec.get("serviceAccountName") or ""
        if not name:
            raise _forbidden(attrs, f"no service account specified for pod {attrs.namespace}/{_own_name(pod)}")
        account = await self._lookup(attrs, name)
        if _enforces_mountable_secrets(account):
            problem = _secret_reference_problem(account, spec)
            if problem:
                raise _forbidden(attrs, problem)

    async def _lookup(self, attrs: AdmissionAttributes, name: str) -> Obj:
        # the informer cache first, then direct reads (ten for `default`, which a controller creates)
        reads = 1 + (DEFAULT_ATTEMPTS if name == DEFAULT_SERVICE_ACCOUNT else 1)
        for attempt in range(reads):
            if attempt >= 2:
                await self.sleep(random.uniform(0.1, 0.2))
            account = await self.reader.get_object(SERVICE_ACCOUNTS, attrs.namespace, name)
            if account is not None:
                return account
        raise _forbidden(
            attrs,
            f'error looking up service account {attrs.namespace}/{name}: serviceaccount "{name}" not found',
        )

    def _mount_token(self, spec: Obj) -> None:
        volumes = spec.get("volumes") if isinstance(spec.get("volumes"), list) else None
        existing = next(
            (
                v["name"]
                for v in volumes or []
                if isinstance(v, dict) and _startswith(v.get("name"), TOKEN_VOLUME_PREFIX)
            ),
            None,
        )
        volume_name = existing or self.generate(TOKEN_VOLUME_PREFIX)
        mounted = False
        for key in ("initContainers", "containers"):
            for container in _dicts(spec, key):
                mounts = container.get("volumeMounts")
                if isinstance(mounts, list) and any(
                    isinstance(m, dict) and m.get("mountPath") == TOKEN_MOUNT_PATH for m in mounts
                ):
                    continue
                mount = {"name": volume_name, "readOnly": True, "mountPath": TOKEN_MOUNT_PATH}
                container["volumeMounts"] = [*(mounts if isinstance(mounts, list) else []), mount]
                mounted = True
        if mounted and existing is None:
            spec["volumes"] = [*(volumes or []), token_volume(volume_name)]

    async def _check_ephemeral_secrets(self, attrs: AdmissionAttributes, pod: Obj) -> None:
        spec = pod.get("spec") or {}
        name = spec.get("serviceAccountName") or ""
        if not name:
            raise _forbidden(attrs, f"no service account specified for pod {attrs.namespace}/{_own_name(pod)}")
        account = await self._lookup(attrs, name)
        if not _enforces_mountable_secrets(account):
            return
        problem = _container_secret_problem(
            _mountable(account), _dicts(spec, "ephemeralContainers"), "ephemeral container", account
        )
        if problem:
            raise _forbidden(attrs, problem)


def _check_mirror_pod(attrs: AdmissionAttributes, spec: Obj) -> None:
    if spec.get("serviceAccountName"):
        raise _forbidden(attrs, "a mirror pod may not reference service accounts")
    if any(_secret_names(spec)):
        raise _forbidden(attrs, "a mirror pod may not reference secrets")
    for volume in _dicts(spec, "volumes"):
        if any(source.get("serviceAccountToken") is not None for source in _dicts(volume.get("projected"), "sources")):
            raise _forbidden(attrs, "a mirror pod may not use ServiceAccountToken volume projections")


def _secret_names(spec: Obj) -> Iterator[str]:
    """The secret names the pod references (some empty): pull secrets, all containers' env, then volumes."""
    for pull in _dicts(spec, "imagePullSecrets"):
        yield pull.get("name") or ""
    for key in ("initContainers", "containers", "ephemeralContainers"):
        for container in _dicts(spec, key):
            for env_from in _dicts(container, "envFrom"):
                yield _ref_name(env_from.get("secretRef"))
            for env in _dicts(container, "env"):
                yield _ref_name((env.get("valueFrom") or {}).get("secretKeyRef"))
    for volume in _dicts(spec, "volumes"):
        for member, key in _VOLUME_SECRET_REFS:
            source = volume.get(member)
            if not isinstance(source, dict):
                continue
            if member == "projected":
                for projection in _dicts(source, "sources"):
                    yield _ref_name(projection.get("secret"))
            elif key == "secretName":
                yield str(source.get(key) or "")
            else:
                yield _ref_name(source.get(key))
            break


def _secret_reference_problem(account: Obj, spec: Obj) -> str:
    """limitSecretReferences: the first secret the pod uses that the account does not list, as text."""
    mountable = _mountable(account)
    sa = account["metadata"]["name"]
    for volume in _dicts(spec, "volumes"):
        secret = volume.get("secret")
        if isinstance(secret, dict):
            name = secret.get("secretName") or ""
            if name not in mountable:
                return (
                    f'volume with secret.secretName="{name}" is not allowed because service account {sa} '
                    "does not reference that secret"
                )
    for key, label in (("initContainers", "init container"), ("containers", "container")):
        problem = _container_secret_problem(mountable, _dicts(spec, key), label, account)
        if problem:
            return problem
    pull = {ref.get("name") or "" for ref in _dicts(account, "imagePullSecrets")}
    for i, ref in enumerate(_dicts(spec, "imagePullSecrets")):
        name = ref.get("name") or ""
        if name not in pull:
            return (
                f'imagePullSecrets[{i}].name="{name}" is not allowed because service account {sa} does not '
                "reference that imagePullSecret"
            )
    return ""


def _container_secret_problem(mountable: set[str], containers: list[Obj], label: str, account: Obj) -> str:
    sa = account["metadata"]["name"]
    for c in containers:
        for env in _dicts(c, "env"):
            ref = (env.get("valueFrom") or {}).get("secretKeyRef")
            if isinstance(ref, dict) and (ref.get("name") or "") not in mountable:
                return (
                    f"{label} {c.get('name', '')} with envVar {env.get('name', '')} referencing "
                    f'secret.secretName="{ref.get("name") or ""}" is not allowed because service account {sa} '
                    "does not reference that secret"
                )
        for env_from in _dicts(c, "envFrom"):
            ref = env_from.get("secretRef")
            if isinstance(ref, dict) and (ref.get("name") or "") not in mountable:
                return (
                    f'{label} {c.get("name", "")} with envFrom referencing secret.secretName="{ref.get("name") or ""}" '
                    f"is not allowed because service account {sa} does not reference that secret"
                )
    return ""


def _should_automount(account: Obj, spec: Obj) -> bool:
    """The pod's choice wins, then the account's; the default is to mount."""
    for choice in (spec.get("automountServiceAccountToken"), account.get("automountServiceAccountToken")):
        if isinstance(choice, bool):
            return choice
    return True


def _enforces_mountable_secrets(account: Obj) -> bool:
    value = _annotations(account).get(ENFORCE_MOUNTABLE_SECRETS)
    return isinstance(value, str) and value in ("1", "t", "T", "true", "TRUE", "True")  # strconv.ParseBool


def _mountable(account: Obj) -> set[str]:
    return {ref.get("name") or "" for ref in _dicts(account, "secrets")}


def _forbidden(attrs: AdmissionAttributes, err: str) -> errors.ApiError:
    """admission.NewForbidden: named by the request, else the object's name or generateName, else Unknown."""
    gvr = attrs.resource
    return errors.forbidden(gvr.group, gvr.resource, attrs.name or _name(attrs.object) or "Unknown", err)


def _pod(attrs: AdmissionAttributes) -> Obj | None:
    """The pod this plugin looks at: pods proper or pods/ephemeralcontainers, never other subresources."""
    gvr = attrs.resource
    if gvr.group != "" or gvr.resource != "pods" or attrs.subresource not in ("", "ephemeralcontainers"):
        return None
    return attrs.object if isinstance(attrs.object, dict) else None


def _own_name(obj: Obj) -> str:
    return str((obj.get("metadata") or {}).get("name") or "")


def _name(obj: Obj | None) -> str:
    m = (obj or {}).get("metadata") or {}
    return str(m.get("name") or m.get("generateName") or "")


def _annotations(obj: Obj) -> dict[str, Any]:
    annotations = (obj.get("metadata") or {}).get("annotations")
    return annotations if isinstance(annotations, dict) else {}


def _dict(obj: Obj, key: str) -> Obj:
    value = obj.get(key)
    if not isinstance(value, dict):
        value = obj[key] = {}
    return value


def _dicts(obj: Any, key: str) -> list[Obj]:
    items = obj.get(key) if isinstance(obj, dict) else None
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _ref_name(ref: Any) -> str:
    return str(ref.get("name") or "") if isinstance(ref, dict) else ""


def _startswith(value: Any, prefix: str) -> bool:
    return isinstance(value, str) and value.startswith(prefix)
