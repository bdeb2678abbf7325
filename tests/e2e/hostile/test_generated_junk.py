"""Generated junk against a real `mockapi serve` process held under a memory limit.

Hypothesis throws malformed and hostile requests at create, update, patch (every patch type), apply,
list and watch for a few kinds, and for each asserts what the server promises: an error is always a
`Status` whose code is the HTTP status; a 5xx is one kube-apiserver itself answers for that input
(`DOCUMENTED_5XX`); a refused request leaves the store unchanged; what was accepted still encodes as its
kind (a protobuf list of every kind succeeds); `/healthz` keeps answering; and the server's log holds no
traceback. Runs are derandomized, so every run sends the same requests.
"""

from __future__ import annotations

import http.client
import json
import resource
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from mockapi.pki import Pki, client_ssl_context

MEMORY_LIMIT = 3 * 1024**3  # address space of the server process: junk can never take the machine down

DOCUMENTED_5XX = (
    # kube-apiserver answers 500 when server-side apply meets a field its schema does not declare
    (500, "failed to create typed patch object"),
    # and for strategic merge patch directives it cannot apply (mergepatch errors are not Status errors)
    (500, ""),
    # a read at a revision the store has not reached: 504 after waiting (cacher waitUntilFreshAndBlock)
    (504, "Timeout: Too large resource version"),
    # a DELETE body that does not decode into DeleteOptions (handlers/delete.go hands it to scope.err as is)
    (500, "json: cannot unmarshal"),
)

KINDS = {
    "configmaps": (
        "/api/v1/namespaces/default/configmaps",
        {"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": "b"}},
    ),
    "secrets": ("/api/v1/namespaces/default/secrets", {"apiVersion": "v1", "kind": "Secret", "stringData": {}}),
    "pods": (
        "/api/v1/namespaces/default/pods",
        {"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "c", "image": "nginx"}]}},
    ),
    "deployments": (
        "/apis/apps/v1/namespaces/default/deployments",
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "spec": {
                "selector": {"matchLabels": {"app": "a"}},
                "template": {
                    "metadata": {"labels": {"app": "a"}},
                    "spec": {"containers": [{"name": "c", "image": "nginx"}]},
                },
            },
        },
    ),
    "services": (
        "/api/v1/namespaces/default/services",
        {"apiVersion": "v1", "kind": "Service", "spec": {"ports": [{"port": 80}]}},
    ),
}
PROTOBUF = "application/vnd.kubernetes.protobuf"
PATCH_TYPES = [
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/strategic-merge-patch+json",
    "application/apply-patch+yaml",
]
BODY_TYPES = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf", "", "text/plain", "a/b;;"]
QUERY_KEYS = [
    "limit", "continue", "resourceVersion", "resourceVersionMatch", "labelSelector", "fieldSelector",
    "timeoutSeconds", "timeout", "fieldValidation", "fieldManager", "dryRun", "force",
    "allowWatchBookmarks", "sendInitialEvents", "propagationPolicy", "gracePeriodSeconds",
]  # fmt: skip


@dataclass
class Server:
    url_host: str
    port: int
    pki: Pki
    log: Path
    _conn: http.client.HTTPSConnection | None = None

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        """One request on a kept-alive connection, sent again on a fresh one when the kept one turns out
        closed before any answer (the server may close after answering without reading a body, as HTTP
        lets it); a 200 watch is not read (its stream stays open)."""
        reused = self._conn is not None
        try:
            return self._send(method, path, body, headers)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            if not reused:
                raise
            return self._send(method, path, body, headers)

    def _send(self, method: str, path: str, body: bytes | None, headers: dict[str, str] | None) -> tuple[int, bytes]:
        if self._conn is None:
            context = client_ssl_context(self.pki, "admin", ["system:masters"])
            self._conn = http.client.HTTPSConnection(self.url_host, self.port, context=context, timeout=30)
        conn = self._conn
        try:
            conn.request(method, path, body=body, headers={"Accept": "application/json", **(headers or {})})
            resp = conn.getresponse()
            if resp.status == 200 and "watch=" in path:
                conn.close()
                self._conn = None
                return resp.status, b""
            data = resp.read()
            if resp.will_close:
                conn.close()
                self._conn = None
            return resp.status, data
        except (OSError, http.client.HTTPException):
            conn.close()
            self._conn = None
            raise


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    state = tmp_path_factory.mktemp("junk")
    log = state / "server.log"
    with log.open("w") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mockapi", "serve", "--state-dir", str(state), "--port", "0"],
            stdout=subprocess.PIPE, stderr=stderr, text=True, preexec_fn=_limit_memory,
        )  # fmt: skip
        assert proc.stdout is not None
        url = proc.stdout.readline().strip().rsplit(" ", 1)[-1]
        host, port = url.removeprefix("https://").rsplit(":", 1)
        try:
            yield Server(host, int(port), Pki.at(state), log)
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    assert proc.returncode == 0, "the server did not stop cleanly"


json_leaf = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
names = st.sampled_from(["a", "b", "x-1", "", "A", "a/b", "..", "z" * 300])


