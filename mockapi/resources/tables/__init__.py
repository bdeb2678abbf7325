"""Server-side Table conversion: what kube-apiserver 1.33 sends for `Accept: application/json;as=Table`.

Responsible for the meta.k8s.io/v1 Table of every built-in resource: column definitions (data,
mockapi/resources/data/printer-columns.yaml), cells (one small function per printers.go print
function, grouped by API group), row conditions, `?includeObject=` handling and the quirks of the
three upstream convertors (printers, the default Name/Created At table, kube-aggregator's APIService).
Also the apimachinery duration formatting those cells use.

May import `mockapi.api` and `mockapi.resources.types`; no I/O beyond reading its data file once,
no aiohttp.

Public API:
  convert_to_table(rt, objects, *, list_metadata, include_object, now, include_headers=True) -> Table
  check_include_object(value) -> IncludeObject      (400 BadRequest for unknown values)
  printer_for(group, version, resource) -> Printer  (columns + cell functions)
  human_duration(timedelta) / short_human_duration(timedelta) -> str
"""

from mockapi.resources.tables.convert import check_include_object, convert_to_table
from mockapi.resources.tables.duration import human_duration, short_human_duration
from mockapi.resources.tables.model import ColumnDefinition, IncludeObject, Printer, Table, TableRow
from mockapi.resources.tables.registry import printer_for

__all__ = [
    "ColumnDefinition",
    "IncludeObject",
    "Printer",
    "Table",
    "TableRow",
    "check_include_object",
    "convert_to_table",
    "human_duration",
    "printer_for",
    "short_human_duration",
]
