"""Non-resource paths: discovery (/api, /apis, group and group/version documents), /version, health
checks, OpenAPI (`openapi.py`) and the root path list."""

from __future__ import annotations

import json
from collections.abc import Callable

from aiohttp import web

from mockapi.api import errors
from mockapi.api.jsonio import response_json
from mockapi.endpoints import openapi
from mockapi.endpoints.context import RequestContext
from mockapi.endpoints.negotiation import negotiate
from mockapi.endpoints.oidcdiscovery import IssuerDiscovery
from mockapi.endpoints.responses import CACHE_CONTROL
from mockapi.resources import discovery
from mockapi.resources.catalog import Catalog

HealthCheck = Callable[[], str | None]
"""Returns None when healthy, else a failure reason."""

HEALTH_ENDPOINTS = ("/healthz", "/livez", "/readyz")


class NonResourceHandlers:
    def __init__(
        self,
        catalog: Catalog,
        server_address: Callable[[], str],
        checks: dict[str, HealthCheck],
        *,
        serve_v2beta1: bool = False,
        issuer_discovery: IssuerDiscovery | None = None,
    ) -> None:
        self.catalog = catalog
        self.issuer_discovery = issuer_discovery
        self.serve_v2beta1 = serve_v2beta1
        self.server_address = server_address
        self.checks = checks
        self.openapi = openapi.OpenAPIHandlers(catalog)

    async def __call__(self, ctx: RequestContext) -> web.StreamResponse:
        request = ctx.request
        path = request.path.rstrip("/") or "/"
        if request.method not in ("GET", "HEAD"):
            raise errors.ApiError(
                405, "MethodNotAllowed", "the server does not allow this method on the requested resource", {}
            )
        if openapi.handles(request.path):
            return await self.openapi(request)
        if self.issuer_discovery is not None and self.issuer_discovery.handles(request.path):
            return self.issuer_discovery(request)
        parts = [p for p in path.split("/") if p]
        if path == "/":
            return self._json({"paths": self.paths()})
        if path == "/version":
            # responsewriters.WriteRawJSON: json.MarshalIndent with two spaces, no trailing newline
            body = json.dumps(self.catalog.version_info(), indent=2).encode()
            return web.Response(body=body, content_type="application/json", headers={"Cache-Control": CACHE_CONTROL})
        if parts and "/" + parts[0] in HEALTH_ENDPOINTS:
            return self._health(ctx, parts)
        if parts[:1] == ["api"] and len(parts) == 1:
            return self._top_level(ctx, legacy=True)
        if parts[:1] == ["apis"] and len(parts) == 1:
            return self._top_level(ctx, legacy=False)
        if parts[:1] == ["api"] and len(parts) == 2:
            doc = discovery.api_resource_list(self.catalog, "", parts[1])
            if doc is not None:
                return self._json(doc)
        if parts[:1] == ["apis"] and len(parts) == 2:
            doc = discovery.api_group(self.catalog, parts[1])
            if doc is not None:
                return self._json(doc)
        if parts[:1] == ["apis"] and len(parts) == 3:
            doc = discovery.api_resource_list(self.catalog, parts[1], parts[2])
            if doc is not None:
                return self._json(doc)
        raise errors.not_found_unqualified()

    def paths(self) -> list[str]:
        paths = ["/api", "/api/v1", "/apis", "/apis/"]
        for group in self.catalog.groups():
            if not group:
                continue
            paths.append(f"/apis/{group}")
            paths.extend(f"/apis/{group}/{v}" for v in self.catalog.versions(group))
        paths.extend(["/healthz", "/livez", "/readyz", "/version", "/openapi/v2", "/openapi/v3", "/openapi/v3/"])
        paths.extend(f"{e}/{name}" for e in HEALTH_ENDPOINTS for name in self.checks)
        if self.issuer_discovery is not None:
            paths.extend(self.issuer_discovery.paths())
        return sorted(paths)

    def _json(self, doc: object) -> web.Response:
        resp = web.Response(body=response_json(doc), content_type="application/json")
        resp.headers["Cache-Control"] = CACHE_CONTROL
        return resp

    def _top_level(self, ctx: RequestContext, *, legacy: bool) -> web.Response:
        request = ctx.request
        accept = request.headers.get("Accept", "")
        version = discovery.negotiate_discovery(accept, serve_v2beta1=self.serve_v2beta1)
        if version is None:
            negotiate(accept, allow_table=False)  # plain documents: 406 if nothing acceptable
            doc = discovery.api_versions(self.server_address()) if legacy else discovery.api_group_list(self.catalog)
            return self._json(doc)
        etag = discovery.aggregated_etag(self.catalog, legacy=legacy)
        headers = {**discovery.AGGREGATED_HEADERS, "ETag": etag}
        if discovery.etag_matches(request.headers.get("If-None-Match"), etag):
            return web.Response(status=304, headers=headers)
        body = response_json(discovery.aggregated(self.catalog, legacy=legacy, version=version))
        resp = web.Response(body=body, headers=headers)
        resp.content_type = "application/json"
        resp.headers["Content-Type"] = discovery.discovery_content_type(version)
        return resp

    def _health(self, ctx: RequestContext, parts: list[str]) -> web.Response:
        """healthz semantics: `ok`, per-check `[+]name ok` lines with ?verbose, 500 on failure."""
        endpoint = parts[0]
        if len(parts) == 2:
            check = self.checks.get(parts[1])
            if check is None:
                raise errors.not_found_unqualified()
            failure = check()
            if failure is None:
                return web.Response(text="ok", content_type="text/plain")
            return web.Response(text=f"internal server error: {failure}", status=500, content_type="text/plain")
        lines: list[str] = []
        failed = False
        for name, check in self.checks.items():
            failure = check()
            if failure is None:
                lines.append(f"[+]{name} ok")
            else:
                failed = True
                lines.append(f"[-]{name} failed: reason withheld")
        verbose = "verbose" in ctx.request.query
        if failed:
            text = "\n".join(lines) + f"\n{endpoint} check failed\n"
            return web.Response(text=text, status=500, content_type="text/plain")
        if verbose:
            return web.Response(text="\n".join(lines) + f"\n{endpoint} check passed\n", content_type="text/plain")
        return web.Response(text="ok", content_type="text/plain")
