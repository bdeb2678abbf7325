"""Each authentication method seen through kubectl (`auth whoami -o json`), and the rejections audited as
kube-apiserver audits them: a 401 with the fixed `Unauthorized` body, the trail naming who refused and why."""

from __future__ import annotations

import base64
import datetime as dt
import http.client
import json
import ssl
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from mockapi.api.types import Obj
from mockapi.pki.certs import load_ca
from mockapi.testing.client import ApiClient
from mockapi.testing.kubectl import Kubectl
from mockapi.testing.server import ServerThread

pytestmark = pytest.mark.kubectl

POLICIES = Path(__file__).resolve().parents[3] / "policies"  # the README's walkthrough files
ALICE_TOKEN = "31ada4fd-adec-460c-809a-9e56ceb75269"
BOB_TOKEN = "8d3f5c7e-92b1-4c0e-9f0a-5f6e2d7b1c44"
UNAUTHORIZED = {
    "kind": "Status",
    "apiVersion": "v1",
    "metadata": {},
    "status": "Failure",
    "message": "Unauthorized",
    "reason": "Unauthorized",
    "code": 401,
}


@pytest.fixture
def mockapi(request: pytest.FixtureRequest, mockapi_config_defaults: dict[str, Any]) -> Iterator[ServerThread]:
    """A server of this module's own: a token file, bootstrap tokens, and what a mockapi_config marker adds."""
    tokens = POLICIES / "tokens.csv"
    marker = request.node.get_closest_marker("mockapi_config")
    config = {
        **mockapi_config_defaults,
        "token_auth_file": tokens,
        "enable_bootstrap_token_auth": True,
        **(marker.kwargs if marker is not None else {}),
    }
    with ServerThread(**config) as server:
        yield server


def whoami(run: Kubectl) -> Obj:
    review: Obj = json.loads(run.ok("auth", "whoami", "-o", "json"))
    assert review["kind"] == "SelfSubjectReview"
    user_info: Obj = review["status"]["userInfo"]
    return user_info


def stages(event: Obj) -> list[Obj]:
    found: list[Obj] = json.loads(event["annotations"]["mockapi.dev/stages"])
    return found


@pytest.mark.kubectl_versions(since="1.28")  # 1.27 asks for SelfSubjectReview versions 1.33 no longer serves
def test_a_static_token_is_its_files_user(kubectl_version: str, kubectl: Callable[..., Kubectl]) -> None:
    assert whoami(kubectl(kubectl_version, user="alice", token=ALICE_TOKEN)) == {
        "username": "alice",
        "uid": "1001",
        "groups": ["dev", "ops", "system:authenticated"],
    }
    assert whoami(kubectl(kubectl_version, user="bob", token=BOB_TOKEN))["groups"] == ["system:authenticated"]


def test_an_unknown_token_is_401_even_with_anonymous_on(
    kubectl_version: str, kubectl: Callable[..., Kubectl], mockapi: ServerThread
) -> None:
    result = kubectl(kubectl_version, user="mallory", token="guessed")("get", "namespaces")
    assert result.returncode == 1
    # what kubectl says of a 401 to its discovery request, from a real kube-apiserver too
    assert (
        "error: You must be logged in to the server (the server has asked for the client to provide credentials)"
        in (result.stderr)
    )
    event = mockapi.audit_events()[-1]
    # WithFailedAuthenticationAudit's event: at ResponseStarted, naming the credentials attempted
    assert (event["stage"], event["user"]) == ("ResponseStarted", {})
    assert event["responseStatus"] == {
        "metadata": {},
        "message": "Authentication failed, attempted: bearer",
        "code": 401,
    }
    assert event["annotations"]["mockapi.dev/rejected-stage"] == "authentication"
    assert [(s["outcome"], s["by"], s["reason"]) for s in stages(event)] == [
        ("skip", "x509", "not mine"),
        ("skip", "tokenfile", "not mine"),
        ("skip", "serviceaccount-legacy", "not mine"),
        ("skip", "serviceaccount", "not mine"),
        ("skip", "bootstrap", "not mine"),
        ("skip", "bearer-token", "rejected: invalid bearer token"),
        ("deny", "authentication", "invalid bearer token"),
    ]


