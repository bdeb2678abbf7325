"""Access reviews (authorization.k8s.io/v1), as kube-apiserver 1.33 answers them.

Sources: pkg/registry/authorization/{subjectaccessreview,localsubjectaccessreview,selfsubjectaccessreview,
selfsubjectrulesreview}/rest.go, pkg/registry/authorization/util/helpers.go, and
pkg/apis/authorization/validation/validation.go; AuthorizeWithSelectors is on (beta, default in 1.33).

Order for SAR/LSAR/SSAR: the create handler wipes system metadata and ensures the namespace (400), then
validation (422 Invalid), then, for LSAR only, the namespace checks (400); validating admission and the
authorizer come after. The 422's GroupKind comes from the decoded internal object, whose TypeMeta is empty,
so the message reads `.authorization.k8s.io "" is invalid: ...` and the details carry no kind.
SelfSubjectRulesReview only checks that spec.namespace is set (400) and answers with a new object.
"""

from __future__ import annotations

from typing import Any

from mockapi.api.authorization import Rules
from mockapi.api.errors import ApiError, FieldError, bad_request, forbidden_field, invalid, invalid_object, required
from mockapi.api.golang import go_quote
from mockapi.api.selectors import (
    Operator,
    SelectorError,
    label_value_errors,
    new_requirement,
    parse_field_selector,
    parse_label_selector,
    qualified_name_errors,
)
from mockapi.api.types import (
    Attributes,
    Decision,
    FieldSelectorRequirement,
    LabelSelectorRequirement,
    Obj,
    UserInfo,
    Verdict,
)
from mockapi.registry.reviews.gostruct import (
    Field,
    as_list,
    as_map,
    as_str,
    go_encode,
    go_non_resource,
    go_object_meta,
    review_metadata,
)

GROUP = "authorization.k8s.io"
API_VERSION = "authorization.k8s.io/v1"
SAR = "SubjectAccessReview"
LSAR = "LocalSubjectAccessReview"
SSAR = "SelfSubjectAccessReview"
SSRR = "SelfSubjectRulesReview"
NAMESPACE_MISMATCH = "the namespace of the provided object does not match the namespace sent on the request"

# --- validation -------------------------------------------------------------------------------------------


def access_review_error(body: Obj, kind: str, namespace: str) -> ApiError | None:
    """The error kube-apiserver answers a SAR/LSAR/SSAR create with, or None to go on to admission.

    `namespace` is the request's ("" for the cluster-scoped kinds). In order: 400 when an LSAR body names
    another namespace (create handler), 422 Invalid with every field error, then for LSAR 400 when the
    request has no namespace or it differs from the object's."""
    meta = as_map(body.get("metadata"))
    body_ns = as_str(meta.get("namespace"))
    if kind == LSAR and body_ns and namespace and body_ns != namespace:
        return bad_request(NAMESPACE_MISMATCH)
    # EnsureObjectNamespaceMatchesRequestNamespace: unset takes the request's, cluster scope clears it
    object_ns = (body_ns or namespace) if kind == LSAR else ""
    spec = as_map(body.get("spec"))
    errs = _spec_errors(spec, with_subject=kind != SSAR)
    if kind == LSAR:
        errs += _meta_errors(meta, object_ns, "must be empty except for namespace")
        ra = spec.get("resourceAttributes")
        if isinstance(ra, dict) and as_str(ra.get("namespace")) != object_ns:
            path = "spec.resourceAttributes.namespace"
            errs.append(invalid(path, as_str(ra.get("namespace")), "must match metadata.namespace"))
        if spec.get("nonResourceAttributes") is not None:
            bad = go_non_resource(spec["nonResourceAttributes"])
            errs.append(invalid("spec.nonResourceAttributes", bad, "disallowed on this kind of request"))
    else:
        errs += _meta_errors(meta, "", "must be empty")
    if errs:
        error = invalid_object("", GROUP, "", errs)
        if error.details is not None:
            error.details.pop("kind", None)  # StatusDetails.Kind is omitempty and the kind is ""
        return error
    if kind == LSAR and not namespace:
        return bad_request("namespace is required on this type: ")
    if kind == LSAR and namespace != object_ns:
        return bad_request(f"spec.resourceAttributes.namespace must match namespace: {namespace}")
    return None


