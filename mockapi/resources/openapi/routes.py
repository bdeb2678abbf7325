"""The routes kube-apiserver registers for a catalog, grouped by web service (one OpenAPI v3 document each).

A port of the route-building half of k8s.io/apiserver `pkg/endpoints/installer.go`
(`registerResourceHandlers`) plus the discovery and /version routes, with operation IDs and tags from
`pkg/endpoints/openapi/openapi.go` (`GetOperationIDAndTags`):

* a resource gets, depending on its verbs, LIST/POST/DELETECOLLECTION on the collection path,
  GET/PUT/PATCH/DELETE on the item path, the deprecated WATCH and WATCHLIST routes under `watch/`, and
  (namespaced resources) LIST and WATCHLIST across all namespaces;
* a subresource gets its verbs on `<item>/<subresource>`; the connect subresources (`pods/exec`,
  `pods/attach`, `pods/portforward`, `*/proxy`) one route per connect method (plus `/{path}` for
  proxies); `pods/log` is a GET with PodLogOptions that produces text;
* DELETE answers with the deleted object for the resources whose strategy says so
  (`resources/data/strategies.yaml`, `returnDeleted`, less `openapiDeleteStatus`), else with a Status.

Web services, keyed as in the `/openapi/v3` root: `api`, `api/v1`, `apis`, `apis/<g>`, `apis/<g>/<v>`,
`version`. kube-apiserver also documents `/logs`, `/.well-known/openid-configuration` and
`/openid/v1/jwks`; this server does not serve them, so they are left out.

CBOR (`application/cbor`, `application/apply-patch+cbor`) is off by default in 1.33 and not listed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources as importlib_resources
from typing import Any

from mockapi.api import yamlio
from mockapi.resources.catalog import Catalog
from mockapi.resources.openapi.operation_ids import operation_id_and_tags
from mockapi.resources.openapi.params import (
    LIST_OPTIONS,
    NAMESPACE,
    PATH,
    POD_ATTACH_OPTIONS,
    POD_EXEC_OPTIONS,
    POD_LOG_OPTIONS,
    POD_PORT_FORWARD_OPTIONS,
    PRETTY,
    OptionParams,
    Param,
    name_param,
    option_params,
    proxy_options,
)
from mockapi.resources.openapi.route_types import (
    ANY,
    DELETE_OPTIONS,
    GVK,
    LOG_TYPES,
    MEDIA_TYPES,
    META,
    PATCH,
    PATCH_TYPES,
    PROXY_METHODS,
    STATUS,
    STREAM_TYPES,
    STRING,
    WATCH_EVENT,
    Body,
    Response,
    Route,
)
from mockapi.resources.schemas import Schemas
from mockapi.resources.types import ResourceType, Subresource


@dataclass(frozen=True, slots=True)
class _Connect:
    methods: tuple[str, ...]
    options: tuple[Param, ...]
    subpath: bool


_CONNECTERS: dict[tuple[str, str, str], _Connect] = {
    ("", "pods", "attach"): _Connect(("GET", "POST"), POD_ATTACH_OPTIONS, False),
    ("", "pods", "exec"): _Connect(("GET", "POST"), POD_EXEC_OPTIONS, False),
    ("", "pods", "portforward"): _Connect(("GET", "POST"), POD_PORT_FORWARD_OPTIONS, False),
    ("", "pods", "proxy"): _Connect(PROXY_METHODS, proxy_options("pod"), True),
    ("", "nodes", "proxy"): _Connect(PROXY_METHODS, proxy_options("node"), True),
    ("", "services", "proxy"): _Connect(PROXY_METHODS, proxy_options("service"), True),
}
"""rest.Connecter storages: ConnectMethods(), NewConnectOptions() and whether they take a subpath."""


def _title(word: str) -> str:
    return word[:1].upper() + word[1:]


def _article(noun: str) -> str:
    """GetArticleForNoun(noun, " ")."""
    if not noun.endswith("ss") and noun.endswith("s"):
        return " "
    return " an " if noun[:1].lower() in "aeiou" else " a "


@cache
def _return_deleted() -> frozenset[str]:
    text = importlib_resources.files("mockapi.resources").joinpath("data/strategies.yaml").read_text()
    data: dict[str, Any] = yamlio.load(text)
    default = bool(data["defaults"]["returnDeleted"])
    table: dict[str, dict[str, Any]] = data["resources"]
    return frozenset(
        key
        for key, value in table.items()
        if value.get("returnDeleted", default) and not value.get("openapiDeleteStatus", False)
    )


def _deletes_return_object(rt: ResourceType) -> bool:
    return f"{rt.group or 'core'}/{rt.plural}" in _return_deleted()


class _Builder:
    """Routes of one group/version web service."""

    def __init__(self, schemas: Schemas, options: OptionParams, prefix: str) -> None:
        self.schemas = schemas
        self.options = options
        self.prefix = prefix
        self.routes: list[Route] = []

    def definition(self, group: str, version: str, kind: str) -> str | None:
        return self.schemas.name_for(group, version, kind)

    def add(
        self,
        verb: str,
        method: str,
        path: str,
        operation: str,
        description: str,
        params: tuple[Param, ...],
        *,
        body: Body | None = None,
        consumes: tuple[str, ...] = ANY,
        produces: tuple[str, ...] = MEDIA_TYPES,
        responses: tuple[Response, ...],
        gvk: GVK,
    ) -> None:
        full = f"{self.prefix}/{path}"
        op_id, tags = operation_id_and_tags(operation, full)
        self.routes.append(
            Route(
                method=method,
                path=full,
                operation_id=op_id,
                description=description,
                params=params,
                body=body,
                consumes=consumes,
                produces=tuple(dict.fromkeys(produces)),
                responses=(*responses, Response(401, "Unauthorized", None)),
                tags=tags,
                action=verb.lower(),
                gvk=gvk,
            )
        )

    def resource(self, rt: ResourceType, sub: Subresource | None = None) -> None:
        namespaced = "Namespaced" if rt.namespaced else ""
        base = f"namespaces/{{namespace}}/{rt.plural}" if rt.namespaced else rt.plural
        scope: tuple[Param, ...] = (NAMESPACE,) if rt.namespaced else ()
        item_path = base + "/{name}"
        name_params = (*scope, name_param(rt.kind))
        if sub is None:
            gvk = (rt.group, rt.version, rt.kind)
            verbs = set(rt.verbs)
            resource_path, resource_params, suffix = base, scope, ""
        else:
            gvk = (sub.group, sub.version, sub.kind)
            verbs = set(sub.verbs)
            item_path += "/" + sub.name
            resource_path, resource_params, suffix = item_path, name_params, _title(sub.name)
        kind = rt.kind
        produced = self.definition(*gvk)
        list_kind = self.definition(rt.group, rt.version, rt.list_kind) if sub is None else None
        what = f"{sub.name} of the specified {kind}" if sub else f"the specified {kind}"
        article = _article(kind)
        opts = self.options

        connect = _CONNECTERS.get((rt.group, rt.plural, sub.name)) if sub else None
        if connect is not None and sub is not None:
            self._connect(rt, sub, connect, item_path, name_params, namespaced, gvk)
            return

        def op(verb_prefix: str, extra: str = "") -> str:
            return verb_prefix + namespaced + kind + suffix + extra

        list_params = (PRETTY, *LIST_OPTIONS)
        watch = "watch" in verbs
        if "list" in verbs:
            doc = f"list or watch objects of kind {kind}" if watch else f"list objects of kind {kind}"
            if sub:
                doc = (
                    f"list or watch {sub.name} of objects of kind {kind}"
                    if watch
                    else f"list {sub.name} of objects of kind {kind}"
                )
            self.add(
                "LIST",
                "GET",
                resource_path,
                op("list"),
                doc,
                (*list_params, *resource_params),
                produces=MEDIA_TYPES + STREAM_TYPES,
                responses=(Response(200, "OK", list_kind),),
                gvk=gvk,
            )
        if "create" in verbs:
            doc = f"create {sub.name} of{article}{kind}" if sub else f"create{article}{kind}"
            self.add(
                "POST",
                "POST",
                resource_path,
                op("create"),
                doc,
                (PRETTY, *opts.create, *resource_params),
                body=self._body(produced, True),
                responses=(
                    Response(200, "OK", produced),
                    Response(201, "Created", produced),
                    Response(202, "Accepted", produced),
                ),
                gvk=gvk,
            )
        if "deletecollection" in verbs:
            doc = f"delete collection of {sub.name} of a {kind}" if sub else f"delete collection of {kind}"
            list_opts = tuple(p for p in LIST_OPTIONS if p.name not in ("watch", "allowWatchBookmarks"))
            self.add(
                "DELETECOLLECTION",
                "DELETE",
                resource_path,
                op("deletecollection"),
                doc,
                (PRETTY, *opts.delete, *list_opts, *resource_params),
                body=Body(DELETE_OPTIONS, False),
                responses=(Response(200, "OK", STATUS),),
                gvk=gvk,
            )
        if watch and "list" in verbs:
            doc = (
                f"watch individual changes to a list of {sub.name} of {kind}"
                if sub
                else f"watch individual changes to a list of {kind}"
            )
            doc += ". deprecated: use the 'watch' parameter with a list operation instead."
            self.add(
                "WATCHLIST",
                "GET",
                "watch/" + resource_path,
                op("watch", "List"),
                doc,
                (*list_params, *resource_params),
                produces=MEDIA_TYPES + STREAM_TYPES,
                responses=(Response(200, "OK", WATCH_EVENT),),
                gvk=gvk,
            )
        if "get" in verbs:
            is_log = (rt.group, rt.plural, sub.name if sub else "") == ("", "pods", "log")
            self.add(
                "GET",
                "GET",
                item_path,
                op("read"),
                f"read {what}",
                (PRETTY, *(POD_LOG_OPTIONS if is_log else ()), *name_params),
                produces=LOG_TYPES if is_log else MEDIA_TYPES,
                responses=(Response(200, "OK", STRING if is_log else produced),),
                gvk=gvk,
            )
        if "update" in verbs:
            self.add(
                "PUT",
                "PUT",
                item_path,
                op("replace"),
                f"replace {what}",
                (PRETTY, *opts.update, *name_params),
                body=self._body(produced, True),
                responses=(Response(200, "OK", produced), Response(201, "Created", produced)),
                gvk=gvk,
            )
        if "patch" in verbs:
            self.add(
                "PATCH",
                "PATCH",
                item_path,
                op("patch"),
                f"partially update {what}",
                (PRETTY, *opts.patch, *name_params),
                body=Body(PATCH, True),
                consumes=PATCH_TYPES,
                responses=(Response(200, "OK", produced), Response(201, "Created", produced)),
                gvk=gvk,
            )
        if "delete" in verbs:
            doc = f"delete {sub.name} of{article}{kind}" if sub else f"delete{article}{kind}"
            returned = produced if sub is None and _deletes_return_object(rt) else STATUS
            self.add(
                "DELETE",
                "DELETE",
                item_path,
                op("delete"),
                doc,
                (PRETTY, *opts.delete, *name_params),
                body=Body(DELETE_OPTIONS, False),
                responses=(Response(200, "OK", returned), Response(202, "Accepted", returned)),
                gvk=gvk,
            )
        if watch:
            doc = (
                f"watch changes to {sub.name} of an object of kind {kind}"
                if sub
                else f"watch changes to an object of kind {kind}"
            )
            doc += (
                ". deprecated: use the 'watch' parameter with a list operation instead, filtered to a single "
                "item with the 'fieldSelector' parameter."
            )
            self.add(
                "WATCH",
                "GET",
                "watch/" + item_path,
                op("watch"),
                doc,
                (*list_params, *name_params),
                produces=MEDIA_TYPES + STREAM_TYPES,
                responses=(Response(200, "OK", WATCH_EVENT),),
                gvk=gvk,
            )
        if sub is None and rt.namespaced and "list" in verbs:
            doc = f"list or watch objects of kind {kind}" if watch else f"list objects of kind {kind}"
            self.add(
                "LIST",
                "GET",
                rt.plural,
                "list" + kind + "ForAllNamespaces",
                doc,
                list_params,
                produces=MEDIA_TYPES + STREAM_TYPES,
                responses=(Response(200, "OK", list_kind),),
                gvk=gvk,
            )
            if watch:
                doc = (
                    f"watch individual changes to a list of {kind}. deprecated: use the 'watch' parameter "
                    "with a list operation instead."
                )
                self.add(
                    "WATCHLIST",
                    "GET",
                    "watch/" + rt.plural,
                    "watch" + kind + "ListForAllNamespaces",
                    doc,
                    list_params,
                    produces=MEDIA_TYPES + STREAM_TYPES,
                    responses=(Response(200, "OK", WATCH_EVENT),),
                    gvk=gvk,
                )

    def _connect(
        self,
        rt: ResourceType,
        sub: Subresource,
        connect: _Connect,
        item_path: str,
        name_params: tuple[Param, ...],
        namespaced: str,
        gvk: GVK,
    ) -> None:
        paths = [(item_path, name_params, "")]
        if connect.subpath:
            paths.append((item_path + "/{path}", (*name_params, PATH), "WithPath"))
        for path, params, suffix in paths:
            for method in connect.methods:
                operation = "connect" + _title(method.lower()) + namespaced + rt.kind + _title(sub.name) + suffix
                doc = f"connect {method} requests to {sub.name} of {rt.kind}"
                self.add(
                    "CONNECT",
                    method,
                    path,
                    operation,
                    doc,
                    (*connect.options, *params),
                    produces=ANY,
                    responses=(Response(200, "OK", STRING),),
                    gvk=gvk,
                )

    def _body(self, schema: str | None, required: bool) -> Body | None:
        return None if schema is None else Body(schema, required)

    def discovery(self, operation: str, description: str, schema: str, types: tuple[str, ...] = MEDIA_TYPES) -> None:
        full = self.prefix + "/"
        op_id, tags = operation_id_and_tags(operation, full)
        self.routes.append(
            Route(
                method="GET",
                path=full,
                operation_id=op_id,
                description=description,
                params=(),
                body=None,
                consumes=types,
                produces=types,
                responses=(Response(200, "OK", schema), Response(401, "Unauthorized", None)),
                tags=tags,
            )
        )


def web_services(catalog: Catalog, schemas: Schemas) -> dict[str, list[Route]]:
    """Every web service's routes, keyed `api`, `api/v1`, `apis`, `apis/<g>`, `apis/<g>/<v>`, `version`."""
    options = option_params(schemas)
    services: dict[str, list[Route]] = {}
    for key, routes in _services(catalog, schemas, options):
        services[key] = routes
    return services


