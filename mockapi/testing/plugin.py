"""pytest plugin (entry point `pytest11`): a real mockapi server per test session, reset for every test.

Fixtures:
  mockapi_server   session-scoped ServerThread (TLS, random loopback port)
  mockapi          the same server, reset to a fresh cluster before the test
  mockapi_url      its https URL
  mockapi_kubeconfig(user, groups=()) -> Path   kubeconfig with a fresh client certificate
  kubectl(version=None, user="admin", groups=("system:masters",)) -> Kubectl   an isolated kubectl runner
Marker:
  @pytest.mark.mockapi_config(authorization_modes=("AlwaysDeny",), ...)  a dedicated server for the test,
  built with those ServerConfig fields.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from mockapi.testing.kubectl import Kubectl, KubectlMissing
from mockapi.testing.server import ServerThread


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "mockapi_config(**fields): run the test against a dedicated server")


@pytest.fixture(scope="session")
def mockapi_server() -> Iterator[ServerThread]:
    with ServerThread() as server:
        yield server


@pytest.fixture
def mockapi(request: pytest.FixtureRequest) -> Iterator[ServerThread]:
    marker = request.node.get_closest_marker("mockapi_config")
    if marker is not None:
        with ServerThread(**marker.kwargs) as dedicated:
            yield dedicated
        return
    server: ServerThread = request.getfixturevalue("mockapi_server")
    server.reset()
    yield server


@pytest.fixture
def mockapi_url(mockapi: ServerThread) -> str:
    return mockapi.url


@pytest.fixture
def mockapi_kubeconfig(mockapi: ServerThread) -> Callable[..., Path]:
    def make(user: str = "admin", groups: Sequence[str] = ("system:masters",)) -> Path:
        return mockapi.kubeconfig(user, groups)

    return make


@pytest.fixture
def kubectl(mockapi: ServerThread, tmp_path: Path) -> Callable[..., Kubectl]:
    """A factory of kubectl runners; under CI=true a missing binary fails the test instead of skipping."""

    def make(version: str | None = None, user: str = "admin", groups: Sequence[str] = ("system:masters",)) -> Kubectl:
        config = mockapi.kubeconfig(user, groups, path=tmp_path / f"{user}.kubeconfig")
        home = tmp_path / f"home-{version or 'default'}-{user}"
        home.mkdir(exist_ok=True)
        try:
            return Kubectl(config, version, home)
        except KubectlMissing as exc:
            if os.environ.get("CI") == "true":
                pytest.fail(str(exc))
            pytest.skip(str(exc))

    return make
