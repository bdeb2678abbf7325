"""Joins printer-columns.yaml (columns) with the cell functions (code) into one lookup table.

The YAML file is parsed once, on first use, into `PrinterIndex`; after that a lookup is two dict
probes: (group, version, resource) for version-specific printers, then (group, resource). Resources
listed nowhere get the `default` printer, as kube-apiserver's registries that install
rest.NewDefaultTableConvertor do.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import yaml

from mockapi.api.types import Obj
from mockapi.resources.tables import (
    apps,
    autoscaling,
    batch,
    cluster,
    control,
    core,
    events,
    networking,
    pods,
    rbac,
    storage,
)
from mockapi.resources.tables.cells import name_of, obj_of, rfc3339
from mockapi.resources.tables.model import Cell, ColumnDefinition, Convertor, Printer, RowFunctions

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "printer-columns.yaml"
_CONVERTORS: tuple[Convertor, ...] = ("printers", "default", "apiservice")


def default_cells(obj: Obj, now: datetime) -> list[Cell]:
    """k8s.io/apiserver rest.defaultTableConvertor: the name and an RFC3339 creation time (no age)."""
    return [name_of(obj), rfc3339(obj_of(obj, "metadata").get("creationTimestamp"))]


ROW_FUNCTIONS: dict[str, RowFunctions] = {
    "default": RowFunctions(default_cells),
    **pods.ROWS,
    **core.ROWS,
    **events.ROWS,
    **apps.ROWS,
    **batch.ROWS,
    **autoscaling.ROWS,
    **networking.ROWS,
    **storage.ROWS,
    **rbac.ROWS,
    **control.ROWS,
    **cluster.ROWS,
}
"""Every cell function, by the printer id printer-columns.yaml refers to."""


class PrinterDataError(ValueError):
    """printer-columns.yaml does not match the cell functions (a bug, caught by the unit tests)."""


@dataclass(frozen=True, slots=True)
class PrinterIndex:
    """All printers, ready for lookup."""

    tables: dict[str, Printer]
    """Each table of the data file, by id, with its own cell functions."""
    by_resource: dict[tuple[str, str], Printer]
    """(group, resource) -> printer."""
    by_version: dict[tuple[str, str, str], Printer]
    """(group, version, resource) -> printer, for entries that name a version."""
    default: Printer
    """The printer of every resource listed nowhere."""

    def lookup(self, group: str, version: str, resource: str) -> Printer:
        found = self.by_version.get((group, version, resource))
        if found is None:
            found = self.by_resource.get((group, resource), self.default)
        return found


def _column(raw: dict[str, Any]) -> ColumnDefinition:
    return {
        "name": str(raw["name"]),
        "type": str(raw["type"]),
        "format": str(raw.get("format") or ""),
        "description": str(raw["description"]),
        "priority": int(raw.get("priority") or 0),
    }


def _rows(printer_id: str) -> RowFunctions:
    try:
        return ROW_FUNCTIONS[printer_id]
    except KeyError:
        raise PrinterDataError(f"no cell function registered for printer {printer_id!r}") from None


def build_index(data: dict[str, Any]) -> PrinterIndex:
    """Validate the parsed data file and index it."""
    tables: dict[str, Printer] = {}
    by_resource: dict[tuple[str, str], Printer] = {}
    by_version: dict[tuple[str, str, str], Printer] = {}
    for table_id, table in data["tables"].items():
        convertor = table.get("convertor", "printers")
        if convertor not in _CONVERTORS:
            raise PrinterDataError(f"table {table_id!r}: unknown convertor {convertor!r}")
        columns = tuple(_column(c) for c in table["columns"])
        printer = Printer(table_id, columns, _rows(table_id), cast(Convertor, convertor))
        tables[table_id] = printer
        for entry in table.get("resources") or []:
            override = entry.get("printer")
            target = printer if override is None else Printer(override, columns, _rows(override), printer.convertor)
            group, resource, version = str(entry["group"]), str(entry["resource"]), entry.get("version")
            if version is None:
                if (group, resource) in by_resource:
                    raise PrinterDataError(f"{resource}.{group} is listed twice")
                by_resource[(group, resource)] = target
            else:
                by_version[(group, str(version), resource)] = target
    if "default" not in tables:
        raise PrinterDataError("the data file has no `default` table")
    return PrinterIndex(tables, by_resource, by_version, tables["default"])


def load_index(path: Path = DATA_FILE) -> PrinterIndex:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open("rb") as fh:
        data = yaml.load(fh, Loader=loader)
    return build_index(data)


_index: PrinterIndex | None = None
_lock = threading.Lock()


def printer_index() -> PrinterIndex:
    """The process-wide index, built on first use (the data file is read once)."""
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                _index = load_index()
    return _index


def printer_for(group: str, version: str, resource: str) -> Printer:
    """The printer kube-apiserver uses for this resource (the default table if it has none)."""
    return printer_index().lookup(group, version, resource)
