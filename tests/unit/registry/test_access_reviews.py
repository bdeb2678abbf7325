"""SubjectAccessReview, LocalSubjectAccessReview, SelfSubjectAccessReview and SelfSubjectRulesReview
(mockapi.registry.reviews.access) against kube-apiserver 1.33, table-driven.

Upstream: pkg/apis/authorization/validation/validation{,_test}.go, pkg/registry/authorization/*/rest.go,
pkg/registry/authorization/util/helpers{,_test}.go."""

from __future__ import annotations

from typing import Any

import pytest

from mockapi.api.authorization import NonResourceRule, ResourceRule, Rules
from mockapi.api.types import (
    Attributes,
    Decision,
    FieldSelectorRequirement,
    LabelSelectorRequirement,
    UserInfo,
    Verdict,
)
from mockapi.registry.reviews.access import (
    LSAR,
    SAR,
    SSAR,
    access_review_error,
    access_review_response,
    attributes_from,
    evaluation_error,
    rules_review_error,
    rules_review_response,
    subject_of,
)

RESOURCE = {"verb": "get", "resource": "pods"}
QNAME = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
EMPTY_META = (
    'v1.ObjectMeta{Name:"a", GenerateName:"", Namespace:"%s", SelfLink:"", UID:"", ResourceVersion:"", '
    "Generation:0, CreationTimestamp:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC), DeletionTimestamp:<nil>, "
    "DeletionGracePeriodSeconds:(*int64)(nil), Labels:map[string]string(nil), Annotations:map[string]string(nil), "
    "OwnerReferences:[]v1.OwnerReference(nil), Finalizers:[]string(nil), ManagedFields:[]v1.ManagedFieldsEntry(nil)}"
)
SEL = "spec.resourceAttributes.fieldSelector"
NO_VALUES = "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
LSEL = "spec.resourceAttributes.labelSelector"

