"""Assembling mockapi: components from a ServerConfig, and the request pipeline, top-down.

errors -> audit -> request info -> authentication (401) -> authorization (403)
       -> route: non-resource paths | resources (decode, admission, validation, storage)
"""

from __future__ import annotations

import asyncio
import asyncio.sslproto
import logging
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

from mockapi.admission.chain import AdmissionChain
from mockapi.admission.registry import build_chain
from mockapi.api.types import GroupVersionResource, Obj
from mockapi.audit.sink import AuditSink, JsonLinesFileSink, MemorySink
from mockapi.authn.anonymous import AnonymousAuthenticator
from mockapi.authn.interface import Authenticator
from mockapi.authn.union import BearerTokenAuthenticator, UnionAuthenticator
from mockapi.authn.x509 import X509Authenticator
from mockapi.authz.always import PrivilegedGroups
from mockapi.authz.interface import Authorizer
from mockapi.authz.registry import MODES
from mockapi.authz.union import UnionAuthorizer
from mockapi.config import ServerConfig, feature_enabled
from mockapi.controllers.manager import ControllerManager
from mockapi.endpoints import filters
from mockapi.endpoints.app import ProtocolLog, make_app
from mockapi.endpoints.context import Filter, Handler, RequestContext
from mockapi.endpoints.nonresource import NonResourceHandlers
from mockapi.endpoints.resources import ResourceHandlers
from mockapi.pki import Pki, ensure_state, server_ssl_context
from mockapi.registry.hooks import KindHooks
from mockapi.registry.listing import list_objects
from mockapi.registry.options import ListOptions
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

TLS_READ_BUFFER = 64 * 1024
"""asyncio's per-connection TLS read buffer (`SSLProtocol.max_size`, 256 KiB in CPython 3.11-3.13) is
allocated up front: 64 KiB (TLS records are at most 16 KiB) saves 192 KiB per open connection, so 1,000
watches cost ~120 KiB each instead of ~310 KiB, with no loss on large bodies (benchmarks/watch_memory.py)."""


class StoreReader:
    """ObjectReader for admission plugins, backed by the resource store."""

    def __init__(self, catalog: Catalog, store_ref: list[ResourceStore]) -> None:
        self.catalog = catalog
        self._store_ref = store_ref

    async def get_object(self, gvr: GroupVersionResource, namespace: str, name: str) -> Obj | None:
        rt = self.catalog.get(gvr.group, gvr.version, gvr.resource)
        if rt is None:
            return None
        return await self._store_ref[0].find(rt, namespace, name)

    async def list_objects(self, gvr: GroupVersionResource, namespace: str) -> list[Obj]:
        rt = self.catalog.get(gvr.group, gvr.version, gvr.resource)
        if rt is None:
            return []
        items, _ = await list_objects(self._store_ref[0].storage, rt, namespace, ListOptions())
        return items


@dataclass
class Components:
    config: ServerConfig
    pki: Pki
    catalog: Catalog
    storage: MemoryStorage
    store: ResourceStore
    admission: AdmissionChain
    authenticator: UnionAuthenticator
    authorizer: Authorizer
    audit_sinks: list[AuditSink]
    memory_audit: MemorySink
    controllers: ControllerManager
    server_address: list[str] = field(default_factory=lambda: ["127.0.0.1:6443"])


def build_authenticator(config: ServerConfig) -> UnionAuthenticator:
    members: list[Authenticator] = [X509Authenticator(), BearerTokenAuthenticator([])]
    return UnionAuthenticator(members, AnonymousAuthenticator() if config.anonymous_auth else None)


def build_authorizer(config: ServerConfig) -> Authorizer:
    members: list[Authorizer] = [PrivilegedGroups()]
    for mode in config.authorization_modes:
        factory = MODES.get(mode)
        if factory is None:
            raise ValueError(
                f"authorization mode {mode!r} is not supported by mockapi yet (supported: {', '.join(MODES)})"
            )
        members.append(factory())
    return UnionAuthorizer(members)


def build_components(config: ServerConfig) -> Components:
    pki = ensure_state(config.state_dir, extra_sans=config.tls_sans)
    catalog = Catalog.load(config.emulated_version, config.runtime_config)
    storage = MemoryStorage(history_size=config.watch_history)
    store_ref: list[ResourceStore] = []
    admission = build_chain(
        StoreReader(catalog, store_ref), config.enable_admission_plugins, config.disable_admission_plugins
    )
    store = ResourceStore(storage, admission, KindHooks(config.service_cluster_ip_range))
    store_ref.append(store)
    memory_audit = MemorySink()
    sinks: list[AuditSink] = [memory_audit] if config.audit_in_memory else []
    if config.audit_log_path is not None:
        sinks.append(JsonLinesFileSink(config.audit_log_path))
    return Components(
        config=config,
        pki=pki,
        catalog=catalog,
        storage=storage,
        store=store,
        admission=admission,
        authenticator=build_authenticator(config),
        authorizer=build_authorizer(config),
        audit_sinks=sinks,
        memory_audit=memory_audit,
        controllers=ControllerManager(catalog, store, pki.ca_cert.read_text(), config.namespace_deletion_grace_period),
    )


def build_pipeline(c: Components) -> Handler:
    """The filter chain, outermost first, ending in the router."""
    stages: list[Filter] = [
        filters.Audit(c.audit_sinks),
        filters.RenderErrors(),
        filters.ParseRequestInfo(),
        filters.RequestDeadline(),
        filters.Authenticate(c.authenticator),
        filters.Authorize(c.authorizer),
    ]
    resources = ResourceHandlers(c.catalog, c.store, watch_list=feature_enabled(c.config, "WatchList"))
    nonresource = NonResourceHandlers(
        c.catalog,
        lambda: c.server_address[0],
        {"ping": lambda: None, "controllers": c.controllers.health},
        serve_v2beta1=not feature_enabled(c.config, "AggregatedDiscoveryRemoveBetaType"),
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
        await c.controllers.bootstrap()
        c.storage.mark_window_start()  # watches from before now are 410 Expired, as a fresh watch cache
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
        ssl_context = server_ssl_context(c.pki, client_ca=self.config.client_ca_file)
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
        server = site._server
        if server is not None and self.port == 0:
            sockets = getattr(server, "sockets", None) or []
            self.port = sockets[0].getsockname()[1]
        c.server_address[0] = f"{self.config.bind_address}:{self.port}"
        c.controllers.start()
        c.pki.write_admin_kubeconfig(self.url)
        return self.url

    async def reset(self) -> None:
        """Back to the state right after start: used between tests."""
        c = self.components
        await c.controllers.stop()
        c.storage.reset()
        c.store.hooks.reset()
        c.memory_audit.events.clear()
        await c.controllers.bootstrap()
        c.storage.mark_window_start()
        c.controllers.start()

    async def stop(self) -> None:
        c = self.components
        await c.controllers.stop()
        c.storage.close_watchers()
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


def admin_kubeconfig_path(config: ServerConfig) -> Path:
    return config.state_dir / "admin.kubeconfig"
