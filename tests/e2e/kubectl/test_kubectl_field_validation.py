"""Server-side field validation as the oldest and newest kubectl show it (1.27 reads OpenAPI v2, 1.33 v3).

`kubectl create --raw <path>?fieldValidation=...` posts a file as it is and needs no OpenAPI: it checks
the wire behaviour (Status body, Warning headers) with each kubectl's own client. `kubectl create -f`
with `--validate=strict|warn` learns from the served OpenAPI that the server validates (kubectl.md §2.2).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from mockapi.testing.kubectl import Kubectl

pytestmark = pytest.mark.kubectl

STRICT_MESSAGE = (
    'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogusField"'
)
CMS = "/api/v1/namespaces/default/configmaps"


def manifest(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.json"
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"k": "v"}, "bogusField": 1}
    path.write_text(json.dumps(body))
    return path


def test_raw_create_strict_warn_ignore(kubectl: Callable[..., Kubectl], tmp_path: Path, kubectl_version: str) -> None:
    k = kubectl(kubectl_version)
    name = f"fv-raw-{kubectl_version.replace('.', '-')}"
    path = str(manifest(tmp_path, name))

    strict = k("create", "--raw", f"{CMS}?fieldValidation=Strict", "-f", path)
    assert (strict.returncode, strict.stdout) == (1, "")
    assert strict.stderr.strip() == f"Error from server (BadRequest): {STRICT_MESSAGE}"

    warn = k("create", "--raw", f"{CMS}?fieldValidation=Warn", "-f", path)
    assert warn.returncode == 0, warn.stderr
    assert warn.stderr.strip() == 'Warning: unknown field "bogusField"'
    assert json.loads(warn.stdout)["metadata"]["name"] == name
    assert "bogusField" not in json.loads(warn.stdout)

    k.ok("delete", "cm", name)
    ignore = k("create", "--raw", f"{CMS}?fieldValidation=Ignore", "-f", path)
    assert (ignore.returncode, ignore.stderr) == (0, "")


def test_create_file_with_default_validation(
    kubectl: Callable[..., Kubectl], tmp_path: Path, kubectl_version: str
) -> None:
    k = kubectl(kubectl_version)
    name = f"fv-file-{kubectl_version.replace('.', '-')}"
    path = manifest(tmp_path, name)

    strict = k("create", "-f", str(path))
    assert (strict.returncode, strict.stdout) == (1, "")
    assert strict.stderr.strip() == f'Error from server (BadRequest): error when creating "{path}": {STRICT_MESSAGE}'

    warn = k("create", "-f", str(path), "--validate=warn")
    assert (warn.returncode, warn.stdout) == (0, f"configmap/{name} created\n")
    assert warn.stderr.strip() == 'Warning: unknown field "bogusField"'
