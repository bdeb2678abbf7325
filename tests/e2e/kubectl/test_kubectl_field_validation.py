"""Server-side field validation as kubectl 1.27, 1.30 and 1.33 show it.

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

VERSIONS = ("1.27", "1.30", "1.33")
STRICT_MESSAGE = (
    'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogusField"'
)
CMS = "/api/v1/namespaces/default/configmaps"


def manifest(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.json"
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"k": "v"}, "bogusField": 1}
    path.write_text(json.dumps(body))
    return path


@pytest.mark.parametrize("version", VERSIONS)
def test_raw_create_strict_warn_ignore(kubectl: Callable[..., Kubectl], tmp_path: Path, version: str) -> None:
    k = kubectl(version)
    name = f"fv-raw-{version.replace('.', '-')}"
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


@pytest.mark.parametrize("version", VERSIONS)
def test_create_file_with_default_validation(kubectl: Callable[..., Kubectl], tmp_path: Path, version: str) -> None:
    k = kubectl(version)
    name = f"fv-file-{version.replace('.', '-')}"
    path = manifest(tmp_path, name)

    strict = k("create", "-f", str(path))
    assert (strict.returncode, strict.stdout) == (1, "")
    assert strict.stderr.strip() == f'Error from server (BadRequest): error when creating "{path}": {STRICT_MESSAGE}'

    warn = k("create", "-f", str(path), "--validate=warn")
    assert (warn.returncode, warn.stdout) == (0, f"configmap/{name} created\n")
    assert warn.stderr.strip() == 'Warning: unknown field "bogusField"'
