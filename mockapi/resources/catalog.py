"""The resource catalog: what a kube-apiserver of one release serves, after `--runtime-config`.

Facts come from the generated data file `data/catalog-<minor>.json` (see `data/README.md`). Which
group/versions and resources are served follows kube-apiserver 1.33:

1. defaults (`DefaultAPIResourceConfigSource`): GA versions on, alpha and beta versions off;
2. option completion: keys `v1`, `v1/...`, `api/v1`, `api/v1/...` all mean the core group (`/v1`),
   `api/legacy` is dropped;
3. validation: `api/all=false` alone is refused, every key must look like `group/version[/resource]`,
   and its group must exist (`unknown api groups ...`);
4. `api/all`, `api/ga`, `api/beta`, `api/alpha` (values exactly `true`/`false`), applied in that order;
5. `group/version=<bool>` keys, then `group/version/resource=<bool>` keys (highest priority);
6. a group/version is served when at least one of its resources is enabled.

Feature gates, which some beta/alpha APIs additionally need on a real cluster, are not modelled.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources as importlib_resources
from typing import Any, TypedDict, cast

from mockapi.resources.types import ResourceType, Subresource

RuntimeConfig = Mapping[str, bool | str]
"""`--runtime-config` as a mapping; values are bools or the flag's raw strings (`""` means true)."""

_MATCHERS: dict[str, re.Pattern[str]] = {
    "api/all": re.compile(r""),
    "api/ga": re.compile(r"^v\d+$"),
    "api/beta": re.compile(r"^v\d+beta\d+$"),
    "api/alpha": re.compile(r"^v\d+alpha\d+$"),
}
"""kube-apiserver's groupVersionMatchers, in the order they are applied."""

_VERSION_INFO: dict[str, dict[str, str]] = {
    # Values of the real v1.33.1 release (the patch release our kubectl 1.33 binary reports, see
    # reference/kubectl-traces/misc.txt): gitCommit and goVersion are shared by all binaries of a
    # release; buildDate is kubectl's, kube-apiserver's differs by minutes at most.
    # minCompatibility is binary minor - 1, as kube-apiserver 1.33 reports by default.
    "1.33": {
        "major": "1",
        "minor": "33",
        "emulationMajor": "1",
        "emulationMinor": "33",
        "minCompatibilityMajor": "1",
        "minCompatibilityMinor": "32",
        "gitVersion": "v1.33.1",
        "gitCommit": "8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828",
        "gitTreeState": "clean",
        "buildDate": "2025-05-15T08:27:33Z",
        "goVersion": "go1.24.2",
        "compiler": "gc",
        "platform": "linux/amd64",
    },
}


class _SubresourceJSON(TypedDict):
    name: str
    kind: str
    group: str
    version: str
    verbs: list[str]


class _ResourceJSON(TypedDict):
    plural: str
    singular: str
    kind: str
    namespaced: bool
    verbs: list[str]
    shortNames: list[str]
    categories: list[str]
    storageVersionHash: str
    subresources: list[_SubresourceJSON]


class _VersionJSON(TypedDict):
    version: str
    enabledByDefault: bool
    resources: list[_ResourceJSON]


class _GroupJSON(TypedDict):
    group: str
    versions: list[_VersionJSON]


class _CatalogJSON(TypedDict):
    kubernetesVersion: str
    groups: list[_GroupJSON]


GV = tuple[str, str]


def supported_versions() -> tuple[str, ...]:
    """Emulated versions we have catalog data for (`1.33`, ...)."""
    data = importlib_resources.files("mockapi.resources").joinpath("data")
    names = (entry.name for entry in data.iterdir())
    found = (m.group(1) for m in (re.fullmatch(r"catalog-(\d+\.\d+)\.json", n) for n in names) if m)
    return tuple(sorted(found, key=lambda v: tuple(int(p) for p in v.split("."))))