def _client_certificate(
    server: ServerThread, tmp_path: Path, before: dt.datetime, after: dt.datetime
) -> ssl.SSLContext:
    assert server.server is not None
    pki = server.server.components.pki
    ca_cert, ca_key = load_ca(pki.ca_cert, pki.ca_key)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "late")]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(before)
        .not_valid_after(after)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "late.crt", tmp_path / "late.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.create_default_context(cafile=str(pki.ca_cert))
    context.load_cert_chain(cert_file, key_file)
    return context


@pytest.mark.parametrize(
    ("before", "after", "detail"),
    [
        (dt.timedelta(days=-30), dt.timedelta(days=-1), "is after"),
        (dt.timedelta(days=1), dt.timedelta(days=30), "is before"),
    ],
)
def test_an_expired_or_not_yet_valid_certificate_is_401_and_audited(
    mockapi: ServerThread, tmp_path: Path, before: dt.timedelta, after: dt.timedelta, detail: str
) -> None:
    now = dt.datetime.now(dt.UTC)
    context = _client_certificate(mockapi, tmp_path, now + before, now + after)
    host, port = mockapi.url.removeprefix("https://").rsplit(":", 1)
    conn = http.client.HTTPSConnection(host, int(port), context=context, timeout=30)
    try:
        conn.request("GET", "/api/v1/namespaces", headers={"Accept": "application/json"})
        reply = conn.getresponse()
        status, body = reply.status, json.loads(reply.read())
    finally:
        conn.close()
    assert (status, body) == (401, UNAUTHORIZED)
    event = mockapi.audit_events()[-1]
    assert event["requestURI"] == "/api/v1/namespaces" and event["responseStatus"]["code"] == 401
    assert event["responseStatus"]["message"] == "Authentication failed, attempted: x509"
    x509_stage = stages(event)[0]
    assert (x509_stage["outcome"], x509_stage["by"]) == ("skip", "x509")
    assert "x509: certificate has expired or is not yet valid: current time" in x509_stage["reason"]
    assert detail in x509_stage["reason"]
    assert stages(event)[-1]["outcome"] == "deny"


BOOTSTRAP_SECRET = (POLICIES / "bootstrap-token.yaml").read_text()


@pytest.mark.kubectl_versions(since="1.28")
@pytest.mark.mockapi_config(token_success_cache_ttl=0.0)  # every request checks the token afresh
def test_a_bootstrap_token_authenticates_until_its_secret_goes(
    kubectl_version: str, kubectl: Callable[..., Kubectl], mockapi: ServerThread
) -> None:
    admin = kubectl(kubectl_version)
    admin.ok("apply", "-f", "-", input=BOOTSTRAP_SECRET)
    node = kubectl(kubectl_version, user="joiner", token="07401b.f395accd246ae52d")
    assert whoami(node) == {
        "username": "system:bootstrap:07401b",
        "groups": ["system:bootstrappers", "system:bootstrappers:kubeadm:default-node-token", "system:authenticated"],
    }
    wrong = kubectl(kubectl_version, user="guesser", token="07401b.0000000000000000")
    assert wrong("auth", "whoami").returncode == 1
    event = mockapi.audit_events()[-1]
    assert event["responseStatus"]["code"] == 401
    bootstrap_stage = next(s for s in stages(event) if s["by"] == "bootstrap")
    assert bootstrap_stage["reason"] == (
        "not mine: Bootstrap secret kube-system/bootstrap-token-07401b matching bearer token "
        "has invalid value for key token-secret."
    )
    admin.ok("delete", "secret", "-n", "kube-system", "bootstrap-token-07401b")
    assert node("auth", "whoami").returncode == 1


@pytest.mark.kubectl_versions(since="1.28")
def test_impersonation_runs_the_request_as_the_impersonated_user(
    kubectl_version: str, kubectl: Callable[..., Kubectl], mockapi: ServerThread
) -> None:
    admin = kubectl(kubectl_version)
    review = json.loads(admin.ok("auth", "whoami", "-o", "json", "--as", "alice", "--as-group", "dev"))
    assert review["status"]["userInfo"] == {"username": "alice", "groups": ["dev", "system:authenticated"]}
    event = next(e for e in reversed(mockapi.audit_events()) if "selfsubjectreviews" in e["requestURI"])
    assert event["user"]["username"] == "admin"
    assert event["impersonatedUser"] == {"username": "alice", "groups": ["dev", "system:authenticated"]}


