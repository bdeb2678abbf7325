"""What a route is made of (definition names, media types, body, responses), shared by the route
builder and the v2/v3 document writers."""

from __future__ import annotations

from dataclasses import dataclass

from mockapi.resources.openapi.params import Param

META = "io.k8s.apimachinery.pkg.apis.meta.v1."
STATUS = META + "Status"
DELETE_OPTIONS = META + "DeleteOptions"
PATCH = META + "Patch"
WATCH_EVENT = META + "WatchEvent"
STRING = "string"
"""Response schema `type: string` (connect and log routes) instead of a definition."""

MEDIA_TYPES = ("application/json", "application/yaml", "application/vnd.kubernetes.protobuf")
STREAM_TYPES = ("application/json;stream=watch", "application/vnd.kubernetes.protobuf;stream=watch")
PATCH_TYPES = (
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/strategic-merge-patch+json",
    "application/apply-patch+yaml",
)
ANY = ("*/*",)
LOG_TYPES = ("text/plain", *MEDIA_TYPES)
PROXY_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")

GVK = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class Body:
    schema: str
    """Definition name of the request body."""
    required: bool


@dataclass(frozen=True, slots=True)
class Response:
    code: int
    description: str
    schema: str | None
    """Definition name, STRING, or None for no schema."""


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    """HTTP method (GET, PUT, POST, DELETE, PATCH, HEAD, OPTIONS)."""
    path: str
    """Full path with `{namespace}`, `{name}`, `{path}` placeholders."""
    operation_id: str
    description: str
    params: tuple[Param, ...]
    """Query and path parameters (the body is separate)."""
    body: Body | None
    consumes: tuple[str, ...]
    produces: tuple[str, ...]
    responses: tuple[Response, ...]
    tags: tuple[str, ...]
    action: str | None = None
    """`x-kubernetes-action`."""
    gvk: GVK | None = None
    """`x-kubernetes-group-version-kind`."""
