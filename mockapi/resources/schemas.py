"""Published Kubernetes schemas for the emulated version, from the `kubernetes-validate` package.

kubernetes-validate ships, per Kubernetes version, the OpenAPI definitions converted to JSON Schema
(`_definitions.json`: `$defs` keyed by the OpenAPI definition name, `$ref: "#/$defs/<name>"`). The
conversion made every type nullable (`["string", "null"]`) and added `enum` to `apiVersion`/`kind`;
`openapi_type()` and `Schemas.openapi_definition()` undo that, so callers see the OpenAPI form.

Loaded once per version (about 1.4 MB of JSON) on first use, never on the request path of a server
that does not need schemas.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path
from typing import Any

Schema = dict[str, Any]
_REF_PREFIX = "#/$defs/"


def _package_dir() -> Path:
    """Where kubernetes-validate is installed, found without importing it (its import pulls in jsonschema)."""
    spec = importlib.util.find_spec("kubernetes_validate")
    if spec is None or spec.origin is None:
        raise ValueError("the kubernetes-validate package is not installed")
    return Path(spec.origin).parent


def _schema_dir(version: str) -> Path:
    base = _package_dir() / "kubernetes-json-schema"
    path = base / f"v{version}.0-local"
    if not path.is_dir():
        available = sorted(p.name.removeprefix("v").removesuffix(".0-local") for p in base.glob("v*-local"))
        raise ValueError(f"kubernetes-validate has no schemas for {version}; it has {', '.join(available)}")
    return path


def ref_name(ref: str) -> str:
    """`#/$defs/io.k8s.api.core.v1.Pod` -> `io.k8s.api.core.v1.Pod`."""
    return ref[len(_REF_PREFIX) :] if ref.startswith(_REF_PREFIX) else ref


def openapi_type(schema: Schema) -> str | None:
    """The OpenAPI `type` of a converted schema (`["string", "null"]` -> `string`)."""
    t = schema.get("type")
    if isinstance(t, list):
        kinds = [k for k in t if k != "null"]
        return kinds[0] if kinds else None
    return t if isinstance(t, str) else None


class Schemas:
    """The definitions of one Kubernetes version, indexed by name and by group/version/kind."""

    def __init__(self, version: str) -> None:
        self.version = version
        path = _schema_dir(version) / "_definitions.json"
        self.definitions: dict[str, Schema] = json.loads(path.read_text())["$defs"]
        self._by_gvk: dict[tuple[str, str, str], str] = {}
        for name, schema in self.definitions.items():
            for gvk in schema.get("x-kubernetes-group-version-kind") or []:
                self._by_gvk[(gvk.get("group", ""), gvk.get("version", ""), gvk.get("kind", ""))] = name

    def name_for(self, group: str, version: str, kind: str) -> str | None:
        """The definition name of a kind (`io.k8s.api.apps.v1.Deployment`)."""
        return self._by_gvk.get((group, version, kind))

    def for_kind(self, group: str, version: str, kind: str) -> Schema | None:
        name = self.name_for(group, version, kind)
        return None if name is None else self.definitions[name]

    def resolve(self, schema: Schema) -> Schema:
        """Follow `$ref` (and single-element `allOf` wrappers) to the referenced definition."""
        while True:
            ref = schema.get("$ref")
            if isinstance(ref, str):
                schema = self.definitions[ref_name(ref)]
                continue
            all_of = schema.get("allOf")
            if isinstance(all_of, list) and len(all_of) == 1 and isinstance(all_of[0], dict):
                schema = all_of[0]
                continue
            return schema

    def property(self, schema: Schema, name: str) -> Schema | None:
        """The resolved schema of a property, or None when the type has no such field."""
        props = self.resolve(schema).get("properties") or {}
        prop = props.get(name)
        return None if prop is None else self.resolve(prop)

    def items(self, schema: Schema) -> Schema | None:
        """The resolved schema of an array's items."""
        items = self.resolve(schema).get("items")
        return None if not isinstance(items, dict) else self.resolve(items)

    def additional(self, schema: Schema) -> Schema | None:
        """The resolved schema of a map's values (`additionalProperties`)."""
        extra = self.resolve(schema).get("additionalProperties")
        return self.resolve(extra) if isinstance(extra, dict) else None


@cache
def load(version: str = "1.33") -> Schemas:
    """The schemas of a Kubernetes minor version (`1.33`), loaded once per process."""
    return Schemas(version)
