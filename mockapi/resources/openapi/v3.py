"""`/openapi/v3` documents: one OpenAPI 3.0 document per web service, and the root that lists them.

A document holds its service's paths and, under `components.schemas`, every definition they reach (the
v3 form, see `schema.py`), plus the BearerToken security scheme. Operations carry their parameters
inline (builder3 does not share them), the body as `requestBody` with one content entry per consumed
media type, and one content entry per produced media type in each response.

The root is `{"paths": {"<service>": {"serverRelativeURL": "/openapi/v3/<service>?hash=<HASH>"}}}`
with HASH = upper-case hex SHA-512 of the service document's JSON (kube-openapi handler3
`computeETag`); the same value is the document's ETag.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import quote

from mockapi.resources.catalog import Catalog
from mockapi.resources.openapi import schema as schema_mod
from mockapi.resources.openapi.params import Param
from mockapi.resources.openapi.paths import PathItem, layout
from mockapi.resources.openapi.route_types import STRING, Response, Route
from mockapi.resources.openapi.v2 import TITLE, info_version
from mockapi.resources.schemas import Schemas

Doc = dict[str, Any]

SECURITY_SCHEMES: Doc = {
    "BearerToken": {
        "description": "Bearer Token authentication",
        "in": "header",
        "name": "authorization",
        "type": "apiKey",
    }
}


def build(catalog: Catalog, schemas: Schemas, routes: list[Route]) -> Doc:
    paths = {item.path: _path_item(item) for item in layout(routes)}
    names = schema_mod.closure(schemas, schema_mod.refs_in(paths, schema_mod.V3_REF))
    return {
        "components": {
            "schemas": schema_mod.definitions(schemas, names, "v3"),
            "securitySchemes": SECURITY_SCHEMES,
        },
        "info": {"title": TITLE, "version": info_version(catalog)},
        "openapi": "3.0.0",
        "paths": paths,
    }


def etag(document: bytes) -> str:
    """kube-openapi's hash of a served document: `%X` of its SHA-512."""
    return hashlib.sha512(document).hexdigest().upper()


def server_relative_url(service: str, hash_: str) -> str:
    """constructServerRelativeURL: `/openapi/v3/<service>?hash=<hash>` (url.Values encoding)."""
    return f"/openapi/v3/{service}?hash={quote(hash_, safe='')}"


def root(hashes: dict[str, str]) -> Doc:
    return {"paths": {name: {"serverRelativeURL": server_relative_url(name, h)} for name, h in hashes.items()}}


def _param(param: Param) -> Doc:
    out: Doc = {"in": param.location, "name": param.name, "schema": {"type": param.type, "uniqueItems": True}}
    if param.description:
        out["description"] = param.description
    if param.location == "path":
        out["required"] = True
    return out


def _schema(name: str) -> Doc:
    return {"type": "string"} if name == STRING else {"$ref": schema_mod.V3_REF + name}


def _response(response: Response, produces: tuple[str, ...]) -> Doc:
    out: Doc = {"description": response.description}
    if response.schema is not None:
        out["content"] = {media: {"schema": _schema(response.schema)} for media in produces}
    return out


def _path_item(item: PathItem) -> Doc:
    out: Doc = {}
    for method, operation in item.operations.items():
        route = operation.route
        op: Doc = {
            "description": route.description,
            "operationId": route.operation_id,
            "responses": {str(r.code): _response(r, route.produces) for r in route.responses},
            "tags": list(route.tags),
        }
        if operation.params:
            op["parameters"] = [_param(p) for p in operation.params]
        if route.body is not None:
            body: Doc = {"content": {media: {"schema": _schema(route.body.schema)} for media in route.consumes}}
            if route.body.required:
                body["required"] = True
            op["requestBody"] = body
        if route.action is not None:
            op["x-kubernetes-action"] = route.action
        if route.gvk is not None:
            group, version, kind = route.gvk
            op["x-kubernetes-group-version-kind"] = {"group": group, "kind": kind, "version": version}
        out[method] = op
    if item.params:
        out["parameters"] = [_param(p) for p in item.params]
    return out
