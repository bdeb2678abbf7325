"""Shared bits of the client-library journeys: optional imports that must not be optional in CI, objects."""

from __future__ import annotations

import os
from typing import Any

import pytest

CONTAINERS = [{"name": "a", "image": "nginx:1"}, {"name": "b", "image": "busybox:1"}]


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false")


def require(module: str) -> None:
    """Skip the file when `module` is missing on a developer machine; in CI let the import fail loudly,
    since a missing client library there means the test extras were not installed."""
    if not in_ci():
        pytest.importorskip(module)


def deployment(name: str, labels: dict[str, str] | None = None) -> dict[str, Any]:
    """An apps/v1 Deployment with two containers, so list patches can show merge-by-name."""
    match = {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "labels": labels or {}},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": match},
            "template": {"metadata": {"labels": match}, "spec": {"containers": [dict(c) for c in CONTAINERS]}},
        },
    }


def service(name: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name},
        "spec": {"selector": {"app": name}, "ports": [{"port": 80, "targetPort": 8080}]},
    }