# (upstream behaviour, kind, request namespace, body, field errors of the 422 in order)
INVALID: list[tuple[str, str, str, dict[str, Any], list[str]]] = [
    (
        'neither request: the nil NonResourceAttributes pointer prints as a quoted "null"',
        SAR,
        "",
        {"spec": {"user": "me"}},
        [
            'spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or '
            "resourceAttributes must be specified"
        ],
    ),
    (
        "both requests: the NonResourceAttributes struct printed with %#v",
        SAR,
        "",
        {"spec": {"user": "me", "resourceAttributes": {}, "nonResourceAttributes": {"path": "/x", "verb": "get"}}},
        [
            'spec.nonResourceAttributes: Invalid value: authorization.NonResourceAttributes{Path:"/x", Verb:"get"}: '
            "cannot be specified in combination with resourceAttributes"
        ],
    ),
    (
        "no subject (validation_test.go `no subject`)",
        SAR,
        "",
        {"spec": {"resourceAttributes": {}}},
        ['spec.user: Invalid value: "": at least one of user or group must be specified'],
    ),
    (
        "empty spec: both spec errors, in validation order",
        SAR,
        "",
        {"spec": {}},
        [
            'spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or '
            "resourceAttributes must be specified",
            'spec.user: Invalid value: "": at least one of user or group must be specified',
        ],
    ),
    (
        "field selector specify both",
        SAR,
        "",
        {"spec": {"user": "me", "resourceAttributes": {"fieldSelector": {"rawSelector": "foo", "requirements": [{}]}}}},
        [
            f'{SEL}.rawSelector: Invalid value: "foo": may not specified at the same time as requirements',
            f"{SEL}.requirements[0].key: Required value: must be specified",
        ],
    ),
    (
        "field selector specify neither",
        SAR,
        "",
        {"spec": {"user": "me", "resourceAttributes": {"fieldSelector": {}}}},
        [f"{SEL}.requirements: Required value: when {SEL} is specified, requirements or rawSelector is required"],
    ),
    (
        "field selector no value for in",
        SAR,
        "",
        {
            "spec": {
                "user": "me",
                "resourceAttributes": {
                    "fieldSelector": {"requirements": [{"key": "k", "operator": "In", "values": []}]}
                },
            }
        },
        [f"{SEL}.requirements[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"],
    ),
    (
        "field selector values for exists",
        SAR,
        "",
        {
            "spec": {
                "user": "me",
                "resourceAttributes": {
                    "fieldSelector": {"requirements": [{"key": "k", "operator": "Exists", "values": ["val"]}]}
                },
            }
        },
        [f"{SEL}.requirements[0].values: {NO_VALUES}"],
    ),
    (
        "label selector no key: both IsQualifiedName messages",
        SAR,
        "",
        {"spec": {"user": "me", "resourceAttributes": {"labelSelector": {"requirements": [{"key": ""}]}}}},
        [
            f'{LSEL}.requirements[0].key: Invalid value: "": name part must be non-empty',
            f'{LSEL}.requirements[0].key: Invalid value: "": {QNAME}',
        ],
    ),
    (
        "label selector invalid label name",
        SAR,
        "",
        {"spec": {"user": "me", "resourceAttributes": {"labelSelector": {"requirements": [{"key": "()foo"}]}}}},
        [f'{LSEL}.requirements[0].key: Invalid value: "()foo": {QNAME}'],
    ),
    (
        "label selector: the operator check comes before the key, values are label values",
        SAR,
        "",
        {
            "spec": {
                "user": "me",
                "resourceAttributes": {
                    "labelSelector": {"requirements": [{"key": "k", "operator": "Exists", "values": ["a b"]}]}
                },
            }
        },
        [
            f"{LSEL}.requirements[0].values: {NO_VALUES}",
            f'{LSEL}.requirements[0].values[0]: Invalid value: "a b": a valid label must be an empty string or consist '
            "of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
            "'MyValue',  or 'my_value',  or '12345', regex used for validation is "
            "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        ],
    ),
    (
        "SAR metadata must be empty (after the spec errors)",
        SAR,
        "",
        {"metadata": {"name": "a"}, "spec": {"resourceAttributes": RESOURCE}},
        [
            'spec.user: Invalid value: "": at least one of user or group must be specified',
            f"metadata: Invalid value: {EMPTY_META % ''}: must be empty",
        ],
    ),
    (
        "SSAR needs no subject, but the same exactly-one rule",
        SSAR,
        "",
        {"spec": {}},
        [
            'spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or '
            "resourceAttributes must be specified"
        ],
    ),
    (
        "SSAR metadata must be empty",
        SSAR,
        "",
        {"metadata": {"name": "a"}, "spec": {"nonResourceAttributes": {}}},
        [f"metadata: Invalid value: {EMPTY_META % ''}: must be empty"],
    ),
    (
        "LSAR: metadata empty except for namespace, printed with the namespace it got from the request",
        LSAR,
        "ns",
        {"metadata": {"name": "a"}, "spec": {"user": "me", "resourceAttributes": {"namespace": "ns"}}},
        [f"metadata: Invalid value: {EMPTY_META % 'ns'}: must be empty except for namespace"],
    ),
    (
        "LSAR: spec.resourceAttributes.namespace must match metadata.namespace",
        LSAR,
        "ns",
        {"spec": {"user": "me", "resourceAttributes": {"namespace": "other"}}},
        ['spec.resourceAttributes.namespace: Invalid value: "other": must match metadata.namespace'],
    ),
    (
        "LSAR: nonResourceAttributes disallowed on this kind",
        LSAR,
        "ns",
        {"spec": {"user": "me", "nonResourceAttributes": {"path": "/p", "verb": "get"}}},
        [
            'spec.nonResourceAttributes: Invalid value: authorization.NonResourceAttributes{Path:"/p", Verb:"get"}: '
            "disallowed on this kind of request"
        ],
    ),
]


@pytest.mark.parametrize(("why", "kind", "namespace", "body", "errors"), INVALID, ids=[r[0] for r in INVALID])
def test_invalid_reviews_are_422_without_a_kind(
    why: str, kind: str, namespace: str, body: dict[str, Any], errors: list[str]
) -> None:
    # NewInvalid(authorizationapi.Kind(obj.Kind), "", errs) with the internal object's empty Kind
    err = access_review_error(body, kind, namespace)
    assert err is not None
    status = err.status()
    joined = errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"
    assert status["code"] == 422 and status["reason"] == "Invalid"
    assert status["message"] == f'.authorization.k8s.io "" is invalid: {joined}'
    assert status["details"]["group"] == "authorization.k8s.io"
    assert "kind" not in status["details"] and "name" not in status["details"]
    assert [f"{c['field']}: {c['message']}" for c in status["details"]["causes"]] == errors


VALID: list[tuple[str, str, str, dict[str, Any]]] = [
    ("SAR with a user", SAR, "", {"spec": {"user": "me", "resourceAttributes": RESOURCE}}),
    ("SAR with only groups", SAR, "", {"spec": {"groups": ["g"], "nonResourceAttributes": {}}}),
    (
        "raw selectors are not parsed by validation",
        SAR,
        "",
        {
            "spec": {
                "user": "me",
                "resourceAttributes": {
                    "fieldSelector": {"rawSelector": "***foo"},
                    "labelSelector": {"rawSelector": "***foo"},
                },
            }
        },
    ),
    (
        "unknown operators are allowed",
        SAR,
        "",
        {
            "spec": {
                "user": "me",
                "resourceAttributes": {
                    "fieldSelector": {"requirements": [{"key": "k", "operator": "fake", "values": ["v"]}]},
                    "labelSelector": {"requirements": [{"key": "k", "operator": "fake", "values": ["v"]}]},
                },
            }
        },
    ),
    (
        "system fields are wiped and managedFields ignored before the emptiness check",
        SAR,
        "",
        {
            "metadata": {
                "uid": "u",
                "creationTimestamp": "2024-01-01T00:00:00Z",
                "labels": {},
                "managedFields": [{"manager": "kubectl"}],
            },
            "spec": {"user": "me", "resourceAttributes": RESOURCE},
        },
    ),
    (
        "a cluster-scoped review loses the body's namespace",
        SAR,
        "",
        {"metadata": {"namespace": "x"}, "spec": {"user": "me", "resourceAttributes": RESOURCE}},
    ),
    (
        "LSAR takes the request's namespace when the body has none",
        LSAR,
        "ns",
        {"spec": {"user": "me", "resourceAttributes": {"namespace": "ns"}}},
    ),
    ("SSAR", SSAR, "", {"spec": {"resourceAttributes": RESOURCE}}),
]


@pytest.mark.parametrize(("why", "kind", "namespace", "body"), VALID, ids=[r[0] for r in VALID])
def test_valid_reviews(why: str, kind: str, namespace: str, body: dict[str, Any]) -> None:
    assert access_review_error(body, kind, namespace) is None


# (upstream behaviour, request namespace, body, message) — all 400 BadRequest without details
LSAR_BAD_REQUEST: list[tuple[str, str, dict[str, Any], str]] = [
    (
        "create handler: EnsureObjectNamespaceMatchesRequestNamespace",
        "ns",
        {"metadata": {"namespace": "other"}, "spec": {"user": "me", "resourceAttributes": {"namespace": "other"}}},
        "the namespace of the provided object does not match the namespace sent on the request",
    ),
    (
        "localsubjectaccessreview/rest.go: no namespace in the request",
        "",
        {"metadata": {"namespace": "ns"}, "spec": {"user": "me", "resourceAttributes": {"namespace": "ns"}}},
        "namespace is required on this type: ",
    ),
]


@pytest.mark.parametrize(
    ("why", "namespace", "body", "message"), LSAR_BAD_REQUEST, ids=[r[0] for r in LSAR_BAD_REQUEST]
)
def test_lsar_namespace_bad_requests(why: str, namespace: str, body: dict[str, Any], message: str) -> None:
    err = access_review_error(body, LSAR, namespace)
    assert err is not None
    assert err.status() == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": "BadRequest",
        "code": 400,
    }


