"""The pytest plugin, exercised with pytester: fixtures, per-test reset and the mockapi_config marker."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


def test_fixtures_reset_and_marker(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from mockapi.testing.client import ApiClient

        def test_create(mockapi):
            client = ApiClient(mockapi)
            body = {"metadata": {"name": "leftover"}, "data": {"a": "b"}}
            assert client.post("/api/v1/namespaces/default/configmaps", body).status == 201

        def test_reset_between_tests(mockapi, mockapi_url):
            assert mockapi_url.startswith("https://127.0.0.1:")
            reply = ApiClient(mockapi).get("/api/v1/namespaces/default/configmaps/leftover")
            assert reply.status == 404

        def test_kubeconfig_for_any_user(mockapi_kubeconfig):
            text = mockapi_kubeconfig("alice", ["dev"]).read_text()
            assert "client-certificate-data" in text and "alice" in text

        @pytest.mark.mockapi_config(authorization_modes=("AlwaysDeny",))
        def test_dedicated_server(mockapi):
            assert ApiClient(mockapi, "bob", ()).get("/api/v1/namespaces").status == 403
        """
    )
    result = pytester.runpytest(
        "-p", "no:xdist", "-p", "no:cacheprovider", "-o", "asyncio_default_fixture_loop_scope=function"
    )
    result.assert_outcomes(passed=4)
