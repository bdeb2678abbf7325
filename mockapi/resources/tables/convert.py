"""convert_to_table: objects -> meta.k8s.io/v1 Table, as kube-apiserver answers `Accept: ...;as=Table`.

Upstream pieces modelled here:
  * the resource's TableConvertor (printers with GenerateOptions{Wide: true}: every column gets a cell,
    kubectl hides priority>0 columns unless -o wide), or the default / APIService convertor;
  * endpoints/handlers asTable: `row.object` per `?includeObject=` -- Metadata (default) becomes a
    meta.k8s.io/v1 PartialObjectMetadata, Object the object in the requested version, None a null;
  * watch: only the first event's table carries columnDefinitions (`include_headers=False` after).

Nothing is copied: rows refer to the caller's dicts and the shared column definitions (serialize the
result, don't mutate it).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Literal, cast

from mockapi.api.errors import bad_request
from mockapi.api.types import Obj
from mockapi.resources.tables.model import IncludeObject, Table, TableRow
from mockapi.resources.tables.registry import printer_for
from mockapi.resources.types import ResourceType

_LIST_META_KEYS = ("resourceVersion", "continue", "remainingItemCount")
_INCLUDE_OBJECT = ("None", "Metadata", "Object")


def _list_meta(list_metadata: Obj) -> Obj:
    """The Table's ListMeta: what GenerateTable copies from the list (or the single object)."""
    meta: Obj = {}
    for key in _LIST_META_KEYS:
        value = list_metadata.get(key)
        if value is not None and value != "":
            meta[key] = value
    return meta


def _row_object(rt: ResourceType, obj: Obj, include_object: str, meta_version: str) -> Obj | None:
    if include_object == "Metadata":
        return {"kind": "PartialObjectMetadata", "apiVersion": meta_version, "metadata": obj.get("metadata", {})}
    if include_object == "Object":
        full: Obj = {"kind": rt.kind, "apiVersion": rt.api_version}
        for key, value in obj.items():
            if key not in ("kind", "apiVersion"):
                full[key] = value
        return full
    return None


def check_include_object(value: str) -> IncludeObject:
    """Validate `?includeObject=` ("" means the default, Metadata); 400 like asTable otherwise."""
    if value == "":
        return "Metadata"
    if value not in _INCLUDE_OBJECT:
        raise bad_request(f"unrecognized includeObject value: {json.dumps(value)}")
    return value  # type: ignore[return-value]


def convert_to_table(
    rt: ResourceType,
    objects: list[Obj],
    *,
    list_metadata: Obj,
    include_object: IncludeObject,
    now: datetime,
    include_headers: bool = True,
    table_version: Literal["v1", "v1beta1"] = "v1",
) -> Obj:
    """The Table kube-apiserver 1.33 returns for `objects` of resource type `rt`.

    `objects` is the list's items, or a one-element list for a single GET / a watch event.
    `list_metadata` is the list's `metadata` (resourceVersion, continue, remainingItemCount) or, for a
    single object, `{"resourceVersion": <object's resourceVersion>}`.
    `now` is the moment ages are computed against (AGE, LAST SEEN, RESTARTS "(5m ago)", ...).
    `include_headers=False` gives `columnDefinitions: null` (watch events after the first).
    `table_version` is the negotiated meta.k8s.io version; it is the apiVersion of the Table and of the
    rows' PartialObjectMetadata (asTable uses the Table's group version for both).
    The result has the shape of `model.Table`.
    """
    check_include_object(include_object)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    printer = printer_for(rt.group, rt.version, rt.plural)
    meta_version = f"meta.k8s.io/{table_version}"
    functions = printer.rows
    items = sorted(objects, key=functions.sort_key) if functions.sort_key is not None else objects
    rows: list[TableRow] = []
    for obj in items:
        cells = functions.cells(obj, now)
        conditions = functions.conditions(obj) if functions.conditions is not None else None
        row_object = _row_object(rt, obj, include_object, meta_version)
        row: TableRow
        if conditions:
            row = {"cells": cells, "conditions": conditions, "object": row_object}
        else:
            row = {"cells": cells, "object": row_object}
        rows.append(row)
    headers = include_headers or printer.convertor == "apiservice"
    # rest.defaultTableConvertor appends to a nil slice: an empty list serializes as `"rows": null`.
    rows_out: list[TableRow] | None = rows if rows or printer.convertor != "default" else None
    table: Table = {
        "kind": "Table",
        "apiVersion": meta_version,
        "metadata": _list_meta(list_metadata),
        "columnDefinitions": list(printer.columns) if headers else None,
        "rows": rows_out,
    }
    return cast(Obj, table)