def test_subject_of_the_spec() -> None:
    # AuthorizationAttributesFrom: the user to check is built from spec.user/groups/uid/extra
    user = subject_of({"user": "u", "groups": ["g"], "uid": "1", "extra": {"k": ["v"]}})
    assert user == UserInfo("u", "1", ("g",), {"k": ("v",)})


ME = UserInfo("me")
# (helpers_test.go case, spec, expected attributes)
ATTRIBUTES: list[tuple[str, dict[str, Any], Attributes]] = [
    (
        "resource attributes, empty version matches all",
        {
            "resourceAttributes": {
                "namespace": "ns",
                "verb": "list",
                "group": "apps",
                "resource": "deployments",
                "subresource": "scale",
                "name": "d",
            }
        },
        Attributes(
            ME,
            "list",
            True,
            namespace="ns",
            api_group="apps",
            api_version="*",
            resource="deployments",
            subresource="scale",
            name="d",
        ),
    ),
    (
        "non-resource",
        {"nonResourceAttributes": {"path": "/healthz", "verb": "get"}},
        Attributes(ME, "get", False, path="/healthz"),
    ),
    (
        "field: raw selector",
        {"resourceAttributes": {"fieldSelector": {"rawSelector": "foo=bar,a!=b"}}},
        Attributes(
            ME,
            "",
            True,
            api_version="*",
            field_selector=(
                FieldSelectorRequirement("a", "!=", ("b",)),
                FieldSelectorRequirement("foo", "=", ("bar",)),
            ),
        ),
    ),
    (
        "field: raw selector error",
        {"resourceAttributes": {"fieldSelector": {"rawSelector": "&foo"}}},
        Attributes(
            ME, "", True, api_version="*", field_selector_error="invalid selector: '&foo'; can't understand '&foo'"
        ),
    ),
    (
        "field: requirements In/NotIn become = and !=",
        {
            "resourceAttributes": {
                "fieldSelector": {
                    "requirements": [
                        {"key": "one", "operator": "In", "values": ["apple"]},
                        {"key": "two", "operator": "NotIn", "values": ["banana"]},
                    ]
                }
            }
        },
        Attributes(
            ME,
            "",
            True,
            api_version="*",
            field_selector=(
                FieldSelectorRequirement("one", "=", ("apple",)),
                FieldSelectorRequirement("two", "!=", ("banana",)),
            ),
        ),
    ),
    (
        "field: requirements multiple values",
        {
            "resourceAttributes": {
                "fieldSelector": {"requirements": [{"key": "one", "operator": "In", "values": ["a", "b"]}]}
            }
        },
        Attributes(
            ME, "", True, api_version="*", field_selector_error="fieldSelectors do not yet support multiple values"
        ),
    ),
    (
        "field: requirements missing in value",
        {
            "resourceAttributes": {
                "fieldSelector": {"requirements": [{"key": "one", "operator": "NotIn", "values": []}]}
            }
        },
        Attributes(ME, "", True, api_version="*", field_selector_error="fieldSelectors not in must have one value"),
    ),
    (
        "field: requirements exists, bad operator; the valid one is kept (partial)",
        {
            "resourceAttributes": {
                "fieldSelector": {
                    "requirements": [
                        {"key": "one", "operator": "Exists"},
                        {"key": "two", "operator": "bad"},
                        {"key": "three", "operator": "In", "values": ["x"]},
                    ]
                }
            }
        },
        Attributes(
            ME,
            "",
            True,
            api_version="*",
            field_selector=(FieldSelectorRequirement("three", "=", ("x",)),),
            field_selector_error=(
                '[fieldSelectors do not yet support Exists, "bad" is not a valid field selector operator]'
            ),
        ),
    ),
    (
        "label: raw selector",
        {"resourceAttributes": {"labelSelector": {"rawSelector": "foo=bar"}}},
        Attributes(ME, "", True, api_version="*", label_selector=(LabelSelectorRequirement("foo", "=", ("bar",)),)),
    ),
    (
        "label: raw selector error",
        {"resourceAttributes": {"labelSelector": {"rawSelector": "&foo"}}},
        Attributes(
            ME,
            "",
            True,
            api_version="*",
            label_selector_error=f'unable to parse requirement: <nil>: Invalid value: "&foo": {QNAME}',
        ),
    ),
    (
        "label: requirements, Exists and DoesNotExist",
        {
            "resourceAttributes": {
                "labelSelector": {
                    "requirements": [
                        {"key": "one", "operator": "In", "values": ["apple", "other"]},
                        {"key": "two", "operator": "NotIn", "values": ["b"]},
                        {"key": "three", "operator": "Exists", "values": []},
                        {"key": "four", "operator": "DoesNotExist"},
                    ]
                }
            }
        },
        Attributes(
            ME,
            "",
            True,
            api_version="*",
            label_selector=(
                LabelSelectorRequirement("one", "in", ("apple", "other")),
                LabelSelectorRequirement("two", "notin", ("b",)),
                LabelSelectorRequirement("three", "exists"),
                LabelSelectorRequirement("four", "!"),
            ),
        ),
    ),
    (
        "label: requirements bad operator",
        {"resourceAttributes": {"labelSelector": {"requirements": [{"key": "one", "operator": "bad", "values": []}]}}},
        Attributes(ME, "", True, api_version="*", label_selector_error='"bad" is not a valid label selector operator'),
    ),
]


