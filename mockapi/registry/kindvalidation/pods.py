"""Pod validation: create (ValidatePodCreate) and update (ValidatePodUpdate), kube-apiserver 1.33.

The generic metadata checks (ValidateObjectMeta / ValidateObjectMetaUpdate) run in the store before
these; status writes skip them (upstream's status rules are not modelled yet).

Not modelled: the tolerations annotation, seccomp and AppArmor annotation/field consistency on create,
node-affinity additions to scheduling-gated pods (any node-affinity change is refused by the spec
comparison instead), label selectors inside pod affinity and topology spread (matchLabelKeys too),
Windows host-process and OS-specific field rules, resource claims, hugepage divisibility, sysctl
host-namespace rules, mountPropagation/recursiveReadOnly, the deeper checks of rare volume sources
(iSCSI, FC, Quobyte, ephemeral claim templates, image, ClusterTrustBundle), and the two messages whose
upstream text prints Go pointer addresses (allowPrivilegeEscalation with privileged, a seccomp
localhostProfile on a non-Localhost profile).
"""

from __future__ import annotations

import copy

from mockapi.api.errors import FieldError, GoRepr, forbidden_field, invalid, required
from mockapi.api.golang import go_quote
from mockapi.api.types import Obj
from mockapi.registry.kindvalidation.gocmp import pod_spec_diff, pod_specs_equal
from mockapi.registry.kindvalidation.podcontainers import image_whitespace_errors
from mockapi.registry.kindvalidation.podfields import items, number, obj, text
from mockapi.registry.kindvalidation.podscheduling import toleration_errors
from mockapi.registry.kindvalidation.podspec import (
    APPARMOR_PREFIX,
    MIRROR_ANNOTATION,
    pod_annotation_errors,
    validate_pod_spec,
)
from mockapi.registry.validation import inclusive_range_error

MAX_INT32 = 2**31 - 1

UPDATABLE_POD_SPEC_FIELDS = [
    "`spec.containers[*].image`",
    "`spec.initContainers[*].image`",
    "`spec.activeDeadlineSeconds`",
    "`spec.tolerations` (only additions to existing tolerations)",
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
]
"""updatablePodSpecFields of 1.33 (resources left the list when resizing moved to pods/resize)."""


def _meta_key(key: str) -> str:
    return f"metadata.annotations[{key}]"


def _pod_metadata_and_spec_errors(pod: Obj) -> list[FieldError]:
    """validatePodMetadataAndSpec after ValidateObjectMeta."""
    spec = obj(pod.get("spec"))
    errs = pod_annotation_errors(obj(obj(pod.get("metadata")).get("annotations")), spec, "metadata.annotations")
    errs += validate_pod_spec(spec, "spec", is_pod=True)
    if not text(spec, "serviceAccountName"):
        for vi, volume in enumerate(items(spec.get("volumes"))):
            for si, source in enumerate(items(obj(volume.get("projected")).get("sources"))):
                if isinstance(source.get("serviceAccountToken"), dict):
                    errs.append(
                        forbidden_field(
                            f"spec.volumes[{vi}].projected.sources[{si}].serviceAccountToken",
                            "must not be specified when serviceAccountName is not set",
                        )
                    )
    for key in ("containers", "initContainers"):
        for i, ctr in enumerate(items(spec.get(key))):
            errs += image_whitespace_errors(ctr, f"spec.{key}[{i}]")
    return errs


def validate_pod_create(pod: Obj) -> list[FieldError]:
    """ValidatePodCreate."""
    errs = _pod_metadata_and_spec_errors(pod)
    spec = obj(pod.get("spec"))
    if items(spec.get("ephemeralContainers")):
        errs.append(forbidden_field("spec.ephemeralContainers", "cannot be set on create"))
    if text(spec, "nodeName") and items(spec.get("schedulingGates")):
        errs.append(forbidden_field("spec.nodeName", "cannot be set until all schedulingGates have been cleared"))
    return errs


def _annotation_update_errors(new: Obj, old: Obj) -> list[FieldError]:
    """ValidatePodSpecificAnnotationUpdates: AppArmor and mirror annotations are immutable."""
    errs: list[FieldError] = []
    for key, value in old.items():
        if key in new and new[key] == value:
            continue
        if key.startswith(APPARMOR_PREFIX):
            errs.append(forbidden_field(_meta_key(key), "may not remove or update AppArmor annotations"))
        if key == MIRROR_ANNOTATION:
            errs.append(forbidden_field(_meta_key(key), "may not remove or update mirror pod annotation"))
    for key in new:
        if key in old:
            continue
        if key.startswith(APPARMOR_PREFIX):
            errs.append(forbidden_field(_meta_key(key), "may not add AppArmor annotations"))
        if key == MIRROR_ANNOTATION:
            errs.append(forbidden_field(_meta_key(key), "may not add mirror pod annotation"))
    return errs


def _container_update_errors(new: list[Obj], old: list[Obj], path: str) -> tuple[list[FieldError], bool]:
    """ValidateContainerUpdates: (errors, stop)."""
    if len(new) != len(old):
        return [forbidden_field(path, "pod updates may not add or remove containers")], True
    errs: list[FieldError] = []
    for i, ctr in enumerate(new):
        if not text(ctr, "image"):
            errs.append(required(f"{path}[{i}].image"))
        errs += image_whitespace_errors(ctr, f"{path}[{i}]")
    return errs, False


def _toleration_key(tol: Obj) -> tuple[str, str, str, str, int | None]:
    return (
        text(tol, "key"),
        text(tol, "operator"),
        text(tol, "value"),
        text(tol, "effect"),
        number(tol, "tolerationSeconds"),
    )


