"""printer-columns.yaml against the cell functions, the resource catalog and its generator."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mockapi.resources.tables.registry import ROW_FUNCTIONS, load_index, printer_for, printer_index

REPO = Path(__file__).resolve().parents[3]
NOW = datetime(2025, 4, 23, tzinfo=UTC)
EXTRA_CELLS = {"ipaddresses": 1}  # printIPAddress emits an AGE cell its column list lacks (upstream quirk)
DEFAULT_TABLE = [
    ("", "limitranges"),
    ("rbac.authorization.k8s.io", "roles"),
    ("rbac.authorization.k8s.io", "clusterroles"),
    ("apiextensions.k8s.io", "customresourcedefinitions"),
    ("storage.k8s.io", "csistoragecapacities"),
    ("", "bindings"),
    ("authentication.k8s.io", "tokenreviews"),
]


def test_index_is_built_once_and_matches_the_file() -> None:
    assert printer_index() is printer_index()
    fresh = load_index()
    assert set(fresh.tables) == set(printer_index().tables)


def test_every_printer_has_functions_and_every_function_a_table() -> None:
    index = printer_index()
    used = {p.id for p in index.by_resource.values()} | set(index.tables)
    assert set(ROW_FUNCTIONS) == used


@pytest.mark.parametrize("table_id", sorted(load_index().tables))
def test_cells_match_column_count_even_for_empty_objects(table_id: str) -> None:
    printer = printer_index().tables[table_id]
    for obj in ({}, {"metadata": {"name": "n", "creationTimestamp": "2025-04-20T00:00:00Z"}, "spec": {}, "status": {}}):
        assert len(printer.rows.cells(obj, NOW)) == len(printer.columns) + EXTRA_CELLS.get(table_id, 0)


@pytest.mark.parametrize("table_id", sorted(load_index().tables))
def test_columns_are_well_formed(table_id: str) -> None:
    columns = printer_index().tables[table_id].columns
    assert [list(c) for c in columns] == [["name", "type", "format", "description", "priority"]] * len(columns)
    for column in columns:
        assert column["type"] in ("string", "integer", "boolean", "date")
        assert column["format"] in ("", "name")
        assert column["priority"] in (0, 1)


def test_descriptions_of_columns_that_read_missing_swagger_keys_are_empty() -> None:
    candidates = printer_index().tables["leasecandidates"].columns
    assert [c["description"] for c in candidates[2:4]] == ["", ""]
    assert printer_index().tables["runtimeclasses"].columns[1]["description"] == ""


@pytest.mark.parametrize(("group", "resource"), DEFAULT_TABLE)
def test_resources_without_a_printer_use_the_default_table(group: str, resource: str) -> None:
    assert printer_for(group, "v1", resource).id == "default"


def test_listed_resources_exist_in_the_catalog() -> None:
    catalog = json.loads((REPO / "mockapi" / "resources" / "data" / "catalog-1.33.json").read_text())
    served = {(g["group"], r["plural"]) for g in catalog["groups"] for v in g["versions"] for r in v["resources"]}
    listed = set(printer_index().by_resource)
    assert listed - served == set()


def test_events_k8s_io_shares_columns_but_maps_fields() -> None:
    core, new = printer_for("", "v1", "events"), printer_for("events.k8s.io", "v1", "events")
    assert core.columns == new.columns
    assert core.rows is not new.rows


def test_data_file_is_up_to_date_with_its_generator() -> None:
    script = REPO / "scripts" / "dev" / "gen_printer_columns.py"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