@cache
def _all_group_versions(emulated_version: str) -> tuple[tuple[GV, tuple[ResourceType, ...]], ...]:
    """Every group/version the release can serve, in /apis order (core first), with its resources."""
    if emulated_version not in supported_versions():
        supported = ", ".join(supported_versions()) or "none"
        raise ValueError(f"unsupported emulated version {emulated_version!r}; supported versions: {supported}")
    path = importlib_resources.files("mockapi.resources").joinpath("data", f"catalog-{emulated_version}.json")
    raw = cast(_CatalogJSON, json.loads(path.read_text(encoding="utf-8")))
    out: list[tuple[GV, tuple[ResourceType, ...]]] = []
    for group in raw["groups"]:
        for ver in group["versions"]:
            gv = (group["group"], ver["version"])
            types = tuple(_resource_type(gv, ver["enabledByDefault"], r) for r in ver["resources"])
            out.append((gv, types))
    return tuple(out)


def _resource_type(gv: GV, enabled_by_default: bool, r: _ResourceJSON) -> ResourceType:
    group, version = gv
    subs = tuple(
        # An empty version means kube-apiserver leaves group/version unset: the parent's own GV.
        Subresource(
            s["name"],
            s["kind"],
            s["group"] if s["version"] else group,
            s["version"] or version,
            tuple(s["verbs"]),
        )
        for s in r["subresources"]
    )
    return ResourceType(
        group=group,
        version=version,
        kind=r["kind"],
        plural=r["plural"],
        singular=r["singular"],
        namespaced=r["namespaced"],
        verbs=tuple(r["verbs"]),
        short_names=tuple(r["shortNames"]),
        categories=tuple(r["categories"]),
        subresources=subs,
        storage_version_hash=r["storageVersionHash"],
        enabled_by_default=enabled_by_default,
    )


def parse_runtime_config(flag: str) -> dict[str, str]:
    """Parse a `--runtime-config` flag value (`api/all=true,batch/v1=false`) like cliflag.ConfigurationMap."""
    out: dict[str, str] = {}
    for item in flag.split(","):
        if not item:
            continue
        key, sep, value = item.partition("=")
        out[key.strip()] = value.strip() if sep else ""
    return out


def _go_parse_bool(key: str, value: bool | str) -> bool:
    if isinstance(value, bool):
        return value
    if value == "":
        return True
    if value in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if value in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise ValueError(f'invalid value of {key}: {value}, err: strconv.ParseBool: parsing "{value}": invalid syntax')


def _resolve(
    universe: tuple[tuple[GV, tuple[ResourceType, ...]], ...], runtime_config: RuntimeConfig
) -> set[tuple[str, str, str]]:
    """The (group, version, plural) triples kube-apiserver would serve under `runtime_config`."""
    overrides: dict[str, bool | str] = {}
    for key, value in runtime_config.items():  # options completion
        if key in ("v1", "api/v1") or key.startswith(("v1/", "api/v1/")):
            overrides["/v1"] = value
        elif key != "api/legacy":
            overrides[key] = value

    # validation (APIEnablementOptions.Validate)
    if len(overrides) == 1 and overrides.get("api/all") in ("false", False):
        raise ValueError("invalid key with only api/all=false")
    known_groups = {gv[0] for gv, _ in universe}
    unknown: list[str] = []
    for key in overrides:
        if key in _MATCHERS:
            continue
        tokens = key.split("/")
        if len(tokens) not in (2, 3):
            raise ValueError(f"runtime-config invalid key {key}")
        if tokens[0] not in known_groups:
            unknown.append(tokens[0])
    if unknown:
        raise ValueError(f"unknown api groups {','.join(unknown)}")

    enabled: dict[GV, bool] = {gv: types[0].enabled_by_default for gv, types in universe if types}
    for flag, pattern in _MATCHERS.items():
        if flag in overrides:
            value = overrides[flag]
            if value not in ("true", "false", True, False):
                raise ValueError(f"invalid value {flag}={value}")
            for gv in enabled:
                if pattern.match(gv[1]):
                    enabled[gv] = value in ("true", True)

    resource_prefs: dict[tuple[str, str, str], bool] = {}
    for key, value in overrides.items():
        if key in _MATCHERS:
            continue
        tokens = key.split("/")
        gv = (tokens[0], tokens[1])
        if gv not in enabled:
            gv_string = f"{gv[0]}/{gv[1]}" if gv[0] else gv[1]
            raise ValueError(f"group version {gv_string} that has not been registered")
        on = _go_parse_bool(key, value)
        if len(tokens) == 2:
            enabled[gv] = on
        elif tokens[2].lower() != tokens[2]:
            raise ValueError(
                f'invalid key {key}: group/version/resource and resource is always lowercase plural, not "{tokens[2]}"'
            )
        else:
            resource_prefs[(gv[0], gv[1], tokens[2])] = on

    served: set[tuple[str, str, str]] = set()
    for gv, types in universe:
        for rt in types:
            gvr = (gv[0], gv[1], rt.plural)
            if resource_prefs.get(gvr, enabled[gv]):
                served.add(gvr)
    return served


