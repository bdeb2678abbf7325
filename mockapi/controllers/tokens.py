"""The tokens controller (kube-controller-manager's serviceaccount/tokens_controller.go): a Secret of type
`kubernetes.io/service-account-token` annotated with `kubernetes.io/service-account.name` gets the service
account's legacy token (`kubernetes/serviceaccount` issuer, no expiry), the cluster CA and its namespace;
one whose service account is gone (or has another uid) is deleted, and so are a deleted service account's
token Secrets. Since 1.24 such Secrets are created only on purpose; this fills in what one asks for.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable

from mockapi.api import errors
from mockapi.api.coregroup import SECRETS, SERVICEACCOUNTS
from mockapi.api.informers import HandlerRegistration, InformerFactory
from mockapi.api.objects import secret_data
from mockapi.api.serviceaccounts import NAME_ANNOTATION, TOKEN_SECRET_TYPE, UID_ANNOTATION, legacy_claims
from mockapi.api.types import Obj, UserInfo
from mockapi.controllers.base import on_each_state
from mockapi.registry import deletion
from mockapi.registry.options import DeleteOptions, ListOptions, OpContext, WriteOptions
from mockapi.registry.store import ResourceStore
from mockapi.resources.catalog import Catalog

log = logging.getLogger("mockapi.controllers")

IDENTITY = OpContext(user=UserInfo(name="system:kube-controller-manager", groups=("system:authenticated",)))
"""The tokens controller runs with kube-controller-manager's own credentials (it mints the others')."""

Sign = Callable[[Obj], str]


class TokensController:
    def __init__(self, catalog: Catalog, store: ResourceStore, ca_pem: str, sign: Sign) -> None:
        secrets, serviceaccounts = catalog.get("", "v1", "secrets"), catalog.get("", "v1", "serviceaccounts")
        assert secrets is not None and serviceaccounts is not None
        self.secrets, self.serviceaccounts = secrets, serviceaccounts
        self.store = store
        self.ca = ca_pem.encode()
        self.sign = sign

    def register(self, informers: InformerFactory) -> list[HandlerRegistration]:
        async def on_sa_delete(sa: Obj) -> None:
            await self._delete_tokens_of(sa)

        return [
            on_each_state(informers.informer(SECRETS), self.handle_secret),
            informers.informer(SERVICEACCOUNTS).add_handler(on_delete=on_sa_delete),
        ]

    async def handle_secret(self, secret: Obj) -> None:
        meta = secret.get("metadata") or {}
        annotations = meta.get("annotations") or {}
        if secret.get("type") != TOKEN_SECRET_TYPE or "deletionTimestamp" in meta:
            return
        sa_name = annotations.get(NAME_ANNOTATION)
        if not sa_name:
            return
        namespace, name = meta.get("namespace", ""), meta.get("name", "")
        sa = await self.store.find(self.serviceaccounts, namespace, sa_name)
        wanted_uid = annotations.get(UID_ANNOTATION)
        if sa is None or (wanted_uid and wanted_uid != sa["metadata"].get("uid")):
            await self._delete(namespace, name, meta.get("uid", ""))
            return
        if not self._needs_update(secret):
            return
        try:
            await self.store.update_existing(
                self.secrets, namespace, name, lambda live: self._filled(live, sa), WriteOptions(), IDENTITY
            )
        except errors.ApiError as err:
            if err.code not in (404, 409):  # gone or changed meanwhile: the next state is handled anew
                log.warning("tokens controller: filling secret %s/%s: %s", namespace, name, err.message)

    def _needs_update(self, secret: Obj) -> bool:
        data = secret.get("data") or {}
        return secret_data(secret, "ca.crt") != self.ca or not data.get("namespace") or not data.get("token")

    def _filled(self, live: Obj, sa: Obj) -> Obj:
        """generateTokenIfNeeded: the CA, the namespace and a token where missing, and the annotations."""
        out = dict(live)
        meta = dict(out.get("metadata") or {})
        data = dict(out.get("data") or {})
        namespace, sa_meta = meta.get("namespace", ""), sa["metadata"]
        if secret_data(live, "ca.crt") != self.ca:
            data["ca.crt"] = base64.b64encode(self.ca).decode()
        if not data.get("namespace"):
            data["namespace"] = base64.b64encode(namespace.encode()).decode()
        if not data.get("token"):
            claims = legacy_claims(namespace, sa_meta["name"], sa_meta.get("uid", ""), meta.get("name", ""))
            data["token"] = base64.b64encode(self.sign(claims).encode()).decode()
        meta["annotations"] = {
            **(meta.get("annotations") or {}),
            NAME_ANNOTATION: sa_meta["name"],
            UID_ANNOTATION: sa_meta.get("uid", ""),
        }
        out["metadata"], out["data"] = meta, data
        return out

    async def _delete_tokens_of(self, sa: Obj) -> None:
        meta = sa.get("metadata") or {}
        namespace, name, uid = meta.get("namespace", ""), meta.get("name", ""), meta.get("uid", "")
        secrets, _ = await self.store.list(self.secrets, namespace, ListOptions())
        for secret in secrets:
            annotations = (secret.get("metadata") or {}).get("annotations") or {}
            if secret.get("type") != TOKEN_SECRET_TYPE or annotations.get(NAME_ANNOTATION) != name:
                continue
            if annotations.get(UID_ANNOTATION, uid) == uid:
                await self._delete(namespace, secret["metadata"]["name"], secret["metadata"].get("uid", ""))

    async def _delete(self, namespace: str, name: str, uid: str) -> None:
        try:
            await deletion.delete(
                self.store, self.secrets, namespace, name, DeleteOptions(precondition_uid=uid), IDENTITY
            )
        except errors.ApiError as err:
            if err.code not in (404, 409):
                log.warning("tokens controller: deleting secret %s/%s: %s", namespace, name, err.message)
