"""URL + method -> RequestInfo, as k8s.io/apiserver's RequestInfoFactory does (no aiohttp here)."""

from __future__ import annotations

from collections.abc import Mapping

from mockapi.api.types import RequestInfo

_NAMESPACE_SUBRESOURCES = {"status", "finalize"}
_SPECIAL_VERBS = {"watch", "proxy"}
_NO_SUBRESOURCE_VERBS = {"proxy"}


def request_info(
    method: str, path: str, query: Mapping[str, str], field_selector_name: str | None = None
) -> RequestInfo:
    """Parse a request. `field_selector_name` is the name a `metadata.name=X` field selector requires."""
    parts = tuple(p for p in path.strip("/").split("/") if p != "")
    non_resource = RequestInfo(path=path, verb=method.lower(), is_resource_request=False, parts=parts)
    if len(parts) < 3 or parts[0] not in ("api", "apis"):
        return non_resource
    prefix = parts[0]
    rest = list(parts[1:])
    group = ""
    if prefix == "apis":
        if len(rest) < 3:
            return non_resource
        group = rest.pop(0)
    version = rest.pop(0)
    if not rest:
        return non_resource

    verb = ""
    verb_via_path = rest[0] in _SPECIAL_VERBS
    if verb_via_path:
        if len(rest) < 2:
            return non_resource
        verb = rest.pop(0)
    else:
        verb = {
            "POST": "create",
            "GET": "get",
            "HEAD": "get",
            "PUT": "update",
            "PATCH": "patch",
            "DELETE": "delete",
        }.get(method.upper(), "")

    namespace = ""
    if rest[0] == "namespaces" and len(rest) > 1:
        namespace = rest[1]
        if len(rest) > 2 and rest[2] not in _NAMESPACE_SUBRESOURCES:
            rest = rest[2:]
    resource = rest[0] if rest else ""
    name = rest[1] if len(rest) >= 2 else ""
    subresource = rest[2] if len(rest) >= 3 and verb not in _NO_SUBRESOURCE_VERBS else ""

    if not name and verb == "get":
        watch = query.get("watch", "")
        verb = "watch" if watch not in ("", "false", "0") else "list"
    if not name and verb == "delete":
        verb = "deletecollection"
    if verb in ("list", "watch", "deletecollection") and not name and field_selector_name:
        name = field_selector_name
    field_selector = label_selector = None
    if verb in ("list", "watch", "deletecollection") and not verb_via_path:
        # AuthorizeWithSelectors (on in 1.33): the raw query values, parsed by whoever authorizes
        field_selector, label_selector = query.get("fieldSelector"), query.get("labelSelector")
    return RequestInfo(
        path=path,
        verb=verb,
        is_resource_request=True,
        api_prefix=prefix,
        api_group=group,
        api_version=version,
        namespace=namespace,
        resource=resource,
        subresource=subresource,
        name=name,
        parts=parts,
        field_selector=field_selector or "",
        label_selector=label_selector or "",
    )
