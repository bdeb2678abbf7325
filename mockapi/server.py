"""Assembling mockapi: components from a ServerConfig, and the request pipeline, top-down.

errors -> audit -> request info -> authentication (401) -> authorization (403)
       -> route: non-resource paths | resources (decode, admission, validation, storage)
"""

from __future__ import annotations

import asyncio
import asyncio.sslproto
import dataclasses
import importlib.util
import logging
import os
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web

from mockapi.admission.chain import AdmissionChain
from mockapi.admission.registry import build_chain
from mockapi.api.authentication import Authenticator
from mockapi.api.authorization import RuleResolver
from mockapi.api.stages import StageContext, SystemClock
from mockapi.audit.sink import AuditSink, JsonLinesFileSink, MemorySink
from mockapi.authn.registry import build_authenticator, service_account_keys, unauthorized_challenge
from mockapi.authz.always import PrivilegedGroups
from mockapi.authz.interface import Authorizer
from mockapi.authz.registry import MODES
from mockapi.authz.union import UnionAuthorizer, UnionRuleResolver
from mockapi.config import ServerConfig, feature_enabled
from mockapi.controllers.manager import ControllerManager
from mockapi.endpoints import filters
from mockapi.endpoints.app import ProtocolLog, make_app
from mockapi.endpoints.context import Filter, Handler, RequestContext
from mockapi.endpoints.impersonation import Impersonate
from mockapi.endpoints.nonresource import NonResourceHandlers
from mockapi.endpoints.oidcdiscovery import IssuerDiscovery, serves_discovery
from mockapi.endpoints.rest_registry import AccessChain, build_rest_map
from mockapi.endpoints.router import ResourceRouter
from mockapi.endpoints.tokenrequest import TokenSettings
from mockapi.endpoints.webhookclient import AiohttpWebhookClient
from mockapi.informers.factory import SharedInformerFactory
from mockapi.informers.reader import FactoryObjectReader
from mockapi.pki import Pki, ensure_state, server_ssl_context
from mockapi.registry.hooks import KindHooks
from mockapi.registry.store import ResourceStore
from mockapi.resources.catalog import Catalog
from mockapi.storage.memory import MemoryStorage

log = logging.getLogger("mockapi")

MAX_REQUEST_LINE = 1024 * 1024
"""The longest request line (URL): kube-apiserver takes 1 MiB of headers, and long label selectors happen."""
MAX_HEADER_FIELD = 128 * 1024
MAX_HEADERS = 128
"""aiohttp bounds each header and their number, not their total: 128 headers of at most 128 KiB keep one
request's headers within 16 MiB while admitting any real token or cookie."""

T = TypeVar("T")

TLS_READ_BUFFER = 64 * 1024
"""On asyncio's loop (see `event_loop_name`), its per-connection TLS read buffer (`SSLProtocol.max_size`,
256 KiB in CPython 3.11-3.13) is allocated up front: 64 KiB (TLS records are at most 16 KiB) saves 192 KiB
per open connection, so 1,000 watches cost ~120 KiB each instead of ~310 KiB, with no loss on large bodies
(benchmarks/watch_memory.py). uvloop holds ~62 KiB per watch as it is."""


@dataclass
class Components:
    config: ServerConfig
    pki: Pki
    catalog: Catalog
    storage: MemoryStorage
    informers: SharedInformerFactory
    store: ResourceStore
    admission: AdmissionChain
    authenticator: Authenticator
    authorizer: Authorizer
    rule_resolver: RuleResolver
    audit_sinks: list[AuditSink]
    memory_audit: MemorySink
    controllers: ControllerManager
    webhooks: AiohttpWebhookClient
    server_address: list[str] = field(default_factory=lambda: ["127.0.0.1:6443"])


def build_authorization(ctx: StageContext[ServerConfig], authorizer: UnionAuthorizer, rules: UnionRuleResolver) -> None:
    """Fill the unions of --authorization-mode's authorizers, behind system:masters, and of their rule
    resolvers (the privileged-group authorizer resolves no rules, as upstream). The unions exist before
    their members so every stage, authorizers included, is built with the same context."""
    members: list[Authorizer] = [PrivilegedGroups()]
    for mode in ctx.config.authorization_modes:
        factory = MODES.get(mode)
        if factory is None:
            raise ValueError(
                f"authorization mode {mode!r} is not supported by mockapi yet (supported: {', '.join(MODES)})"
            )
        members.append(factory(ctx))
    authorizer.members = tuple(members)
    rules.members = tuple(m for m in members if isinstance(m, RuleResolver))