def _spec_errors(spec: Obj, *, with_subject: bool) -> list[FieldError]:
    """ValidateSubjectAccessReviewSpec (with the subject) / ValidateSelfSubjectAccessReviewSpec."""
    ra, nra = spec.get("resourceAttributes"), spec.get("nonResourceAttributes")
    errs: list[FieldError] = []
    if ra is not None and nra is not None:
        detail = "cannot be specified in combination with resourceAttributes"
        errs.append(invalid("spec.nonResourceAttributes", go_non_resource(nra), detail))
    if ra is None and nra is None:
        # upstream passes the nil NonResourceAttributes pointer, which field.Error prints as "null", quoted
        detail = "exactly one of nonResourceAttributes or resourceAttributes must be specified"
        errs.append(invalid("spec.resourceAttributes", "null", detail))
    if with_subject and not spec.get("user") and not spec.get("groups"):
        errs.append(invalid("spec.user", as_str(spec.get("user")), "at least one of user or group must be specified"))
    if isinstance(ra, dict):
        errs += _selector_errors(ra.get("fieldSelector"), "spec.resourceAttributes.fieldSelector", label=False)
        errs += _selector_errors(ra.get("labelSelector"), "spec.resourceAttributes.labelSelector", label=True)
    return errs


def _selector_errors(selector: Any, path: str, *, label: bool) -> list[FieldError]:
    """validate{Field,Label}SelectorAttributes, unknown operators allowed (for newer clients)."""
    if not isinstance(selector, dict):
        return []
    raw, reqs = as_str(selector.get("rawSelector")), as_list(selector.get("requirements"))
    errs: list[FieldError] = []
    if raw and reqs:
        errs.append(invalid(f"{path}.rawSelector", raw, "may not specified at the same time as requirements"))
    if not raw and not reqs:
        detail = f"when {path} is specified, requirements or rawSelector is required"
        errs.append(required(f"{path}.requirements", detail))
    for i, req in enumerate(reqs):
        errs += _requirement_errors(as_map(req), f"{path}.requirements[{i}]", label=label)
    return errs


def _requirement_errors(req: Obj, path: str, *, label: bool) -> list[FieldError]:
    """metav1validation.Validate{Field,Label}SelectorRequirement: a field key must be set, a label key must
    be a qualified name and its values label values."""
    key, op, values = as_str(req.get("key")), req.get("operator"), as_list(req.get("values"))
    errs: list[FieldError] = []
    if not label and not key:
        errs.append(required(f"{path}.key", "must be specified"))
    if op in ("In", "NotIn") and not values:
        errs.append(required(f"{path}.values", "must be specified when `operator` is 'In' or 'NotIn'"))
    elif op in ("Exists", "DoesNotExist") and values:
        detail = "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
        errs.append(forbidden_field(f"{path}.values", detail))
    if label:
        errs += [invalid(f"{path}.key", key, msg) for msg in qualified_name_errors(key)]
        for i, value in enumerate(map(as_str, values)):
            errs += [invalid(f"{path}.values[{i}]", value, msg) for msg in label_value_errors(value)]
    return errs


def _meta_errors(meta: Obj, namespace: str, detail: str) -> list[FieldError]:
    """The metadata must equal an empty ObjectMeta (semantic equality: nil and empty alike) once the handler
    wiped the system fields; managedFields (set by the field manager) and the namespace are left out."""
    checked = ("name", "generateName", "resourceVersion", "generation", "labels", "annotations",
               "ownerReferences", "finalizers")  # fmt: skip
    if all(meta.get(k) in (None, "", 0, [], {}) for k in checked):
        return []
    return [invalid("metadata", go_object_meta(meta, namespace), detail)]


# --- authorizer attributes --------------------------------------------------------------------------------


def subject_of(spec: Obj) -> UserInfo:
    """AuthorizationAttributesFrom's user for SAR/LSAR: spec.user, groups, uid and extra."""
    extra = {k: tuple(map(as_str, as_list(v))) for k, v in as_map(spec.get("extra")).items()}
    groups = tuple(map(as_str, as_list(spec.get("groups"))))
    return UserInfo(name=as_str(spec.get("user")), uid=as_str(spec.get("uid")), groups=groups, extra=extra)


