"""Missing test dependencies: a skip on a developer machine, a failure in CI.

A kubectl binary, a client library or a system tool that is not there makes a test skip locally, so a
partial checkout still runs. Under CI (`CI` set to anything but empty, `0` or `false`, as GitHub Actions,
GitLab and most other runners do) the same test fails instead, so a broken runner image cannot turn
part of the suite into silent skips. Every such check in the project goes through `unavailable`.
"""

from __future__ import annotations

import importlib
import os
import shutil
from pathlib import Path
from types import ModuleType
from typing import NoReturn

import pytest

from mockapi.testing.kubectl import KubectlMissing, kubectl_binary


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false")


def unavailable(reason: str) -> NoReturn:
    """Skip the test (or, at import time, the module) for `reason`; under CI fail it."""
    if in_ci():
        pytest.fail(f"{reason} (CI is set: a missing test dependency fails instead of skipping)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def require_module(name: str) -> ModuleType:
    """Import `name` (a client library from the test extras) or report it unavailable."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        unavailable(f"{name} is not installed ({exc}); install the test extras: pip install -e '.[test]'")


def require_kubectl(version: str | None = None) -> Path:
    """The kubectl binary for `version` (see `kubectl_binary`) or report it unavailable."""
    try:
        return kubectl_binary(version)
    except KubectlMissing as exc:
        unavailable(str(exc))


def require_tool(name: str) -> Path:
    """A program on PATH (openssl, ...) or report it unavailable."""
    found = shutil.which(name)
    if found is None:
        unavailable(f"{name} is not on PATH")
    return Path(found)
