"""pytest plugin (entry point `pytest11`): a real mockapi server per test session, reset for every test.

Fixtures:
  mockapi_config_defaults  session-scoped dict of ServerConfig fields every server of this plugin starts
                   with; empty, override it in a conftest.py (e.g. a short namespace_deletion_grace_period)
  mockapi_server   session-scoped ServerThread (TLS, random loopback port)
  mockapi          the same server, reset to a fresh cluster before the test
  mockapi_url      its https URL
  mockapi_kubeconfig(user, groups=(), token=None, service_account=None) -> Path
                                             kubeconfig with a fresh client certificate, or presenting a token
                                             (service_account="ns/name": one minted through TokenRequest)
  kubectl(version=None, user="admin", groups=("system:masters",), token=None, service_account=None) -> Kubectl
                                             an isolated kubectl runner (a token: it presents that)
  kubectl_version  a kubectl minor version ("1.27"): the test runs once per version, on the oldest and the
                   newest kubectl it supports, or on every one with the kubectl_matrix marker
Markers:
  @pytest.mark.mockapi_config(authorization_modes=("AlwaysDeny",), ...)  a dedicated server for the test,
  built with mockapi_config_defaults and then those ServerConfig fields.
  @pytest.mark.kubectl_matrix  kubectl_version takes every supported version: for tests of what differs
  between kubectl versions (discovery, OpenAPI, request bodies).
  @pytest.mark.kubectl_versions(since="1.28", until=None)  the versions a test supports (default: all).
Options:
  --kubectl-matrix  every kubectl_version test runs on every version it supports
A missing kubectl fails the test under CI and skips it elsewhere (mockapi.testing.ci).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from mockapi.testing.ci import unavailable
from mockapi.testing.kubectl import VERSIONS, Kubectl, KubectlMissing
from mockapi.testing.server import ServerThread


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--kubectl-matrix",
        action="store_true",
        default=False,
        help="run every test that takes kubectl_version on every kubectl version, not only the oldest and newest",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "mockapi_config(**fields): run the test against a dedicated server with these ServerConfig fields"
    )
    config.addinivalue_line(
        "markers", "kubectl_matrix: kubectl_version takes every kubectl version the test supports, not only two"
    )
    config.addinivalue_line(
        "markers", "kubectl_versions(since=None, until=None): the kubectl versions the test supports (default: all)"
    )


def kubectl_versions(supported: pytest.Mark | None, matrix: bool) -> tuple[str, ...]:
    """The versions kubectl_version takes: of VERSIONS, or the range a kubectl_versions marker gives, every
    one for a matrix test and the oldest and newest otherwise."""
    since, until = VERSIONS[0], VERSIONS[-1]
    if supported is not None:
        since, until = supported.kwargs.get("since", since), supported.kwargs.get("until", until)
        if supported.args or set(supported.kwargs) - {"since", "until"} or {since, until} - set(VERSIONS):
            raise pytest.UsageError(f"kubectl_versions takes since= and until= among {VERSIONS}, not {supported}")
    versions = VERSIONS[VERSIONS.index(since) : VERSIONS.index(until) + 1]
    return versions if matrix else tuple(dict.fromkeys((versions[0], versions[-1])))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "kubectl_version" not in metafunc.fixturenames:
        return
    for mark in metafunc.definition.iter_markers("parametrize"):  # the test chose its versions itself
        names = mark.args[0] if mark.args else mark.kwargs.get("argnames", ())
        if "kubectl_version" in ([n.strip() for n in names.split(",")] if isinstance(names, str) else names):
            return
    marker = metafunc.definition.get_closest_marker("kubectl_matrix")
    if marker is not None and (marker.args or marker.kwargs):
        raise pytest.UsageError(f"kubectl_matrix takes no arguments (kubectl_versions gives a range), not {marker}")
    matrix = marker is not None or bool(metafunc.config.getoption("kubectl_matrix", False))
    versions = kubectl_versions(metafunc.definition.get_closest_marker("kubectl_versions"), matrix)
    metafunc.parametrize("kubectl_version", versions, indirect=True)


@pytest.fixture
def kubectl_version(request: pytest.FixtureRequest) -> str:
    """The kubectl minor version this run of the test uses, for `kubectl(kubectl_version)`."""
    version: str = request.param
    return version


@pytest.fixture(scope="session")
def mockapi_config_defaults() -> dict[str, Any]:
    """ServerConfig fields for every server the plugin starts (the session's and the mockapi_config ones)."""
    return {}


@pytest.fixture(scope="session")
def mockapi_server(mockapi_config_defaults: dict[str, Any]) -> Iterator[ServerThread]:
    with ServerThread(**mockapi_config_defaults) as server:
        yield server


@pytest.fixture
def mockapi(request: pytest.FixtureRequest, mockapi_config_defaults: dict[str, Any]) -> Iterator[ServerThread]:
    marker = request.node.get_closest_marker("mockapi_config")
    if marker is not None:
        with ServerThread(**{**mockapi_config_defaults, **marker.kwargs}) as dedicated:
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
    def make(
        user: str = "admin",
        groups: Sequence[str] = ("system:masters",),
        *,
        token: str | None = None,
        service_account: str | None = None,
    ) -> Path:
        return mockapi.kubeconfig(user, groups, token=token, service_account=service_account)

    return make


@pytest.fixture
def kubectl(mockapi: ServerThread, tmp_path: Path) -> Callable[..., Kubectl]:
    """A factory of kubectl runners; under CI a missing binary fails the test instead of skipping it."""

    def make(
        version: str | None = None,
        user: str = "admin",
        groups: Sequence[str] = ("system:masters",),
        *,
        token: str | None = None,
        service_account: str | None = None,
    ) -> Kubectl:
        config = mockapi.kubeconfig(
            user, groups, path=tmp_path / f"{user}.kubeconfig", token=token, service_account=service_account
        )
        home = tmp_path / f"home-{version or 'default'}-{user}"
        home.mkdir(exist_ok=True)
        try:
            return Kubectl(config, version, home)
        except KubectlMissing as exc:
            unavailable(str(exc))

    return make
