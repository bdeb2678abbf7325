"""Discovery documents built from a Catalog, exactly as kube-apiserver 1.33 serializes them.

Dict key order follows the Go struct field order (TypeMeta `kind`, `apiVersion` first), so
`json.dumps(doc)` gives kube-apiserver's bytes (it adds a trailing newline after the JSON body).

* `/api`            -> api_versions()          (metav1.APIVersions)
* `/apis`           -> api_group_list()        (metav1.APIGroupList)
* `/apis/<g>`       -> api_group()             (metav1.APIGroup)
* `/api/v1`, `/apis/<g>/<v>` -> api_resource_list() (metav1.APIResourceList)
* aggregated `/api`, `/apis` -> aggregated()   (apidiscovery.k8s.io APIGroupDiscoveryList)

Choosing between aggregated and plain documents is `negotiate_discovery()`; response headers for the
aggregated documents are `discovery_content_type()`, `aggregated_etag()` and AGGREGATED_HEADERS.
"""

from __future__ import annotations

import hashlib
import math
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from mockapi.api.jsonio import go_json
from mockapi.resources.catalog import Catalog
from mockapi.resources.types import ResourceType

Doc = dict[str, Any]
AggregatedVersion = Literal["v2", "v2beta1"]

DISCOVERY_GROUP = "apidiscovery.k8s.io"
DISCOVERY_KIND = "APIGroupDiscoveryList"
AGGREGATED_HEADERS: dict[str, str] = {"Vary": "Accept", "Cache-Control": "public"}
"""Set on aggregated responses, including 304s (aggregated.ServeHTTPWithETag). Plain discovery documents
get kube-apiserver's default `Cache-Control: no-cache, private`."""
SERIALIZERS: tuple[str, ...] = ("application/json", "application/yaml", "application/vnd.kubernetes.protobuf")
"""kube-apiserver's serializers for discovery, in its preference order (CBOR is off by default in 1.33)."""


def api_versions(server_address: str) -> Doc:
    """`/api`: the legacy group's versions (no apiVersion, as kube-apiserver sends it)."""
    return {
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}],
    }


def _group_version(group: str, version: str) -> dict[str, str]:
    return {"groupVersion": f"{group}/{version}", "version": version}


def _api_group(catalog: Catalog, group: str) -> Doc:
    versions = catalog.versions(group)
    return {
        "name": group,
        "versions": [_group_version(group, v) for v in versions],
        "preferredVersion": _group_version(group, versions[0]),
    }


def api_group_list(catalog: Catalog) -> Doc:
    """`/apis`: every served named group in priority order, versions preferred first."""
    groups = [_api_group(catalog, g) for g in catalog.groups() if g]
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def api_group(catalog: Catalog, group: str) -> Doc | None:
    """`/apis/<group>`, or None (404) for an unserved group or the core group."""
    if not group or not catalog.versions(group):
        return None
    return {"kind": "APIGroup", "apiVersion": "v1", **_api_group(catalog, group)}


def _explicit_gv(rt: ResourceType, group: str, version: str) -> bool:
    # kube-apiserver sets APIResource.group/version only for subresources served with a kind of
    # another group/version (scale, eviction, token); the catalog never stores the parent's own GV.
    return (group, version) != (rt.group, rt.version)


def _api_resources(rt: ResourceType) -> list[Doc]:
    top: Doc = {"name": rt.plural, "singularName": rt.singular, "namespaced": rt.namespaced, "kind": rt.kind}
    top["verbs"] = list(rt.verbs)
    if rt.short_names:
        top["shortNames"] = list(rt.short_names)
    if rt.categories:
        top["categories"] = list(rt.categories)
    if rt.storage_version_hash:
        top["storageVersionHash"] = rt.storage_version_hash
    out = [top]
    for sub in rt.subresources:
        entry: Doc = {"name": f"{rt.plural}/{sub.name}", "singularName": "", "namespaced": rt.namespaced}
        if _explicit_gv(rt, sub.group, sub.version):
            entry["group"] = sub.group
            entry["version"] = sub.version
        entry["kind"] = sub.kind
        entry["verbs"] = list(sub.verbs)
        out.append(entry)
    return out


