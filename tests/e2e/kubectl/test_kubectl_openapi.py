"""OpenAPI v2/v3 with real kubectl: explain, and create/apply with default (strict) validation, every version.

Plus the HTTP behaviour of `/openapi/v2`, `/openapi/v3` and `/openapi/v3/<service>` (content types,
ETag, 304, hash redirects) checked with a plain client.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Callable

import pytest
from kubectl_e2e_support import audit_ids

from mockapi.testing.client import ApiClient
from mockapi.testing.kubectl import Kubectl
from mockapi.testing.server import ServerThread

pytestmark = pytest.mark.kubectl

PROTOBUF_ACCEPT = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"
PROTOBUF_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"


def configmap(name: str, value: str) -> str:
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  key: {value}\n"


def new_requests(server: ServerThread, seen: set[str]) -> list[tuple[str, int]]:
    return [
        (str(e["requestURI"]), int(e["responseStatus"]["code"]))
        for e in server.audit_events()
        if e["auditID"] not in seen
    ]


@pytest.mark.kubectl_matrix  # 1.27/1.28 read OpenAPI v2, 1.29+ v3
def test_explain_shows_the_real_schema(kubectl_version: str, kubectl: Callable[..., Kubectl]) -> None:
    k = kubectl(kubectl_version)
    out = k.ok("explain", "pod.spec.containers.securityContext")
    assert re.search(r"^KIND:\s+Pod$", out, re.M), out
    assert "FIELD: securityContext <SecurityContext>" in out
    assert "SecurityContext defines the security options the container should be run" in out
    assert re.search(r"^  runAsNonRoot\t<boolean>$", out, re.M), out
    assert re.search(r"^  capabilities\t<Capabilities>$", out, re.M), out

    out = k.ok("explain", "deployment.spec.replicas")
    assert re.search(r"^GROUP:\s+apps$", out, re.M), out
    assert "FIELD: replicas <integer>" in out
    assert "Number of desired pods." in out


@pytest.mark.kubectl_matrix
def test_create_and_apply_with_default_validation(
    kubectl_version: str, kubectl: Callable[..., Kubectl], mockapi: ServerThread
) -> None:
    k = kubectl(kubectl_version)
    minor = int(kubectl_version.split(".")[1])
    seen = audit_ids(mockapi)
    assert k.ok("create", "-f", "-", input=configmap("created", "one")) == "configmap/created created\n"
    requests = new_requests(mockapi, seen)
    # 1.27/1.28 validate with v2, 1.29+ look for fieldValidation in the v3 document first
    expected = "/openapi/v2?timeout=32s" if minor < 29 else "/openapi/v3?timeout=32s"
    assert (expected, 200) in requests, requests
    assert not any(uri.startswith("/swagger-2.0.0.pb-v1") for uri, _ in requests), requests
    assert any(
        uri.startswith("/api/v1/namespaces/default/configmaps?") and "fieldValidation=Strict" in uri
        for uri, _ in requests
    ), requests
    if minor >= 29:
        assert any(uri.startswith("/openapi/v3/api/v1?hash=") and code == 200 for uri, code in requests), requests

    assert k.ok("apply", "-f", "-", input=configmap("applied", "one")) == "configmap/applied created\n"
    second = k("apply", "-f", "-", input=configmap("applied", "two"))
    assert second.returncode == 0, second.stderr
    assert second.stdout == "configmap/applied configured\n"
    assert k.ok("get", "configmap", "applied", "-o", "jsonpath={.data.key}") == "two"
    assert k.ok("apply", "-f", "-", input=configmap("applied", "two")) == "configmap/applied unchanged\n"


def test_v2_protobuf_and_json(mockapi: ServerThread) -> None:
    client = ApiClient(mockapi)
    proto = client.get("/openapi/v2", {"Accept": PROTOBUF_ACCEPT})
    assert proto.status == 200
    assert proto.headers["Content-Type"] == PROTOBUF_TYPE
    assert proto.body.startswith(b"\n\x032.0\x12")  # swagger "2.0", then info
    assert proto.headers["Cache-Control"] == "no-cache, private"
    assert proto.headers.get_all("Vary") == ["Accept-Encoding", "Accept"]

    as_json = client.get("/openapi/v2")  # the client's Accept is application/json
    assert as_json.status == 200
    assert as_json.headers["Content-Type"] == "application/json"
    etag = as_json.headers["ETag"]
    assert etag == proto.headers["ETag"] == '"' + hashlib.sha512(as_json.body).hexdigest().upper() + '"'
    assert as_json.json()["swagger"] == "2.0"

    zipped = client.get("/openapi/v2", {"Accept": PROTOBUF_ACCEPT, "Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.body) == proto.body

    cached = client.get("/openapi/v2", {"Accept": PROTOBUF_ACCEPT, "If-None-Match": etag})
    assert (cached.status, cached.body, cached.headers["ETag"]) == (304, b"", etag)
    assert "Content-Type" not in cached.headers

    refused = client.get("/openapi/v2", {"Accept": "text/html"})
    assert (refused.status, refused.body) == (406, b"")
    assert client.get("/swagger-2.0.0.pb-v1").status == 404


def test_v3_root_and_group_versions(mockapi: ServerThread) -> None:
    client = ApiClient(mockapi)
    root = client.get("/openapi/v3", {"Accept": "application/json, */*"})
    assert root.status == 200
    assert root.headers["Content-Type"] == "text/plain; charset=utf-8"  # sniffed by http.ServeContent
    assert "ETag" not in root.headers
    paths = root.json()["paths"]
    url = paths["apis/apps/v1"]["serverRelativeURL"]
    assert re.fullmatch(r"/openapi/v3/apis/apps/v1\?hash=[0-9A-F]{128}", url), url
    assert {"api/v1", "apis/apps", "apis/batch/v1", "version"} <= set(paths)

    doc = client.get(url + "&timeout=32s")
    assert doc.status == 200
    assert doc.headers["Content-Type"] == "application/json"
    assert doc.headers["Cache-Control"] == "public, immutable"
    assert doc.headers["Expires"].endswith(" UTC")
    digest = hashlib.sha512(doc.body).hexdigest().upper()
    assert url.endswith(digest)
    assert doc.headers["ETag"] == f'"{digest}"'
    assert "/apis/apps/v1/namespaces/{namespace}/deployments/{name}" in doc.json()["paths"]

    plain = client.get("/openapi/v3/apis/apps/v1")
    assert plain.headers["Cache-Control"] == "no-cache, private"
    assert "Expires" not in plain.headers
    assert client.get("/openapi/v3/apis/apps/v1", {"If-None-Match": doc.headers["ETag"]}).status == 304

    moved = client.get("/openapi/v3/apis/apps/v1?hash=OLD")
    assert (moved.status, moved.headers["Location"], moved.body) == (301, url, b"")

    missing = client.get("/openapi/v3/apis/example.com/v1")
    assert (missing.status, missing.body) == (404, b"")
    protobuf_only = client.get(
        "/openapi/v3/apis/apps/v1", {"Accept": "application/com.github.proto-openapi.spec.v3.v1.0+protobuf"}
    )
    assert protobuf_only.status == 406  # the v3 protobuf form is not served
