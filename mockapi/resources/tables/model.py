"""Wire types of meta.k8s.io/v1 Table and the descriptor of one resource's printer.

The TypedDicts list their keys in metav1's Go struct order, which is the order kube-apiserver
serializes them in; build them as dict literals in that order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, NotRequired, TypedDict

from mockapi.api.types import Obj

IncludeObject = Literal["None", "Metadata", "Object"]
"""`?includeObject=` values (metav1.IncludeObjectPolicy); the server's default is Metadata."""

Convertor = Literal["printers", "default", "apiservice"]
"""Which upstream TableConvertor a printer models (see the header of printer-columns.yaml)."""

Cell = Any
"""A JSON scalar: str, int (Go int64), bool, or None."""


class ColumnDefinition(TypedDict):
    """metav1.TableColumnDefinition: every field is always serialized (no omitempty)."""

    name: str
    type: str
    format: str
    description: str
    priority: int


class RowCondition(TypedDict):
    """metav1.TableRowCondition (reason and message are omitempty)."""

    type: str
    status: str
    reason: NotRequired[str]
    message: NotRequired[str]


class TableRow(TypedDict):
    """metav1.TableRow: `conditions` is omitempty; `object` is a RawExtension, null when empty."""

    cells: list[Cell]
    conditions: NotRequired[list[RowCondition]]
    object: Obj | None


class Table(TypedDict):
    """metav1.Table: `columnDefinitions` and `rows` have no omitempty, so they can be null."""

    kind: str
    apiVersion: str
    metadata: Obj
    columnDefinitions: list[ColumnDefinition] | None
    rows: list[TableRow] | None


CellsFn = Callable[[Obj, datetime], list[Cell]]
"""Computes one row's cells (all columns, as the server generates with Wide=true) at time `now`."""

ConditionsFn = Callable[[Obj], list[RowCondition] | None]

SortKeyFn = Callable[[Obj], tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class RowFunctions:
    """The code half of a printer: how to turn one object into one row."""

    cells: CellsFn
    """The cell values, in column order."""
    conditions: ConditionsFn | None = None
    """Row conditions, for the few printers that set them (pods: Completed)."""
    sort_key: SortKeyFn | None = None
    """Set when the list printer sorts its items (flowschemas); None keeps storage order."""


@dataclass(frozen=True, slots=True)
class Printer:
    """A resource's complete Table recipe: the data half (columns) joined with the code half."""

    id: str
    """Table id in printer-columns.yaml (`pods`, `default`, ...)."""
    columns: tuple[ColumnDefinition, ...]
    """Column definitions, all priorities, in order."""
    rows: RowFunctions
    """Cell (and condition) functions."""
    convertor: Convertor
    """Which upstream convertor's quirks apply (empty rows, headers)."""
