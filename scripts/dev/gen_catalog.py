#!/usr/bin/env python3
"""Generate mockapi's resource catalog for one Kubernetes minor release.

Reads (from --reference-dir, default /work/shared/reference/upstream-data/discovery):
  * apis.json                 -- /apis APIGroupList: group order (kube-apiserver's group priority order)
                                 and each group's version order (preferred first)
  * api__v1.json              -- /api/v1 APIResourceList: the core ("") group
  * apis__<g>__<v>.json       -- /apis/<g>/<v> APIResourceList for every other group/version
  * apis__<g>.json            -- /apis/<g> APIGroup, cross-checked against apis.json
  * aggregated_v2.json        -- /apis APIGroupDiscoveryList, cross-checked (order, verbs, short names,
                                 categories, scope, singular names, subresource responseKind)

Writes (--out, default mockapi/resources/data/catalog-<version>.json): mockapi's own compact format,
one JSON object per resource, described in mockapi/resources/data/README.md. Facts are taken from the
legacy per-group-version APIResourceList files; the aggregated document is only a cross-check, and any
disagreement aborts generation.

`--check` compares the would-be output with the existing file and exits 1 if they differ.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DEFAULT_REFERENCE = Path("/work/shared/reference/upstream-data/discovery")
GA_VERSION = re.compile(r"^v\d+$")

Json = dict[str, Any]


class CatalogError(Exception):
    """The reference files disagree with each other."""


def _load(ref: Path, name: str) -> Json:
    data: Json = json.loads((ref / name).read_text())
    return data


def _gv_file(group: str, version: str) -> str:
    return "api__v1.json" if group == "" else f"apis__{group}__{version}.json"


def _convert_resource_list(group: str, version: str, doc: Json) -> list[Json]:
    """APIResourceList -> our resources, subresources folded into their parent."""
    expected_gv = f"{group}/{version}" if group else version
    if doc.get("groupVersion") != expected_gv:
        raise CatalogError(f"{_gv_file(group, version)}: groupVersion {doc.get('groupVersion')!r}")
    out: list[Json] = []
    by_plural: dict[str, Json] = {}
    for entry in doc["resources"]:
        name: str = entry["name"]
        if "/" not in name:
            res: Json = {
                "plural": name,
                "singular": entry["singularName"],
                "kind": entry["kind"],
                "namespaced": entry["namespaced"],
                "verbs": entry["verbs"],
                "shortNames": entry.get("shortNames", []),
                "categories": entry.get("categories", []),
                "storageVersionHash": entry.get("storageVersionHash", ""),
                "subresources": [],
            }
            if "group" in entry or "version" in entry:
                raise CatalogError(f"{expected_gv} {name}: top-level resource with its own group/version")
            out.append(res)
            by_plural[name] = res
            continue
        parent_name, sub_name = name.split("/", 1)
        parent = by_plural.get(parent_name)
        if parent is None:
            raise CatalogError(f"{expected_gv} {name}: subresource listed before (or without) its parent")
        if entry["namespaced"] != parent["namespaced"] or entry.get("singularName", "") != "":
            raise CatalogError(f"{expected_gv} {name}: unexpected scope or singular name")
        sub_group, sub_version = entry.get("group", ""), entry.get("version", "")
        if (sub_version == "") != ("group" not in entry):
            raise CatalogError(f"{expected_gv} {name}: group without version or vice versa")
        if sub_version and (sub_group, sub_version) == (group, version):
            # The loader tells "explicit" from "inherited" by comparing with the parent's GV.
            raise CatalogError(f"{expected_gv} {name}: explicit group/version equal to the parent's")
        parent["subresources"].append(
            {
                "name": sub_name,
                "kind": entry["kind"],
                "group": sub_group,
                "version": sub_version,
                "verbs": entry["verbs"],
            }
        )
    return out


def _check_against_aggregated(group: str, version: str, resources: list[Json], agg_version: Json) -> None:
    where = f"{group or 'core'}/{version}"
    agg_resources = agg_version.get("resources", [])
    if [r["resource"] for r in agg_resources] != [r["plural"] for r in resources]:
        raise CatalogError(f"{where}: resource list/order differs from aggregated_v2.json")
    if agg_version.get("freshness") != "Current":
        raise CatalogError(f"{where}: aggregated freshness is not Current")
    for ours, agg in zip(resources, agg_resources, strict=True):
        checks = {
            "responseKind": ({"group": "", "version": "", "kind": ours["kind"]}, agg.get("responseKind")),
            "scope": ("Namespaced" if ours["namespaced"] else "Cluster", agg["scope"]),
            "singularResource": (ours["singular"], agg["singularResource"]),
            "verbs": (ours["verbs"], agg["verbs"]),
            "shortNames": (ours["shortNames"], agg.get("shortNames", [])),
            "categories": (ours["categories"], agg.get("categories", [])),
        }
        for field, (mine, theirs) in checks.items():
            if mine != theirs:
                raise CatalogError(f"{where} {ours['plural']}: {field} {mine!r} != aggregated {theirs!r}")
        agg_subs = agg.get("subresources", [])
        if [s["subresource"] for s in agg_subs] != [s["name"] for s in ours["subresources"]]:
            raise CatalogError(f"{where} {ours['plural']}: subresources differ from aggregated_v2.json")
        for sub, agg_sub in zip(ours["subresources"], agg_subs, strict=True):
            kind = {"group": sub["group"], "version": sub["version"], "kind": sub["kind"]}
            if agg_sub.get("responseKind") != kind or agg_sub["verbs"] != sub["verbs"]:
                raise CatalogError(f"{where} {ours['plural']}/{sub['name']}: responseKind/verbs differ")


def build_catalog(ref: Path, kube_version: str) -> Json:
    apis = _load(ref, "apis.json")
    aggregated = _load(ref, "aggregated_v2.json")
    agg_groups = {item["metadata"].get("name", ""): item for item in aggregated["items"]}
    if [g["name"] for g in apis["groups"]] != list(agg_groups):
        raise CatalogError("apis.json and aggregated_v2.json list groups in different orders")

    core_doc = _load(ref, "api__v1.json")
    groups: list[Json] = [
        {
            "group": "",
            "versions": [
                {
                    "version": "v1",
                    "enabledByDefault": True,
                    "resources": _convert_resource_list("", "v1", core_doc),
                }
            ],
        }
    ]
    for api_group in apis["groups"]:
        name: str = api_group["name"]
        versions = [v["version"] for v in api_group["versions"]]
        if api_group["preferredVersion"]["version"] != versions[0]:
            raise CatalogError(f"{name}: preferred version is not listed first")
        group_doc = _load(ref, f"apis__{name}.json")
        if (
            group_doc["versions"] != api_group["versions"]
            or group_doc["preferredVersion"] != api_group["preferredVersion"]
        ):
            raise CatalogError(f"apis__{name}.json disagrees with apis.json")
        agg_versions = agg_groups[name]["versions"]
        if [v["version"] for v in agg_versions] != versions:
            raise CatalogError(f"{name}: version order differs between apis.json and aggregated_v2.json")
        out_versions: list[Json] = []
        for version, agg_version in zip(versions, agg_versions, strict=True):
            resources = _convert_resource_list(name, version, _load(ref, _gv_file(name, version)))
            _check_against_aggregated(name, version, resources, agg_version)
            out_versions.append(
                {
                    "version": version,
                    # GA versions are on by default; since 1.24 (KEP-3136) new beta APIs are off by default
                    # and in 1.33 no pre-1.24 beta API is still served (see data/README.md).
                    "enabledByDefault": bool(GA_VERSION.match(version)),
                    "resources": resources,
                }
            )
        groups.append({"group": name, "versions": out_versions})
    return {
        "kubernetesVersion": kube_version,
        "generatedBy": "scripts/dev/gen_catalog.py",
        "sources": "kubernetes/kubernetes api/discovery golden files, see mockapi/resources/data/README.md",
        "groups": groups,
    }


def render(catalog: Json) -> str:
    """Stable, diff-friendly JSON: one line per resource."""
    dump = json.dumps
    lines = ["{"]
    for key in ("kubernetesVersion", "generatedBy", "sources"):
        lines.append(f"  {dump(key)}: {dump(catalog[key])},")
    lines.append('  "groups": [')
    for gi, group in enumerate(catalog["groups"]):
        lines.append(f'    {{"group": {dump(group["group"])}, "versions": [')
        for vi, version in enumerate(group["versions"]):
            head = f'      {{"version": {dump(version["version"])}, '
            lines.append(head + f'"enabledByDefault": {dump(version["enabledByDefault"])}, "resources": [')
            rows = [f"        {dump(r)}" for r in version["resources"]]
            lines.append(",\n".join(rows))
            lines.append("      ]}" + ("," if vi < len(group["versions"]) - 1 else ""))
        lines.append("    ]}" + ("," if gi < len(catalog["groups"]) - 1 else ""))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reference-dir", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--kube-version", default="1.33")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--check", action="store_true", help="fail if the output file is out of date")
    args = parser.parse_args(argv)
    out: Path = args.out or REPO / "mockapi" / "resources" / "data" / f"catalog-{args.kube_version}.json"
    try:
        text = render(build_catalog(args.reference_dir, args.kube_version))
    except CatalogError as err:
        print(f"gen_catalog: {err}", file=sys.stderr)
        return 2
    if json.loads(text) != build_catalog(args.reference_dir, args.kube_version):
        raise AssertionError("render() lost information")
    if args.check:
        if not out.exists() or out.read_text() != text:
            print(f"gen_catalog: {out} is out of date", file=sys.stderr)
            return 1
        return 0
    out.write_text(text)
    print(
        f"wrote {out} ({sum(len(v['resources']) for g in json.loads(text)['groups'] for v in g['versions'])} "
        "resources)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
