"""Storage versions: one key space per resource, objects kept in one storage version and converted to the
version a request is served in (kube-apiserver's storage codec and cohabitating resources).

    storage_versions  the table (resource -> key prefix, storage version), `storage_prefix`/`storage_key`
                      (THE key function), the conversion lookup
    view              `storage_view(base, rt)` / `StorageViews`: a `Storage` that converts for one served type
    hpa, hpa_metrics  HorizontalPodAutoscaler autoscaling/v1 <-> autoscaling/v2
    events            Event core/v1 <-> events.k8s.io/v1
    godecode          encoding/json's decoding rules, for the annotations the HPA conversion reads

Conversions are pure functions of JSON objects. May import `mockapi.api`, `mockapi.storage` (the
interface), `mockapi.resources` (ResourceType) and `mockapi.registry.defaulting`. Never aiohttp.
"""

from __future__ import annotations

from mockapi.registry.conversion.storage_versions import (
    CONVERTERS,
    STORAGE_FORMS,
    Converter,
    StorageForm,
    converters,
    needs_conversion,
    storage_form,
    storage_key,
    storage_prefix,
)
from mockapi.registry.conversion.view import ConvertingStorage, ConvertingWatcher, StorageViews, storage_view

__all__ = [
    "CONVERTERS",
    "STORAGE_FORMS",
    "Converter",
    "ConvertingStorage",
    "ConvertingWatcher",
    "StorageForm",
    "StorageViews",
    "converters",
    "needs_conversion",
    "storage_form",
    "storage_key",
    "storage_prefix",
    "storage_view",
]
