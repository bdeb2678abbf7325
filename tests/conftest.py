"""Settings for every server this suite starts (the plugin's and those the tests build themselves)."""

from __future__ import annotations

from typing import Any

import pytest

SERVER_DEFAULTS: dict[str, Any] = {"namespace_deletion_grace_period": 0.1}
"""The namespace controller's wait before it empties a deleted namespace: 5 s by default (kube-controller-
manager's), which every `kubectl delete ns` would sleep through. No test checks that wait itself; one that
does sets it with @pytest.mark.mockapi_config(namespace_deletion_grace_period=...)."""


@pytest.fixture(scope="session")
def mockapi_config_defaults() -> dict[str, Any]:
    return dict(SERVER_DEFAULTS)
