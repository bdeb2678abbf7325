"""The core/v1 resources that stages look up by name (through `ObjectReader` or the informers)."""

from __future__ import annotations

from mockapi.api.types import GroupVersionResource

NAMESPACES = GroupVersionResource("", "v1", "namespaces")
NODES = GroupVersionResource("", "v1", "nodes")
PODS = GroupVersionResource("", "v1", "pods")
SECRETS = GroupVersionResource("", "v1", "secrets")
SERVICEACCOUNTS = GroupVersionResource("", "v1", "serviceaccounts")