@pytest.mark.mockapi_config(authorization_modes=("AlwaysDeny",))
def test_impersonation_needs_the_impersonate_verb_and_the_impersonated_user_gets_its_own_403(
    mockapi: ServerThread,
) -> None:
    # through the API: with AlwaysDeny kubectl's own discovery is refused first ("Forbidden: unknown")
    jane = ApiClient(mockapi, user="jane", groups=())
    reply = jane.get("/api/v1/namespaces/default/pods", headers={"Impersonate-User": "bob"})
    assert (reply.status, reply.json()["message"]) == (
        403,
        'users "bob" is forbidden: User "jane" cannot impersonate resource "users" in API group "" at the cluster '
        "scope: Everything is forbidden.",
    )
    assert reply.json()["details"] == {"name": "bob", "kind": "users"}
    admin = ApiClient(mockapi)  # system:masters may impersonate; bob then gets bob's answer
    reply = admin.get("/api/v1/namespaces/default/pods", headers={"Impersonate-User": "bob"})
    assert (reply.status, reply.json()["message"]) == (
        403,
        'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default": '
        "Everything is forbidden.",
    )
    reply = admin.get(
        "/api/v1/namespaces/default/pods",
        headers={"Impersonate-User": "system:serviceaccount:default:builder", "Impersonate-Uid": "u-1"},
    )
    assert 'User "system:serviceaccount:default:builder" cannot list' in reply.json()["message"]
    reply = jane.get("/api", headers={"Impersonate-User": "system:serviceaccount:default:builder"})
    assert reply.json()["message"] == (
        'serviceaccounts "builder" is forbidden: User "jane" cannot impersonate resource "serviceaccounts" in API '
        'group "" in the namespace "default": Everything is forbidden.'
    )


def test_groups_without_a_user_are_upstreams_plain_500(mockapi: ServerThread) -> None:
    reply = ApiClient(mockapi).get("/api/v1/namespaces", headers={"Impersonate-Group": "g"})
    assert reply.status == 500
    assert reply.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert reply.body == (
        b'Internal Server Error: "/api/v1/namespaces": requested [{Group  g    }] without impersonating a user\n'
    )


def _basic_kubeconfig(server: ServerThread, path: Path, username: str, password: str) -> Path:
    config = yaml.safe_load(server.kubeconfig("carol", token="unused").read_text())
    config["users"][0]["user"] = {"username": username, "password": password}
    path.write_text(yaml.safe_dump(config))
    return path


@pytest.mark.mockapi_config(basic_auth_file=POLICIES / "passwords.csv")
def test_the_legacy_password_file(kubectl_version: str, mockapi: ServerThread, tmp_path: Path) -> None:
    good = Kubectl(_basic_kubeconfig(mockapi, tmp_path / "good", "carol", "Pa55w0rd!"), kubectl_version, tmp_path)
    assert json.loads(good.ok("get", "namespace", "default", "-o", "json"))["metadata"]["name"] == "default"
    event = mockapi.audit_events()[-1]
    assert event["user"] == {"username": "carol", "uid": "2001", "groups": ["dev", "system:authenticated"]}
    bad = Kubectl(_basic_kubeconfig(mockapi, tmp_path / "bad", "carol", "guess"), kubectl_version, tmp_path)
    assert bad("get", "namespaces").returncode == 1
    rejected = mockapi.audit_events()[-1]
    assert stages(rejected)[-1]["reason"] == "invalid username/password combination"
    reply = ApiClient(mockapi, user=None).get("/api", headers={"Authorization": "Basic Y2Fyb2w6Z3Vlc3M="})
    assert (reply.status, reply.headers["WWW-Authenticate"]) == (401, 'Basic realm="kubernetes-master"')


POD = """
apiVersion: v1
kind: Pod
metadata: {name: web-0, namespace: default}
spec:
  serviceAccountName: default
  containers: [{name: web, image: nginx}]
"""


