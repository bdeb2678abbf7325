"""Shaping stored objects for the representation a client asked for: the object itself, a Table, or
PartialObjectMetadata (and their list forms)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mockapi.api.types import Obj
from mockapi.endpoints.negotiation import Representation
from mockapi.resources.tables import IncludeObject, check_include_object, convert_to_table
from mockapi.resources.types import ResourceType


def strip_type(obj: Obj) -> Obj:
    return {k: v for k, v in obj.items() if k != "kind" and k != "apiVersion"}


def include_object(query: Any) -> IncludeObject:
    return check_include_object(str(query.get("includeObject", "")))


def partial_metadata(obj: Obj, version: str) -> Obj:
    return {
        "kind": "PartialObjectMetadata",
        "apiVersion": f"meta.k8s.io/{version}",
        "metadata": obj.get("metadata", {}),
    }


def render_object(rt: ResourceType, obj: Obj, rep: Representation, query: Any) -> Obj:
    if rep.shape == "table":
        return convert_to_table(
            rt,
            [obj],
            list_metadata={"resourceVersion": obj.get("metadata", {}).get("resourceVersion", "")},
            include_object=include_object(query),
            now=datetime.now(UTC),
            table_version=rep.table_version,
        )
    if rep.shape == "partial":
        return partial_metadata(obj, rep.table_version)
    return obj


def render_list(rt: ResourceType, items: list[Obj], list_meta: Obj, rep: Representation, query: Any) -> Obj:
    if rep.shape == "table":
        return convert_to_table(
            rt,
            items,
            list_metadata=list_meta,
            include_object=include_object(query),
            now=datetime.now(UTC),
            table_version=rep.table_version,
        )
    if rep.shape == "partial":
        return {
            "kind": "PartialObjectMetadataList",
            "apiVersion": f"meta.k8s.io/{rep.table_version}",
            "metadata": list_meta,
            "items": [{"metadata": o.get("metadata", {})} for o in items],
        }
    return {
        "kind": rt.list_kind,
        "apiVersion": rt.api_version,
        "metadata": list_meta,
        "items": [strip_type(o) for o in items],
    }