def attributes_from(spec: Obj, user: UserInfo) -> Attributes:
    """ResourceAttributesFrom / NonResourceAttributesFrom: what the authorizer is asked for `user` (the
    spec's subject for SAR/LSAR, the requesting user for SSAR). An empty version means every version;
    selectors that do not parse are dropped and their error kept."""
    ra = spec.get("resourceAttributes")
    if not isinstance(ra, dict):
        nra = as_map(spec.get("nonResourceAttributes"))
        return Attributes(user, as_str(nra.get("verb")), is_resource_request=False, path=as_str(nra.get("path")))
    fields, field_error = _field_selector(ra.get("fieldSelector"))
    labels, label_error = _label_selector(ra.get("labelSelector"))
    return Attributes(
        user=user,
        verb=as_str(ra.get("verb")),
        is_resource_request=True,
        namespace=as_str(ra.get("namespace")),
        api_group=as_str(ra.get("group")),
        api_version=as_str(ra.get("version")) or "*",
        resource=as_str(ra.get("resource")),
        subresource=as_str(ra.get("subresource")),
        name=as_str(ra.get("name")),
        field_selector=fields,
        field_selector_error=field_error,
        label_selector=labels,
        label_selector_error=label_error,
    )


def _aggregate(errors: list[str]) -> str:
    """utilerrors.NewAggregate(errs).Error(): "" for none, one bare, several as `[a, b]` once each."""
    unique = list(dict.fromkeys(errors))
    if len(unique) < 2:
        return "".join(unique)
    return "[" + ", ".join(unique) + "]"


def _field_selector(selector: Any) -> tuple[tuple[FieldSelectorRequirement, ...] | None, str]:
    """fields.ParseSelector of rawSelector, or fieldSelectorAsSelector of the requirements: requirements it
    cannot use are dropped with an error (dropping one of ANDed terms only broadens the check)."""
    if not isinstance(selector, dict):
        return None, ""
    reqs: list[FieldSelectorRequirement] = []
    errors: list[str] = []
    if raw := as_str(selector.get("rawSelector")):
        try:
            parsed = parse_field_selector(raw)
        except SelectorError as e:
            errors.append(str(e))
        else:
            reqs = [FieldSelectorRequirement(r.field, r.op, (r.value,)) for r in parsed.requirements]
    for expr in map(as_map, as_list(selector.get("requirements"))):
        op, values = expr.get("operator"), [as_str(v) for v in as_list(expr.get("values"))]
        if len(values) > 1:
            errors.append("fieldSelectors do not yet support multiple values")
        elif op in ("In", "NotIn") and len(values) != 1:
            errors.append(f"fieldSelectors {'in' if op == 'In' else 'not in'} must have one value")
        elif op in ("In", "NotIn"):  # as parsed selectors: = and !=
            reqs.append(FieldSelectorRequirement(as_str(expr.get("key")), "=" if op == "In" else "!=", tuple(values)))
        elif op in ("Exists", "DoesNotExist"):
            errors.append(f"fieldSelectors do not yet support {op}")
        else:
            errors.append(f"{go_quote(as_str(op))} is not a valid field selector operator")
    return tuple(reqs) or None, _aggregate(errors)


_LABEL_OPS = {
    "In": Operator.IN,
    "NotIn": Operator.NOT_IN,
    "Exists": Operator.EXISTS,
    "DoesNotExist": Operator.DOES_NOT_EXIST,
}


def _label_selector(selector: Any) -> tuple[tuple[LabelSelectorRequirement, ...] | None, str]:
    """labels.Parse of rawSelector, or labelSelectorAsSelector of the requirements (labels.NewRequirement)."""
    if not isinstance(selector, dict):
        return None, ""
    reqs: list[LabelSelectorRequirement] = []
    errors: list[str] = []
    if raw := as_str(selector.get("rawSelector")):
        try:
            parsed = parse_label_selector(raw)
        except SelectorError as e:
            errors.append(str(e))
        else:
            reqs = [LabelSelectorRequirement(r.key, r.operator.value, r.values) for r in parsed.requirements]
    for expr in map(as_map, as_list(selector.get("requirements"))):
        op = expr.get("operator")
        if op not in _LABEL_OPS:
            errors.append(f"{go_quote(as_str(op))} is not a valid label selector operator")
            continue
        values = [as_str(v) for v in as_list(expr.get("values"))] or None  # empty values become nil
        try:
            r = new_requirement(as_str(expr.get("key")), _LABEL_OPS[op], values)
        except SelectorError as e:
            errors.append(str(e))
            continue
        reqs.append(LabelSelectorRequirement(r.key, r.operator.value, r.values))
    return tuple(reqs) or None, _aggregate(errors)


