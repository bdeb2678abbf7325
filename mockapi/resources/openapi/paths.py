"""Routes laid out as OpenAPI path items, the way kube-openapi's builders do it (`buildPaths`).

Routes are grouped by path; a parameter (by name and location) that every route of a path has becomes
a path-level parameter (`findCommonParameters`), the rest stay on the operations. Both lists are sorted
by (name, location) (`sortParameters`); the body parameter sorts as `body`/`body`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from mockapi.resources.openapi.params import Param
from mockapi.resources.openapi.route_types import Route

METHODS = ("get", "put", "post", "delete", "options", "head", "patch")


@dataclass(frozen=True, slots=True)
class Operation:
    route: Route
    params: tuple[Param, ...]
    """The route's own parameters (not the path-level ones), sorted; the body is `route.body`."""


@dataclass(frozen=True, slots=True)
class PathItem:
    path: str
    params: tuple[Param, ...]
    """Path-level parameters, sorted."""
    operations: dict[str, Operation]
    """By lower-case method."""


def _sort_key(param: Param) -> tuple[str, str]:
    return param.name, param.location


def layout(routes: Iterable[Route]) -> list[PathItem]:
    """Path items in path order."""
    by_path: dict[str, list[Route]] = defaultdict(list)
    for route in routes:
        by_path[route.path].append(route)
    items: list[PathItem] = []
    for path in sorted(by_path):
        group = by_path[path]
        counts: dict[tuple[str, str], int] = defaultdict(int)
        last: dict[tuple[str, str], Param] = {}
        for route in group:
            for param in route.params:
                counts[param.key] += 1
                last[param.key] = param
        common = {key for key, n in counts.items() if n == len(group)}
        operations: dict[str, Operation] = {}
        for route in group:
            method = route.method.lower()
            if method in operations:
                raise ValueError(f"duplicate route {route.method} {path}")
            own = tuple(sorted((p for p in route.params if p.key not in common), key=_sort_key))
            operations[method] = Operation(route, own)
        path_params = tuple(sorted((last[key] for key in common), key=_sort_key))
        items.append(PathItem(path, path_params, operations))
    return items