def _services(catalog: Catalog, schemas: Schemas, options: OptionParams) -> Iterator[tuple[str, list[Route]]]:
    if catalog.is_served("", "v1"):
        b = _Builder(schemas, options, "/api")
        b.discovery("getAPIVersions", "get available API versions", META + "APIVersions")
        yield "api", b.routes
    b = _Builder(schemas, options, "/apis")
    b.discovery("getAPIVersions", "get available API versions", META + "APIGroupList")
    yield "apis", b.routes
    for group in catalog.groups():
        if group:
            b = _Builder(schemas, options, f"/apis/{group}")
            b.discovery("getAPIGroup", "get information of a group", META + "APIGroup")
            yield f"apis/{group}", b.routes
        for version in catalog.versions(group):
            prefix = f"/apis/{group}/{version}" if group else f"/api/{version}"
            b = _Builder(schemas, options, prefix)
            b.discovery("getAPIResources", "get available resources", META + "APIResourceList")
            for rt in sorted(catalog.resources(group, version), key=lambda r: r.plural):
                b.resource(rt)
                for sub in rt.subresources:
                    b.resource(rt, sub)
            yield prefix.lstrip("/"), b.routes
    b = _Builder(schemas, options, "/version")
    b.discovery(
        "getCodeVersion",
        "get the version information for this server",
        "io.k8s.apimachinery.pkg.version.Info",
        ("application/json",),
    )
    yield "version", b.routes