@pytest.mark.parametrize(("case", "spec", "expected"), ATTRIBUTES, ids=[r[0] for r in ATTRIBUTES])
def test_attributes_from(case: str, spec: dict[str, Any], expected: Attributes) -> None:
    assert attributes_from(spec, ME) == expected


# BuildEvaluationError: (authorizer error, field reqs, field err, label reqs, label err) -> evaluationError
EVALUATION: list[tuple[str, bool, str, bool, str, str]] = [
    ("", False, "", False, "", ""),
    ("boom", False, "", False, "", "boom"),
    ("", False, "x", False, "", "spec.resourceAttributes.fieldSelector ignored due to parse error"),
    ("", True, "x", False, "", "spec.resourceAttributes.fieldSelector partially ignored due to parse error"),
    (
        "boom",
        False,
        "x",
        True,
        "y",
        "boom; spec.resourceAttributes.fieldSelector ignored due to parse error; "
        "spec.resourceAttributes.labelSelector partially ignored due to parse error",
    ),
]


@pytest.mark.parametrize(("error", "freqs", "ferr", "lreqs", "lerr", "expected"), EVALUATION)
def test_evaluation_error(error: str, freqs: bool, ferr: str, lreqs: bool, lerr: str, expected: str) -> None:
    attrs = Attributes(
        ME,
        "get",
        True,
        field_selector=(FieldSelectorRequirement("a", "=", ("b",)),) if freqs else None,
        field_selector_error=ferr,
        label_selector=(LabelSelectorRequirement("a", "exists"),) if lreqs else None,
        label_selector_error=lerr,
    )
    assert evaluation_error(error, attrs) == expected


