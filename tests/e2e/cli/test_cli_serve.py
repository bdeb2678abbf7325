"""`mockapi serve` as a subprocess (the mode for clients in any language) and `mockapi kubeconfig`."""

from __future__ import annotations

import signal
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import yaml

from mockapi.pki import Pki, client_ssl_context


def start(state: Path, *args: str) -> tuple[subprocess.Popen[str], list[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "mockapi", "serve", "--state-dir", str(state), "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    lines = [proc.stdout.readline().strip(), proc.stdout.readline().strip()]
    return proc, lines


def get(url: str, context: ssl.SSLContext) -> bytes:
    with urllib.request.urlopen(url, context=context, timeout=10) as resp:
        body: bytes = resp.read()
        return body


def test_serve_prints_url_and_kubeconfig_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    proc, lines = start(tmp_path)
    try:
        assert lines[0].startswith("mockapi serving on https://127.0.0.1:")
        url = lines[0].rsplit(" ", 1)[1]
        assert lines[1] == f"export KUBECONFIG={tmp_path / 'admin.kubeconfig'}"
        kubeconfig = yaml.safe_load((tmp_path / "admin.kubeconfig").read_text())
        assert kubeconfig["clusters"][0]["cluster"]["server"] == url
        for name in ("ca.key", "apiserver.key", "sa.key", "admin.kubeconfig"):
            assert (tmp_path / name).stat().st_mode & 0o777 == 0o600, name
        context = client_ssl_context(Pki.at(tmp_path), "admin", ["system:masters"])
        assert get(f"{url}/healthz", context) == b"ok"
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        assert time.monotonic() - started < 5
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_second_start_reuses_the_pki(tmp_path: Path) -> None:
    proc, _ = start(tmp_path)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=10) == 0
    ca = (tmp_path / "ca.crt").read_bytes()
    sa = (tmp_path / "sa.key").read_bytes()
    proc, lines = start(tmp_path)
    try:
        assert lines[0].startswith("mockapi serving on")
        assert (tmp_path / "ca.crt").read_bytes() == ca
        assert (tmp_path / "sa.key").read_bytes() == sa
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_kubeconfig_command_issues_a_client_certificate(tmp_path: Path) -> None:
    out = tmp_path / "alice.kubeconfig"
    subprocess.run(
        [sys.executable, "-m", "mockapi", "kubeconfig", "--state-dir", str(tmp_path), "--user", "alice",
         "--group", "dev", "--group", "qa", "--server", "https://localhost:7443", "--out", str(out)],
        check=True,
    )  # fmt: skip
    config = yaml.safe_load(out.read_text())
    assert config["clusters"][0]["cluster"]["server"] == "https://localhost:7443"
    assert out.stat().st_mode & 0o777 == 0o600
    printed = subprocess.run(
        [sys.executable, "-m", "mockapi", "kubeconfig", "--state-dir", str(tmp_path), "--user", "bob"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    assert yaml.safe_load(printed)["users"][0]["name"] == "bob"


def test_unsupported_authorization_mode_fails_loudly(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mockapi", "serve", "--state-dir", str(tmp_path), "--port", "0",
         "--authorization-mode", "Node,RBAC"],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 1
    assert "authorization mode 'Node' is not supported by mockapi yet" in result.stderr


def test_a_token_kubeconfig_from_the_cli_authenticates_with_the_token_file(tmp_path: Path) -> None:
    tokens = Path(__file__).resolve().parents[3] / "policies" / "tokens.csv"
    proc, lines = start(tmp_path, "--token-auth-file", str(tokens))
    try:
        url = lines[0].rsplit(" ", 1)[-1]
        printed = subprocess.run(
            [sys.executable, "-m", "mockapi", "kubeconfig", "--state-dir", str(tmp_path), "--server", url,
             "--token", "31ada4fd-adec-460c-809a-9e56ceb75269", "--user", "alice"],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        config = yaml.safe_load(printed)
        assert config["users"] == [{"name": "alice", "user": {"token": "31ada4fd-adec-460c-809a-9e56ceb75269"}}]
        context = ssl.create_default_context(cafile=str(Pki.at(tmp_path).ca_cert))
        request = urllib.request.Request(
            f"{url}/apis/authentication.k8s.io/v1/selfsubjectreviews",
            data=b'{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}',
            headers={
                "Authorization": f"Bearer {config['users'][0]['user']['token']}",
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(request, context=context, timeout=10) as resp:
            user = yaml.safe_load(resp.read())["status"]["userInfo"]
        assert user == {"username": "alice", "uid": "1001", "groups": ["dev", "ops", "system:authenticated"]}
    finally:
        proc.terminate()
        proc.wait(10)


def test_a_malformed_token_file_stops_start_up(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.csv"
    tokens.write_text("good,alice,1\nshort,bob\n")
    result = subprocess.run(
        [sys.executable, "-m", "mockapi", "serve", "--state-dir", str(tmp_path), "--port", "0",
         "--token-auth-file", str(tokens)],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip().endswith(
        f"token file '{tokens}' must have at least 3 columns (token, user name, user uid), found 2 (line 2)"
    )


def test_a_service_account_kubeconfig_from_the_cli(tmp_path: Path) -> None:
    proc, lines = start(tmp_path)
    try:
        url = lines[0].rsplit(" ", 1)[-1]
        run = [sys.executable, "-m", "mockapi", "kubeconfig", "--state-dir", str(tmp_path), "--server", url]
        printed = subprocess.run(
            [*run, "--service-account", "default/default"], check=True, capture_output=True, text=True
        )
        config = yaml.safe_load(printed.stdout)
        assert config["users"][0]["name"] == "default-default"
        token = config["users"][0]["user"]["token"]
        context = ssl.create_default_context(cafile=str(Pki.at(tmp_path).ca_cert))
        request = urllib.request.Request(
            f"{url}/apis/authentication.k8s.io/v1/selfsubjectreviews",
            data=b'{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}',
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, context=context, timeout=10) as resp:
            assert (
                yaml.safe_load(resp.read())["status"]["userInfo"]["username"] == "system:serviceaccount:default:default"
            )
        missing = subprocess.run([*run, "--service-account", "default/nobody"], capture_output=True, text=True)
        assert missing.returncode == 1
        assert missing.stderr.strip() == 'mockapi: failed to create token: serviceaccounts "nobody" not found'
    finally:
        proc.terminate()
        proc.wait(10)