class Catalog:
    """Served resource types of one emulated release under one `--runtime-config`. Immutable."""

    def __init__(self, emulated_version: str, runtime_config: RuntimeConfig) -> None:
        universe = _all_group_versions(emulated_version)
        served = _resolve(universe, runtime_config)
        self.emulated_version = emulated_version
        self.runtime_config: dict[str, bool | str] = dict(runtime_config)
        self._gvs: list[GV] = []
        self._resources: dict[GV, list[ResourceType]] = {}
        self._by_gvr: dict[tuple[str, str, str], ResourceType] = {}
        self._by_gvk: dict[tuple[str, str, str], ResourceType] = {}
        self._versions: dict[str, list[str]] = {}
        for gv, types in universe:
            kept = [rt for rt in types if (gv[0], gv[1], rt.plural) in served]
            if not kept:
                continue
            self._gvs.append(gv)
            self._resources[gv] = kept
            self._versions.setdefault(gv[0], []).append(gv[1])
            for rt in kept:
                self._by_gvr[(rt.group, rt.version, rt.plural)] = rt
                self._by_gvk.setdefault((rt.group, rt.version, rt.kind), rt)
        self._all = [rt for gv in self._gvs for rt in self._resources[gv]]

    @classmethod
    def load(cls, emulated_version: str = "1.33", runtime_config: RuntimeConfig | None = None) -> Catalog:
        """The catalog for `emulated_version` (e.g. "1.33") and `--runtime-config`; cached.

        Raises ValueError for an unsupported version or a runtime config kube-apiserver would refuse.
        """
        items = tuple((runtime_config or {}).items())
        return _load_cached(emulated_version, items)

    def get(self, group: str, version: str, plural: str) -> ResourceType | None:
        return self._by_gvr.get((group, version, plural))

    def by_kind(self, group: str, version: str, kind: str) -> ResourceType | None:
        return self._by_gvk.get((group, version, kind))

    def is_served(self, group: str, version: str) -> bool:
        return (group, version) in self._resources

    def group_versions(self) -> list[tuple[str, str]]:
        """Served (group, version) pairs: core first, then in /apis order, preferred version first."""
        return list(self._gvs)

    def groups(self) -> list[str]:
        """Served groups: "" (core) first when served, then in /apis order."""
        return list(self._versions)

    def versions(self, group: str) -> list[str]:
        """Served versions of `group`, preferred first; empty if the group is not served."""
        return list(self._versions.get(group, ()))

    def preferred_version(self, group: str) -> str:
        """The preferred served version of `group`; KeyError if the group is not served."""
        try:
            return self._versions[group][0]
        except KeyError:
            raise KeyError(f"API group {group!r} is not served") from None

    def resources(self, group: str, version: str) -> list[ResourceType]:
        """Served resource types of one group/version, in discovery order; empty if not served."""
        return list(self._resources.get((group, version), ()))

    def all(self) -> list[ResourceType]:
        return list(self._all)

    def version_info(self) -> dict[str, str]:
        """The `/version` body (apimachinery version.Info, Go field order).

        kube-apiserver writes it indented by two spaces (responsewriters.WriteRawJSON).
        """
        return dict(_VERSION_INFO[self.emulated_version])

    def __repr__(self) -> str:
        return f"Catalog({self.emulated_version!r}, {len(self._gvs)} group/versions, {len(self._all)} resources)"


_CACHE: dict[tuple[str, tuple[tuple[str, Any], ...]], Catalog] = {}


def _load_cached(emulated_version: str, items: tuple[tuple[str, bool | str], ...]) -> Catalog:
    key = (emulated_version, items)
    catalog = _CACHE.get(key)
    if catalog is None:
        catalog = _CACHE[key] = Catalog(emulated_version, dict(items))
    return catalog