def api_resource_list(catalog: Catalog, group: str, version: str) -> Doc | None:
    """`/api/v1` or `/apis/<g>/<v>`, subresources as separate `pods/log` entries; None if not served.

    kube-apiserver omits apiVersion on the core group's list (and sends `"apiVersion": "v1"` elsewhere).
    """
    if not catalog.is_served(group, version):
        return None
    doc: Doc = {"kind": "APIResourceList"}
    if group:
        doc["apiVersion"] = "v1"
    doc["groupVersion"] = f"{group}/{version}" if group else version
    doc["resources"] = [entry for rt in catalog.resources(group, version) for entry in _api_resources(rt)]
    return doc


def _gvk(group: str, version: str, kind: str) -> dict[str, str]:
    return {"group": group, "version": version, "kind": kind}


def _resource_discovery(rt: ResourceType) -> Doc:
    # Mirrors endpoints.ConvertGroupVersionIntoToDiscovery: responseKind carries APIResource.group/version,
    # i.e. empty strings unless the (sub)resource names another group/version.
    out: Doc = {
        "resource": rt.plural,
        "responseKind": _gvk("", "", rt.kind),
        "scope": "Namespaced" if rt.namespaced else "Cluster",
        "singularResource": rt.singular,
        "verbs": list(rt.verbs),
    }
    if rt.short_names:
        out["shortNames"] = list(rt.short_names)
    if rt.categories:
        out["categories"] = list(rt.categories)
    if rt.subresources:
        out["subresources"] = [
            {
                "subresource": sub.name,
                "responseKind": _gvk(sub.group, sub.version, sub.kind)
                if _explicit_gv(rt, sub.group, sub.version)
                else _gvk("", "", sub.kind),
                "verbs": list(sub.verbs),
            }
            for sub in rt.subresources
        ]
    return out


def _aggregated_items(catalog: Catalog, legacy: bool) -> list[Doc]:
    items: list[Doc] = []
    for group in catalog.groups():
        if (group == "") != legacy:
            continue
        versions = [
            {
                "version": version,
                "resources": [_resource_discovery(rt) for rt in catalog.resources(group, version)],
                "freshness": "Current",
            }
            for version in catalog.versions(group)
        ]
        # ObjectMeta: name is omitempty (absent for the core group); creationTimestamp is a zero
        # metav1.Time, which Go's encoder writes as null.
        metadata: Doc = {"name": group, "creationTimestamp": None} if group else {"creationTimestamp": None}
        items.append({"metadata": metadata, "versions": versions})
    return items


def aggregated(catalog: Catalog, *, legacy: bool, version: AggregatedVersion = "v2") -> Doc:
    """Aggregated discovery for `/api` (legacy=True: one item, the core group) or `/apis`."""
    return {
        "kind": DISCOVERY_KIND,
        "apiVersion": f"{DISCOVERY_GROUP}/{version}",
        "metadata": {},
        "items": _aggregated_items(catalog, legacy),
    }


@lru_cache(maxsize=64)
def aggregated_etag(catalog: Catalog, *, legacy: bool) -> str:
    """The ETag header value (quoted) kube-apiserver sends with aggregated discovery.

    Upper-case hex SHA-512 of Go's json.Marshal of the v2 APIGroupDiscoveryList *without* TypeMeta;
    the same value is sent for v2 and v2beta1. If-None-Match must equal it exactly to get a 304.
    """
    body = {"metadata": {}, "items": _aggregated_items(catalog, legacy)}
    return '"' + hashlib.sha512(go_json(body)).hexdigest().upper() + '"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """kube-apiserver compares If-None-Match with the quoted ETag as plain strings (no lists, no W/)."""
    return if_none_match == etag


def discovery_content_type(version: AggregatedVersion | None, media_type: str = "application/json") -> str:
    """Response Content-Type: `application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`,
    or the bare media type for the plain (legacy) documents (version None)."""
    if version is None:
        return media_type
    return f"{media_type};g={DISCOVERY_GROUP};v={version};as={DISCOVERY_KIND}"


@dataclass(frozen=True, slots=True)
class AcceptClause:
    """One clause of an Accept header, as goautoneg parses it (no case folding, no quote handling)."""

    type: str
    subtype: str
    q: float = 1.0
    params: dict[str, str] = field(default_factory=dict, hash=False)


_GO_FLOAT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|[+-]?(inf|infinity|nan)", re.IGNORECASE)
_FLOAT32_MAX = 3.4028234663852886e38


def _go_parse_float32(text: str) -> float:
    """strconv.ParseFloat(text, 32) with the error ignored (0 on syntax errors), as goautoneg does."""
    if not _GO_FLOAT.fullmatch(text):
        return 0.0
    value = float(text)
    if math.isinf(value) or abs(value) > _FLOAT32_MAX:
        return math.copysign(math.inf, value)  # Go returns ±Inf with a range error, which is ignored
    result: float = struct.unpack("f", struct.pack("f", value))[0]
    return result