def build_components(config: ServerConfig) -> Components:
    pki = ensure_state(config.state_dir, extra_sans=config.tls_sans)
    if config.client_ca_file is None:  # stages see the CA client certificates are verified against
        config = dataclasses.replace(config, client_ca_file=pki.ca_cert)
    if not config.api_audiences:
        config = dataclasses.replace(config, api_audiences=config.service_account_issuers)
    if config.service_account_signing_key_file is None:  # and the generated service-account keys
        config = dataclasses.replace(config, service_account_signing_key_file=pki.sa_private_key)
        if not config.service_account_key_files:
            config = dataclasses.replace(config, service_account_key_files=(pki.sa_public_key,))
    catalog = Catalog.load(config.emulated_version, config.runtime_config)
    storage = MemoryStorage(history_size=config.watch_history)
    informers = SharedInformerFactory(storage, catalog)
    authorizer, rule_resolver = UnionAuthorizer(), UnionRuleResolver()
    webhooks = AiohttpWebhookClient()
    ctx = StageContext(
        config, informers, FactoryObjectReader(informers), authorizer, rule_resolver, SystemClock(), webhooks
    )
    build_authorization(ctx, authorizer, rule_resolver)
    admission = build_chain(ctx)
    store = ResourceStore(storage, admission, KindHooks(config.service_cluster_ip_range))
    memory_audit = MemorySink()
    sinks: list[AuditSink] = [memory_audit] if config.audit_in_memory else []
    if config.audit_log_path is not None:
        sinks.append(JsonLinesFileSink(config.audit_log_path))
    return Components(
        config=config,
        pki=pki,
        catalog=catalog,
        storage=storage,
        informers=informers,
        store=store,
        admission=admission,
        authenticator=build_authenticator(ctx),
        authorizer=authorizer,
        rule_resolver=rule_resolver,
        audit_sinks=sinks,
        memory_audit=memory_audit,
        controllers=ControllerManager(
            catalog,
            store,
            informers,
            pki.ca_cert.read_text(),
            config.namespace_deletion_grace_period,
            service_account_keys(config)[0].sign,
        ),
        webhooks=webhooks,
    )


def build_pipeline(c: Components) -> Handler:
    """The filter chain, outermost first, ending in the router."""
    stages: list[Filter] = [
        filters.Audit(c.audit_sinks),
        filters.RenderErrors(),
        filters.ParseRequestInfo(),
        filters.RequestDeadline(),
        filters.Authenticate(c.authenticator, unauthorized_challenge(c.config)),
        Impersonate(c.authorizer),
        filters.Authorize(c.authorizer),
    ]
    config = c.config
    signer, verifying_keys = service_account_keys(config)
    tokens = TokenSettings(
        signer,
        config.api_audiences,
        int(config.service_account_max_token_expiration),
        config.service_account_extend_token_expiration,
    )
    chain = AccessChain(c.authenticator, c.authorizer, c.rule_resolver, c.admission, config.api_audiences, tokens)
    rest = build_rest_map(c.catalog, c.store, chain, watch_list=feature_enabled(c.config, "WatchList"))
    resources = ResourceRouter(c.catalog, rest)
    nonresource = NonResourceHandlers(
        c.catalog,
        lambda: c.server_address[0],
        {"ping": lambda: None, "controllers": c.controllers.health},
        serve_v2beta1=not feature_enabled(c.config, "AggregatedDiscoveryRemoveBetaType"),
        issuer_discovery=IssuerDiscovery(
            signer.issuer, verifying_keys.jwks(), verifying_keys.algorithms(), lambda: c.server_address[0]
        )
        if serves_discovery(signer.issuer)
        else None,
    )

    async def route(ctx: RequestContext) -> web.StreamResponse:
        assert ctx.info is not None
        return await (resources(ctx) if ctx.info.is_resource_request else nonresource(ctx))

    handler: Handler = route
    for stage in reversed(stages):
        handler = _link(stage, handler)
    return handler


def _link(stage: Filter, next_: Handler) -> Handler:
    async def handler(ctx: RequestContext) -> web.StreamResponse:
        return await stage(ctx, next_)

    return handler


