"""ReplicationController validation (core ValidateReplicationControllerSpec), kube-apiserver 1.33.

The selector is a plain label map (defaulted from the template labels); the template is optional in the
type and required here. On update the strategy runs ValidateReplicationController and
ValidateReplicationControllerUpdate, so the spec is validated twice; the selector stays mutable.
The replicas/minReadySeconds rules also have declarative twins in 1.33, but with
DeclarativeValidationTakeover off the handwritten errors below are what clients see.
"""

from __future__ import annotations

from mockapi.api.errors import FieldError, forbidden_field, not_supported, required
from mockapi.api.selectors import LabelSelector, Operator, Requirement
from mockapi.api.types import Obj
from mockapi.registry.kindvalidation.workloads import (
    as_dict,
    nonnegative,
    pod_template_errors,
    restart_policy,
    selector_matches_template,
)


def _selector(selector: object) -> LabelSelector:
    """labels.Set(selector).AsSelector(): one `=` requirement a key, unvalidated."""
    labels = selector if isinstance(selector, dict) else {}
    reqs = tuple(Requirement(str(k), Operator.EQUALS, (str(v),)) for k, v in sorted(labels.items()))
    return LabelSelector(reqs)


def _template_errors(template: Obj, selector: LabelSelector) -> list[FieldError]:
    """ValidatePodTemplateSpecForRC."""
    path = "spec.template"
    errs: list[FieldError] = []
    if not selector.empty:
        errs += selector_matches_template(selector, template, path)
    errs += pod_template_errors(template, path)
    policy = restart_policy(template)
    if policy != "Always":
        errs.append(not_supported(f"{path}.spec.restartPolicy", policy, ["Always"]))
    if as_dict(template.get("spec")).get("activeDeadlineSeconds") is not None:
        detail = "activeDeadlineSeconds in ReplicationController is not Supported"
        errs.append(forbidden_field(f"{path}.spec.activeDeadlineSeconds", detail))
    return errs


def _spec_errors(spec: Obj) -> list[FieldError]:
    errs = nonnegative(spec.get("minReadySeconds"), "spec.minReadySeconds")
    selector = _selector(spec.get("selector"))
    if selector.empty:
        errs.append(required("spec.selector"))
    errs += nonnegative(spec.get("replicas"), "spec.replicas")
    template = spec.get("template")
    if not isinstance(template, dict):
        return [*errs, required("spec.template")]
    return errs + _template_errors(template, selector)


def validate_replication_controller(obj: Obj, old: Obj | None) -> list[FieldError]:
    spec_errs = _spec_errors(as_dict(obj.get("spec")))
    return spec_errs if old is None else spec_errs + spec_errs
