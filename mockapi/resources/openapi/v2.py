"""The `/openapi/v2` document (Swagger 2.0), as kube-apiserver 1.33 builds it (kube-openapi `pkg/builder`).

All web services in one document: `paths` from the routes, `definitions` for every schema the routes
reach, `info` (title `Kubernetes`, version = the emulation version `1.33`, as `completeOpenAPI` sets
it in 1.31+), the BearerToken security definition and requirement.

Shared parameters (`deduplicateParameters`): every parameter becomes `{"$ref": "#/parameters/<name>-<hash>"}`
with the parameter itself under the top-level `parameters`, except `name` parameters, the
`fieldValidation` and `dryRun` query parameters (kubectl <= 1.27 looks for them inline to detect
support) and body parameters whose schema is not an apimachinery type. The hash is the first 6 bytes of
FNV-1 64 over the parameter's Go JSON (kube-openapi field order: uniqueItems, type, description, name,
in, required, schema), base64url: `pretty-tJGM1-ng`, `namespace-vgWSWtn3` as upstream.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from mockapi.resources.catalog import Catalog
from mockapi.resources.openapi import schema as schema_mod
from mockapi.resources.openapi.params import Param
from mockapi.resources.openapi.paths import PathItem, layout
from mockapi.resources.openapi.route_types import STRING, Body, Response, Route
from mockapi.resources.schemas import Schemas

Doc = dict[str, Any]

TITLE = "Kubernetes"
SECURITY_DEFINITIONS: Doc = {
    "BearerToken": {
        "description": "Bearer Token authentication",
        "in": "header",
        "name": "authorization",
        "type": "apiKey",
    }
}
_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3
_MASK = (1 << 64) - 1


def info_version(catalog: Catalog) -> str:
    return catalog.emulated_version


def build(catalog: Catalog, schemas: Schemas, services: dict[str, list[Route]]) -> Doc:
    routes = [route for service in services.values() for route in service]
    paths = {item.path: _path_item(item) for item in layout(routes)}
    names = schema_mod.closure(schemas, schema_mod.refs_in(paths, schema_mod.V2_REF))
    shared = _deduplicate(paths)
    return {
        "definitions": schema_mod.definitions(schemas, names, "v2"),
        "info": {"title": TITLE, "version": info_version(catalog)},
        "parameters": shared,
        "paths": paths,
        "security": [{"BearerToken": []}],
        "securityDefinitions": SECURITY_DEFINITIONS,
        "swagger": "2.0",
    }


def param_json(param: Param) -> Doc:
    out: Doc = {"in": param.location, "name": param.name, "type": param.type, "uniqueItems": True}
    if param.description:
        out["description"] = param.description
    if param.location == "path":
        out["required"] = True
    return out


def body_json(body: Body) -> Doc:
    out: Doc = {"in": "body", "name": "body", "schema": {"$ref": schema_mod.V2_REF + body.schema}}
    if body.required:
        out["required"] = True
    return out


def _response(response: Response) -> Doc:
    out: Doc = {"description": response.description}
    if response.schema == STRING:
        out["schema"] = {"type": "string"}
    elif response.schema is not None:
        out["schema"] = {"$ref": schema_mod.V2_REF + response.schema}
    return out


def _path_item(item: PathItem) -> Doc:
    out: Doc = {}
    for method, operation in item.operations.items():
        route = operation.route
        params = [param_json(p) for p in operation.params]
        if route.body is not None:
            params.append(body_json(route.body))
        params.sort(key=lambda p: (p["name"], p["in"]))
        op: Doc = {
            "consumes": list(route.consumes),
            "description": route.description,
            "operationId": route.operation_id,
            "produces": list(route.produces),
            "responses": {str(r.code): _response(r) for r in route.responses},
            "schemes": ["https"],
            "tags": list(route.tags),
        }
        if params:
            op["parameters"] = params
        if route.action is not None:
            op["x-kubernetes-action"] = route.action
        if route.gvk is not None:
            group, version, kind = route.gvk
            op["x-kubernetes-group-version-kind"] = {"group": group, "kind": kind, "version": version}
        out[method] = op
    if item.params:
        out["parameters"] = [param_json(p) for p in item.params]
    return out


def go_param_json(param: Doc) -> str:
    """The JSON kube-openapi hashes: spec.Parameter fields in Go struct order, compact."""
    order = ("uniqueItems", "type", "description", "name", "in", "required", "schema")
    return json.dumps({k: param[k] for k in order if k in param}, separators=(",", ":"), ensure_ascii=False)


def shared_name(param: Doc) -> str:
    data = go_param_json(param).encode()
    h = _FNV_OFFSET
    for byte in data:
        h = (h * _FNV_PRIME) & _MASK
        h ^= byte
    digest = base64.urlsafe_b64encode(h.to_bytes(8, "big")[:6]).decode()
    return f"{param['name'] or 'param'}-{digest}"


def _shareable(param: Doc) -> bool:
    if param["name"] == "name" and param["in"] in ("query", "path"):
        return False
    if param["in"] == "query" and param["name"] in ("fieldValidation", "dryRun"):
        return False
    if param["in"] == "body":
        return str(param["schema"].get("$ref", "")).startswith("#/definitions/io.k8s.apimachinery")
    return True


def _deduplicate(paths: Doc) -> Doc:
    """Replace shareable parameters with references; returns the top-level `parameters`."""
    lists: list[list[Doc]] = []
    for item in paths.values():
        for key, value in item.items():
            if key == "parameters":
                lists.append(value)
            elif isinstance(value, dict) and "parameters" in value:
                lists.append(value["parameters"])
    found: dict[str, Doc] = {}
    for params in lists:
        for param in params:
            if _shareable(param):
                found.setdefault(go_param_json(param), param)
    shared: Doc = {}
    names: dict[str, str] = {}
    for key in sorted(found):  # named in sorted JSON order, as collectSharedParameters does
        param = found[key]
        name, suffix = shared_name(param), 0
        while name in shared:  # hash collision: kube-openapi numbers the name instead
            suffix += 1
            name = f"{param['name']}-{suffix}"
        names[key] = name
        shared[name] = param
    for params in lists:
        for i, param in enumerate(params):
            if _shareable(param):
                params[i] = {"$ref": "#/parameters/" + names[go_param_json(param)]}
    return shared
