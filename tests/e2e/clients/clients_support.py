"""Shared objects of the client-library journeys (each file imports its library through
`mockapi.testing.ci.require_module`: skipped on a developer machine without it, failed in CI)."""

from __future__ import annotations

from typing import Any

CONTAINERS = [{"name": "a", "image": "nginx:1"}, {"name": "b", "image": "busybox:1"}]


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
