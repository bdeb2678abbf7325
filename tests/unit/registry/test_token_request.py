"""TokenREST.Create's rules (token.go, ValidateTokenRequest), table-driven."""

from __future__ import annotations

import pytest

from mockapi.api.errors import ApiError
from mockapi.registry.reviews import tokenrequest as tr

API = ("https://kubernetes.default.svc.cluster.local",)


def request(**spec: object) -> dict[str, object]:
    return {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "metadata": {}, "spec": dict(spec)}


def test_a_body_naming_another_service_account_is_422() -> None:
    err = tr.name_error({"metadata": {"name": "other"}}, "default")
    assert err is not None and err.code == 422
    assert err.message == (
        'TokenRequest.authentication.k8s.io "default" is invalid: metadata.name: Invalid value: "other": '
        "must match the service account name if specified"
    )
    assert tr.name_error({"metadata": {}}, "default") is None


@pytest.mark.parametrize(
    ("seconds", "detail"),
    [
        (599, "Invalid value: 599: may not specify a duration less than 10 minutes"),
        (0, "Invalid value: 0: may not specify a duration less than 10 minutes"),
        ((1 << 32) + 1, "Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds"),
    ],
)
def test_expiration_bounds(seconds: int, detail: str) -> None:
    err = tr.validation_error(request(expirationSeconds=seconds))
    assert err is not None
    assert err.message == f'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: {detail}'


def test_defaults_fill_audiences_names_and_an_hour() -> None:
    body = request()
    tr.apply_v1_defaults(body)
    sa = {"metadata": {"name": "builder", "namespace": "ci"}}
    out = tr.defaulted(body, sa, API, "2026-06-01T00:00:00Z")
    assert out["metadata"] == {"name": "builder", "namespace": "ci", "creationTimestamp": "2026-06-01T00:00:00Z"}
    assert out["spec"] == {"expirationSeconds": 3600, "audiences": list(API)}
    explicit_zero = request(expirationSeconds=0)
    tr.apply_v1_defaults(explicit_zero)
    assert explicit_zero["spec"] == {"expirationSeconds": 0}


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        (
            {"kind": "ConfigMap", "apiVersion": "v1", "name": "c"},
            "cannot bind token to object of type /v1, Kind=ConfigMap",
        ),
        (
            {"kind": "Pod", "apiVersion": "apps/v1", "name": "p"},
            "cannot bind token to object of type apps/v1, Kind=Pod",
        ),
    ],
)
def test_only_pods_secrets_and_nodes_of_the_core_group_bind(ref: dict[str, str], message: str) -> None:
    with pytest.raises(ApiError) as caught:
        tr.bound_object(request(boundObjectRef=ref))
    assert (caught.value.code, caught.value.message) == (400, message)


def test_the_version_of_a_bound_object_is_not_looked_at() -> None:
    found = tr.bound_object(request(boundObjectRef={"kind": "Pod", "apiVersion": "v2", "name": "p", "uid": "u"}))
    assert found == tr.BoundObject("Pod", "p", "u", "v2")


def test_a_uid_that_does_not_match_is_409() -> None:
    err = tr.uid_conflict(tr.BoundObject("Pod", "p", "old", "v1"), "new")
    assert err is not None and err.code == 409
    assert err.message == (
        'Operation cannot be fulfilled on Pod "p": the UID in the bound object reference (old) does not match the UID '
        "in record. The object might have been deleted and then recreated"
    )


@pytest.mark.parametrize(
    ("requested", "maximum", "pod", "audiences", "expected"),
    [
        (3600, 0, False, API, tr.Lifetime(3600, 3600, None)),
        (
            7200,
            3600,
            False,
            API,
            tr.Lifetime(3600, 3600, None, "requested expiration of 7200 seconds shortened to 3600 seconds"),
        ),
        (3607, 0, True, API, tr.Lifetime(3607, 31536000, 3607)),  # kubelet's pod tokens: a year, warning after 3607 s
        (3607, 0, False, API, tr.Lifetime(3607, 3607, None)),
        (3607, 0, True, ("vault",), tr.Lifetime(3607, 3607, None)),
    ],
)
def test_lifetime(requested: int, maximum: int, pod: bool, audiences: tuple[str, ...], expected: tr.Lifetime) -> None:
    assert (
        tr.lifetime(
            requested, max_expiration=maximum, extend=True, pod_bound=pod, audiences=list(audiences), api_audiences=API
        )
        == expected
    )