@pytest.mark.kubectl_versions(since="1.28")
@pytest.mark.mockapi_config(token_success_cache_ttl=0.0)
def test_kubectl_create_token_mints_a_token_that_authenticates_until_its_pod_goes(
    kubectl_version: str, kubectl: Callable[..., Kubectl], mockapi: ServerThread
) -> None:
    admin = kubectl(kubectl_version)
    token = admin.ok("create", "token", "default").strip()
    sa_uid = json.loads(admin.ok("get", "serviceaccount", "default", "-o", "json"))["metadata"]["uid"]
    user = whoami(kubectl(kubectl_version, user="sa", token=token))
    assert (user["username"], user["uid"]) == ("system:serviceaccount:default:default", sa_uid)
    assert user["groups"] == ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"]
    assert list(user["extra"]) == ["authentication.kubernetes.io/credential-id"]

    admin.ok("apply", "-f", "-", input=POD)
    bound = admin.ok("create", "token", "default", "--bound-object-kind", "Pod", "--bound-object-name", "web-0")
    as_pod = kubectl(kubectl_version, user="pod", token=bound.strip())
    assert whoami(as_pod)["extra"]["authentication.kubernetes.io/pod-name"] == ["web-0"]
    admin.ok("delete", "pod", "web-0", "--grace-period", "0", "--force")
    result = as_pod("auth", "whoami")
    assert result.returncode == 1
    stage = next(s for s in stages(mockapi.audit_events()[-1]) if s["by"] == "serviceaccount")
    assert stage["reason"] == "rejected: service account token has been invalidated"


def test_kubectl_create_token_refusals(kubectl_version: str, kubectl: Callable[..., Kubectl]) -> None:
    admin = kubectl(kubectl_version)
    short = admin("create", "token", "default", "--duration", "5m")
    assert short.returncode == 1
    assert (
        'error: failed to create token: TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: '
        "Invalid value: 300: may not specify a duration less than 10 minutes"
    ) in short.stderr
    missing = admin("create", "token", "nobody")
    assert 'error: failed to create token: serviceaccounts "nobody" not found' in missing.stderr
    wrong_pod = admin("create", "token", "default", "--bound-object-kind", "Pod", "--bound-object-name", "nope")
    assert 'error: failed to create token: pods "nope" not found' in wrong_pod.stderr