def evaluation_error(error: str, attrs: Attributes) -> str:
    """BuildEvaluationError: the authorizer's error, then one note per selector that did not (fully) parse."""
    parts = [error] if error else []
    for name, reqs, err in (
        ("fieldSelector", attrs.field_selector, attrs.field_selector_error),
        ("labelSelector", attrs.label_selector, attrs.label_selector_error),
    ):
        if err:
            how = "partially ignored" if reqs else "ignored"
            parts.append(f"spec.resourceAttributes.{name} {how} due to parse error")
    return "; ".join(parts)


# --- responses ----------------------------------------------------------------------------------------------

_REQUIREMENT = (Field("key", omit=False), Field("operator", omit=False), Field("values"))
_SELECTOR = (Field("rawSelector"), Field("requirements", struct=_REQUIREMENT, many=True))
_RESOURCE = (
    *(Field(n) for n in ("namespace", "verb", "group", "version", "resource", "subresource", "name")),
    Field("fieldSelector", struct=_SELECTOR),
    Field("labelSelector", struct=_SELECTOR),
)
_NON_RESOURCE = (Field("path"), Field("verb"))
_SELF_SPEC = (Field("resourceAttributes", struct=_RESOURCE), Field("nonResourceAttributes", struct=_NON_RESOURCE))
_SPEC = (*_SELF_SPEC, Field("user"), Field("groups"), Field("extra"), Field("uid"))


def access_review_response(body: Obj, decision: Decision, *, kind: str = "", namespace: str = "") -> Obj:
    """The object a SAR/LSAR/SSAR create returns (201): the request's metadata and spec re-encoded, and the
    decision as status (`allowed` always; `denied`, `reason`, `evaluationError` when set). `kind` defaults to
    the body's; `namespace` is the request's, for LSAR (the body's when not given)."""
    kind = kind or as_str(body.get("kind")) or SAR
    spec = as_map(body.get("spec"))
    if kind == LSAR:
        namespace = namespace or as_str(as_map(body.get("metadata")).get("namespace"))
    status: Obj = {"allowed": decision.verdict is Verdict.ALLOW}
    if decision.verdict is Verdict.DENY:
        status["denied"] = True
    if decision.reason:
        status["reason"] = decision.reason
    if message := evaluation_error(decision.error, attributes_from(spec, UserInfo(""))):
        status["evaluationError"] = message
    return {
        "kind": kind,
        "apiVersion": API_VERSION,
        "metadata": review_metadata(body.get("metadata"), namespace if kind == LSAR else ""),
        "spec": go_encode(spec, _SELF_SPEC if kind == SSAR else _SPEC),
        "status": status,
    }


def rules_review_error(body: Obj) -> ApiError | None:
    """SelfSubjectRulesReview: 400 `no namespace on request` without spec.namespace; nothing else is checked
    (neither validation nor validating admission runs)."""
    if not as_str(as_map(body.get("spec")).get("namespace")):
        return bad_request("no namespace on request")
    return None


def rules_review_response(body: Obj, rules: Rules) -> Obj:
    """The new SelfSubjectRulesReview upstream returns (201): empty metadata and spec (nothing of `body` is
    echoed), rule lists `[]` when empty, `incomplete` always present, `evaluationError` when set."""
    del body  # upstream answers with a fresh object
    resource_rules = []
    for r in rules.resource_rules:
        rule: Obj = {"verbs": list(r.verbs)}
        optional = (("apiGroups", r.api_groups), ("resources", r.resources), ("resourceNames", r.resource_names))
        rule.update((key, list(values)) for key, values in optional if values)
        resource_rules.append(rule)
    non_resource_rules = []
    for n in rules.non_resource_rules:
        rule = {"verbs": list(n.verbs)}
        if n.non_resource_urls:
            rule["nonResourceURLs"] = list(n.non_resource_urls)
        non_resource_rules.append(rule)
    status: Obj = {"resourceRules": resource_rules, "nonResourceRules": non_resource_rules}
    status["incomplete"] = rules.incomplete
    if rules.evaluation_error:
        status["evaluationError"] = rules.evaluation_error
    return {"kind": SSRR, "apiVersion": API_VERSION, "metadata": review_metadata({}, ""), "spec": {}, "status": status}