@st.composite
def objects(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    """A valid object of the kind with junk written over some of its paths."""
    obj: dict[str, Any] = json.loads(json.dumps(KINDS[kind][1]))
    obj["metadata"] = {"name": draw(names)}
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        target = obj
        path = draw(
            st.lists(
                st.sampled_from(["metadata", "spec", "data", "name", "labels", "ports", "kind", "x"]),
                min_size=1,
                max_size=3,
            )
        )
        for key in path[:-1]:
            child = target.get(key) if isinstance(target, dict) else None
            if not isinstance(child, dict):
                child = {}
                target[key] = child
            target = child
        target[path[-1]] = draw(json_value)
    return obj


def _yaml_junk() -> st.SearchStrategy[bytes]:
    pieces = st.sampled_from([
        "a: 1\n", "&a [*a]\n", "b: &x [1, 2]\n", "c: [*x, *x, *x]\n", "{~: 1}\n", "? [1]\n: 2\n", "- - - -\n",
        "!!binary zz\n", "<<: 5\n", "metadata: {name: y}\n", "apiVersion: v1\nkind: ConfigMap\n", "'\n", "\t\n",
        "n: 99999999999999999999\n", "x: .nan\n", "[" * 250 + "]" * 250 + "\n",
    ])  # fmt: skip
    return st.lists(pieces, min_size=1, max_size=6).map(lambda parts: "".join(parts).encode())


@st.composite
def bodies(draw: st.DrawFn, kind: str) -> bytes:
    choice = draw(st.integers(min_value=0, max_value=3))
    if choice == 0:
        return json.dumps(draw(objects(kind))).encode()
    if choice == 1:
        return draw(_yaml_junk())
    if choice == 2:
        return json.dumps(draw(json_value)).encode()
    return draw(st.binary(max_size=64))


@st.composite
def queries(draw: st.DrawFn) -> str:
    params = draw(
        st.dictionaries(st.sampled_from(QUERY_KEYS), st.text(alphabet="abc01-=,!()/~% ", max_size=12), max_size=3)
    )
    return "&".join(f"{k}={quote(v)}" for k, v in params.items())


@st.composite
def junk_requests(draw: st.DrawFn) -> tuple[str, str, bytes | None, dict[str, str]]:
    kind = draw(st.sampled_from(sorted(KINDS)))
    base = KINDS[kind][0]
    op = draw(st.sampled_from(["create", "update", "patch", "list", "watch", "delete", "get"]))
    query = draw(queries())
    name = draw(st.sampled_from(["a", "b", "missing"]))
    if op == "create":
        return "POST", f"{base}?{query}", draw(bodies(kind)), {"Content-Type": draw(st.sampled_from(BODY_TYPES))}
    if op == "update":
        sub = draw(st.sampled_from(["", "/status", "/scale"]))
        content_type = draw(st.sampled_from(BODY_TYPES))
        return "PUT", f"{base}/{name}{sub}?{query}", draw(bodies(kind)), {"Content-Type": content_type}
    if op == "patch":
        sub = draw(st.sampled_from(["", "/status", "/scale"]))
        patch_type = draw(st.sampled_from(PATCH_TYPES))
        body = draw(bodies(kind)) if draw(st.booleans()) else json.dumps(draw(json_value)).encode()
        return "PATCH", f"{base}/{name}{sub}?{query}", body, {"Content-Type": patch_type}
    if op == "delete":
        return "DELETE", f"{base}/{name}?{query}", draw(st.none() | bodies(kind)), {}
    if op == "get":
        return "GET", f"{base}/{name}?{query}", None, {}
    if op == "watch":
        return "GET", f"{base}?watch=1&timeoutSeconds=1&{query}", None, {}
    return "GET", f"{base}?{query}", None, {}


def _store(server: Server) -> dict[str, Any]:
    out = {}
    for kind, (base, _) in KINDS.items():
        status, body = server.request("GET", base)
        assert status == 200
        out[kind] = json.loads(body).get("items")
    return out


def _seed(server: Server, store: dict[str, Any]) -> dict[str, Any]:
    """Objects `a` and `b` of every kind, created again when a request deleted them."""
    changed = False
    for kind, (base, template) in KINDS.items():
        present = {item["metadata"]["name"] for item in store[kind]}
        for name in {"a", "b"} - present:
            obj = {**template, "metadata": {"name": name}}
            server.request("POST", base, json.dumps(obj).encode(), {"Content-Type": "application/json"})
            changed = True
    return _store(server) if changed else store


@settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
@given(request=junk_requests())
def test_generated_junk(server: Server, request: tuple[str, str, bytes | None, dict[str, str]]) -> None:
    method, path, body, headers = request
    before = _seed(server, _store(server))
    status, reply = server.request(method, path, body, headers)
    event(f"{method} {status}")  # the spread of answers, in --hypothesis-show-statistics
    if status >= 400:
        decoded = json.loads(reply)
        assert decoded["kind"] == "Status" and decoded["code"] == status, reply[:300]
        if status >= 500:
            assert any(
                status == code and decoded["message"].startswith(prefix) and (prefix or decoded.get("reason", "") == "")
                for code, prefix in DOCUMENTED_5XX
            ), (method, path, reply[:300])
        assert _store(server) == before, (method, path, status, reply[:300])
    assert server.request("GET", "/healthz") == (200, b"ok")
    for base, _ in KINDS.values():  # whatever was accepted is still a valid object of its kind
        assert server.request("GET", base, headers={"Accept": PROTOBUF})[0] == 200, (method, path, body)
    log = server.log.read_text()
    assert "Traceback" not in log and "internal error" not in log, (method, path, log[-3000:])