MANAGED = [{"manager": "kubectl", "operation": "Update", "apiVersion": "authorization.k8s.io/v1"}]
# (rest.go behaviour, kind, request namespace, body, decision, expected object)
RESPONSES: list[tuple[str, str, str, dict[str, Any], Decision, dict[str, Any]]] = [
    (
        "allowed: status.allowed only; spec re-encoded in Go order, empty fields dropped; managedFields kept",
        SAR,
        "",
        {
            "metadata": {"managedFields": MANAGED, "uid": "wiped"},
            "spec": {
                "uid": "",
                "groups": [],
                "user": "me",
                "resourceAttributes": {"resource": "pods", "verb": "get", "name": ""},
            },
        },
        Decision(Verdict.ALLOW, ""),
        {
            "kind": SAR,
            "apiVersion": "authorization.k8s.io/v1",
            "metadata": {"creationTimestamp": None, "managedFields": MANAGED},
            "spec": {"resourceAttributes": {"verb": "get", "resource": "pods"}, "user": "me"},
            "status": {"allowed": True},
        },
    ),
    (
        "denied with reason and the authorizer's evaluation error",
        SAR,
        "",
        {
            "spec": {
                "groups": ["g"],
                "extra": {"b": ["2"], "a": ["1"]},
                "nonResourceAttributes": {"verb": "get", "path": "/x"},
            }
        },
        Decision(Verdict.DENY, "nope", error="webhook failed"),
        {
            "kind": SAR,
            "apiVersion": "authorization.k8s.io/v1",
            "metadata": {"creationTimestamp": None},
            "spec": {
                "nonResourceAttributes": {"path": "/x", "verb": "get"},
                "groups": ["g"],
                "extra": {"a": ["1"], "b": ["2"]},
            },
            "status": {"allowed": False, "denied": True, "reason": "nope", "evaluationError": "webhook failed"},
        },
    ),
    (
        "no opinion; a selector that did not parse adds to evaluationError; requirements keep key/operator",
        SSAR,
        "",
        {
            "spec": {
                "resourceAttributes": {
                    "verb": "list",
                    "labelSelector": {"rawSelector": "!!"},
                    "fieldSelector": {"requirements": [{"key": "a", "operator": "In", "values": ["b"]}]},
                }
            }
        },
        Decision(Verdict.NO_OPINION, ""),
        {
            "kind": SSAR,
            "apiVersion": "authorization.k8s.io/v1",
            "metadata": {"creationTimestamp": None},
            "spec": {
                "resourceAttributes": {
                    "verb": "list",
                    "fieldSelector": {"requirements": [{"key": "a", "operator": "In", "values": ["b"]}]},
                    "labelSelector": {"rawSelector": "!!"},
                }
            },
            "status": {
                "allowed": False,
                "evaluationError": "spec.resourceAttributes.labelSelector ignored due to parse error",
            },
        },
    ),
    (
        "LSAR keeps its namespace (the request's)",
        LSAR,
        "ns",
        {"spec": {"user": "me", "resourceAttributes": {"namespace": "ns", "verb": "get"}}},
        Decision(Verdict.ALLOW, "RBAC: allowed by RoleBinding"),
        {
            "kind": LSAR,
            "apiVersion": "authorization.k8s.io/v1",
            "metadata": {"namespace": "ns", "creationTimestamp": None},
            "spec": {"resourceAttributes": {"namespace": "ns", "verb": "get"}, "user": "me"},
            "status": {"allowed": True, "reason": "RBAC: allowed by RoleBinding"},
        },
    ),
]


