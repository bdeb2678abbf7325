"""Where each resource is stored and in which version: THE storage key function, and the conversions.

Like etcd's `/registry/<resource>`, a resource has one key space whatever version or group serves it,
and its objects are kept in one storage version. Today's prefix format `<group>/<plural>` is kept; only
resources served in more than one form are listed in `STORAGE_FORMS`, every other resource is stored as
served (no conversion).

Provenance (kube-apiserver 1.33):
- pkg/kubeapiserver/default_storage_factory_builder.go: `ResourceEncodingOverrides` names neither
  resource below, so each is stored in its group's highest-priority version;
  `AddCohabitatingResources(api.Resource("events"), events.Resource("events"))` puts events.k8s.io
  Events in core's key space (/registry/events) and encoding (the first enabled cohabitant: core/v1).
- pkg/apis/autoscaling/install/install.go: `SetVersionPriority(v2, v1, v2beta1, v2beta2)`, so HPAs are
  stored as autoscaling/v2 (v2 is known to every release 1.33 emulates, so the emulation-aware
  NewDefaultResourceEncodingConfigForEffectiveVersion keeps it).
- Checked against the catalog's discovery data: storageVersionHash = base64(sha256("<group>/<version>/
  <Kind>")[:8]) is that of autoscaling/v2 HorizontalPodAutoscaler (qwQve8ut294=) for both HPA versions,
  and of /v1/Event (r2yiGXH7wu8=) for both event groups (tests/unit/registry/test_versioned_storage.py).

With the default `--runtime-config` these are the only (group, resource) pairs served in more than one
form. `api/all=true` adds alpha/beta versions of other resources (resource.k8s.io, servicecidrs,
ipaddresses, clustertrustbundles, ...): their storage version is read off the discovery data's
storageVersionHash, and they are converted by apiVersion alone (their versions' fields are the same for
what mockapi validates; a field one version lacks is kept, not dropped as upstream's conversion would).
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from mockapi.api.types import Obj
from mockapi.registry.conversion.events import core_to_events_v1, events_v1_to_core
from mockapi.registry.conversion.hpa import hpa_v1_to_v2, hpa_v2_to_v1
from mockapi.resources.types import ResourceType
from mockapi.storage.interface import Key

Converter = Callable[[Obj], Obj]
"""Builds the object in another version; never modifies its input (nested values may be shared)."""


@dataclass(frozen=True, slots=True)
class StorageForm:
    """How one resource is kept in storage."""

    prefix: str
    """Key prefix shared by every served form of the resource (`<group>/<plural>` of the owning group)."""
    group: str
    """API group of the storage version ("" for core)."""
    version: str
    """The storage version."""
    kind: str
    """Kind of the stored objects."""

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version


_HPA = StorageForm("autoscaling/horizontalpodautoscalers", "autoscaling", "v2", "HorizontalPodAutoscaler")
_EVENT = StorageForm("/events", "", "v1", "Event")

STORAGE_FORMS: dict[tuple[str, str], StorageForm] = {
    # (group, plural) as served -> storage form
    ("autoscaling", "horizontalpodautoscalers"): _HPA,  # served as autoscaling/v2 and autoscaling/v1
    ("", "events"): _EVENT,
    ("events.k8s.io", "events"): _EVENT,  # cohabitating: core's key space and encoding
}

CONVERTERS: dict[tuple[str, str, str], Converter] = {
    # (kind, from apiVersion, to apiVersion) -> conversion
    ("HorizontalPodAutoscaler", "autoscaling/v1", "autoscaling/v2"): hpa_v1_to_v2,
    ("HorizontalPodAutoscaler", "autoscaling/v2", "autoscaling/v1"): hpa_v2_to_v1,
    ("Event", "v1", "events.k8s.io/v1"): core_to_events_v1,
    ("Event", "events.k8s.io/v1", "v1"): events_v1_to_core,
}


_CANDIDATE_VERSIONS = (
    "v1",
    "v2",
    "v1beta1",
    "v1beta2",
    "v1beta3",
    "v2beta1",
    "v2beta2",
    "v1alpha1",
    "v1alpha2",
    "v1alpha3",
    "v2alpha1",
)
"""Versions a built-in group has used; the storage version is the one whose hash discovery publishes."""


def version_hash(group: str, version: str, kind: str) -> str:
    """discovery's storageVersionHash: the first 8 bytes of sha256("<group>/<version>/<Kind>"), base64."""
    return base64.b64encode(hashlib.sha256(f"{group}/{version}/{kind}".encode()).digest()[:8]).decode()


@functools.cache
def _derived_form(group: str, version: str, plural: str, kind: str, published: str) -> StorageForm | None:
    """The storage form discovery's hash names, when it is another version of the same group."""
    if not published or version_hash(group, version, kind) == published:
        return None
    for candidate in _CANDIDATE_VERSIONS:
        if candidate != version and version_hash(group, candidate, kind) == published:
            return StorageForm(f"{group}/{plural}", group, candidate, kind)
    return None


def storage_form(rt: ResourceType) -> StorageForm | None:
    """The storage form of a resource served in more than one form; None: stored as served."""
    form = STORAGE_FORMS.get((rt.group, rt.plural))
    if form is None:
        form = _derived_form(rt.group, rt.version, rt.plural, rt.kind, rt.storage_version_hash)
    return form


def storage_prefix(rt: ResourceType) -> str:
    """The key prefix of a resource, the same for every version and group that serves it."""
    form = STORAGE_FORMS.get((rt.group, rt.plural))
    return form.prefix if form is not None else f"{rt.group}/{rt.plural}"


def storage_key(rt: ResourceType, namespace: str, name: str) -> Key:
    """The storage key of one object (the namespace is ignored for cluster-scoped resources)."""
    return Key(storage_prefix(rt), namespace if rt.namespaced else "", name)


def needs_conversion(rt: ResourceType) -> bool:
    """Whether objects of `rt` are stored in another version or group than `rt` serves."""
    form = storage_form(rt)
    return form is not None and (form.group, form.version) != (rt.group, rt.version)


def converters(rt: ResourceType) -> tuple[StorageForm, Converter, Converter]:
    """(storage form, served -> storage, storage -> served) for a resource that `needs_conversion`.

    Raises LookupError when the table names a storage form but no conversion for `rt`'s version.
    """
    form = storage_form(rt)
    if form is None:
        raise LookupError(f"{rt.plural}.{rt.group} has no storage form")
    if (rt.group, rt.plural) not in STORAGE_FORMS:  # derived from discovery: converted by apiVersion alone
        return form, _with_api_version(form.api_version), _with_api_version(rt.api_version)
    try:
        to_storage = CONVERTERS[(rt.kind, rt.api_version, form.api_version)]
        to_served = CONVERTERS[(rt.kind, form.api_version, rt.api_version)]
    except KeyError:
        raise LookupError(f"no conversion between {rt.api_version} and {form.api_version} {rt.kind}") from None
    return form, to_storage, to_served


def _with_api_version(api_version: str) -> Converter:
    def convert(obj: Obj) -> Obj:
        return {**obj, "apiVersion": api_version}

    return convert