def _accept_less(a: AcceptClause, b: AcceptClause) -> bool:
    # goautoneg's acceptSlice.Less, quirks included (a wildcard never beats a concrete type, whatever q says).
    if a.q > b.q:
        return True
    if a.type != "*" and b.type == "*":
        return True
    return a.subtype != "*" and b.subtype == "*"


def parse_accept(header: str) -> list[AcceptClause]:
    """goautoneg.ParseAccept: clauses sorted by preference.

    Go's sort.Sort is an insertion sort for up to 12 elements; that is emulated for any length.
    """
    clauses: list[AcceptClause] = []
    for raw_part in header.split(","):
        part = raw_part.strip(" ")
        media, *raw_params = part.split(";")
        type_, _, rest = media.partition("/")
        type_ = type_.strip(" ")
        if not rest:
            if type_ != "*":
                continue
            subtype = "*"
        else:
            subtype, _, extra = rest.partition("/")
            if extra:
                continue
            subtype = subtype.strip(" ")
        q, params = 1.0, {}
        for raw_param in raw_params:
            name, _, value = raw_param.partition("=")
            value, _, extra = value.partition("=")
            if not value or extra:
                continue
            if name.strip(" ") == "q":
                q = _go_parse_float32(value)
            else:
                params[name.strip(" ")] = value.strip(" ")
        clauses.append(AcceptClause(type_, subtype, q, params))
    for i in range(1, len(clauses)):
        j = i
        while j > 0 and _accept_less(clauses[j], clauses[j - 1]):
            clauses[j], clauses[j - 1] = clauses[j - 1], clauses[j]
            j -= 1
    return clauses


def _aggregated_choice(params: dict[str, str], serve_v2beta1: bool) -> AggregatedVersion | None:
    """acceptMediaTypeOptions under DiscoveryEndpointRestrictions: the aggregated version, or None."""
    if params.get("sv") or (params.get("stream") or "watch") != "watch":
        return None
    if not {"g", "v", "as"} & params.keys():
        return None  # no conversion requested: the discovery restrictions refuse the clause
    group, version, kind = params.get("g", ""), params.get("v", ""), params.get("as", "")
    if group != DISCOVERY_GROUP or kind != DISCOVERY_KIND:
        return None
    if version == "v2":
        return "v2"
    if version == "v2beta1" and serve_v2beta1:
        return "v2beta1"
    return None


def negotiate_discovery_media(
    accept_header: str, *, serializers: Sequence[str] = SERIALIZERS, serve_v2beta1: bool = False
) -> tuple[str, AggregatedVersion] | None:
    """kube-apiserver's choice for `/api` and `/apis`: (serializer media type, aggregated version), or
    None for the plain APIVersions/APIGroupList (which is then negotiated as usual and may be a 406).

    Clauses are tried in goautoneg order, each against the serializers in server order; the first
    clause asking for an aggregated kind the server serves wins, other clauses are skipped. In 1.33 the
    AggregatedDiscoveryRemoveBetaType gate is on by default, so v2beta1 is not served: kubectl 1.27-1.29
    (which ask only v2beta1) get the plain documents. `serve_v2beta1=True` models the gate turned off.
    """
    if not accept_header:
        return None
    for clause in parse_accept(accept_header):
        for media_type in serializers:
            type_, _, subtype = media_type.partition("/")
            if clause.type not in (type_, "*") or clause.subtype not in (subtype, "*"):
                continue
            if clause.type == "*" and clause.subtype != "*":
                continue
            if clause.params.get("stream") and media_type == "application/yaml":
                continue  # YAML has no stream serializer
            version = _aggregated_choice(clause.params, serve_v2beta1)
            if version is not None:
                return media_type, version
    return None


def negotiate_discovery(accept_header: str, *, serve_v2beta1: bool = False) -> AggregatedVersion | None:
    """Aggregated version to serve as JSON for this Accept header, or None for the plain document.

    Emulates a server whose only serializer is JSON: a protobuf- or YAML-only aggregated clause is
    skipped (the real server would answer in that format) and later clauses are considered.
    """
    choice = negotiate_discovery_media(accept_header, serializers=("application/json",), serve_v2beta1=serve_v2beta1)
    return None if choice is None else choice[1]