@pytest.mark.parametrize(
    ("why", "kind", "namespace", "body", "decision", "expected"), RESPONSES, ids=[r[0] for r in RESPONSES]
)
def test_access_review_response(
    why: str, kind: str, namespace: str, body: dict[str, Any], decision: Decision, expected: dict[str, Any]
) -> None:
    out = access_review_response(body, decision, kind=kind, namespace=namespace)
    assert out == expected
    assert list(out["spec"]) == list(expected["spec"])  # key order is Go's declaration order
    assert list(out["metadata"]) == list(expected["metadata"])


def test_rules_review_requires_a_namespace() -> None:
    # selfsubjectrulesreview/rest.go: NewBadRequest("no namespace on request")
    err = rules_review_error({"spec": {}})
    assert err is not None and (err.code, err.reason, err.message) == (400, "BadRequest", "no namespace on request")
    assert rules_review_error({"spec": {"namespace": "default"}}) is None


RULES: list[tuple[str, Rules, dict[str, Any]]] = [
    (
        "no rules: empty lists (make()), incomplete false still written",
        Rules(),
        {"resourceRules": [], "nonResourceRules": [], "incomplete": False},
    ),
    (
        "omitempty on everything but verbs; evaluationError when the resolver failed",
        Rules(
            resource_rules=(
                ResourceRule(("get", "list"), ("",), ("pods",)),
                ResourceRule(("*",), ("*",), ("*",), ("a",)),
            ),
            non_resource_rules=(NonResourceRule(("get",), ("/healthz",)),),
            incomplete=True,
            evaluation_error="myerror",
        ),
        {
            "resourceRules": [
                {"verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods"]},
                {"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"], "resourceNames": ["a"]},
            ],
            "nonResourceRules": [{"verbs": ["get"], "nonResourceURLs": ["/healthz"]}],
            "incomplete": True,
            "evaluationError": "myerror",
        },
    ),
]


@pytest.mark.parametrize(("why", "rules", "status"), RULES, ids=[r[0] for r in RULES])
def test_rules_review_response(why: str, rules: Rules, status: dict[str, Any]) -> None:
    # a fresh object: nothing of the request (not even spec.namespace) is echoed
    body = {"kind": "SelfSubjectRulesReview", "metadata": {"name": "x"}, "spec": {"namespace": "default"}}
    assert rules_review_response(body, rules) == {
        "kind": "SelfSubjectRulesReview",
        "apiVersion": "authorization.k8s.io/v1",
        "metadata": {"creationTimestamp": None},
        "spec": {},
        "status": status,
    }