def _only_added_tolerations(new: list[Obj], old: list[Obj]) -> list[FieldError]:
    """validateOnlyAddedTolerations: an existing toleration may only change its tolerationSeconds."""
    for previous in old:
        key = _toleration_key(previous)[:4]
        if not any(_toleration_key(t)[:4] == key for t in new):
            return [
                forbidden_field(
                    "spec.tolerations", "existing toleration can not be modified except its tolerationSeconds"
                )
            ]
    return toleration_errors(new, "spec.tolerations")


def _only_deleted_gates(new: list[Obj], old: list[Obj]) -> list[FieldError]:
    """validateOnlyDeletedSchedulingGates."""
    previous = {text(g, "name") for g in old}
    errs: list[FieldError] = []
    added: dict[str, int] = {}
    for i, gate in enumerate(new):
        added[text(gate, "name")] = i
    for name, i in added.items():
        if name not in previous:
            errs.append(
                forbidden_field(
                    f"spec.schedulingGates[{i}].name",
                    f"only deletion is allowed, but found new scheduling gate '{name}'",
                )
            )
    return errs


def _go_string_map(values: Obj) -> GoRepr:
    """%#v of a map[string]string (Go prints maps with sorted keys)."""
    inner = ", ".join(f"{go_quote(k)}:{go_quote(str(values[k]))}" for k in sorted(values))
    return GoRepr(f"map[string]string{{{inner}}}")


def _munged_spec(new: Obj, old: Obj, errs: list[FieldError]) -> Obj:
    """The new spec with the fields an update may change taken from the old one (ValidatePodUpdate)."""
    munged = copy.deepcopy(new)
    for key in ("containers", "initContainers"):
        old_list = items(old.get(key))
        for i, ctr in enumerate(items(munged.get(key))):
            if "image" in old_list[i]:
                ctr["image"] = old_list[i]["image"]
            else:
                ctr.pop("image", None)
    for key in ("activeDeadlineSeconds", "schedulingGates", "tolerations"):
        if key in old:
            munged[key] = copy.deepcopy(old[key])
        else:
            munged.pop(key, None)
    old_grace, new_grace = number(old, "terminationGracePeriodSeconds"), number(munged, "terminationGracePeriodSeconds")
    if old_grace is not None and old_grace < 0 and new_grace == 1:
        munged["terminationGracePeriodSeconds"] = old_grace
    if items(old.get("schedulingGates")):
        old_selector, new_selector = obj(old.get("nodeSelector")), obj(munged.get("nodeSelector"))
        if new_selector != old_selector:
            if any(new_selector.get(k) != v for k, v in old_selector.items()):
                errs.append(
                    invalid(
                        "spec.nodeSelector",
                        _go_string_map(new_selector),
                        "only additions to spec.nodeSelector are allowed (no mutations or deletions)",
                    )
                )
            if "nodeSelector" in old:
                munged["nodeSelector"] = copy.deepcopy(old["nodeSelector"])
            else:
                munged.pop("nodeSelector", None)
    return munged


def validate_pod_update(pod: Obj, old: Obj) -> list[FieldError]:
    """ValidatePodUpdate after ValidateObjectMetaUpdate."""
    errs = _pod_metadata_and_spec_errors(pod)
    new_meta, old_meta = obj(pod.get("metadata")), obj(old.get("metadata"))
    new_annotations, old_annotations = obj(new_meta.get("annotations")), obj(old_meta.get("annotations"))
    errs += _annotation_update_errors(new_annotations, old_annotations)
    errs += pod_annotation_errors(new_annotations, obj(pod.get("spec")), "metadata.annotations")
    new_spec, old_spec = obj(pod.get("spec")), obj(old.get("spec"))
    for key in ("containers", "initContainers"):
        container_errs, stop = _container_update_errors(
            items(new_spec.get(key)), items(old_spec.get(key)), f"spec.{key}"
        )
        errs += container_errs
        if stop:
            return errs
    new_deadline, old_deadline = number(new_spec, "activeDeadlineSeconds"), number(old_spec, "activeDeadlineSeconds")
    if new_deadline is not None:
        if new_deadline < 0 or new_deadline > MAX_INT32:
            return [*errs, invalid("spec.activeDeadlineSeconds", new_deadline, inclusive_range_error(0, MAX_INT32))]
        if old_deadline is not None and old_deadline < new_deadline:
            return [
                *errs,
                invalid("spec.activeDeadlineSeconds", new_deadline, "must be less than or equal to previous value"),
            ]
    elif old_deadline is not None:
        errs.append(invalid("spec.activeDeadlineSeconds", None, "must not update from a positive integer to nil value"))
    errs += _only_added_tolerations(items(new_spec.get("tolerations")), items(old_spec.get("tolerations")))
    errs += _only_deleted_gates(items(new_spec.get("schedulingGates")), items(old_spec.get("schedulingGates")))
    if old_spec == new_spec:  # upstream's early return; specs equal only semantically reach the same end below
        return errs
    munged = _munged_spec(new_spec, old_spec, errs)
    if not pod_specs_equal(old_spec, munged):
        detail = "pod updates may not change fields other than " + ",".join(UPDATABLE_POD_SPEC_FIELDS)
        errs.append(forbidden_field("spec", f"{detail}\n{pod_spec_diff(old_spec, munged)}"))
    return errs


def validate_pod(pod: Obj, old: Obj | None) -> list[FieldError]:
    return validate_pod_create(pod) if old is None else validate_pod_update(pod, old)