class MockApiServer:
    """A running server: TLS listener, pipeline and controllers, in the current event loop."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.components = build_components(config)
        self._runner: web.AppRunner | None = None
        self.port = config.port

    @property
    def url(self) -> str:
        host = self.config.bind_address
        if ":" in host:
            host = f"[{host}]"
        return f"https://{host}:{self.port}"

    async def start(self) -> str:
        c = self.components
        c.informers.start()
        await c.controllers.bootstrap()
        await c.storage.mark_window_start()  # watches from before now are 410 Expired, as a fresh watch cache
        app = make_app(build_pipeline(c))
        self._runner = web.AppRunner(
            app,
            handle_signals=False,
            access_log=None,
            logger=ProtocolLog(logging.getLogger("mockapi.http")),
            max_line_size=MAX_REQUEST_LINE,
            max_field_size=MAX_HEADER_FIELD,
            max_headers=MAX_HEADERS,
        )
        await self._runner.setup()
        ssl_context = server_ssl_context(
            c.pki, client_ca=self.config.client_ca_file, extra_cas=_other_client_cas(self.config)
        )
        if self.config.tls_cert_file is not None:
            ssl_context.load_cert_chain(self.config.tls_cert_file, self.config.tls_private_key_file)
        site = web.TCPSite(
            self._runner,
            self.config.bind_address,
            self.config.port,
            ssl_context=ssl_context,
            backlog=1024,
            reuse_address=True,
        )
        asyncio.sslproto.SSLProtocol.max_size = TLS_READ_BUFFER  # process-wide: the loop builds the protocol
        await site.start()
        if self.port == 0:
            self.port = self._runner.addresses[0][1]  # the port the OS chose
        c.server_address[0] = f"{self.config.bind_address}:{self.port}"
        c.controllers.start()
        c.pki.write_admin_kubeconfig(self.url)
        return self.url

    async def reset(self) -> None:
        """Back to the state right after start: used between tests."""
        c = self.components
        await c.controllers.stop()
        await c.storage.reset()
        c.store.hooks.reset()
        c.memory_audit.events.clear()
        await c.controllers.bootstrap()
        await c.storage.mark_window_start()
        c.controllers.start()

    async def stop(self) -> None:
        c = self.components
        await c.controllers.stop()
        await c.informers.stop()
        await c.webhooks.close()
        await c.storage.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        for sink in c.audit_sinks:
            sink.close()


async def serve_forever(server: MockApiServer, stop: asyncio.Event) -> None:
    await server.start()
    try:
        await stop.wait()
    finally:
        await server.stop()


def _other_client_cas(config: ServerConfig) -> tuple[Path, ...]:
    """CAs the handshake must trust besides the client CA; the authenticators tell whose certificate is whose."""
    return (config.requestheader_client_ca_file,) if config.requestheader_client_ca_file is not None else ()


EVENT_LOOP_ENV = "MOCKAPI_EVENT_LOOP"
"""`asyncio` serves on the standard library's loop; unset or `uvloop`, on uvloop where it is installed."""


def event_loop_name() -> str:
    """The loop servers run on: uvloop (a dependency wherever it builds) unless MOCKAPI_EVENT_LOOP=asyncio.
    uvloop serves a create in ~15% less CPU and holds an open TLS connection in half the memory
    (benchmarks/); asyncio remains for platforms without it and for comparing the two."""
    wanted = os.environ.get(EVENT_LOOP_ENV, "uvloop")
    if wanted not in ("uvloop", "asyncio"):
        raise ValueError(f"{EVENT_LOOP_ENV} must be uvloop or asyncio, not {wanted!r}")
    if wanted == "uvloop" and importlib.util.find_spec("uvloop") is not None:
        return "uvloop"
    return "asyncio"


def new_event_loop() -> asyncio.AbstractEventLoop:
    if event_loop_name() == "uvloop":
        import uvloop

        return uvloop.new_event_loop()
    return asyncio.new_event_loop()


def run(main: Coroutine[Any, Any, T]) -> T:
    """asyncio.run on the loop `event_loop_name` names."""
    with asyncio.Runner(loop_factory=new_event_loop) as runner:
        return runner.run(main)


def admin_kubeconfig_path(config: ServerConfig) -> Path:
    return config.state_dir / "admin.kubeconfig"