def test_a_token_for_another_audience_is_refused_here_but_reviewed_for_it(mockapi: ServerThread) -> None:
    admin = ApiClient(mockapi)
    request = {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": {"audiences": ["vault"]}}
    reply = admin.post("/api/v1/namespaces/default/serviceaccounts/default/token", request)
    assert reply.status == 201
    token = reply.json()["status"]["token"]
    refused = ApiClient(mockapi, user=None).get("/api", headers={"Authorization": f"Bearer {token}"})
    assert refused.status == 401
    review = {
        "apiVersion": "authentication.k8s.io/v1",
        "kind": "TokenReview",
        "spec": {"token": token, "audiences": ["vault"]},
    }
    status = admin.post("/apis/authentication.k8s.io/v1/tokenreviews", review).json()["status"]
    assert status["authenticated"] is True and status["audiences"] == ["vault"]
    assert status["user"]["username"] == "system:serviceaccount:default:default"


def test_service_account_issuer_discovery(mockapi: ServerThread) -> None:
    client = ApiClient(mockapi, user=None)
    config = client.get("/.well-known/openid-configuration")
    assert config.status == 200 and config.headers["Cache-Control"] == "public, max-age=3600"
    assert config.json() == {
        "issuer": "https://kubernetes.default.svc.cluster.local",
        "jwks_uri": f"{mockapi.url}/openid/v1/jwks",
        "response_types_supported": ["id_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
    }
    jwks = client.get("/openid/v1/jwks", headers={"Accept": "application/jwk-set+json"})
    assert jwks.headers["Content-Type"] == "application/jwk-set+json"
    [key] = json.loads(jwks.body)["keys"]
    assert (key["use"], key["kty"], key["alg"], key["e"]) == ("sig", "RSA", "RS256", "AQAB")
    refused = client.get("/openid/v1/jwks", headers={"Accept": "application/json"})
    assert (refused.status, refused.body) == (
        406,
        b"406: Not Acceptable\n\nAvailable representations: application/jwk-set+json",
    )


def test_accepted_tokens_are_cached_as_kube_apiserver_caches_them(mockapi: ServerThread) -> None:
    # --token-success-cache-ttl is 10 s by default: a token keeps working that long after its pod is gone
    admin = ApiClient(mockapi)
    pod = yaml.safe_load(POD)
    assert admin.post("/api/v1/namespaces/default/pods", pod).status == 201
    bound = {"kind": "Pod", "apiVersion": "v1", "name": "web-0"}
    request = {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": {"boundObjectRef": bound}}
    token = admin.post("/api/v1/namespaces/default/serviceaccounts/default/token", request).json()["status"]["token"]
    as_pod = ApiClient(mockapi, user=None)
    headers = {"Authorization": f"Bearer {token}"}
    assert as_pod.get("/api", headers=headers).status == 200
    assert admin.request("DELETE", "/api/v1/namespaces/default/pods/web-0?gracePeriodSeconds=0").status == 200
    assert as_pod.get("/api", headers=headers).status == 200
    first = stages(mockapi.audit_events()[-1])[1]
    assert (first["by"], first["reason"]) == ("token-cache", "accepted by serviceaccount (cached)")


LEGACY_SECRET = """
apiVersion: v1
kind: Secret
metadata:
  name: builder-token
  namespace: default
  annotations: {kubernetes.io/service-account.name: builder}
type: kubernetes.io/service-account-token
"""


def _wait_for(check: Callable[[], Any], timeout: float = 10) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


@pytest.mark.kubectl_versions(since="1.28")
@pytest.mark.mockapi_config(token_success_cache_ttl=0.0)
def test_a_legacy_token_secret_is_filled_in_and_authenticates_while_it_lasts(
    kubectl_version: str, kubectl: Callable[..., Kubectl], mockapi: ServerThread
) -> None:
    admin = kubectl(kubectl_version)
    admin.ok("create", "serviceaccount", "builder")
    admin.ok("apply", "-f", "-", input=LEGACY_SECRET)

    def filled() -> Obj | None:
        secret: Obj = json.loads(admin.ok("get", "secret", "builder-token", "-o", "json"))
        return secret if secret.get("data", {}).get("token") else None

    secret = _wait_for(filled)
    assert secret is not None, "the tokens controller filled nothing in"
    data = {k: base64.b64decode(v).decode() for k, v in secret["data"].items()}
    assert data["namespace"] == "default" and data["ca.crt"].startswith("-----BEGIN CERTIFICATE-----")
    sa_uid = json.loads(admin.ok("get", "serviceaccount", "builder", "-o", "json"))["metadata"]["uid"]
    assert secret["metadata"]["annotations"]["kubernetes.io/service-account.uid"] == sa_uid
    claims = json.loads(base64.urlsafe_b64decode(data["token"].split(".")[1] + "=="))
    assert claims == {
        "iss": "kubernetes/serviceaccount",
        "kubernetes.io/serviceaccount/namespace": "default",
        "kubernetes.io/serviceaccount/secret.name": "builder-token",
        "kubernetes.io/serviceaccount/service-account.name": "builder",
        "kubernetes.io/serviceaccount/service-account.uid": sa_uid,
        "sub": "system:serviceaccount:default:builder",
    }
    builder = kubectl(kubectl_version, user="builder", token=data["token"])
    assert whoami(builder) == {
        "username": "system:serviceaccount:default:builder",
        "uid": sa_uid,
        "groups": ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"],
    }
    event = mockapi.audit_events()[-1]
    assert event["annotations"]["authentication.k8s.io/legacy-token"] == "system:serviceaccount:default:builder"

    admin.ok("delete", "serviceaccount", "builder")  # the controller deletes its token Secrets
    assert _wait_for(lambda: admin("get", "secret", "builder-token").returncode == 1)
    assert builder("auth", "whoami").returncode == 1
    stage = next(s for s in stages(mockapi.audit_events()[-1]) if s["by"] == "serviceaccount-legacy")
    assert stage["reason"] == "rejected: Token has been invalidated"
