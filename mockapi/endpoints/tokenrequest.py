"""REST storage of serviceaccounts/token: the TokenRequest API (`kubectl create token`), which signs a bound
service-account token and stores nothing. The steps and their order are upstream's TokenREST.Create
(`registry.reviews.tokenrequest`); the signing is the server's `TokenSigner`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, timedelta

from aiohttp import web

from mockapi.api import errors
from mockapi.api.objects import new_uid, rfc3339
from mockapi.api.serviceaccounts import BoundClaims, Ref, TokenSigner, token_claims
from mockapi.api.stages import Clock, SystemClock
from mockapi.api.types import Obj, RequestInfo, StageRecord
from mockapi.endpoints.context import RequestContext
from mockapi.endpoints.negotiation import negotiate
from mockapi.endpoints.responses import object_response
from mockapi.endpoints.reviews import AdmittedCreate
from mockapi.registry.managedfields.gotyped import typed_view
from mockapi.registry.reviews import tokenrequest as tr
from mockapi.registry.store import ResourceStore
from mockapi.resources.catalog import Catalog
from mockapi.resources.types import ResourceType

ISSUED_CREDENTIAL_ID = "authentication.kubernetes.io/issued-credential-id"
_WIPED = ("uid", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink")


@dataclass(frozen=True, slots=True)
class TokenSettings:
    signer: TokenSigner
    api_audiences: tuple[str, ...]
    max_expiration: int = 0
    """--service-account-max-token-expiration in seconds; 0 for none."""
    extend_expiration: bool = True
    clock: Clock = field(default_factory=SystemClock)
    """What `now` is when a token is issued (tests set it, as they set the authenticators')."""


class TokenRequestRest(AdmittedCreate):
    def __init__(self, store: ResourceStore, catalog: Catalog, settings: TokenSettings) -> None:
        super().__init__(store.admission, catalog.emulated_version)
        self.store = store
        self.settings = settings
        self.types = {plural: _served(catalog, plural) for plural in ("serviceaccounts", "pods", "secrets", "nodes")}
        sub = self.types["serviceaccounts"].subresource("token")
        assert sub is not None
        self.token_requests = ResourceType(
            group=sub.group,
            version=sub.version,
            kind=sub.kind,
            plural="tokenrequests",
            singular="tokenrequest",
            namespaced=True,
            verbs=("create",),
        )

    async def create(self, ctx: RequestContext, rt: ResourceType, info: RequestInfo) -> web.StreamResponse:
        rep = negotiate(ctx.request.headers.get("Accept", ""), allow_table=False)
        body, attrs = await self.mutated(ctx, rt, info, body_type=self.token_requests, defaults=tr.apply_v1_defaults)
        meta = body.setdefault("metadata", {})
        for key in _WIPED:  # WipeObjectMetaSystemFields; creationTimestamp is set below
            meta.pop(key, None)
        _raise_recorded(ctx, tr.name_error(body, info.name))
        service_account = await self.store.get(self.types["serviceaccounts"], info.namespace, info.name)
        now = self.settings.clock.now().astimezone(UTC).replace(microsecond=0)
        tr.defaulted(body, service_account, self.settings.api_audiences, rfc3339(now))
        _raise_recorded(ctx, tr.validation_error(body))
        await self.validated(ctx, attrs)
        bound = await self._bound(info.namespace, info.name, body, service_account)
        spec = body["spec"]
        life = tr.lifetime(
            spec["expirationSeconds"],
            max_expiration=self.settings.max_expiration,
            extend=self.settings.extend_expiration,
            pod_bound=bound.pod is not None,
            audiences=spec["audiences"],
            api_audiences=self.settings.api_audiences,
        )
        if life.warning:
            ctx.warnings.append(life.warning)
        issued = int(now.timestamp())
        if life.warn_after is not None:
            bound = BoundClaims(bound.namespace, bound.service_account, bound.pod, bound.secret, bound.node,
                                issued + life.warn_after)  # fmt: skip
        jti = new_uid()
        claims = token_claims(
            self.settings.signer.issuer, tuple(spec["audiences"]), issued, issued + life.token_lifetime, jti, bound
        )
        token = self.settings.signer.sign(claims)
        ctx.audit.annotations[ISSUED_CREDENTIAL_ID] = f"JTI={jti}"
        ctx.record(StageRecord("handler", "ok", "serviceaccounts/token", f"issued token JTI={jti} for {claims['sub']}"))
        spec["expirationSeconds"] = life.expiration
        spec.setdefault("boundObjectRef", None)
        body["status"] = {"token": token, "expirationTimestamp": rfc3339(now + timedelta(seconds=life.expiration))}
        return object_response(
            typed_view(body, self.token_requests.api_version, "TokenRequest"), 201, rep, ctx.warnings
        )

    async def _bound(self, namespace: str, sa_name: str, body: Obj, service_account: Obj) -> BoundClaims:
        """The object the token is bound to, looked up and checked, as the `kubernetes.io` claim names it."""
        sa = Ref(sa_name, (service_account.get("metadata") or {}).get("uid", ""))
        ref = tr.bound_object(body)
        if ref is None:
            return BoundClaims(namespace, sa)
        if not ref.name:
            raise errors.bad_request("Name parameter required.")
        if ref.kind == "Pod":
            pod = await self.store.get(self.types["pods"], namespace, ref.name)
            _raise(tr.pod_service_account_error(pod, sa_name))  # before the uid, as token.go checks them
            _raise(tr.uid_conflict(ref, _uid(pod)))
            node = None
            node_name = (pod.get("spec") or {}).get("nodeName")
            if node_name:
                found = await self.store.find(self.types["nodes"], "", node_name)
                node = Ref(node_name, _uid(found) if found is not None else "")
            return BoundClaims(namespace, sa, pod=Ref(ref.name, _uid(pod)), node=node)
        if ref.kind == "Secret":
            secret = await self.store.get(self.types["secrets"], namespace, ref.name)
            _raise(tr.uid_conflict(ref, _uid(secret)))
            return BoundClaims(namespace, sa, secret=Ref(ref.name, _uid(secret)))
        node_obj = await self.store.get(self.types["nodes"], "", ref.name)
        _raise(tr.uid_conflict(ref, _uid(node_obj)))
        return BoundClaims(namespace, sa, node=Ref(ref.name, _uid(node_obj)))


def _served(catalog: Catalog, plural: str) -> ResourceType:
    found = catalog.get("", "v1", plural)
    assert found is not None, plural
    return found


def _uid(obj: Obj) -> str:
    uid = (obj.get("metadata") or {}).get("uid", "")
    return uid if isinstance(uid, str) else ""


def _raise(err: errors.ApiError | None) -> None:
    if err is not None:
        raise err


def _raise_recorded(ctx: RequestContext, err: errors.ApiError | None) -> None:
    if err is not None:
        ctx.record(StageRecord("validation", "deny", "registry", err.message))
        raise err
